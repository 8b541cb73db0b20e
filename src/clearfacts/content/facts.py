"""The fact registry: id → value, display form, unit, source and review date.

Each figure is written here once; prose only names it. A fact's display form must show its
value (so a reader of the output sees the registered number), which the check relies on. The
value is read by the one number parser (`numbers.parse_value`) that the chart and the checks
use: a number, a range, an ISO date or free text. A value the parser refuses (exponent form,
inf/nan) or a display that disagrees with it (another sign, magnitude or date) is an error of the
fixed `fact-display` rule.

Values, sources and review dates are language-free. What another language needs is read here as
`translations`, by language tag, and applied by `languages.py`: a fact's wording (`display`,
`unit`, `contradicted_by`) and a source's `title`.
"""

from __future__ import annotations

import re

from msgspec import Struct, field

from clearfacts.content.schema import LANGUAGE_TAG, Fields
from clearfacts.content.yaml_reader import Map, Str
from clearfacts.errors import Finding
from clearfacts.frequencies import DENOMINATORS, form
from clearfacts.model import Fact, Loc, Source
from clearfacts.numbers import BadValue, display_problem, parse_value

FACT_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_FACT_KEYS = ("value", "display", "unit", "source", "where", "reviewed", "note", "previous", "contradicted_by",
              "translations", "frequency")
FACT_WORDING = ("display", "unit", "contradicted_by")  # what a fact's translation may give


class Wording(Struct, frozen=True):
    """One language's wording of a fact or source, as typed (each `Str` keeps its line)."""

    line: int  # where the language's entry starts
    display: Str | None = None
    unit: Str | None = None
    contradicted_by: tuple[Str, ...] | None = None
    title: Str | None = None  # a source's


class Registry(Struct):
    """The parsed facts.yaml: the facts in its own language, and every translation of their
    wording, by fact or source id and then by language tag ("es-US", or "es" for all of them)."""

    facts: dict[str, Fact] = field(default_factory=dict)
    wording: dict[str, dict[str, Wording]] = field(default_factory=dict)
    titles: dict[str, dict[str, Wording]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # fact id → source id


def parse_registry(node: Map, shown: str, findings: list[Finding]) -> Registry:
    """facts.yaml: its facts in the content's own language, and their translations' wording."""
    top = Fields(node, shown, "facts.yaml", ("sources", "facts"), findings)
    out = Registry()
    sources: dict[str, tuple[str, str]] = {}
    source_nodes = top.mapping("sources") or Map(top.line)
    for sid, snode in source_nodes.items():
        s = Fields(snode, shown, f"source '{sid}'", ("title", "url", "translations"), findings,
                   source_nodes.key_lines[sid])
        url = s.url("url") if s.node.get("url") else ""
        sources[sid] = (str(s.text("title") or ""), url)
        out.titles[sid] = _translations(s, f"source '{sid}'", ("title",))
    facts = out.facts
    registry = top.mapping("facts") or Map(top.line)
    for fid, fnode in registry.items():
        line = registry.key_lines[fid]
        if not FACT_ID.match(fid):
            top.error(line, f"fact id '{fid}' must look like 'group.name' (lower case, dots, underscores)")
        f = Fields(fnode, shown, f"fact '{fid}'", _FACT_KEYS, findings, line)
        value, display = f.text("value"), f.text("display")
        source_id = f.text("source")
        if source_id is not None and source_id not in sources:
            f.error(source_id.line, f"fact '{fid}' names unknown source '{source_id}'")
        title, url = sources.get(str(source_id), ("", ""))
        out.sources[fid] = str(source_id or "")
        out.wording[fid] = _translations(f, f"fact '{fid}'", FACT_WORDING)
        if value is not None:
            _check_value(f, fid, value, display)
        facts[fid] = Fact(
            id=fid,
            value=str(value or ""),
            display=str(display or ""),
            unit=str(f.text("unit", required=False) or ""),
            source=Source(title, url, str(f.text("where") or "")),
            reviewed=f.date("reviewed"),
            note=str(f.text("note", required=False) or ""),
            previous=tuple(str(p) for p in f.texts("previous", required=False)),
            contradicted_by=tuple(str(c) for c in f.texts("contradicted_by", required=False)),
            loc=Loc(shown, line),
            **_frequency(f, fid, str(value or ""), str(display or "")),
        )
    return out


def _frequency(f: Fields, fid: str, value: str, display: str) -> dict[str, object]:
    """`frequency: "10"`: the denominator of the fact's natural frequency ("about 1 in 10"), for a
    percent fact whose value is one number from 0 to 100."""
    given = f.text("frequency", required=False)
    if given is None:
        return {}
    allowed = " or ".join(f'"{d}"' for d in DENOMINATORS)
    if given.strip() not in {str(d) for d in DENOMINATORS}:
        f.error(given.line, f"'frequency' of fact '{fid}' must be {allowed}, not '{given}'", fid, rule="schema")
        return {}
    of = int(given)
    if "%" not in display or not form(value, of):
        f.error(given.line, f"fact '{fid}' has a 'frequency' but is not one percentage from 0% to 100% ('{display}'):"
                            " a natural frequency is made from a percentage", fid, rule="fact-display")
        return {}
    return {"frequency": of, "frequency_form": form(value, of)}


def _translations(f: Fields, what: str, allowed: tuple[str, ...]) -> dict[str, Wording]:
    """`translations: {es-US: {display: "97 pacientes"}}`, by language tag."""
    listed = f.mapping("translations", required=False) or Map(f.line)
    out = {}
    for tag, tnode in listed.items():
        line = listed.key_lines[tag]
        if not LANGUAGE_TAG.match(tag):
            f.error(line, f"'{tag}' in the translations of {what} is not a language tag like es-US or es")
            continue
        t = Fields(tnode, f.shown, f"the {tag} translation of {what}", allowed, f.findings, line)
        said = tuple(t.texts("contradicted_by", required=False)) if "contradicted_by" in t.node else None
        out[tag] = Wording(line, t.text("display", required=False) if "display" in allowed else None,
                           t.text("unit", required=False) if "unit" in allowed else None, said,
                           t.text("title", required=False) if "title" in allowed else None)
    return out


def _check_value(f: Fields, fid: str, value: Str, display: Str | None) -> None:
    """The value reads as one thing (`parse_value`), and the display shows that thing: the same
    number with its sign and magnitude, both ends of a range, the same date (in words or ISO)."""
    try:
        parsed = parse_value(value)
    except BadValue as exc:
        f.error(value.line, f"fact '{fid}': {exc}", fid, rule="fact-display")
        return
    if display is None:
        return
    problem = display_problem(parsed, display)
    if problem:
        f.error(display.line, f"display '{display}' of fact '{fid}' does not show its value '{value}': {problem}",
                fid, rule="fact-display")
