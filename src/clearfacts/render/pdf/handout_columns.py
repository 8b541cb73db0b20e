"""Where the one-page handout's blocks go: a full-width top (title band, main message), two
columns, a full-width bottom line.

Lines across a whole Letter page at 14 pt run to about 85 characters; half a page holds about
40, inside the 50-75 people read most easily at the low end and never over it. The columns are
balanced: the break goes where the taller column is shortest, at a section's end when that fits
(a section read in one piece), else between any two blocks that are not a heading and what it
introduces or two slices of one panel (`Story.glue`), else inside a paragraph of four lines or
more, two lines at least on each side. Text flows down the left column, then the
right, so reading order and the tagged structure are column by column.

Heights come from each flowable's own `wrap` at its zone's width, with the spaces between two
blocks collapsed to the larger one, as reportlab's frames place them (`overlapAttachedSpace`,
on by default); so the frames built from a plan hold exactly what it measured.
"""

from __future__ import annotations

from msgspec import Struct
from reportlab.platypus import Flowable

from clearfacts.render.pdf.handout_story import BOTTOM, COLUMNS, TOP, Story
from clearfacts.render.pdf.tags import TaggedPara

GUTTER_EMS = 1.5  # the space between the columns, in body sizes
SLACK = 0.5  # pt added to each frame, against rounding in reportlab's fit test


class Plan(Struct, frozen=True):
    """Heights of the three zones (points), how many column items go in the left column, and
    the paragraph cut between the columns, if any: its lines above the cut stay left."""

    top: float
    columns: float
    bottom: float
    split: int
    gap: float  # between zones
    cut: float = 0.0  # the height of the split paragraph's part in the left column; 0: none

    @property
    def total(self) -> float:
        return self.top + self.columns + self.bottom + self.gap * (2 if self.bottom else 1)


def column_width(width: float, size: float) -> float:
    return (width - GUTTER_EMS * size) / 2


def plan(story: Story, room: float) -> Plan | None:
    """The balanced layout of `story` in `room` points of height, or None when it does not fit."""
    sized = _sized(story)
    zones = {zone: [m for m, z in zip(sized, story.zones, strict=True) if z == zone] for zone in (TOP, COLUMNS, BOTTOM)}
    glue = [g for g, z in zip(story.glue, story.zones, strict=True) if z == COLUMNS]
    sections = [id(p.section) for p, z in zip(story.parts, story.zones, strict=True) if z == COLUMNS]
    gap = story.size * 0.6
    top, bottom = _need(zones[TOP]), _need(zones[BOTTOM])
    free = room - top - gap - (bottom + gap if bottom else 0.0)
    split, columns = _balance(zones[COLUMNS], glue, sections, free)
    cut = 0.0
    if columns > free:  # no break between blocks fits: try one inside a paragraph
        flowables = [f for (f, _), z in zip(story.items, story.zones, strict=True) if z == COLUMNS]
        split, columns, cut = _cut(flowables, zones[COLUMNS], story.column, (split, columns))
    layout = Plan(top, columns, bottom, split, gap, cut)
    return layout if layout.total <= room + 1e-6 and columns <= free + 1e-6 else None


def costs(story: Story) -> list[float]:
    """Each item's height in column points (a full-width item takes both columns' room), for
    the overflow message; the room to compare with is twice the body's height."""
    sized = _sized(story)
    out = []
    previous_after = 0.0
    for (h, before, after), zone in zip(sized, story.zones, strict=True):
        cost = h + max(before, previous_after)
        out.append(cost if zone == COLUMNS else 2 * cost)
        previous_after = after
    return out


def halves(flowable: Flowable, width: float, cut: float) -> list[Flowable]:
    """A paragraph cut after `cut` points of its lines: the part for the left column, the rest."""
    return flowable.split(width, cut + 0.01)


def _cut(flowables: list[Flowable], items: list[tuple[float, float, float]], width: float,
         best: tuple[int, float]) -> tuple[int, float, float]:
    """The shortest taller column with one paragraph (of four lines or more) cut between the
    columns, two lines at least on each side; `best` (split, height) when no cut beats it."""
    split, taller, cut = best[0], best[1], 0.0
    for i, flowable in enumerate(flowables):
        style = getattr(flowable, "style", None)
        lines = round(items[i][0] / style.leading) if isinstance(flowable, TaggedPara) and style else 0
        for above in range(2, lines - 1):
            left = _need([*items[:i], (above * style.leading, items[i][1], 0.0)])
            right = _need([((lines - above) * style.leading, 0.0, items[i][2]), *items[i + 1 :]])
            if max(left, right) < taller - 1e-6 and len(halves(flowable, width, above * style.leading)) == 2:
                split, taller, cut = i, max(left, right), above * style.leading
    return split, taller, cut


def _sized(story: Story) -> list[tuple[float, float, float]]:
    """(height, space before, space after) of each item at its zone's width."""
    out = []
    for (flowable, _), zone in zip(story.items, story.zones, strict=True):
        width = story.column if zone == COLUMNS else story.width
        _, h = flowable.wrap(width, 100_000)
        out.append((h, flowable.getSpaceBefore(), flowable.getSpaceAfter()))
    return out


def _need(items: list[tuple[float, float, float]]) -> float:
    """The height a frame needs for `items`: no space above the first or below the last."""
    total = 0.0
    for i, (h, before, _) in enumerate(items):
        total += h + (max(before, items[i - 1][2]) if i else 0.0)
    return total


def _balance(items: list[tuple[float, float, float]], glue: list[bool], sections: list[int],
             free: float) -> tuple[int, float]:
    """The left column's item count and the taller column's height: the shortest break at a
    section's end if one fits `free`, else the shortest break anywhere allowed."""
    n = len(items)
    if n < 2:
        return n, _need(items)
    options = []
    for k in range(1, n + 1):
        if k < n and glue[k - 1]:
            continue
        taller = max(_need(items[:k]), _need(items[k:]))
        options.append((taller, k, k == n or sections[k - 1] != sections[k]))
    whole = [o for o in options if o[2] and o[0] <= free]
    taller, k, _ = min(whole or options)
    return k, taller
