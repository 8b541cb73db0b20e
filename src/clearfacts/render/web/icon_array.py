"""An icon array on a web page: per fact, its label and an inline SVG of 10 (or 100) figures of
people (role="img", its aria-label the label), the first N filled and the rest outlined. The
figures are paths whose class (filled or outline) the style sheet paints in the accent colour:
no inline styles, so the page's Content-Security-Policy needs no exception.
"""

from __future__ import annotations

from msgspec import Struct

from clearfacts.frequencies import filled
from clearfacts.model import IconArray
from clearfacts.render import person

WIDTH = 400  # the SVG's user units across; CSS scales it to the column
WIDEST = {10: 28.0, 100: 14.0}


class Figure(Struct, frozen=True):
    d: str  # the path: a head and a body
    filled: bool


class IconRow(Struct, frozen=True):
    label: str
    width: int
    height: int
    figures: tuple[Figure, ...]


def icon_rows(block: IconArray) -> tuple[IconRow, ...]:
    """One SVG's worth per fact, in the block's order."""
    rows = []
    for label, fact in zip(block.labels, block.facts, strict=True):
        size, corners = person.grid(fact.frequency, WIDTH - 2, WIDEST.get(fact.frequency, WIDEST[100]))
        shown = filled(fact)
        figures = tuple(Figure(_path(x + 1, y + 1, size - 2), n < shown) for n, (x, y) in enumerate(corners))
        rows.append(IconRow(label.text, WIDTH, round(person.grid_height(fact.frequency, size) + 2), figures))
    return tuple(rows)


def _path(left: float, top: float, size: float) -> str:
    cx, cy, r = person.HEAD
    x, y, radius = left + cx * size, top + cy * size, r * size
    head = (f"M{x - radius:.2f},{y:.2f}a{radius:.2f},{radius:.2f} 0 1,0 {2 * radius:.2f},0"
            f"a{radius:.2f},{radius:.2f} 0 1,0 {-2 * radius:.2f},0Z")
    body = "L".join(f"{left + bx * size:.2f},{top + by * size:.2f}" for bx, by in person.BODY)
    return f"{head}M{body}Z"
