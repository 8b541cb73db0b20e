"""The one-page red-flag handout: content → PDF bytes.

It must fit one printed page at a size people with low vision can read. So the body size steps
down from 14 pt to 12 pt and the whole page re-flows at each step; when even 12 pt does not fit,
the build fails naming the first block that falls off, instead of shrinking or hiding text.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from reportlab import platypus
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from clearfacts.errors import ContentError, Finding
from clearfacts.model import ContentSet, Links, Loc, Paragraph, Text
from clearfacts.options import BuildOptions
from clearfacts.render import fonts
from clearfacts.render.pdf.compat_reportlab import binary_streams, filled_share, free_height
from clearfacts.render.pdf.document import INK, MIN_SIDE_MARGIN, RULE, SHEET, markup, new_document, review_date
from clearfacts.render.pdf.handout_story import LEADING, Story

SIZES = (14.0, 13.5, 13.0, 12.5, 12.0)  # body sizes to try, largest first
SIDE = MIN_SIDE_MARGIN
TOP = 0.55 * inch
BOTTOM = 0.5 * inch
FOOTER_GAP = 14.0  # between the body and the rule above the footer
FOOTER_SIZE = 12.0
SMALL_SIZE = 10.0  # the source line only, and only while it is short
SMALL_LIMIT = 150  # characters allowed under 12 pt on the whole page


def render_handout(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    """The handout at the largest body size that fits one page, or a ContentError."""
    fonts.register()
    pagesize = SHEET[options.paper]
    footer = _Footer(content, pagesize[0] - 2 * SIDE)
    story = _story(content, SIZES[-1], footer.width)
    _check_glyphs(story.printed + footer.printed)  # the same text is printed at every size
    fit = _lay_out(story, pagesize, footer.height)
    if fit.off is not None:
        loc = story.items[fit.off][1]
        lines = max(1, math.ceil(fit.over / (SIZES[-1] * LEADING)))
        raise ContentError(Finding(loc.path, loc.line,
                                   f"red-flag handout does not fit on one page ({lines} lines over)"))
    # Smaller type never needs more room, so bisect for the largest size that fits. The first
    # probe is the size the smallest one's fill suggests (text grows about as fast as its size),
    # which for a full page settles it in one more layout instead of two or three.
    low, high = 0, len(SIZES) - 1  # SIZES[high] fits; is there a larger one?
    middle = min(high - 1, next((i for i, size in enumerate(SIZES) if size <= SIZES[-1] / fit.fill), high))
    while low < high:
        trial = _story(content, SIZES[middle], footer.width)
        if _lay_out(trial, pagesize, footer.height).off is None:
            story, high = trial, middle
        else:
            low = middle + 1
        middle = (low + high) // 2
    return _build(content, options, stamp, pagesize, footer, [f for f, _ in story.items])


def _story(content: ContentSet, size: float, width: float) -> Story:
    """Headline, the sections in order, the endorsement notice (once), then the organisation."""
    doc = content.handout
    story = Story(size, width)
    story.para(doc.title, "title")
    if doc.subtitle:
        story.para(doc.subtitle, "subtitle")
    endorsement = _endorsement_needed(content)
    for section in doc.sections:
        extra = []
        if endorsement and any(isinstance(b, Links) for b in section.blocks):
            extra, endorsement = [content.notices.endorsement], None
        story.section(section, extra)
    if endorsement:
        story.para(endorsement, "body")
    story.organisation(content)
    return story


def _endorsement_needed(content: ContentSet) -> Text | None:
    """The "a listing is not an endorsement" notice, unless the handout already says it."""
    wanted = " ".join(content.notices.endorsement.text.split())
    for section in content.handout.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph) and " ".join(block.text.text.split()) == wanted:
                return None
    return content.notices.endorsement


def _check_glyphs(printed: list[tuple[Text, str]]) -> None:
    for font in sorted({font for _, font in printed}):
        fonts.check_glyphs([text for text, f in printed if f == font], font)


class _Footer:
    """Reviewed date and disclaimer at 12 pt, the source line under them: drawn at the foot of
    the page after the body, so text extraction reads it last."""

    def __init__(self, content: ContentSet, width: float):
        n = content.notices
        reviewed = Text(f"Reviewed: {review_date(content)}.", (), content.settings.loc)
        small = SMALL_SIZE if len(n.source_line.text) <= SMALL_LIMIT else FOOTER_SIZE
        main = ParagraphStyle(
            "footer", fontName=fonts.BODY, fontSize=FOOTER_SIZE, leading=FOOTER_SIZE * 1.25, textColor=INK
        )
        source = ParagraphStyle("source", main, fontSize=small, leading=small * 1.25)
        self.printed = [(reviewed, fonts.BODY_BOLD), (n.disclaimer, fonts.BODY), (n.source_line, fonts.BODY)]
        self.width = width
        self.flowables: list[Flowable] = [
            platypus.Paragraph(f"<b>{markup(reviewed.text)}</b> {markup(n.disclaimer.text)}", main),
            platypus.Paragraph(markup(n.source_line.text), source),
        ]
        self.heights = [f.wrap(width, 1000)[1] for f in self.flowables]
        self.gap = 3.0
        self.height = sum(self.heights) + self.gap * (len(self.heights) - 1)

    def draw(self, canv: Canvas, _doc: object) -> None:
        """Bottom up from the margin, then a rule halfway between the footer and the body."""
        y = BOTTOM
        for flowable, height in zip(reversed(self.flowables), reversed(self.heights), strict=True):
            flowable.wrapOn(canv, self.width, height)
            flowable.drawOn(canv, SIDE, y)
            y += height + self.gap
        rule = BOTTOM + self.height + FOOTER_GAP / 2
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.75)
        canv.line(SIDE, rule, SIDE + self.width, rule)
        canv.restoreState()


def _frame(pagesize: tuple[float, float], footer_height: float) -> Frame:
    """The one body frame; the same geometry for measuring and for the real build."""
    bottom = BOTTOM + footer_height + FOOTER_GAP
    return Frame(
        SIDE,
        bottom,
        pagesize[0] - 2 * SIDE,
        pagesize[1] - TOP - bottom,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )


@dataclass(frozen=True)
class _Fit:
    off: int | None  # index of the first flowable that does not fit, None when all do
    over: float  # points missing for the rest, when something does not fit
    fill: float  # share of the body frame used, when everything fits


def _lay_out(story: Story, pagesize: tuple[float, float], footer_height: float) -> _Fit:
    """Lay the story into the body frame on a scratch canvas, as the real build will."""
    frame = _frame(pagesize, footer_height)
    canv = Canvas(io.BytesIO(), pagesize=pagesize)
    for index, (flowable, _) in enumerate(story.items):
        try:
            placed = frame.add(flowable, canv)
        except LayoutError:  # taller than the whole frame
            placed = 0
        if not placed:
            room = free_height(frame)
            return _Fit(index, _height(story.items[index:], frame.width, pagesize[1]) - room, 1.0)
    return _Fit(None, 0.0, max(1e-6, filled_share(frame)))


def _height(items: list[tuple[Flowable, Loc]], width: float, page_height: float) -> float:
    return sum(f.wrap(width, page_height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f, _ in items)


def _build(
    content: ContentSet,
    options: BuildOptions,
    stamp: str,
    pagesize: tuple[float, float],
    footer: _Footer,
    flowables: list[Flowable],
) -> bytes:
    doc = content.handout
    buf = io.BytesIO()
    template = PageTemplate(
        id="page", frames=[_frame(pagesize, footer.height)], onPageEnd=footer.draw, pagesize=pagesize
    )
    document = new_document(
        buf,
        pagesize,
        options,
        title=doc.title.text,
        author=content.settings.organisation.name,
        subject=(doc.subtitle or doc.title).text,
        stamp=stamp,
        lang=content.settings.language,
        pageTemplates=[template],
        leftMargin=SIDE,
        rightMargin=SIDE,
        topMargin=TOP,
        bottomMargin=BOTTOM,
    )
    with binary_streams():
        document.build(flowables)
    return buf.getvalue()
