"""The one-page red-flag handout: content → PDF bytes.

It must fit one printed page at a size people with low vision can read. So the body size steps
down from 14 pt to 12 pt and the whole page re-flows at each step; when even 12 pt does not fit,
the build fails naming the section that takes the most room and how many lines must go
(`overflow.py`), instead of shrinking or hiding text.

The footer (the organisation's contact area, the review date with the disclaimer, the source
line) sits at the foot of the page. Its room is reserved for the longest settings values
allowed and the longest date, so the body's room depends only on the content: a valid
settings file can never be why the handout does not fit.
"""

from __future__ import annotations

import io

from reportlab import platypus
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, FrameBreak, PageTemplate

from clearfacts.errors import ContentError
from clearfacts.model import ContentSet, Links, Paragraph, Section, Text
from clearfacts.options import BuildOptions
from clearfacts.render import fonts
from clearfacts.render.dates import review_date, widest_date
from clearfacts.render.labels import labels_for
from clearfacts.render.pdf import contact
from clearfacts.render.pdf.document import (
    INK,
    MIN_SIDE_MARGIN,
    RULE,
    SHEET,
    accent_of,
    build_tagged,
    markup,
    new_document,
)
from clearfacts.render.pdf.handout_columns import SLACK, Plan, column_width, costs, halves, plan
from clearfacts.render.pdf.handout_story import BOTTOM as BOTTOM_ZONE
from clearfacts.render.pdf.handout_story import COLUMNS, Story
from clearfacts.render.pdf.handout_story import TOP as TOP_ZONE
from clearfacts.render.pdf.logo import draw_logo
from clearfacts.render.pdf.overflow import overflow
from clearfacts.render.pdf.tags import Tag, mark, para

SIZES = (14.0, 13.5, 13.0, 12.5, 12.0)  # body sizes to try, largest first
SIDE = MIN_SIDE_MARGIN
TOP = 0.55 * inch
BOTTOM = 0.5 * inch
FOOTER_GAP = 14.0  # between the body's room and the footer's
GAP = 3.0  # between the footer's parts
FOOTER_SIZE = 12.0
SMALL_SIZE = 10.0  # the source line only, and only while it is short
SMALL_LIMIT = 150  # characters allowed under 12 pt on the whole page
LINE = 72  # characters, about, in a line of the footer's notice (the line-length rule allows 75)
LOGO_GAP = 18.0  # between the contact lines, or the notice, and a logo beside them


def render_handout(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    """The handout at the largest body size that fits one page, or a ContentError."""
    fonts.register()
    pagesize = SHEET[options.paper]
    footer = _Footer(content, pagesize[0] - 2 * SIDE)
    spare = footer.logo_box is not None
    room = pagesize[1] - TOP - _bottom(footer.reserved)
    story = _story(content, SIZES[-1], footer.width, spare)
    check_glyphs(story.printed + footer.printed)  # the same text is printed at every size
    layout = plan(story, room)
    if layout is None:
        raise ContentError(overflow(story, 2 * room, heights=costs(story)))
    # Smaller type never needs more room, so bisect for the largest size that fits. The first
    # probe is the size the smallest one's fill suggests (text grows about as fast as its size),
    # which for a full page settles it in one more layout instead of two or three.
    fill = max(1e-6, layout.total / room)
    low, high = 0, len(SIZES) - 1  # SIZES[high] fits; is there a larger one?
    middle = min(high - 1, next((i for i, size in enumerate(SIZES) if size <= SIZES[-1] / fill), high))
    while low < high:
        trial = _story(content, SIZES[middle], footer.width, spare)
        trial_layout = plan(trial, room)
        if trial_layout is not None:
            story, layout, high = trial, trial_layout, middle
        else:
            low = middle + 1
        middle = (low + high) // 2
    footer.logo_shown = story.logo_left_out
    return _build(content, options, stamp, pagesize, footer, story, layout)


def _story(content: ContentSet, size: float, width: float, logo_elsewhere: bool) -> Story:
    return story_for(content, size, width, logo_elsewhere=logo_elsewhere, column=column_width(width, size))


def story_for(content: ContentSet, size: float, width: float, large: bool = False,
              logo_elsewhere: bool = False, column: float = 0.0) -> Story:
    """Title (the one-page handout's: a band with the organisation), the sections in order,
    then the endorsement notice (once); `large` print sets headings at 24 pt or more and keeps
    them with what follows. A first section with a call-out leads: its call-out is the main
    message, across the top. A last section of call-outs only is the bottom line, across the
    foot. `logo_elsewhere`: the page has room for an edition's logo if the title has none.
    `column`: the width of the one-page handout's columns."""
    doc = content.handout
    settings = content.settings
    story = Story(size, width, settings.language, large, settings.brand, logo_elsewhere, column)
    logo_at = settings.text("logo", "").loc
    if large:
        story.title(doc.title, logo_at)
    else:
        story.band(content.settings.text("organisation.name", settings.organisation.name), doc.title, logo_at)
    if doc.subtitle:
        story.para(doc.subtitle, "subtitle")
    endorsement = _endorsement_needed(content)
    sections = list(doc.sections)
    closing = sections.pop() if len(sections) > 1 and _all_callouts(sections[-1]) else None
    if sections and any(isinstance(b, Paragraph) and b.emphasis for b in sections[0].blocks):
        story.lead(sections.pop(0))
    story.into(COLUMNS)
    for section in sections:
        extra = []
        if endorsement and any(isinstance(b, Links) for b in section.blocks):
            extra, endorsement = [content.notices.endorsement], None
        story.section(section, extra)
    if endorsement:
        story.para(endorsement, "body")
    if closing is not None:
        story.closing(closing)
    return story


def _all_callouts(section: Section) -> bool:
    return bool(section.blocks) and all(isinstance(b, Paragraph) and b.emphasis for b in section.blocks)


def _endorsement_needed(content: ContentSet) -> Text | None:
    """The "a listing is not an endorsement" notice, unless the handout already says it."""
    wanted = " ".join(content.notices.endorsement.text.split())
    for section in content.handout.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph) and " ".join(block.text.text.split()) == wanted:
                return None
    return content.notices.endorsement


def check_glyphs(printed: list[tuple[Text, str]]) -> None:
    for font in sorted({font for _, font in printed}):
        fonts.check_glyphs([text for text, f in printed if f == font], font)


class _Footer:
    """Who to call, the reviewed date and disclaimer, then the source line: drawn at the foot of
    the page after the body, so text extraction reads it last. `height` is what it takes,
    `reserved` what any valid settings could take (the body's frame ends above that)."""

    def __init__(self, content: ContentSet, width: float):
        n = content.notices
        org = content.settings.organisation
        self.width = width
        brand = content.settings.brand
        self.rule = accent_of(brand) if brand is not None and brand.accent else RULE
        self.contact = contact.lay_out(org, width)
        self.brand = brand
        self.logo_shown = False
        main = ParagraphStyle(
            "footer", fontName=fonts.BODY, fontSize=FOOTER_SIZE, leading=FOOTER_SIZE * 1.25, textColor=INK
        )
        small = SMALL_SIZE if len(n.source_line.text) <= SMALL_LIMIT else FOOTER_SIZE
        source = ParagraphStyle("source", main, fontSize=small, leading=small * 1.25)
        labels = labels_for(content)
        reviewed = Text(f"{labels('reviewed', date=review_date(content))}.", (), content.settings.loc)
        self.printed = [(reviewed, fonts.BODY_BOLD), (n.disclaimer, fonts.BODY), (n.source_line, fonts.BODY)]
        self.printed += [(content.settings.text("organisation.name", org.name), fonts.BODY_BOLD)]
        self.printed += [(content.settings.text(f"organisation.{key}", getattr(org, key)), fonts.BODY)
                         for key in ("phone", "email", "website")]
        notice = f"{reviewed.text} {n.disclaimer.text}"
        # the notice is read as a sentence: lines of at most LINE characters, as the body's
        self.measure = min(width, LINE * fonts.width(notice, fonts.BODY, FOOTER_SIZE) / len(notice))
        self.flowables: list[Flowable] = [
            para(f"<b>{markup(reviewed.text)}</b> {markup(n.disclaimer.text)}", main, Tag((("P", "notice"),))),
            para(markup(n.source_line.text), source, Tag((("P", "source"),))),
        ]
        self.widths = [self.measure, width]
        self.heights = [f.wrap(w, 1000)[1] for f, w in zip(self.flowables, self.widths, strict=True)]
        longest = platypus.Paragraph(f"<b>{markup(_longest_reviewed(content))}</b> {markup(n.disclaimer.text)}", main)
        notices = max(self.heights[0], longest.wrap(self.measure, 1000)[1]) + GAP + self.heights[1]
        self.reserved = contact.reserved_height(width) + GAP + notices
        room = _logo_room(self.contact, width, self.measure, self.heights[0]) if brand and brand.logo_data else None
        self.logo_box, self.logo_by_notice = room if room is not None else (None, False)

    def draw(self, canv: Canvas, _doc: object) -> None:
        """Stacked up from the bottom margin, drawn top down (so a screen reader meets the contact
        area first), with a rule just above it."""
        bottoms = [BOTTOM]
        for height in reversed(self.heights[1:]):
            bottoms.insert(0, bottoms[0] + height + GAP)
        top = bottoms[0] + self.heights[0] + GAP + self.contact.height
        with mark(canv, Tag((("P", "contact"),))):
            self.contact.draw(canv, SIDE, top)
        if self.logo_shown and self.brand is not None and self.logo_box is not None:
            logo_top = bottoms[0] + self.heights[0] if self.logo_by_notice else top
            draw_logo(canv, self.brand, SIDE + self.width, logo_top, self.logo_box)
        for flowable, width, height, y in zip(self.flowables, self.widths, self.heights, bottoms, strict=True):
            flowable.wrapOn(canv, width, height)
            flowable.drawOn(canv, SIDE, y)
        rule = top + FOOTER_GAP / 2
        canv.saveState()
        canv.setStrokeColor(self.rule)
        canv.setLineWidth(0.75)
        canv.line(SIDE, rule, SIDE + self.width, rule)
        canv.restoreState()


def _logo_room(block: contact.ContactBlock, width: float, notice_width: float,
               notice_height: float) -> tuple[tuple[float, float], bool] | None:
    """A box for the logo inside the footer's own room, so the body's room is the same with or
    without a logo, and whether it is beside the notice: at the right of the contact lines, as
    tall as they are, when their longest line leaves one at least as wide as it is tall; else
    (a clinic's long name, address or website) at the right of the reviewed date and disclaimer,
    which are set narrower than the page, as tall as their lines. None when neither has room."""
    longest = max((sum(fonts.width(r.text, r.font, block.size) for r in line) for line in block.lines), default=0.0)
    for free, height, by_notice in ((width - longest - LOGO_GAP, block.height, False),
                                    (width - notice_width - LOGO_GAP, notice_height, True)):
        if free >= height > 0:
            return (min(free, 3 * height), height), by_notice
    return None


def _longest_reviewed(content: ContentSet) -> str:
    """The widest "Reviewed:" line any date can print in the content's language, to reserve its room."""
    date = widest_date(content.settings.language, lambda s: fonts.width(s, fonts.BODY_BOLD, FOOTER_SIZE))
    return f"{labels_for(content)('reviewed', date=date)}."


def _bottom(reserved: float) -> float:
    """Where the body ends: above the footer's reserved room, whatever the footer now holds."""
    return BOTTOM + reserved + FOOTER_GAP


def _frames(pagesize: tuple[float, float], layout: Plan, width: float, size: float) -> list[Frame]:
    """The top, the two columns and the bottom, each as tall as the plan measured."""
    column = column_width(width, size)
    top_y = pagesize[1] - TOP - layout.top - SLACK
    columns_y = top_y - layout.gap - layout.columns - SLACK
    bottom_y = columns_y - layout.gap - layout.bottom - SLACK
    spec = [("top", SIDE, top_y, width, layout.top), ("left", SIDE, columns_y, column, layout.columns),
            ("right", SIDE + width - column, columns_y, column, layout.columns),
            ("bottom", SIDE, bottom_y, width, layout.bottom)]
    return [Frame(x, y, w, h + SLACK, id=name, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
            for name, x, y, w, h in spec]


def _build(
    content: ContentSet,
    options: BuildOptions,
    stamp: str,
    pagesize: tuple[float, float],
    footer: _Footer,
    story: Story,
    layout: Plan,
) -> bytes:
    doc = content.handout
    buf = io.BytesIO()
    zones = {zone: [f for (f, _), z in zip(story.items, story.zones, strict=True) if z == zone]
             for zone in (TOP_ZONE, COLUMNS, BOTTOM_ZONE)}
    left, right = zones[COLUMNS][: layout.split], zones[COLUMNS][layout.split :]
    if layout.cut:  # one paragraph runs on from the left column into the right
        above, below = halves(right[0], column_width(footer.width, story.size), layout.cut)
        left, right = [*left, above], [below, *right[1:]]
    flowables = [*zones[TOP_ZONE], FrameBreak, *left, FrameBreak, *right, FrameBreak, *zones[BOTTOM_ZONE]]
    template = PageTemplate(id="page", frames=_frames(pagesize, layout, footer.width, story.size),
                            onPageEnd=footer.draw, pagesize=pagesize)
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
    return build_tagged(document, buf, flowables)
