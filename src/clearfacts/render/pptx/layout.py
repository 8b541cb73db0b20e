"""Measured slide layout: content blocks → boxes with chosen font sizes, before any XML exists.

PowerPoint's and LibreOffice's auto-fit disagree with each other (and PDF export ignores it), so
every box is sized here from Liberation Sans metrics, which share Arial's advance widths. A slide
that does not fit at the smallest allowed size is an error naming the YAML line, never a silent
overflow. Like pandoc's PPTX writer, this stage knows nothing about python-pptx.
"""

from __future__ import annotations

from msgspec import Struct

from clearfacts.errors import ContentError, Finding
from clearfacts.model import (
    Block,
    Bullets,
    Chart,
    Contrast,
    IconArray,
    Link,
    Links,
    Paragraph,
    Questions,
    Table,
    Terms,
    Text,
)
from clearfacts.render import fonts
from clearfacts.render.urls import short_url, url_lines

LINE = 1.2  # line height ÷ font size; Arial's own is about 1.15, so this leaves slack
WIDTH_SAFETY = 0.93  # wrap as if every box were 7% narrower: renderers kern and round differently
INSET_X, INSET_Y = 7.2, 3.6  # text insets in points (PowerPoint's defaults, set explicitly)
CALLOUT_INSET = 12.0
CELL_INSET_X, CELL_INSET_Y = 6.0, 4.0
PARA_SPACE = 0.35  # space before each paragraph after the first, × its size
BLOCK_GAP = 0.55  # space between blocks, × body size
BULLET_INDENT = 0.9  # bullet hang, × size
QR_SIZE, QR_GAP = 124.0, 24.0  # a 1.7 in code (as projected, several feet) scans from the back rows
QR_BOX = QR_SIZE * (1 + 2 / 21)  # the code and one module of white around it (21: the fewest modules a code has)
COLUMN_GAP = 28.0
BODY_GAP = 12.0  # between the title box and the body under it


class Sizes(Struct, frozen=True):
    """One rung of the fitting ladder: body text, table text and secondary text (URLs)."""

    body: float
    table: float
    small: float


# Body size first: the deck takes one body size (the largest every slide fits at, see
# `plan.plan_deck`); within it a table takes the largest of its own sizes that fits.
LADDER = (Sizes(28, 24, 24), Sizes(28, 22, 24), Sizes(28, 20, 24), Sizes(26, 20, 24), Sizes(24, 20, 24),
          Sizes(24, 18, 18))
TITLE_SIZES = (40, 38, 36)
LEAD = 6  # points the title slide's first line (the subtitle) is set above the meeting details


class Box(Struct, frozen=True):
    """A rectangle in points from the slide's top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h


def below_title(title: Box, area: Box) -> Box:
    """`area`, its top moved down to leave BODY_GAP under the title where the two share columns
    (a body placed beside the title keeps its top)."""
    beside = area.x >= title.x + title.w or area.x + area.w <= title.x
    top = area.y if beside else max(area.y, title.bottom + BODY_GAP)
    return Box(area.x, top, area.w, area.bottom - top)


class Piece(Struct, frozen=True):
    """A run of text; "\n" inside it is a hard line break."""

    text: str
    bold: bool = False
    url: str | None = None


class Para(Struct, frozen=True):
    """One paragraph at its chosen size; `source` is the Text named when it does not fit."""

    pieces: tuple[Piece, ...]
    source: Text
    size: float
    bullet: bool = False


class TextBox(Struct, frozen=True):
    box: Box
    paras: tuple[Para, ...]
    callout: bool = False
    space: float = PARA_SPACE  # space before each paragraph after the first, × its size
    tone: int | None = None  # a key figure: drawn in the colour of the chart's bar `tone`
    anchor: str = "middle"  # "top", "middle" or "bottom": where a spare measured line goes (see `arrange`)


class TableBox(Struct, frozen=True):
    box: Box
    cells: tuple[tuple[Para, ...], ...]  # header row first
    widths: tuple[float, ...]
    heights: tuple[float, ...]


class ChartBox(Struct, frozen=True):
    box: Box
    chart: Chart


class QrBox(Struct, frozen=True):
    box: Box
    url: str
    label: str


Element = TextBox | TableBox | ChartBox | QrBox


class Misfit(Exception):
    """Raised inside one rung of the ladder; the next (smaller) rung is tried."""

    def __init__(self, text: Text):
        super().__init__(text.text)
        self.text = text


def font_of(para: Para) -> str:
    """Mixed bold and regular runs are measured as bold: wider, so on the safe side."""
    return fonts.DECK_BOLD if any(p.bold for p in para.pieces) else fonts.DECK


def indent(para: Para) -> float:
    return BULLET_INDENT * para.size if para.bullet else 0.0


def para_lines(para: Para, width: float) -> list[str]:
    """The lines the paragraph wraps to in a frame `width` wide (insets already taken off)."""
    avail = width - indent(para)
    font = font_of(para)
    lines: list[str] = []
    for segment in "".join(p.text for p in para.pieces).split("\n"):
        lines.extend(fonts.wrap(segment, font, para.size, avail * WIDTH_SAFETY))
    if any(fonts.width(line, font, para.size) > avail for line in lines):
        raise Misfit(para.source)  # one word wider than the box
    return lines


def para_height(para: Para, width: float) -> float:
    return len(para_lines(para, width)) * para.size * LINE


def frame_height(paras: tuple[Para, ...], width: float, inset_x: float = INSET_X, inset_y: float = INSET_Y,
                 space: float = PARA_SPACE) -> float:
    """Height of a text frame holding `paras`, insets and paragraph spacing included."""
    inner = width - 2 * inset_x
    body = sum(para_height(p, inner) for p in paras)
    spacing = sum(space * p.size for p in paras[1:])
    return body + spacing + 2 * inset_y


def fit_title(text: Text, box: Box, sizes: tuple[float, ...], slide: int) -> Para:
    """The largest title size whose wrapped lines fit the title placeholder."""
    for size in sizes:
        para = Para((Piece(text.text, bold=True),), text, size)
        try:
            if frame_height((para,), box.w) <= box.h:
                return para
        except Misfit:
            continue
    raise too_long(text, slide, sizes[-1])


def too_long(text: Text, slide: int, size: float) -> ContentError:
    message = f"text does not fit on slide {slide} even at {size:g} pt: shorten it or split the slide"
    return ContentError(Finding(text.loc.path, text.loc.line, message))


def fit_frame(paras_at: list[tuple[Text, bool]], box: Box, sizes: tuple[float, ...], slide: int) -> tuple[Para, ...]:
    """Title-slide text (subtitle, meeting lines) at the largest size that fits `box`.

    Each entry is (text, bold); the first is set LEAD pt larger than the rest, as a lead line.
    """
    for size in sizes:
        paras = tuple(Para((Piece(t.text, bold=b),), t, size + (LEAD if i == 0 else 0))
                      for i, (t, b) in enumerate(paras_at))
        try:
            if frame_height(paras, box.w) <= box.h:
                return paras
        except Misfit:
            continue
    raise too_long(max(paras_at, key=lambda p: len(p[0].text))[0], slide, sizes[-1])


def place(block: Block, sizes: Sizes, x: float, y: float, w: float, space: float = PARA_SPACE
          ) -> tuple[list[Element], float]:
    """One block stacked down from (x, y) in width `w`: its elements and the height they take.
    `space` is the space before each paragraph after the first, × its size (a slide with room
    to spare gives its lists more air, see `arrange`)."""
    match block:
        case Paragraph(text=text, emphasis=emphasis):
            return _text_box((Para((Piece(text.text, bold=emphasis),), text, sizes.body),), x, y, w, emphasis)
        case Bullets(items=items):
            return _text_box(tuple(Para((Piece(t.text),), t, sizes.body, bullet=True) for t in items), x, y, w,
                             space=space)
        case Terms(items=items):
            paras = tuple(Para((Piece(f"{i.term.text}: ", bold=True), Piece(i.text.text)), i.text, sizes.body)
                          for i in items)
            return _text_box(paras, x, y, w, space=space)
        case Questions(items=items):
            paras = []
            for q in items:
                paras.append(Para((Piece(q.question.text, bold=True),), q.question, sizes.body))
                paras += [Para((Piece(a.text),), a, sizes.body) for a in q.answer]
            return _text_box(tuple(paras), x, y, w, space=space)
        case Table():
            return _table(block, sizes.table, x, y, w)
        case Links(items=items):
            return _links(items, sizes, x, y, w)
        case IconArray():
            from clearfacts.render.pptx.icon_array import place_icons  # it builds on this module's boxes

            return place_icons(block, sizes, x, y, w)  # type: ignore[return-value]
        case Contrast():
            from clearfacts.render.pptx.contrast import place_contrast  # it builds on this module's boxes

            return place_contrast(block, sizes, x, y, w, space)  # type: ignore[return-value]
    raise TypeError(f"no slide layout for {type(block).__name__}")


def _text_box(paras: tuple[Para, ...], x: float, y: float, w: float, callout: bool = False,
              space: float = PARA_SPACE) -> tuple[list[Element], float]:
    inset = CALLOUT_INSET if callout else INSET_X
    h = frame_height(paras, w, inset, inset if callout else INSET_Y, space)
    return [TextBox(Box(x, y, w, h), paras, callout, space)], h


def _table(table: Table, size: float, x: float, y: float, w: float) -> tuple[list[Element], float]:
    rows = [tuple(Para((Piece(c.text, bold=True),), c, size) for c in table.columns)]
    rows += [tuple(Para((Piece(c.text),), c, size) for c in row) for row in table.rows]
    widths = _column_widths(rows, w)
    heights = _row_heights(rows, widths)
    h = sum(heights)
    return [TableBox(Box(x, y, w, h), tuple(rows), widths, heights)], h


def _row_heights(rows: list[tuple[Para, ...]], widths: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(max(frame_height((p,), cw, CELL_INSET_X, CELL_INSET_Y) for p, cw in zip(row, widths, strict=True))
                 for row in rows)


def _column_widths(rows: list[tuple[Para, ...]], total: float) -> tuple[float, ...]:
    """Share the width by each column's longest cell (which evens out line counts), never below
    a column's longest word."""
    columns = list(zip(*rows, strict=True))
    floor = [max(fonts.width(word, font_of(p), p.size) for p in col for word in p.source.text.split() or [""])
             / WIDTH_SAFETY + 2 * CELL_INSET_X + 1 for col in columns]
    if sum(floor) > total:
        raise Misfit(max((p for col in columns for p in col), key=lambda p: len(p.source.text)).source)
    natural = [max(fonts.width(p.source.text, font_of(p), p.size) for p in col) for col in columns]
    widths = [max(fl, total * n / sum(natural)) for fl, n in zip(floor, natural, strict=True)]
    return tuple(wd * total / sum(widths) for wd in widths)


def _links(items: tuple[Link, ...], sizes: Sizes, x: float, y: float, w: float) -> tuple[list[Element], float]:
    """Each link is a row: QR code on the left; beside it the label and what to type: the link's
    `display` when it has one (a long address nobody types from a screen), else the URL, broken
    where the handouts break it. Either way the text links to the URL."""
    placed: list[Element] = []
    top = y
    for link in items:
        text_x = x + (QR_BOX + QR_GAP if link.qr else 0.0)
        text_w = x + w - text_x
        inner = text_w - 2 * INSET_X
        if link.display is not None:
            typed = Para((Piece(link.display.text, url=link.url),), link.display, sizes.small)
        else:
            url = "\n".join(url_lines(short_url(link.url), fonts.DECK, sizes.small, inner * WIDTH_SAFETY))
            typed = Para((Piece(url, url=link.url),), link.label, sizes.small)
        paras = (Para((Piece(link.label.text, bold=True),), link.label, sizes.body), typed)
        text_h = frame_height(paras, text_w)
        row_h = max(text_h, QR_BOX if link.qr else 0.0)
        if link.qr:
            placed.append(QrBox(Box(x, y + (row_h - QR_BOX) / 2, QR_BOX, QR_BOX), link.url, link.label.text))
        placed.append(TextBox(Box(text_x, y + (row_h - text_h) / 2, text_w, text_h), paras))
        y += row_h + BLOCK_GAP * sizes.small
    return placed, y - BLOCK_GAP * sizes.small - top
