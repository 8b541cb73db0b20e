"""Reads a deck back from its XML parts, without python-pptx (which wrote it): what a projector
shows (slide text, table cells, chart values and labels, pictures' alternative text) and what the
facilitator reads (the notes), one location per slide.

Plain zip + XML keeps the check independent of the writer, and works the same on a deck that
PowerPoint or LibreOffice has re-saved.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator

from lxml import etree

from clearfacts.stamps import STAMP_PREFIX
from clearfacts.verify.extracted import ChartValues, Extracted, Place, find_stamp
from clearfacts.verify.normalise import normalise

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_NOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide"


class Package:
    """The zip's parts, parsed on demand, with relationship targets resolved to part names."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = set(self.zip.namelist())

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name), _PARSER)

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """rId → (relationship type, target part name) for one part."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.names:
            return {}
        out = {}
        for rel in self.xml(rels_name).iterfind("rel:Relationship", NS):
            if rel.get("TargetMode") == "External":
                continue
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
            out[rel.get("Id", "")] = (rel.get("Type", ""), target.lstrip("/"))
        return out


def read_pptx(data: bytes) -> Extracted:
    pkg = Package(data)
    out = Extracted(stamp=_stamp(pkg))
    presentation = "ppt/presentation.xml"
    rels = pkg.rels(presentation)
    slide_ids = pkg.xml(presentation).iterfind("p:sldIdLst/p:sldId", NS)
    slides = [rels[s.get(f"{{{NS['r']}}}id", "")][1] for s in slide_ids]
    out.units = len(slides)
    for n, part in enumerate(slides, 1):
        slide_rels = pkg.rels(part)
        root = pkg.xml(part)
        shown = root.get("show", "1") not in ("0", "false")  # a hidden slide is skipped in a show
        texts: list[str] = []
        title = ""
        charts: list[ChartValues] = []
        for shape in _shapes(root.find("p:cSld/p:spTree", NS)):
            texts.extend(_shape_texts(shape))
            if not title and _is_title(shape):
                title = normalise(" ".join(_shape_texts(shape)))
            chart_ref = shape.find("a:graphic/a:graphicData/c:chart", NS)
            if chart_ref is not None:
                charts.append(_chart(pkg, slide_rels[chart_ref.get(f"{{{NS['r']}}}id", "")][1]))
        text = normalise("\n".join(texts))
        out.places.append(Place(f"slide {n}", text if shown else "", tuple(charts) if shown else (), title,
                                hidden="" if shown else text))
        chart_text = normalise(" ".join(" ".join(c.categories + c.labels()) for c in charts))
        if chart_text:
            out.places.append(Place(f"slide {n} chart", chart_text if shown else "", tuple(charts) if shown else (),
                                    hidden="" if shown else chart_text))
        notes = next((target for kind, target in slide_rels.values() if kind == _NOTES), None)
        if notes:
            out.places.append(Place(f"slide {n} notes", normalise(_notes_text(pkg.xml(notes)))))
    return out


def _is_title(shape: etree._Element) -> bool:
    ph = shape.find("p:nvSpPr/p:nvPr/p:ph", NS)
    return ph is not None and ph.get("type") in ("title", "ctrTitle")


def _shapes(tree: etree._Element | None) -> Iterator[etree._Element]:
    """Every shape in drawing order, group members in place of their group."""
    if tree is None:
        return
    for child in tree:
        if child.tag == f"{{{NS['p']}}}grpSp":
            yield from _shapes(child)
        elif child.tag in (f"{{{NS['p']}}}sp", f"{{{NS['p']}}}graphicFrame", f"{{{NS['p']}}}pic",
                           f"{{{NS['p']}}}cxnSp"):
            yield child


def _shape_texts(shape: etree._Element) -> list[str]:
    body = shape.find("p:txBody", NS)
    if body is not None:
        return [_body_text(body)]
    table = shape.find("a:graphic/a:graphicData/a:tbl", NS)
    if table is not None:
        return [_body_text(cell) for cell in table.iterfind("a:tr/a:tc/a:txBody", NS)]
    return []


def _body_text(body: etree._Element) -> str:
    """Paragraphs on their own lines; a line break inside a paragraph is a space."""
    lines = []
    for para in body.iterfind("a:p", NS):
        parts = [node.text or "" if node.tag == f"{{{NS['a']}}}t" else "\n"
                 for node in para.iter(f"{{{NS['a']}}}t", f"{{{NS['a']}}}br")]
        lines.append("".join(parts))
    return "\n".join(lines)


def _notes_text(root: etree._Element) -> str:
    for shape in root.iterfind("p:cSld/p:spTree/p:sp", NS):
        ph = shape.find("p:nvSpPr/p:nvPr/p:ph", NS)
        body = shape.find("p:txBody", NS)
        if ph is not None and ph.get("type") == "body" and body is not None:
            return _body_text(body)
    return ""


def _chart(pkg: Package, part: str) -> ChartValues:
    """The first series of the first plot: its categories, cached values and label format."""
    root = pkg.xml(part)
    plot = next(iter(root.find("c:chart/c:plotArea", NS).iterfind("*[c:ser]", NS)), None)
    if plot is None:
        return ChartValues((), (), "")
    series = plot.find("c:ser", NS)
    categories = tuple(v.text or "" for v in series.iterfind("c:cat//c:pt/c:v", NS))
    points = sorted(series.iterfind("c:val//c:pt", NS), key=lambda pt: int(pt.get("idx", "0")))
    values = tuple(float(pt.findtext("c:v", "nan", NS)) for pt in points)
    label_format = plot.find("c:dLbls/c:numFmt", NS)
    return ChartValues(categories, values, label_format.get("formatCode", "") if label_format is not None else "")


def _stamp(pkg: Package) -> str:
    """The stamp from the custom document properties (office suites keep those as written),
    else from the keywords."""
    if "docProps/custom.xml" in pkg.names:
        for value in pkg.xml("docProps/custom.xml").iterfind("op:property/vt:lpwstr", NS):
            if (value.text or "").startswith(STAMP_PREFIX):
                return value.text.strip()
    keywords = pkg.xml("docProps/core.xml").findtext("cp:keywords", "", NS) if "docProps/core.xml" in pkg.names else ""
    return find_stamp(keywords, STAMP_PREFIX)
