"""How a claim's negation is looked for, the same way in the content (the `claim-contradicted`
rule) and in every output (the check).

A claim fact lists the phrases that would say its opposite ("is now FDA-approved"). Written or
edited by people, the same words come with or without a hyphen, with a dash, a line break or
another case: "is now FDA approved" and "Is now FDA-Approved" say the same thing, so both are
compared with case, spacing and hyphenation set aside.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from clearfacts.model import Fact
from clearfacts.numbers import visible

# Whitespace, the hyphen-minus and the Unicode hyphens and dashes (U+2010 to U+2015), the minus sign.
_JOINS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def claim_words(text: str) -> str:
    """`text` as a claim's words: what a reader sees (`numbers.visible`), casefolded, every run of
    spaces, hyphens and dashes one space."""
    return _JOINS.sub(" ", visible(text).casefold()).strip()


def negations(facts: Mapping[str, Fact]) -> list[tuple[Fact, str, str]]:
    """(fact, phrase as listed, its claim words) for every phrase a claim fact lists under
    `contradicted_by`."""
    return [(fact, phrase, claim_words(phrase)) for fact in facts.values() for phrase in fact.contradicted_by]
