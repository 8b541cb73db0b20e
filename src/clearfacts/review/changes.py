"""What changed between two loaded content sets: facts, prose blocks, notices and settings.

Facts and settings are shared by every language; prose and notices are compared language by
language (the content's own, then each translation both sides have), so a changed Spanish
sentence is a change of its own, reported under its language.

Prose is compared as its author wrote it: each fact's display form is put back as `{id}`
before texts are compared, so a changed number shows as one fact change, not as a change to
every paragraph that quotes it. Blocks carry no ids in the content files, so the blocks of one
section are matched as a sequence (difflib), and an inserted block does not make every later
block look changed. A fact whose value changed while its review date did not is a finding of
the `review-date-unchanged` rule: a changed number must be checked against its source again.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence

from msgspec import Struct
from msgspec.structs import replace

from clearfacts.errors import Finding
from clearfacts.model import Block, Chart, ContentSet, Document, Fact, Section, Text, block_texts

RULE = "review-date-unchanged"
FACT_FIELDS = ("value", "display", "source", "reviewed")
DOCUMENTS = ("handout", "booklet", "deck")
NOTICES = "notices"  # not a document: every output prints them


class FactChange(Struct, frozen=True):
    """A fact added, removed or changed; `fields` names what changed (value, display, …)."""

    id: str
    kind: str  # "added" | "removed" | "changed"
    old: Fact | None
    new: Fact | None
    fields: tuple[str, ...] = ()


class ProseChange(Struct, frozen=True):
    """One changed piece of prose: a block, a title or notes of one section of one document.

    `part` is "title", "notes", "subtitle" or "block N (kind)" (N counts from 1, on the side the
    block exists); `old` and `new` are the texts as readers see them ("" when absent);
    `located` and `was` are the texts that changed, to look for in the new and the old
    outputs (a removal is looked for by its old text in both: a stale output still shows it)."""

    document: str
    section: str
    part: str
    kind: str  # "added" | "removed" | "changed"
    old: str
    new: str
    located: tuple[str, ...] = ()
    was: tuple[str, ...] = ()
    language: str = ""  # a translation's ("es-US"); "" for the content's own first language


class SettingChange(Struct, frozen=True):
    name: str  # "organisation.phone", "review_date"
    old: str
    new: str


class Changes(Struct, frozen=True):
    facts: list[FactChange]
    prose: list[ProseChange]
    settings: list[SettingChange]
    findings: list[Finding]

    def __bool__(self) -> bool:
        return bool(self.facts or self.prose or self.settings)


def compare(old: ContentSet, new: ContentSet) -> Changes:
    """Everything that changed from `old` to `new`, in the order the content lists it."""
    facts = list(_fact_changes(old.facts, new.facts))
    prose = _prose_changes(old, new)
    for language in (lang for lang in new.translations if lang in old.translations):
        prose += [replace(c, language=language)
                  for c in _prose_changes(old.in_language(language), new.in_language(language))]
    return Changes(facts, prose, list(_setting_changes(old, new)), [f for c in facts if (f := review_finding(c))])


def _prose_changes(old: ContentSet, new: ContentSet) -> list[ProseChange]:
    """The documents' and notices' changes of one language (the sets' own)."""
    prose = [c for kind in DOCUMENTS for c in _document_changes(getattr(old, kind), getattr(new, kind), old, new)]
    return prose + _notice_changes(old, new)


def review_finding(change: FactChange) -> Finding | None:
    """The `review-date-unchanged` finding for a fact whose value moved without a new review."""
    old, new = change.old, change.new
    if change.kind != "changed" or old is None or new is None or "value" not in change.fields:
        return None
    if new.reviewed > old.reviewed:
        return None
    return Finding(new.loc.path, new.loc.line,
                   f"{new.id}: value changed ({old.value} → {new.value}) but its review date did not "
                   f"({'still ' if new.reviewed == old.reviewed else 'now '}{new.reviewed}): check the source "
                   "again and set 'reviewed' to the day you did", fact=new.id, rule=RULE)


def _fact_changes(old: Mapping[str, Fact], new: Mapping[str, Fact]) -> Iterator[FactChange]:
    for fid, fact in new.items():
        before = old.get(fid)
        if before is None:
            yield FactChange(fid, "added", None, fact)
            continue
        fields = tuple(name for name in FACT_FIELDS if getattr(before, name) != getattr(fact, name))
        if fields:
            yield FactChange(fid, "changed", before, fact, fields)
    for fid, fact in old.items():
        if fid not in new:
            yield FactChange(fid, "removed", fact, None)


def template(text: Text | None, facts: Mapping[str, Fact]) -> str:
    """The text with each fact it names shown as `{id}` again (longest display form first, so
    "48.3%" inside "148.3%" cannot be taken for another fact's)."""
    if text is None:
        return ""
    out = text.text
    for fid in sorted(text.facts, key=lambda i: -len(facts[i].display) if i in facts else 0):
        if fid in facts and facts[fid].display:
            out = out.replace(facts[fid].display, "{" + fid + "}")
    return out


def _signature(block: Block, facts: Mapping[str, Fact]) -> tuple[str, ...]:
    """What a block says, fact-free: its kind, its texts as templates, a chart's fact ids."""
    texts = tuple(template(t, facts) for t in block_texts(block))
    charted = tuple(f"{{{f.id}}}" for f in block.values) if isinstance(block, Chart) else ()
    return (type(block).__name__.lower(), *texts, *charted)


def _shown(block: Block) -> tuple[str, ...]:
    return tuple(t.text for t in block_texts(block))


def _document_changes(old: Document, new: Document, was: ContentSet, now: ContentSet) -> Iterator[ProseChange]:
    kind = new.kind
    for part in ("title", "subtitle"):
        before, after = getattr(old, part), getattr(new, part)
        if template(before, was.facts) != template(after, now.facts):
            yield _text_change(kind, "", part, before, after)
    olds = {s.id: s for s in old.sections}
    for section in new.sections:
        before = olds.get(section.id)
        if before is None:
            texts = (section.title.text, *(t for b in section.blocks for t in _shown(b)))
            yield ProseChange(kind, section.id, "section", "added", "", section.title.text, texts, ())
        else:
            yield from _section_changes(kind, before, section, was, now)
    for section in old.sections:
        if section.id not in {s.id for s in new.sections}:
            texts = (section.title.text,)
            yield ProseChange(kind, section.id, "section", "removed", section.title.text, "", texts, texts)


def _section_changes(kind: str, old: Section, new: Section, was: ContentSet, now: ContentSet) -> Iterator[ProseChange]:
    if template(old.title, was.facts) != template(new.title, now.facts):
        yield _text_change(kind, new.id, "title", old.title, new.title)
    if template(old.notes, was.facts) != template(new.notes, now.facts):
        yield _text_change(kind, new.id, "notes", old.notes, new.notes)
    a = [_signature(b, was.facts) for b in old.blocks]
    b = [_signature(b, now.facts) for b in new.blocks]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        pairs = max(i2 - i1, j2 - j1)
        for k in range(pairs):
            i, j = i1 + k, j1 + k
            before = old.blocks[i] if i < i2 else None
            after = new.blocks[j] if j < j2 else None
            number = j + 1 if after else i + 1
            yield _block_change(kind, new.id, (before, after), number, (a[i] if before else (), b[j] if after else ()),
                                (was.facts, now.facts))


def _block_change(kind: str, section: str, blocks: tuple[Block | None, Block | None], number: int,
                  signatures: tuple[Sequence[str], Sequence[str]],
                  facts: tuple[Mapping[str, Fact], Mapping[str, Fact]]) -> ProseChange:
    old, new = blocks
    shown = new if new is not None else old
    assert shown is not None
    part = f"block {number} ({type(shown).__name__.lower()})"
    before = _shown(old) if old is not None else ()
    after = _shown(new) if new is not None else ()
    if new is None:
        return ProseChange(kind, section, part, "removed", " / ".join(before), "", before, before)
    if old is None:
        return ProseChange(kind, section, part, "added", "", " / ".join(after), after, ())
    # Look for the texts that changed, not the whole list a changed bullet belongs to.
    located = tuple(t.text for t in block_texts(new) if template(t, facts[1]) not in signatures[0])
    was = tuple(t.text for t in block_texts(old) if template(t, facts[0]) not in signatures[1])
    return ProseChange(kind, section, part, "changed", " / ".join(before), " / ".join(after), located or after,
                       was or before)


def _text_change(kind: str, section: str, part: str, old: Text | None, new: Text | None) -> ProseChange:
    before, after = (old.text if old else ""), (new.text if new else "")
    change = "added" if not before else "removed" if not after else "changed"
    return ProseChange(kind, section, part, change, before, after, (after or before,), (before,) if before else ())


def _notice_changes(old: ContentSet, new: ContentSet) -> list[ProseChange]:
    found = []
    for name in ("disclaimer", "endorsement", "source_line"):
        before, after = getattr(old.notices, name), getattr(new.notices, name)
        if template(before, old.facts) != template(after, new.facts):
            found.append(_text_change(NOTICES, name, "text", before, after))
    return found


def _setting_changes(old: ContentSet, new: ContentSet) -> Iterator[SettingChange]:
    before, after = _flat(old.settings), _flat(new.settings)
    for name in dict.fromkeys([*after, *before]):
        if before.get(name) != after.get(name):
            yield SettingChange(name, before.get(name, ""), after.get(name, ""))


def _flat(value: object, prefix: str = "") -> dict[str, str]:
    """Settings as dotted names → text, without where they were typed."""
    out: dict[str, str] = {}
    for name in value.__struct_fields__:  # type: ignore[attr-defined]
        if name in ("loc", "lines", "logo_data"):  # a logo is told apart by its logo_sha256
            continue
        item = getattr(value, name)
        if isinstance(item, Struct):
            out.update(_flat(item, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = "" if item is None else str(item)
    return out
