"""Do a font's figures look like what its text layer says they are?

A PDF's text layer comes from the font's ToUnicode map, not from the glyphs a person sees: edit
the map (or the font's own code → glyph table) and a page that shows 84.3% reads 48.3%. PDFium
gives the outline it would draw for a Unicode character through that same map
(FPDFFont_GetGlyphPath), so comparing it with the outline of that character in the font the
renderer embeds (the bundled TTF of the same name) shows the lie, and which character the glyph
really is. Only figure characters are compared: digits and what makes a number a statistic.
"""

from __future__ import annotations

import ctypes
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from clearfacts.verify.pdf_objects import Drawn

FIGURE_CHARS = "0123456789%$.,"
UNKNOWN = "\ufffd"  # a glyph that is none of the font's figures: what it shows cannot be said
_FONTS = Path(__file__).resolve().parent.parent / "fonts"
_SIZE = 100.0
_SAMPLES = 8

Signature = tuple[object, ...]


class GlyphCheck:
    """For one document: per embedded font, the figure characters its text layer gets wrong."""

    def __init__(self) -> None:
        self._fonts: dict[int, dict[str, str]] = {}

    def fixes(self, objects: list[Drawn]) -> dict[int, dict[str, str]]:
        """font key → {character the text layer claims: character the glyph shows}, for fonts that lie."""
        out = {}
        for obj in objects:
            if obj.look is None:
                continue
            key = obj.look.font_key
            if key not in self._fonts:
                self._fonts[key] = _font_fixes(obj.look.font)
            if self._fonts[key]:
                out[key] = self._fonts[key]
        return out


def _font_fixes(font: object) -> dict[str, str]:
    claimed = {c: sig for c in FIGURE_CHARS if (sig := signature(font, c)) is not None}
    if not claimed:
        return {}
    named = _reference(_base_name(font))
    references = [named] if named else [_reference(stem) for stem in bundled_fonts()]
    for reference in references:
        if not reference:
            continue
        fixes = _compare(claimed, reference)
        if fixes is not None:
            return fixes
    return {}


def _compare(claimed: dict[str, Signature], reference: dict[str, Signature]) -> dict[str, str] | None:
    """The claimed characters whose outline is another one's; None when the font is not this one.

    A glyph that is none of the reference's figures is called unknown only when most of the
    font's figures match it exactly (so a font of another version is not taken for a forgery)."""
    shown = {sig: c for c, sig in reference.items()}
    same = sum(1 for c, sig in claimed.items() if reference.get(c) == sig)
    moved = {c: shown[sig] for c, sig in claimed.items() if reference.get(c) != sig and sig in shown}
    if not same and len(moved) < 2:
        return None  # another font altogether: nothing to compare with
    unknown = {} if 2 * same < len(claimed) else {c: UNKNOWN for c, sig in claimed.items()
                                                   if reference.get(c) != sig and sig not in shown}
    return {**unknown, **moved}


def signature(font: object, char: str) -> Signature | None:
    """The glyph outline PDFium draws for `char` in `font`, as segment count and sampled points."""
    path = pdfium_c.FPDFFont_GetGlyphPath(font, ord(char), _SIZE)
    if not path:
        return None
    count = pdfium_c.FPDFGlyphPath_CountGlyphSegments(path)
    if count <= 0:
        return (0,)
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[object] = [count]
    for index in sorted({round(i * (count - 1) / (_SAMPLES - 1)) for i in range(_SAMPLES)}):
        segment = pdfium_c.FPDFGlyphPath_GetGlyphPathSegment(path, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        points.append((round(x.value, 1), round(y.value, 1)))
    return tuple(points)


def _base_name(font: object) -> str:
    buffer = ctypes.create_string_buffer(256)
    pdfium_c.FPDFFont_GetBaseFontName(font, buffer, len(buffer))
    name = buffer.value.decode("latin-1", "replace")
    return name.split("+", 1)[1] if len(name) > 7 and name[6] == "+" else name


def bundled_fonts() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in _FONTS.glob("*.ttf")))


@cache
def _reference(stem: str) -> dict[str, Signature]:
    """The figures' outlines in a bundled font, loaded through PDFium like an embedded one."""
    path = _FONTS / f"{stem}.ttf"
    if not path.is_file():
        return {}
    data = path.read_bytes()
    scratch = pdfium.PdfDocument.new()
    try:
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        font = pdfium_c.FPDFText_LoadFont(scratch.raw, buffer, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True)
        if not font:
            return {}
        try:
            return {c: sig for c in FIGURE_CHARS if (sig := signature(font, c)) is not None}
        finally:
            pdfium_c.FPDFFont_Close(font)
    finally:
        scratch.close()
