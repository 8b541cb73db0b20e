"""A page's characters one by one, and PDFium's own way of joining them into text, so that text
kept or left out character by character reads exactly like `get_text_bounded()` reads it.

`text_of` follows CPDF_TextPage::GetTextByPredicate (PDFium's core/fpdftext/cpdf_textpage.cpp):
a character the predicate keeps is added; a real space left out still separates words; a line
break goes in when kept text resumes on another baseline. With "intersects this rectangle" as
the predicate it is `get_text_bounded`; with "and a person can see it" it is the visible text.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable, Iterable

import pypdfium2.raw as pdfium_c
from msgspec import Struct

from clearfacts.verify.pdf_objects import Box, address

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=\S)")


class Char(Struct):
    index: int
    unicode: str
    box: Box
    obj: int  # the address of the text object that draws it; 0 for spaces and breaks PDFium made up

    @property
    def has_area(self) -> bool:
        return self.box[2] > self.box[0] and self.box[3] > self.box[1]


def page_chars(textpage: object) -> list[Char]:
    """Every character of the text page, in PDFium's reading order."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    out = []
    for index in range(pdfium_c.FPDFText_CountChars(textpage)):
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        pdfium_c.FPDFText_GetCharBox(textpage, index, left, right, bottom, top)
        obj = pdfium_c.FPDFText_GetTextObject(textpage, index)
        out.append(Char(index, chr(code) if code else "", (left.value, bottom.value, right.value, top.value),
                        address(obj) if obj else 0))
    return out


def origin_reader(textpage: object) -> Callable[[int], float]:
    """A character's baseline height, asked for only where a line break may go."""
    x, y = ctypes.c_double(), ctypes.c_double()

    def origin_y(index: int) -> float:
        pdfium_c.FPDFText_GetCharOrigin(textpage, index, x, y)
        return y.value
    return origin_y


def text_of(chars: list[Char], keep: Callable[[Char], bool], origin_y: Callable[[int], float],
            ) -> tuple[str, list[int]]:
    """The text of the kept characters, and for each position of it the index of its character
    (-1 for a space or line break added between them)."""
    out: list[str] = []
    where: list[int] = []
    posy = 0.0
    contains_previous = add_line_feed = False
    for char in chars:
        if keep(char):
            if not contains_previous and add_line_feed:
                y = origin_y(char.index)
                if abs(posy - y) > 0:
                    posy = y
                    if out:
                        out.append("\r\n")
                        where.extend((-1, -1))
            contains_previous, add_line_feed = True, False
            if char.unicode:
                out.append(char.unicode)
                where.append(char.index)
        elif char.unicode == " ":
            if contains_previous:
                out.append(" ")
                where.append(-1)
                contains_previous = add_line_feed = False
        else:
            contains_previous, add_line_feed = False, True
    return "".join(out), where


def bounded_text(textpage: object, box: Box) -> str:
    """The text PDFium finds inside `box` (left, bottom, right, top) on a text page."""
    left, bottom, right, top = box
    size = pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, None, 0)
    if size <= 0:
        return ""
    buffer = (ctypes.c_ushort * (size + 1))()
    pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, buffer, size)
    return bytes(buffer)[:size * 2].decode("utf-16-le", errors="replace")


def intersects(rect: Box, box: Box) -> bool:
    """PDFium's IsRectIntersect: the intersection is not empty."""
    return min(rect[2], box[2]) > max(rect[0], box[0]) and min(rect[3], box[3]) > max(rect[1], box[1])


def sentences_around(text: str, where: list[int], marked: set[int]) -> str:
    """The sentences of `text` that hold a marked character: the words around what nobody sees,
    so a finding can name the sentence it belonged to."""
    if not marked:
        return ""
    hits = [position for position, index in enumerate(where) if index in marked]
    spans = []
    start = 0
    for end in [m.start() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
        if any(start <= position < end for position in hits):
            spans.append(text[start:end])
        start = end
    return " ".join(spans)


def words(chars: Iterable[Char]) -> list[list[Char]]:
    """Runs of visible-ink characters drawn by one object: the unit a cover can hide."""
    out: list[list[Char]] = []
    current: list[Char] = []
    for char in chars:
        if char.obj and char.unicode.strip() and char.has_area and (not current or current[-1].obj == char.obj):
            current.append(char)
            continue
        if current:
            out.append(current)
        current = [char] if char.obj and char.unicode.strip() and char.has_area else []
    if current:
        out.append(current)
    return out


def union(boxes: Iterable[Box]) -> Box:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
