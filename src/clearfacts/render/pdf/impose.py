"""The print version of the booklet: its finished pages, 2-up on landscape sheets in
saddle-stitch order, for a duplex printer that flips on the short edge.

Pages are placed, never re-rendered, so the print file shows exactly what the screen booklet
shows: each finished page becomes a form XObject (qpdf's own page-to-form conversion, through
pikepdf, which the tagging pass already loads), drawn on its sheet with one transformation.
Fold the printed stack in half and staple on the fold: the pages then read in order.
"""

from __future__ import annotations

import io

import pikepdf

from clearfacts.options import BuildOptions
from clearfacts.render.pdf.document import SHEET

_COPIED_INFO = ("/Title", "/Author", "/Keywords", "/Creator", "/CreationDate", "/ModDate")
# The print file is for the printer, not for reading on screen: it is not tagged, and says so.
PRINT_SUBJECT = ("Print file: the booklet's pages imposed 2-up for saddle-stitch printing. Not tagged for "
                 "screen readers: to read on screen or with assistive technology, use faq-booklet.pdf.")
Box = tuple[float, float, float, float]


def impose(booklet_pdf: bytes, options: BuildOptions) -> bytes:
    """Letter (or A4) landscape sheets, two booklet pages per side, same metadata and stamp."""
    portrait_w, portrait_h = SHEET[options.paper]
    sheet = (portrait_h, portrait_w)
    with pikepdf.open(io.BytesIO(booklet_pdf)) as source, pikepdf.new() as out:
        pages = pad_to_four(list(source.pages))
        forms: dict[int, pikepdf.Object] = {}
        for pair in saddle_order(len(pages)):
            side = out.add_blank_page(page_size=sheet)
            xobjects = pikepdf.Dictionary()
            ops = []
            for slot, index in enumerate(pair):
                page = pages[index]
                if page is None:
                    continue
                if index not in forms:
                    forms[index] = out.copy_foreign(page.as_form_xobject())
                name = f"/P{index + 1}"
                xobjects[name] = forms[index]
                a, b, c, d, e, f = placement(_box(page), slot, sheet)
                ops.append(f"q {a:.6g} {b:.6g} {c:.6g} {d:.6g} {e:.6g} {f:.6g} cm {name} Do Q")
            side.obj.Resources = pikepdf.Dictionary(XObject=xobjects)
            side.obj.Contents = out.make_stream("\n".join(ops).encode())
        _describe(out, source)
        buf = io.BytesIO()
        # the /ID comes from the file's own bytes, never from the clock: the same input, the same file
        out.save(buf, min_version="1.7", deterministic_id=True)  # 1.7 defines /Duplex
    return buf.getvalue()


def _box(page: pikepdf.Page) -> Box:
    left, bottom, right, top = (float(v) for v in page.mediabox)
    return left, bottom, right, top


def pad_to_four(pages: list[pikepdf.Page]) -> list[pikepdf.Page | None]:
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


def placement(box: Box, slot: int, sheet: tuple[float, float]) -> tuple[float, ...]:
    """The matrix that centres a page in its half of the sheet, shrinking it only if it would
    not fit (a form is drawn in its own page space, from its box's lower-left corner)."""
    left, bottom, right, top = box
    width, height = right - left, top - bottom
    half = sheet[0] / 2
    scale = min(1.0, half / width, sheet[1] / height)
    x = slot * half + (half - width * scale) / 2
    y = (sheet[1] - height * scale) / 2
    return scale, 0.0, 0.0, scale, x - left * scale, y - bottom * scale


def _describe(out: pikepdf.Pdf, source: pikepdf.Pdf) -> None:
    """Same title, author, language and build stamp as the booklet; print straight, duplex on
    the short edge."""
    info = source.docinfo
    for key in _COPIED_INFO:
        if key in info:
            out.docinfo[key] = info[key]
    out.docinfo["/Producer"] = "clearfacts (pikepdf)"
    out.docinfo["/Subject"] = PRINT_SUBJECT
    if "/Lang" in source.Root:
        out.Root.Lang = pikepdf.String(str(source.Root.Lang))
    out.Root.ViewerPreferences = pikepdf.Dictionary(Duplex=pikepdf.Name.DuplexFlipShortEdge,
                                                    PrintScaling=pikepdf.Name("/None"), DisplayDocTitle=True)
