"""Drawn marks of the red-flag handout: the warning panel, its warning sign, tick boxes, and the
"not approved" sign beside the main message.

Each mark is decoration drawn outside any tagged element, so it lands in the page's artifact
sequence (`tags.py`) and a screen reader skips it: the words beside it already say "warning
signs" and "tick each one", so colour and shape never carry meaning alone. The text inside is
an ordinary tagged flowable, drawn by the wrapper after its mark.

A warning panel is a run of `Slab`s, one per flowable of the section, stacked with no space
between them: each draws its own slice of the tinted background and side borders (the first the
top border and the sign, the last the bottom border). So every flowable keeps its own source
line for the overflow message, and the panel is as tall as what it holds.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from clearfacts.render import palette
from clearfacts.render.marks import CROSS, STROKE
from clearfacts.render.pdf.document import INK

WARN = colors.HexColor(f"#{palette.WARN}")
WARN_TINT = colors.HexColor(f"#{palette.WARN_TINT}")
BORDER = 1.75  # pt, the panel's outline
BOX_LINE = 1.1  # pt, a tick box's outline
BAR = 3.0  # pt, the coloured bar under a tinted band


class Slab(Flowable):
    """One slice of a panel: `inner` drawn `pad` in from the sides, its own spaces kept inside
    the slice (so slices touch), the first slice with `top` room above and the last `bottom`."""

    def __init__(self, inner: Flowable, pad: float, top: float = 0.0, bottom: float = 0.0, *,
                 fill: colors.Color = WARN_TINT, stroke: colors.Color | None = WARN, bar: colors.Color | None = None,
                 sign: float = 0.0, before: float = 0.0, after: float = 0.0):
        super().__init__()
        self.inner, self.pad, self.top, self.bottom = inner, pad, top, bottom
        self.fill, self.stroke, self.bar, self.sign = fill, stroke, bar, sign
        self.spaceBefore, self.spaceAfter = before, after
        self._above = 0.0 if top else inner.getSpaceBefore()
        self._below = 0.0 if bottom else inner.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's name
        _, h = self.inner.wrap(availWidth - 2 * self.pad, availHeight)
        self.width, self.inner_height = availWidth, h
        self.height = self.top + self._above + h + self._below + self.bottom
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # a panel stays in one column (the column planner keeps it whole)

    def getKeepWithNext(self) -> bool:  # noqa: N802 - reportlab's name: a heading's keeps
        return self.inner.getKeepWithNext()

    def draw(self) -> None:
        canv: Canvas = self.canv
        w, h = self.width, self.height
        canv.saveState()
        canv.setFillColor(self.fill)
        canv.rect(0, 0, w, h, stroke=0, fill=1)
        if self.bar is not None:  # a band's foot: a bar in the edition's colour
            canv.setFillColor(self.bar)
            canv.rect(0, 0, w, BAR, stroke=0, fill=1)
        if self.stroke is not None:
            canv.setStrokeColor(self.stroke)
            canv.setLineWidth(BORDER)
            half = BORDER / 2
            canv.line(half, 0, half, h)
            canv.line(w - half, 0, w - half, h)
            if self.top:
                canv.line(0, h - half, w, h - half)
            if self.bottom:
                canv.line(0, half, w, half)
        if self.sign:
            first_line = getattr(getattr(self.inner, "style", None), "leading", self.sign)
            middle = h - self.top - self._above - first_line / 2
            warning_sign(canv, self.pad, middle, self.sign)
        canv.restoreState()
        self.inner.drawOn(canv, self.pad, self.bottom + self._below)


def warning_sign(canv: Canvas, x: float, middle: float, side: float) -> None:
    """A filled triangle with a white exclamation mark, `side` wide, its left corner at `x` and
    centred on `middle`: drawn as shapes only, so no stray "!" reaches the page's text."""
    height = side * 0.88
    bottom = middle - height / 2
    canv.saveState()
    canv.setFillColor(WARN)
    canv.setStrokeColor(WARN)
    canv.setLineJoin(1)
    canv.setLineWidth(side * 0.08)
    path = canv.beginPath()
    path.moveTo(x, bottom)
    path.lineTo(x + side, bottom)
    path.lineTo(x + side / 2, bottom + height)
    path.close()
    canv.drawPath(path, stroke=1, fill=1)
    canv.setFillColor(colors.white)
    bar = side * 0.11
    canv.roundRect(x + side / 2 - bar / 2, bottom + height * 0.36, bar, height * 0.38, bar / 2, stroke=0, fill=1)
    canv.circle(x + side / 2, bottom + height * 0.2, bar * 0.62, stroke=0, fill=1)
    canv.restoreState()


class Ticked(Flowable):
    """A checklist item: an empty box to tick, then the item's tagged paragraph beside it."""

    def __init__(self, inner: Flowable, box: float, indent: float, leading: float):
        super().__init__()
        self.inner, self.box, self.indent, self.leading = inner, box, indent, leading
        self.spaceBefore, self.spaceAfter = inner.getSpaceBefore(), inner.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        _, h = self.inner.wrap(availWidth - self.indent, availHeight)
        self.width, self.height = availWidth, h
        return availWidth, h

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []

    def draw(self) -> None:
        canv: Canvas = self.canv
        top = self.height - (self.leading - self.box) / 2
        canv.saveState()
        canv.setFillColor(colors.white)
        canv.setStrokeColor(INK)
        canv.setLineWidth(BOX_LINE)
        canv.rect(BOX_LINE / 2, top - self.box, self.box, self.box, stroke=1, fill=1)
        canv.restoreState()
        self.inner.drawOn(canv, self.indent, 0)


class NotApproved(Flowable):
    """The main message's picture: a cross in a ring (the sign for "no"), under its side-head.
    It supports the words beside it ("the FDA has not approved…") for a reader who scans; the
    words carry the meaning, so the mark is decoration like the others."""

    def __init__(self, side: float, before: float = 0.0):
        super().__init__()
        self.side = side
        self.spaceBefore = before

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.side, self.side

    def draw(self) -> None:
        canv: Canvas = self.canv
        s, line = self.side, self.side * STROKE
        canv.saveState()
        canv.setStrokeColor(WARN)
        canv.setLineWidth(line)
        canv.setLineCap(1)
        canv.circle(s / 2, s / 2, (s - line) / 2, stroke=1, fill=0)
        for (x1, y1), (x2, y2) in CROSS:  # y down in the unit square; inset inside the ring
            canv.line(s * (0.2 + 0.6 * x1), s * (1 - 0.2 - 0.6 * y1), s * (0.2 + 0.6 * x2), s * (1 - 0.2 - 0.6 * y2))
        canv.restoreState()
