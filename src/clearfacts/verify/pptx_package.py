"""A PPTX (or the XLSX inside a chart) as an Open Packaging zip: parts parsed on demand, once,
with relationship targets resolved to part names. Plain zipfile + lxml, never the writer's library.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import zipfile

from lxml import etree

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "c15": "http://schemas.microsoft.com/office/drawing/2012/chart",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
}
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
NOTES = _RELS + "notesSlide"
LAYOUT = _RELS + "slideLayout"
MASTER = _RELS + "slideMaster"
THEME = _RELS + "theme"
CHART = _RELS + "chart"
PACKAGE = _RELS + "package"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def tag(name: str) -> str:
    """"p:sp" → "{namespace}sp"."""
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


R_ID = tag("r:id")
R_EMBED = tag("r:embed")


class Package:
    """The zip's parts, parsed on demand (each once), with relationship targets resolved."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = set(self.zip.namelist())
        self._parsed: dict[str, etree._Element] = {}
        self._rels: dict[str, dict[str, tuple[str, str]]] = {}
        self._digests: dict[str, bytes] = {}

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def xml(self, name: str) -> etree._Element:
        if name not in self._parsed:
            self._parsed[name] = etree.fromstring(self.zip.read(name), _PARSER)
        return self._parsed[name]

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """rId → (relationship type, target part name) for one part (external targets left out)."""
        if part not in self._rels:
            self._rels[part] = self._read_rels(part)
        return self._rels[part]

    def related(self, part: str, kind: str) -> str | None:
        """The first part `part` points to with a relationship of type `kind`, if it is in the zip."""
        return next((target for k, target in self.rels(part).values() if k == kind and target in self.names), None)

    def target(self, part: str, rid: str | None) -> str | None:
        found = self.rels(part).get(rid or "")
        return found[1] if found and found[1] in self.names else None

    def external(self) -> list[tuple[str, str]]:
        """(part, target) of every relationship in the package that leads outside it (a
        hyperlink's address, a linked picture or file), from every part's relationships."""
        out = []
        for name in sorted(n for n in self.names if n.endswith(".rels")):
            folder, base = posixpath.split(name)
            part = posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])
            out += [(part, rel.get("Target", "").strip()) for rel in self.xml(name).iterfind("rel:Relationship", NS)
                    if rel.get("TargetMode") == "External"]
        return out

    def fingerprint(self, part: str) -> bytes:
        """A digest of everything reading `part` can look at: the part and every part its
        relationships lead to, directly or not (a slide's layout, master and theme, its notes,
        charts and pictures), with their relationships (external addresses included) and names.
        Two parts with the same fingerprint read the same."""
        reached, queue = {part}, [part]
        while queue:
            for _, target in self.rels(queue.pop()).values():
                if target in self.names and target not in reached:
                    reached.add(target)
                    queue.append(target)
        digest = hashlib.sha256()
        for name in sorted(reached):
            for one in (name, _rels_name(name)):
                digest.update(b"%d:%s:%s;" % (len(one), one.encode(), self.digest(one)))
        return digest.digest()

    def digest(self, name: str) -> bytes:
        """The SHA-256 of one part's bytes."""
        if name not in self._digests:
            self._digests[name] = hashlib.sha256(self.zip.read(name)).digest() if name in self.names else b"-"
        return self._digests[name]

    def _read_rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder = posixpath.dirname(part)
        rels_name = _rels_name(part)
        if rels_name not in self.names:
            return {}
        out = {}
        for rel in self.xml(rels_name).iterfind("rel:Relationship", NS):
            if rel.get("TargetMode") == "External":
                continue
            raw = rel.get("Target", "")
            target = raw.lstrip("/") if raw.startswith("/") else posixpath.normpath(posixpath.join(folder, raw))
            out[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return out


def _rels_name(part: str) -> str:
    """Where a part's relationships are kept: `ppt/slides/_rels/slide1.xml.rels`."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")
