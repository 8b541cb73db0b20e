"""Where each shape of a slide is drawn and whether it hides what is under it.

Positions come from the shape, else from the layout's and master's placeholder it inherits from;
group members are mapped through their group's child coordinates. The region a shape's text
really covers is estimated from its paragraphs (a 28 pt sentence in a tall box fills its top
lines, not the whole box), so a picture placed beside the text is not taken for a cover.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from lxml import etree
from msgspec import Struct, field

from clearfacts.verify.pptx_package import NS, tag
from clearfacts.verify.pptx_style import NONE, OPAQUE, Fill, Palette

EMU_PER_POINT = 12700
_LINE = 1.2  # line height per point of type
_CHAR = 0.5  # average advance of a character in ems (Arial's lower case is about 0.47)
_INSETS = {"lIns": 91440, "rIns": 91440, "tIns": 45720, "bIns": 45720}  # PowerPoint's defaults
_DRAWN = {tag(f"p:{k}"): k for k in ("sp", "pic", "graphicFrame", "cxnSp")}
_TITLES = {"title", "ctrTitle"}
_BODIES = {"body", "obj", "subTitle", "tbl", "chart", "clipArt", "dgm", "media", "pic", ""}


class Box(Struct, frozen=True):
    """A rectangle in EMU."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box, margin: float = EMU_PER_POINT) -> bool:
        """True when the two share more than `margin` in both directions."""
        wide = min(self.x + self.w, other.x + other.w) - max(self.x, other.x)
        tall = min(self.y + self.h, other.y + other.h) - max(self.y, other.y)
        return wide > margin and tall > margin

    def outside(self, width: float, height: float) -> bool:
        """Entirely off a slide of this size."""
        return self.x + self.w <= 0 or self.y + self.h <= 0 or self.x >= width or self.y >= height


class Shape(Struct):
    """One drawn element of a slide (group members stand on their own)."""

    element: etree._Element
    kind: str  # "sp", "pic", "graphicFrame" or "cxnSp"
    box: Box | None
    hidden: bool
    inherited: list[etree._Element] = field(default_factory=list)  # placeholders it inherits from

    @property
    def placeholder(self) -> str | None:
        ph = self.element.find("*/p:nvPr/p:ph", NS)
        return None if ph is None else ph.get("type", "obj")

    @property
    def description(self) -> str:
        """The alternative text a screen reader speaks (none for a shape marked decorative)."""
        props = self.element.find("*/p:cNvPr", NS)
        if props is None or props.find(".//adec:decorative[@val='1']", NS) is not None:
            return ""
        return props.get("descr", "")


_Transform = tuple[float, float, float, float]  # x' = a·x + b, y' = c·y + d
_IDENTITY: _Transform = (1.0, 0.0, 1.0, 0.0)


def shapes(tree: etree._Element | None, layout: etree._Element | None, master: etree._Element | None,
           transform: _Transform = _IDENTITY, hidden: bool = False) -> Iterator[Shape]:
    """Every drawn element in drawing order (first is lowest); a group's members in its place."""
    if tree is None:
        return
    for child in tree:
        if child.tag == tag("mc:AlternateContent"):
            choice = child.find("mc:Choice", NS)
            yield from shapes(choice, layout, master, transform, hidden)
            yield from shapes(child.find("mc:Fallback", NS), layout, master, transform, True)  # never both shown
        elif child.tag == tag("p:grpSp"):
            yield from shapes(child, layout, master, _group(child, transform), hidden or _is_hidden(child))
        elif child.tag in _DRAWN:
            inherited = _placeholder_chain(child, layout, master)
            box = _box(child, inherited, transform)
            yield Shape(child, _DRAWN[child.tag], box, hidden or _is_hidden(child), inherited)


def _is_hidden(element: etree._Element) -> bool:
    props = element.find("*/p:cNvPr", NS)
    return props is not None and props.get("hidden") in ("1", "true")


def _xfrm(element: etree._Element) -> etree._Element | None:
    found = element.find("p:spPr/a:xfrm", NS)
    if found is None:
        found = element.find("p:xfrm", NS)
    if found is None:
        found = element.find("p:grpSpPr/a:xfrm", NS)
    return found


def _group(group: etree._Element, outer: _Transform) -> _Transform:
    xfrm = _xfrm(group)
    if xfrm is None:
        return outer
    off, ext = _pair(xfrm, "a:off", "x", "y"), _pair(xfrm, "a:ext", "cx", "cy")
    ch_off, ch_ext = _pair(xfrm, "a:chOff", "x", "y"), _pair(xfrm, "a:chExt", "cx", "cy")
    sx = ext[0] / ch_ext[0] if ch_ext[0] else 1.0
    sy = ext[1] / ch_ext[1] if ch_ext[1] else 1.0
    inner = (sx, off[0] - ch_off[0] * sx, sy, off[1] - ch_off[1] * sy)
    a, b, c, d = outer
    return (a * inner[0], a * inner[1] + b, c * inner[2], c * inner[3] + d)


def _pair(xfrm: etree._Element, name: str, first: str, second: str) -> tuple[float, float]:
    found = xfrm.find(name, NS)
    if found is None:
        return (0.0, 0.0)
    return (_number(found.get(first)), _number(found.get(second)))


def _number(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return 0.0


def _box(element: etree._Element, inherited: Sequence[etree._Element], transform: _Transform) -> Box | None:
    xfrm = next((x for x in (_xfrm(e) for e in (element, *inherited)) if x is not None and x.find("a:ext", NS)
                 is not None), None)
    if xfrm is None:
        return None
    (x, y), (w, h) = _pair(xfrm, "a:off", "x", "y"), _pair(xfrm, "a:ext", "cx", "cy")
    a, b, c, d = transform
    box = Box(a * x + b, c * y + d, a * w, c * h)
    turn = math.radians(_number(xfrm.get("rot")) / 60000)
    if turn:
        cos, sin = abs(math.cos(turn)), abs(math.sin(turn))
        w2, h2 = box.w * cos + box.h * sin, box.w * sin + box.h * cos
        box = Box(box.x + (box.w - w2) / 2, box.y + (box.h - h2) / 2, w2, h2)
    return box


def _placeholder_chain(element: etree._Element, layout: etree._Element | None,
                       master: etree._Element | None) -> list[etree._Element]:
    """The layout's and then the master's placeholder that a slide placeholder takes its
    position, fill and list styles from (matched by index, else by type)."""
    ph = element.find("*/p:nvPr/p:ph", NS)
    if ph is None:
        return []
    chain = []
    in_layout = _match(layout, ph, by_index=True) if layout is not None else None
    if in_layout is not None:
        chain.append(in_layout)
        ph = in_layout.find("*/p:nvPr/p:ph", NS)
    in_master = _match(master, ph, by_index=False) if master is not None else None
    if in_master is not None:
        chain.append(in_master)
    return chain


def _match(root: etree._Element, ph: etree._Element, by_index: bool) -> etree._Element | None:
    candidates = [(e, e.find("*/p:nvPr/p:ph", NS)) for e in root.iterfind("p:cSld/p:spTree/*", NS)]
    candidates = [(e, p) for e, p in candidates if p is not None]
    idx, kind = ph.get("idx"), ph.get("type", "obj")
    if by_index and idx is not None:
        found = next((e for e, p in candidates if p.get("idx") == idx), None)
        if found is not None:
            return found
    same = next((e for e, p in candidates if p.get("type", "obj") == kind), None)
    if same is not None:
        return same
    return next((e for e, p in candidates if _family(p.get("type", "obj")) == _family(kind)), None)


def _family(kind: str) -> str:
    return "title" if kind in _TITLES else "body" if kind in _BODIES else kind


def list_styles(shape: Shape, master: etree._Element | None,
                presentation: etree._Element | None) -> tuple[list[etree._Element | None], list[etree._Element | None]]:
    """Where a shape's text inherits its size and colour from, nearest first: the shape's and its
    placeholders' own list styles, then the master's text styles and the presentation's default
    (a shape style's font colour goes between the two)."""
    near = [shape.element.find("p:txBody/a:lstStyle", NS)]
    near += [e.find("p:txBody/a:lstStyle", NS) for e in shape.inherited]
    far = []
    kind = shape.placeholder
    if kind is not None and master is not None:
        family = _family(kind)
        style = "titleStyle" if family == "title" else "bodyStyle" if family == "body" else "otherStyle"
        far.append(master.find(f"p:txStyles/p:{style}", NS))
    if presentation is not None:
        far.append(presentation.find("p:defaultTextStyle", NS))
    return near, far


def shape_fill(shape: Shape, palette: Palette) -> Fill:
    """How a shape's own area is painted (pictures are opaque unless faded)."""
    if shape.kind == "pic":
        fade = shape.element.find("p:blipFill/a:blip/a:alphaModFix", NS)
        return Fill("other") if fade is None or int(fade.get("amt", "100000")) >= OPAQUE * 100000 else NONE
    if shape.kind != "sp":
        return NONE
    for element in (shape.element, *shape.inherited):
        found = palette.fill(element.find("p:spPr", NS))
        if found is not None:
            return found
    return palette.style_fill(shape.element.find("p:style/a:fillRef", NS)) or NONE


class Paragraph(Struct, frozen=True):
    """What the estimate of a text's extent needs from one paragraph."""

    chars: int
    points: float
    breaks: int = 0


def text_region(shape: Shape, body: etree._Element | None, paragraphs: Sequence[Paragraph],
                align: str = "l") -> Box | None:
    """The part of a shape's box its text occupies: the box less its insets, as tall as the
    paragraphs' estimated lines (never more than the box), placed by the vertical anchor; a
    single line is as wide as its estimated length, placed by its alignment."""
    box = shape.box
    if box is None or body is None:
        return box
    props = _body_properties(shape, body)
    inset = {k: _number(props[k]) if k in props else v for k, v in _INSETS.items()}
    x0, width = box.x + inset["lIns"], max(box.w - inset["lIns"] - inset["rIns"], EMU_PER_POINT)
    y0, room = box.y + inset["tIns"], max(box.h - inset["tIns"] - inset["bIns"], EMU_PER_POINT)
    unwrapped = props.get("wrap") == "none"
    height, widest, lines = 0.0, 0.0, 0
    for para in paragraphs:
        size = para.points * EMU_PER_POINT
        length = para.chars * _CHAR * size
        count = para.breaks + 1 if unwrapped else max(1, math.ceil(length / width)) + para.breaks
        lines += count
        height += count * _LINE * size
        widest = max(widest, length)
    height = min(height, room)
    anchor = props.get("anchor", "t")
    top = y0 + (room - height) / 2 if anchor == "ctr" else y0 + room - height if anchor == "b" else y0
    if lines == 1 and widest < width:
        x0 += (width - widest) / 2 if align == "ctr" else (width - widest) if align == "r" else 0
        width = widest
    return Box(x0, top, width, height)


def _body_properties(shape: Shape, body: etree._Element) -> dict[str, str]:
    """The text frame's settings (insets, anchor, wrap), a placeholder's from its layout and
    master where the slide leaves them out."""
    merged: dict[str, str] = {}
    for props in (body.find("a:bodyPr", NS), *(e.find("p:txBody/a:bodyPr", NS) for e in shape.inherited)):
        for key, value in (props.attrib.items() if props is not None else ()):
            merged.setdefault(key, value)
    return merged
