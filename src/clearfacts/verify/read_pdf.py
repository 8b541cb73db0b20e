"""Reads a PDF back with PDFium (Chrome's PDF engine): independent of reportlab, which wrote the
handout and booklet, and of pypdf, which imposed the print version. One location per page."""

from __future__ import annotations

import pypdfium2 as pdfium

from clearfacts.stamps import STAMP_PREFIX
from clearfacts.verify.extracted import Extracted, Place, find_stamp
from clearfacts.verify.normalise import normalise


def read_pdf(data: bytes) -> Extracted:
    """One place per page."""
    pdf = pdfium.PdfDocument(data)
    try:
        places = []
        for n in range(len(pdf)):
            page = pdf[n]
            textpage = page.get_textpage()
            places.append(Place(f"page {n + 1}", normalise(textpage.get_text_bounded())))
            textpage.close()
            page.close()
        return Extracted(places, _stamp(pdf), len(pdf))
    finally:
        pdf.close()


def read_imposed(data: bytes) -> Extracted:
    """A saddle-stitched print file: each sheet side holds two pages side by side. The halves
    are read apart and put back in reading order, so a sentence that runs from one page to the
    next is read as it is printed, and findings name the page and the sheet it is on."""
    pdf = pdfium.PdfDocument(data)
    try:
        halves: dict[int, Place] = {}
        sides = len(pdf)
        for n in range(sides):
            page = pdf[n]
            width, height = page.get_size()
            textpage = page.get_textpage()
            for slot, (left, right) in enumerate(((0, width / 2), (width / 2, width))):
                number = saddle_stitch_page(n, slot, sides * 2)
                where = f"page {number} (sheet side {n + 1}, {('left', 'right')[slot]})"
                halves[number] = Place(where, normalise(textpage.get_text_bounded(left, 0, right, height)))
            textpage.close()
            page.close()
        return Extracted([halves[k] for k in sorted(halves)], _stamp(pdf), sides)
    finally:
        pdf.close()


def saddle_stitch_page(side: int, slot: int, pages: int) -> int:
    """The booklet page printed on sheet side `side` (0-based), in the left (0) or right (1)
    slot, for a booklet of `pages` pages folded in half: the outer side of the first sheet
    carries the last page and the first, its inner side the second and the second-to-last."""
    low = side + 1
    high = pages - side
    return (high, low)[slot] if side % 2 == 0 else (low, high)[slot]


def _stamp(pdf: pdfium.PdfDocument) -> str:
    return find_stamp(pdf.get_metadata_dict().get("Keywords", ""), STAMP_PREFIX)
