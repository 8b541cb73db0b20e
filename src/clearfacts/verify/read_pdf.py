"""Reads a PDF back with PDFium (Chrome's PDF engine): independent of reportlab, which wrote the
handout and booklet, and of pypdf, which imposed the print version. One location per page.

Only what a person sees counts as a page's text (`pdf_visible`): text that is in the file but
invisible, too faint, tiny, off the page or under an opaque shape is kept apart as `hidden` or
`covered`, so a check can say why a sentence is missing; annotations that show text are read too,
and so are the bookmarks a viewer lists beside the pages (`bookmarks`) and the title it shows in
its title bar (`document title`).
A file with layers or scripts, which change what a viewer shows, is a problem of its own
(`pdf_declared`).
"""

from __future__ import annotations

import pypdfium2 as pdfium

from clearfacts.stamps import STAMP_PREFIX
from clearfacts.verify.extracted import Code, Extracted, Place, Shown, find_stamp
from clearfacts.verify.normalise import normalise
from clearfacts.verify.pdf_codes import page_codes
from clearfacts.verify.pdf_declared import declared_problems
from clearfacts.verify.pdf_icon_arrays import arrays_of
from clearfacts.verify.pdf_objects import OpenPages
from clearfacts.verify.pdf_structure import structure_of, tagged_reading
from clearfacts.verify.pdf_visible import PageReader, Reading


def read_pdf(data: bytes) -> Extracted:
    """One place per page. The document stays open as long as what is returned: its structure
    tree and icon arrays, read only when a check asks for them, come from the pages the text was
    read from, each page parsed once."""
    pdf = pdfium.PdfDocument(data)
    pages = OpenPages(pdf)
    reader = PageReader(data, layout=True)
    codes: list[Code] = []
    pictures: list[Shown] = []
    try:
        places = []
        for n in range(len(pdf)):
            page, textpage = pages.open(n)
            visible = page.get_bbox()
            (reading,) = reader.read(n, page, textpage, [visible], visible)
            places.append(_place(f"page {n + 1}", reading))
            if reader.layouts:
                found, shown = page_codes(page.raw, reader.layouts[-1], lambda _box, n=n: f"page {n + 1}")
                codes += found
                pictures += shown
        layout = tuple(reader.layouts or ())
    finally:
        reader.close()
    toc = list(pdf.get_toc())
    links = tuple((f"page {n}", link.target) for n, page in enumerate(layout, 1) for link in page.links if link.target)
    return Extracted(places + _beside_the_pages(pdf, toc), _stamp(pdf), len(pdf), declared_problems(data),
                     structure=lambda: tagged_reading(structure_of(pdf, pages.open)),
                     layout=layout, icon_arrays=lambda: arrays_of(pdf, pages.open), outline=_outline(toc),
                     links=links, codes=tuple(codes), pictures=tuple(pictures))


def read_imposed(data: bytes) -> Extracted:
    """A saddle-stitched print file: each sheet side holds two pages side by side. The halves
    are read apart and put back in reading order, so a sentence that runs from one page to the
    next is read as it is printed, and findings name the page and the sheet it is on."""
    pdf = pdfium.PdfDocument(data)
    try:
        halves: dict[int, Place] = {}
        sides = len(pdf)
        pages = OpenPages(pdf)
        reader = PageReader(data, layout=True, words=False)  # where its QR codes and pictures are
        codes: list[Code] = []
        pictures: list[Shown] = []
        try:
            for n in range(sides):
                page, textpage = pages.open(n)
                width, height = page.get_size()
                visible = page.get_bbox()
                rects = [(0.0, 0.0, width / 2, height), (width / 2, 0.0, width, height)]
                names = [f"page {saddle_stitch_page(n, slot, sides * 2)} (sheet side {n + 1}, {side})"
                         for slot, side in enumerate(("left", "right"))]
                for slot, reading in enumerate(reader.read(n, page, textpage, rects, visible)):
                    halves[saddle_stitch_page(n, slot, sides * 2)] = _place(names[slot], reading)
                if reader.layouts:
                    half = width / 2
                    found, shown = page_codes(page.raw, reader.layouts[-1],
                                              lambda box, names=names, half=half: names[(box[0] + box[2]) / 2 > half])
                    codes += found
                    pictures += shown
        finally:
            reader.close()
            pages.close()
        return Extracted([halves[k] for k in sorted(halves)] + _beside_the_pages(pdf, list(pdf.get_toc())),
                         _stamp(pdf), sides, declared_problems(data), codes=tuple(codes), pictures=tuple(pictures))
    finally:
        pdf.close()


def saddle_stitch_page(side: int, slot: int, pages: int) -> int:
    """The booklet page printed on sheet side `side` (0-based), in the left (0) or right (1)
    slot, for a booklet of `pages` pages folded in half: the outer side of the first sheet
    carries the last page and the first, its inner side the second and the second-to-last."""
    low = side + 1
    high = pages - side
    return (high, low)[slot] if side % 2 == 0 else (low, high)[slot]


def _place(where: str, reading: Reading) -> Place:
    return Place(where, normalise(reading.text), hidden=normalise(reading.hidden), covered=normalise(reading.covered))


def _beside_the_pages(pdf: pdfium.PdfDocument, toc: list[pdfium.PdfBookmark]) -> list[Place]:
    """What a viewer shows besides the pages, read like them so a figure put there is checked:
    the bookmarks it lists (every level) and the title in its title bar (the files ask for it)."""
    out = []
    titles = [item.get_title() for item in toc]
    if titles:
        out.append(Place("bookmarks", normalise("\n".join(titles))))
    title = pdf.get_metadata_dict().get("Title", "")
    if title:
        out.append(Place("document title", normalise(title)))
    return out


def _outline(toc: list[pdfium.PdfBookmark]) -> tuple[tuple[str, int], ...]:
    """Each top-level bookmark's title and the page it opens, in order."""
    out = []
    for item in toc:
        dest = item.get_dest() if item.level == 0 else None
        if dest is not None and dest.get_index() is not None:
            out.append((item.get_title(), dest.get_index() + 1))
    return tuple(out)


def _stamp(pdf: pdfium.PdfDocument) -> str:
    return find_stamp(pdf.get_metadata_dict().get("Keywords", ""), STAMP_PREFIX)
