"""Icon arrays as a reader of the file finds them: each array's alternative text and how many of
its figures are filled, counted from the drawing itself, never from anything the writer noted.

- PDF (PDFium): each `Figure` of the structure tree, its /Alt, and the path objects in its
  marked content; a path with a fill mode is a filled figure, one that is only stroked is not.
- Deck (plain XML): each group shape with alternative text (`descr`), and its shapes; one with a
  solid fill is filled, one without (`a:noFill`) is not.

The check pairs each array of the content (its label is its alternative text) with the drawn one
whose alternative text says the same, and then wants as many filled figures as the fact's
natural frequency: "about 1 in 10" is one filled figure of ten.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from clearfacts.errors import Finding
from clearfacts.frequencies import filled
from clearfacts.model import Document, Fact, IconArray, Text
from clearfacts.verify.normalise import normalise
from clearfacts.verify.pdf_structure import _string  # the one reader of PDFium's UTF-16 getters
from clearfacts.verify.pptx_package import NS, R_ID, Package, tag

ANCHOR_WORDS = 3  # a label's first words: enough to find its array when the numbers were changed


@dataclass(frozen=True)
class DrawnArray:
    """One figure with alternative text and the shapes drawn in it."""

    where: str  # "page 3", "slide 7"
    alt: str  # normalised
    filled: int
    total: int


def check_icon_arrays(name: str, document: Document, drawn: list[DrawnArray]) -> list[Finding]:
    """Each array of the document drawn once, with its label as alternative text and its fact's
    frequency of filled figures."""
    out: list[Finding] = []
    for label, fact in _arrays(document):
        expected = normalise(label.text)
        found = next((d for d in drawn if d.alt == expected), None)
        if found is None:
            anchor = " ".join(expected.split()[:ANCHOR_WORDS])
            found = next((d for d in drawn if d.alt.startswith(anchor)), None)
            if found is None:
                out.append(Finding(name, None, f"icon array for fact {fact.id} ({fact.frequency_form}) not found: "
                                               f"no figure's alternative text is '{expected}'", fact.id))
                continue
            out.append(Finding(name, None, f"{found.where}: icon array alternative text: altered fact {fact.id}: "
                                           f"found '{found.alt}', expected '{expected}'", fact.id))
        want = filled(fact)
        if (found.filled, found.total) != (want, fact.frequency):
            out.append(Finding(name, None, f"{found.where}: icon array for fact {fact.id} ({fact.frequency_form}) "
                                           f"has {found.filled} of {found.total} figures filled, expected {want} "
                                           f"of {fact.frequency}", fact.id))
    return out


def _arrays(document: Document) -> list[tuple[Text, Fact]]:
    return [(label, fact) for section in document.sections for block in section.blocks
            if isinstance(block, IconArray) for label, fact in zip(block.labels, block.facts, strict=True)]


def has_arrays(document: Document) -> bool:
    return bool(_arrays(document))


# --- PDF -----------------------------------------------------------------------------------------

def read_pdf_arrays(data: bytes) -> list[DrawnArray]:
    """Every figure of the structure tree that draws paths, page by page, with its /Alt."""
    pdf = pdfium.PdfDocument(data)
    out: list[DrawnArray] = []
    try:
        for n in range(len(pdf)):
            page = pdf[n]
            try:
                out += _page_arrays(page, f"page {n + 1}")
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def _page_arrays(page: pdfium.PdfPage, where: str) -> list[DrawnArray]:
    figures: list[tuple[str, set[int]]] = []
    tree = pdfium_c.FPDF_StructTree_GetForPage(page.raw)
    try:
        for i in range(pdfium_c.FPDF_StructTree_CountChildren(tree) if tree else 0):
            _figures(pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i), figures)
    finally:
        if tree:
            pdfium_c.FPDF_StructTree_Close(tree)
    if not figures:
        return []
    paths: dict[int, list[bool]] = {}
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj)
        if mcid >= 0 and pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
            paths.setdefault(mcid, []).append(fill.value != 0)
    out = []
    for alt, mcids in figures:
        drawn = [f for mcid in sorted(mcids) for f in paths.get(mcid, ())]
        if drawn:
            out.append(DrawnArray(where, normalise(alt), sum(drawn), len(drawn)))
    return out


def _figures(handle: object, out: list[tuple[str, set[int]]]) -> None:
    """(alt, MCIDs) of each Figure at or under `handle`, in reading order."""
    if _string(pdfium_c.FPDF_StructElement_GetType, handle) == "Figure":
        mcids = {pdfium_c.FPDF_StructElement_GetChildMarkedContentID(handle, i)
                 for i in range(max(0, pdfium_c.FPDF_StructElement_CountChildren(handle)))}
        out.append((_string(pdfium_c.FPDF_StructElement_GetAltText, handle), {m for m in mcids if m >= 0}))
        return
    for i in range(max(0, pdfium_c.FPDF_StructElement_CountChildren(handle))):
        child = pdfium_c.FPDF_StructElement_GetChildAtIndex(handle, i)
        if child:
            _figures(child, out)


# --- deck ----------------------------------------------------------------------------------------

def read_pptx_arrays(data: bytes) -> list[DrawnArray]:
    """Every group shape with alternative text, slide by slide, and its shapes' fills."""
    pkg = Package(data)
    presentation = "ppt/presentation.xml"
    rels = pkg.rels(presentation)
    out: list[DrawnArray] = []
    for n, sld in enumerate(pkg.xml(presentation).iterfind("p:sldIdLst/p:sldId", NS), 1):
        part = rels.get(sld.get(R_ID, ""), ("", ""))[1]
        if part not in pkg.names:
            continue
        for group in pkg.xml(part).iter(tag("p:grpSp")):
            props = group.find("p:nvGrpSpPr/p:cNvPr", NS)
            alt = props.get("descr", "") if props is not None else ""
            shapes = group.findall("p:sp", NS)
            if alt and shapes:
                fills = [sp.find("p:spPr/a:solidFill", NS) is not None for sp in shapes]
                out.append(DrawnArray(f"slide {n}", normalise(alt), sum(fills), len(fills)))
    return out
