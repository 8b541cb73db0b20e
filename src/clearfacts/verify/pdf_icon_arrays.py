"""The PDF's icon arrays as PDFium finds them (`icon_arrays` holds the check and the deck's
reader): each `Figure` of the structure tree with its /Alt, and the path objects in its marked
content; a path with a fill mode is a filled figure, one that is only stroked is not.

A module of its own so that only the processes reading PDFs back load PDFium.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from clearfacts.verify.icon_arrays import DrawnArray
from clearfacts.verify.normalise import normalise
from clearfacts.verify.pdf_structure import Opened, _string  # the one reader of PDFium's UTF-16 getters


def arrays_of(pdf: pdfium.PdfDocument, opened: Opened) -> list[DrawnArray]:
    """Every figure of the structure tree that draws paths, page by page, with its /Alt; the
    caller has the pages open (and closes them)."""
    return [found for n in range(len(pdf)) for found in _page_arrays(opened(n)[0], f"page {n + 1}")]


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
