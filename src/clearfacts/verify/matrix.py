"""The fact × output matrix: which built file shows which fact, and where, so an editor sees the
reach of a change before making it."""

from __future__ import annotations

from collections.abc import Mapping

from clearfacts.model import ContentSet
from clearfacts.verify.extracted import Extracted
from clearfacts.verify.normalise import normalise
from clearfacts.verify.text import contains


def fact_matrix(content: ContentSet, extracted: Mapping[str, tuple[ContentSet, Extracted]],
                ) -> dict[str, dict[str, list[str]]]:
    """fact id → output path → places ("page 3", "slide 5 notes") where its display form (or its
    natural frequency, "about 1 in 10") appears: each output's own language's form (an output is
    given with the content set it renders)."""
    matrix: dict[str, dict[str, list[str]]] = {fact_id: {} for fact_id in content.facts}
    for name, (own, got) in extracted.items():
        for fact in own.facts.values():
            forms = [normalise(f) for f in (fact.display, fact.frequency_form) if f]
            matrix.setdefault(fact.id, {})[name] = [p.where for p in got.places
                                                    if any(contains(p.text, f) for f in forms)]
    return matrix
