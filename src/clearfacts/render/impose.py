"""The print version of the booklet: its finished pages, 2-up on landscape sheets in
saddle-stitch order, for a duplex printer that flips on the short edge.

Pages are placed, never re-rendered, so the print file shows exactly what the screen booklet
shows. Fold the printed stack in half and staple on the fold: the pages then read in order.
"""

from __future__ import annotations

import hashlib
import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

from clearfacts.render.pdf import SHEET

_COPIED_INFO = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/CreationDate", "/ModDate")


def impose(booklet_pdf: bytes, paper: str) -> bytes:
    """Letter (or A4) landscape sheets, two booklet pages per side, same metadata and stamp."""
    reader = PdfReader(io.BytesIO(booklet_pdf))
    pages = pad_to_four(list(reader.pages))
    portrait_w, portrait_h = SHEET[paper]
    sheet = (portrait_h, portrait_w)
    writer = PdfWriter()
    for pair in saddle_order(len(pages)):
        side = PageObject.create_blank_page(width=sheet[0], height=sheet[1])
        for slot, index in enumerate(pair):
            page = pages[index]
            if page is not None:
                side.merge_transformed_page(page, _placement(page, slot, sheet))
        if "/Annots" in side:  # links point into the screen booklet; a print file needs none
            del side[NameObject("/Annots")]
        writer.add_page(side)
    _describe(writer, reader, booklet_pdf, paper)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pad_to_four(pages: list[PageObject]) -> list[PageObject | None]:
    """Blank pages (None) just before the back cover, so the back cover stays outside."""
    blanks = -len(pages) % 4
    return [*pages[:-1], *[None] * blanks, *pages[-1:]]


def saddle_order(n: int) -> list[tuple[int, int]]:
    """0-based (left, right) page indices for each sheet side in print order; n is a multiple of 4.

    Sheet k carries pages (n-2k, 2k+1) on its front and (2k+2, n-2k-1) on its back (1-based).
    """
    sides = []
    for k in range(n // 4):
        sides.append((n - 1 - 2 * k, 2 * k))
        sides.append((2 * k + 1, n - 2 - 2 * k))
    return sides


def _placement(page: PageObject, slot: int, sheet: tuple[float, float]) -> Transformation:
    """Centre the page in its half of the sheet, shrinking it only if it would not fit."""
    box = page.mediabox
    half = sheet[0] / 2
    scale = min(1.0, half / float(box.width), sheet[1] / float(box.height))
    w, h = float(box.width) * scale, float(box.height) * scale
    return (Transformation()
            .translate(-float(box.left), -float(box.bottom))
            .scale(scale)
            .translate(slot * half + (half - w) / 2, (sheet[1] - h) / 2))


def _describe(writer: PdfWriter, reader: PdfReader, source: bytes, paper: str) -> None:
    """Same title, author, language and build stamp as the booklet; print straight, duplex on
    the short edge; a file identifier derived from the input, never from the clock."""
    info = reader.metadata or {}
    writer.add_metadata({key: info[key] for key in _COPIED_INFO if key in info}
                        | {"/Producer": "clearfacts (pypdf)"})
    lang = reader.root_object.get("/Lang")
    if lang:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(lang))
    writer.pdf_header = "%PDF-1.7"  # the version that defines /Duplex
    prefs = writer.create_viewer_preferences()
    prefs.duplex = "/DuplexFlipShortEdge"
    prefs.print_scaling = "/None"
    prefs.display_doctitle = True
    digest = hashlib.md5(source + paper.encode(), usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])  # pypdf has no public setter
