"""Continuation: a slide body too long for the template's body area, even at the floor size, goes
on over follow-on slides instead of stopping the build.

A clinic's template may give the body half the room the house style does, and a list that fits
one design then needs two slides in another. The body is cut only where a reader expects a
break: between blocks, between the items of a list (bullets, terms, questions, links) or between
the rows of a table. Nothing is cut inside: a chart stays on the first slide, beside the text
that states its values; a table cut between rows repeats its header row, so each part reads on
its own; a line that introduces a list or table stays with its first item. What a cut cannot help
is still an error naming its YAML line: a single paragraph, item or row that does not fit a slide
of its own, or a bullet so long that it would fill more than half of one (a bullet is a short
sentence: such a bullet needs shortening, not a slide to itself).

Like the layout stage, this module knows nothing about python-pptx.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from msgspec import Struct
from msgspec.structs import replace

from clearfacts.model import Block, Bullets, Chart, Links, Paragraph, Questions, Table, Terms, Text
from clearfacts.render.pptx.arrange import DEFAULT, Rules, fit_body, plan_body, too_tall
from clearfacts.render.pptx.layout import Box, Element, too_long

LISTS = (Bullets, Terms, Questions, Links)
CUTTABLE = (*LISTS, Table)  # a table's items are its rows; its header goes with every part
BULLET_SHARE = 0.5  # of the body height: the most one bullet may take on a continued slide
MAX_ARRANGEMENTS = 400  # ways of cutting weighed for evenness; beyond that the greedy cut stands


class Unit(Struct, frozen=True):
    """What one cut may not divide: a whole block, or item (row) `item` of a list (table)."""

    block: int
    item: int | None = None


class Page(Struct, frozen=True):
    """One slide's share of a section: its blocks (lists cut to the items it shows), placed."""

    blocks: tuple[Block, ...]
    elements: tuple[Element, ...]


def paginate(blocks: tuple[Block, ...], region: Box, slide: int, follow: Box | None = None,
             rules: Rules = DEFAULT) -> tuple[Page, ...]:
    """The section's body on as few slides as it needs, the first numbered `slide`: one slide
    (exactly as `plan_body` places it) when it fits, otherwise cut as evenly as the cuts allow.
    Follow-on slides use `follow` when given (their title may take more room)."""
    fitted = fit_body(blocks, region, rules)
    if not isinstance(fitted, Text):
        return (Page(blocks, fitted[0]),)
    charts = tuple(b for b in blocks if isinstance(b, Chart))
    units = _units(blocks)
    if len(units) < 2:
        raise too_long(fitted, slide, rules.ladder[-1].body)
    for block in blocks:
        long_bullet = too_tall(block, region, BULLET_SHARE) if isinstance(block, Bullets) else None
        if long_bullet is not None:
            raise too_long(long_bullet, slide, rules.ladder[-1].body)

    def page(a: int, b: int) -> tuple[Block, ...]:
        return (charts if a == 0 else ()) + _blocks(blocks, units[a:b])

    def area(a: int) -> Box:
        return region if a == 0 or follow is None else follow

    rungs: dict[tuple[int, int], int | None] = {}

    def rung(a: int, b: int) -> int | None:
        if (a, b) not in rungs:
            got = fit_body(page(a, b), area(a), rules)
            rungs[a, b] = None if isinstance(got, Text) else got[1]
        return rungs[a, b]

    allowed = [k for k in range(1, len(units)) if not _keeps_with_next(blocks, units[k - 1], units[k])]
    cuts = _greedy(page, area, len(units), allowed, rung, slide, rules)
    if set(cuts) <= set(allowed):
        cuts = _even(len(cuts), allowed, len(units), rung) or cuts
    bounds = list(itertools.pairwise((0, *cuts, len(units))))
    return tuple(Page(page(a, b), plan_body(page(a, b), area(a), slide + i, rules)) for i, (a, b) in enumerate(bounds))


def _units(blocks: tuple[Block, ...]) -> list[Unit]:
    """Charts are not units: they go on the first slide."""
    units: list[Unit] = []
    for i, block in enumerate(blocks):
        if isinstance(block, CUTTABLE) and len(_items(block)) > 1:
            units += [Unit(i, j) for j in range(len(_items(block)))]
        elif not isinstance(block, Chart):
            units.append(Unit(i))
    return units


def _items(block: Bullets | Terms | Questions | Links | Table) -> tuple[object, ...]:
    return block.rows if isinstance(block, Table) else block.items


def _blocks(blocks: tuple[Block, ...], units: list[Unit]) -> tuple[Block, ...]:
    """The blocks `units` cover, each list cut down to the items among them."""
    out: list[Block] = []
    for index, group in itertools.groupby(units, key=lambda u: u.block):
        members = list(group)
        block = blocks[index]
        first, last = members[0].item, members[-1].item
        if first is None or last is None:
            out.append(block)
        elif isinstance(block, Table):
            out.append(replace(block, rows=block.rows[first:last + 1]))
        else:
            out.append(replace(block, items=block.items[first:last + 1]))  # type: ignore[arg-type]
    return tuple(out)


def _keeps_with_next(blocks: tuple[Block, ...], before: Unit, after: Unit) -> bool:
    """A paragraph that introduces a list or table ("Walk away if you see any of these signs.")
    stays with its first item."""
    return (isinstance(blocks[before.block], Paragraph) and after.block == before.block + 1
            and isinstance(blocks[after.block], CUTTABLE) and after.item in (None, 0))


def _greedy(page: Callable[[int, int], tuple[Block, ...]], area: Callable[[int], Box], total: int,
            allowed: list[int], rung: Callable[[int, int], int | None], slide: int, rules: Rules) -> list[int]:
    """The fewest slides: each as full as it can be, cut where allowed if possible, else at any
    unit; a unit that does not fit a slide alone is refused, naming the slide it would be on."""
    cuts: list[int] = []
    start = 0
    while rung(start, total) is None:
        ahead = range(start + 1, total)
        end = next((k for k in reversed(ahead) if k in allowed and rung(start, k) is not None), None)
        if end is None:
            end = next((k for k in reversed(ahead) if rung(start, k) is not None), None)
        if end is None:  # the unit does not fit a slide alone
            culprit = fit_body(page(start, start + 1), area(start), rules)
            assert isinstance(culprit, Text)  # rung(start, start + 1) is None
            raise too_long(culprit, slide + len(cuts), rules.ladder[-1].body)
        cuts.append(end)
        start = end
    return cuts


def _even(count: int, allowed: list[int], total: int, rung: Callable[[int, int], int | None]) -> list[int] | None:
    """Of the ways to cut into `count` + 1 slides at allowed places: the one whose smallest text
    is largest, then whose slides hold the most even number of units, then the fullest first."""
    if math.comb(len(allowed), count) > MAX_ARRANGEMENTS:
        return None
    best: tuple[tuple[int, int, tuple[int, ...]], list[int]] | None = None
    for cuts in itertools.combinations(allowed, count):
        bounds = list(itertools.pairwise((0, *cuts, total)))
        found = [rung(a, b) for a, b in bounds]
        if any(r is None for r in found):
            continue
        sizes = [b - a for a, b in bounds]
        score = (max(r for r in found if r is not None), max(sizes) - min(sizes), tuple(-s for s in sizes))
        if best is None or score < best[0]:
            best = (score, list(cuts))
    return best[1] if best else None
