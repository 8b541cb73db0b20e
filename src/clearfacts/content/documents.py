"""The shared library and the three output documents (handout, booklet, deck).

Library items are resolved once and the same `Text` objects are placed in every document that
uses them, so the handout's red flags and the booklet's are one content item, not two copies.
"""

from __future__ import annotations

import re

from msgspec import Struct, field

from clearfacts.content.contrasts import parse_contrast
from clearfacts.content.icon_arrays import parse_icons
from clearfacts.content.refs import Resolver
from clearfacts.content.schema import Fields, text_list
from clearfacts.content.yaml_reader import Map, Seq, Str
from clearfacts.errors import Finding
from clearfacts.model import (
    Block,
    Bullets,
    Chart,
    Contrast,
    Document,
    Fact,
    Link,
    Links,
    Loc,
    Notices,
    Paragraph,
    Question,
    Questions,
    Section,
    Table,
    Term,
    Terms,
    Text,
)
from clearfacts.numbers import numbers_in

_SLICE = re.compile(r"^\s*([a-z0-9_]+)\s*(?:\[\s*(\d+)\s*-\s*(\d+)\s*\])?\s*$")
_BLOCK_KINDS = ("text", "callout", "notice", "bullets", "checklist", "steps", "terms", "table", "faqs", "links",
                "chart", "icons", "contrast")
_LIST_KINDS = ("bullets", "checklist", "steps")  # one list, marked with bullets, tick boxes or numbers
_NOTICES = ("disclaimer", "endorsement", "source_line")
_BOOKLET_TOP = ("key_message",)  # the one message its cover leads with
_BOOKLET_SECTION = ("new_page",)  # "yes": the section opens a new part on a fresh page
MAX_CELL = 200  # characters in one table cell: more is a paragraph, and a row could outgrow a page
MAX_QR_URL = 300  # bytes a printed QR code holds at a size that fits beside its label (version 13, level M)
_NEGATIVE = re.compile(r"^\s*[-\u2212\u2012\u2013]")  # hyphen-minus, minus sign, figure and en dashes


class Library(Struct):
    lists: dict[str, tuple[Text, ...]] = field(default_factory=dict)
    terms: dict[str, Terms] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    faqs: tuple[Question, ...] = ()
    links: dict[str, Link] = field(default_factory=dict)
    notices: Notices | None = None


def library_counts(node: Map) -> dict[str, int]:
    """Item counts for `{count:NAME}`, read before anything is resolved."""
    counts: dict[str, int] = {}
    for group in ("lists", "terms"):
        if isinstance(node.get(group), Map):
            counts.update({k: len(v) for k, v in node[group].items() if isinstance(v, Seq)})
    if isinstance(node.get("tables"), Map):
        counts.update({k: len(v.get("rows") or ()) for k, v in node["tables"].items() if isinstance(v, Map)})
    if isinstance(node.get("faqs"), Seq):
        counts["faqs"] = len(node["faqs"])
    return counts


def parse_library(node: Map, shown: str, r: Resolver, findings: list[Finding]) -> Library:
    top = Fields(node, shown, "library.yaml", ("lists", "terms", "tables", "faqs", "links", "notices"), findings)
    lib = Library()
    lists = top.mapping("lists", required=False) or Map(top.line)
    for name, items in lists.items():
        texts = text_list(items, shown, f"list '{name}'", findings, lists.key_lines[name])
        if isinstance(items, Seq) and not items:
            top.error(lists.key_lines[name], f"list '{name}' has no items: add some or remove it")
        lib.lists[name] = tuple(r.text(s, shown) for s in texts)
    terms = top.mapping("terms", required=False) or Map(top.line)
    for name, items in terms.items():
        lib.terms[name] = _terms(items, shown, name, r, findings, terms.key_lines[name])
    tables = top.mapping("tables", required=False) or Map(top.line)
    for name, tnode in tables.items():
        lib.tables[name] = _table(tnode, shown, name, r, findings, tables.key_lines[name])
    faqs = top.seq("faqs", required=False) or Seq(top.line)
    lib.faqs = tuple(_faq(q, shown, r, findings, faqs.line) for q in faqs)
    links = top.mapping("links", required=False) or Map(top.line)
    for name, lnode in links.items():
        f = Fields(lnode, shown, f"link '{name}'", ("label", "url", "qr", "display"), findings,
                   links.key_lines[name])
        qr = f.text("qr", required=False)
        if qr is not None and qr not in ("yes", "no"):
            f.error(qr.line, f"'qr' in link '{name}' must be \"yes\" or \"no\"")
        label = f.text("label") or Str(name, f.line)
        url = f.url("url")
        if qr == "yes" and len(url.encode()) > MAX_QR_URL:
            f.error(f.node.key_lines.get("url", f.line),
                    f"link '{name}' is {len(url.encode()):,} characters long; a printed QR code holds at most "
                    f"{MAX_QR_URL} (set qr: \"no\", or link a shorter address)")
        display = f.text("display", required=False)
        if display is not None and not display.strip():
            f.error(display.line, f"'display' in link '{name}' is empty: write what paper prints, or remove it")
            display = None
        lib.links[name] = Link(r.text(label, shown), url, qr == "yes", f.loc(),
                               r.text(display, shown) if display is not None else None)
    n = Fields(top.mapping("notices"), shown, "notices", ("disclaimer", "endorsement", "source_line"), findings,
               top.node.key_lines.get("notices"))
    lib.notices = Notices(*(r.text(_filled(n, k), shown) for k in ("disclaimer", "endorsement", "source_line")))
    return lib


def _filled(f: Fields, key: str) -> Str:
    """A text that must print something: blank is refused like missing."""
    raw = f.text(key)
    if raw is not None and not raw.strip():
        f.error(raw.line, f"'{key}' in {f.what} is empty: write the text it should print")
    return raw or Str("", f.line)


def parse_document(node: Map, shown: str, kind: str, lib: Library, r: Resolver,
                   findings: list[Finding]) -> Document:
    booklet = kind == "booklet"
    top = Fields(node, shown, f"{kind}.yaml", ("title", "subtitle", "sections", *_BOOKLET_TOP * booklet), findings)
    title = r.text(top.text("title") or Str("", top.line), shown)
    subtitle = top.text("subtitle", required=False)
    key_message = top.text("key_message", required=False) if booklet else None
    sections: list[Section] = []
    seen: dict[str, int] = {}
    listed = top.seq("sections")
    if listed is not None and not listed:
        top.error(top.node.key_lines.get("sections", listed.line), f"{kind}.yaml lists no sections: add at least one")
    for snode in listed or ():
        keys = ("id", "title", "notes", "blocks") if kind == "deck" else ("id", "title", "blocks",
                                                                           *_BOOKLET_SECTION * booklet)
        f = Fields(snode, shown, "section", keys, findings)
        sid = f.text("id") or Str("", f.line)
        if sid in seen:
            f.error(sid.line, f"section id '{sid}' is used twice (first at line {seen[sid]})")
        seen[sid] = sid.line
        notes = f.text("notes") if kind == "deck" else None
        parsed = (_block(b, shown, lib, r, findings, f.line, booklet) for b in f.seq("blocks", required=False) or ())
        blocks = tuple(b for b in parsed if b)
        for block in blocks:
            if kind == "handout" and isinstance(block, Contrast):
                f.error(block.loc.line, "the one-page handout has no room for a 'contrast' block: put it in "
                                        "booklet.yaml or deck.yaml")
        sections.append(Section(str(sid), r.text(f.text("title") or Str("", f.line), shown), blocks,
                                r.text(notes, shown) if notes else None, f.loc(), _yes(f, "new_page")))
    return Document(kind, title, r.text(subtitle, shown) if subtitle else None, tuple(sections), top.loc(),
                    r.text(key_message, shown) if key_message and key_message.strip() else None)


def _yes(f: Fields, key: str) -> bool:
    """An optional "yes"/"no" field (absent is "no")."""
    value = f.text(key, required=False)
    if value is not None and value not in ("yes", "no"):
        f.error(value.line, f"'{key}' in {f.what} must be \"yes\" or \"no\"")
    return value == "yes"


def _block(node: object, shown: str, lib: Library, r: Resolver, findings: list[Finding], line: int,
           booklet: bool = False) -> Block | None:
    f = Fields(node, shown, "block", (*_BLOCK_KINDS, *("guide",) * booklet), findings, line)
    present = [k for k in _BLOCK_KINDS if k in f.node]
    if len(present) != 1:
        f.error(f.line, f"a block needs exactly one of: {', '.join(_BLOCK_KINDS)}")
        return None
    kind, value, loc = present[0], f.node[present[0]], f.loc()
    guide = f.text("guide", required=False)
    if "guide" in node and (guide is None or not guide.strip()):
        f.error(node.key_lines.get("guide", line), "'guide' is empty: write how to read the table, or remove it")
        guide = None
    if guide is not None and kind != "table":
        f.error(guide.line, "'guide' goes with a 'table' block: it says how to read the table")
    if kind in ("text", "callout"):
        raw = f.text(kind)
        if raw is not None and not raw.strip():
            f.error(raw.line, f"this '{kind}' is empty: write the text it should print, or remove the block")
            return None
        return Paragraph(r.text(raw, shown), kind == "callout") if raw is not None else None
    if kind == "notice":
        if value not in _NOTICES or lib.notices is None:
            f.error(f.line, f"'notice' must be one of: {', '.join(_NOTICES)}")
            return None
        return Paragraph(getattr(lib.notices, value))
    if kind in _LIST_KINDS:
        if isinstance(value, Seq):
            items = tuple(r.text(s, shown) for s in f.texts(kind))
            if not value:
                f.error(f.line, f"this '{kind}' list has no items: add some or remove the block")
        else:
            items = _named_slice(f, value, lib.lists, "list", kind)
        return Bullets(items, loc, kind) if items else None
    if kind == "terms":
        terms = _named_slice(f, value, {k: t.items for k, t in lib.terms.items()}, "terms", "terms")
        return Terms(terms, loc) if terms else None
    if kind == "table":
        found = _lookup(f, value, lib.tables, "table")
        return Table(found.columns, found.rows, loc, r.text(guide, shown) if guide else None) if found else None
    if kind == "faqs":
        return _faqs(f, value, lib, loc)
    if kind == "links":
        names = f.texts("links")
        if isinstance(value, Seq) and not value:
            f.error(f.line, "this 'links' block names no links: add some or remove the block")
        found = tuple(lib.links[n] for n in names if _lookup(f, n, lib.links, "link"))
        return Links(found, loc) if found else None
    if kind == "icons":
        return parse_icons(f, value, shown, r, findings)
    if kind == "contrast":
        return parse_contrast(f, value, shown, r, findings)
    return _chart(f, value, shown, r, findings)


def _lookup(f: Fields, name: object, table: dict, what: str) -> object:
    if not isinstance(name, Str):
        f.error(f.line, f"a {what} block names a {what} from library.yaml")
        return None
    if name not in table:
        close = [k for k in table if k.startswith(name[:3])][:1]
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        f.error(name.line, f"unknown {what} '{name}' in library.yaml{hint}")
        return None
    return table[name]


def _named_slice(f: Fields, value: object, lists: dict, what: str, kind: str = "bullets") -> tuple:
    m = _SLICE.match(value) if isinstance(value, Str) else None
    if not m:
        f.error(f.line, f"'{kind}' must be a list of text or a list name like red_flags or red_flags[1-4]")
        return ()
    items = _lookup(f, Str(m.group(1), value.line), lists, what)
    if items is None:
        return ()
    if m.group(2):
        first, last = int(m.group(2)), int(m.group(3))
        if not 1 <= first <= last <= len(items):
            f.error(value.line, f"'{value}': list '{m.group(1)}' has items 1 to {len(items)}")
            return ()
        return items[first - 1:last]
    return items


def _faqs(f: Fields, value: object, lib: Library, loc: Loc) -> Questions | None:
    if value == "all":
        if not lib.faqs:
            f.error(f.line, "'faqs: all' but library.yaml has no faqs: add some or remove the block")
        return Questions(lib.faqs, loc) if lib.faqs else None
    by_id = {q.id: q for q in lib.faqs}
    if isinstance(value, Seq) and not value:
        f.error(f.line, "this 'faqs' block names no questions: add some ids, write \"all\", or remove the block")
    chosen = [by_id[i] for i in f.texts("faqs") if _lookup(f, i, by_id, "faq")]
    return Questions(tuple(chosen), loc) if chosen else None


def _terms(node: object, shown: str, name: str, r: Resolver, findings: list[Finding], line: int) -> Terms:
    items = []
    for item in node if isinstance(node, Seq) else ():
        f = Fields(item, shown, f"an item of terms '{name}'", ("term", "text"), findings, line)
        term, text = f.text("term"), f.text("text")
        if term is not None and text is not None:
            items.append(Term(r.text(term, shown), r.text(text, shown)))
    if not isinstance(node, Seq):
        findings.append(Finding(shown, getattr(node, "line", line), f"terms '{name}' must be a list", rule="schema"))
    elif not node:
        findings.append(Finding(shown, line, f"terms '{name}' has no items: add some or remove it", rule="schema"))
    return Terms(tuple(items), Loc(shown, getattr(node, "line", line)))


def _table(node: object, shown: str, name: str, r: Resolver, findings: list[Finding], line: int) -> Table:
    f = Fields(node, shown, f"table '{name}'", ("columns", "rows"), findings, line)
    columns = tuple(r.text(c, shown) for c in f.texts("columns"))
    listed = f.seq("rows")
    if "columns" in f.node and not columns:
        f.error(f.node.key_lines["columns"], f"table '{name}' has no columns: name at least one")
    if listed is not None and not listed:
        f.error(f.node.key_lines["rows"], f"table '{name}' has no rows: add some or remove the table")
    rows = []
    for row in listed or ():
        row_line = getattr(row, "line", f.line)
        cells = tuple(r.text(c, shown) for c in text_list(row, shown, f"a row of table '{name}'", findings, row_line))
        if len(cells) != len(columns):
            f.error(row_line, f"a row of table '{name}' has {len(cells)} cells; the table has {len(columns)} columns")
        rows.append(cells)
    for cell in (*columns, *(c for row in rows for c in row)):
        if len(cell.text) > MAX_CELL:
            f.error(cell.loc.line, f"a cell of table '{name}' is {len(cell.text)} characters long; the limit is "
                                   f"{MAX_CELL}: keep a cell to a phrase, the detail in the text around the table")
    return Table(columns, tuple(rows), f.loc())


def _faq(node: object, shown: str, r: Resolver, findings: list[Finding], line: int) -> Question:
    f = Fields(node, shown, "a faq", ("id", "question", "answer"), findings, line)
    question = f.text("question") or Str("", f.line)
    return Question(str(f.text("id") or ""), r.text(question, shown),
                    tuple(r.text(a, shown) for a in f.texts("answer")))


def _chart(f: Fields, value: object, shown: str, r: Resolver, findings: list[Finding]) -> Chart | None:
    c = Fields(value, shown, "chart", ("title", "series", "categories", "facts"), findings,
               f.node.key_lines.get("chart"))
    ids = c.texts("facts")
    categories = tuple(r.text(s, shown) for s in c.texts("categories"))
    if len(ids) != len(categories):
        c.error(c.line, f"a chart needs one category per fact ({len(categories)} categories, {len(ids)} facts)")
    values: list[tuple[Str, Fact]] = []
    for fid in ids:
        fact = r.facts.get(fid)
        if fact is None:
            c.error(fid.line, f"unknown fact '{fid}' in chart", str(fid), rule="unknown-fact")
        elif len(numbers_in(fact.value)) != 1:
            c.error(fid.line, f"chart fact '{fid}' must have one number as its value, not '{fact.value}'", str(fid))
        else:
            r.used.add(fid)
            values.append((fid, fact))
    title, series = c.text("title"), c.text("series")
    if title is None or series is None or len(values) != len(ids):
        return None
    if not _chartable(c, values):
        return None
    return Chart(r.text(title, shown), r.text(series, shown), categories, tuple(f for _, f in values), c.loc())


def _chartable(c: Fields, values: list[tuple[Str, Fact]]) -> bool:
    """Bars are compared by height from a zero baseline: the facts must share one unit, and a
    negative value (whose bar the deck's axis, starting at 0, could not show) is refused, naming
    the line that lists the fact."""
    ok = True
    for fid, fact in values:
        if _NEGATIVE.match(fact.value):
            c.error(fid.line, f"chart fact '{fact.id}' is negative ({fact.value}); a chart's bars start at 0, so "
                              "show this figure in text or a table instead", fact.id)
            ok = False
    units = {fact.unit for _, fact in values}
    if len(units) > 1:
        listed = ", ".join(f"{fact.id} in {fact.unit or 'no unit'}" for _, fact in values)
        c.error(c.header, f"a chart compares facts of one unit only; this one mixes {listed}")
        ok = False
    return ok
