"""Where a slide's blocks go. The arrangement is chosen from the content, by the first rule that
matches (ids as in a review comment):

- `chart`: a section with a chart. The chart takes 60 % of the body width at full height (less,
  down to 45 %, when the text beside it needs the room), so its labels read from the back of the
  room; the text that states its values stacks beside it.
- `big-number`: a section that opens with key figures: paragraphs that are one fact's display
  form and nothing else (`text: "{trial.msc_rate}"`), each followed by its caption. The figures
  stand side by side in large type, each in the colour of its bar in the deck's charts, the
  caption under each; the rest (the caveat) goes under the row, at body size.
- `two-column`: a section that opens with a call-out and goes on with other text: the call-out
  on the left, the rest on the right, when both fit at the slide's size; else they stack.
- `stack`: everything else, one column.

Each column is then balanced: a short list gets more space between its items (up to
MAX_SPACE), and what is still free goes above and below the column, a little more below (the
eye puts the middle of a slide above its centre). A slide never has its text at the top and
half its height empty. Text is measured as if its box were narrower than drawn, so a box may
hold a line more than its text needs: the first of several blocks keeps its text at the bottom
of its box and the last at the top, so the spare line never opens a gap inside the group.

Like the layout stage, this module knows nothing about python-pptx.
"""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct
from msgspec.structs import replace

from clearfacts.model import Block, Bullets, Chart, Contrast, Paragraph, Text
from clearfacts.render.pptx.layout import (
    BLOCK_GAP,
    CALLOUT_INSET,
    CELL_INSET_X,
    COLUMN_GAP,
    INSET_X,
    LADDER,
    PARA_SPACE,
    Box,
    ChartBox,
    Element,
    Misfit,
    Para,
    Piece,
    Sizes,
    TableBox,
    TextBox,
    frame_height,
    para_height,
    para_lines,
    place,
    too_long,
)

CHART_SHARES = (0.6, 0.55, 0.5, 0.45)  # of the body width, when a slide has a chart and text: the largest that fits
FIGURE_SIZES = (96.0, 80.0, 66.0, 54.0)  # a key figure: one line, the largest that fits its column
CALLOUT_SHARE = 0.42  # the call-out's share of the width on a two-column slide
MAX_SPACE = 0.75  # the most space between a list's items, × their size
MAX_GAP = 0.8  # the most space between blocks, × the body size
ABOVE = 0.42  # the share of a column's free height that goes above it


class Rules(Struct, frozen=True):
    """What every slide of one deck is arranged with: the ladder of sizes it may use (the deck's
    one body size first) and its key figures (see `big-number`)."""

    ladder: tuple[Sizes, ...] = LADDER
    figures: frozenset[Text] = frozenset()


DEFAULT = Rules()


def plan_body(blocks: tuple[Block, ...], region: Box, slide: int, rules: Rules = DEFAULT) -> tuple[Element, ...]:
    """Blocks placed in `region` at the largest rung of the ladder that fits."""
    fitted = fit_body(blocks, region, rules)
    if isinstance(fitted, Text):
        raise too_long(fitted, slide, rules.ladder[-1].body)
    return fitted[0]


def fit_body(blocks: tuple[Block, ...], region: Box, rules: Rules = DEFAULT
             ) -> tuple[tuple[Element, ...], int] | Text:
    """The placed blocks and the index (in LADDER) of the rung they fit at; when even the floor is
    too small, the Text to shorten instead (a word wider than the box, or the tallest text)."""
    placed: list[Element] = []
    for sizes in rules.ladder:
        try:
            fitted = arrange(blocks, region, sizes, rules.figures)
        except Misfit as misfit:
            if sizes is rules.ladder[-1]:
                return misfit.text
            continue
        if fitted is not None:
            return tuple(fitted), LADDER.index(sizes)
        drawn = tuple(b for b in blocks if not isinstance(b, Chart))
        placed = _stack(drawn, region, sizes, PARA_SPACE, BLOCK_GAP * sizes.body)[0]
    return _tallest(placed)


def too_tall(block: Bullets, region: Box, share: float) -> Text | None:
    """The first bullet that, alone at the floor size, takes more than `share` of the region's
    height (or holds a word wider than it): too long to be a bullet, on any slide."""
    for item in block.items:
        try:
            _, height = place(Bullets((item,), block.loc), LADDER[-1], region.x, region.y, region.w)
        except Misfit:
            return item
        if height > share * region.h:
            return item
    return None


def arrange(blocks: tuple[Block, ...], region: Box, sizes: Sizes,
            figures: frozenset[Text] = frozenset()) -> list[Element] | None:
    """The blocks placed and balanced by the first rule that matches (see the module's
    docstring), or None when they do not fit `region` at `sizes`."""
    charts = [b for b in blocks if isinstance(b, Chart)]
    others = tuple(b for b in blocks if not isinstance(b, Chart))
    if charts:
        return _chart_slide(charts, others, region, sizes)
    lead, rest = key_figures(blocks, figures)
    if lead:
        return _big_number(lead, rest, region, sizes)
    # A contrast needs the full width for its two panels: its slide stacks.
    if len(blocks) > 1 and isinstance(blocks[0], Paragraph) and blocks[0].emphasis \
            and not any(isinstance(b, Contrast) for b in blocks):
        left_w = region.w * CALLOUT_SHARE - COLUMN_GAP / 2
        left = _column(blocks[:1], Box(region.x, region.y, left_w, region.h), sizes)
        right_x = region.x + left_w + COLUMN_GAP
        right = _column(blocks[1:], Box(right_x, region.y, region.x + region.w - right_x, region.h), sizes)
        if left is not None and right is not None:
            return left + right
    return _column(blocks, region, sizes)


def key_figures(blocks: Sequence[Block], figures: frozenset[Text]
                ) -> tuple[list[tuple[Paragraph, Paragraph | None]], tuple[Block, ...]]:
    """The key figures a section opens with, each with its caption (the plain paragraph after
    it), and the blocks after them. At most three: a fourth would not be read as key."""
    lead: list[tuple[Paragraph, Paragraph | None]] = []
    i = 0
    while i < len(blocks) and len(lead) < 3 and _is_figure(blocks[i], figures):
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        caption = after if isinstance(after, Paragraph) and not after.emphasis and not _is_figure(after, figures) \
            else None
        lead.append((blocks[i], caption))  # type: ignore[arg-type]
        i += 2 if caption else 1
    return lead, tuple(blocks[i:])


def _is_figure(block: Block | None, figures: frozenset[Text]) -> bool:
    return isinstance(block, Paragraph) and block.text in figures


def _chart_slide(charts: list[Chart], others: tuple[Block, ...], region: Box, sizes: Sizes) -> list[Element] | None:
    each = region.h / len(charts)
    for share in CHART_SHARES if others else (1.0,):
        chart_w = region.w * share - (COLUMN_GAP / 2 if others else 0.0)
        placed: list[Element] = [ChartBox(Box(region.x, region.y + i * each, chart_w, each), c)
                                 for i, c in enumerate(charts)]
        x = region.x + chart_w + COLUMN_GAP
        column = _column(others, Box(x, region.y, region.x + region.w - x, region.h), sizes) if others else []
        if column is not None:
            return placed + column
    return None


def _big_number(lead: list[tuple[Paragraph, Paragraph | None]], rest: tuple[Block, ...], region: Box,
                sizes: Sizes) -> list[Element] | None:
    """The figures in a row of equal columns, captions under them, the rest under the row."""
    n = len(lead)
    col_w = (region.w - (n - 1) * COLUMN_GAP) / n
    size = next((s for s in FIGURE_SIZES if all(_one_line(f.text, s, col_w) for f, _ in lead)), None)
    if size is None:
        raise Misfit(lead[0][0].text)
    figure_h = frame_height((_figure_para(lead[0][0].text, size),), col_w)
    captions = [frame_height((Para((Piece(c.text.text),), c.text, sizes.body),), col_w) if c else 0.0
                for _, c in lead]
    row_h = figure_h + max(captions)
    gap = BLOCK_GAP * sizes.body
    rest_placed, rest_h = _stack(rest, region, sizes, PARA_SPACE, gap) if rest else ([], -gap)
    free = region.h - row_h - gap - rest_h
    if free < 0:
        return None
    top = region.y + free * ABOVE
    row: list[Element] = []
    for i, (figure, caption) in enumerate(lead):
        x = region.x + i * (col_w + COLUMN_GAP)
        row.append(TextBox(Box(x, top, col_w, figure_h), (_figure_para(figure.text, size),), tone=i))
        if caption is not None:
            para = Para((Piece(caption.text.text),), caption.text, sizes.body)
            row.append(TextBox(Box(x, top + figure_h, col_w, captions[i]), (para,)))
    return row + _shifted(rest_placed, top + row_h + gap - region.y)


def _figure_para(text: Text, size: float) -> Para:
    return Para((Piece(text.text, bold=True),), text, size)


def _one_line(text: Text, size: float, width: float) -> bool:
    try:
        return len(para_lines(_figure_para(text, size), width - 2 * INSET_X)) == 1
    except Misfit:
        return False


def _column(blocks: tuple[Block, ...], region: Box, sizes: Sizes) -> list[Element] | None:
    """The blocks stacked in `region` and balanced there, or None when they do not fit."""
    gap = BLOCK_GAP * sizes.body
    placed, used = _stack(blocks, region, sizes, PARA_SPACE, gap)
    free = region.h - used
    if free < 0:
        return None
    spread = _spread(placed)
    space = PARA_SPACE + (min(MAX_SPACE - PARA_SPACE, 0.5 * free / spread) if spread else 0.0)
    gaps = len(blocks) - 1
    gap += min((MAX_GAP - BLOCK_GAP) * sizes.body, 0.25 * free / gaps) if gaps else 0.0
    if space > PARA_SPACE or gaps:
        placed, used = _stack(blocks, region, sizes, space, gap)
    return _shifted(placed, (region.h - used) * ABOVE)


def _stack(blocks: tuple[Block, ...], region: Box, sizes: Sizes, space: float, gap: float
           ) -> tuple[list[Element], float]:
    """The blocks one under another from the region's top; and the height they take."""
    placed: list[Element] = []
    y = region.y
    for n, block in enumerate(blocks):
        elements, height = place(block, sizes, region.x, y, region.w, space)
        anchor = "middle" if len(blocks) == 1 else "bottom" if n == 0 else "top" if n == len(blocks) - 1 \
            else "middle"
        placed += [replace(el, anchor=anchor) if isinstance(el, TextBox) and not el.callout else el
                   for el in elements]
        y += height + gap
    return placed, y - gap - region.y if blocks else 0.0


def _spread(placed: list[Element]) -> float:
    """The points a list's spacing grows by when `space` grows by one: the sizes of every
    paragraph that has space before it."""
    return sum(p.size for el in placed if isinstance(el, TextBox) and not el.callout for p in el.paras[1:])


def _shifted(placed: list[Element], dy: float) -> list[Element]:
    if not dy:
        return placed
    return [replace(el, box=Box(el.box.x, el.box.y + dy, el.box.w, el.box.h)) for el in placed]


def _tallest(placed: list[Element]) -> Text:
    """The Text taking the most height: the one to shorten when a slide overflows."""
    sized: list[tuple[float, Text]] = []
    for el in placed:
        if isinstance(el, TextBox):
            inner = el.box.w - 2 * (CALLOUT_INSET if el.callout else INSET_X)
            sized += [(para_height(p, inner), p.source) for p in el.paras]
        elif isinstance(el, TableBox):
            sized += [(para_height(p, cw - 2 * CELL_INSET_X), p.source)
                      for row in el.cells for p, cw in zip(row, el.widths, strict=True)]
    return max(sized, key=lambda pair: pair[0])[1]
