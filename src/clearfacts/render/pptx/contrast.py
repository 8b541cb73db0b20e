"""The `contrast` block on a slide: two rounded panels side by side, a drawn check mark beside
"approved" and a drawn cross beside "not approved", each panel's title and items in one text box.

The panels and marks are native shapes with no text, marked decorative, drawn before the text
(so nothing covers it); the words say approved or not, the tint and mark only repeat them. Both
panels are as tall as the taller one, so they read as one pair.
"""

from __future__ import annotations

from lxml import etree
from msgspec import Struct
from pptx.enum.shapes import MSO_SHAPE
from pptx.slide import Slide
from pptx.util import Emu, Pt

from clearfacts.model import Contrast
from clearfacts.render import marks, palette
from clearfacts.render.pptx.icon_array import DECORATIVE
from clearfacts.render.pptx.layout import (
    COLUMN_GAP,
    INSET_Y,
    LINE,
    Box,
    Para,
    Piece,
    Sizes,
    TextBox,
    frame_height,
)
from clearfacts.render.pptx.template import rgb

PAD = 10.0  # points inside a panel, around its mark and text box
MARK = 1.1  # the mark's side, × the body size
MARK_GAP = 6.0  # points between the mark and the text
BORDER = 2.0  # points
UNITS = 1000  # freeform local units per mark side
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


class PanelBox(Struct, frozen=True):
    """One panel's rounded rectangle and its mark: a square `side` wide, `dx` and `dy` in from the
    panel's top-left corner (relative, so the panel moves as one when its column is balanced)."""

    box: Box
    dx: float
    dy: float
    side: float
    yes: bool


def place_contrast(block: Contrast, sizes: Sizes, x: float, y: float, w: float, space: float
                   ) -> tuple[list[object], float]:
    """Both panels from (x, y) in width `w`: each a panel, then its text box (title in bold, then
    the items as bullets); the height they take."""
    panel_w = (w - COLUMN_GAP) / 2
    side = MARK * sizes.body
    text_w = panel_w - 2 * PAD - side - MARK_GAP
    texts = []
    for title, items in ((block.yes_title, block.yes), (block.no_title, block.no)):
        paras = (Para((Piece(title.text, bold=True),), title, sizes.body),
                 *(Para((Piece(t.text),), t, sizes.body, bullet=True) for t in items))
        texts.append((paras, frame_height(paras, text_w, space=space)))
    panel_h = max(h for _, h in texts) + 2 * PAD
    placed: list[object] = []
    for n, (paras, h) in enumerate(texts):
        left = x + n * (panel_w + COLUMN_GAP)
        dy = PAD + INSET_Y + (sizes.body * LINE - side) / 2  # centred on the title's first line
        placed.append(PanelBox(Box(left, y, panel_w, panel_h), PAD, dy, side, n == 0))
        placed.append(TextBox(Box(left + PAD + side + MARK_GAP, y + PAD, text_w, h), paras, space=space,
                              anchor="top"))
    return placed, panel_h


def draw_panel(slide: Slide, el: PanelBox) -> None:
    """The tinted, bordered panel and its mark in the panel's colour."""
    colour = rgb(palette.YES if el.yes else palette.NO)
    b = el.box
    panel = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Pt(b.x), Pt(b.y), Pt(b.w), Pt(b.h))
    panel.name = "Approved panel" if el.yes else "Not approved panel"
    panel.adjustments[0] = 0.06
    panel.fill.solid()
    panel.fill.fore_color.rgb = rgb(palette.YES_TINT if el.yes else palette.NO_TINT)
    panel.line.color.rgb = colour
    panel.line.width = Pt(BORDER)
    panel.shadow.inherit = False
    _decorative(panel)
    scale = Pt(el.side) / UNITS
    strokes = (marks.CHECK,) if el.yes else marks.CROSS
    for n, stroke in enumerate(strokes):
        (x0, y0), *rest = [(px * UNITS, py * UNITS) for px, py in stroke]
        builder = slide.shapes.build_freeform(x0, y0, scale=scale)
        builder.add_line_segments(rest, close=False)
        shape = builder.convert_to_shape(Emu(Pt(b.x + el.dx)), Emu(Pt(b.y + el.dy)))
        shape.name = f"{'Check' if el.yes else 'Cross'} mark {n + 1}"
        shape.fill.background()
        shape.line.color.rgb = colour
        shape.line.width = Pt(el.side * marks.STROKE)
        line = shape.element.xpath("./p:spPr/a:ln")[0]  # made by the width above; python-pptx sets no caps
        line.set("cap", "rnd")
        etree.SubElement(line, f"{{{_A}}}round")
        _decorative(shape)


def _decorative(shape: object) -> None:
    """Skipped by screen readers, and without the theme's shape style (whose shadow LibreOffice
    draws even under an empty effect list): its fill and line are set explicitly."""
    element = shape.element  # type: ignore[attr-defined]
    element.xpath("./*[1]/p:cNvPr")[0].append(etree.fromstring(DECORATIVE))
    for style in element.xpath("./p:style"):
        element.remove(style)

