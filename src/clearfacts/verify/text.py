"""Finding normalised text inside normalised text: whole tokens only, counted, and across the
page turns of a PDF (where a running head and folio sit between the two halves of a sentence)."""

from __future__ import annotations

import re

from clearfacts.verify.extracted import Place

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=\S)")


def sentences(text: str) -> list[str]:
    """A normalised text cut after each sentence's final punctuation."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def positions(haystack: str, needle: str) -> list[int]:
    """Where `needle` stands as whole tokens, without overlaps: 48.3% is not inside 148.3% or
    48.35%, 48 not inside 48,3 or 48,000, and "It is" is not inside "It is not" when the needle ends the sentence."""
    found: list[int] = []
    start = haystack.find(needle)
    while start >= 0 and needle:
        end = start + len(needle)
        before = haystack[start - 1] if start else " "
        after = haystack[end:end + 2]
        left_ok = not (before.isalnum() or before in ".$") or not (needle[0].isalnum() or needle[0] in "$")
        right_ok = not after[:1].isdigit() and not (after[:1] in ".," and after[1:2].isdigit())
        if needle[-1].isalnum() and after[:1].isalpha():
            right_ok = False
        if left_ok and right_ok:
            found.append(start)
            start = haystack.find(needle, end)
        else:
            start = haystack.find(needle, start + 1)
    return found


def contains(haystack: str, needle: str) -> bool:
    return bool(positions(haystack, needle))


def count(haystack: str, needle: str) -> int:
    return len(positions(haystack, needle))


def across_page_turns(places: list[Place], needle: str, slack: int = 160) -> int:
    """How often `needle` is split over a page turn, the folio and running head in between: its
    first words end at most `slack` characters before one page's end and the rest begin at most
    `slack` after the next page's start (so only those ends of each page are searched)."""
    words = needle.split()
    cuts = [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(1, len(words))]
    reach = slack + len(needle)
    found = 0
    for this, following in zip(places, places[1:], strict=False):
        tail, head = this.text[-reach:], following.text[:reach]
        for left, right in cuts:
            end = tail.rfind(left)
            if end >= 0 and len(tail) - end - len(left) <= slack and 0 <= head.find(right) <= slack:
                found += 1
                break
    return found
