"""Reads a PDF back with PDFium (Chrome's PDF engine): independent of reportlab, which wrote the
handout and booklet, and of pypdf, which imposed the print version. One location per page."""

from __future__ import annotations

import pypdfium2 as pdfium

from clearfacts.stamps import STAMP_PREFIX
from clearfacts.verify.extracted import Extracted, Place, find_stamp
from clearfacts.verify.normalise import normalise


def read_pdf(data: bytes) -> Extracted:
    pdf = pdfium.PdfDocument(data)
    try:
        places = []
        for n in range(len(pdf)):
            page = pdf[n]
            textpage = page.get_textpage()
            places.append(Place(f"page {n + 1}", normalise(textpage.get_text_bounded())))
            textpage.close()
            page.close()
        keywords = pdf.get_metadata_dict().get("Keywords", "")
        return Extracted(places, find_stamp(keywords, STAMP_PREFIX), len(pdf))
    finally:
        pdf.close()
