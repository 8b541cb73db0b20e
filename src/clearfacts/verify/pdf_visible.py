"""What a person sees on a PDF page, region by region: the text they can read, and apart from it
the text the file holds where nobody sees it (`hidden`: invisible render mode, translucent or
background-coloured ink, under 6 pt, off the page or outside its clip, or drawn with
transparency that leaves no ink where its words are) or under something opaque
drawn later (`covered`: a white box, a shape, an image or an annotation over the words).

Each text object is judged once. When every object on a page is plainly visible (the usual case)
the page is read with PDFium's own `get_text_bounded`, exactly as before; only a page with
something to hide is read character by character (`pdf_chars`), keeping PDFium's spacing, so an
untampered page reads the same either way. Renders are small and few: the box of a line that sits
on a shape (to learn its background colour), and the words a later shape or annotation overlaps.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from msgspec import Struct, field

from clearfacts.verify.page_measures import PageLayout
from clearfacts.verify.pdf_annots import Note, page_notes
from clearfacts.verify.pdf_chars import (
    Char,
    intersects,
    origin_reader,
    page_chars,
    sentences_around,
    text_of,
    union,
    words,
)
from clearfacts.verify.pdf_cover import Copies, Uncovered, overdrawn
from clearfacts.verify.pdf_glyphs import GlyphCheck
from clearfacts.verify.pdf_layout import page_layout
from clearfacts.verify.pdf_objects import (
    INVISIBLE_MODES,
    PATH,
    Box,
    Colour,
    Drawn,
    centre_in,
    inside,
    intersect_optional,
    outside,
    overlaps,
    page_objects,
    unspeak,
)
from clearfacts.verify.pdf_render import RGB, WHITE, Raster, background, blend, close, contrast

MIN_SIZE = 6.0  # points: smaller text is not read by anyone
MIN_CONTRAST = 1.5  # against what is behind it: lighter than this is not seen (white on white is 1)
MIN_ALPHA = 26  # of 255: fainter ink is not seen
MIN_INKED = 0.03  # of a word's box: glyphs cover a tenth to a third of it; a masked word, next to none
_BACKGROUND_SCALE = 1.0
_COVER_SCALE = 3.0


class Verdict(Struct):
    """One text object: seen or not, where its characters may be seen, what is drawn over it."""

    hidden: bool
    area: Box  # the part of the page where it can show: the visible box within its clip
    per_char: bool = False  # it reaches out of `area`: judge each character
    covers: list[Box] = field(default_factory=list)
    behind: RGB = WHITE
    veiled: bool = False  # drawn with transparency: each word is looked for on the rendered page


class Reading(Struct, frozen=True):
    text: str
    hidden: str = ""
    covered: str = ""


class PageReader:
    """Reads the pages of one document: fonts are compared once per document, and a page with
    words under a later shape is compared with a private copy of itself without that shape."""

    def __init__(self, data: bytes, layout: bool = False, words: bool = True) -> None:
        self.glyphs = GlyphCheck()
        self.uncovered = Uncovered(data)
        self.unspoken = Copies(data)
        self.annotated = Copies(data)  # pages whose annotations are flattened to read what they draw
        # With `layout`, each page read also leaves what the layout rules measure (`pdf_layout`),
        # taken from the objects listed here anyway; without `words`, only its QR codes and
        # pictures (the print file's, which the layout rules do not measure).
        self.layouts: list[PageLayout] | None = [] if layout else None
        self.words = words

    def read(self, index: int, page: object, textpage: object, regions: list[Box], visible: Box) -> list[Reading]:
        """`page` and `textpage` are pypdfium2 objects; `regions` the rectangles read apart."""
        notes, annotation_boxes = page_notes(page.raw, visible, index, self.annotated)
        handles: list[tuple[object, object | None]] | None = [] if self.layouts is not None else None
        objects = page_objects(page.raw, handles)
        if self.layouts is not None and handles is not None:
            self.layouts.append(page_layout(page.pdf.raw, page.raw, textpage.raw, objects, handles, self.words))
        verdicts = judge(page.raw, objects, visible, annotation_boxes)
        fixes = self.glyphs.fixes(objects)
        spoken = any(o.look.spoken for o in objects if o.look)
        plain = not fixes and not spoken and all(not v.hidden and not v.per_char and not v.covers and not v.veiled
                                                 for v in verdicts.values())
        if plain:
            readings = [Reading(textpage.get_text_bounded(*rect)) for rect in regions]
        else:
            chars, origin = (glyph_chars(self.unspoken, index, objects) if spoken
                             else (page_chars(textpage.raw), origin_reader(textpage.raw)))
            state = _char_states(_Covers(page.raw, index, objects, self.uncovered), chars, verdicts)
            readings = _by_char(origin, chars, state, objects, fixes, regions)
        return _with_notes(readings, notes, regions)

    def close(self) -> None:
        self.uncovered.close()
        self.unspoken.close()
        self.annotated.close()


def glyph_chars(copies: Copies, index: int, objects: list[Drawn]) -> tuple[list[Char], Callable[[int], float]]:
    """The characters of a page where an ActualText stands in for some text (text extraction reads
    it instead of the glyphs): read from a copy of the page without it, so they say what the
    glyphs show, and keyed by the objects of the page itself."""
    page = copies.page(index)
    handles: list[tuple[object, object | None]] = []
    copied = page_objects(page.raw, handles)
    for (handle, _form), obj in zip(handles, copied, strict=True):
        if obj.look and obj.look.spoken:
            unspeak(handle)
    textpage = page.get_textpage()
    copies.keep(textpage)
    keys = {copy.key: own.key for copy, own in zip(copied, objects, strict=True)}
    chars = page_chars(textpage.raw)
    for char in chars:
        char.obj = keys.get(char.obj, 0)
    return chars, origin_reader(textpage.raw)


def judge(page: object, objects: list[Drawn], visible: Box, annotation_boxes: list[Box]) -> dict[int, Verdict]:
    paints = [obj for obj in objects if not obj.is_text]
    return {obj.key: _judge(page, obj, paints, visible, annotation_boxes) for obj in objects if obj.is_text}


def _judge(page: object, obj: Drawn, paints: list[Drawn], visible: Box, annotation_boxes: list[Box]) -> Verdict:
    look = obj.look
    assert look is not None
    area = intersect_optional(visible, obj.clip) or visible
    if (look.mode in INVISIBLE_MODES or not look.inks or max(ink[3] for ink in look.inks) < MIN_ALPHA
            or look.size < MIN_SIZE or outside(obj.box, area)):
        return Verdict(True, area)
    near = [p for p in paints if overlaps(p.box, obj.box)] if paints else []
    covers = [p.box for p in near if p.order > obj.order and hides_part(p.box, obj.box)]
    covers += [box for box in annotation_boxes if hides_part(box, obj.box)]
    behind = _behind(page, obj, [p for p in near if p.order < obj.order], area) if near else WHITE
    if _faint(look.inks, behind):
        return Verdict(True, area)
    return Verdict(False, area, not inside(obj.box, area), covers, behind, look.veiled)


def _behind(page: object, obj: Drawn, under: list[Drawn], area: Box) -> RGB:
    """The colour a text object sits on. The last filled shape under its middle gives it cheaply;
    an image or shading under it, or a first answer that makes the text unreadable, is checked
    on the rendered page instead."""
    assert obj.look is not None
    guess = WHITE
    x, y = (obj.box[0] + obj.box[2]) / 2, (obj.box[1] + obj.box[3]) / 2
    for paint in reversed(under):
        if paint.kind != PATH:
            guess = None
            break
        if paint.fill and paint.box[0] <= x <= paint.box[2] and paint.box[1] <= y <= paint.box[3]:
            guess = blend(paint.fill, WHITE)
            break
    if guess is not None and not _faint(obj.look.inks, guess):
        return guess
    box = intersect_optional(obj.box, area)
    return background(Raster(page, box, _BACKGROUND_SCALE).pixels(), obj.look.inks) if box else WHITE


@cache
def _faint(inks: tuple[Colour, ...], behind: RGB) -> bool:
    return max(contrast(blend(ink, behind), behind) for ink in inks) < MIN_CONTRAST


def hides_part(cover: Box, text: Box) -> bool:
    """A shape drawn after a text covers enough of it to hide glyphs: a third of the line's height
    and about a character's width (a rule that grazes a descender does not)."""
    height = text[3] - text[1]
    across = min(cover[3], text[3]) - max(cover[1], text[1])
    along = min(cover[2], text[2]) - max(cover[0], text[0])
    return across >= height / 3 and along >= height / 3


HIDDEN, COVERED = "hidden", "covered"


def _by_char(origin: Callable[[int], float], chars: list[Char], state: dict[int, str], objects: list[Drawn],
             fixes: dict[int, dict[str, str]], regions: list[Box]) -> list[Reading]:
    fonts = {o.key: o.look.font_key for o in objects if o.look}
    for char in chars:
        shown = fixes.get(fonts.get(char.obj, 0), {}).get(char.unicode)
        if shown:
            char.unicode = shown
    owner = _owner(regions)
    readings = []
    for number, rect in enumerate(regions):
        text, _ = text_of(chars, lambda c, r=rect: c.index not in state and intersects(r, c.box), origin)
        everything, where = text_of(chars, lambda c, n=number: c.has_area and owner(c.box) == n, origin)
        readings.append(Reading(
            text,
            sentences_around(everything, where, {i for i, s in state.items() if s == HIDDEN}),
            sentences_around(everything, where, {i for i, s in state.items() if s == COVERED}),
        ))
    return readings


def _char_states(covers: _Covers, chars: list[Char], verdicts: dict[int, Verdict]) -> dict[int, str]:
    """Character index → HIDDEN or COVERED, for every character a person does not see."""
    state: dict[int, str] = {}
    for char in chars:
        verdict = verdicts.get(char.obj)
        if verdict and (verdict.hidden or (verdict.per_char and not centre_in(char.box, verdict.area))):
            state[char.index] = HIDDEN
    suspects = []
    for word in words(chars):
        verdict = verdicts.get(word[0].obj)
        if not verdict or verdict.hidden or any(c.index in state for c in word):
            continue
        box = union(c.box for c in word)
        if verdict.veiled and covers.inkless(word[0].obj, box, verdict):
            state.update((c.index, HIDDEN) for c in word)
            continue
        if any(hides_part(cover, box) for cover in verdict.covers):
            suspects.append((word, box, verdict))
    under = {word[0].obj for word, _box, _verdict in suspects}
    for word, box, verdict in suspects:
        if covers.hide(word[0].obj, box, verdict, under):
            state.update((c.index, COVERED) for c in word)
    return state


class _Covers:
    """Renders a text object's box twice: as the page shows it, and without what was drawn over
    the suspect words (`under`) after them."""

    def __init__(self, page: object, index: int, objects: list[Drawn], uncovered: Uncovered):
        self.page, self.index, self.uncovered = page, index, uncovered
        self.objects = objects
        self.by_key = {o.key: o for o in objects}
        self.rasters: dict[int, tuple[Raster, Raster]] = {}
        self.shown: dict[int, Raster] = {}

    def inkless(self, key: int, box: Box, verdict: Verdict) -> bool:
        """A word of a text drawn with transparency (a soft mask can take its glyphs off the page
        entirely, and nothing in the object says so): too few pixels in its box show its ink."""
        obj = self.by_key[key]
        assert obj.look is not None
        if key not in self.shown:
            self.shown[key] = Raster(self.page, intersect_optional(obj.box, verdict.area) or obj.box, _COVER_SCALE)
        seen = [blend(ink, verdict.behind) for ink in obj.look.inks]
        values = self.shown[key].values(box)
        inked = sum(1 for value in values if any(close(value, colour) for colour in seen))
        return inked < MIN_INKED * len(values)

    def hide(self, key: int, box: Box, verdict: Verdict, under: set[int]) -> bool:
        obj = self.by_key[key]
        assert obj.look is not None
        if key not in self.rasters:
            later = {o.order for k in under for o in self.objects
                     if o.order > self.by_key[k].order and overlaps(o.box, self.by_key[k].box)}
            bare_page = self.uncovered.page(self.index, later)
            region = intersect_optional(obj.box, verdict.area) or obj.box
            self.rasters[key] = (Raster(self.page, region, _COVER_SCALE), Raster(bare_page, region, _COVER_SCALE))
        shown, bare = self.rasters[key]
        return overdrawn(shown, bare, box, obj.look.inks, verdict.behind)


def _owner(regions: list[Box]) -> Callable[[Box], int]:
    """Which region a character belongs to (by its centre; the nearest one when off every region)."""
    def owner(box: Box) -> int:
        x = (box[0] + box[2]) / 2
        return min(range(len(regions)), key=lambda n: max(regions[n][0] - x, 0, x - regions[n][2]))
    return owner


def _with_notes(readings: list[Reading], notes: list[Note], regions: list[Box]) -> list[Reading]:
    """Annotation text goes before the region's text: the page's own text usually ends with its
    folio, and a figure read right after a page number would run into it."""
    if not notes:
        return readings
    owner = _owner(regions)
    out = list(readings)
    for note in notes:
        n = owner(note.box)
        old = out[n]
        if note.shown:
            out[n] = Reading(f"{note.text}\r\n{old.text}", old.hidden, old.covered)
        else:
            out[n] = Reading(old.text, f"{note.text}\r\n{old.hidden}", old.covered)
    return out
