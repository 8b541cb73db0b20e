"""model.Document (the deck) → PPTX bytes: one slide per section, the first a title slide.

Two stages, as in pandoc's PPTX writer: `deck_layout` measures and places every block (and
refuses text that does not fit, naming its YAML line), then `deck_shapes` turns the placed
boxes into shapes. Titles go into title placeholders so screen readers and the outline see them;
every slide carries its speaker notes; the zip is rewritten so equal input gives equal bytes.
"""

from __future__ import annotations

import io

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation
from pptx.shapes.base import BaseShape
from pptx.shapes.placeholder import SlidePlaceholder
from pptx.slide import Slide, SlideLayout
from pptx.util import Emu, Pt

from clearfacts.errors import ContentError, Finding
from clearfacts.model import ContentSet, Loc, Section, Text
from clearfacts.options import BuildOptions
from clearfacts.render import fonts
from clearfacts.render.pptx.compat import compiled_xpath
from clearfacts.render.pptx.layout import (
    TITLE_SIZES,
    Box,
    TextBox,
    fit_frame,
    fit_title,
    plan_body,
)
from clearfacts.render.pptx.repro import fix_chart_workbooks, normalise_zip, set_core_properties
from clearfacts.render.pptx.shapes import add_element, fill_frame
from clearfacts.render.pptx.template import TITLES, open_deck

DECK_TITLE_SIZES = (54, 48, 44, 40, 36)
SUBTITLE_SIZES = (28, 26, 24)  # the lead line is set 4 pt larger
BODY_GAP = Pt(12)  # between the title box and the body
BOTTOM_MARGIN = Pt(32)


def render_deck(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    """The support-group deck as PPTX bytes; `stamp` goes into the keywords property."""
    with compiled_xpath():
        return _render(content, options, stamp)


def _render(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    deck = content.deck
    if not deck.sections:
        raise ContentError(Finding(deck.loc.path, deck.loc.line, "the deck has no sections"))
    meeting = _meeting_lines(content)
    fonts.check_glyphs([*deck.texts(), *meeting], fonts.DECK)
    prs, layouts = open_deck(options.template)
    lang = content.settings.language
    _title_slide(prs, layouts.title, content, meeting, lang)
    for number, section in enumerate(deck.sections[1:], start=2):
        _content_slide(prs, layouts.content, section, number, lang)
    for slide, section in zip(prs.slides, deck.sections, strict=True):
        if section.notes:
            slide.notes_slide.notes_text_frame.text = section.notes.text
    set_core_properties(prs, title=deck.title.text, author=content.settings.organisation.name,
                        subject=deck.subtitle.text if deck.subtitle else deck.title.text, keywords=stamp,
                        language=lang, when=options.when)
    fix_chart_workbooks(prs, options.when)
    out = io.BytesIO()
    prs.save(out)
    return normalise_zip(out.getvalue(), options.when)


def _meeting_lines(content: ContentSet) -> list[Text]:
    """The meeting details as Texts located in settings.yaml, so a misfit names that file."""
    s = content.settings
    m = s.meeting
    lines = dict(s.lines)

    def text(value: str, key: str) -> Text:
        return Text(value, (), Loc(s.loc.path, lines.get(f"meeting.{key}", s.loc.line)))

    return [text(m.group, "group"), text(f"{m.date} · {m.time}", "date"), text(m.place, "place"),
            text(f"Facilitator: {m.facilitator}", "facilitator")]


def _new_slide(prs: Presentation, layout: SlideLayout, keep: set[PP_PLACEHOLDER]) -> Slide:
    """A slide on `layout` with only the placeholders we fill: empty ones confuse screen readers."""
    slide = prs.slides.add_slide(layout)
    for ph in list(slide.placeholders):
        if ph.placeholder_format.type not in keep:
            ph.element.getparent().remove(ph.element)  # python-pptx has no public delete
    return slide


def _title_slide(prs: Presentation, layout: SlideLayout, content: ContentSet, meeting: list[Text], lang: str) -> None:
    deck = content.deck
    slide = _new_slide(prs, layout, {*TITLES, PP_PLACEHOLDER.SUBTITLE})
    title = _title_placeholder(slide)
    title_box = _box(title)
    fill_frame(title.text_frame, (fit_title(deck.title, title_box, DECK_TITLE_SIZES, 1),), lang)
    subtitle = next((ph for ph in slide.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE), None)
    box = _subtitle_box(prs, subtitle) if subtitle is not None else _body_region(prs, title_box)
    lines = [(deck.subtitle, True)] if deck.subtitle else []
    lines += [(meeting[0], True)] + [(line, False) for line in meeting[1:]]
    paras = fit_frame(lines, box, SUBTITLE_SIZES, 1)
    if subtitle is not None:
        fill_frame(subtitle.text_frame, paras, lang)
    else:
        add_element(slide, TextBox(box, paras), lang)


def _content_slide(prs: Presentation, layout: SlideLayout, section: Section, number: int, lang: str) -> None:
    slide = _new_slide(prs, layout, set(TITLES))
    title = _title_placeholder(slide)
    title_box = _box(title)
    fill_frame(title.text_frame, (fit_title(section.title, title_box, TITLE_SIZES, number),), lang)
    for element in plan_body(section.blocks, _body_region(prs, title_box), number):
        add_element(slide, element, lang)


def _subtitle_box(prs: Presentation, subtitle: BaseShape) -> Box:
    """The subtitle placeholder, grown down to the bottom margin: meeting details share it."""
    box = _box(subtitle)
    grown = Box(box.x, box.y, box.w, max(box.h, _bottom(prs) - box.y))
    for attr, value in zip(("left", "top", "width", "height"), (grown.x, grown.y, grown.w, grown.h), strict=True):
        setattr(subtitle, attr, Pt(value))  # all four: setting one alone zeroes the others
    return grown


def _title_placeholder(slide: Slide) -> SlidePlaceholder:
    return next(ph for ph in slide.placeholders if ph.placeholder_format.type in TITLES)


def _box(shape: BaseShape) -> Box:
    """A placeholder's position (inherited from its layout) in points."""
    return Box(*(Emu(getattr(shape, k)).pt for k in ("left", "top", "width", "height")))


def _body_region(prs: Presentation, title: Box) -> Box:
    """Below the title, with the title's left margin mirrored on the right."""
    top = title.bottom + BODY_GAP.pt
    return Box(title.x, top, Emu(prs.slide_width).pt - 2 * title.x, _bottom(prs) - top)


def _bottom(prs: Presentation) -> float:
    return Emu(prs.slide_height).pt - BOTTOM_MARGIN.pt
