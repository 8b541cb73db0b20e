"""QR codes read the way a phone reads them: from the picture a person sees, decoded with
zxing-cpp (independent of segno, which encoded them).

A code is the one figure on a page nobody reads with their eyes: a handout whose QR code was
swapped for a clinic's sales page keeps every word, link annotation and label, so no text check
sees it. So the readers decode every code they find, and `links.py` checks where each leads.

What is scanned, by file type:
- PDF pages: each vector code (`pdf_layout`: a dark square path of many module rectangles, how
  the build draws them) and each picture, rendered by PDFium as drawn, with whatever covers it;
- deck slides: each picture shown on the slide (its own or its layout's), each picture a shape
  is filled with and the slide's background picture, as stored.
A vector code or a two-tone square picture that does not scan is reported; a picture that holds
no code (a logo) is not. Not looked for: a code drawn as hundreds of separate shapes, or painted
as a pattern or a shading, on a PDF page (scanning whole pages would cost tenths of a second a
page). The web pages show no QR codes (their links are links).
"""

from __future__ import annotations

import io

import zxingcpp

from clearfacts.verify.page_measures import Box

MARGIN = 6.0  # pt of quiet zone rendered around a vector code's dark modules
SCALE = 4.0  # pixels per point: a module of a 2 cm code of version 10 (57 modules) is 4 pixels


def scan_bitmap(data: bytes, width: int, height: int, stride: int) -> list[str]:
    """The texts of the QR codes in a BGRA bitmap (PDFium's), top to bottom."""
    view = zxingcpp.ImageView(memoryview(data).cast("B", (height, stride)), width, height,
                              zxingcpp.ImageFormat.BGRA)
    return [code.text for code in zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode)]


def scan_picture(blob: bytes) -> list[str] | None:
    """The texts of the QR codes in a stored picture (PNG, JPEG, GIF…); None when the bytes are
    not a picture Pillow can open."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(blob)) as picture:
            picture.load()
            grey = picture.convert("L")
    except (OSError, ValueError, Image.DecompressionBombError):  # not a picture, or one too large to open
        return None
    return [code.text for code in zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode)]


def around(box: Box) -> Box:
    """A vector code's box with its quiet zone, as rendered for scanning."""
    return (box[0] - MARGIN, box[1] - MARGIN, box[2] + MARGIN, box[3] + MARGIN)
