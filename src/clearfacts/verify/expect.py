"""What each output must say and where, worked out from the model alone (never from a renderer):
every sentence of its prose, how often, and in which location.

A PDF is one scope (its layout decides the pages); a deck has one scope per slide and per
slide's notes, each section matched to its slide by title, so a facilitator's own added slide
shifts nothing and a missing slide is named.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping

from msgspec import Struct
from msgspec.structs import replace

from clearfacts.errors import Finding
from clearfacts.formats import Format
from clearfacts.frequencies import shown_as
from clearfacts.model import Chart, Document, Fact, Section, Text, block_texts
from clearfacts.verify.extracted import Extracted, Place
from clearfacts.verify.normalise import normalise
from clearfacts.verify.text import sentences

ANYWHERE = ""  # the scope of a document whose layout decides the page


class Expected(Struct, frozen=True):
    """One sentence that must be read `times` times in `scope`, with the facts it states."""

    sentence: str
    facts: tuple[Fact, ...]
    scope: str
    times: int


def expected_sentences(fmt: Format, document: Document, facts: Mapping[str, Fact],
                       slides: Mapping[int, int]) -> list[Expected]:
    """Every sentence of the document's prose with its scope; `slides` maps section index
    (1-based) to the slide that shows it, for formats with a section per unit."""
    tally: Counter[tuple[str, str]] = Counter()
    stated: dict[str, tuple[Fact, ...]] = {}
    for scope, text in _scoped_texts(fmt, document, slides):
        shown = [facts[f] for f in text.facts]
        for sentence in sentences(normalise(text.text)):
            tally[(sentence, scope)] += 1
            stated[sentence] = tuple(f for f in (shown_as(fact, sentence, normalise) for fact in shown) if f)
    return [Expected(sentence, stated[sentence], scope, n) for (sentence, scope), n in tally.items()]


def _scoped_texts(fmt: Format, document: Document, slides: Mapping[int, int]) -> Iterator[tuple[str, Text]]:
    if not fmt.section_per_unit:
        for text in document.texts():
            if text.text.strip():
                yield ANYWHERE, text
        return
    unit = fmt.unit
    for index, section in enumerate(document.sections, 1):
        if index not in slides:
            continue
        where = f"{unit} {slides[index]}"
        if index == 1:
            yield where, document.title
            if document.subtitle:
                yield where, document.subtitle
        else:
            yield where, section.title
        for text in _body_texts(section):
            if text.text.strip():
                yield where, text
        if section.notes is not None and section.notes.text.strip():
            yield f"{where} notes", section.notes


def _body_texts(section: Section) -> Iterator[Text]:
    """Prose drawn on the slide itself (a chart's words are checked with its values)."""
    for block in section.blocks:
        if not isinstance(block, Chart):
            yield from block_texts(block)


_CONTINUED = re.compile(r"^(.*) \((\d+) (?:of|de) (\d+)\)$")


def match_slides(fmt: Format, document: Document, got: Extracted) -> tuple[dict[int, int], list[Finding]]:
    """Section index → slide number, by title (titles are unique); a section whose slide is
    gone is a `changed` finding."""
    if not fmt.section_per_unit:
        return {}, []
    by_title: dict[str, int] = {}
    for place in got.places:
        number = place.where.split()[1]
        if place.where == f"{fmt.unit} {number}" and place.title:
            by_title.setdefault(place.title, int(number))
    slides: dict[int, int] = {}
    findings: list[Finding] = []
    for index, section in enumerate(document.sections, 1):
        title = normalise((document.title if index == 1 else section.title).text)
        if title in by_title:
            slides[index] = by_title[title]
        elif index <= got.units and _untitled(got, fmt.unit, index):
            slides[index] = index  # a title lost in an edit: the slide keeps its place
        else:
            findings.append(Finding(fmt.path, None, f"changed: the {fmt.unit} titled '{title}' is missing"))
    return slides, findings


def continued(fmt: Format, document: Document, got: Extracted, slides: Mapping[int, int]) -> list[Finding]:
    """A warning for each section that goes on over follow-on slides (the template's body area
    was too small for it), naming the section's line: the deck is right, but longer than planned."""
    merged = with_continuations(fmt, got, slides)
    out = []
    for index, first in slides.items():
        extra = [p for p in got.places if p.title and _CONTINUED.match(p.title)
                 and _CONTINUED.match(p.title).group(1) == _title_of(merged, fmt.unit, first)]
        if extra:
            loc = document.sections[index - 1].loc
            last = extra[-1].where.split()[1]
            out.append(Finding(loc.path, loc.line, f"{fmt.path}: {fmt.unit} {first} does not fit the template's "
                                                   f"body area, so it continues up to {fmt.unit} {last}; shorten "
                                                   "or split the section to keep one slide",
                               severity="warning", rule="slide-continued"))
    return out


def _title_of(got: Extracted, unit: str, number: int) -> str:
    return next((p.title for p in got.places if p.where == f"{unit} {number}"), "")


def with_continuations(fmt: Format, got: Extracted, slides: Mapping[int, int]) -> Extracted:
    """A section too long for one slide goes on over slides titled "<title> (2 of 3)" right
    after its first: its expected text is then read from all of them together (the renderer's
    cut cannot be recomputed here, and need not be: every sentence must still be there)."""
    if not fmt.section_per_unit:
        return got
    firsts = {p.title: int(p.where.split()[1]) for p in got.places
              if p.title and p.where.split()[1:] and int(p.where.split()[1]) in slides.values()}
    joined: dict[int, list[Place]] = {}
    for place in got.places:
        match = _CONTINUED.match(place.title) if place.title else None
        if match and match.group(1) in firsts and place.where == f"{fmt.unit} {place.where.split()[1]}":
            joined.setdefault(firsts[match.group(1)], []).append(place)
    if not joined:
        return got
    places = []
    for place in got.places:
        more = joined.get(int(place.where.split()[1])) if place.where.split()[1].isdigit() else None
        if more and place.where == f"{fmt.unit} {place.where.split()[1]}":
            parts = [place, *more]
            place = replace(place, text=" ".join(p.text for p in parts),
                                        hidden=" ".join(p.hidden for p in parts),
                                        covered=" ".join(p.covered for p in parts))
        places.append(place)
    return replace(got, places=places)


def _untitled(got: Extracted, unit: str, number: int) -> bool:
    return any(p.where == f"{unit} {number}" and not p.title for p in got.places)
