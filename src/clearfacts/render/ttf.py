"""Advance widths and the character map of a TrueType file, read with `struct` alone.

Fitting text needs only these two tables. Reading them directly keeps reportlab (a fifth of a
second to import and parse) out of the deck's process, which never writes a PDF; the PDFs still
embed their fonts through reportlab. Widths are in font units, exact integers, so a string's
width does not depend on the order its glyphs are summed in.
"""

from __future__ import annotations

import struct
import sys
from array import array
from itertools import repeat
from pathlib import Path

from msgspec import Struct

NBSP, SPACE = "\u00a0", " "


class FontFileError(ValueError):
    """The file is not a TrueType font with the tables we measure with."""


class Metrics(Struct, frozen=True):
    units_per_em: int
    advances: dict[str, int]  # character → advance width in font units
    missing: int  # the advance of glyph 0 (.notdef), what an unmapped character prints as

    def units(self, text: str) -> int:
        return sum(map(self.advances.get, text, repeat(self.missing, len(text))))


def read_metrics(path: Path) -> Metrics:
    data = path.read_bytes()
    tables = _tables(data)
    units_per_em = _u16(data, tables, b"head", 18)
    n_hmetrics = _u16(data, tables, b"hhea", 34)
    n_glyphs = _u16(data, tables, b"maxp", 4)
    hmtx = tables.get(b"hmtx")
    if hmtx is None or not n_hmetrics or hmtx + 4 * n_hmetrics > len(data):
        raise FontFileError(f"{path.name}: no usable hmtx table")
    pairs = array("H", data[hmtx: hmtx + 4 * n_hmetrics])
    if sys.byteorder == "little":  # the file is big-endian
        pairs.byteswap()
    advances = pairs[0::2].tolist()
    advances += [advances[-1]] * max(0, n_glyphs - n_hmetrics)  # trailing glyphs repeat the last
    cmap = _cmap(data, tables, path.name)
    widths = {chr(code): advances[glyph] for code, glyph in cmap.items() if glyph < len(advances)}
    if SPACE in widths:  # as reportlab does: a no-break space is as wide as a space
        widths[NBSP] = widths[SPACE]
    return Metrics(units_per_em, widths, advances[0])


def _tables(data: bytes) -> dict[bytes, int]:
    if len(data) < 12:
        raise FontFileError("too short to be a font")
    (count,) = struct.unpack_from(">H", data, 4)
    return {data[12 + 16 * i: 16 + 16 * i]: struct.unpack_from(">I", data, 20 + 16 * i)[0] for i in range(count)}


def _u16(data: bytes, tables: dict[bytes, int], tag: bytes, offset: int) -> int:
    if tag not in tables:
        raise FontFileError(f"no {tag.decode()} table")
    return struct.unpack_from(">H", data, tables[tag] + offset)[0]


def _cmap(data: bytes, tables: dict[bytes, int], name: str) -> dict[int, int]:
    """Code point → glyph from the Unicode subtable: full-range (3,10) when present, else BMP."""
    base = tables.get(b"cmap")
    if base is None:
        raise FontFileError(f"{name}: no cmap table")
    (count,) = struct.unpack_from(">H", data, base + 2)
    found: dict[tuple[int, int], int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, base + 4 + 8 * i)
        found[(platform, encoding)] = base + offset
    for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
        if key in found:
            sub = found[key]
            fmt = struct.unpack_from(">H", data, sub)[0]
            if fmt == 12:
                return _format12(data, sub)
            if fmt == 4:
                return _format4(data, sub)
    raise FontFileError(f"{name}: no Unicode cmap of format 4 or 12")


def _format4(data: bytes, sub: int) -> dict[int, int]:
    seg_x2 = struct.unpack_from(">H", data, sub + 6)[0]
    segs = seg_x2 // 2
    ends = struct.unpack_from(f">{segs}H", data, sub + 14)
    starts = struct.unpack_from(f">{segs}H", data, sub + 16 + seg_x2)
    deltas = struct.unpack_from(f">{segs}h", data, sub + 16 + 2 * seg_x2)
    range_at = sub + 16 + 3 * seg_x2
    ranges = struct.unpack_from(f">{segs}H", data, range_at)
    out: dict[int, int] = {}
    for n in range(segs):
        start, end, delta, rng = starts[n], ends[n], deltas[n], ranges[n]
        if start == 0xFFFF:
            continue
        if rng == 0:
            out.update((code, (code + delta) & 0xFFFF) for code in range(start, end + 1))
            continue
        first = range_at + 2 * n + rng
        glyphs = struct.unpack_from(f">{end - start + 1}H", data, first)
        out.update((start + i, (g + delta) & 0xFFFF if g else 0) for i, g in enumerate(glyphs))
    return {code: glyph for code, glyph in out.items() if glyph}


def _format12(data: bytes, sub: int) -> dict[int, int]:
    (groups,) = struct.unpack_from(">I", data, sub + 12)
    out: dict[int, int] = {}
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, sub + 16 + 12 * i)
        out.update(zip(range(start, end + 1), range(glyph, glyph + end - start + 1), strict=True))
    return out
