"""Pictures made of page pictures (Pillow only): a contact sheet per output, and a before/after
pair with the regions that changed outlined in red.

Changed regions are found on a coarse grid: the two pages are compared pixel by pixel
(ImageChops), the difference is reduced to cells of `CELL` pixels, neighbouring changed cells
are joined, and each group gets one rectangle. A changed word is one box, a reflowed paragraph
one box around the paragraph, never a confetti of boxes around single letters.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

CELL = 8  # pixels per grid cell when looking for changed regions
THRESHOLD = 40  # grey-level difference that counts as a change (anti-aliasing noise stays under it)
RED = (200, 0, 0)
BACKGROUND = (232, 232, 232)
INK = (20, 20, 20)
THUMB_WIDTH = 260
GAP = 16


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    """The bundled Atkinson Hyperlegible, so labels look the same on every machine."""
    from clearfacts.render.fonts import FONT_DIR

    return ImageFont.truetype(str(FONT_DIR / "AtkinsonHyperlegible-Regular.ttf"), size)


def contact_sheet(title: str, pages: Sequence[tuple[str, Image.Image]], columns: int = 4) -> Image.Image:
    """Every page of one output as a labelled thumbnail, in order, under a title line."""
    thumbs = [(label, _thumbnail(image)) for label, image in pages]
    columns = max(1, min(columns, len(thumbs)))
    rows = (len(thumbs) + columns - 1) // columns
    cell_w = max(t.width for _, t in thumbs) + GAP
    cell_h = max(t.height for _, t in thumbs) + GAP + 24
    head = 44
    width = max(columns * cell_w + GAP, round(_font(20).getlength(title)) + 2 * GAP)
    sheet = Image.new("RGB", (width, head + rows * cell_h + GAP), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    draw.text((GAP, 12), title, fill=INK, font=_font(20))
    for n, (label, thumb) in enumerate(thumbs):
        x = GAP + (n % columns) * cell_w
        y = head + (n // columns) * cell_h
        sheet.paste(thumb, (x, y))
        draw.rectangle((x - 1, y - 1, x + thumb.width, y + thumb.height), outline=(150, 150, 150))
        draw.text((x, y + thumb.height + 4), label, fill=INK, font=_font(15))
    return sheet


def _thumbnail(image: Image.Image) -> Image.Image:
    """About THUMB_WIDTH wide, by a whole factor: `reduce` averages each block of pixels, which
    keeps small text legible and costs a fifth of a Lanczos resize."""
    factor = max(1, round(image.width / THUMB_WIDTH))
    return image.reduce(factor) if factor > 1 else image


def changed_regions(before: Image.Image, after: Image.Image) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, right, bottom) around what differs; the whole page when sizes differ."""
    if before.size != after.size:
        return [(0, 0, after.width - 1, after.height - 1)]
    diff = ImageChops.difference(before.convert("L"), after.convert("L"))
    if diff.getbbox() is None:
        return []
    mask = diff.point(lambda v: 255 if v >= THRESHOLD else 0)
    if mask.getbbox() is None:
        return []
    cols, rows = -(-mask.width // CELL), -(-mask.height // CELL)
    grid = mask.resize((cols, rows), Image.Resampling.BOX).point(lambda v: 255 if v else 0)
    grid = grid.filter(ImageFilter.MaxFilter(3))  # join cells a line or a word apart
    cells = grid.tobytes()
    return [(x0 * CELL, y0 * CELL, min((x1 + 1) * CELL, after.width) - 1, min((y1 + 1) * CELL, after.height) - 1)
            for x0, y0, x1, y1 in _groups(cells, cols, rows)]


def _groups(cells: bytes, cols: int, rows: int) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (in cells) of the 8-connected groups of set cells, top to bottom."""
    seen = bytearray(len(cells))
    boxes = []
    for start, value in enumerate(cells):
        if not value or seen[start]:
            continue
        seen[start] = 1
        stack = [start]
        x0, y0, x1, y1 = cols, rows, -1, -1
        while stack:
            i = stack.pop()
            y, x = divmod(i, cols)
            x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    nx, ny = x + dx, y + dy
                    j = ny * cols + nx
                    if 0 <= nx < cols and 0 <= ny < rows and cells[j] and not seen[j]:
                        seen[j] = 1
                        stack.append(j)
        boxes.append((x0, y0, x1, y1))
    return boxes


def before_after(title: str, labels: tuple[str, str], before: Image.Image | None,
                 after: Image.Image | None) -> Image.Image:
    """The two pages side by side under a title, each changed region outlined on both; a page
    that exists on one side only is drawn beside a grey box saying so."""
    blank = after or before
    assert blank is not None
    regions = changed_regions(before, after) if before is not None and after is not None else []
    halves = [_outlined(img, regions) if img is not None else _missing(blank.size, label)
              for img, label in ((before, labels[0]), (after, labels[1]))]
    size = max(22, blank.width // 36)  # labels in proportion to the page: a slide is wider than a page
    head = round(size * 3.3)
    width = halves[0].width + halves[1].width + 3 * GAP
    height = head + max(h.height for h in halves) + GAP
    pair = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(pair)
    draw.text((GAP, size // 2), title, fill=INK, font=_font(size))
    x = GAP
    for half, label in zip(halves, labels, strict=True):
        draw.text((x, round(size * 1.9)), label, fill=INK, font=_font(round(size * 0.8)))
        pair.paste(half, (x, head))
        draw.rectangle((x - 1, head - 1, x + half.width, head + half.height), outline=(150, 150, 150))
        x += half.width + GAP
    return pair


def _outlined(image: Image.Image, regions: list[tuple[int, int, int, int]]) -> Image.Image:
    if not regions:
        return image
    out = image.convert("RGB")  # a copy: the caller's page stays clean
    draw = ImageDraw.Draw(out)
    pad = 3
    for left, top, right, bottom in regions:
        draw.rectangle((max(left - pad, 0), max(top - pad, 0), min(right + pad, out.width - 1),
                        min(bottom + pad, out.height - 1)), outline=RED, width=3)
    return out


def _missing(size: tuple[int, int], label: str) -> Image.Image:
    box = Image.new("RGB", size, (205, 205, 205))
    ImageDraw.Draw(box).text((GAP, GAP), f"not in {label.split(':')[0]}", fill=INK, font=_font(18))
    return box
