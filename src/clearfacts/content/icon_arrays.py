"""The `icons` block: figures of people, one array per fact, its natural frequency filled.

Each fact must have a `frequency` in facts.yaml (they all share it: 10 or 100 figures), and each
label must state its own fact's frequency form (`{trial.msc_rate:frequency}`): the label is what
a reader sees above the figures and what a screen reader hears instead of them, so the number in
words and the filled figures can never tell two stories.
"""

from __future__ import annotations

from clearfacts.content.refs import Resolver
from clearfacts.content.schema import Fields
from clearfacts.errors import Finding
from clearfacts.model import Fact, IconArray


def parse_icons(block: Fields, value: object, shown: str, r: Resolver, findings: list[Finding]) -> IconArray | None:
    """The block's facts, labels and caption, or None (with findings at their lines)."""
    c = Fields(value, shown, "icons", ("facts", "labels", "caption"), findings, block.node.key_lines.get("icons"))
    ids, raw_labels, caption = c.texts("facts"), c.texts("labels"), c.text("caption")
    if not ids and "facts" in c.node:
        c.error(c.header, "an icon array names no facts: list at least one")
    if len(ids) != len(raw_labels):
        c.error(c.header, f"an icon array needs one label per fact ({len(raw_labels)} labels, {len(ids)} facts)")
    facts: list[Fact] = []
    for fid in ids:
        fact = r.facts.get(fid)
        if fact is None:
            c.error(fid.line, f"unknown fact '{fid}' in icons", str(fid), rule="unknown-fact")
        elif not fact.frequency:
            c.error(fid.line, f"fact '{fid}' has no natural frequency: add frequency: \"10\" to it in facts.yaml",
                    str(fid))
        else:
            r.used.add(fid)
            facts.append(fact)
    if len({fact.frequency for fact in facts}) > 1:
        c.error(c.header, "an icon array's facts must share one frequency (all \"10\" or all \"100\")")
    labels = tuple(r.text(label, shown) for label in raw_labels)
    for label, fact in zip(labels, facts, strict=False):
        if fact.id not in label.facts or fact.frequency_form not in label.text:
            c.error(label.loc.line, f"the label '{label.text}' must state {{{fact.id}:frequency}}", fact.id)
    if caption is not None and not caption.strip():
        c.error(caption.line, "the icon array's caption is empty: say what the figures show")
        return None
    if caption is None or not facts or len(facts) != len(ids) or len(labels) != len(facts):
        return None
    return IconArray(tuple(facts), labels, r.text(caption, shown), c.loc())
