"""Decks that differ on a few slides, made from the last one drawn instead of drawn again whole.

Clinics' editions of one content set differ on a few slides: the title slide (the organisation,
its logo), the closing slide (the next meeting, the contacts). Drawing every slide of every
edition with python-pptx is most of an edition's deck. So each process keeps the last deck it
drew whole for each template, accent colour, language, date and kind of logo, with what each slide was drawn
from (its plan, see `plan`); a deck that differs from it on a few slides is made by drawing
only those slides, in a small deck of their own, and putting their parts in the kept deck's
place (their names, their relationships). Unchanged slides are copied as they are.

The result is the file a whole drawing makes, byte for byte (tests draw both ways and compare):
the parts are swapped only where the drawn slides own parts of the same kinds, in the same
order, as the slides they replace (so python-pptx would have given them the same names), and
own nothing another slide uses. Anything else (a logo where the kept deck has none, a slide
that gained a chart or its notes) draws the whole deck, which is then the one kept.
Works on the zip and its XML only: no python-pptx internals.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Sequence

from lxml import etree
from msgspec import Struct

from clearfacts.render.pptx.repro import write_zip

_PKG = "http://schemas.openxmlformats.org/package/2006"
_RELS = f"{{{_PKG}/relationships}}Relationship"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_PRESENTATION = "ppt/presentation.xml"
_PROPERTIES = ("docProps/core.xml", "docProps/custom.xml")  # the stamp, the author: each deck's own
_KEEP = 4  # decks kept per process (languages × accents of a run of editions)
_AT_MOST = 1 / 3  # of the slides: past this, drawing the deck whole costs about the same
_TARGET = re.compile(rb'<Relationship\b[^>]*/>')


class _Rel(Struct, frozen=True):
    rid: str
    kind: str
    target: str  # the part's name in the package, or the address of an external target
    external: bool


class Package:
    """A deck's parts by name, and the relationships between them."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.parts = {name: z.read(name) for name in z.namelist()}
        self._rels: dict[str, list[_Rel]] = {}
        types = etree.fromstring(self.parts["[Content_Types].xml"])
        self._defaults = {e.get("Extension", "").lower(): e.get("ContentType", "")
                          for e in types.iter(f"{{{_PKG}/content-types}}Default")}
        self._overrides = {e.get("PartName", "").lstrip("/"): e.get("ContentType", "")
                           for e in types.iter(f"{{{_PKG}/content-types}}Override")}

    def rels(self, part: str) -> list[_Rel]:
        """The part's relationships, in rId order ("" is the package's own)."""
        if part not in self._rels:
            folder = posixpath.dirname(part)
            blob = self.parts.get(_rels_of(part))
            found = []
            for el in etree.fromstring(blob).iter(_RELS) if blob else ():
                external = el.get("TargetMode") == "External"
                target = el.get("Target", "")
                if not external:
                    target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
                found.append(_Rel(el.get("Id", ""), el.get("Type", ""), target, external))
            self._rels[part] = sorted(found, key=lambda r: (len(r.rid), r.rid))
        return self._rels[part]

    def slides(self) -> list[str]:
        """The slides' part names in show order."""
        targets = {r.rid: r.target for r in self.rels(_PRESENTATION)}
        root = etree.fromstring(self.parts[_PRESENTATION])
        return [targets[s.get(_R_ID, "")] for s in root.iter(f"{_P}sldId")]

    def content_type(self, part: str) -> str:
        return self._overrides.get(part) or self._defaults.get(part.rpartition(".")[2].lower(), "")

    def owned(self, slides: Sequence[str]) -> list[str]:
        """The parts only `slides` lead to (each slide first, then its notes, charts, pictures…),
        in the order a walk of their relationships meets them."""
        others = set(self._reach([""], set(slides)))
        out: list[str] = []
        for slide in slides:
            for part in self._reach([slide], others | set(slides) - {slide}):
                if part not in out:
                    out.append(part)
        return out

    def _reach(self, start: list[str], avoid: set[str]) -> list[str]:
        seen, queue = list(start), list(start)
        while queue:
            for rel in self.rels(queue.pop(0)):
                if not rel.external and rel.target not in avoid and rel.target not in seen and rel.target in self.parts:
                    seen.append(rel.target)
                    queue.append(rel.target)
        return [p for p in seen if p]


class _Kept(Struct):
    slides: tuple[bytes, ...]
    package: Package


class KeptDecks:
    """The last deck drawn whole per kind of deck, in this process (see the module's docstring)."""

    def __init__(self) -> None:
        self._decks: dict[tuple, _Kept] = {}

    def clear(self) -> None:
        self._decks.clear()

    def deck(self, kind: tuple, slides: Sequence[bytes], draw: Callable[[Sequence[int] | None], bytes],
             when: dt.datetime) -> bytes:
        """The deck whose slides are drawn from `slides` (one key per slide: what it is drawn
        from): `draw(None)` draws it whole, `draw(places)` only the slides at those places (from
        0, in order) in a deck of their own with the same template and document properties."""
        kept = self._decks.get(kind)
        if kept is not None and len(kept.slides) == len(slides):
            places = [i for i, (a, b) in enumerate(zip(kept.slides, slides, strict=True)) if a != b]
            if len(places) <= len(slides) * _AT_MOST:
                parts = graft(kept.package, Package(draw(places)), places)
                if parts is not None:
                    return write_zip(parts, when)
        data = draw(None)
        self._decks.pop(kind, None)
        while len(self._decks) >= _KEEP:
            self._decks.pop(next(iter(self._decks)))
        self._decks[kind] = _Kept(tuple(slides), Package(data))
        return data


KEPT = KeptDecks()


def graft(base: Package, drawn: Package, places: Sequence[int]) -> dict[str, bytes] | None:
    """`base`'s parts with its slides at `places` replaced by `drawn`'s slides, in order, and
    `drawn`'s document properties; None when the parts would not be the ones python-pptx gives
    the whole deck (see the module's docstring)."""
    old_slides, new_slides = base.slides(), drawn.slides()
    if len(new_slides) != len(places):
        return None
    old, new = base.owned([old_slides[i] for i in places]), drawn.owned(new_slides)
    if len(old) != len(new):
        return None
    names = dict(zip(new, old, strict=True))
    if any(_pattern(n) != _pattern(o) or drawn.content_type(n) != base.content_type(o) for n, o in names.items()):
        return None
    kept_blobs = {blob for name, blob in base.parts.items() if name not in old}
    if any(drawn.parts[n] in kept_blobs for n in new if drawn.content_type(n).startswith("image/")):
        return None  # python-pptx would have used the kept deck's copy of that picture
    parts = dict(base.parts)
    for name in _PROPERTIES:
        if (name in drawn.parts) != (name in base.parts):
            return None
        if name in drawn.parts:
            parts[name] = drawn.parts[name]
    for n, o in names.items():
        now, was = drawn.rels(n), base.rels(o)
        if [(r.rid, r.kind, r.external) for r in now] != [(r.rid, r.kind, r.external) for r in was] or any(
                not a.external and names.get(a.target, a.target) != b.target for a, b in zip(now, was, strict=True)):
            return None
        parts[o] = drawn.parts[n]
        if now:
            parts[_rels_of(o)] = _retargeted(drawn.parts[_rels_of(n)], n, o, names)
    return parts


def _pattern(name: str) -> str:
    return re.sub(r"\d+", "#", name)


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _retargeted(blob: bytes, source: str, dest: str, names: dict[str, str]) -> bytes:
    """`source`'s relationships as `dest`'s: each internal target renamed by `names`, written
    relative to `dest`, the rest of the XML as it was."""
    here, there = posixpath.dirname(source), posixpath.dirname(dest)

    def one(match: re.Match[bytes]) -> bytes:
        el = match.group(0)
        if b'TargetMode="External"' in el:
            return el
        target = re.search(rb'Target="([^"]*)"', el)
        assert target is not None  # every relationship has one
        part = posixpath.normpath(posixpath.join(here, target.group(1).decode())).lstrip("/")
        moved = posixpath.relpath(names.get(part, part), there)
        return el[:target.start(1)] + moved.encode() + el[target.end(1):]

    return _TARGET.sub(one, blob)
