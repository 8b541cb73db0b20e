"""Table columns sized from what they hold, and words broken only where they cannot fit.

Equal columns break long words between letters (`FDA-approv|ed?`) while a column of short
numbers wastes half its width. So every column gets at least its longest word, and the room left
goes where it saves the most lines: a step at a time, to the column whose widening takes the most
lines off the table for the room it uses (a phrase that drops from three lines to two in every
row wins over a column of long text that would still wrap); what no column can turn into fewer
lines is spread like the text. A table with more room than text is spread in the same
proportions. Only when the longest words cannot all fit side by side is a word that is wider than
its column hyphenated, at its syllable breaks (pyphen, in the content's language), marked with
soft hyphens that reportlab breaks at and prints as "-". A word that still cannot fit (no
syllable break narrow enough) is refused, naming its cell.
"""

from __future__ import annotations

import re
from functools import cache

import pyphen
from msgspec import Struct

from clearfacts.errors import ContentError, Finding
from clearfacts.model import Text
from clearfacts.render import fonts

SHY = "\u00ad"  # soft hyphen: a place reportlab may break a word, printing "-" there
SLACK = 0.5  # points: measuring and setting agree exactly, but a column is never cut that fine
STEP = 2.0  # points: how finely the room beyond the longest words is handed out
_WORD = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)  # leading punctuation, the word, trailing punctuation


class Cell(Struct, frozen=True):
    text: Text
    font: str


def column_widths(rows: list[list[Cell]], size: float, total: float, pad: float, lang: str) -> list[float]:
    """Widths (padding included) that add up to `total`; raises ContentError naming the cell
    whose word cannot fit even at its syllable breaks."""
    columns = list(zip(*rows, strict=True))
    natural = [max(_width(c.text.text, c.font, size) for c in col) + 2 * pad + SLACK for col in columns]
    whole = [max(_widest(c, size, lang, syllables=False) for c in col) + 2 * pad + SLACK for col in columns]
    if sum(natural) <= total:
        return _share(natural, [n * 2 for n in natural], total)  # spread the spare room like the text
    if sum(whole) <= total:
        return _fewest_lines(rows, size, pad, whole, natural, total)
    pieces = [max(_widest(c, size, lang, syllables=True) for c in col) + 2 * pad + SLACK for col in columns]
    if sum(pieces) > total:
        worst = max((c for col in columns for c in col), key=lambda c: _widest(c, size, lang, syllables=True))
        word = max(_words(worst.text.text), key=lambda w: _width(w, worst.font, size))
        raise ContentError(Finding(worst.text.loc.path, worst.text.loc.line,
                                   f"the word '{word.replace(SHY, '')}' cannot fit its table column even "
                                   f"hyphenated ({len(columns)} columns in {total:.0f} pt): shorten it, or give the "
                                   "table fewer columns"))
    return _whole_first(pieces, whole, total)


def _fewest_lines(rows: list[list[Cell]], size: float, pad: float, low: list[float], high: list[float],
                  total: float) -> list[float]:
    """From `low` (whole words) towards `high` (one line each), the widths that give the table the
    fewest lines, found greedily in STEP-point steps; the rest of the room spread as `_share` does."""
    steps = int((total - sum(low)) // STEP)
    inner = [[_word_widths(c, size) for c in col] for col in zip(*rows, strict=True)]
    # lines[c][r][k]: the lines of row r's cell in column c at width low[c] + k * STEP
    lines = [[[_line_count(words, low[c] - 2 * pad - SLACK + k * STEP, space) for k in range(steps + 1)]
              for words, space in col] for c, col in enumerate(inner)]
    at = [0] * len(low)

    def height(column: int = -1, k: int = 0) -> int:
        """The table's lines with `column` at step `k` and the others where they are."""
        return sum(max(lines[c][r][k if c == column else at[c]] for c in range(len(low))) for r in range(len(rows)))

    left = steps
    while left:
        now = height()
        best: tuple[float, int, int] | None = None  # lines saved per step, column, its new step
        for c in range(len(low)):
            for k in range(at[c] + 1, at[c] + left + 1):
                saved = now - height(c, k)
                if saved > 0:
                    if best is None or saved / (k - at[c]) > best[0]:
                        best = (saved / (k - at[c]), c, k)
                    break
        if best is None:
            break
        left -= best[2] - at[best[1]]
        at[best[1]] = best[2]
    widths = [lo + k * STEP for lo, k in zip(low, at, strict=True)]
    return _share(widths, [max(h, w) for h, w in zip(high, widths, strict=True)], total)


def _word_widths(cell: Cell, size: float) -> tuple[list[float], float]:
    """The widths of a cell's words, and of a space, in its font."""
    return [_width(w, cell.font, size) for w in _words(cell.text.text)], fonts.width(" ", cell.font, size)


def _line_count(words: list[float], width: float, space: float) -> int:
    """Lines a greedy wrap (reportlab's) needs for words of these widths in `width` points."""
    count, line = 1, 0.0
    for word in words:
        if line and line + space + word > width:
            count, line = count + 1, word
        else:
            line = line + space + word if line else word
    return count


def hyphenated(text: str, font: str, size: float, width: float, lang: str) -> str:
    """`text` with soft hyphens at the syllable breaks of each word wider than `width` (the
    column inside its padding); every other word is left whole."""
    return " ".join(_soft(word, lang) if _width(word, font, size) > width else word for word in text.split(" "))


def _share(low: list[float], high: list[float], total: float) -> list[float]:
    """Each column from `low` towards `high`, by the same fraction, so that they add up to `total`."""
    room = total - sum(low)
    span = sum(h - lo for lo, h in zip(low, high, strict=True))
    if span <= 0:
        return [lo + room / len(low) for lo in low]
    return [lo + room * (h - lo) / span for lo, h in zip(low, high, strict=True)]


def _whole_first(low: list[float], whole: list[float], total: float) -> list[float]:
    """From the syllable minimum, first give whole words to the columns that need no more than
    their fair share of the spare room for them (so a column of short words is not hyphenated to
    save a point), then share what is left in proportion, so no column is squeezed to a syllable
    per line while its neighbours stay wide."""
    widths = list(low)
    room = total - sum(low)
    order = sorted(range(len(low)), key=lambda i: whole[i] - low[i])
    for n, i in enumerate(order):
        if whole[i] - widths[i] > room / (len(order) - n):
            break
        room -= whole[i] - widths[i]
        widths[i] = whole[i]
    short = [i for i in range(len(low)) if widths[i] < whole[i]]
    gap = sum(whole[i] - widths[i] for i in short)
    for i in short:
        widths[i] += room * (whole[i] - widths[i]) / gap
    return widths


def _widest(cell: Cell, size: float, lang: str, syllables: bool) -> float:
    """The widest piece of the cell that cannot be broken: a word, or a syllable run with its "-"."""
    widest = 0.0
    for word in _words(cell.text.text):
        parts = _soft(word, lang).split(SHY) if syllables else [word.replace(SHY, "")]
        hyphen = fonts.width("-", cell.font, size)
        widest = max(widest, *(_width(p, cell.font, size) + (hyphen if i < len(parts) - 1 else 0.0)
                               for i, p in enumerate(parts)))
    return widest


def _words(text: str) -> list[str]:
    return text.split() or [""]


def _width(text: str, font: str, size: float) -> float:
    return fonts.width(text.replace(SHY, ""), font, size)


def _soft(word: str, lang: str) -> str:
    """Soft hyphens at the word's syllable breaks, kept away from its punctuation and from an
    existing hyphen (reportlab prints "-" at a soft hyphen, which would double it)."""
    lead, core, trail = _WORD.match(word).groups()  # type: ignore[union-attr]
    dictionary = _dictionary(lang)
    if dictionary is None or not core:
        return word
    parts = [dictionary.inserted(part, hyphen=SHY) if part.isalpha() else part for part in core.split("-")]
    return lead + "-".join(parts) + trail


@cache
def _dictionary(lang: str) -> pyphen.Pyphen | None:
    """The hyphenation patterns for the content's language ("en-US" → en_US), if pyphen has them."""
    found = pyphen.language_fallback(lang.replace("-", "_"))
    return pyphen.Pyphen(lang=found) if found else None
