"""model booklet → the half-letter (or A5) FAQ booklet as PDF bytes.

Page order: cover (page 1), contents, the sections in order, blank pages, back cover. The
booklet itself is padded to a multiple of 4 pages, blanks going just before the back cover,
so the screen PDF and the imposed print PDF agree page for page and every folio is the
page's physical position.

Layout runs twice: the first pass learns each section's page (for the contents page) and the
page count (for the padding); the second, with those numbers, is the one kept. Only the
numbers on the contents page change between passes, in a fixed-width column, so the layout
cannot move; a third pass is allowed only as a guard.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer

from clearfacts.model import ContentSet, Links, Loc, Text
from clearfacts.options import BuildOptions
from clearfacts.render import fonts
from clearfacts.render.labels import labels_for
from clearfacts.render.pdf.booklet_blocks import block_flowables, heading
from clearfacts.render.pdf.booklet_pages import Layout, back_cover, contents, cover, templates, text_height, text_width
from clearfacts.render.pdf.compat_reportlab import binary_streams
from clearfacts.render.pdf.document import BOOKLET_PAGE, accent_of, build_tagged, new_document
from clearfacts.render.qr import QRCode, min_side

MAX_PASSES = 3


def render_booklet(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    """The finished booklet, its page count a multiple of 4; raises ContentError for text the
    font cannot print."""
    labels_for(content)  # a language without labels stops here, naming settings.yaml
    texts = printed_texts(content)
    fonts.check_glyphs(texts, fonts.BODY)
    fonts.check_glyphs(texts, fonts.BODY_BOLD)  # headings, terms and call-outs print bold
    pages: dict[str, int] = {}
    blanks = 0
    for attempt in range(MAX_PASSES):
        data, layout = _build(content, options, stamp, (pages, blanks), measuring=attempt == 0)
        if layout.pages == pages and layout.page_count % 4 == 0:
            return data
        pages, blanks = layout.pages, -(layout.page_count - blanks) % 4
    raise RuntimeError("booklet layout did not settle")  # a bug, not a content problem


def printed_texts(content: ContentSet) -> list[Text]:
    """Every string from the content that the booklet prints, each knowing its file:line."""
    notices = content.notices
    org = content.settings.organisation
    return [*content.booklet.texts(), *_link_urls(content), notices.disclaimer, notices.endorsement,
            notices.source_line, *(_setting(content, f"organisation.{name}", getattr(org, name))
                                   for name in ("name", "phone", "email", "website"))]


def _link_urls(content: ContentSet) -> list[Text]:
    return [Text(link.url, (), link.loc) for s in content.booklet.sections for b in s.blocks
            if isinstance(b, Links) for link in b.items]


def _setting(content: ContentSet, name: str, value: str) -> Text:
    settings = content.settings
    line = dict(settings.lines).get(name, settings.loc.line)
    return Text(value, (), Loc(settings.loc.path, line))


def _qr_code(url: str) -> QRCode:
    return QRCode(url, min_side(url))


def _stand_in(url: str) -> Spacer:
    """What the measuring pass lays out instead of a QR code: drawing one is slow."""
    return Spacer(min_side(url), min_side(url))


def _build(content: ContentSet, options: BuildOptions, stamp: str, numbers: tuple[dict[str, int], int],
           measuring: bool) -> tuple[bytes, Layout]:
    """One layout pass; `numbers` are the section pages and blank-page count the last pass found.

    The measuring pass only needs page numbers: it draws no QR codes and writes no file."""
    pagesize = BOOKLET_PAGE[options.paper]
    doc_model = content.booklet
    buf = io.BytesIO()
    layout = Layout(accent_of(content.settings.brand))
    doc = new_document(buf, pagesize, options, title=doc_model.title.text,
                       author=content.settings.organisation.name,
                       subject=doc_model.subtitle.text if doc_model.subtitle else doc_model.title.text,
                       stamp=stamp, lang=content.settings.language, pageTemplates=templates(pagesize, layout))
    doc.afterFlowable = layout.after_flowable
    story = _story(content, *numbers, pagesize, _stand_in if measuring else _qr_code)
    if not measuring:
        titles = {f"s{i}": s.title.text for i, s in enumerate(doc_model.sections)}
        return build_tagged(doc, buf, story, titles), layout
    with binary_streams():
        doc.build(story, canvasmaker=_MeasuringCanvas)
    return b"", layout


class _MeasuringCanvas(Canvas):
    def save(self) -> None:
        """Nothing to keep from a measuring pass: skip serialising the PDF."""


def _story(content: ContentSet, pages: dict[str, int], blanks: int, pagesize: tuple[float, float],
           qr_code: Callable[[str], Flowable]) -> list[Flowable]:
    """Cover, contents, sections, `blanks` empty pages, back cover."""
    width, height = text_width(pagesize), text_height(pagesize)
    labels = labels_for(content)
    brand = content.settings.brand
    accent = accent_of(brand) if brand is not None and brand.accent else None
    sections = [(f"s{i}", s.title) for i, s in enumerate(content.booklet.sections)]
    # a cycle, not autoNextPageTemplate: reportlab's auto-next keeps each template for two pages
    flow = NextPageTemplate(["verso", "recto"])  # page 2 verso, page 3 recto, …
    story: list[Flowable] = [flow, *cover(content, labels, width, accent), PageBreak(),
                             *contents(sections, pages, width, labels, accent), PageBreak()]
    for (key, _), section in zip(sections, content.booklet.sections, strict=True):
        story += heading(section.title.text, key, 0, accent)
        for j, block in enumerate(section.blocks):
            story += block_flowables(block, f"{key}b{j}", width, qr_code, height=height,
                                     lang=content.settings.language, accent=accent)
    story += [NextPageTemplate("blank"), *[PageBreak()] * blanks, NextPageTemplate("back"), PageBreak()]
    return story + back_cover(content, width, labels, accent)
