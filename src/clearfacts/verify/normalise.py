"""One normalisation for every comparison: text read back from a PDF or PPTX differs from what
was written (ligatures, soft hyphens, line breaks inside a figure, curly quotes, dashes)."""

from __future__ import annotations

import re
import unicodedata

_TRANSLATE = str.maketrans({
    "\u00ad": None,  # soft hyphen
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
_HYPHEN_BREAK = re.compile(r"(\w-)\s*\n\s*(?=\w)")
_SPACE = re.compile(r"\s+")
_INSIDE_FIGURE = re.compile(r"(?<=[\d$])\s+(?=[\d%])|(?<=\d[.,])\s+(?=\d)|(?<=\$)\s+")


def normalise(text: str) -> str:
    """NFKC, straight quotes, ASCII dashes, no soft hyphens, single spaces, whole figures."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    text = _HYPHEN_BREAK.sub(r"\1", text)
    text = _SPACE.sub(" ", text)
    return _INSIDE_FIGURE.sub("", text).strip()
