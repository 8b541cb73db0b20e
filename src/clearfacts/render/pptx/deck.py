"""model.Document (the deck) → PPTX bytes: one slide per section (or more, see `plan`), the first
a title slide.

Two stages, as in pandoc's PPTX writer: `plan.plan_deck` measures and places every block (and
refuses text that does not fit, naming its YAML line), then this module turns the plan into
shapes. Titles go into title placeholders so screen readers and the outline see them; every
slide carries its speaker notes; the zip is rewritten so equal input gives equal bytes.
A deck whose plan differs from the last one this process drew on a few slides only (an edition
of the same content) draws just those slides: `reuse` puts them in that deck's place.

The body goes in the template's body area: the body placeholder of the layout the slides use,
when it has one (see `template.body_area`), else everything under the title, as in the house style.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence

import msgspec
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR
from pptx.presentation import Presentation
from pptx.shapes.placeholder import LayoutPlaceholder, SlidePlaceholder
from pptx.slide import Slide, SlideLayout
from pptx.util import Emu, Pt

from clearfacts.errors import Finding
from clearfacts.model import ContentSet
from clearfacts.options import BuildOptions
from clearfacts.render.pptx.compat import compiled_xpath
from clearfacts.render.pptx.furniture import add_date, add_slide_number, footer_boxes, placeholder_indexes
from clearfacts.render.pptx.layout import BODY_GAP, INSET_X, Box, TextBox, below_title
from clearfacts.render.pptx.plan import ContentSlide, DeckPlan, Geometry, TitleSlide, check_deck, plan_deck
from clearfacts.render.pptx.repro import fix_chart_workbooks, normalise_zip, set_core_properties
from clearfacts.render.pptx.reuse import KEPT
from clearfacts.render.pptx.shapes import INK, add_element, add_logo, fill_frame
from clearfacts.render.pptx.template import ACCENT, TITLES, Layouts, open_deck, points, rgb

BOTTOM_MARGIN = Pt(32)
LOGO_TOP, LOGO_HEIGHT, LOGO_MIN = Pt(0.3 * 72), Pt(0.9 * 72), Pt(0.4 * 72)


def render_deck(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    """The support-group deck as PPTX bytes; `stamp` goes into the keywords property."""
    with compiled_xpath():
        return _render(content, options, stamp)


def deck_warnings(content: ContentSet, options: BuildOptions) -> list[Finding]:
    """What a build should print about the deck without stopping (severity "warning"): each
    section whose body continues on follow-on slides with this template. Measures, draws nothing;
    raises the same ContentError a render would."""
    meeting = check_deck(content)
    prs, layouts = open_deck(options.template)
    return list(plan_deck(content, meeting, _geometry(prs, layouts)).warnings)


def _render(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    meeting = check_deck(content)
    brand = content.settings.brand
    accent = brand.accent if brand is not None else ""
    prs, layouts = open_deck(options.template, accent)
    geometry = _geometry(prs, layouts)
    plan = plan_deck(content, meeting, geometry)
    lang = content.settings.language
    logo = (hashlib.sha256(brand.logo_data).digest(), brand.logo_alt) if brand is not None and brand.logo_data else ()
    slides = [msgspec.msgpack.encode((plan.cover, logo)),
              *(msgspec.msgpack.encode((planned, number)) for number, planned in enumerate(plan.slides, 2))]
    template = hashlib.sha256(options.template.read_bytes()).digest() if options.template else b""
    opened = [(prs, layouts)]  # the first drawing uses the presentation opened to measure the template

    def draw(only: Sequence[int] | None) -> bytes:
        deck, its_layouts = opened.pop() if opened else open_deck(options.template, accent)
        return _draw(deck, its_layouts, geometry, plan, content, options, stamp, only)

    # A deck with a logo is kept apart from one without (and a PNG's from a JPEG's): their title
    # slides own different parts, so neither could be made from the other.
    kind = (template, accent, lang, options.when, brand.logo_data[:4] if brand is not None else b"")
    return KEPT.deck(kind, slides, draw, options.when)


def _draw(prs: Presentation, layouts: Layouts, geometry: Geometry, plan: DeckPlan, content: ContentSet,
          options: BuildOptions, stamp: str, only: Sequence[int] | None) -> bytes:
    """The planned slides at the places `only` (from 0, the title slide; all when None) drawn
    into `prs`, with their notes and the deck's document properties, as the file's bytes."""
    deck, brand, lang = content.deck, content.settings.brand, content.settings.language
    wanted = set(range(len(plan.slides) + 1) if only is None else only)
    accent = rgb(brand.accent.lstrip("#")) if brand is not None and brand.accent else ACCENT
    if 0 in wanted:
        slide = _title_slide(prs, layouts.title, plan.cover, lang, accent)
        if brand is not None and brand.logo_data:
            add_logo(slide, brand.logo_data, brand.logo_alt, _logo_box(prs, geometry.cover_title))
    footers = footer_boxes(Emu(prs.slide_width).pt, Emu(prs.slide_height).pt, geometry.title.x, BOTTOM_MARGIN.pt)
    indexes = placeholder_indexes(layouts.content)
    for number, planned in enumerate(plan.slides, 2):
        if number - 1 not in wanted:
            continue
        slide = _content_slide(prs, layouts.content, planned, lang, accent)
        add_slide_number(slide, number, footers[1], lang, INK, indexes["sldNum"])
        if planned.footer:
            add_date(slide, planned.footer, footers[0], lang, INK, indexes["dt"])
    _add_notes(prs, [notes for place, notes in enumerate(plan.notes()) if place in wanted])
    set_core_properties(prs, title=deck.title.text, author=content.settings.organisation.name,
                        subject=deck.subtitle.text if deck.subtitle else deck.title.text, keywords=stamp,
                        language=lang, when=options.when)
    fix_chart_workbooks(prs, options.when)
    out = io.BytesIO()
    prs.save(out)
    return normalise_zip(out.getvalue(), options.when)


def _add_notes(prs: Presentation, notes_by_slide: list[str | None]) -> None:
    """After every slide has its shapes, so each slide's relationships keep their order."""
    for slide, notes in zip(prs.slides, notes_by_slide, strict=True):
        if notes:
            slide.notes_slide.notes_text_frame.text = notes


def _geometry(prs: Presentation, layouts: Layouts) -> Geometry:
    """The template's boxes in points, read from the layouts the slides will use."""
    cover_title = points(_title_placeholder(layouts.title))
    subtitle = _subtitle(layouts.title)
    cover_text = _grown(prs, points(subtitle)) if subtitle is not None else _body_region(prs, cover_title, None)
    title = points(_title_placeholder(layouts.content))
    return Geometry(cover_title, cover_text, title, _body_region(prs, title, layouts.body))


def _new_slide(prs: Presentation, layout: SlideLayout, keep: set[PP_PLACEHOLDER]) -> Slide:
    """A slide on `layout` with only the placeholders we fill: empty ones confuse screen readers."""
    slide = prs.slides.add_slide(layout)
    for ph in list(slide.placeholders):
        if ph.placeholder_format.type not in keep:
            ph.element.getparent().remove(ph.element)  # python-pptx has no public delete
    return slide


def _logo_box(prs: Presentation, title: Box) -> Box:
    """The title slide's logo box: at the top right, in the band above the title (the house
    style's is 0.9 in tall), its right edge mirroring the title's left margin."""
    top = LOGO_TOP.pt
    height = max(LOGO_MIN.pt, min(LOGO_HEIGHT.pt, title.y - top - Pt(6).pt))
    width = 3 * height
    return Box(Emu(prs.slide_width).pt - title.x - width, top, width, height)


def _title_slide(prs: Presentation, layout: SlideLayout, planned: TitleSlide, lang: str, accent: RGBColor) -> Slide:
    slide = _new_slide(prs, layout, {*TITLES, PP_PLACEHOLDER.SUBTITLE})
    fill_frame(_title_placeholder(slide).text_frame, (planned.title,), lang)
    subtitle = _subtitle(slide)
    if subtitle is not None:
        _place(subtitle, planned.lines_box)
        fill_frame(subtitle.text_frame, planned.lines, lang, accent=accent)
    else:
        add_element(slide, TextBox(planned.lines_box, planned.lines), lang, accent)
    for element in planned.body:
        add_element(slide, element, lang, accent)
    return slide


def _content_slide(prs: Presentation, layout: SlideLayout, planned: ContentSlide, lang: str, accent: RGBColor
                   ) -> Slide:
    slide = _new_slide(prs, layout, set(TITLES))
    title = _title_placeholder(slide)
    if planned.title_box is not None:
        _place(title, planned.title_box)
    fill_frame(title.text_frame, (planned.title,), lang)
    if planned.divider:
        title.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        _rule(slide, planned.title_box or points(title), accent)
    for element in planned.body:
        add_element(slide, element, lang, accent)
    return slide


def _rule(slide: Slide, title: Box, accent: RGBColor) -> None:
    """A divider's accent rule, just above its title (as on the title slide)."""
    rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(title.x + INSET_X), Pt(title.y - 18), Pt(115), Pt(6))
    rule.name = "Accent rule"
    rule.fill.solid()
    rule.fill.fore_color.rgb = accent
    rule.line.fill.background()
    rule.shadow.inherit = False


def _place(shape: SlidePlaceholder, box: Box) -> None:
    """A placeholder moved or resized on one slide (its layout keeps its own position)."""
    for attr, value in zip(("left", "top", "width", "height"), (box.x, box.y, box.w, box.h), strict=True):
        setattr(shape, attr, Pt(value))  # all four: setting one alone zeroes the others


def _grown(prs: Presentation, box: Box) -> Box:
    """The subtitle placeholder, grown down to the bottom margin: meeting details share it."""
    return Box(box.x, box.y, box.w, max(box.h, _bottom(prs) - box.y))


def _subtitle(owner: Slide | SlideLayout) -> SlidePlaceholder | LayoutPlaceholder | None:
    return next((ph for ph in owner.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE), None)


def _title_placeholder(owner: Slide | SlideLayout) -> SlidePlaceholder | LayoutPlaceholder:
    return next(ph for ph in owner.placeholders if ph.placeholder_format.type in TITLES)


def _body_region(prs: Presentation, title: Box, area: Box | None) -> Box:
    """The template's body area below the title, cut at the slide's edge; without one (the house
    style), everything below the title, with the title's left margin mirrored on the right."""
    if area is None:
        top = title.bottom + BODY_GAP
        return Box(title.x, top, Emu(prs.slide_width).pt - 2 * title.x, _bottom(prs) - top)
    return below_title(title, Box(area.x, area.y, area.w, min(area.bottom, Emu(prs.slide_height).pt) - area.y))


def _bottom(prs: Presentation) -> float:
    return Emu(prs.slide_height).pt - BOTTOM_MARGIN.pt
