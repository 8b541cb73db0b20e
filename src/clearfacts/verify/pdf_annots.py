"""Annotations a person sees on a page: a FreeText box shows its text, any annotation with an
appearance (a sticky note's icon, a stamp) shows or opens its Contents, and a form field (a
widget) shows its value in its box. Their text is read like page text. Every annotation a viewer
draws also lies above the page's content, so its rectangle is where a figure may be covered
(`pdf_visible` checks the pixels there)."""

from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c
from msgspec import Struct

from clearfacts.verify.pdf_objects import Box, overlaps

_NOT_DRAWN = (pdfium_c.FPDF_ANNOT_LINK, pdfium_c.FPDF_ANNOT_POPUP)
_HIDDEN_FLAGS = pdfium_c.FPDF_ANNOT_FLAG_HIDDEN | pdfium_c.FPDF_ANNOT_FLAG_NOVIEW


class Note(Struct, frozen=True):
    text: str
    box: Box
    shown: bool


def page_notes(page: object, visible: Box) -> tuple[list[Note], list[Box]]:
    """(the annotations' texts, the rectangles of the annotations a viewer draws over the page)."""
    notes, drawn = [], []
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, index)
        if not annot:
            continue
        try:
            subtype = pdfium_c.FPDFAnnot_GetSubtype(annot)
            if subtype in _NOT_DRAWN:
                continue
            box = _rect(annot)
            shown = not pdfium_c.FPDFAnnot_GetFlags(annot) & _HIDDEN_FLAGS and overlaps(box, visible)
            if shown:
                drawn.append(box)
            has_appearance = pdfium_c.FPDFAnnot_GetAP(annot, pdfium_c.FPDF_ANNOT_APPEARANCEMODE_NORMAL, None, 0) > 2
            text = _string(annot, b"Contents")
            if subtype == pdfium_c.FPDF_ANNOT_WIDGET:
                text = f"{text} {_string(annot, b'V')}"
            if text.strip() and (subtype == pdfium_c.FPDF_ANNOT_FREETEXT or has_appearance):
                notes.append(Note(text, box, shown))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return notes, drawn


def _rect(annot: object) -> Box:
    rect = pdfium_c.FS_RECTF()
    if not pdfium_c.FPDFAnnot_GetRect(annot, rect):
        return (0.0, 0.0, 0.0, 0.0)
    return (min(rect.left, rect.right), min(rect.bottom, rect.top), max(rect.left, rect.right),
            max(rect.bottom, rect.top))


def _string(annot: object, key: bytes) -> str:
    size = pdfium_c.FPDFAnnot_GetStringValue(annot, key, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAnnot_GetStringValue(annot, key, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buffer.raw[:size - 2].decode("utf-16-le", errors="ignore")
