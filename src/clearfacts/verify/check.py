"""Registry × extracted text → findings: missing, altered, inconsistent, stale, absent.

Each fact is looked for where its sentence is: the words around it in the content are an
anchor, so an edit that changes 48.3% to 48.2% on one slide is caught on that slide even when
48.3% still appears elsewhere. Expected locations come from the model, never from a renderer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from clearfacts.errors import Finding
from clearfacts.formats import Format
from clearfacts.model import Chart, ContentSet, Document, Fact, Section, Text, block_texts
from clearfacts.numbers import numbers_in
from clearfacts.stamps import stamp_paper, stamp_parts
from clearfacts.verify.extracted import Extracted, Place
from clearfacts.verify.normalise import normalise

ANCHOR_WORDS = 4


@dataclass(frozen=True)
class Occurrence:
    """A fact inside one piece of prose, and where in the output that prose belongs."""

    fact: Fact
    text: Text
    place: str | None  # "slide 5", "slide 5 notes"; None: anywhere in the document


def check_output(fmt: Format, content: ContentSet, data: bytes | None,
                 stamps: Callable[[str | None], Mapping[str, str]]) -> tuple[list[Finding], Extracted | None]:
    """Read one output back with its format's reader and check it: (findings, what was read).

    `stamps(paper)` gives the stamps this content builds for a paper size: an output built with
    `--paper a4` is compared with the a4 build, not called stale.
    """
    if data is None:
        return [Finding(fmt.path, None, "missing: run clearfacts build")], None
    try:
        got: Extracted = fmt.reader()(data)  # type: ignore[assignment]
    except Exception as exc:  # noqa: BLE001 - any reader failure means the file is damaged
        return [Finding(fmt.path, None, f"cannot be read ({type(exc).__name__}); run clearfacts build")], None
    findings = _stamp_findings(fmt.path, got.stamp, stamps(stamp_paper(got.stamp))[fmt.key])
    findings.extend(check_document(fmt, getattr(content, fmt.document), got, content.facts))
    return findings, got


def _stamp_findings(name: str, found: str, expected: str) -> list[Finding]:
    if found == expected:
        return []
    parts = stamp_parts(found)
    if parts is None:
        return [Finding(name, None, "has no build stamp: not built by clearfacts; run clearfacts build")]
    if parts[0] == stamp_parts(expected)[0]:
        return [Finding(name, None, "is stale: built with other library versions; run clearfacts build")]
    return [Finding(name, None, "is stale: built from older content; run clearfacts build")]


def check_document(fmt: Format, document: Document, got: Extracted, facts: Mapping[str, Fact]) -> list[Finding]:
    """Every fact occurrence of `document` must appear, unaltered, where it belongs."""
    name = fmt.path
    findings: list[Finding] = []
    places = {p.where: p for p in got.places}
    unit = fmt.unit if fmt.section_per_unit else None
    for occ in occurrences(document, facts, unit):
        finding = _check_occurrence(name, occ, places, got)
        if finding:
            findings.append(finding)
    for index, section in enumerate(document.sections, 1):
        for block in section.blocks:
            if not isinstance(block, Chart):
                continue
            if unit:
                findings.extend(_check_chart(name, f"{unit} {index} chart", block, places))
            else:
                findings.extend(_check_chart_table(name, block, got))
    for fact in facts.values():
        for old in fact.previous:
            for place in got.places:
                if contains(place.text, normalise(old)):
                    findings.append(Finding(name, None, f"{place.where}: stale value {old} of fact {fact.id} "
                                                        f"(now {fact.display})", fact.id))
    return _unique(findings)


def occurrences(document: Document, facts: Mapping[str, Fact], unit: str | None) -> Iterator[Occurrence]:
    """Each (fact, prose) pair of the document; with a `unit` ("slide"), the unit it must be on."""
    for index, section in enumerate(document.sections, 1):
        for text in _section_texts(section):
            for fid in text.facts:
                yield Occurrence(facts[fid], text, f"{unit} {index}" if unit else None)
        if section.notes is not None:
            for fid in section.notes.facts:
                yield Occurrence(facts[fid], section.notes, f"{unit} {index} notes" if unit else None)
    for fid in document.title.facts:
        yield Occurrence(facts[fid], document.title, f"{unit} 1" if unit else None)


def _section_texts(section: Section) -> Iterator[Text]:
    yield section.title
    for block in section.blocks:
        if not isinstance(block, Chart):
            yield from block_texts(block)


def _check_occurrence(name: str, occ: Occurrence, places: dict[str, Place], got: Extracted) -> Finding | None:
    display = normalise(occ.fact.display)
    rendered = normalise(occ.text.text)
    where = [places[occ.place]] if occ.place in places else ([] if occ.place else got.places)
    before, after = _anchors(rendered, display)
    anchored = [a for a in (before and before + display, after and display + after) if a]
    texts = [p.text for p in where] + ([] if occ.place else [got.joined()])  # a PDF sentence may span pages
    if any(contains(text, anchor) for text in texts for anchor in anchored):
        return None
    if not occ.place and any(_across_page_turn(got, anchor) for anchor in anchored):
        return None
    for place in where:
        found = _found_after(place.text, before, display) if before else None
        if found is None and after:
            found = _found_before(place.text, after, display)
        if found is not None and display[-1].isalnum():
            found = found.rstrip(".,;:!?)")  # the sentence's punctuation is not part of the figure
        if found is not None and found != display:
            kind = "inconsistent" if _same_numbers(found, display) else "altered"
            return Finding(name, None, f"{place.where}: {kind} fact {occ.fact.id}: found {found}, expected {display}",
                           occ.fact.id)
    if not anchored and any(contains(text, display) for text in texts):
        return None  # the prose is the fact alone (a title, a table cell): no sentence to anchor to
    at = f"{occ.place}: " if occ.place else ""
    return Finding(name, None, f"{at}fact {occ.fact.id} ({occ.fact.display}) not found", occ.fact.id)


def _across_page_turn(got: Extracted, needle: str, slack: int = 160) -> bool:
    """True when `needle` is split over a page turn, the folio and running head in between."""
    words = needle.split()
    for this, following in zip(got.places, got.places[1:], strict=False):
        for cut in range(1, len(words)):
            left, right = " ".join(words[:cut]), " ".join(words[cut:])
            end = this.text.rfind(left)
            if end >= 0 and len(this.text) - end - len(left) <= slack and 0 <= following.text.find(right) <= slack:
                return True
    return False


def _anchors(rendered: str, display: str) -> tuple[str, str]:
    """The exact text just before and just after the fact in its own sentence (a few words)."""
    at = rendered.find(display)
    if at < 0:
        return "", ""
    prefix, suffix = rendered[:at], rendered[at + len(display):]
    starts = [m.start() for m in re.finditer(r"\S+", prefix)][-ANCHOR_WORDS:]
    ends = [m.end() for m in re.finditer(r"\S+", suffix)][:ANCHOR_WORDS]
    before = prefix[starts[0]:] if starts else ""
    after = suffix[:ends[-1]] if ends else ""
    return (before if len(before.strip()) >= 8 else "", after if len(after.strip()) >= 8 else "")


def _found_after(text: str, anchor: str, display: str) -> str | None:
    at = text.find(anchor)
    if at < 0:
        return None
    return " ".join(text[at + len(anchor):].split()[:len(display.split())])


def _found_before(text: str, anchor: str, display: str) -> str | None:
    at = text.find(anchor)
    if at < 0:
        return None
    return " ".join(text[:at].split()[-len(display.split()):])


def _same_numbers(found: str, display: str) -> bool:
    a, b = numbers_in(found), numbers_in(display)
    return bool(a) and a == b


def contains(haystack: str, needle: str) -> bool:
    """Whole-token containment: 48.3% must not match inside 148.3% or 48.35%."""
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        left_ok = start == 0 or not (haystack[start - 1].isalnum() or haystack[start - 1] in ".$")
        right_ok = end == len(haystack) or not (haystack[end].isdigit() or
                                                 (haystack[end] == "." and haystack[end + 1:end + 2].isdigit()))
        if left_ok and right_ok:
            return True
        start = haystack.find(needle, start + 1)
    return False


def _check_chart(name: str, where: str, chart: Chart, places: dict[str, Place]) -> list[Finding]:
    place = places.get(where)
    plotted = place.charts[0] if place and place.charts else None
    if plotted is None:
        return [Finding(name, None, f"{where}: chart not found (facts {', '.join(f.id for f in chart.values)})")]
    out = []
    for fact, value in zip(chart.values, plotted.shown(), strict=False):
        expected = float(fact.value)
        if not math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-9):
            out.append(Finding(name, None, f"{where}: altered fact {fact.id}: chart shows {value:g}, "
                                           f"expected {expected:g}", fact.id))
    if len(plotted.values) != len(chart.values):
        out.append(Finding(name, None, f"{where}: chart has {len(plotted.values)} values, "
                                       f"expected {len(chart.values)}"))
    return out


def _check_chart_table(name: str, chart: Chart, got: Extracted) -> list[Finding]:
    """On paper a chart is printed as a table of category and value: each category must be
    followed by its fact's display form, on the page that shows the chart's title."""
    title = normalise(chart.title.text)
    page = next((p for p in got.places if contains(p.text, title)), None)
    if page is None:
        return [Finding(name, None, f"chart '{chart.title.text}' not found (facts {', '.join(f.id for f in chart.values)})")]
    text = page.text[page.text.find(title):]
    out = []
    for category, fact in zip(chart.categories, chart.values, strict=True):
        label, display = normalise(category.text), normalise(fact.display)
        if contains(text, f"{label} {display}"):
            continue
        found = _found_after(text, label + " ", display)
        what = f"altered fact {fact.id}: found {found}, expected {display}" if found else f"fact {fact.id} not found"
        out.append(Finding(name, None, f"{page.where} chart: {what}", fact.id))
    return out


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))
