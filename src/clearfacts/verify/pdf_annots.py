"""Annotations a person sees on a page: a FreeText box shows its text, any annotation with an
appearance (a sticky note's icon, a stamp) shows or opens its Contents, and a form field (a
widget) shows its value in its box. Their text is read like page text. Every annotation a viewer
draws also lies above the page's content, so its rectangle is where a figure may be covered
(`pdf_visible` checks the pixels there).

An appearance is a drawing of its own, free to show other words than Contents or the field's
value (a custom stamp saying "84.3%" with Contents "Approved"); even a link may have one, which
viewers draw (the build's links have none). So when an annotation's appearance draws text, that
text is read too, as a viewer shows it: PDFium flattens the annotations of a private copy of the
page into its content, the page's own objects are taken out, and what is left is read in each
annotation's rectangle. Shown means shown on screen or on paper: a stamp flagged to print but
not to display still reaches the patient. The build makes no such annotation, so an untampered
file never pays for this."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import partial

import pypdfium2.raw as pdfium_c
from msgspec import Struct

from clearfacts.verify.normalise import normalise
from clearfacts.verify.pdf_chars import bounded_text
from clearfacts.verify.pdf_cover import Copies
from clearfacts.verify.pdf_objects import Box, overlaps

_SHOWN_FLAGS = pdfium_c.FPDF_ANNOT_FLAG_PRINT  # drawn on paper even where NOVIEW keeps it off the screen


class Note(Struct, frozen=True):
    text: str
    box: Box
    shown: bool


def page_notes(page: object, visible: Box, index: int, copies: Copies) -> tuple[list[Note], list[Box]]:
    """(the annotations' texts, the rectangles of the annotations a viewer draws over the page).
    `copies` is a private copy of the document, changed here (`_with_appearances`)."""
    notes, drawn, lettered = [], [], []
    for number in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, number)
        if not annot:
            continue
        try:
            subtype = pdfium_c.FPDFAnnot_GetSubtype(annot)
            has_appearance = pdfium_c.FPDFAnnot_GetAP(annot, pdfium_c.FPDF_ANNOT_APPEARANCEMODE_NORMAL, None, 0) > 2
            if subtype == pdfium_c.FPDF_ANNOT_POPUP or (subtype == pdfium_c.FPDF_ANNOT_LINK and not has_appearance):
                continue
            box = _rect(annot)
            shown = _shown(pdfium_c.FPDFAnnot_GetFlags(annot)) and overlaps(box, visible)
            if shown:
                drawn.append(box)
            # A link's Contents describe it for a screen reader (the build writes "Link to …"):
            # only what its appearance draws is on the page.
            text = "" if subtype == pdfium_c.FPDF_ANNOT_LINK else _string(annot, b"Contents")
            if subtype == pdfium_c.FPDF_ANNOT_WIDGET:
                text = f"{text} {_string(annot, b'V')}"
            note = Note(text, box, shown)
            if shown and has_appearance and _draws_text(annot):
                lettered.append((number, note))
            elif text.strip() and (subtype == pdfium_c.FPDF_ANNOT_FREETEXT or has_appearance):
                notes.append(note)
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    if lettered:
        notes += _with_appearances(lettered, lambda: copies.page(index).raw)
    return notes, drawn


def _shown(flags: int) -> bool:
    if flags & pdfium_c.FPDF_ANNOT_FLAG_HIDDEN:
        return False
    return not flags & pdfium_c.FPDF_ANNOT_FLAG_NOVIEW or bool(flags & _SHOWN_FLAGS)


def _draws_text(annot: object) -> bool:
    """Whether the annotation's normal appearance has a text object, in a form within it or not."""
    def has_text(count: int, get: Callable[[int], object]) -> bool:
        for i in range(count):
            obj = get(i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT or kind == pdfium_c.FPDF_PAGEOBJ_FORM and has_text(
                    pdfium_c.FPDFFormObj_CountObjects(obj), partial(pdfium_c.FPDFFormObj_GetObject, obj)):
                return True
        return False

    return has_text(pdfium_c.FPDFAnnot_GetObjectCount(annot), partial(pdfium_c.FPDFAnnot_GetObject, annot))


def _with_appearances(lettered: list[tuple[int, Note]], load: Callable[[], object]) -> list[Note]:
    """Each note with the text its appearance draws (when that says more than its Contents):
    the copied page keeps only these annotations, flattened into its content for print (which
    rewrites the page in the document: `load` opens it again after), and loses its own objects,
    so its text is theirs alone. One such annotation (the usual tamper) is given all of that
    text, wherever its appearance put it; several share it out by their rectangles."""
    page = load()
    keep = {number for number, _ in lettered}
    for number in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, number)
        try:
            pdfium_c.FPDFAnnot_SetFlags(annot, pdfium_c.FPDF_ANNOT_FLAG_PRINT if number in keep
                                        else pdfium_c.FPDF_ANNOT_FLAG_HIDDEN)
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    own = pdfium_c.FPDFPage_CountObjects(page)
    if pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_PRINT) != pdfium_c.FLATTEN_SUCCESS:
        return [note for _, note in lettered]
    page = load()
    for i in reversed(range(own)):  # the flattened appearances were put after the page's own objects
        obj = pdfium_c.FPDFPage_GetObject(page, i)
        if pdfium_c.FPDFPage_RemoveObject(page, obj):
            pdfium_c.FPDFPageObj_Destroy(obj)
    textpage = pdfium_c.FPDFText_LoadPage(page)
    try:
        out = []
        whole = (-1e6, -1e6, 1e6, 1e6)
        for _, note in lettered:
            drawn = bounded_text(textpage, whole if len(lettered) == 1 else note.box)
            said = note.text if normalise(drawn) in normalise(note.text) else f"{note.text}\r\n{drawn}"
            out.append(Note(said, note.box, note.shown))
        return out
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)


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
