"""One normalisation for every comparison: text read back from a PDF or PPTX differs from what
was written (ligatures, soft hyphens, line breaks inside a figure, curly quotes, dashes)."""

from __future__ import annotations

import re
from functools import lru_cache

from clearfacts.numbers import visible

_TRANSLATE = str.maketrans({
    "\u00ad": None,  # soft hyphen
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
_HYPHEN_BREAK = re.compile(r"(\w-)\s*\n\s*(?=\w)")
_SOFT_BREAK = re.compile(r"[\x02\ufffe]\s*")  # PDFium's mark for a word hyphenated at a line end
_SPACE = re.compile(r"\s+")
# Spaces inside one figure ("$ 5,000", "48 %", "5 000"), never a line break: "…2025." at the end of
# a line and "9 red flags" at the start of the next are two figures, not 2025.9; "page 4 84.3%"
# stays two numbers. A "%" that starts a line belongs to the number that ends the one before
# ("10,3 %" broken at its no-break space, as reportlab may).
_INSIDE_FIGURE = re.compile(r"(?<=\d)\s+(?=%)|(?<=\d)[^\S\n]+(?=\d{3}(?!\d))|(?<=\$)[^\S\n]+")


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """What a reader sees (NFKC, no invisible characters, right-to-left overrides as displayed),
    straight quotes, ASCII dashes, no soft hyphens, whole figures, single spaces.

    Remembered: every output is checked against the same sentences of the model, each check
    normalising them again (checking one language's eight outputs asked 3,650 times for 643
    distinct texts). The result is a plain `str` whatever subclass came in."""
    text = _SOFT_BREAK.sub("", text)
    text = visible(text).translate(_TRANSLATE)
    text = _HYPHEN_BREAK.sub(r"\1", text)
    text = _INSIDE_FIGURE.sub("", text)
    return _SPACE.sub(" ", text).strip()
