"""The `contrast` block on paper: two tinted panels side by side, "approved" with a check mark
and "not approved" with a cross.

The words carry the meaning; the marks, tints and borders only repeat it, so nothing rests on
colour. Each mark is drawn outside any tagged element (an artifact, `tags.py`), so a screen
reader hears each panel as its title (H3) then its items (a list), left panel first. The panels
are one table row that never splits: a comparison cut across a page break compares nothing.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table

from clearfacts.model import Contrast, Text
from clearfacts.render import marks, palette
from clearfacts.render.pdf.document import markup
from clearfacts.render.pdf.tags import Tag, TaggedPara

YES, YES_TINT = colors.HexColor(f"#{palette.YES}"), colors.HexColor(f"#{palette.YES_TINT}")
NO, NO_TINT = colors.HexColor(f"#{palette.NO}"), colors.HexColor(f"#{palette.NO_TINT}")
GAP = 10.0  # points between the panels
PAD = 8.0  # points inside a panel
BORDER = 1.5  # points


class _Titled(Flowable):
    """A panel's title after its mark: the mark (decoration) is drawn untagged, the title tagged."""

    def __init__(self, title: TaggedPara, yes: bool, side: float):
        super().__init__()
        self.title, self.yes, self.side = title, yes, side
        self.indent = side * 1.4

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's name
        _, h = self.title.wrap(availWidth - self.indent, availHeight)
        self.width, self.height = availWidth, max(h, self.side)
        return self.width, self.height

    def draw(self) -> None:
        canv: Canvas = self.canv
        first_line = self.title.style.leading
        top = self.height - max(0.0, (first_line - self.side) / 2)
        draw_mark(canv, 0, top, self.side, self.yes)
        self.title.drawOn(canv, self.indent, self.height - self.title.height)


def draw_mark(canv: Canvas, left: float, top: float, side: float, yes: bool) -> None:
    """A check (yes) or a cross (no), `side` wide, its top-left corner at (left, top)."""
    canv.saveState()
    canv.setStrokeColor(YES if yes else NO)
    canv.setLineWidth(side * marks.STROKE)
    canv.setLineCap(1)
    canv.setLineJoin(1)
    strokes = (marks.CHECK,) if yes else marks.CROSS
    for stroke in strokes:
        path = canv.beginPath()
        (x0, y0), *rest = stroke
        path.moveTo(left + x0 * side, top - y0 * side)
        for x, y in rest:
            path.lineTo(left + x * side, top - y * side)
        canv.drawPath(path, stroke=1, fill=0)
    canv.restoreState()


def contrast(block: Contrast, width: float, title: ParagraphStyle, bullet: ParagraphStyle,
             bullet_text: str = "•") -> Table:
    """The two panels as one unsplittable table row, `width` wide; each title in `title` (drawn
    in its panel's colour), each item a list item in `bullet`."""
    inner = (width - GAP) / 2
    panels = [_panel(block.yes_title, block.yes, True, title, bullet, bullet_text),
              _panel(block.no_title, block.no, False, title, bullet, bullet_text)]
    t = Table([[panels[0], "", panels[1]]], colWidths=[inner, GAP, inner], hAlign="LEFT", spaceBefore=6,
              spaceAfter=10)
    t.setStyle([
        ("FONTNAME", (0, 0), (-1, -1), bullet.fontName),  # else an unembedded Helvetica is referenced
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, 0), YES_TINT), ("BOX", (0, 0), (0, 0), BORDER, YES),
        ("BACKGROUND", (2, 0), (2, 0), NO_TINT), ("BOX", (2, 0), (2, 0), BORDER, NO),
        *((f"{side}PADDING", (0, 0), (-1, -1), PAD) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")),
        ("LEFTPADDING", (1, 0), (1, 0), 0), ("RIGHTPADDING", (1, 0), (1, 0), 0),
    ])
    return t


def _panel(title: Text, items: tuple[Text, ...], yes: bool, title_style: ParagraphStyle,
           bullet: ParagraphStyle, bullet_text: str) -> list[Flowable]:
    style = ParagraphStyle(f"{title_style.name}-{'yes' if yes else 'no'}", title_style, textColor=YES if yes else NO,
                           spaceBefore=0, spaceAfter=4)
    head = TaggedPara(markup(title.text), style)
    head.tag = Tag((("H3", f"e{id(head)}"),))
    out: list[Flowable] = [_Titled(head, yes, style.fontSize * 1.1)]
    group = ("L", f"g{id(items)}{'y' if yes else 'n'}")
    for item in items:
        shown = TaggedPara(markup(item.text), bullet, bulletText=bullet_text)
        shown.tag = Tag((group, ("LI", f"e{id(shown)}")))
        out.append(shown)
    return out
