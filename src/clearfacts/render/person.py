"""The figure of a person an icon array repeats: one outline, drawn the same way in the PDFs, the
deck and the web pages, so every output shows the same picture of the same numbers.

Coordinates are in a box 1 wide and `HEIGHT` tall, y growing downwards (as on a slide or in SVG;
the PDF side flips them). A head (a circle) and a body with arms and legs (one polygon): a
simple, familiar silhouette that still reads when it is 10 points wide.
"""

from __future__ import annotations

import math

HEIGHT = 2.3
HEAD = (0.5, 0.32, 0.3)  # centre x, centre y, radius
BODY = ((0.12, 0.72), (0.88, 0.72), (1.0, 0.84), (1.0, 1.42), (0.84, 1.42), (0.84, 1.0), (0.78, 1.0), (0.78, 2.3),
        (0.54, 2.3), (0.54, 1.6), (0.46, 1.6), (0.46, 2.3), (0.22, 2.3), (0.22, 1.0), (0.16, 1.0), (0.16, 1.42),
        (0.0, 1.42), (0.0, 0.84))
COLUMNS = 10  # figures per row: 10 is one row, 100 is ten rows of ten
GAP = 0.45  # between figures in a row, × a figure's width
ROW_GAP = 0.25  # between rows, × a figure's height


def grid(total: int, width: float, widest: float) -> tuple[float, list[tuple[float, float]]]:
    """A figure's width and each figure's top-left corner (y down) for `total` figures in rows
    of `COLUMNS` across at most `width`, no figure wider than `widest`."""
    size = min(widest, width / (COLUMNS + (COLUMNS - 1) * GAP))
    step_x, step_y = size * (1 + GAP), size * HEIGHT * (1 + ROW_GAP)
    return size, [((i % COLUMNS) * step_x, (i // COLUMNS) * step_y) for i in range(total)]


def grid_height(total: int, size: float) -> float:
    rows = -(-total // COLUMNS)
    return size * HEIGHT * (rows + (rows - 1) * ROW_GAP)


def head_polygon(sides: int = 16) -> tuple[tuple[float, float], ...]:
    """The head as a polygon, for drawing engines without circles in a path (the deck's freeforms)."""
    cx, cy, r = HEAD
    return tuple((cx + r * math.cos(2 * math.pi * k / sides), cy + r * math.sin(2 * math.pi * k / sides))
                 for k in range(sides))
