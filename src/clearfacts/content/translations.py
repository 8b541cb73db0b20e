"""A translated file checked against the file it translates, before either is parsed.

A translation has the keys, ids and order of the English file (content/es/handout.yaml beside
content/handout.yaml), only the reader's text differs. Anything the English file has that the
translation lacks (a section, a block, a list item, a FAQ, a slide's notes, an answer's
paragraph) would silently vanish from that language's outputs, so each one is a finding naming
the English file:line and the translated file: rule `translation-missing` (an error), or with
`fallback` rule `translation-fallback` (a warning), the English text standing in for it.

Either way the English node is put in its place, marked with the file it came from (`Str.origin`),
so the parsers see a complete file and report nothing twice, and a message about that text
names the English file. Items are matched by `id` where a list's items have one (sections,
FAQs), else by position; what only the translation has is kept for the parsers to judge.
"""

from __future__ import annotations

from msgspec import Struct

from clearfacts.content.yaml_reader import Map, Seq, Str
from clearfacts.errors import Finding

Node = Map | Seq | Str | None


class Translation(Struct, frozen=True):
    """One file and its translation, as named in messages, and the translation's language."""

    english: str  # content/handout.yaml
    translated: str  # content/es/handout.yaml
    language: str  # es-US
    fallback: bool  # build with the English text, warning, instead of refusing

    def missing(self, line: int | None, what: str, findings: list[Finding]) -> None:
        if self.fallback:
            message = f"{what} is not in {self.translated}: the {self.language} edition shows the English text"
            rule = "translation-fallback"
        else:
            message = f"{what} is not in {self.translated}: translate it into {self.language}"
            rule = "translation-missing"
        findings.append(Finding(self.english, line, message, rule=rule))


def merge(english: Map, translated: Map | None, t: Translation, findings: list[Finding]) -> Map:
    """The translated file with every missing item filled in from the English one (see above).
    `translated` is None when the whole file is missing: one finding for it."""
    if translated is None:
        findings.append(Finding(t.english, None, f"{t.translated} is missing"
                                + (f": the {t.language} edition shows the English text" if t.fallback
                                   else f": translate this file into {t.language}"),
                                rule="translation-fallback" if t.fallback else "translation-missing"))
        return borrow(english, t.english)  # type: ignore[return-value]
    return _map(english, translated, "", t, findings)


def borrow(node: Node, origin: str) -> Node:
    """A copy of `node` whose texts remember the file they come from."""
    if isinstance(node, Str):
        copy = Str(node, node.line)
        copy.origin = origin
        return copy
    if isinstance(node, Map):
        out = Map(node.line)
        out.key_lines = dict(node.key_lines)
        out.update({key: borrow(value, origin) for key, value in node.items()})
        return out
    if isinstance(node, Seq):
        seq = Seq(node.line)
        seq.extend(borrow(item, origin) for item in node)
        return seq
    return node


def _merge(english: Node, translated: Node, path: str, t: Translation, findings: list[Finding]) -> Node:
    if isinstance(english, Map) and isinstance(translated, Map):
        return _map(english, translated, path, t, findings)
    if isinstance(english, Seq) and isinstance(translated, Seq):
        return _seq(english, translated, path, t, findings)
    return translated  # text, or another kind of value than the English: the parsers judge it


def _map(english: Map, translated: Map, path: str, t: Translation, findings: list[Finding]) -> Map:
    out = Map(translated.line)
    for key, value in english.items():
        where = f"{path}.{key}" if path else key
        if translated.get(key) is None and value is not None:
            t.missing(english.key_lines[key], f"'{where}'", findings)
            out[key], out.key_lines[key] = borrow(value, t.english), english.key_lines[key]
        elif key in translated:
            out[key] = _merge(value, translated[key], where, t, findings)
            out.key_lines[key] = translated.key_lines[key]
    for key, value in translated.items():
        if key not in out:
            out[key], out.key_lines[key] = value, translated.key_lines[key]
    return out


def _seq(english: Seq, translated: Seq, path: str, t: Translation, findings: list[Finding]) -> Seq:
    out = Seq(translated.line)
    ids = [_id(item) for item in english]
    if english and all(ids):
        by_id = {_id(item): item for item in translated if _id(item)}
        for item, item_id in zip(english, ids, strict=True):
            where = f"{path}[{item_id}]"
            if item_id in by_id:
                out.append(_merge(item, by_id.pop(item_id), where, t, findings))
            else:
                t.missing(_line(item, english), f"'{where}'", findings)
                out.append(borrow(item, t.english))
        out.extend(item for item in translated if not _id(item) or _id(item) in by_id)
        return out
    for n, item in enumerate(english):
        where = f"{path}[{n + 1}]"
        if n < len(translated) and translated[n] is not None:
            out.append(_merge(item, translated[n], where, t, findings))
        elif item is not None:
            t.missing(_line(item, english), f"'{where}'", findings)
            out.append(borrow(item, t.english))
    out.extend(translated[len(english):])
    return out


def _id(node: Node) -> str | None:
    """A list item's id (sections, FAQs), which a translation keeps as it is."""
    value = node.get("id") if isinstance(node, Map) else None
    return str(value) if isinstance(value, Str) and value else None


def _line(node: Node, owner: Seq) -> int:
    return getattr(node, "line", owner.line)
