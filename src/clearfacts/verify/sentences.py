"""Every sentence of the content, as often as the content says it, where it belongs.

A sentence said twice must be read twice: changing one copy of "In the control group, 48.3%
did." to 84.3% leaves one copy, which is one too few. When a sentence is short, the finding says
what is there instead: an altered or inconsistently written figure, text kept but not visible,
text covered by a shape, or text that changed.
"""

from __future__ import annotations

import re

from clearfacts.errors import Finding
from clearfacts.numbers import numbers_in
from clearfacts.verify.expect import ANYWHERE, Expected
from clearfacts.verify.extracted import Extracted, Place, Tagged
from clearfacts.verify.text import across_page_turns, contains, count

ANCHOR_WORDS = 4


def check_sentences(name: str, expected: list[Expected], got: Extracted) -> list[Finding]:
    places = {p.where: p for p in got.places}
    whole = " ".join(p.text for p in got.places)
    findings: list[Finding] = []
    for exp in expected:
        scope = [places[exp.scope]] if exp.scope in places else ([] if exp.scope else got.places)
        text = places[exp.scope].text if exp.scope in places else ("" if exp.scope else whole)
        found = count(text, exp.sentence)
        if found < exp.times and exp.scope == ANYWHERE:
            found += across_page_turns(got.places, exp.sentence)
        if found < exp.times:
            findings.append(_diagnose(name, exp, scope, got))
    return findings


def check_tagged(name: str, expected: list[Expected], got: Extracted, tagged: Tagged) -> list[Finding]:
    """Each sentence stating a fact, as often as a person reads it on the pages, must be read by
    a screen reader too: inside one text block of the structure tree (not an artifact, not
    split over blocks). A sentence missing from the pages is the page check's finding."""
    whole = " ".join(p.text for p in got.places)
    findings: list[Finding] = []
    for exp in (e for e in expected if e.facts):
        seen = min(exp.times, count(whole, exp.sentence) + across_page_turns(got.places, exp.sentence))
        read = sum(count(p.text, exp.sentence) for p in tagged.places) + across_page_turns(tagged.places, exp.sentence)
        if read < seen:
            fact = exp.facts[0]
            at = next((p.where for p in got.places if contains(p.text, exp.sentence)), _where(exp, got.places))
            prefix = f"{at}: " if at else ""
            findings.append(Finding(name, None, f"{prefix}fact {fact.id} ({fact.display}) is in no tagged element a "
                                    f"screen reader reads: '{_short(exp.sentence)}'", fact.id))
    return findings


def _diagnose(name: str, exp: Expected, scope: list[Place], got: Extracted) -> Finding:
    """Why a sentence is short, said at the place where it should be."""
    fact = exp.facts[0] if exp.facts else None
    fid = fact.id if fact else None
    for kind, reason in (("hidden", "not visible"), ("covered", "covered")):
        for place in scope:
            if contains(getattr(place, kind), exp.sentence) or (fact and _partial(getattr(place, kind), exp)):
                what = f"fact {fact.id} ({fact.display})" if fact else f"'{_short(exp.sentence)}'"
                return Finding(name, None, f"{place.where}: {reason}: {what}", fid)
    for fact in exp.facts:
        altered = _altered(name, exp.sentence, fact.display, fact.id, scope)
        if altered:
            return altered
    at = _where(exp, scope)
    prefix = f"{at}: " if at else ""
    if fact and not any(contains(p.text, fact.display) for p in scope):
        return Finding(name, None, f"{prefix}fact {fact.id} ({fact.display}) not found", fid)
    return Finding(name, None, f"{prefix}changed: '{_short(exp.sentence)}' not found", fid)


def _partial(text: str, exp: Expected) -> bool:
    return any(contains(text, f.display) for f in exp.facts) and contains(text, exp.sentence.split()[0])


def _altered(name: str, sentence: str, display: str, fid: str, scope: list[Place]) -> Finding | None:
    """The words around the figure are there, the figure is not: say what stands instead."""
    before, after = _anchors(sentence, display)
    for place in scope:
        candidates = _found_after(place.text, before, display) if before else []
        candidates += _found_before(place.text, after, display) if after else []
        for found in candidates:
            if display[-1] not in ".,;:!?)":
                found = found.rstrip(".,;:!?)")  # the sentence's punctuation is not part of the figure
            if found != display:
                kind = "inconsistent" if _same_numbers(found, display) else "altered"
                return Finding(name, None, f"{place.where}: {kind} fact {fid}: found {found}, expected {display}",
                               fid)
    return None


def _where(exp: Expected, scope: list[Place]) -> str:
    """The place that holds the start or the end of the sentence, else the scope itself."""
    words = exp.sentence.split()
    for piece in (" ".join(words[:ANCHOR_WORDS]), " ".join(words[-ANCHOR_WORDS:])):
        for place in scope:
            if len(words) > ANCHOR_WORDS and contains(place.text, piece):
                return place.where
    return exp.scope


def _anchors(sentence: str, display: str) -> tuple[str, str]:
    """The exact text just before and just after the figure in its sentence (a few words)."""
    at = sentence.find(display)
    if at < 0:
        return "", ""
    prefix, suffix = sentence[:at], sentence[at + len(display):]
    starts = [m.start() for m in re.finditer(r"\S+", prefix)][-ANCHOR_WORDS:]
    ends = [m.end() for m in re.finditer(r"\S+", suffix)][:ANCHOR_WORDS]
    before = prefix[starts[0]:] if starts else ""
    after = suffix[:ends[-1]] if ends else ""
    return (before if len(before.strip()) >= 8 else "", after if len(after.strip()) >= 8 else "")


def _found_after(text: str, anchor: str, display: str) -> list[str]:
    """What follows each copy of `anchor`, as many words as the display has."""
    n = len(display.split())
    return [" ".join(text[m.end():].split()[:n]) for m in re.finditer(re.escape(anchor), text)]


def _found_before(text: str, anchor: str, display: str) -> list[str]:
    n = len(display.split())
    return [" ".join(text[:m.start()].split()[-n:]) for m in re.finditer(re.escape(anchor), text)]


def _same_numbers(found: str, display: str) -> bool:
    a, b = numbers_in(found), numbers_in(display)
    return bool(a) and a == b


def _short(sentence: str, limit: int = 80) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit - 1] + "…"
