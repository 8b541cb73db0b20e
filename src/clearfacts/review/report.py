"""A `Review` as text for the terminal, JSON for tools, and Markdown for a pull-request comment
or `$GITHUB_STEP_SUMMARY`. Each returns a string; the CLI prints it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from clearfacts.model import Fact
from clearfacts.review.changes import FactChange, ProseChange
from clearfacts.review.diff import Review
from clearfacts.review.reach import Landing

_SNIPPET = 90  # characters of prose shown per side in text and Markdown


def as_text(r: Review) -> str:
    lines = [f"clearfacts diff {r.old_label} → {r.new_label}"]
    if not r.changes:
        lines.append("no change to facts, prose or settings")
    for change, landings in zip(r.changes.facts, r.reach.facts, strict=True):
        lines.append(f"fact {change.kind} {change.id}: {_fact_summary(change)}")
        lines += [f"    {line}" for line in _fact_details(change)]
        lines += [f"    {_landing(x)}" for x in landings] or ["    shown in no built output"]
    for prose, landings in zip(r.changes.prose, r.reach.prose, strict=True):
        lines.append(f"prose {prose.kind} {_prose_name(prose)}")
        if prose.old:
            lines.append(f"    - {_cut(prose.old)}")
        if prose.new:
            lines.append(f"    + {_cut(prose.new)}")
        lines += [f"    {_landing(x)}" for x in landings]
    for setting, landings in zip(r.changes.settings, r.reach.settings, strict=True):
        lines.append(f"setting {setting.name}: {setting.old or '(none)'} → {setting.new or '(none)'}")
        lines += [f"    {_landing(x)}" for x in landings] or ["    shown in no built output"]
    return "\n".join(lines)


def summary(r: Review) -> str:
    """The last line of the text report, after the findings."""
    counts = f"{len(r.changes.facts)} fact(s), {len(r.changes.prose)} prose part(s), " \
             f"{len(r.changes.settings)} setting(s) changed"
    status = f"{len(r.errors)} problem(s)" if r.errors else "OK"
    return f"{status}: {counts}, {len(r.warnings)} warning(s)"


def as_json(r: Review) -> str:
    doc = {
        "from": r.old_label, "to": r.new_label, "outputs": r.outputs,
        "facts": [{"id": c.id, "change": c.kind, "fields": list(c.fields), "old": _fact_json(c.old),
                   "new": _fact_json(c.new), "where": _where_json(x)}
                  for c, x in zip(r.changes.facts, r.reach.facts, strict=True)],
        "prose": [{"document": c.document, "section": c.section, "part": c.part, "change": c.kind,
                   "language": c.language, "old": c.old, "new": c.new, "where": _where_json(x)}
                  for c, x in zip(r.changes.prose, r.reach.prose, strict=True)],
        "settings": [{"name": c.name, "old": c.old, "new": c.new, "where": _where_json(x)}
                     for c, x in zip(r.changes.settings, r.reach.settings, strict=True)],
        "findings": [f.as_json() for f in [*r.errors, *r.warnings]],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def as_markdown(r: Review) -> str:
    """A summary a reviewer reads in the pull request: findings first, then one table per kind."""
    lines = [f"### clearfacts: {r.old_label} → {r.new_label}", ""]
    if not r.changes:
        return "\n".join([*lines, "No change to facts, prose or settings."])
    for f in r.errors + r.warnings:
        level = "**warning**" if f.severity == "warning" else "**error**"
        where = f"{f.path}:{f.line}" if f.line else f.path
        lines.append(f"- {level} `{where}` {_cell(f.message)} (`{f.rule}`)")
    if r.errors or r.warnings:
        lines.append("")
    if r.changes.facts:
        lines += ["| fact | old → new | where |", "|---|---|---|"]
        lines += [f"| `{c.id}` ({c.kind}) | {_cell(_fact_summary(c))} | {_where_cell(x)} |"
                  for c, x in zip(r.changes.facts, r.reach.facts, strict=True)]
        lines.append("")
    if r.changes.prose:
        lines += ["| prose | old → new | where |", "|---|---|---|"]
        lines += [f"| {_cell(_prose_name(c))} ({c.kind}) | {_cell(_cut(c.old) or '—')} → {_cell(_cut(c.new) or '—')} "
                  f"| {_where_cell(x)} |" for c, x in zip(r.changes.prose, r.reach.prose, strict=True)]
        lines.append("")
    if r.changes.settings:
        lines += ["| setting | old → new | where |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {_cell(c.old or '—')} → {_cell(c.new or '—')} | {_where_cell(x)} |"
                  for c, x in zip(r.changes.settings, r.reach.settings, strict=True)]
        lines.append("")
    not_built = [p for p, state in r.outputs.items() if state in ("stale", "not built")]
    if not_built:
        lines.append("Not current: " + ", ".join(f"`{p}` ({r.outputs[p]})" for p in not_built) + ".")
    return "\n".join(lines).rstrip() + "\n"


def _fact_summary(c: FactChange) -> str:
    """"48.3% → 45.1%" for a changed display, else what changed."""
    if c.old is None and c.new is not None:
        return f"(new) → {c.new.display}"
    if c.new is None and c.old is not None:
        return f"{c.old.display} → (removed, was at {c.old.loc})"
    assert c.old is not None and c.new is not None
    parts = [f"{c.old.display} → {c.new.display}"] if "display" in c.fields else [c.new.display]
    if "value" in c.fields and "display" not in c.fields:
        parts.append(f"value {c.old.value} → {c.new.value}")
    if "reviewed" in c.fields:
        parts.append(f"reviewed {c.old.reviewed} → {c.new.reviewed}")
    else:
        parts.append(f"reviewed {c.new.reviewed} (unchanged)")
    if "source" in c.fields:
        parts.append("source changed")
    return "; ".join(parts)


def _fact_details(c: FactChange) -> Iterator[str]:
    if c.old and c.new and "value" in c.fields and "display" in c.fields:
        yield f"value {c.old.value!r} → {c.new.value!r}"
    if c.old and c.new and "source" in c.fields:
        yield f"source {_source(c.old)} → {_source(c.new)}"
    if c.new:
        yield f"at {c.new.loc}"


def _source(f: Fact) -> str:
    return f"{f.source.title!r} ({f.source.where})" if f.source.where else repr(f.source.title)


def _prose_name(c: ProseChange) -> str:
    """"handout section instead block 1 (bullets)"; a translation's "(es-US)" after its document."""
    return " ".join(filter(None, [c.document, f"({c.language})" if c.language else "",
                                  f"section {c.section}" if c.section else "", c.part]))


def _landing(x: Landing) -> str:
    if x.state == "not built":
        return f"{x.path}: (not built)"
    if x.state == "stale" and not x.places and not x.everywhere:
        return f"{x.path}: (stale: run clearfacts build to see where)"
    shown = f"every {x.unit}" if x.everywhere else ", ".join(x.places) or "-"
    return f"{x.path}: {shown}" + (" (stale: run clearfacts build)" if x.state == "stale" else "")


def _where_cell(landings: Sequence[Landing]) -> str:
    return "<br>".join(_cell(_landing(x)) for x in landings) or "not shown in any built output"


def _where_json(landings: Sequence[Landing]) -> list[dict[str, object]]:
    return [{"output": x.path, "places": list(x.places), "state": x.state, "everywhere": x.everywhere}
            for x in landings]


def _fact_json(f: Fact | None) -> dict[str, object] | None:
    if f is None:
        return None
    return {"value": f.value, "display": f.display, "unit": f.unit, "reviewed": f.reviewed.isoformat(),
            "source": {"title": f.source.title, "url": f.source.url, "where": f.source.where}, "at": str(f.loc)}


def _cut(text: str) -> str:
    return text if len(text) <= _SNIPPET else text[:_SNIPPET - 1].rstrip() + "…"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipes, no line breaks, no stray HTML."""
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\n", " "))
