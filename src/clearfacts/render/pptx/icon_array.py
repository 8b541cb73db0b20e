"""An icon array on a slide: per fact, its label as a text box, then a group of native shapes,
one freeform person per figure, the first N filled in the accent colour and the rest outline
only (never colour alone). The group's alternative text (`descr`) is the label, so a screen
reader hears "Got MSC treatment: about 1 in 10 got DPN" once instead of ten shapes; the caption
is a text box under the arrays. A reader of the file counts the filled shapes in each group
(verify/icon_arrays.py).
"""

from __future__ import annotations

from copy import deepcopy

from lxml import etree
from msgspec import Struct
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.slide import Slide
from pptx.util import Emu, Pt

from clearfacts.frequencies import filled
from clearfacts.model import IconArray
from clearfacts.render import person
from clearfacts.render.pptx.layout import (
    BLOCK_GAP,
    COLUMN_GAP,
    INSET_X,
    Box,
    Para,
    Piece,
    Sizes,
    TextBox,
    frame_height,
)

WIDEST = {10: 32.0, 100: 7.0}  # points: a figure's width for one row of 10, and for ten rows
UNITS = 1000  # freeform local units per figure width
LINE = 1.25  # outline width, points
GROUP_NAME = "Icon array"
# Each figure is marked decorative (Office's extension), so a screen reader says the group's
# label once and does not announce ten unnamed shapes.
DECORATIVE = ('<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:ext '
               'uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative '
               'xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>')
_PROPS = f"{qn('p:nvSpPr')}/{qn('p:cNvPr')}"  # a figure's id and name
_OFFSET = f"{qn('p:spPr')}/{qn('a:xfrm')}/{qn('a:off')}"  # its place on the slide


class IconsBox(Struct, frozen=True):
    """One fact's figures: where they go, how many, how many filled, and the group's alt text."""

    box: Box
    size: float  # a figure's width, points
    total: int
    shown: int
    alt: str


def place_icons(block: IconArray, sizes: Sizes, x: float, y: float, w: float) -> tuple[list[object], float]:
    """Label and figures per fact, from (x, y) in width `w`: rows of 10 one under the other,
    grids of 100 side by side (ten rows of ten stacked twice would not fit a slide); then the
    caption under them all."""
    placed: list[object] = []
    top = y
    columns = len(block.facts) if block.facts[0].frequency >= 100 else 1
    width = (w - (columns - 1) * COLUMN_GAP) / columns
    bottom = y
    for n, (label, fact) in enumerate(zip(block.labels, block.facts, strict=True)):
        left = x + (n % columns) * (width + COLUMN_GAP)
        para = (Para((Piece(label.text, bold=True),), label, sizes.body),)
        height = frame_height(para, width)
        placed.append(TextBox(Box(left, y, width, height), para))
        size, _ = person.grid(fact.frequency, width - 2 * INSET_X, WIDEST.get(fact.frequency, WIDEST[100]))
        grid = person.grid_height(fact.frequency, size)
        placed.append(IconsBox(Box(left + INSET_X, y + height, width - 2 * INSET_X, grid), size, fact.frequency,
                               filled(fact), label.text))
        bottom = max(bottom, y + height + grid + BLOCK_GAP * sizes.body)
        if n % columns == columns - 1:
            y = bottom
    caption = (Para((Piece(block.caption.text),), block.caption, sizes.body),)
    height = frame_height(caption, w)
    placed.append(TextBox(Box(x, bottom, w, height), caption))
    return placed, bottom + height - top


def draw_icons(slide: Slide, el: IconsBox, accent: RGBColor) -> None:
    """The figures as one group of freeform shapes, described by the label.

    python-pptx builds a freeform slowly (it measures the outline anew for each of its points,
    searches the slide for the highest id, and sizes the group again over every shape in it), so
    only the first figure of each fill and the last figure are built; the last one sizes the group
    over the whole grid. Each other figure is a copy of the figure last built with its fill, given
    its own id, name and place, so the shapes come out exactly as if each had been built."""
    group = slide.shapes.add_group_shape()
    group.name = GROUP_NAME
    group.element.xpath("./*[1]/p:cNvPr")[0].set("descr", el.alt)
    scale = Pt(el.size - LINE) / UNITS
    head = [(x * UNITS, y * UNITS) for x, y in person.head_polygon()]
    body = [(x * UNITS, y * UNITS) for x, y in person.BODY]
    builder = group.shapes.build_freeform(*head[0], scale=scale)
    builder.add_line_segments(head[1:], close=True)
    builder.move_to(*body[0])
    builder.add_line_segments(body[1:], close=True)
    _, corners = person.grid(el.total, el.box.w, el.size)
    last = len(corners) - 1
    built: dict[bool, tuple[etree.ElementBase, int, int]] = {}  # filled or not → a built figure, its origin
    first_id = 0
    previous: etree.ElementBase | None = None
    for n, (dx, dy) in enumerate(corners):
        x, y = Emu(Pt(el.box.x + dx + LINE / 2)), Emu(Pt(el.box.y + dy + LINE / 2))
        fill = n < el.shown
        if previous is not None and fill in built and n < last:
            figure = _moved_copy(*built[fill], first_id + n, f"Person {n + 1}", x, y)
            previous.addnext(figure)
            previous = figure
            continue
        shape = builder.convert_to_shape(x, y)
        shape.name = f"Person {n + 1}"
        if fill:
            shape.fill.solid()
            shape.fill.fore_color.rgb = accent
        else:
            shape.fill.background()
        shape.line.color.rgb = accent
        shape.line.width = Pt(LINE)
        shape.shadow.inherit = False
        shape.element.xpath("./*[1]/p:cNvPr")[0].append(etree.fromstring(DECORATIVE))
        if n == 0:
            first_id = shape.shape_id  # each figure built after it takes the highest id plus one
        previous = shape.element
        built[fill] = (previous, x, y)


def _moved_copy(built: etree.ElementBase, built_x: int, built_y: int, shape_id: int, name: str, x: int,
                y: int) -> etree.ElementBase:
    """A copy of a figure built at origin (`built_x`, `built_y`), for origin (`x`, `y`): its
    offset is the origin plus the outline's own, the same for every figure."""
    figure = deepcopy(built)
    props = figure.find(_PROPS)
    props.set("id", str(shape_id))
    props.set("name", name)
    offset = figure.find(_OFFSET)
    offset.set("x", str(int(offset.get("x")) + x - built_x))
    offset.set("y", str(int(offset.get("y")) + y - built_y))
    return figure
