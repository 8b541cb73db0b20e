"""The print version of the booklet: its finished pages, 2-up on landscape sheets in
saddle-stitch order, for a duplex printer that flips on the short edge.

Pages are placed, never re-rendered, so the print file shows exactly what the screen booklet
shows: each finished page becomes a form XObject, drawn on its sheet with one transformation
(pypdf's merge_transformed_page would parse and rewrite every content stream instead).
Fold the printed stack in half and staple on the fold: the pages then read in order.
"""

from __future__ import annotations

import hashlib
import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

from clearfacts.options import BuildOptions
from clearfacts.render.pdf.compat_pypdf import add_object, set_file_identifier
from clearfacts.render.pdf.document import SHEET

_COPIED_INFO = ("/Title", "/Author", "/Keywords", "/Creator", "/CreationDate", "/ModDate")
# The print file is for the printer, not for reading on screen: it is not tagged, and says so.
PRINT_SUBJECT = ("Print file: the booklet's pages imposed 2-up for saddle-stitch printing. Not tagged for "
                 "screen readers: to read on screen or with assistive technology, use faq-booklet.pdf.")


def impose(booklet_pdf: bytes, options: BuildOptions) -> bytes:
    """Letter (or A4) landscape sheets, two booklet pages per side, same metadata and stamp."""
    reader = PdfReader(io.BytesIO(booklet_pdf))
    pages = pad_to_four(list(reader.pages))
    paper = options.paper
    portrait_w, portrait_h = SHEET[paper]
    sheet = (portrait_h, portrait_w)
    writer = PdfWriter()
    forms: dict[int, IndirectObject] = {}
    for pair in saddle_order(len(pages)):
        side = PageObject.create_blank_page(width=sheet[0], height=sheet[1])
        xobjects = DictionaryObject()
        ops = []
        for slot, index in enumerate(pair):
            page = pages[index]
            if page is None:
                continue
            if index not in forms:
                forms[index] = _as_form(writer, page)
            name = f"/P{index + 1}"
            xobjects[NameObject(name)] = forms[index]
            a, b, c, d, e, f = _placement(page, slot, sheet).ctm
            ops.append(f"q {a:.6g} {b:.6g} {c:.6g} {d:.6g} {e:.6g} {f:.6g} cm {name} Do Q")
        side[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode())
        side[NameObject("/Contents")] = add_object(writer, content)
        writer.add_page(side)
    _describe(writer, reader, booklet_pdf, paper)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _as_form(writer: PdfWriter, page: PageObject) -> IndirectObject:
    """The page's drawing as a reusable form: its content bytes unparsed, its resources cloned."""
    contents = page.get("/Contents")
    streams = contents.get_object() if contents is not None else []
    streams = streams if isinstance(streams, ArrayObject) else [streams]
    form = DecodedStreamObject()
    form.set_data(b"\n".join(s.get_object().get_data() for s in streams))
    box = page.mediabox
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)),
        NameObject("/Resources"): page["/Resources"].clone(writer),
    })
    return add_object(writer, form.flate_encode())


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
                        | {"/Producer": "clearfacts (pypdf)", "/Subject": PRINT_SUBJECT})
    lang = reader.root_object.get("/Lang")
    if lang:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(lang))
    writer.pdf_header = "%PDF-1.7"  # the version that defines /Duplex
    prefs = writer.create_viewer_preferences()
    prefs.duplex = "/DuplexFlipShortEdge"
    prefs.print_scaling = "/None"
    prefs.display_doctitle = True
    digest = hashlib.md5(source + paper.encode(), usedforsecurity=False).digest()
    set_file_identifier(writer, digest)
