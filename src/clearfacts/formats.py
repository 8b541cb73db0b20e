"""The table of outputs: every file clearfacts makes is one entry here, and nothing else in the
code knows which outputs exist.

Like pandoc's list of writers, each entry names its renderer and its reader by import path, so
this table costs nothing to import (the CLI starts without reportlab or python-pptx) and a new
output is one entry plus its own renderer and reader modules. Build, check, `facts`, the
manifest and the benchmark all iterate `FORMATS`.
"""

from __future__ import annotations

import importlib
import posixpath
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from msgspec import Struct
from msgspec.structs import replace

if TYPE_CHECKING:
    from clearfacts.model import ContentSet


class Prepared(Protocol):
    """What a format's `prepare` returns: work done in the parent that a worker takes over."""

    def adopt(self) -> None: ...


class Format(Struct, frozen=True):
    """One output file.

    `render` is called as `render(content, options, stamp) -> bytes` and renders the content set's
    `document`; a format with
    `derived_from` is instead made from that format's bytes, `render(data, options) -> bytes`
    (the imposed print booklet places the finished booklet's pages, never renders them again).
    `read(data) -> Extracted` reads the file back for verification, with a library other than the
    one that wrote it. `unit` is what a finding names ("page 3", "slide 5"); with
    `section_per_unit` each section of the document is one unit (the deck: a section is a slide),
    so a fact must be found on its own slide. Formats of one `stack` share a worker process, which
    imports the modules in `warm` while the content is still being read; `prepare`
    ("module:function") is work done once in the parent for every job that renders this format
    elsewhere: called with the content, it returns what each job's process adopts (`.adopt()`)
    before rendering (the QR codes, encoded once rather than in every worker). `language` is the
    language of the content it renders ("" in the bare table: the content's own).
    `house_style` ("module:function") gives the Content-Security-Policy a web page must declare,
    the one that lets only clearfacts' own style sheet apply: a page whose policy differs may
    show its words in any colour or place, which no reading of its text can vouch for.
    `links_outputs`: the output links to the build's other outputs (`BuildOptions.outputs`: the
    web pages), so which outputs a build makes is part of its stamp.
    `shows_brand`: the output draws an edition's accent colour and logo (see `model.Brand`), so
    a review says a change to either reaches it.
    """

    key: str
    path: str
    document: str
    render: str
    read: str
    unit: str
    stack: str
    libraries: tuple[str, ...]
    derived_from: str | None = None
    section_per_unit: bool = False
    warm: tuple[str, ...] = ()
    language: str = ""
    prepare: str = ""
    house_style: str = ""
    links_outputs: bool = False
    shows_brand: bool = False

    def content_of(self, content: ContentSet) -> ContentSet:
        """The content set this output renders and is checked against: its language's."""
        return content.in_language(self.language) if self.language else content

    def in_language(self, language: str, home: bool = False) -> Format:
        """This output in `language`: where the table puts it for the content's first language
        (`home`), else in a folder of the language's own, under the name `NAMES` gives it."""
        if home:
            return replace(self, language=language)
        prefix = language.split("-")[0].lower()
        folder, name = posixpath.split(self.path)
        path = NAMES.get(prefix, {}).get(self.key) or posixpath.join(folder, prefix, name)
        return replace(self, key=f"{self.key}@{language}", path=path, language=language,
                                   derived_from=f"{self.derived_from}@{language}" if self.derived_from else None)

    def table_key(self) -> str:
        """The key the table gives this output in every language ("handout" for "handout@es-US")."""
        return self.key.partition("@")[0]

    def translation(self) -> str:
        """The language of a translation this output shows ("" for the content's first
        language's outputs, which keep the table's key): what review reports a change under."""
        return self.key.partition("@")[2]

    def renderer(self) -> Callable[..., bytes]:
        return _resolve(self.render)

    def reader(self) -> Callable[[bytes], object]:
        return _resolve(self.read)

    def preparer(self) -> Callable[[ContentSet], Prepared] | None:
        return _resolve(self.prepare) if self.prepare else None

    def house_policy(self) -> str | None:
        return _resolve(self.house_style)() if self.house_style else None


def _resolve(target: str) -> Callable:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


_PDF_LIBRARIES = ("reportlab", "segno", "pikepdf")
_QR_CODES = "clearfacts.render.qr_codes:encode_for"
# Besides our modules, two libraries they load on first use: PyYAML (the renderers' labels) and
# lxml (pikepdf's XMP metadata). Loaded once in the fork server, not once in every PDF worker.
_PDF_WARM = ("clearfacts.render.pdf.handout", "clearfacts.render.pdf.handout_large", "clearfacts.render.pdf.booklet",
             "clearfacts.render.pdf.impose",
             "clearfacts.verify.read_pdf", "clearfacts.verify.check", "yaml", "lxml.etree")

_WEB_LIBRARIES = ("Jinja2", "MarkupSafe")
_WEB_WARM = ("clearfacts.render.web.pages", "clearfacts.verify.read_html", "clearfacts.verify.check")
_WEB_STYLE = "clearfacts.render.web.pages:page_policy"

FORMATS: tuple[Format, ...] = (
    Format("handout", "handouts/red-flags.pdf", "handout", "clearfacts.render.pdf.handout:render_handout",
           "clearfacts.verify.read_pdf:read_pdf", "page", "pdf", _PDF_LIBRARIES, warm=_PDF_WARM,
           prepare=_QR_CODES, shows_brand=True),
    Format("booklet", "handouts/faq-booklet.pdf", "booklet", "clearfacts.render.pdf.booklet:render_booklet",
           "clearfacts.verify.read_pdf:read_pdf", "page", "pdf", _PDF_LIBRARIES, warm=_PDF_WARM,
           prepare=_QR_CODES, shows_brand=True),
    Format("booklet-print", "handouts/faq-booklet-print.pdf", "booklet", "clearfacts.render.pdf.impose:impose",
           "clearfacts.verify.read_pdf:read_imposed", "page", "pdf", _PDF_LIBRARIES, derived_from="booklet",
           warm=_PDF_WARM, shows_brand=True),
    Format("deck", "slides/support-group.pptx", "deck", "clearfacts.render.pptx.deck:render_deck",
           "clearfacts.verify.read_pptx:read_pptx", "slide", "pptx",
           ("python-pptx", "XlsxWriter", "lxml", "pillow", "segno"), section_per_unit=True,
           warm=("clearfacts.render.pptx.deck", "clearfacts.verify.read_pptx", "clearfacts.verify.check"),
           shows_brand=True),
    # The web edition: cheap to make, so it shares the deck's stack (rendered in this process
    # while a worker makes the PDFs) instead of a worker of its own.
    Format("web-handout", "web/red-flags.html", "handout", "clearfacts.render.web.pages:render_handout",
           "clearfacts.verify.read_html:read_html", "section", "pptx", _WEB_LIBRARIES, section_per_unit=True,
           warm=_WEB_WARM, house_style=_WEB_STYLE, links_outputs=True),
    Format("web-booklet", "web/faq-booklet.html", "booklet", "clearfacts.render.web.pages:render_booklet",
           "clearfacts.verify.read_html:read_html", "section", "pptx", _WEB_LIBRARIES, section_per_unit=True,
           warm=_WEB_WARM, house_style=_WEB_STYLE, links_outputs=True),
    Format("web-index", "web/index.html", "handout", "clearfacts.render.web.pages:render_index",
           "clearfacts.verify.read_html:read_html", "section", "pptx", _WEB_LIBRARIES, section_per_unit=True,
           warm=_WEB_WARM, house_style=_WEB_STYLE, links_outputs=True),
    # The red-flag handout in large print (body ≥ 18 pt, headings ≥ 24 pt, up to two pages).
    Format("handout-large", "handouts/red-flags-large-print.pdf", "handout",
           "clearfacts.render.pdf.handout_large:render_large_print", "clearfacts.verify.read_pdf:read_pdf", "page",
           "pdf", _PDF_LIBRARIES, warm=_PDF_WARM, prepare=_QR_CODES, shows_brand=True),
)


# Each further language's outputs: a folder of their own, file names in that language (an output
# not listed keeps its English name in the language's folder).
NAMES: dict[str, dict[str, str]] = {
    "es": {
        "handout": "handouts/es/senales-de-alerta.pdf",
        "booklet": "handouts/es/folleto-de-preguntas.pdf",
        "booklet-print": "handouts/es/folleto-de-preguntas-imprenta.pdf",
        "deck": "slides/es/grupo-de-apoyo.pptx",
        "web-handout": "web/es/senales-de-alerta.html",
        "web-booklet": "web/es/folleto-de-preguntas.html",
        "web-index": "web/es/index.html",
        "handout-large": "handouts/es/senales-de-alerta-letra-grande.pdf",
    },
}


def formats(languages: Sequence[str] = ()) -> tuple[Format, ...]:
    """The table as it stands (read at call time, so a test can add a format to it); with
    `languages` (the content's, its own first), every output once per language."""
    if not languages:
        return FORMATS
    first, *others = languages
    return (*(f.in_language(first, home=True) for f in FORMATS),
            *(f.in_language(language) for language in others for f in FORMATS))


def by_key(key: str) -> Format:
    return next(f for f in formats() if f.key == key)
