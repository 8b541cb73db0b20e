"""The fact × output matrix: which built file shows which fact, and where, so an editor sees the
reach of a change before making it."""

from __future__ import annotations

from collections.abc import Mapping

from clearfacts.model import ContentSet
from clearfacts.verify.extracted import Extracted
from clearfacts.verify.normalise import normalise
from clearfacts.verify.text import contains


def fact_matrix(content: ContentSet, extracted: Mapping[str, Extracted]) -> dict[str, dict[str, list[str]]]:
    """fact id → output path → places ("page 3", "slide 5 notes") where its display form appears."""
    matrix: dict[str, dict[str, list[str]]] = {}
    for fact in content.facts.values():
        display = normalise(fact.display)
        matrix[fact.id] = {
            name: [p.where for p in got.places if contains(p.text, display)] for name, got in extracted.items()
        }
    return matrix
