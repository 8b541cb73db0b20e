"""Is a word still seen when something is drawn over it?

A white box over "48.3%" hides it, and "84.3%" typed on the box in the same colour even leaves
ink where the figure was. So a word under a later shape or annotation is rendered twice: as the
page shows it, and from a second copy of the document with everything drawn after the word that
overlaps it taken away (and the annotations). Where the word's own glyphs were, the page must
still show its ink; where they were not, no new ink of its colour may appear.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from clearfacts.verify.pdf_objects import Box, Colour, page_objects
from clearfacts.verify.pdf_render import RGB, Raster, blend, close

KEPT = 0.8  # at least this share of the word's glyph pixels must still show its ink
ADDED = 0.25  # and new ink of its colour may cover at most this much beside them


class Copies:
    """A second, private copy of the document, opened on first use, whose pages may be changed."""

    def __init__(self, data: bytes):
        self._data = data
        self._pdf: pdfium.PdfDocument | None = None
        self._open: list[object] = []

    def page(self, index: int) -> pdfium.PdfPage:
        if self._pdf is None:
            self._pdf = pdfium.PdfDocument(self._data)
        page = self._pdf[index]
        self._open.append(page)
        return page

    def keep(self, item: object) -> None:
        """Close `item` (a text page of a copied page) with the copy."""
        self._open.append(item)

    def close(self) -> None:
        for item in reversed(self._open):
            item.close()  # type: ignore[attr-defined]
        if self._pdf is not None:
            self._pdf.close()


class Uncovered:
    """Pages of a private copy that lose what was drawn over their text."""

    def __init__(self, data: bytes):
        self._copies = Copies(data)
        self._pages: dict[int, object] = {}

    def page(self, index: int, remove: set[int]) -> object:
        """Page `index` without the painted objects whose drawing order is in `remove`, and
        without annotations (a viewer draws those over everything)."""
        if index in self._pages:
            return self._pages[index]
        page = self._copies.page(index).raw
        self._pages[index] = page
        handles: list[tuple[object, object | None]] = []
        page_objects(page, handles)
        for order in sorted(remove, reverse=True):
            obj, form = handles[order]
            removed = (pdfium_c.FPDFFormObj_RemoveObject(form, obj) if form is not None
                       else pdfium_c.FPDFPage_RemoveObject(page, obj))
            if removed:
                pdfium_c.FPDFPageObj_Destroy(obj)
        for annot in reversed(range(pdfium_c.FPDFPage_GetAnnotCount(page))):
            pdfium_c.FPDFPage_RemoveAnnot(page, annot)
        return page

    def close(self) -> None:
        self._copies.close()


def overdrawn(shown: Raster, bare: Raster, box: Box, inks: tuple[Colour, ...], behind: RGB) -> bool:
    """The word in `box` is hidden or replaced: its glyphs (as `bare` shows them) lost their ink
    on the page (`shown`), or ink of its colour was added beside them."""
    seen = [blend(ink, behind) for ink in inks]
    memo: dict[int, bool] = {}

    def ink(value: int) -> bool:
        if value not in memo:
            memo[value] = any(close(value, colour) for colour in seen)
        return memo[value]

    glyph = kept = added = 0
    for now, before in zip(shown.values(box), bare.values(box), strict=True):
        if ink(before):
            glyph += 1
            kept += ink(now)
        elif ink(now):
            added += 1
    return bool(glyph) and (kept < KEPT * glyph or added > ADDED * glyph)
