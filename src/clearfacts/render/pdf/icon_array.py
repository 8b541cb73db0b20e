"""An icon array on paper: per fact, its label, then a row of 10 figures of people (or ten rows
of ten, two grids side by side), the first N filled in the accent colour and the rest drawn in
outline only, so the difference never rests on colour alone.

Each array is one tagged `Figure` whose alternative text is its label ("Got MSC treatment: about
1 in 10 got DPN"): a screen reader hears the label once, instead of the figures. Each figure is
one path, filled or not, inside the figure's marked content, so a reader of the file can count
the filled ones (verify/icon_arrays.py does, with PDFium).
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table

from clearfacts.frequencies import filled
from clearfacts.model import IconArray, Text
from clearfacts.render import person
from clearfacts.render.pdf.document import markup
from clearfacts.render.pdf.tags import Marked, Tag

WIDEST = {10: 20.0, 100: 11.0}  # points: a figure's width for one row of 10, and for ten rows
LABEL_GAP = 3.0  # points between a label and its figures
LINE = 1.0  # outline width, points
SIDE_GAP = 14.0  # points between grids of 100 set side by side


class _Array(Flowable):
    """One fact's label and figures (it never splits: a label alone at a page foot says nothing)."""

    def __init__(self, label: Text, style: ParagraphStyle, shown: int, total: int, colour: colors.Color):
        super().__init__()
        self.label = Paragraph(markup(label.text), style)
        self.shown, self.total, self.colour = shown, total, colour

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's name
        self.label_height = self.label.wrap(availWidth, availHeight)[1]
        self.size, self.corners = person.grid(self.total, availWidth, WIDEST.get(self.total, WIDEST[100]))
        self.width = availWidth
        self.height = self.label_height + LABEL_GAP + person.grid_height(self.total, self.size)
        return self.width, self.height

    def draw(self) -> None:
        canv: Canvas = self.canv
        self.label.drawOn(canv, 0, self.height - self.label_height)
        top = self.height - self.label_height - LABEL_GAP
        canv.saveState()
        canv.setStrokeColor(self.colour)
        canv.setFillColor(self.colour)
        canv.setLineWidth(LINE)
        canv.setLineJoin(1)
        for n, (x, y) in enumerate(self.corners):
            _figure(canv, x + LINE / 2, top - y, self.size - LINE, n < self.shown)
        canv.restoreState()


def _figure(canv: Canvas, left: float, top: float, size: float, fill: bool) -> None:
    """One person, `size` wide, its top-left corner at (left, top): one path, filled or outlined."""
    path = canv.beginPath()
    cx, cy, r = person.HEAD
    path.circle(left + cx * size, top - cy * size, r * size)
    (x0, y0), *rest = person.BODY
    path.moveTo(left + x0 * size, top - y0 * size)
    for x, y in rest:
        path.lineTo(left + x * size, top - y * size)
    path.close()
    canv.drawPath(path, stroke=1, fill=1 if fill else 0)


def icon_arrays(block: IconArray, style: ParagraphStyle, colour: colors.Color) -> list[Flowable]:
    """One tagged figure per fact, its label in `style`, its figures in `colour`: rows of 10
    one under the other, grids of 100 side by side (so they can be compared at a glance). The
    caller prints the caption under them as a paragraph of its own."""
    out: list[Flowable] = []
    for label, fact in zip(block.labels, block.facts, strict=True):
        array = _Array(label, style, filled(fact), fact.frequency, colour)
        figure = Marked(array, Tag((("Figure", f"icons{id(array)}"),), alt=label.text))
        figure.spaceBefore, figure.spaceAfter = 4, 8
        figure.keepWithNext = 1  # the arrays and their caption share a page
        out.append(figure)
    if block.facts[0].frequency < 100 or len(out) == 1:
        return out
    share = f"{100 / len(out):.4f}%"
    side = Table([out], colWidths=[share] * len(out), spaceBefore=4, spaceAfter=8)
    side.keepWithNext = 1
    side.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), style.fontName),
                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                   ("BOTTOMPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), SIDE_GAP)])
    return [side]
