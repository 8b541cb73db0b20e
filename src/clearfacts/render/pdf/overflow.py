"""What to cut when the handout does not fit one page, even at its 12 pt floor.

The first line that falls off the page is rarely the one to shorten: it is just whatever comes
last. So the whole body is laid out in one endless column, each section's height is measured
(in lines of body text), and the message names the section with the most lines, the content it
pulls in from library.yaml, the single part of it that takes the most room, how many lines must
go, and a hint that fits that kind of content.
"""

from __future__ import annotations

import io
import math

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame
from reportlab.platypus.doctemplate import LayoutError

from clearfacts.errors import Finding
from clearfacts.model import Loc
from clearfacts.render.pdf.compat_reportlab import free_height
from clearfacts.render.pdf.handout_story import Part, Story
from clearfacts.render.pdf.handout_styles import LEADING

_HINTS = {
    "bullet": "shorten this item, or show fewer of the list's items with a range, e.g. red_flags[1-5]",
    "term": "shorten this definition, or drop a term",
    "table": "shorten the table's cells, or drop a row",
    "link": "list fewer links, or give this one a shorter label or address",
    "question": "shorten this answer, or pick fewer FAQs by id",
    "heading": "shorten this heading",
    "title": "shorten the title or subtitle",
    "notice": "move the section with the links, or shorten the notice",
}


def overflow(story: Story, room: float, what: str = "red-flag handout", limit: str = "one page",
             heights: list[float] | None = None) -> Finding:
    """The finding for a story (at the smallest body size) that does not fit `room` points:
    `what` does not fit on `limit`. `heights`: each item's share of `room` when the layout
    measures them itself (the one-page handout's columns), else one endless column's."""
    heights = heights if heights is not None else _heights(story)
    line = story.size * LEADING
    over = max(1, math.ceil((sum(heights) - room) / line))
    sections: dict[int, float] = {}
    for part, height in zip(story.parts, heights, strict=True):
        sections[id(part.section)] = sections.get(id(part.section), 0.0) + height
    biggest = max(story.parts, key=lambda p: sections[id(p.section)])
    inside = [(h, loc, part) for (_, loc), part, h in zip(story.items, story.parts, heights, strict=True)
              if part.section is biggest.section]
    height, loc, part = max(inside, key=lambda item: item[0])
    where = _where(biggest, story)
    pulled = _pulled([loc for _, loc, _ in inside], where)
    message = (f"{what} does not fit on {limit} ({over} {_lines(over)} over at {story.size:g} pt, the "
               f"smallest body size): the section with the most lines is {_name(biggest)} "
               f"({_count(sections[id(biggest.section)], line)}){pulled}; its longest part is {loc} "
               f"({_count(height, line)}). Cut {over} {_lines(over)} there or elsewhere. "
               f"Hint: {_HINTS.get(part.kind, 'shorten this text')}.")
    logos = [loc for (_, loc), p in zip(story.items, story.parts, strict=True) if p.kind == "logo"]
    if logos:
        message += (f" The edition's logo ({logos[0]}) takes a line above the title, because the title fills "
                    "its lines: a shorter title leaves room for the logo beside it.")
    return Finding(where.path, where.line, message)


def _heights(story: Story) -> list[float]:
    """Each flowable's share of one endless column as wide as the page's, its space before
    included, so spaces collapse between blocks exactly as on the page."""
    frame = Frame(0, 0, story.width, 1_000_000, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    canv = Canvas(io.BytesIO())
    out = []
    for flowable, _ in story.items:
        before = free_height(frame)
        try:
            frame.add(flowable, canv)
        except LayoutError:  # cannot happen in an endless column; count its own height
            out.append(flowable.wrap(story.width, 1_000_000)[1])
            continue
        out.append(before - free_height(frame))
    return out


def _where(part: Part, story: Story) -> Loc:
    if part.section is not None:
        return part.section.loc
    return story.items[0][1]  # the title's line


def _name(part: Part) -> str:
    return f"'{part.section.title.text}'" if part.section is not None else "the title"


def _pulled(locs: list[Loc], home: Loc) -> str:
    """", which pulls in content/library.yaml:6-12", when the section's text lives elsewhere."""
    others = [loc for loc in locs if loc.path != home.path]
    if not others:
        return ""
    path = others[0].path
    lines = sorted({loc.line for loc in others if loc.path == path})
    span = f"{lines[0]}-{lines[-1]}" if lines[0] != lines[-1] else f"{lines[0]}"
    return f", which pulls in {path}:{span}"


def _count(height: float, line: float) -> str:
    n = max(1, round(height / line))
    return f"{n} {_lines(n)}"


def _lines(n: int) -> str:
    return "line" if n == 1 else "lines"
