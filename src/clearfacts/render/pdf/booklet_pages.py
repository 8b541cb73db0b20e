"""The booklet's page furniture: margins with a gutter, page templates, folios, running heads,
and the fixed pages (cover, contents, back cover).

Folios are physical page numbers (the cover is page 1) so a reader, the contents page and the
print shop all count pages the same way.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, HRFlowable, PageTemplate, Spacer
from reportlab.platypus import Paragraph as Para
from reportlab.platypus.flowables import TopPadder

from clearfacts.model import ContentSet, Text
from clearfacts.render import fonts
from clearfacts.render.dates import review_date
from clearfacts.render.labels import Labels
from clearfacts.render.pdf.booklet_blocks import NO_PADDING, STYLES, Anchor, grid, group, link_markup, para, tagged
from clearfacts.render.pdf.document import ACCENT, INK, RULE, markup
from clearfacts.render.pdf.logo import logo
from clearfacts.render.pdf.tags import TaggedPara
from clearfacts.render.urls import url_lines

INNER = 0.7 * inch  # gutter side: the fold and staples eat a little
OUTER = 0.55 * inch
TOP = 0.7 * inch
BOTTOM = 0.7 * inch
FURNITURE_Y = 0.42 * inch  # folio baseline from the foot, running head baseline from the top
FURNITURE_SIZE = 10
LOGO_HEIGHT = 0.8 * inch  # the cover's logo box: the text width across, this tall


def text_width(pagesize: tuple[float, float]) -> float:
    return pagesize[0] - INNER - OUTER


def text_height(pagesize: tuple[float, float]) -> float:
    return pagesize[1] - TOP - BOTTOM


class Layout:
    """What one layout pass learns (each section's page, the page count) and what the page
    furniture needs while it runs (the section to name in the running head)."""

    def __init__(self, accent: colors.Color = ACCENT) -> None:
        self.accent = accent  # the running head's colour
        self.pages: dict[str, int] = {}
        self.page_count = 0
        self._running = ""  # the section the flow is in
        self._head = ""  # the section this page's head names

    def after_flowable(self, flowable: Flowable) -> None:
        """Doc-template hook: a section anchor moves the running head on."""
        if isinstance(flowable, Anchor) and flowable.level == 0:
            self.pages.setdefault(flowable.key, flowable.page)
            self._running = flowable.title
            if flowable.at_top:
                self._head = flowable.title

    def page_begin(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self._head = self._running
        self.page_count = canv.getPageNumber()

    def body_page_end(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Running head (the section the page opens in) and the physical folio."""
        width, height = doc.pagesize
        left, right = _sides(canv.getPageNumber())
        canv.saveState()
        if self._head:
            canv.setFont(fonts.BODY, FURNITURE_SIZE)
            canv.setFillColor(self.accent)
            y = height - FURNITURE_Y
            if canv.getPageNumber() % 2:
                canv.drawRightString(width - right, y, self._head)
            else:
                canv.drawString(left, y, self._head)
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.5)
            canv.line(left, y - 6, width - right, y - 6)
        canv.setFont(fonts.BODY, FURNITURE_SIZE + 1)
        canv.setFillColor(INK)
        canv.drawCentredString((left + width - right) / 2, FURNITURE_Y, str(canv.getPageNumber()))
        canv.restoreState()


def _sides(page: int) -> tuple[float, float]:
    """(left, right) margins: odd pages are right-hand pages, their gutter is on the left."""
    return (INNER, OUTER) if page % 2 else (OUTER, INNER)


def templates(pagesize: tuple[float, float], layout: Layout) -> list[PageTemplate]:
    """The cover first; then the flow alternates verso and recto; blank and back end the booklet.
    Only verso and recto pages carry a running head and a folio."""
    width, height = pagesize

    def page(name: str, recto: bool, body: bool) -> PageTemplate:
        frame = Frame(INNER if recto else OUTER, BOTTOM, width - INNER - OUTER, height - TOP - BOTTOM, id=name,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        template = PageTemplate(name, [frame], pagesize=pagesize, onPage=layout.page_begin)
        if body:
            template.onPageEnd = layout.body_page_end
        return template

    return [page("cover", True, False), page("verso", False, True), page("recto", True, True),
            page("blank", False, False), page("back", False, False)]


def cover(content: ContentSet, labels: Labels, width: float, accent: colors.Color | None = None) -> list[Flowable]:
    """An edition's logo (at the top, right-aligned in a fixed box), the title, subtitle, and at
    the foot who made it and when it was checked."""
    doc = content.booklet
    figure = logo(content.settings.brand, (width, LOGO_HEIGHT))
    head: list[Flowable] = [Spacer(1, 0.6 * inch)] if figure is None else [figure, Spacer(1, 0.25 * inch)]
    top: list[Flowable] = [*head, para(doc.title.text, "title", accent=accent),
                           HRFlowable(width="100%", thickness=3, color=accent or ACCENT, spaceBefore=2, spaceAfter=4)]
    if doc.subtitle:
        top.append(para(doc.subtitle.text, "subtitle"))
    foot = [para(content.settings.organisation.name, "cover"),
            para(labels("reviewed", date=review_date(content)), "body")]
    return [*top, _at_foot(foot)]


def contents(sections: list[tuple[str, Text]], pages: dict[str, int], width: float,
             labels: Labels, accent: colors.Color | None = None) -> list[Flowable]:
    """One row per section; the title and the page number both link to the section."""
    rows = []
    toc = group("TOC", sections)
    for key, title in sections:
        number = str(pages.get(key, 0))
        item = (*toc, ("TOCI", key))
        rows.append([tagged(TaggedPara(f'<a href="#{key}">{markup(title.text)}</a>', STYLES["toc"]), *item),
                     tagged(TaggedPara(f'<a href="#{key}">{number}</a>', STYLES["toc_page"]), *item)])
    table = grid(rows, [width - 36, 36], [*NO_PADDING, ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                                          ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                          ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
    return [para(labels("contents"), "h1", accent=accent), table]


def back_cover(content: ContentSet, width: float, labels: Labels,
               accent: colors.Color | None = None) -> list[Flowable]:
    """Who to call (only the ways the settings fill in: a blank phone prints no "Phone:"), then the
    notices every output carries, and the review date."""
    org = content.settings.organisation
    notices = content.notices
    contact: list[Flowable] = [para(labels("contact_us"), "h1", accent=accent), para(org.name, "cover"), Spacer(1, 4)]
    if org.phone:
        contact.append(para(f"{labels('phone')}: {org.phone}", "body"))
    for label, value, url in ((labels("email"), org.email, f"mailto:{org.email}"),
                              (labels("website"), org.website, org.website)):
        if value:
            contact.append(_address(label, value, url, width))
    foot = [para(notices.disclaimer.text, "callout"), para(notices.endorsement.text, "body"),
            para(notices.source_line.text, "body"),
            para(labels("reviewed", date=review_date(content)), "body")]
    return [*contact, _at_foot(foot)]


def _address(label: str, shown: str, url: str, width: float) -> Para:
    """"Email: …" with the address broken where a reader expects (after "/", "-"), never in a
    place reportlab would choose between two letters."""
    style = STYLES["body"]
    head = f"{label}: "
    lines = url_lines(shown, style.fontName, style.fontSize, width - fonts.width(head, style.fontName, style.fontSize))
    shown = TaggedPara(head + link_markup(url, "<br/>".join(markup(line) for line in lines)), style)
    return tagged(shown, role="P")


def _at_foot(flowables: list[Para]) -> Flowable:
    """Paragraphs stacked as one block (spaced as in the flow) and pushed to the foot of the page."""
    spacing = [(side, (0, i), (0, i), getattr(f.style, space)) for i, f in enumerate(flowables)
               for side, space in (("TOPPADDING", "spaceBefore"), ("BOTTOMPADDING", "spaceAfter"))]
    return TopPadder(grid([[f] for f in flowables], None, [*NO_PADDING, *spacing]))

