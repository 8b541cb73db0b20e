"""What the layout rules read of a PDF page: each piece of text with its size and baseline, what
else takes room on the page (pictures, filled shapes), its QR codes, its horizontal rules, and its
links with the text under each, measured into `page_measures`' plain data classes.

Gathered while `read_pdf` has the page open, from the objects the visibility reader listed
already (`pdf_objects.page_objects`), so the rules cost no second parse of the file: one call per
text object for its text, one per link annotation for the text under it.
"""

from __future__ import annotations

import ctypes
import hashlib

import pypdfium2.raw as pdfium_c

from clearfacts.verify.page_measures import Box, LinkText, PageLayout, Picture, Run
from clearfacts.verify.pdf_chars import bounded_text
from clearfacts.verify.pdf_objects import INVISIBLE_MODES, PATH, Drawn

_IMAGE = pdfium_c.FPDF_PAGEOBJ_IMAGE
_SHADING = pdfium_c.FPDF_PAGEOBJ_SHADING
_MIN_CODE = 8.0  # pt: a QR code's side; smaller dark squares are bullets or icons
_MIN_CODE_SEGMENTS = 100  # a code is drawn as many module rectangles; a filled box has 4 or 5 segments
_RULE_HEIGHT = 3.0  # pt: a path this thin and wide is a rule, not a box
_WHITE = 250  # a fill this light in every channel is paper, not a mark


def page_layout(pdf: object, page: object, textpage: object, objects: list[Drawn],
                handles: list[tuple[object, object | None]], words: bool = True) -> PageLayout:
    """`pdf`, `page` and `textpage` are raw PDFium handles; `objects` and `handles` what
    `page_objects(page, handles)` listed. Without `words`, no text and no links are measured
    (a third of the time): only what is drawn."""
    width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
    runs: list[Run] = []
    marks: list[Box] = []
    codes: list[Box] = []
    rules: list[Box] = []
    pictures: list[Picture] = []
    matrix = pdfium_c.FS_MATRIX()
    texts = _Texts(textpage)
    for obj, (handle, form) in zip(objects, handles, strict=True):
        if obj.look is not None:
            if not words:
                continue
            look = obj.look
            if look.mode in INVISIBLE_MODES or not look.inks or max(ink[3] for ink in look.inks) == 0:
                continue
            text = texts(handle)
            if text.strip():
                baseline = matrix.f if form is None and pdfium_c.FPDFPageObj_GetMatrix(handle, matrix) else obj.box[1]
                runs.append(Run(text, look.size, obj.box, baseline))
        elif obj.kind == PATH:
            left, bottom, right, top = obj.box
            if top - bottom <= _RULE_HEIGHT and right - left > 10 * _RULE_HEIGHT:
                rules.append(obj.box)
            elif obj.fill is not None and obj.fill[3] > 0 and min(obj.fill[:3]) < _WHITE:
                (codes if _is_code(handle, obj) else marks).append(obj.box)
            elif obj.fill is None:
                marks.append(obj.box)  # an outline: a figure drawn in strokes, a box around text
        elif obj.kind in (_IMAGE, _SHADING):
            marks.append(obj.box)
            left, bottom, right, top = obj.box
            if obj.kind == _IMAGE and min(right - left, top - bottom) >= _MIN_CODE:
                pictures.append(Picture(obj.box, _image_ids(handle)))
    return PageLayout(width, height, tuple(runs), tuple(marks), tuple(codes), tuple(rules),
                      tuple(_links(pdf, page, textpage)) if words else (), tuple(pictures))


def _image_ids(handle: object) -> tuple[str, ...]:
    """The SHA-256 digests of an image's data as stored and as decoded: a JPEG logo is stored as
    given, a PNG one as its decoded pixels."""
    ids = []
    for get in (pdfium_c.FPDFImageObj_GetImageDataRaw, pdfium_c.FPDFImageObj_GetImageDataDecoded):
        size = get(handle, None, 0)
        buffer = ctypes.create_string_buffer(size)
        if size and get(handle, buffer, size) == size:
            ids.append(hashlib.sha256(buffer.raw).hexdigest())
    return tuple(ids)


def _is_code(handle: object, obj: Drawn) -> bool:
    """A dark, square path of many rectangles: how a QR code is drawn (`render/qr.py` draws one
    filled path of module runs; the reader only asks what any vector QR code looks like)."""
    left, bottom, right, top = obj.box
    side = max(right - left, top - bottom)
    if side < _MIN_CODE or abs((right - left) - (top - bottom)) > max(1.0, side * 0.02):
        return False
    assert obj.fill is not None
    if sum(obj.fill[:3]) > 3 * 100:
        return False
    return pdfium_c.FPDFPath_CountSegments(handle) >= _MIN_CODE_SEGMENTS


class _Texts:
    """Reads text objects' texts through one reused buffer: a fresh ctypes buffer per object cost
    more than PDFium's own work."""

    def __init__(self, textpage: object) -> None:
        self.textpage = textpage
        self.size = 1024  # bytes: a line of text is far shorter
        self.buffer = (ctypes.c_ushort * (self.size // 2))()
        self.get = pdfium_c.FPDFTextObj_GetText

    def __call__(self, handle: object) -> str:
        size = self.get(handle, self.textpage, self.buffer, self.size)
        if size > self.size:
            self.size = size
            self.buffer = (ctypes.c_ushort * (size // 2 + 1))()
            size = self.get(handle, self.textpage, self.buffer, self.size)
        return ctypes.string_at(self.buffer, max(size - 2, 0)).decode("utf-16-le", errors="replace")


def _links(pdf: object, page: object, textpage: object) -> list[LinkText]:
    out = []
    rect = pdfium_c.FS_RECTF()
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, index)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_LINK or \
                    not pdfium_c.FPDFAnnot_GetRect(annot, rect):
                continue
            box = (min(rect.left, rect.right), min(rect.bottom, rect.top),
                   max(rect.left, rect.right), max(rect.bottom, rect.top))
            out.append(LinkText(box, _target(pdf, annot), _bounded(textpage, box)))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return out


# What a link does besides opening an address ("" for a jump to a page of the file itself).
_ACTIONS = {pdfium_c.PDFACTION_REMOTEGOTO: "(opens another PDF file)", pdfium_c.PDFACTION_LAUNCH: "(launches a file)",
            pdfium_c.PDFACTION_EMBEDDEDGOTO: "(opens a file embedded in it)",
            pdfium_c.PDFACTION_UNSUPPORTED: "(an action PDFium does not read)"}


def _target(pdf: object, annot: object) -> str:
    """The address a link opens; "" for a jump inside the file (or no action); for any other
    action, what it does in brackets."""
    link = pdfium_c.FPDFAnnot_GetLink(annot)
    action = pdfium_c.FPDFLink_GetAction(link) if link else None
    kind = pdfium_c.FPDFAction_GetType(action) if action else pdfium_c.PDFACTION_GOTO
    if kind != pdfium_c.PDFACTION_URI:
        return _ACTIONS.get(kind, "")
    size = pdfium_c.FPDFAction_GetURIPath(pdf, action, None, 0)
    buffer = ctypes.create_string_buffer(max(size, 1))
    pdfium_c.FPDFAction_GetURIPath(pdf, action, buffer, size)
    return buffer.raw[:max(size - 1, 0)].decode("latin-1")


def _bounded(textpage: object, box: Box) -> str:
    """The text under a link, less the top quarter of its box: a box as tall as the line reaches
    the descenders of the line above, which PDFium would count in (its own line's full stops
    sit low, so the bottom stays)."""
    left, bottom, right, top = box
    return bounded_text(textpage, (left, bottom, right, top - (top - bottom) / 4))
