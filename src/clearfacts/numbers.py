"""Number reading in one place: the statistic rule, the fact look-alike search and the output
checks all need to agree on what "48.3%", "$5,000" and "20k" mean."""

from __future__ import annotations

import re

NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(\s*[kK]\b)?")


def numbers_in(text: str) -> tuple[float, ...]:
    """Every number written in `text`, with thousands commas and a `k` suffix understood."""
    out = []
    for m in NUMBER.finditer(text):
        value = float(m.group(1).replace(",", "") + (f".{m.group(2)}" if m.group(2) else ""))
        out.append(value * 1000 if m.group(3) else value)
    return tuple(out)


def resembles(typed: float, registered: float) -> bool:
    """True when `typed` is the registered value or a rounded form of it (48 for 48.3, 20k)."""
    if registered == 0:
        return typed == 0
    return abs(typed - registered) <= max(1.0, abs(registered) * 0.05)
