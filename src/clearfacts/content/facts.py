"""The fact registry: id → value, display form, unit, source and review date.

Each figure is written here once; prose only names it. A fact's display form must show its
value (so a reader of the output sees the registered number), which the check relies on. The
value is read by the one number parser (`numbers.parse_value`) that the chart and the checks
use: a number, a range, an ISO date or free text. A value the parser refuses (exponent form,
inf/nan) or a display that disagrees with it (another sign, magnitude or date) is an error of the
fixed `fact-display` rule.
"""

from __future__ import annotations

import re

from clearfacts.content.schema import Fields
from clearfacts.content.yaml_reader import Map, Str
from clearfacts.errors import Finding
from clearfacts.model import Fact, Loc, Source
from clearfacts.numbers import BadValue, display_problem, parse_value

FACT_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_FACT_KEYS = ("value", "display", "unit", "source", "where", "reviewed", "note", "previous", "contradicted_by")


def parse_facts(node: Map, shown: str, findings: list[Finding]) -> dict[str, Fact]:
    top = Fields(node, shown, "facts.yaml", ("sources", "facts"), findings)
    sources: dict[str, tuple[str, str]] = {}
    source_nodes = top.mapping("sources") or Map(top.line)
    for sid, snode in source_nodes.items():
        s = Fields(snode, shown, f"source '{sid}'", ("title", "url"), findings, source_nodes.key_lines[sid])
        url = s.url("url") if s.node.get("url") else ""
        sources[sid] = (str(s.text("title") or ""), url)
    facts: dict[str, Fact] = {}
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
        )
    return facts


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
