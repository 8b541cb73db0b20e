"""The statistic rule: what counts as a figure. It guards the content (a figure typed straight into
prose instead of referenced from the registry) and the read-back (every figure a reader sees must
be a registered fact) with the same definition.

A typed "48%" next to a registered 48.3% is how two handouts end up disagreeing, so it is an
error that names the fact it resembles. Plain counts, years, dates, times and phone numbers are
not statistics and pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from clearfacts.model import Fact
from clearfacts.numbers import numbers_in, resembles

# A match may only start where a number starts: without the look-behind a long run of digits
# makes every alternative retry from each digit (quadratic time on a 100 kB line).
_NUM = r"(?<![\d,.])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_PATTERNS = (
    ("money amount", re.compile(rf"\$\s?(?:{_NUM})(?:\s?[kKmM]\b)?|(?:{_NUM})\s?(?:dollars|USD)\b")),
    ("percentage", re.compile(rf"(?:{_NUM})\s?(?:%|per\s?cent\b)", re.IGNORECASE)),
    ("the word 'percent'", re.compile(r"\bper\s?cent\b", re.IGNORECASE)),
    ("decimal number", re.compile(r"(?<![\d.,])\d+\.\d+(?![\d.])")),
)
_NOT_NOUNS = {"", "percent", "year", "us dollars"}


def find_statistics(prose: str, facts: Mapping[str, Fact]) -> Iterable[tuple[str, Fact | None]]:
    """Yield (what was typed, the fact it resembles or None) for each statistic in `prose`.

    `prose` must already have its fact references removed.
    """
    taken: list[tuple[int, int]] = []

    def fresh(m: re.Match) -> bool:
        if any(a < m.end() and m.start() < b for a, b in taken):
            return False
        taken.append(m.span())
        return True

    for _kind, pattern in _PATTERNS:
        for m in pattern.finditer(prose):
            if fresh(m):
                yield m.group(0), _nearest(m.group(0), facts.values())
    for fact in facts.values():
        noun = fact.unit.strip().lower()
        if noun in _NOT_NOUNS:
            continue
        pattern = re.compile(rf"(?<![\w.,])(?:{_NUM})\s+(?:\w+\s+)?{re.escape(noun)}\b", re.IGNORECASE)
        for m in pattern.finditer(prose):
            if fresh(m):
                yield m.group(0), fact


def _nearest(typed: str, facts: Iterable[Fact]) -> Fact | None:
    values = numbers_in(typed)
    if not values:
        return None
    best: tuple[float, Fact] | None = None
    for fact in facts:
        for registered in fact.numbers():
            if resembles(values[0], registered):
                distance = abs(values[0] - registered) / max(abs(registered), 1.0)
                if best is None or distance < best[0]:
                    best = (distance, fact)
    return best[1] if best else None
