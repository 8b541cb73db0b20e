"""Content → the web edition's pages as bytes: the red-flag handout, the FAQ booklet and the
start page, each one self-contained HTML file.

Every page is written through Jinja2 with auto-escaping on, so every content string is escaped
wherever it lands (text, attribute, SVG). The only markup not written by a template is the style
sheet, which is ours: `web.css` with the bundled Atkinson Hyperlegible embedded as data, so a
clinic can copy the pages to any web host or open them from a USB stick and nothing is fetched
from anywhere. A Content-Security-Policy meta tag forbids scripts and allows exactly that one
style sheet (by its hash) and data: fonts. Nothing in a page depends on the clock.
"""

from __future__ import annotations

import base64
import hashlib
import os
import posixpath
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct

from clearfacts.formats import Format, formats
from clearfacts.model import ContentSet, Document, Text
from clearfacts.options import BuildOptions
from clearfacts.render import fonts
from clearfacts.render.dates import review_date
from clearfacts.render.labels import Labels, labels_for
from clearfacts.render.web import view

if TYPE_CHECKING:
    from jinja2 import BytecodeCache, Environment
    from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
STAMP_META = "clearfacts-stamp"
# the files `render/fonts.py` registers for the PDFs, by weight
_FONT_FACES = (("AtkinsonHyperlegible-Regular.ttf", 400), ("AtkinsonHyperlegible-Bold.ttf", 700))


def render_handout(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    """The one-page handout as a web page, with the notices its PDF prints."""
    return _page("handout.html.j2", content, content.handout, options, stamp, self_key="render_handout")


def render_booklet(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    """The booklet as one web page: its contents as a `nav`, each section a `section`."""
    return _page("booklet.html.j2", content, content.booklet, options, stamp, self_key="render_booklet")


def render_index(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    """The start page: every other output to read or download, with its review date, then the
    red-flag handout itself, so the one thing a visitor must read is on the first page they open.
    It names the other outputs by kind, not by their titles: its build stamp covers the handout,
    and a title it showed from another document could go stale without it."""
    return _page("index.html.j2", content, content.handout, options, stamp, self_key="render_index")


class Download(Struct, frozen=True):
    text: str
    href: str


class Material(Struct, frozen=True):
    name: str
    downloads: tuple[Download, ...]


class Alternate(Struct, frozen=True):
    """This page in another language: its tag, its name in itself, and where it is."""

    lang: str
    name: str
    href: str


def _page(template: str, content: ContentSet, document: Document, options: BuildOptions, stamp: str,
          self_key: str) -> bytes:
    view.refused_links(content, document)
    every = [f for f in formats(content.all_languages()) if _made(f, options)]
    table = [f for f in every if f.language == content.settings.language]
    here = _own_path(table, self_key) or "web/page.html"
    start = _own_path(table, "render_index")
    css = stylesheet()
    labels = labels_for(content)
    html = _environment().get_template(template).render(
        lang=content.settings.language,
        t=labels,
        csp=policy(css),
        css=_markup(css),
        stamp_name=STAMP_META,
        stamp=stamp,
        document=document,
        sections=view.sections(document, _extra_notice(content, document)),
        reviewed=review_date(content),
        organisation=content.settings.organisation,
        contacts=view.contacts(content, labels),
        notices=content.notices,
        materials=_materials(table, here, labels),
        start=_relative(start, here) if start and start != here else "",
        alternates=_alternates(every, self_key, content.settings.language, here),
    )
    return html.encode("utf-8")


def _made(fmt: Format, options: BuildOptions) -> bool:
    """Whether the build makes this output (every one when the caller did not say)."""
    return not options.outputs or fmt.path in options.outputs


def _alternates(every: list[Format], renderer: str, language: str, here: str) -> tuple[Alternate, ...]:
    """The same page in each other language the build makes it in, named in that language."""
    from clearfacts.locales import own_name

    return tuple(Alternate(f.language, own_name(f.language), _relative(f.path, here)) for f in every
                 if f.language != language and _renders(f, renderer))


def _extra_notice(content: ContentSet, document: Document) -> Text | None:
    """The handout closes its links with the endorsement notice, as its PDF does; the booklet
    prints it on its back page (the footer here) besides."""
    return view.endorsement_needed(content, document) if document is content.handout else None


def _own_path(table: list[Format], renderer: str) -> str | None:
    """Where the formats table puts the page this renderer makes (the table is the only list)."""
    return next((f.path for f in table if _renders(f, renderer)), None)


def _renders(fmt: Format, renderer: str) -> bool:
    return fmt.render.endswith(f".web.pages:{renderer}")


def _relative(target: str, here: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def _materials(table: list[Format], here: str, labels: Labels) -> tuple[Material, ...]:
    """Every other output of the page's language, grouped by the document it shows, as relative
    links."""
    groups: dict[str, list[Download]] = {}
    for fmt in table:
        if fmt.path != here:
            groups.setdefault(fmt.document, []).append(Download(_kind(fmt, labels), _relative(fmt.path, here)))
    return tuple(Material(labels(doc) if doc in labels.words else doc, tuple(links)) for doc, links in groups.items())


def _kind(fmt: Format, labels: Labels) -> str:
    name = posixpath.basename(fmt.path)
    ext = posixpath.splitext(name)[1].lower()
    if ext == ".html":
        return labels("web_page", name=name)
    if ext == ".pdf":
        return labels("pdf_print" if fmt.derived_from else "pdf", name=name)
    if ext == ".pptx":
        return labels("pptx", name=name)
    return name


@cache
def _environment() -> Environment:
    """Auto-escaping on for every template; undefined names are errors, not empty strings."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                       bytecode_cache=_bytecode_cache())


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept beside them, as Python keeps its .pyc files in `__pycache__`:
    compiling them costs more than rendering all three pages. Jinja2 checks each entry against
    the template's source and its own version; where the folder cannot be written, no cache."""
    from jinja2 import FileSystemBytecodeCache

    folder = TEMPLATES.parent / "__pycache__"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder), "web-%s.jinja2") if os.access(folder, os.W_OK) else None


def _markup(css: str) -> Markup:
    """Our own style sheet, the one string the templates print without escaping."""
    from markupsafe import Markup

    return Markup(css)


@cache
def stylesheet() -> str:
    """`web.css` after the bundled font faces, embedded as data: URLs."""
    faces = []
    for file, weight in _FONT_FACES:
        data = base64.b64encode((fonts.FONT_DIR / file).read_bytes()).decode("ascii")
        faces.append(f'@font-face{{font-family:"Atkinson Hyperlegible";font-style:normal;font-weight:{weight};'
                     f'font-display:swap;src:url(data:font/ttf;base64,{data}) format("truetype")}}')
    return "\n".join(faces) + "\n" + (TEMPLATES / "web.css").read_text(encoding="utf-8")


def page_policy() -> str:
    """The Content-Security-Policy every page carries (`Format.house_style`): with it a browser
    applies this style sheet and no other, and no `style` attribute, so a page that still has
    it shows its words as clearfacts laid them out."""
    return policy(stylesheet())


def policy(css: str) -> str:
    """No scripts, no requests: only this page's style sheet (by hash) and data: fonts."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'sha256-{digest}'; font-src data:; img-src 'none'; "
            "base-uri 'none'; form-action 'none'")
