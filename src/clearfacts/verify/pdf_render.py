"""Small renders of a page region, to ask what a person sees there: which colour lies behind a line
of text, and whether a word's glyphs still show through whatever was drawn after them.

Regions are rendered with PDFium, annotations included, text not anti-aliased: a glyph's pixels
then carry exactly its colour, so "ink in the text's colour" is a plain comparison.
"""

from __future__ import annotations

import ctypes
import io
from collections import Counter

import pypdfium2.raw as pdfium_c

from clearfacts.verify.pdf_objects import Box, Colour

RGB = tuple[int, int, int]
WHITE: RGB = (255, 255, 255)
_FLAGS = pdfium_c.FPDF_ANNOT | pdfium_c.FPDF_RENDER_NO_SMOOTHTEXT | pdfium_c.FPDF_RENDER_NO_SMOOTHPATH
_MAX_PIXELS = 2_000_000
INK_TOLERANCE = 40  # per channel: a glyph pixel of the text's own colour, allowing for colour conversion


class Raster:
    """One rendered region of a page; `pixels(box)` gives the colours inside a sub-box."""

    def __init__(self, page: object, box: Box, scale: float):
        width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
        area = max((box[2] - box[0]) * (box[3] - box[1]), 1.0)
        scale = min(scale, (_MAX_PIXELS / area) ** 0.5)
        self._full = (max(1, round(width * scale)), max(1, round(height * scale)))
        self._page = page
        self._origin, self._dx, self._dy = self._affine()
        x0, y0, x1, y1 = self._device(box)
        self.left, self.top = x0, y0
        self.width, self.height = max(1, x1 - x0), max(1, y1 - y0)
        self._data = self._render()

    def _affine(self) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
        """Page → device as an affine map, from three points (so a rotated page works too)."""
        far = 10_000.0
        o = self._point(0.0, 0.0)
        x = self._point(far, 0.0)
        y = self._point(0.0, far)
        return o, ((x[0] - o[0]) / far, (x[1] - o[1]) / far), ((y[0] - o[0]) / far, (y[1] - o[1]) / far)

    def _point(self, px: float, py: float) -> tuple[float, float]:
        dx, dy = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDF_PageToDevice(self._page, 0, 0, self._full[0], self._full[1], 0, px, py, dx, dy)
        return float(dx.value), float(dy.value)

    def _device(self, box: Box) -> tuple[int, int, int, int]:
        xs, ys = [], []
        for px in (box[0], box[2]):
            for py in (box[1], box[3]):
                xs.append(self._origin[0] + px * self._dx[0] + py * self._dy[0])
                ys.append(self._origin[1] + px * self._dx[1] + py * self._dy[1])
        return int(min(xs)), int(min(ys)), int(max(xs) + 0.999), int(max(ys) + 0.999)

    def _render(self) -> memoryview:
        bitmap = pdfium_c.FPDFBitmap_Create(self.width, self.height, 0)
        try:
            pdfium_c.FPDFBitmap_FillRect(bitmap, 0, 0, self.width, self.height, 0xFFFFFFFF)
            pdfium_c.FPDF_RenderPageBitmap(bitmap, self._page, -self.left, -self.top, self._full[0], self._full[1],
                                           0, _FLAGS)
            stride = pdfium_c.FPDFBitmap_GetStride(bitmap)
            self._row = stride // 4
            raw = ctypes.string_at(pdfium_c.FPDFBitmap_GetBuffer(bitmap), stride * self.height)
        finally:
            pdfium_c.FPDFBitmap_Destroy(bitmap)
        return memoryview(raw).cast("I")

    def pixels(self, box: Box | None = None) -> Counter[int]:
        """How often each colour (0xRRGGBB) occurs inside `box` (the whole raster by default)."""
        counts: Counter[int] = Counter()
        for row, x0, x1 in self._rows(box):
            counts.update(self._data[row + x0:row + x1])
        return Counter({value & 0xFFFFFF: n for value, n in counts.items()})

    def values(self, box: Box) -> list[int]:
        """The colours (0xRRGGBB) inside `box`, row by row."""
        out: list[int] = []
        for row, x0, x1 in self._rows(box):
            out.extend(value & 0xFFFFFF for value in self._data[row + x0:row + x1])
        return out

    def bgra(self) -> tuple[bytes, int]:
        """The region's pixels as PDFium wrote them (blue, green, red, unused: 4 bytes each) and
        the length of a row in bytes, for a decoder that reads bitmaps (`qr_scan`)."""
        return self._data.tobytes(), self._row * 4

    def png(self) -> bytes:
        """The region as a PNG, for a program that reads pictures (`picture_words`)."""
        from PIL import Image

        data, stride = self.bgra()
        out = io.BytesIO()
        Image.frombuffer("RGBA", (self.width, self.height), data, "raw", "BGRA", stride, 1).convert("RGB").save(
            out, format="PNG", compress_level=1)
        return out.getvalue()

    def _rows(self, box: Box | None) -> list[tuple[int, int, int]]:
        if box is None:
            x0, y0, x1, y1 = self.left, self.top, self.left + self.width, self.top + self.height
        else:
            x0, y0, x1, y1 = self._device(box)
        x0, x1 = max(x0 - self.left, 0), min(x1 - self.left, self.width)
        y0, y1 = max(y0 - self.top, 0), min(y1 - self.top, self.height)
        return [(row * self._row, x0, x1) for row in range(y0, y1)]


def rgb(value: int) -> RGB:
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def background(counts: Counter[int], inks: tuple[Colour, ...]) -> RGB:
    """The colour a text sits on: the commonest colour in its box that is not its own ink."""
    for value, _n in counts.most_common():
        colour = rgb(value)
        if not any(close(value, ink[:3]) for ink in inks):
            return colour
    return rgb(counts.most_common(1)[0][0]) if counts else WHITE


def blend(ink: Colour, behind: RGB) -> RGB:
    alpha = ink[3] / 255
    return tuple(round(c * alpha + b * (1 - alpha)) for c, b in zip(ink[:3], behind, strict=True))  # type: ignore[return-value]


def contrast(one: RGB, other: RGB) -> float:
    """The WCAG contrast ratio of two colours (1 = the same, 21 = black on white)."""
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _luminance(colour: RGB) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def close(value: int, colour: RGB) -> bool:
    """A pixel (0xRRGGBB) painted in `colour`, allowing for colour conversion."""
    return all(abs(a - b) <= INK_TOLERANCE for a, b in zip(rgb(value), colour, strict=True))
