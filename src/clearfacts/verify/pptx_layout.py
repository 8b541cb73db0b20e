"""What the layout rules read of a slide, and the rules for the deck: the size of every run a
person sees (body text, table cells, slide numbers and footers apart) and the side of each QR code
as projected.

`read_pptx` fills a `SlideLayout` while it resolves each run's size for visibility, so nothing is
parsed twice. A QR code is a square picture of two tones whose dark part is square with dark
corners (finder patterns); its printed side is that dark part's, since the white margin shows as
nothing on a white slide. The picture is read with zlib alone (segno writes 1-bit PNGs).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from functools import cache

from msgspec import Struct, field

from clearfacts.errors import Finding
from clearfacts.verify.pptx_package import NS, R_EMBED, Package
from clearfacts.verify.pptx_shapes import EMU_PER_POINT, Shape

FOOTER_PLACEHOLDERS = ("sldNum", "ftr", "dt")  # the slide number, footer and date: read, not studied
FLOORS = {"body": 24.0, "table": 20.0, "footer": 12.0}  # pt; house rules (GUIDE §4)
CODE_TOLERANCE = 0.5  # pt
_NAMES = {"body": "text", "table": "table text", "footer": "slide number or footer"}


class SlideText(Struct, frozen=True):
    kind: str  # "body", "table" or "footer"
    size: float
    text: str


class SlideLayout(Struct):
    texts: list[SlideText] = field(default_factory=list)
    codes: list[float] = field(default_factory=list)  # each QR code's projected side, pt

    def add_code(self, blob: bytes, shape: Shape) -> bool:
        """Keep a picture's projected side when it is a QR code (`blob`: its stored image);
        whether it is one."""
        side = code_side(blob, shape.box.w / EMU_PER_POINT, shape.box.h / EMU_PER_POINT) if shape.box else None
        if side is not None:
            self.codes.append(side)
        return side is not None


def picture_bytes(pkg: Package, part: str, shape: Shape) -> bytes | None:
    """The stored image a shape shows, if the package holds it: a picture's, or the picture a
    shape is filled with (PowerPoint's Format Shape > Picture fill)."""
    return blip_bytes(pkg, part, shape.element.find("p:blipFill/a:blip", NS)
                      if shape.kind == "pic" else shape.element.find("p:spPr/a:blipFill/a:blip", NS))


def blip_bytes(pkg: Package, part: str, blip: object | None) -> bytes | None:
    """The stored image an `a:blip` element of `part` embeds, if the package holds it."""
    image = pkg.target(part, blip.get(R_EMBED)) if blip is not None else None  # type: ignore[attr-defined]
    return pkg.read(image) if image else None


def text_kind(placeholder: str | None, table: bool) -> str:
    if table:
        return "table"
    return "footer" if placeholder in FOOTER_PLACEHOLDERS else "body"


def slide_findings(path: str, slides: Sequence[SlideLayout]) -> list[Finding]:
    """text-size (body ≥ 24 pt, tables ≥ 20 pt, slide numbers and footers ≥ 12 pt) and qr-size
    (every code projected at one size) over a deck."""
    findings = []
    for number, slide in enumerate(slides, 1):
        small: dict[str, SlideText] = {}
        for text in slide.texts:
            if text.size < FLOORS[text.kind] - 0.05 and (text.kind not in small or text.size < small[text.kind].size):
                small[text.kind] = text
        findings += [Finding(path, None, f"slide {number}: {_NAMES[kind]} at {t.size:g} pt, under "
                                         f"{FLOORS[kind]:g} pt: '{_quote(t.text)}'", severity="warning",
                             rule="text-size") for kind, t in small.items()]
    codes = [(number, side) for number, slide in enumerate(slides, 1) for side in slide.codes]
    if codes and max(s for _, s in codes) - min(s for _, s in codes) > CODE_TOLERANCE:
        sizes = ", ".join(f"{side:.1f} pt on slide {number}" for number, side in codes)
        findings.append(Finding(path, None, f"QR codes of different sizes: {sizes}", severity="warning",
                                rule="qr-size"))
    return findings


def code_side(png: bytes, width: float, height: float) -> float | None:
    """The projected side (pt) of a QR code drawn from `png` into a `width` × `height` pt box,
    or None when the picture is not a QR code."""
    if abs(width - height) > max(1.0, 0.02 * width):
        return None
    pixels = _two_tones(png)
    if pixels is None:
        return None
    rows, w = pixels
    dark = [y for y, row in enumerate(rows) if _DARK in row]
    if not dark:
        return None
    top, bottom = dark[0], dark[-1]
    left = min(rows[y].find(_DARK) for y in dark)
    right = max(rows[y].rfind(_DARK) for y in dark)
    corners = rows[top][left], rows[top][right], rows[bottom][left]
    if abs((bottom - top) - (right - left)) > 1 or corners != (1, 1, 1):
        return None
    return width * (right - left + 1) / w


_DARK, _MID = b"\x01", b"\x02"


def _two_tones(png: bytes) -> tuple[list[bytes], int] | None:
    """A greyscale or palette PNG of two tones as rows of flags (1 dark, 0 light); None for
    anything else (a photograph, a logo in colour)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos, data, palette = 8, b"", b""
    width = height = depth = kind = 0
    while pos + 8 <= len(png):
        (size,), chunk = struct.unpack(">I", png[pos:pos + 4]), png[pos + 4:pos + 8]
        body = png[pos + 8:pos + 8 + size]
        if chunk == b"IHDR":
            width, height, depth, kind, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            if interlace or kind not in (0, 3) or depth not in (1, 2, 4, 8) or width * height > 4_000_000:
                return None
        elif chunk == b"PLTE":
            palette = body
        elif chunk == b"IDAT":
            data += body
        pos += 12 + size
    stride = (width * depth + 7) // 8
    try:
        raw = zlib.decompress(data)
    except zlib.error:
        return None
    if not width or len(raw) < height * (stride + 1):
        return None
    expand = _expansion(_levels(kind, depth, palette), depth)
    rows: list[bytes] = []
    previous = bytes(stride)
    seen: dict[bytes, bytes] = {}  # a code's rows repeat (each module is several pixels tall)
    for y in range(height):
        start = y * (stride + 1)
        line = _unfilter(raw[start], raw[start + 1:start + 1 + stride], previous)
        previous = line
        if line not in seen:
            seen[line] = b"".join(expand[byte] for byte in line)[:width]
        if _MID in seen[line]:
            return None
        rows.append(seen[line])
    return rows, width


@cache
def _expansion(levels: tuple[int, ...], depth: int) -> list[bytes]:
    """Each byte of a row → one flag per pixel it holds (1 dark, 0 light, 2 a third tone)."""
    per = 8 // depth
    mask = (1 << depth) - 1
    tone = [0 if s >= 192 else 1 if s <= 64 else 2 for s in levels]
    out = []
    for byte in range(256):
        values = [(byte >> (8 - depth * (k + 1))) & mask for k in range(per)]
        out.append(bytes(tone[v] if v < len(tone) else 2 for v in values))
    return out


def _levels(kind: int, depth: int, palette: bytes) -> tuple[int, ...]:
    if kind == 0:
        top = (1 << depth) - 1
        return tuple(round(v * 255 / top) for v in range(top + 1))
    return tuple(round(0.299 * palette[i] + 0.587 * palette[i + 1] + 0.114 * palette[i + 2])
            for i in range(0, len(palette) - 2, 3))


def _unfilter(kind: int, row: bytes, previous: bytes) -> bytes:
    """PNG's row filters, one byte per pixel step (every depth here is at most 8 bits). A row of
    "none", or of "up" that repeats the row above, costs nothing: most rows of a code are one."""
    if kind == 0 or (kind == 2 and not row.strip(b"\0")):
        return row if kind == 0 else previous
    line = bytearray(row)
    for i in range(len(line)):
        left = line[i - 1] if i else 0
        up = previous[i]
        corner = previous[i - 1] if i else 0
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 2:
            line[i] = (line[i] + up) & 255
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
    return bytes(line)


def _quote(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"
