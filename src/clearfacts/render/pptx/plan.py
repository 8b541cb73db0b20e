"""The deck as measured slides, before any shape exists: content + the template's geometry →
what goes on each slide, at which size, with which notes, and what a reviewer should be told.

This is pandoc's "content → slide model" stage for the deck. It knows nothing about
python-pptx, so `deck.py` can draw the plan and `deck_warnings` can report on it without drawing.

Slide 1 is the title slide: the deck's title, its subtitle and the meeting details. Blocks in the
deck's first section are drawn on it too, under the meeting details, at the largest sizes that
leave room for both; what does not fit there is refused (exit 2) naming its line, never dropped:
a title slide does not continue. Every other section is one slide, or more when its body does not
fit the template's body area (see `paginate`): the follow-on slides repeat the title marked
"(2 of 2)", the section's speaker notes stay on its first slide and each follow-on slide gets a
short note of its own, and a warning names the line where the body was cut.
"""

from __future__ import annotations

from msgspec import Struct

from clearfacts.errors import ContentError, Finding
from clearfacts.locales import meeting_date, meeting_time
from clearfacts.model import Block, ContentSet, Loc, Paragraph, Section, Table, Text
from clearfacts.render import fonts
from clearfacts.render.dates import review_date
from clearfacts.render.labels import labels_for
from clearfacts.render.pptx.arrange import Rules, fit_body, plan_body
from clearfacts.render.pptx.closing import closing_panels
from clearfacts.render.pptx.layout import (
    LADDER,
    LINE,
    TITLE_SIZES,
    Box,
    Element,
    Misfit,
    Para,
    Piece,
    below_title,
    fit_frame,
    fit_title,
    frame_height,
)
from clearfacts.render.pptx.paginate import CUTTABLE, Page, paginate

DECK_TITLE_SIZES = (54, 48, 44, 40, 36)
SUBTITLE_SIZES = (28, 26, 24)  # the subtitle is set 6 pt larger, in regular weight; the group's name in bold
COVER_GAP = 12.0  # points between the meeting details and blocks drawn under them
DIVIDER_SIZES = (54, 48, 44, 40)  # a section divider's title, up to two lines


class Geometry(Struct, frozen=True):
    """Where the template puts things, in points."""

    cover_title: Box  # the title slide's title placeholder
    cover_text: Box  # the subtitle placeholder grown to the bottom margin, or the area under the title
    title: Box  # every other slide's title placeholder
    body: Box  # every other slide's body area


class TitleSlide(Struct, frozen=True):
    title: Para
    lines: tuple[Para, ...]  # subtitle and meeting details
    lines_box: Box
    body: tuple[Element, ...]  # the first section's blocks, under the meeting details
    notes: str | None


class ContentSlide(Struct, frozen=True):
    title: Para
    body: tuple[Element, ...]
    notes: str | None
    title_box: Box | None = None  # when the title needs more room than its layout gives it (or a divider's)
    divider: bool = False  # a section divider: the title alone, large, in the middle of the slide
    footer: str = ""  # the closing slide's "Reviewed: <date>", in its date placeholder


class DeckPlan(Struct, frozen=True):
    cover: TitleSlide
    slides: tuple[ContentSlide, ...]
    warnings: tuple[Finding, ...]  # severity "warning": a body continued on follow-on slides

    def notes(self) -> list[str | None]:
        """Speaker notes slide by slide, the title slide first."""
        return [self.cover.notes, *(s.notes for s in self.slides)]


def check_deck(content: ContentSet) -> list[Text]:
    """Refuse a deck that cannot be drawn at all (exit 2); return the meeting lines it shows."""
    deck = content.deck
    if not deck.sections:
        raise ContentError(Finding(deck.loc.path, deck.loc.line, "the deck has no sections"))
    meeting = meeting_lines(content)
    fonts.check_glyphs([*deck.texts(), *meeting], fonts.DECK)
    return meeting


def plan_deck(content: ContentSet, meeting: list[Text], geometry: Geometry) -> DeckPlan:
    """Every slide measured; ContentError naming file:line and slide when something cannot fit.

    The deck has one body size: the largest that every slide's body fits at on one slide (a
    section that needs follow-on slides anyway does not pull the others down). Sections with no
    blocks are section dividers; the last section is the closing slide, with the next meeting,
    the organisation's contact and the review date (see `closing`)."""
    deck = content.deck
    cover = _cover(content, meeting, geometry)
    slides: list[ContentSlide] = []
    warnings: list[Finding] = []
    labels = labels_for(content)
    label, note = labels.words["continued"], labels("continued_note")
    last = deck.sections[-1] if len(deck.sections) > 1 else None
    figures = _figures(content)
    panel, beside = _closing(content, last, geometry.body, figures) if last is not None else ((), geometry.body)
    if last is not None and not panel:
        warnings.append(_no_room(last))
    regions = {id(s): beside if s is last else geometry.body for s in deck.sections[1:]}
    rules, first = _deck_rules(content, regions, figures)
    for section in deck.sections[1:]:
        number = 2 + len(slides)
        notes = section.notes.text if section.notes else None
        if not section.blocks:
            box = _divider_box(geometry)
            slides.append(ContentSlide(fit_title(section.title, box, DIVIDER_SIZES, number), (), notes, box, True))
            continue
        title = fit_title(section.title, geometry.title, TITLE_SIZES, number)
        region = regions[id(section)]
        fitted = first.get(id(section))
        pages = (Page(section.blocks, fitted),) if fitted is not None else paginate(section.blocks, region, number,
                                                                                     rules=rules)
        follow = geometry.title
        if len(pages) > 1:
            follow = _follow_box(Text(label.format(title=section.title.text, part=2, parts=2), (), section.title.loc),
                                 geometry.title)
            if follow != geometry.title:
                pages = paginate(section.blocks, region, number, below_title(follow, region), rules)
        closing = section is last
        footer = labels("reviewed", date=review_date(content)) if closing else ""
        slides.append(ContentSlide(title, pages[0].elements + (panel if closing and len(pages) == 1 else ()), notes,
                                   footer=footer if len(pages) == 1 else ""))
        for part, page in enumerate(pages[1:], 2):
            marked = _marked_title(section.title, label, part, len(pages), follow, number + part - 1)
            end = closing and part == len(pages)
            slides.append(ContentSlide(marked, page.elements + (panel if end else ()), note,
                                       None if follow == geometry.title else follow, footer=footer if end else ""))
        if len(pages) > 1:
            warnings.append(_continued(section, pages, number, label))
    return DeckPlan(cover, tuple(slides), tuple(warnings))


def _figures(content: ContentSet) -> frozenset[Text]:
    """The deck's key figures: paragraphs that are one fact's display form and nothing else."""
    return frozenset(b.text for s in content.deck.sections for b in s.blocks if isinstance(b, Paragraph)
                     and len(b.text.facts) == 1 and b.text.facts[0] in content.facts
                     and b.text.text.strip() == content.facts[b.text.facts[0]].display)


def _closing(content: ContentSet, last: Section, body: Box, figures: frozenset[Text]
             ) -> tuple[tuple[Element, ...], Box]:
    """The closing panel where the last section's blocks still fit beside it; none when they
    fit nowhere with it (a last slide full of QR codes): the slide keeps its own text whole, and
    `_no_room` says why the panel is missing."""
    wide = Rules(LADDER, figures)
    options = closing_panels(content, body)
    return next((o for o in options if not isinstance(fit_body(last.blocks, o[1], wide), Text)), ((), body))


def _no_room(last: Section) -> Finding:
    message = ("the deck's last slide has no room for the next meeting and the contact details beside its own "
               "text: shorten it, or end the deck with a short closing section")
    return Finding(last.loc.path, last.loc.line, message, severity="warning")


def _deck_rules(content: ContentSet, regions: dict[int, Box], figures: frozenset[Text]
                ) -> tuple[Rules, dict[int, tuple[Element, ...]]]:
    """The deck's rules (one body size, its key figures) and the bodies already placed at that
    size, by section, so a section that fits is measured once."""
    wide = Rules(LADDER, figures)
    fitted: dict[int, tuple[tuple[Element, ...], int]] = {}
    for section in content.deck.sections[1:]:
        if section.blocks:
            got = fit_body(section.blocks, regions[id(section)], wide)
            if not isinstance(got, Text):
                fitted[id(section)] = got
    body = min((LADDER[rung].body for _, rung in fitted.values()), default=LADDER[0].body)
    rules = Rules(tuple(s for s in LADDER if s.body <= body), figures)
    return rules, {key: elements for key, (elements, rung) in fitted.items() if LADDER[rung].body == body}


def _divider_box(geometry: Geometry) -> Box:
    """A divider's title: across the body area, two lines of the largest size tall, a little
    above its middle (its accent rule goes above it)."""
    h = 2 * DIVIDER_SIZES[0] * LINE + 8
    body = geometry.body
    return Box(body.x, body.y + (body.h - h) * 0.4, body.w, h)


def meeting_lines(content: ContentSet) -> list[Text]:
    """The meeting details as Texts located in settings.yaml, so a misfit names that file."""
    s = content.settings
    m = s.meeting
    when = f"{meeting_date(m.date, s.language)} · {meeting_time(m.time, s.language)}"
    return [s.text("meeting.group", m.group), s.text("meeting.date", when),
            s.text("meeting.place", m.place),
            s.text("meeting.facilitator", labels_for(content)("facilitator", name=m.facilitator))]


def _cover(content: ContentSet, meeting: list[Text], geometry: Geometry) -> TitleSlide:
    deck = content.deck
    first = deck.sections[0]
    title = fit_title(deck.title, geometry.cover_title, DECK_TITLE_SIZES, 1)
    lines = [(deck.subtitle, False)] if deck.subtitle else []  # larger, regular: the group's name is the bold one
    lines += [(meeting[0], True)] + [(line, False) for line in meeting[1:]]
    notes = first.notes.text if first.notes else None
    box = geometry.cover_text
    if not first.blocks:
        return TitleSlide(title, fit_frame(lines, box, SUBTITLE_SIZES, 1), box, (), notes)
    lines_error: ContentError | None = None
    blocks_error: ContentError | None = None
    for size in SUBTITLE_SIZES:  # the largest details that leave the blocks room at some body size
        try:
            paras = fit_frame(lines, box, (size,), 1)
        except ContentError as err:
            lines_error = err
            continue
        used = frame_height(paras, box.w)
        top = box.y + used + COVER_GAP
        try:
            body = plan_body(first.blocks, Box(box.x, top, box.w, box.bottom - top), 1)
        except ContentError as err:
            blocks_error = err
            continue
        return TitleSlide(title, paras, Box(box.x, box.y, box.w, used), body, notes)
    if blocks_error is None:
        assert lines_error is not None
        raise lines_error  # the meeting details alone do not fit
    finding = blocks_error.findings[0]
    raise ContentError(Finding(finding.path, finding.line,
                               f"text does not fit on the title slide (slide 1) under the meeting details even at "
                               f"{LADDER[-1].body:g} pt: shorten it or move it to the next section"))


def _loc(block: Block) -> Loc:
    return block.text.loc if isinstance(block, Paragraph) else block.loc


def _follow_box(marked: Text, box: Box) -> Box:
    """A follow-on slide's title box: the layout's, or, when the "(2 of 2)" mark needs one more
    line at the smallest title size, that much taller (as PowerPoint grows a title to fit its
    text); the body under it moves down by as much. Digits share one width, so "(2 of 2)" stands
    for every mark."""
    try:
        fit_title(marked, box, TITLE_SIZES, 0)
        return box
    except ContentError:
        pass
    floor = TITLE_SIZES[-1]
    try:
        needed = frame_height((Para((Piece(marked.text, bold=True),), marked, floor),), box.w)
    except Misfit:
        return box  # a word wider than the box: `_marked_title` names it
    return Box(box.x, box.y, box.w, needed) if needed - box.h <= floor * LINE else box


def _marked_title(title: Text, label: str, part: int, parts: int, box: Box, slide: int) -> Para:
    """A follow-on slide's title: the section's, marked "(2 of 2)"; when the mark makes it too
    long, the message says so (the title alone fits its own slide)."""
    marked = Text(label.format(title=title.text, part=part, parts=parts), title.facts, title.loc)
    try:
        return fit_title(marked, box, TITLE_SIZES, slide)
    except ContentError:
        message = (f"the title does not fit on slide {slide} as \"{marked.text}\" even at {TITLE_SIZES[-1]:g} pt "
                   "(this template needs a follow-on slide for the section): shorten the title or the slide's text")
        raise ContentError(Finding(title.loc.path, title.loc.line, message)) from None


def _continued(section: Section, pages: tuple[Page, ...], number: int, label: str) -> Finding:
    """The warning for a section cut over slides: it names the list or table that was cut, or the
    block the second slide starts with, the slides it goes on to and their title."""
    first_cut = pages[1].blocks[0]
    inside = isinstance(first_cut, CUTTABLE) and _loc(pages[0].blocks[-1]) == _loc(first_cut)
    kind = ("table" if isinstance(first_cut, Table) else "list") if inside else "text"
    loc = _loc(first_cut)
    last = number + len(pages) - 1
    where = f"slide {number + 1}" if last == number + 1 else f"slides {number + 1}-{last}"
    shown = label.format(title=section.title.text, part=2, parts=len(pages))
    message = (f"the body of slide {number} does not fit this template's body area even at {LADDER[-1].body:g} pt, "
               f"so this {kind} continues on {where} (\"{shown}\"); shorten it or split the section to keep one slide")
    return Finding(loc.path, loc.line, message, severity="warning", rule="slide-continued")
