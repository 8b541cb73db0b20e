"""Where a change lands: the outputs, and the pages, slides or sections in them, that show it.

Nothing is rendered here. A side of the comparison is its content plus its built files read
back with the formats' own readers; facts are found with the fact matrix (the same search
`clearfacts facts` makes, so the two always agree), prose by its sentences. An output built
from older content than the side's is marked stale, and a changed fact is then also looked for
in its old display form: where the number stood is where the new one will land.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from msgspec import Struct
from msgspec.structs import replace

from clearfacts.formats import Format
from clearfacts.model import ContentSet, Text
from clearfacts.review.changes import DOCUMENTS, NOTICES, Changes, FactChange, ProseChange, SettingChange
from clearfacts.verify.extracted import Extracted
from clearfacts.verify.matrix import fact_matrix
from clearfacts.verify.normalise import normalise
from clearfacts.verify.text import contains, sentences


class Landing(Struct, frozen=True):
    """One output a change reaches. `state` is "built", "stale" (built from other content than
    this side's: run clearfacts build), "not built" or "unaffected" (not read: no change
    reaches its document); `everywhere` when the change reaches
    every page or slide (a setting such as the review date, printed in every footer)."""

    path: str
    places: tuple[str, ...]
    state: str
    everywhere: bool = False
    unit: str = "page"  # what "everywhere" means: every page, slide or section


class Side(Struct, frozen=True):
    """One side of a comparison: its content and its built outputs, read back. Outputs no
    change can reach are not read (`unread`): reading them back is most of `diff`'s time."""

    content: ContentSet
    table: tuple[Format, ...]
    extracted: dict[str, Extracted]  # output path → what a reader sees in it (read outputs only)
    stale: frozenset[str] = frozenset()  # output paths built from other content
    unread: frozenset[str] = frozenset()  # built, but not read: no change reaches their document

    def state(self, path: str) -> str:
        if path in self.unread:
            return "unaffected"
        return "not built" if path not in self.extracted else "stale" if path in self.stale else "built"


def read_side(content: ContentSet, files: Mapping[str, bytes | None], table: Sequence[Format],
              expected: Callable[[str | None], Mapping[str, str]] | None,
              wanted: Collection[str] | None = None) -> Side:
    """Read back each present file (of those in `wanted`, when given). `expected(paper)` gives
    the stamps this content builds, by output path, for a paper size (an a4 build is compared
    with an a4 build); None when the files were just rendered from this content.

    In this process, one file after another: a worker for the PDFs (as the build uses) was
    measured slower here on a busy two-core machine; its start-up costs as much CPU as it saves."""
    from clearfacts.stamps import stamp_parts

    chosen = [f for f in table if files.get(f.path) is not None and (wanted is None or f.path in wanted)]
    extracted = {f.path: f.reader()(files[f.path]) for f in chosen}
    stale = set()
    if expected is not None:
        for path, got in extracted.items():
            parts = stamp_parts(got.stamp)
            if parts is None or parts[0] != (stamp_parts(expected(parts[2])[path]) or ("",))[0]:
                stale.add(path)
    unread = {f.path for f in table if files.get(f.path) is not None and f.path not in extracted}
    return Side(content, tuple(table), extracted, frozenset(stale), frozenset(unread))


def reached_outputs(changes: Changes, table: Sequence[Format], old: ContentSet, new: ContentSet) -> set[str]:
    """The outputs a change can land in: in every language, those whose document (on either
    side, in any language) uses a changed fact; in a block's own language, those of its
    document; all of them for a changed setting or a fact the notices print, and every output
    of its language for a changed notice. A figure that merely looks like a changed fact
    elsewhere is not its reach."""
    sets = [c for content in (old, new) for c in (content, *content.translations.values())]
    noticed = {fid for content in sets for text in _notice_texts(content) for fid in text.facts}
    fact_ids = {c.id for c in changes.facts}
    if changes.settings or fact_ids & noticed:
        return {f.path for f in table}
    documents = {kind for content in sets for kind in DOCUMENTS if fact_ids & set(getattr(content, kind).fact_ids())}
    written = {(c.document, c.language) for c in changes.prose}
    return {f.path for f in table if f.document in documents or (f.document, f.translation()) in written
            or (NOTICES, f.translation()) in written}


def _notice_texts(content: ContentSet) -> tuple[Text, ...]:
    n = content.notices
    return (n.disclaimer, n.endorsement, n.source_line)


class Reach(Struct, frozen=True):
    """Each change of a `Changes`, by position, with the outputs it lands in."""

    facts: list[list[Landing]]
    prose: list[list[Landing]]
    settings: list[list[Landing]]


def reach(changes: Changes, side: Side, other: ContentSet, before: bool = False) -> Reach:
    """Where each change lands on `side`, the new side unless `before`; `other` (the other
    side's content) gives a fact missing on this side its display form."""
    ids = {c.id for c in changes.facts}
    formats = {f.path: f for f in side.table}

    def own(fmt: Format | None) -> ContentSet:
        """This side's content in the output's language, its changed facts only, with the other
        side's display forms for a fact this side no longer has."""
        here = fmt.content_of(side.content) if fmt else side.content
        there = fmt.content_of(other) if fmt and fmt.language in other.languages else other
        return replace(here, facts={**{k: v for k, v in there.facts.items() if k in ids},
                                    **{k: v for k, v in here.facts.items() if k in ids}})

    matrix = fact_matrix(own(None), {path: (own(formats.get(path)), got) for path, got in side.extracted.items()})
    return Reach([_fact(c, side, matrix) for c in changes.facts], [_prose(c, side, before) for c in changes.prose],
                 [_setting(c, side, before) for c in changes.settings])


def _fact(change: FactChange, side: Side, matrix: Mapping[str, Mapping[str, list[str]]]) -> list[Landing]:
    landings = []
    old_display = change.old.display if change.old and change.new and change.old.display != change.new.display else ""
    for fmt in side.table:
        state = side.state(fmt.path)
        places = list(matrix[change.id].get(fmt.path, ()))
        if state == "stale" and old_display:  # where the old number stands, the new one will
            places += [w for w in showing(side.extracted[fmt.path], old_display) if w not in places]
        used = change.new is not None and change.id in getattr(fmt.content_of(side.content), fmt.document).fact_ids()
        if places or (used and state != "built"):
            landings.append(Landing(fmt.path, tuple(_in_order(places, side.extracted.get(fmt.path))), state))
    return landings


def _prose(change: ProseChange, side: Side, before: bool) -> list[Landing]:
    landings = []
    texts = change.was if before else change.located
    for fmt in side.table:
        if change.document not in (fmt.document, NOTICES) or change.language != fmt.translation():
            continue
        state = side.state(fmt.path)
        got = side.extracted.get(fmt.path)
        places = [w for text in texts for w in showing_sentences(got, text)] if got else []
        if not places and got and change.section and change.document != NOTICES:
            places = _section_places(side, fmt, change.section, got)
        landings.append(Landing(fmt.path, tuple(_in_order(places, got)), state))
    return landings


# Settings that change how every page looks rather than print a value somewhere: the review
# date is printed in its localised form ("November 20, 2026") and dates the files' metadata.
SHAPING = frozenset({"paper", "language", "template", "review_date"})


def _setting(change: SettingChange, side: Side, before: bool) -> list[Landing]:
    """A printed setting (the phone, the meeting place) is found like prose, in a stale output
    by the value it replaces; one that shapes every page reaches all of them."""
    if change.name == "brand" or change.name.startswith("brand."):
        return _brand(change, side)
    landings = []
    value, other = (change.old, change.new) if before else (change.new, change.old)
    for fmt in side.table:
        got = side.extracted.get(fmt.path)
        state = side.state(fmt.path)
        if change.name in SHAPING:
            landings.append(Landing(fmt.path, (), state, True, fmt.unit))
            continue
        wanted = [v for v in (value, other if state == "stale" else "") if v.strip()]
        places = list(dict.fromkeys(w for v in wanted for w in showing(got, v))) if got else []
        if places or state == "not built":
            landings.append(Landing(fmt.path, tuple(_in_order(places, got)), state, False, fmt.unit))
    return landings


def _brand(change: SettingChange, side: Side) -> list[Landing]:
    """An edition's brand reaches the outputs that draw it (`Format.shows_brand`): its colour
    every page or slide (headings, rules, accents), its logo and the logo's alternative text
    the first (the handouts' title band, the booklet's cover, the title slide)."""
    landings = []
    for fmt in side.table:
        if not fmt.shows_brand:
            continue
        state, got = side.state(fmt.path), side.extracted.get(fmt.path)
        if change.name in ("brand", "brand.accent"):
            landings.append(Landing(fmt.path, (), state, True, fmt.unit))
        else:
            first = next((p.where for p in got.places if p.where.partition(" (")[0] == f"{fmt.unit} 1"), None) \
                if got else None
            landings.append(Landing(fmt.path, (first,) if first else (), state, False, fmt.unit))
    return landings


def showing(got: Extracted, text: str) -> list[str]:
    """Places whose visible text contains `text` as whole words."""
    needle = normalise(text)
    return [p.where for p in got.places if needle and contains(p.text, needle)]


def showing_sentences(got: Extracted | None, text: str) -> list[str]:
    """Places that show any sentence of `text` (a paragraph may run over a page turn)."""
    if got is None:
        return []
    found: dict[str, None] = {}
    for sentence in sentences(normalise(text)) or [normalise(text)]:
        found.update(dict.fromkeys(p.where for p in got.places if sentence and contains(p.text, sentence)))
    return list(found)


def _section_places(side: Side, fmt: Format, section_id: str, got: Extracted) -> list[str]:
    """Where a section's title is shown: for a removed or unlocatable block, its section."""
    document = getattr(fmt.content_of(side.content), fmt.document)
    section = next((s for s in document.sections if s.id == section_id), None)
    return showing(got, section.title.text) if section else []


def _in_order(places: list[str], got: Extracted | None) -> list[str]:
    """Places in the order the output has them (page 3 before page 10)."""
    order = {p.where: i for i, p in enumerate(got.places)} if got else {}
    return sorted(dict.fromkeys(places), key=lambda w: order.get(w, len(order)))
