"""Reads a deck back from its XML parts, without python-pptx (which wrote it): what a projector
shows (slide text, table cells, chart labels as their number format prints them, the words of
a SmartArt diagram; an embedded object, which cannot be read, is a problem), what a screen
reader speaks (pictures' and charts' alternative text, added to the slide's text) and what the
facilitator reads (the notes), one location per slide.

A slide's number in its slide-number placeholder is furniture, not a figure: it is left out of
the slide's text when it is that slide's number, and read like any text when it is not. The
review date in a date placeholder is read as text (a date is not a figure).

Only what a person can see counts as a slide's text. Text that is in the file but not on the
screen goes to `hidden`: a hidden slide or shape, a shape entirely off the slide, a shape the
slide show animates away as the slide opens or brings in only on a trigger (`pptx_animations`),
text under 6 pt, text without a fill or in (nearly) the colour it sits on, letters pulled into
a blot, moved off their line or set in a symbol font, lines pushed out of place by their spacing. Text under an
opaque shape drawn later goes to `covered`. Shapes the layout and master draw under every slide
count too.

Plain zip + XML keeps the check independent of the writer, and works the same on a deck that
PowerPoint or LibreOffice has re-saved.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from lxml import etree
from msgspec import Struct, field

from clearfacts.stamps import STAMP_PREFIX
from clearfacts.verify.extracted import ChartValues, Code, Extracted, Place, Shown, find_stamp
from clearfacts.verify.normalise import normalise
from clearfacts.verify.pptx_animations import SECONDS_PER_WORD, too_soon, vanishing
from clearfacts.verify.pptx_chart import DisplayedChart, read_chart
from clearfacts.verify.pptx_icon_arrays import read_pptx_arrays
from clearfacts.verify.pptx_layout import SlideLayout, SlideText, blip_bytes, picture_bytes, text_kind
from clearfacts.verify.pptx_package import CHART, LAYOUT, MASTER, NOTES, NS, R_ID, THEME, Package, tag
from clearfacts.verify.pptx_shapes import Box, Paragraph, Shape, list_styles, shape_fill, shapes, text_region
from clearfacts.verify.pptx_style import (
    DEFAULT_POINTS,
    NONE,
    Colour,
    Fill,
    Palette,
    displaces,
    inherited,
    run_look,
    unseen,
)
from clearfacts.verify.qr_scan import scan_picture

_WHITE = Colour((1.0, 1.0, 1.0))
_TEXT_NODES = (tag("a:r"), tag("a:fld"))
_HLINK_CLICK, _HLINK_HOVER = tag("a:hlinkClick"), tag("a:hlinkHover")


class _Seen(Struct):
    """A slide's text sorted by whether a person can see it."""

    text: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)
    charts: list[ChartValues] = field(default_factory=list)
    chart_text: list[str] = field(default_factory=list)
    chart_hidden: list[str] = field(default_factory=list)
    chart_covered: list[str] = field(default_factory=list)
    title: str = ""
    layout: SlideLayout = field(default_factory=SlideLayout)  # what the layout rules measure
    codes: list[str | None] = field(default_factory=list)  # what its QR codes lead to (`_codes`)
    pictures: list[bytes] = field(default_factory=list)  # its own pictures that hold no QR code
    problems: list[str] = field(default_factory=list)  # what on the slide cannot be read


class _Deck(Struct):
    """The presentation, and what its slides share: palettes and the layouts' and masters' shapes."""

    pkg: Package
    presentation: etree._Element
    size: tuple[float, float]
    palettes: dict[tuple[str, tuple[tuple[str, str], ...]], Palette] = field(default_factory=dict)
    lower: dict[tuple[str, bool, bool], list[Shape]] = field(default_factory=dict)


class _Slide(Struct):
    """What every shape of one slide is read against."""

    deck: _Deck
    part: str
    root: etree._Element
    layout: tuple[str, etree._Element] | None
    master: etree._Element | None
    palette: Palette
    background: Fill

    @property
    def pkg(self) -> Package:
        return self.deck.pkg


class _Layer(Struct, frozen=True):
    """A drawn shape and how its area is painted."""

    shape: Shape
    fill: Fill


def read_pptx(data: bytes) -> Extracted:
    pkg = Package(data)
    out = Extracted(stamp=_stamp(pkg), icon_arrays=lambda: read_pptx_arrays(data))
    presentation = "ppt/presentation.xml"
    pres = pkg.xml(presentation)
    size_el = pres.find("p:sldSz", NS)
    size = (float(size_el.get("cx", "12192000")), float(size_el.get("cy", "6858000"))) if size_el is not None \
        else (12192000.0, 6858000.0)
    deck = _Deck(pkg, pres, size)
    rels = pkg.rels(presentation)
    slides = [rels[s.get(R_ID, "")][1] for s in pres.iterfind("p:sldIdLst/p:sldId", NS)]
    out.units = len(slides)
    layouts = []
    codes: list[Code] = []
    pictures: list[Shown] = []
    shared = pkg.digest(presentation)  # its slide size and text styles
    for n, part in enumerate(slides, 1):
        read = _READ.slide(deck, part, n, shared)
        seen, words, fleeting, shown = read.seen, read.words, read.fleeting, read.shown
        if fleeting is not None:
            out.problems.append((f"slide {n}", f"moves on by itself after {fleeting:g} s, too soon to read its "
                                               f"{words} words (about {words * SECONDS_PER_WORD:.0f} s)"))
        layouts.append(seen.layout if shown else SlideLayout())
        text, hidden = normalise("\n".join(seen.text)), normalise("\n".join(seen.hidden))
        covered = normalise("\n".join(seen.covered))
        charts = tuple(seen.charts) if shown else ()
        out.places.append(Place(f"slide {n}", text if shown else "", charts, seen.title,
                                hidden=hidden if shown else normalise(f"{text}\n{hidden}"), covered=covered))
        chart_text = normalise(" ".join(seen.chart_text))
        chart_hidden, chart_covered = normalise(" ".join(seen.chart_hidden)), normalise(" ".join(seen.chart_covered))
        if chart_text or chart_hidden or chart_covered:
            out.places.append(Place(f"slide {n} chart", chart_text if shown else "", charts,
                                    hidden=chart_hidden if shown else normalise(f"{chart_text} {chart_hidden}"),
                                    covered=chart_covered))
        out.problems += [(f"slide {n}", problem) for problem in seen.problems] if shown else []
        codes += [Code(f"slide {n}", text) for text in seen.codes] if shown else []
        pictures += [Shown(f"slide {n}", blob, (hashlib.sha256(blob).hexdigest(),))
                     for blob in seen.pictures] if shown else []
        notes = pkg.related(part, NOTES)
        if notes:
            out.places.append(Place(f"slide {n} notes", normalise(_notes_text(pkg.xml(notes)))))
    out.layout = tuple(layouts)
    out.codes = tuple(codes)
    out.pictures = tuple(pictures)
    numbers = {part: n for n, part in enumerate(slides, 1)}
    out.links = tuple((f"slide {numbers[part]}" if part in numbers else part, target)
                      for part, target in pkg.external())
    return out


class _Read(Struct, frozen=True):
    """One slide's reading: what a person sees of it, its word count, after how many seconds
    the show moves on by itself (None: it waits for a click) and whether it is shown at all."""

    seen: _Seen
    words: int
    fleeting: float | None
    shown: bool


class _SlidesRead:
    """The slides this process has read, by fingerprint (`Package.fingerprint`: the bytes of the
    slide and of every part its reading can look at, with the presentation's and its number).
    The editions of one content set share most of their slides byte for byte; each is read
    once, and a slide that differs in any byte is read again. Readings are never changed once
    made."""

    LIMIT = 512

    def __init__(self) -> None:
        self._read: dict[bytes, _Read] = {}

    def slide(self, deck: _Deck, part: str, number: int, shared: bytes) -> _Read:
        key = hashlib.sha256(b"%d;%s;%s;%s" % (number, part.encode(), shared, deck.pkg.fingerprint(part))).digest()
        found = self._read.get(key)
        if found is None:
            slide = _open_slide(deck, part)
            seen = _read_slide(slide, number)
            words = len(" ".join([*seen.text, *seen.chart_text]).split())
            fleeting = too_soon(slide.root, words)  # a show moves on before anyone can read it
            # a hidden slide is skipped in a show, a fleeting one as good as skipped
            shown = slide.root.get("show", "1") not in ("0", "false") and fleeting is None
            found = _Read(seen, words, fleeting, shown)
            if len(self._read) >= self.LIMIT:
                self._read.pop(next(iter(self._read)))
            self._read[key] = found
        return found


_READ = _SlidesRead()


def _open_slide(deck: _Deck, part: str) -> _Slide:
    pkg = deck.pkg
    root = pkg.xml(part)
    layout_part = pkg.related(part, LAYOUT)
    master_part = pkg.related(layout_part, MASTER) if layout_part else None
    layout = pkg.xml(layout_part) if layout_part else None
    master = pkg.xml(master_part) if master_part else None
    theme_part = pkg.related(master_part, THEME) if master_part else None
    colour_map = dict(master.find("p:clrMap", NS).attrib) if master is not None and \
        master.find("p:clrMap", NS) is not None else {}
    for element in (layout, root):
        override = element.find("p:clrMapOvr/a:overrideClrMapping", NS) if element is not None else None
        if override is not None:
            colour_map = dict(override.attrib)
    key = (theme_part or "", tuple(sorted(colour_map.items())))
    if key not in deck.palettes:
        deck.palettes[key] = Palette(pkg.xml(theme_part) if theme_part else None, colour_map)
    palette = deck.palettes[key]
    return _Slide(deck, part, root, (layout_part, layout) if layout_part and layout is not None else None, master,
                  palette, _background(palette, root, layout, master))


def _background(palette: Palette, *roots: etree._Element | None) -> Fill:
    """The slide's background, else its layout's, else its master's; white when none is set."""
    for root in roots:
        bg = root.find("p:cSld/p:bg", NS) if root is not None else None
        if bg is None:
            continue
        props = bg.find("p:bgPr", NS)
        found = palette.fill(props) if props is not None else palette.style_fill(bg.find("p:bgRef", NS))
        if found is not None:
            return found
    return Fill("solid", _WHITE)


def _layers(slide: _Slide) -> tuple[list[_Layer], int]:
    """Everything drawn on the slide, lowest first: the master's and the layout's own shapes
    (not their placeholders, which only prompt), then the slide's; and where the slide's begin."""
    layout_part, layout = slide.layout or ("", None)
    show = slide.root.get("showMasterSp", "1") not in ("0", "false")
    masters = layout is None or layout.get("showMasterSp", "1") not in ("0", "false")
    key = (layout_part, show, masters)
    if key not in slide.deck.lower:
        lower: list[Shape] = []
        for root in (slide.master if masters else None, layout) if show else ():
            tree = root.find("p:cSld/p:spTree", NS) if root is not None else None
            lower += [s for s in shapes(tree, None, None) if s.placeholder is None]
        slide.deck.lower[key] = lower
    own = list(shapes(slide.root.find("p:cSld/p:spTree", NS), layout, slide.master))
    lower = slide.deck.lower[key]
    return [_Layer(s, _fill(slide, s, False)) for s in lower] + [_Layer(s, _fill(slide, s, True)) for s in own], \
        len(lower)


def _read_slide(slide: _Slide, number: int) -> _Seen:
    seen = _Seen()
    layers, first_own = _layers(slide)
    width, height = slide.deck.size
    kept_from_show = vanishing(slide.root)
    backdrop = blip_bytes(slide.pkg, slide.part, slide.root.find("p:cSld/p:bg/p:bgPr/a:blipFill/a:blip", NS))
    if backdrop:  # a picture behind the whole slide, set on the slide itself
        _picture(seen, backdrop, own=True)
    for i, layer in enumerate(layers):
        shape = layer.shape
        gone = shape.hidden or (shape.box is not None and shape.box.outside(width, height)) or (
            i >= first_own and bool(kept_from_show) and _animated_away(shape, kept_from_show))
        if i >= first_own and not seen.title and shape.placeholder in ("title", "ctrTitle"):
            seen.title = normalise(" ".join(_plain_texts(shape.element)))
        chart = _chart(slide, shape) if i >= first_own else None  # a layout's chart is the template's sample
        alt = normalise(" ".join([shape.description, *_screen_tips(shape)]))
        if alt:
            (seen.hidden if gone else seen.text).append(alt)
        if chart is not None:
            words = [*chart.words, *chart.categories, *chart.labels()]
            if gone:
                seen.chart_hidden += [*words, *chart.hidden_labels]
            elif _covered(slide, layers[i + 1:], shape.box):
                seen.chart_covered += [*words, *chart.hidden_labels]
            else:
                seen.charts.append(chart)
                seen.chart_text += words
                seen.chart_hidden += chart.hidden_labels
            continue
        if shape.kind == "graphicFrame" and _foreign(slide, shape, gone, seen):
            continue
        blob = picture_bytes(slide.pkg, slide.part, shape) if shape.kind in ("pic", "sp") and not gone else None
        if blob:
            # a slide's own picture may be a QR code the build placed (measured for the layout rules)
            code = i >= first_own and shape.kind == "pic" and seen.layout.add_code(blob, shape)
            _picture(seen, blob, own=i >= first_own, code=code)
        sizes: list[tuple[float, str]] = []
        visible, hidden, region = _shape_text(slide, shape, layers[:i], sizes)
        if i >= first_own and _numbers_the_slide(shape, visible, number):
            visible = []  # furniture: the slide's own number, not a figure of the content
        if gone:
            seen.hidden += visible + hidden
        elif visible and _covered(slide, layers[i + 1:], region):
            seen.covered += visible
            seen.hidden += hidden
        else:
            seen.text += visible
            seen.hidden += hidden
            kind = text_kind(shape.placeholder, shape.kind == "graphicFrame")
            seen.layout.texts += [SlideText(kind, points, text) for points, text in sizes]
    return seen


def _picture(seen: _Seen, blob: bytes, own: bool, code: bool = False) -> None:
    """A picture shown on the slide: what the QR codes in it lead to (None for a picture that
    looks like a code, `code`, and does not scan); one of the slide's own that holds no code is
    kept for its words to be read (a layout's pictures are the template's)."""
    texts = scan_picture(blob)
    seen.codes += list(texts) if texts else ([None] if code else [])
    if own and not texts:
        seen.pictures.append(blob)


def _foreign(slide: _Slide, shape: Shape, gone: bool, seen: _Seen) -> bool:
    """A frame that holds neither a table nor a chart, which the build never makes: a SmartArt
    diagram, whose words (its data's and its drawing's) are read as the slide's, or an embedded object
    (a spreadsheet, a document), whose content cannot be read here and is a problem of its own.
    True when the frame was dealt with here."""
    data = shape.element.find("a:graphic/a:graphicData", NS)
    if data is None or data.find("a:tbl", NS) is not None or data.find("c:chart", NS) is not None:
        return False
    diagram = data.find("dgm:relIds", NS)
    model = slide.pkg.target(slide.part, diagram.get(tag("r:dm"))) if diagram is not None else None
    if model is not None:
        parts = [model, *_diagram_drawings(slide, model)]
        words = normalise(" ".join(t.text or "" for part in parts for t in slide.pkg.xml(part).iter(tag("a:t"))))
        (seen.hidden if gone else seen.text).append(words)
    elif not gone:
        kind = "a SmartArt diagram whose text is missing" if diagram is not None else "an embedded object"
        seen.problems.append(f"holds {kind} ('{_shape_name(shape)}'), whose content clearfacts cannot read; "
                             "remove it or rebuild")
    return True


def _diagram_drawings(slide: _Slide, model: str) -> list[str]:
    """The drawing PowerPoint keeps beside a SmartArt's data (`dsp:dataModelExt`), which is what
    a viewer that does not lay the diagram out again shows (LibreOffice): read too, in case its
    words differ from the data's."""
    ids = [e.get("relId") for e in slide.pkg.xml(model).iter() if etree.QName(e).localname == "dataModelExt"]
    return [part for rid in ids if (part := slide.pkg.target(slide.part, rid)) is not None]


def _shape_name(shape: Shape) -> str:
    props = shape.element.find("*/p:cNvPr", NS)
    return props.get("name", "") if props is not None else ""


def _animated_away(shape: Shape, ids: set[str]) -> bool:
    """Whether the slide show keeps the shape, or the group holding it, from the audience."""
    holders = [shape.element, *shape.element.iterancestors(tag("p:grpSp"))]
    return any((props := holder.find("*/p:cNvPr", NS)) is not None and props.get("id") in ids for holder in holders)


def _screen_tips(shape: Shape) -> list[str]:
    """The ScreenTips of the shape's links (`tooltip`), which a slide show shows on hover: read as
    text like the alternative text, so a figure or a claim's negation put there is seen."""
    return [tip for link in shape.element.iter(_HLINK_CLICK, _HLINK_HOVER) if (tip := link.get("tooltip"))]


def _numbers_the_slide(shape: Shape, visible: list[str], number: int) -> bool:
    """True for the slide-number placeholder showing this slide's number and nothing else. Any
    other text there (a figure typed over the number, another slide's number) is read as text,
    so every figure in it is still accounted for."""
    return shape.placeholder == "sldNum" and "".join(visible).strip() == str(number)


def _chart(slide: _Slide, shape: Shape) -> DisplayedChart | None:
    ref = shape.element.find("a:graphic/a:graphicData/c:chart", NS)
    if ref is None:
        return None
    kind, part = slide.pkg.rels(slide.part).get(ref.get(R_ID, ""), ("", ""))
    if kind != CHART or part not in slide.pkg.names:
        return DisplayedChart((), (), "", problems=("the chart's part is missing",))
    return read_chart(slide.pkg, part)


def _covered(slide: _Slide, above: Sequence[_Layer], region: Box | None) -> bool:
    """True when an opaque shape drawn later overlaps `region`."""
    if region is None:
        return False
    width, height = slide.deck.size
    for layer in above:
        box = layer.shape.box
        if layer.fill.opaque and not layer.shape.hidden and box is not None and not box.outside(width, height) \
                and box.overlaps(region):
            return True
    return False


def _fill(slide: _Slide, shape: Shape, own: bool) -> Fill:
    """How a shape's area is painted; a table is opaque where its cells or its style fill it, a
    chart where its chart area has a fill (`own`: the shape is the slide's, not the layout's)."""
    if shape.kind != "graphicFrame":
        return shape_fill(shape, slide.palette)
    table = shape.element.find("a:graphic/a:graphicData/a:tbl", NS)
    if table is not None:
        cells = [slide.palette.fill(tc) for tc in table.iterfind("a:tr/a:tc/a:tcPr", NS)]
        styled = table.find("a:tblPr/a:tableStyleId", NS) is not None
        return Fill("other") if any(c is not None and c.opaque for c in cells) or (
            styled and not all(c is not None and c.kind == "none" for c in cells)) else NONE
    ref = shape.element.find("a:graphic/a:graphicData/c:chart", NS)
    part = slide.pkg.target(slide.part, ref.get(R_ID)) if ref is not None and own else None
    found = slide.palette.fill(slide.pkg.xml(part).find("c:spPr", NS)) if part else None
    return found or NONE


def _shape_text(slide: _Slide, shape: Shape, below: Sequence[_Layer],
                sizes: list[tuple[float, str]]) -> tuple[list[str], list[str], Box | None]:
    """(visible text, hidden text, the region the text occupies) of a text shape or table;
    each visible run's size and text go to `sizes`."""
    palette = slide.palette
    table = shape.element.find("a:graphic/a:graphicData/a:tbl", NS)
    if table is not None:
        styled = table.find("a:tblPr/a:tableStyleId", NS) is not None
        under = _backdrop(slide, below, shape.box)
        visible: list[str] = []
        hidden: list[str] = []
        for cell in table.iterfind("a:tr/a:tc", NS):
            fill = palette.fill(cell.find("a:tcPr", NS))
            backdrop = fill.backdrop() if fill is not None else (None if styled else under)
            body = cell.find("a:txBody", NS)
            lists = ([body.find("a:lstStyle", NS)] if body is not None else [], [slide.deck.presentation.find(
                "p:defaultTextStyle", NS)])
            seen, unseen_, _ = _paragraphs(body, palette, lists, None, 1.0, backdrop, inherit_colour=not styled,
                                           sizes=sizes)
            visible.append("\n".join(seen))
            hidden += unseen_
        return visible, hidden, shape.box
    body = shape.element.find("p:txBody", NS)
    if body is None:
        return [], [], None
    near, far = list_styles(shape, slide.master, slide.deck.presentation)
    style = shape.element.find("p:style/a:fontRef", NS)
    own = shape_fill(shape, palette)
    backdrop = own.backdrop() if own.opaque else _backdrop(slide, below, shape.box)
    autofit = body.find("a:bodyPr/a:normAutofit", NS)
    scale = int(autofit.get("fontScale", "100000")) / 100000 if autofit is not None else 1.0
    seen, unseen_, metrics = _paragraphs(body, palette, (near, far), palette.colour(style), scale, backdrop,
                                         sizes=sizes)
    region = text_region(shape, body, metrics, _align(body, near + far))
    return ["\n".join(seen)] if any(s.strip() for s in seen) else [], unseen_, region


def _backdrop(slide: _Slide, below: Sequence[_Layer], region: Box | None) -> Colour | None:
    """The colour under a shape: the topmost opaque shape beneath it that covers its middle,
    else the slide's background (None when that is a picture or gradient)."""
    if region is not None:
        middle = Box(region.x + region.w / 2, region.y + region.h / 2, 0, 0)
        for layer in reversed(below):
            box = layer.shape.box
            if layer.shape.hidden or box is None or not layer.fill.opaque:
                continue
            if box.x <= middle.x <= box.x + box.w and box.y <= middle.y <= box.y + box.h:
                return layer.fill.backdrop()
    return slide.background.backdrop()


def _paragraphs(body: etree._Element | None, palette: Palette, lists: tuple[list, list],
                style_colour: Colour | None, scale: float, backdrop: Colour | None,
                inherit_colour: bool = True, sizes: list[tuple[float, str]] | None = None,
                ) -> tuple[list[str], list[str], list[Paragraph]]:
    """Each paragraph's visible runs; the whole paragraph again among the hidden lines when any
    of its runs cannot be seen (so a sentence with one white figure is found as not visible).
    Spacing that pushes a paragraph out of its place hides it and every one after it."""
    visible: list[str] = []
    hidden: list[str] = []
    metrics: list[Paragraph] = []
    by_level: dict[int, list[list[etree._Element]]] = {}
    pushed = False
    for para in body.iterfind("a:p", NS) if body is not None else ():
        props = para.find("a:pPr", NS)
        level = int(props.get("lvl", "0")) if props is not None and (props.get("lvl") or "").isdigit() else 0
        groups = by_level.setdefault(level, inherited(lists, level))
        default = props.find("a:defRPr", NS) if props is not None else None
        pieces: list[tuple[str, bool]] = []
        biggest = 0.0
        for node in para:
            if node.tag in _TEXT_NODES:
                text = node.findtext("a:t", "", NS)
                run = node.find("a:rPr", NS)
                look = run_look((run, default), groups, palette, style_colour, scale, inherit_colour)
                highlight = palette.colour(run.find("a:highlight", NS)) if run is not None else None
                seen_run = not unseen(look, highlight or backdrop)
                pieces.append((text, not text.strip() or seen_run))
                if sizes is not None and seen_run and text.strip():
                    sizes.append((look.points, text))
                biggest = max(biggest, look.points)
            elif node.tag == tag("a:br"):
                pieces.append(("\n", True))
        itself, rest = displaces(props, biggest or DEFAULT_POINTS)
        if pushed or itself:
            pieces = [(t, not t.strip()) for t, _ in pieces]
        pushed = pushed or itself or rest
        full = "".join(t for t, _ in pieces)
        visible.append("".join(t for t, ok in pieces if ok))
        if not all(ok for _, ok in pieces):
            hidden.append(full)
        metrics.append(Paragraph(len(full), biggest or 18.0, full.count("\n")))
    return visible, hidden, metrics


def _align(body: etree._Element, lists: list[etree._Element | None]) -> str:
    first = body.find("a:p/a:pPr", NS)
    if first is not None and first.get("algn"):
        return first.get("algn", "l")
    for style in lists:
        found = style.find("a:lvl1pPr", NS) if style is not None else None
        if found is not None and found.get("algn"):
            return found.get("algn", "l")
    return "l"


def _plain_texts(shape: etree._Element) -> list[str]:
    body = shape.find("p:txBody", NS)
    return [_body_text(body)] if body is not None else []


def _body_text(body: etree._Element) -> str:
    """Paragraphs on their own lines; a line break inside a paragraph is a space."""
    lines = []
    for para in body.iterfind("a:p", NS):
        parts = [node.text or "" if node.tag == tag("a:t") else "\n" for node in para.iter(tag("a:t"), tag("a:br"))]
        lines.append("".join(parts))
    return "\n".join(lines)


def _notes_text(root: etree._Element) -> str:
    for shape in root.iterfind("p:cSld/p:spTree/p:sp", NS):
        ph = shape.find("p:nvSpPr/p:nvPr/p:ph", NS)
        body = shape.find("p:txBody", NS)
        if ph is not None and ph.get("type") == "body" and body is not None:
            return _body_text(body)
    return ""


def _stamp(pkg: Package) -> str:
    """The stamp from the custom document properties (office suites keep those as written),
    else from the keywords."""
    if "docProps/custom.xml" in pkg.names:
        for value in pkg.xml("docProps/custom.xml").iterfind("op:property/vt:lpwstr", NS):
            if (value.text or "").startswith(STAMP_PREFIX):
                return value.text.strip()
    keywords = pkg.xml("docProps/core.xml").findtext("cp:keywords", "", NS) if "docProps/core.xml" in pkg.names else ""
    return find_stamp(keywords, STAMP_PREFIX)
