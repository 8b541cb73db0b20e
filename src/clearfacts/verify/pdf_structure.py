"""What a screen reader reads in a tagged PDF, read with PDFium (not the libraries that wrote it):
the structure tree page by page, each element with its text (the characters drawn inside its
marked content) and its alternative text; and what is wrong with it for assistive technology.

Problems, each named by page: content that is neither in a structure element nor an artifact (a
screen reader skips it or reads it out of order), a figure without alternative text, a figure
inside a link whose alternative text does not name the address the link opens (a QR code), a
heading level that skips (H1 then H3), a table without header cells. A figure outside every link
(a clinic's logo) needs only alternative text: it opens nothing, so there is no address to name.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable
from functools import cache

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from msgspec import Struct

from clearfacts.verify.extracted import Place, Tagged
from clearfacts.verify.normalise import normalise
from clearfacts.verify.pdf_objects import OpenPages, address

BLOCK_MARK = " \u00b6 "  # between two blocks: a sentence found across it is in no one block
_HEADING = re.compile(r"H([1-6])$")
# Roles whose text a screen reader reads as one block; an element of these inside another (a Link
# in a P) is part of its block. Groupings (Document, Sect, L, LI, Table, TR) are not blocks.
TEXT_ROLES = frozenset({"P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "Lbl", "LBody", "TD", "TH", "Caption",
                        "Note", "BlockQuote", "Quote", "Span", "Link", "Reference", "Code", "Title"})


class Element(Struct, frozen=True):
    """One structure element as PDFium reads it on one page."""

    role: str
    text: str  # its own marked content and its kids', in order
    alt: str
    kids: tuple[Element, ...]

    def walk(self) -> list[Element]:
        return [self, *(e for kid in self.kids for e in kid.walk())]

    def blocks(self) -> list[Element]:
        """The outermost text blocks at or under this element, in reading order. A figure with
        alternative text is read as that text (an icon array's label), never its inside."""
        if self.role in TEXT_ROLES:
            return [self]
        if self.role == "Figure" and self.alt.strip():
            return [Element(self.role, self.alt, self.alt, ())]
        return [b for kid in self.kids for b in kid.blocks()]


class PageStructure(Struct, frozen=True):
    number: int  # 1-based
    elements: tuple[Element, ...]
    untagged: str  # text drawn outside every element and every artifact
    untagged_paths: int  # painted shapes and images outside every element and artifact
    links: tuple[str, ...]  # the URIs the page's link annotations open

    def blocks(self) -> list[Element]:
        return [b for top in self.elements for b in top.blocks()]


Opened = Callable[[int], tuple[pdfium.PdfPage, pdfium.PdfTextPage]]  # page index → the page and its text


def read_structure(data: bytes) -> list[PageStructure]:
    pdf = pdfium.PdfDocument(data)
    pages = OpenPages(pdf)
    try:
        return structure_of(pdf, pages.open)
    finally:
        pages.close()
        pdf.close()


def structure_of(pdf: pdfium.PdfDocument, opened: Opened) -> list[PageStructure]:
    """`read_structure` of a document whose pages the caller has open (and closes)."""
    return [_page(pdf, n, *opened(n)) for n in range(len(pdf))]


def tagged_reading(pages: list[PageStructure]) -> Tagged:
    """Each page's text blocks as a screen reader meets them, and what is wrong with the tree."""
    places = [Place(f"page {page.number}", BLOCK_MARK.join(normalise(b.text) for b in page.blocks()))
              for page in pages]
    return Tagged(places, structure_problems(pages))


def structure_problems(pages: list[PageStructure]) -> list[tuple[str, str]]:
    """(where, message) for each thing a screen reader would miss or misread."""
    out: list[tuple[str, str]] = []
    level = 0
    for page in pages:
        where = f"page {page.number}"
        if page.untagged.strip():
            out.append((where, f"text neither tagged nor an artifact: '{_short(page.untagged)}'"))
        if page.untagged_paths:
            out.append((where, f"{page.untagged_paths} shape(s) neither tagged nor an artifact"))
        for figure, linked in (found for top in page.elements for found in _figures(top, False)):
            out.extend((where, m) for m in _figure(figure, page.links if linked else ()))
        for element in (e for top in page.elements for e in top.walk()):
            heading = _HEADING.match(element.role)
            if heading:
                if int(heading.group(1)) > level + 1:
                    said = _short(element.text)
                    out.append((where, f"heading level skips from H{level} to {element.role}: '{said}'"))
                level = int(heading.group(1))
            if element.role == "Table" and not any(e.role == "TH" for e in element.walk()):
                out.append((where, f"a table has no header cells: '{_short(element.text)}'"))
    return list(dict.fromkeys(out))


def _figures(element: Element, in_link: bool) -> list[tuple[Element, bool]]:
    """Every Figure at or under `element`, each with whether it is inside a Link."""
    if element.role == "Figure":
        return [(element, in_link)]
    inside = in_link or element.role == "Link"
    return [found for kid in element.kids for found in _figures(kid, inside)]


def _figure(element: Element, links: tuple[str, ...]) -> list[str]:
    """A figure needs alternative text; one inside a link (`links` are then the page's link
    addresses) must also say where it leads."""
    if not element.alt.strip():
        return ["a figure has no alternative text"]
    said = _plain(element.alt)
    if links and not any(_plain(uri) in said for uri in links):
        return [f"a figure's alternative text '{_short(element.alt)}' names none of the page's link addresses"]
    return []


def _plain(uri: str) -> str:
    """An address as people write it: no scheme, no "www.", no trailing "/"."""
    return re.sub(r"^(https?://)?(www\.)?", "", uri.strip()).rstrip("/").casefold()


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def _page(pdf: pdfium.PdfDocument, n: int, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> PageStructure:
    mcids, artifacts, untagged_paths = _marks(page)
    by_mcid, loose = _texts(textpage.raw, mcids, artifacts)
    tree = pdfium_c.FPDF_StructTree_GetForPage(page)
    claimed: set[int] = set()
    try:
        count = pdfium_c.FPDF_StructTree_CountChildren(tree) if tree else 0
        elements = tuple(_element(pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i), by_mcid, claimed)
                         for i in range(count))
    finally:
        if tree:
            pdfium_c.FPDF_StructTree_Close(tree)
    loose += [c for mcid, text in sorted(by_mcid.items()) if mcid not in claimed for c in text]
    untagged_paths += sum(1 for mcid in set(mcids.values()) if mcid >= 0 and mcid not in claimed
                          and mcid not in by_mcid)
    return PageStructure(n + 1, elements, "".join(loose).strip(), untagged_paths, _links(pdf, page))


def _texts(textpage: object, mcids: dict[int, int], artifacts: set[int]) -> tuple[dict[int, list[str]], list[str]]:
    """The characters of each marked-content sequence, and those drawn outside every one and
    every artifact. The spaces and line breaks PDFium puts between words belong to the
    sequence being read, so a block reads with the spacing of the page.

    One call into PDFium per character is the cost of knowing which object drew it; the rest of
    the loop is kept to plain lookups (it reads every character of every page of a booklet)."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    text = _all_text(textpage, count)
    by_mcid: dict[int, list[str]] = {}
    loose: list[str] = []
    current: list[str] | None = None
    text_object, unicode = _text_object_address(), pdfium_c.FPDFText_GetUnicode
    last_key: int | None = None
    last: list[str] | None = None
    for index in range(count):
        char = text[index] if text is not None else chr(unicode(textpage, index) or 0xFFFD)
        key = text_object(textpage, index)  # the address pdf_objects.address gives its handle
        if not key:  # made up by PDFium between words
            if current is not None:
                current.append(char)
            continue
        if key != last_key:  # a word's characters mostly come from one object: look it up once
            last_key, mcid = key, mcids.get(key, -1)
            last = None if key in artifacts else by_mcid.setdefault(mcid, []) if mcid >= 0 else loose
        current = last
        if current is not None:
            current.append(char)
    return by_mcid, loose


@cache
def _text_object_address() -> Callable[[object, int], int | None]:
    """PDFium's FPDFText_GetTextObject as pypdfium2 exports it, declared to return the object's
    address as an int (None for none) instead of a handle: the same function at the same
    address, without making a handle and reading its address back for each character (a third
    of the time of reading a page's characters)."""
    prototype = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
    return prototype(ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value)


def _all_text(textpage: object, count: int) -> str | None:
    """The page's characters in one call, or None when they are not one code point each (a
    character outside the BMP takes two UTF-16 units), so indexes would not line up."""
    buf = ctypes.create_string_buffer(2 * (count + 1))
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: 2 * max(0, written - 1)].decode("utf-16-le", errors="replace")
    return text if len(text) == count else None


def _marks(page: object) -> tuple[dict[int, int], set[int], int]:
    """Each page object's MCID (by address), the artifacts, and how many painted objects are
    neither. What a form XObject draws belongs to the marked content around it (a contents
    page's number is drawn that way), unless it is marked inside the form itself."""
    mcids: dict[int, int] = {}
    artifacts: set[int] = set()
    loose = 0
    buf, length = ctypes.create_string_buffer(64), ctypes.c_ulong()
    todo = [(pdfium_c.FPDFPage_GetObject(page, index), -1, False)
            for index in range(pdfium_c.FPDFPage_CountObjects(page))]
    while todo:
        obj, outer, outer_artifact = todo.pop()
        key = address(obj)
        if outer_artifact or _is_artifact(obj, buf, length):
            artifacts.add(key)
            mcid, artifact = -1, True
        else:
            mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj)
            mcid, artifact = (mcid if mcid >= 0 else outer), False
            mcids[key] = mcid
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            todo += [(pdfium_c.FPDFFormObj_GetObject(obj, i), mcid, artifact)
                     for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))]
        elif not artifact and mcid < 0 and kind != pdfium_c.FPDF_PAGEOBJ_TEXT:
            loose += 1
    return mcids, artifacts, loose


def _is_artifact(obj: object, buf: ctypes.Array[ctypes.c_char], length: ctypes.c_ulong) -> bool:
    """Whether one of the object's marks is /Artifact; `buf` and `length` are scratch space the
    caller reuses for every object of a page (a booklet page has a hundred objects)."""
    for index in range(pdfium_c.FPDFPageObj_CountMarks(obj)):
        mark = pdfium_c.FPDFPageObj_GetMark(obj, index)
        named = mark and pdfium_c.FPDFPageObjMark_GetName(mark, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)),
                                                          len(buf), length)
        if named and buf.raw[: max(0, length.value - 2)].decode("utf-16-le") == "Artifact":
            return True
    return False


def _element(handle: object, by_mcid: dict[int, list[str]], claimed: set[int]) -> Element:
    """An element with its kids, and its text in the order of its kids (marked content and
    elements interleaved, as a screen reader meets them)."""
    parts: list[str] = []
    kids = []
    for i in range(max(0, pdfium_c.FPDF_StructElement_CountChildren(handle))):
        child = pdfium_c.FPDF_StructElement_GetChildAtIndex(handle, i)
        if child:
            kid = _element(child, by_mcid, claimed)
            kids.append(kid)
            parts.append(kid.text)
            continue
        mcid = pdfium_c.FPDF_StructElement_GetChildMarkedContentID(handle, i)
        if mcid >= 0:
            claimed.add(mcid)
            parts.append("".join(by_mcid.get(mcid, ())))
    return Element(_string(pdfium_c.FPDF_StructElement_GetType, handle), " ".join(p for p in parts if p),
                   _string(pdfium_c.FPDF_StructElement_GetAltText, handle), tuple(kids))


def _string(getter: object, handle: object) -> str:
    """A UTF-16 string from one of PDFium's two-call getters ("" when absent)."""
    size = getter(handle, None, 0)  # type: ignore[operator]
    if size <= 2:
        return ""
    buf = ctypes.create_string_buffer(size)
    getter(handle, buf, size)  # type: ignore[operator]
    return buf.raw[: size - 2].decode("utf-16-le")


def _links(pdf: pdfium.PdfDocument, page: object) -> tuple[str, ...]:
    out = []
    start = ctypes.c_int(0)
    link = pdfium_c.FPDF_LINK()
    while pdfium_c.FPDFLink_Enumerate(page, start, link):
        action = pdfium_c.FPDFLink_GetAction(link)
        if action and pdfium_c.FPDFAction_GetType(action) == pdfium_c.PDFACTION_URI:
            size = pdfium_c.FPDFAction_GetURIPath(pdf, action, None, 0)
            buf = ctypes.create_string_buffer(size)
            pdfium_c.FPDFAction_GetURIPath(pdf, action, buf, size)
            out.append(buf.raw[: max(0, size - 1)].decode("latin-1"))
    return tuple(dict.fromkeys(out))
