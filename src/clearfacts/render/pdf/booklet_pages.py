"""The booklet's page furniture: margins with a gutter, page templates, folios, running heads,
and the fixed pages (cover, contents, back cover).

Folios are physical page numbers (the cover is page 1) so a reader, the contents page and the
print shop all count pages the same way.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import ActionFlowable, BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Spacer
from reportlab.platypus import Paragraph as Para
from reportlab.platypus.flowables import TopPadder

from clearfacts.model import ContentSet, Text
from clearfacts.render import fonts
from clearfacts.render.dates import review_date
from clearfacts.render.labels import Labels
from clearfacts.render.pdf.booklet_blocks import (
    NO_PADDING,
    STYLES,
    Anchor,
    accented,
    grid,
    group,
    link_markup,
    para,
    tagged,
)
from clearfacts.render.pdf.document import ACCENT, INK, RULE, Deferred, markup
from clearfacts.render.pdf.logo import logo
from clearfacts.render.pdf.tags import Tag, TaggedPara, mark
from clearfacts.render.urls import url_lines

INNER = 0.7 * inch  # gutter side: the fold and staples eat a little
OUTER = 0.55 * inch
TOP = 0.6 * inch
BOTTOM = 0.6 * inch
FURNITURE_Y = 0.33 * inch  # folio baseline from the foot, running head baseline from the top
FURNITURE_SIZE = 10
LOGO_HEIGHT = 0.8 * inch  # the cover's logo box, beside who made the booklet
LOGO_WIDTH = 1.6 * inch
BAND_PAD = 0.3 * inch  # colour above and below the text on the covers' band
COVER_GAP = 0.35 * inch  # between the band and what follows
COVER_BAND = 0.46  # of the cover's height: the band with the title, from the top edge


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


def cover(content: ContentSet, labels: Labels, pagesize: tuple[float, float],
          accent: colors.Color | None = None) -> list[Flowable]:
    """Title and subtitle on a band of the edition's colour from the top edge; the main message,
    boxed, under it; at the foot who made it and when it was checked, beside the edition's logo
    (its only appearance)."""
    doc = content.booklet
    width = text_width(pagesize)
    head = [para(doc.title.text, "title")] + ([para(doc.subtitle.text, "subtitle")] if doc.subtitle else [])
    story: list[Flowable] = [Band(head, accent or ACCENT, pagesize, BAND_PAD, COVER_BAND), Spacer(1, COVER_GAP)]
    if doc.key_message:
        story.append(para(doc.key_message.text, "key", accent=accent))
    who = [para(content.settings.organisation.name, "cover"),
           para(labels("reviewed", date=review_date(content)), "body")]
    figure = logo(content.settings.brand, (LOGO_WIDTH, LOGO_HEIGHT))
    if figure is None:
        return [*story, _at_foot(who)]
    foot = grid([[_stack(who), figure]], [width - LOGO_WIDTH, LOGO_WIDTH],
                [*NO_PADDING, ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
    return [*story, TopPadder(foot)]


def contents(sections: list[tuple[str, Text]], width: float, labels: Labels,
             accent: colors.Color | None = None) -> tuple[list[Flowable], list[PageNumber]]:
    """One row per section; the title and the page number both link to the section. The numbers
    are drawn before the sections are laid out (see `PageNumber`); they are returned too, for
    `PageNumbers` to fill in once the layout knows them."""
    rows = []
    numbers = []
    toc = group("TOC", sections)
    for key, title in sections:
        item = (*toc, ("TOCI", key))
        number = PageNumber(key, STYLES["toc_page"])
        number.tag = Tag((*item, ("Link", f"e{id(number)}")))
        numbers.append(number)
        rows.append([tagged(TaggedPara(f'<a href="#{key}">{markup(title.text)}</a>', accented("toc", accent)), *item),
                     number])
    table = grid(rows, [width - 36, 36], [*NO_PADDING, ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                                          ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                          ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])
    return [para(labels("contents"), "h1", accent=accent), table], numbers


class PageNumber(Flowable):
    """A section's page number on the contents page, laid out before the section is: it draws a
    form XObject (named after the section) that `PageNumbers` fills in at the end of the layout.
    So one layout pass makes the booklet, where a measuring pass used to learn the numbers
    first. The number sits in a fixed-width column, so its value cannot move anything. It is a
    link to the section, read as one (the form's text belongs to the marked content around it)."""

    tag: Tag | None = None

    def __init__(self, key: str, style: ParagraphStyle):
        super().__init__()
        self.key, self.style = key, style

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        self.width = availWidth
        self.height = Para("0", self.style).wrap(availWidth, availHeight)[1]
        return self.width, self.height

    @property
    def form(self) -> str:
        return f"page_of_{self.key}"

    def draw(self) -> None:
        with mark(self.canv, self.tag, self):
            self.canv.doForm(self.form)
            self.canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)

    def fill(self, canv: Canvas, page: int) -> None:
        """Define the form: the number as a paragraph of the column's style would print it."""
        number = Para(str(page), self.style)
        number.wrap(self.width, self.height)
        canv.beginForm(self.form, -self.width, -self.height, 2 * self.width, 2 * self.height)
        number.drawOn(canv, 0, 0)
        canv.endForm()


class PageNumbers(ActionFlowable):
    """The last thing in the booklet's story: once every section has its page, each contents
    number's form is defined (a PDF may define a form after a page uses it)."""

    def __init__(self, numbers: list[PageNumber], layout: Layout):
        super().__init__()
        self.numbers, self.layout = numbers, layout

    def apply(self, doc: BaseDocTemplate) -> None:
        for number in self.numbers:
            number.fill(doc.canv, self.layout.pages[number.key])


class NotesPadding(Deferred):
    """Where the ruled "Notes" pages go, as many as make the page count a multiple of four with
    the back cover after them: known when the layout gets here, from the page it is on."""

    def __init__(self, labels: Labels, accent: colors.Color | None):
        super().__init__()
        self.labels, self.accent = labels, accent

    def expand(self, doc: BaseDocTemplate) -> list[Flowable]:
        blanks = -(doc.page + 1) % 4
        return [f for _ in range(blanks) for f in (PageBreak(), *notes_page(self.labels, self.accent))]


def back_cover(content: ContentSet, pagesize: tuple[float, float], labels: Labels,
               accent: colors.Color | None = None) -> list[Flowable]:
    """Who to call on a band of the cover's colour (only the ways the settings fill in: a blank
    phone prints no "Phone:"), then the notices every output carries, and the review date."""
    org = content.settings.organisation
    notices = content.notices
    width = text_width(pagesize)
    contact: list[Flowable] = [para(labels("contact_us"), "band_head"), para(org.name, "band_text")]
    if org.phone:
        contact.append(para(f"{labels('phone')}: {org.phone}", "band_line"))
    for label, value, url in ((labels("email"), org.email, org.mail_link),
                              (labels("website"), org.website, org.website)):
        if value:
            contact.append(_address(label, value, url, width, "band_line"))
    foot = [para(notices.disclaimer.text, "callout", accent=accent), para(notices.endorsement.text, "body"),
            para(notices.source_line.text, "body"),
            para(labels("reviewed", date=review_date(content)), "body")]
    # the band as tall as the cover's: laid open, the outside of the booklet shows one band
    return [Band(contact, accent or ACCENT, pagesize, BAND_PAD, COVER_BAND), _at_foot(foot)]


def _address(label: str, shown: str, url: str, width: float, style_name: str = "body") -> Para:
    """"Email: …" with the address broken where a reader expects (after "/", "-"), never in a
    place reportlab would choose between two letters."""
    style = STYLES[style_name]
    head = f"{label}: "
    lines = url_lines(shown, style.fontName, style.fontSize, width - fonts.width(head, style.fontName, style.fontSize))
    shown = TaggedPara(head + link_markup(url, "<br/>".join(markup(line) for line in lines)), style)
    return tagged(shown, role="P")


def _at_foot(flowables: list[Para]) -> Flowable:
    """Paragraphs stacked as one block (spaced as in the flow) and pushed to the foot of the page."""
    return TopPadder(_stack(flowables))


def _stack(flowables: list[Para]) -> Flowable:
    """Paragraphs as one block, spaced as in the flow."""
    spacing = [(side, (0, i), (0, i), getattr(f.style, space)) for i, f in enumerate(flowables)
               for side, space in (("TOPPADDING", "spaceBefore"), ("BOTTOMPADDING", "spaceAfter"))]
    return grid([[f] for f in flowables], None, [*NO_PADDING, *spacing])


class Band(Flowable):
    """Paragraphs on a band of colour as wide as the page, reaching up to its top edge. The band
    is decoration (an artifact, like everything no block tags); the paragraphs keep their tags.
    Its colour is the edition's accent (at least 7:1 against white), so white type on it reads."""

    def __init__(self, inner: list[Para], colour: colors.Color, pagesize: tuple[float, float], pad: float,
                 reach: float = 0.0):
        """`reach`: the share of the page's height the band covers at least (its text at its foot)."""
        super().__init__()
        self.inner, self.colour, self.pagesize, self.pad = inner, colour, pagesize, pad
        self.reach = reach
        self.text_height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        self.width = availWidth
        self.text_height = sum(f.wrap(availWidth, availHeight)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                               for f in self.inner)
        least = self.reach * self.pagesize[1] - TOP  # the band starts TOP above the frame
        self.height = min(max(self.text_height + 2 * self.pad, least), availHeight)
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        """Absolute page coordinates: the band runs from the page's left edge to its right and
        from under the paragraphs to the top edge."""
        canvas.saveState()
        canvas.setFillColor(self.colour)
        canvas.rect(0, y, self.pagesize[0], self.pagesize[1] - y, stroke=0, fill=1)
        canvas.restoreState()
        top = y + self.pad + self.text_height
        for f in self.inner:
            top -= f.getSpaceBefore() + f.height
            f.drawOn(canvas, x, top)
            top -= f.getSpaceAfter()



NOTE_LINE = 0.42 * inch  # room for handwriting between two ruled lines


def notes_page(labels: Labels, accent: colors.Color | None = None) -> list[Flowable]:
    """A page the booklet needs only to make its page count a multiple of four: rather than a
    blank, a "Notes" page ruled for the reader's questions and a doctor's answers (patient
    booklets commonly end so). The heading is read; the lines are drawn, as artifacts."""
    return [para(labels("notes_page"), "h1", accent=accent), Ruled()]


class Ruled(Flowable):
    """Writing lines filling the rest of the frame."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        self.width, self.height = availWidth, max(0.0, availHeight - 1)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []

    def draw(self) -> None:
        canv: Canvas = self.canv
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        y = self.height - NOTE_LINE
        while y >= 0:
            canv.line(0, y, self.width, y)
            y -= NOTE_LINE
        canv.restoreState()
