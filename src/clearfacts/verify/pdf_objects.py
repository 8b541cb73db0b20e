"""What a PDF page draws, in drawing order, as PDFium parsed it: each text object with what decides
whether a person can see it (render mode, ink colour and opacity, size on the page, its clip), and
each other painted object (path, image, shading) that may lie under text or over it.

Objects inside form XObjects (the imposed print file draws each booklet page as one) are listed
with their boxes in page space, so no check cares how deeply a sentence was nested.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from msgspec import Struct

from clearfacts.verify.page_measures import Box

Matrix = tuple[float, float, float, float, float, float]
Colour = tuple[int, int, int, int]  # red, green, blue, alpha (0-255)

PATH = pdfium_c.FPDF_PAGEOBJ_PATH
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
INVISIBLE_MODES = (3, 7)  # text neither filled nor stroked: "invisible", and clip-only
_ACTUAL_TEXT = b"ActualText"
_FILLED_MODES = (0, 2, 4, 6)
_STROKED_MODES = (1, 2, 5, 6)


class TextLook(Struct, frozen=True):
    """How a text object paints its glyphs."""

    mode: int
    inks: tuple[Colour, ...]  # the colours its glyphs are painted in (fill, stroke or both)
    size: float  # the em size on the page, in points, after every scaling matrix
    font: object  # the FPDF_FONT handle
    font_key: int
    spoken: bool = False  # marked with an ActualText, which text extraction reads instead of the glyphs
    veiled: bool = False  # drawn with transparency (a soft mask, a blend mode, alpha), itself or through a form


class Drawn(Struct, frozen=True):
    """One painted object: `key` is its address, by which the text page names a character's object."""

    order: int
    kind: int
    box: Box
    key: int
    clip: Box | None  # the bounding box of the clip it is drawn through; None when unclipped
    look: TextLook | None = None
    fill: Colour | None = None  # a filled path's colour

    @property
    def is_text(self) -> bool:
        return self.look is not None


class OpenPages:
    """A document's pages, each opened once (with its text) and kept open until `close`, or as
    long as this object lives: a font lives as long as a page uses it, so the fonts compared once
    per document are never freed and their addresses reused."""

    def __init__(self, pdf: pdfium.PdfDocument):
        self._pdf = pdf
        self._open: dict[int, tuple[pdfium.PdfPage, pdfium.PdfTextPage]] = {}

    def open(self, n: int) -> tuple[pdfium.PdfPage, pdfium.PdfTextPage]:
        if n not in self._open:
            page = self._pdf[n]
            self._open[n] = (page, page.get_textpage())
        return self._open[n]

    def close(self) -> None:
        for page, textpage in self._open.values():
            textpage.close()
            page.close()
        self._open.clear()


def page_objects(page: object, handles: list[tuple[object, object | None]] | None = None) -> list[Drawn]:
    """Every painted object of the page, forms opened, in the order they are drawn; `handles`, when
    given, receives each one's handle and the form holding it (None on the page itself)."""
    out: list[Drawn] = []
    _Probe(out, handles).walk(pdfium_c.FPDFPage_CountObjects(page), lambda i: pdfium_c.FPDFPage_GetObject(page, i),
                              IDENTITY, None, None)
    return out


def address(handle: object) -> int:
    """A PDFium handle's address (0 for a null handle): the same object always gives the same key."""
    return ctypes.addressof(handle.contents) if handle else 0  # type: ignore[attr-defined]


class _Probe:
    """Asks PDFium about each object, reusing one set of out-parameters for the whole page."""

    def __init__(self, out: list[Drawn], handles: list[tuple[object, object | None]] | None):
        self.out = out
        self.handles = handles
        self.floats = [ctypes.c_float() for _ in range(4)]
        self.uints = [ctypes.c_uint() for _ in range(4)]
        self.ints = [ctypes.c_int() for _ in range(2)]
        self.matrix_out = pdfium_c.FS_MATRIX()

    def walk(self, count: int, get: Callable[[int], object], matrix: Matrix, clip: Box | None,
             form: object | None, veiled: bool = False) -> None:
        """`matrix` maps the holder's space (`form`, or the page) to page space; `clip` is the
        holder's own; `veiled`, whether the holder is drawn with transparency."""
        for index in range(count):
            obj = get(index)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            own_clip = intersect_optional(clip, self.clip_box(obj, matrix))
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                self.walk(pdfium_c.FPDFFormObj_CountObjects(obj),
                          lambda i, form=obj: pdfium_c.FPDFFormObj_GetObject(form, i),
                          compose(self.matrix(obj), matrix), own_clip, obj,
                          veiled or bool(pdfium_c.FPDFPageObj_HasTransparency(obj)))
                continue
            fill = None
            if kind == PATH:
                filled, stroked = self.paints(obj)
                if not filled and not stroked:
                    continue
                fill = self.colour(pdfium_c.FPDFPageObj_GetFillColor, obj) if filled else None
            look = self.text_look(obj, matrix, veiled) if kind == pdfium_c.FPDF_PAGEOBJ_TEXT else None
            self.out.append(Drawn(len(self.out), kind, self.bounds(obj, matrix), address(obj), own_clip, look, fill))
            if self.handles is not None:
                self.handles.append((obj, form))

    def text_look(self, obj: object, matrix: Matrix, veiled: bool) -> TextLook:
        mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj)
        inks = []
        if mode in _FILLED_MODES:
            inks.append(self.colour(pdfium_c.FPDFPageObj_GetFillColor, obj))
        if mode in _STROKED_MODES:
            inks.append(self.colour(pdfium_c.FPDFPageObj_GetStrokeColor, obj))
        size = self.floats[0]
        if not pdfium_c.FPDFTextObj_GetFontSize(obj, size):
            size.value = 0.0
        a, b, c, d, _e, _f = compose(self.matrix(obj), matrix)
        scale = min(math.hypot(a, b), math.hypot(c, d))  # a squashed axis shrinks text as much as a small size
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        veiled = veiled or bool(pdfium_c.FPDFPageObj_HasTransparency(obj))
        return TextLook(mode, tuple(inks), abs(size.value) * scale, font, address(font), _spoken(obj), veiled)

    def colour(self, getter: Callable[..., int], obj: object) -> Colour:
        r, g, b, a = self.uints
        if not getter(obj, r, g, b, a):
            return (0, 0, 0, 255)
        return (r.value, g.value, b.value, a.value)

    def paints(self, path: object) -> tuple[bool, bool]:
        """(filled, stroked): a path that is neither (`n`, a clip outline) paints nothing."""
        fill, stroke = self.ints
        if not pdfium_c.FPDFPath_GetDrawMode(path, fill, stroke):
            return True, True
        return fill.value != pdfium_c.FPDF_FILLMODE_NONE, bool(stroke.value)

    def matrix(self, obj: object) -> Matrix:
        m = self.matrix_out
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
            return IDENTITY
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def bounds(self, obj: object, matrix: Matrix) -> Box:
        left, bottom, right, top = self.floats
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            return (0.0, 0.0, 0.0, 0.0)
        return transform_box((left.value, bottom.value, right.value, top.value), matrix)

    def clip_box(self, obj: object, matrix: Matrix) -> Box | None:
        """The box of the clip the object is drawn through (the intersection of its clip paths)."""
        clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
        paths = pdfium_c.FPDFClipPath_CountPaths(clip) if clip else 0
        box: Box | None = None
        x, y = self.floats[0], self.floats[1]
        for path in range(max(paths, 0)):
            points = []
            for index in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, path)):
                segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, path, index)
                if segment and pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                    points.append((x.value, y.value))
            if points:
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                box = intersect_optional(box, transform_box((min(xs), min(ys), max(xs), max(ys)), matrix))
        return box


def _spoken(obj: object) -> bool:
    for index in range(pdfium_c.FPDFPageObj_CountMarks(obj)):
        mark = pdfium_c.FPDFPageObj_GetMark(obj, index)
        if mark and pdfium_c.FPDFPageObjMark_GetParamValueType(mark, _ACTUAL_TEXT) != pdfium_c.FPDF_OBJECT_UNKNOWN:
            return True
    return False


def unspeak(obj: object) -> None:
    """Drop an object's ActualText, so that a text page reads the glyphs it draws."""
    for index in range(pdfium_c.FPDFPageObj_CountMarks(obj)):
        mark = pdfium_c.FPDFPageObj_GetMark(obj, index)
        if mark:
            pdfium_c.FPDFPageObjMark_RemoveParam(obj, mark, _ACTUAL_TEXT)


def compose(inner: Matrix, outer: Matrix) -> Matrix:
    """`inner` then `outer` (PDF's row-vector convention)."""
    if outer == IDENTITY:
        return inner
    a, b, c, d, e, f = inner
    oa, ob, oc, od, oe, of = outer
    return (a * oa + b * oc, a * ob + b * od, c * oa + d * oc, c * ob + d * od,
            e * oa + f * oc + oe, e * ob + f * od + of)


def transform_box(box: Box, m: Matrix) -> Box:
    if m == IDENTITY:
        return box
    left, bottom, right, top = box
    xs, ys = [], []
    for x in (left, right):
        for y in (bottom, top):
            xs.append(m[0] * x + m[2] * y + m[4])
            ys.append(m[1] * x + m[3] * y + m[5])
    return (min(xs), min(ys), max(xs), max(ys))


def overlaps(one: Box, other: Box) -> bool:
    """The boxes share some area (touching edges do not count)."""
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def outside(box: Box, area: Box) -> bool:
    """Nothing of `box` shows in `area` (a box without area is judged by its middle)."""
    if box[2] > box[0] and box[3] > box[1]:
        return not overlaps(box, area)
    return not centre_in(box, area)


def inside(box: Box, outer: Box, slack: float = 0.5) -> bool:
    return (box[0] >= outer[0] - slack and box[1] >= outer[1] - slack
            and box[2] <= outer[2] + slack and box[3] <= outer[3] + slack)


def centre_in(box: Box, outer: Box) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return outer[0] <= x <= outer[2] and outer[1] <= y <= outer[3]


def intersect_optional(one: Box | None, other: Box | None) -> Box | None:
    if one is None or other is None:
        return other if one is None else one
    return (max(one[0], other[0]), max(one[1], other[1]), min(one[2], other[2]), min(one[3], other[3]))
