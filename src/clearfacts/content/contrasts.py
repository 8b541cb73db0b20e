"""The `contrast` block: what is approved and what is not, as two panels side by side.

Both titles and both lists are required and must print something: a panel with no items, or a
missing side, would leave the comparison half told, which is worse than no comparison.
"""

from __future__ import annotations

from clearfacts.content.refs import Resolver
from clearfacts.content.schema import Fields
from clearfacts.content.yaml_reader import Seq
from clearfacts.errors import Finding
from clearfacts.model import Contrast

KEYS = ("yes_title", "yes", "no_title", "no")


def parse_contrast(block: Fields, value: object, shown: str, r: Resolver, findings: list[Finding]) -> Contrast | None:
    """Both panels' titles and items, or None (with findings at their lines)."""
    c = Fields(value, shown, "contrast", KEYS, findings, block.node.key_lines.get("contrast"))
    before = len(findings)
    titles = {key: c.text(key) for key in ("yes_title", "no_title")}
    for key, title in titles.items():
        if title is not None and not title.strip():
            c.error(title.line, f"'{key}' in contrast is empty: write the panel's title")
    items = {key: c.texts(key) for key in ("yes", "no")}
    for key, listed in items.items():
        if isinstance(c.node.get(key), Seq) and not listed:
            c.error(c.node.key_lines[key], f"'{key}' in contrast has no items: list at least one")
        for item in listed:
            if not item.strip():
                c.error(item.line, f"an item of '{key}' in contrast is empty: write it or remove it")
    if len(findings) > before:
        return None
    yes_title, no_title = titles["yes_title"], titles["no_title"]
    assert yes_title is not None and no_title is not None  # missing ones were findings above
    return Contrast(r.text(yes_title, shown), tuple(r.text(s, shown) for s in items["yes"]),
                    r.text(no_title, shown), tuple(r.text(s, shown) for s in items["no"]), block.loc())
