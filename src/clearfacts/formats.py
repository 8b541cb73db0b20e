"""The table of outputs: every file clearfacts makes is one entry here, and nothing else in the
code knows which outputs exist.

Like pandoc's list of writers, each entry names its renderer and its reader by import path, so
this table costs nothing to import (the CLI starts without reportlab or python-pptx) and a new
output is one entry plus its own renderer and reader modules. Build, check, `facts`, the
manifest and the benchmark all iterate `FORMATS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One output file.

    `render` is called as `render(content, options, stamp) -> bytes` and renders the content set's
    `document`; a format with
    `derived_from` is instead made from that format's bytes, `render(data, options) -> bytes`
    (the imposed print booklet places the finished booklet's pages, never renders them again).
    `read(data) -> Extracted` reads the file back for verification, with a library other than the
    one that wrote it. `unit` is what a finding names ("page 3", "slide 5"); with
    `section_per_unit` each section of the document is one unit (the deck: a section is a slide),
    so a fact must be found on its own slide. Formats of one `stack` share a worker process, which
    imports the modules in `warm` while the content is still being read.
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

    def renderer(self) -> Callable[..., bytes]:
        return _resolve(self.render)

    def reader(self) -> Callable[[bytes], object]:
        return _resolve(self.read)


def _resolve(target: str) -> Callable:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


_PDF_LIBRARIES = ("reportlab", "pypdf", "segno", "pikepdf")
_PDF_WARM = ("clearfacts.render.pdf.handout", "clearfacts.render.pdf.handout_large", "clearfacts.render.pdf.booklet",
             "clearfacts.render.pdf.impose",
             "clearfacts.verify.read_pdf", "clearfacts.verify.check")

_WEB_LIBRARIES = ("Jinja2", "MarkupSafe")
_WEB_WARM = ("clearfacts.render.web.pages", "clearfacts.verify.read_html", "clearfacts.verify.check")

FORMATS: tuple[Format, ...] = (
    Format("handout", "handouts/red-flags.pdf", "handout", "clearfacts.render.pdf.handout:render_handout",
           "clearfacts.verify.read_pdf:read_pdf", "page", "pdf", _PDF_LIBRARIES, warm=_PDF_WARM),
    Format("booklet", "handouts/faq-booklet.pdf", "booklet", "clearfacts.render.pdf.booklet:render_booklet",
           "clearfacts.verify.read_pdf:read_pdf", "page", "pdf", _PDF_LIBRARIES, warm=_PDF_WARM),
    Format("booklet-print", "handouts/faq-booklet-print.pdf", "booklet", "clearfacts.render.pdf.impose:impose",
           "clearfacts.verify.read_pdf:read_imposed", "page", "pdf", _PDF_LIBRARIES, derived_from="booklet",
           warm=_PDF_WARM),
    Format("deck", "slides/support-group.pptx", "deck", "clearfacts.render.pptx.deck:render_deck",
           "clearfacts.verify.read_pptx:read_pptx", "slide", "pptx",
           ("python-pptx", "XlsxWriter", "lxml", "pillow", "segno"), section_per_unit=True,
           warm=("clearfacts.render.pptx.deck", "clearfacts.verify.read_pptx", "clearfacts.verify.check")),
    # The web edition: cheap to make, so it shares the deck's stack (rendered in this process
    # while a worker makes the PDFs) instead of a worker of its own.
    Format("web-handout", "web/red-flags.html", "handout", "clearfacts.render.web.pages:render_handout",
           "clearfacts.verify.read_html:read_html", "section", "pptx", _WEB_LIBRARIES, section_per_unit=True,
           warm=_WEB_WARM),
    Format("web-booklet", "web/faq-booklet.html", "booklet", "clearfacts.render.web.pages:render_booklet",
           "clearfacts.verify.read_html:read_html", "section", "pptx", _WEB_LIBRARIES, section_per_unit=True,
           warm=_WEB_WARM),
    Format("web-index", "web/index.html", "handout", "clearfacts.render.web.pages:render_index",
           "clearfacts.verify.read_html:read_html", "section", "pptx", _WEB_LIBRARIES, section_per_unit=True,
           warm=_WEB_WARM),
    # The red-flag handout in large print (body ≥ 18 pt, headings ≥ 24 pt, up to two pages).
    Format("handout-large", "handouts/red-flags-large-print.pdf", "handout",
           "clearfacts.render.pdf.handout_large:render_large_print", "clearfacts.verify.read_pdf:read_pdf", "page",
           "pdf", _PDF_LIBRARIES, warm=_PDF_WARM),
)


def formats() -> tuple[Format, ...]:
    """The table as it stands (read at call time, so a test can add a format to it)."""
    return FORMATS


def by_key(key: str) -> Format:
    return next(f for f in formats() if f.key == key)
