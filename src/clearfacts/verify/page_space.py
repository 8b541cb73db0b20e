"""How much of a printed page is left empty, measured down the page: the part of the text area's
height where nothing is printed (text, pictures, codes, filled boxes), after closing the ordinary
gaps between paragraphs and around headings. A page of text with a heading in it is full; a page
whose text stops halfway, because the next block would not fit, is half empty.

The text area is the output's own, found across its body pages (from the highest to the lowest
thing printed outside the margin bands), so no renderer's margins are assumed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from statistics import median

from clearfacts.verify.normalise import normalise
from clearfacts.verify.page_measures import PageLayout, Run

Span = tuple[float, float]  # bottom, top
InBand = Callable[[Run, PageLayout], bool]
GAP = 2.5  # a gap up to this many times the body size is spacing, not emptiness


BAND = 0.6 * 72  # pt from the top or bottom edge: running heads and folios have their baseline here


def body_boxes(page: PageLayout, in_band: InBand) -> list[tuple[float, float, float, float]]:
    """What is printed in the body: text, pictures, shapes and codes, not the margin bands' own."""
    drawn = [box for box in (*page.marks, *page.codes) if box[1] < page.height - BAND and box[3] > BAND]
    return [r.box for r in page.runs if not in_band(r, page)] + drawn


def text_area(pages: Sequence[PageLayout], in_band: InBand) -> Span | None:
    """From the lowest to the highest thing printed on these pages (None when they print nothing)."""
    boxes = [box for page in pages for box in body_boxes(page, in_band)]
    if not boxes:
        return None
    return min(b[1] for b in boxes), max(b[3] for b in boxes)


def empty_share(page: PageLayout, area: Span, in_band: InBand) -> float:
    """The share of the text area's height where the page prints nothing."""
    bottom, top = area
    if top <= bottom:
        return 0.0
    sizes = [r.size for r in page.runs if not in_band(r, page)]
    gap = GAP * (median(sizes) if sizes else 12.0)
    spans = sorted((max(b[1], bottom), min(b[3], top)) for b in body_boxes(page, in_band))
    filled = 0.0
    start = end = None
    for low, high in spans:
        if high <= low:
            continue
        if end is not None and low - end <= gap:
            end = max(end, high)
            continue
        if start is not None and end is not None:
            filled += end - start
        start, end = low, high
    if start is not None and end is not None:
        filled += end - start
    return max(0.0, 1.0 - filled / (top - bottom))


def new_part(page: PageLayout, area: Span, titles: Sequence[str], in_band: InBand) -> bool:
    """The page opens with a section's title at the top of the text area: the page before it may
    end short on purpose."""
    runs = [r for r in page.runs if not in_band(r, page)]
    if not runs:
        return False
    first = max(r.baseline for r in runs)
    line = sorted((r for r in runs if abs(r.baseline - first) <= 1.0), key=lambda r: r.box[0])
    if area[1] - max(r.box[3] for r in line) > 2 * max(r.size for r in line):
        return False
    text = normalise("".join(r.text for r in line).replace("\x02", "-")).casefold()
    return bool(text) and any(title.casefold().startswith(text) for title in titles)
