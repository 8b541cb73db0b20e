"""What the layout rules measured on a printed page, as plain data: each piece of text with its
size and baseline, the room other things take, QR codes, rules and links.

Kept apart from the PDFium reader that fills it in (`pdf_layout`), so the rules over these
measures (`layout_rules`, `page_space`) load no PDF library: the process that builds the deck and
the web pages runs the checks' code without ever reading a PDF.
"""

from __future__ import annotations

from msgspec import Struct

Box = tuple[float, float, float, float]  # left, bottom, right, top, in page space (points)


class Run(Struct, frozen=True):
    """One text object: a line, or the part of a line set in one font."""

    text: str
    size: float  # points on the page
    box: Box
    baseline: float


class Picture(Struct, frozen=True):
    """An image on the page as large as a QR code can be, and the SHA-256 digests (hex) of its
    data as stored and as decoded, by which a picture the build placed (a logo) is known."""

    box: Box
    ids: tuple[str, ...]


class LinkText(Struct, frozen=True):
    """One link annotation: where it is, where it leads ("" for a jump inside the file), and the
    text printed under it."""

    box: Box
    target: str
    text: str


class PageLayout(Struct, frozen=True):
    width: float
    height: float
    runs: tuple[Run, ...]
    marks: tuple[Box, ...]  # pictures, shadings, filled and outlined shapes: room taken by something not text
    codes: tuple[Box, ...]  # QR codes: the printed symbol, without its white margin
    rules: tuple[Box, ...]  # horizontal lines across the page
    links: tuple[LinkText, ...]
    pictures: tuple[Picture, ...] = ()  # scanned for QR codes; the words of others are read
