"""The handout's contact area: who gave you the handout and how to reach them.

Its room is reserved before the body is laid out, for the longest values settings.yaml allows
(`ORGANISATION_LIMITS`) written in the widest glyph the font has, so a clinic's name or address
can never push the body off the page, and the body's room is the same for every clinic.

The reservation is the bound for the last resort below, which always fits it:
  1. the name in bold on its own line(s), then phone · email · website, each kept whole on a line
     of at most `LINE` characters (an address wider than the line breaks after "/" or before "-"),
     at 12 pt, else 11 pt, else 10 pt;
  2. only for values no real clinic has (sixty "‰" signs): the same text at 10 pt filled
     letter by letter. Every full line then holds more than (width - widest glyph - hyphen), so
     n characters need at most 1 + n x widest / (width - widest - hyphen) lines.
"""

from __future__ import annotations

import math
from functools import cache

from msgspec import Struct
from reportlab.pdfgen.canvas import Canvas

from clearfacts.model import ORGANISATION_LIMITS, Organisation
from clearfacts.render import fonts
from clearfacts.render.pdf.document import INK
from clearfacts.render.pdf.line_ends import with_line_end
from clearfacts.render.urls import linkable, short_url, url_lines

SIZES = (12.0, 11.0, 10.0)  # footers may go to 10 pt (house rules); 12 pt whenever the values allow
LEADING = 1.25
SEPARATOR = " · "
LINE = 75  # characters at most in a line of addresses: the line-length rule's limit (verify/layout_rules.py)


class Run(Struct, frozen=True):
    """Part of one printed line, in one font, linked when `url` is set."""

    text: str
    font: str
    url: str | None = None


class ContactBlock(Struct, frozen=True):
    lines: tuple[tuple[Run, ...], ...]
    size: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LEADING

    def draw(self, canv: Canvas, x: float, top: float) -> None:
        """Each line from `top` down; runs set one after another, links over their text; a line
        whose words go on in the next ends in a space (`line_ends`)."""
        canv.saveState()
        canv.setFillColor(INK)
        for n, line in enumerate(self.lines):
            baseline = top - (n + 1) * self.size * LEADING + self.size * (LEADING - 1) / 2 + self.size * 0.22
            left = x
            for run in line:
                canv.setFont(run.font, self.size)
                goes_on = run is line[-1] and n < len(self.lines) - 1  # a space before the next line's words
                canv.drawString(left, baseline, with_line_end(run.text) if goes_on else run.text)
                right = left + fonts.width(run.text, run.font, self.size)
                if run.url and linkable(run.url):
                    canv.linkURL(run.url, (left, baseline - self.size * 0.25, right, baseline + self.size * 0.9),
                                 relative=1)
                left = right
        canv.restoreState()


def reserved_height(width: float) -> float:
    """The most height any valid settings need in a column `width` wide (see the module doc)."""
    size = SIZES[-1]
    name = _fill_bound(ORGANISATION_LIMITS["name"], fonts.BODY_BOLD, size, width)
    stream = sum(ORGANISATION_LIMITS[k] for k in ("phone", "email", "website")) + 2 * len(SEPARATOR)
    return (name + _fill_bound(stream, fonts.BODY, size, width)) * size * LEADING


def lay_out(org: Organisation, width: float) -> ContactBlock:
    """The largest readable setting of the contact area that fits its reserved room."""
    room = reserved_height(width) + 1e-6
    for size in SIZES:
        block = ContactBlock((*_name(org.name, size, width, fill=False), *_addresses(org, size, width)), size)
        if block.height <= room:
            return block
    size = SIZES[-1]
    block = ContactBlock((*_name(org.name, size, width, fill=True), *_filled(_atoms(org), size, width)), size)
    if block.height > room:  # the bound above is wrong: a bug, not a clinic's problem
        raise RuntimeError(f"contact area needs {block.height:.1f} pt, {room:.1f} pt reserved")
    return block


def at_size(org: Organisation, size: float, width: float) -> ContactBlock:
    """The contact area at one size, as tall as it needs (large print: it flows with the text)."""
    return ContactBlock((*_name(org.name, size, width, fill=False), *_addresses(org, size, width)), size)


def _fill_bound(chars: int, font: str, size: float, width: float) -> int:
    widest = _widest(font) * size
    return 1 + math.floor(chars * widest / (width - widest - fonts.width("-", font, size)))


@cache
def _widest(font: str) -> float:
    """The widest advance in the font, per point of size."""
    return max(fonts.width(ch, font, 1.0) for ch in fonts.metrics(font).advances)


def _name(name: str, size: float, width: float, fill: bool) -> list[tuple[Run, ...]]:
    """The name in bold, wrapped at spaces; a word wider than the line (or, in `fill`, any word
    at the line's end) is cut between letters with a hyphen."""
    font = fonts.BODY_BOLD
    lines: list[str] = []
    current = ""
    for word in name.split():
        trial = f"{current} {word}" if current else word
        if fonts.width(trial, font, size) <= width:
            current = trial
            continue
        if not fill and fonts.width(word, font, size) <= width:
            lines.append(current)
            current = word
            continue
        current = f"{current} " if current else ""
        for ch in word:
            if fonts.width(current + ch + "-", font, size) > width and current.strip():
                lines.append(current.rstrip() + ("-" if current[-1:] != " " else ""))
                current = ""
            current += ch
    lines.append(current)
    return [(Run(line, font),) for line in lines if line]


def _atoms(org: Organisation) -> list[Run]:
    """The ways to reach the group that the settings fill in, as printed: a blank one is left out,
    label and all."""
    atoms = []
    if org.phone:
        atoms.append(Run(org.phone, fonts.BODY))
    if org.email:
        atoms.append(Run(org.email, fonts.BODY, org.mail_link))
    if org.website:
        atoms.append(Run(short_url(org.website), fonts.BODY, org.website))
    return atoms


def _addresses(org: Organisation, size: float, width: float) -> list[tuple[Run, ...]]:
    """phone · email · website, as many to a line as fit in its width and in `LINE` characters
    (as long as a line of running text may be: a clinic's long email and website go on two lines
    rather than one of 90 characters), each kept whole on one line."""
    lines: list[list[Run]] = []
    used = width + 1.0  # no line open yet
    chars = 0
    for atom in _atoms(org):
        need = fonts.width(atom.text, atom.font, size)
        gap = fonts.width(SEPARATOR, atom.font, size)
        if lines and used + gap + need <= width and chars + len(SEPARATOR) + len(atom.text) <= LINE:
            lines[-1] += [Run(SEPARATOR, atom.font), atom]
            used += gap + need
            chars += len(SEPARATOR) + len(atom.text)
        elif need <= width:
            lines.append([atom])
            used, chars = need, len(atom.text)
        else:
            for part in url_lines(atom.text, atom.font, size, width):
                lines.append([Run(part, atom.font, atom.url)])
            used = width + 1.0
    return [tuple(line) for line in lines]


def _filled(atoms: list[Run], size: float, width: float) -> list[tuple[Run, ...]]:
    """The same runs with separators, filled letter by letter (the last resort)."""
    lines: list[list[Run]] = [[]]
    used = 0.0
    runs = [r for i, atom in enumerate(atoms) for r in ([Run(SEPARATOR, atom.font)] if i else []) + [atom]]
    for run in runs:
        text = ""
        for ch in run.text:
            step = fonts.width(ch, run.font, size)
            if used + step > width and (text or lines[-1]):
                if text:
                    lines[-1].append(Run(text, run.font, run.url))
                lines.append([])
                text, used = "", 0.0
            text += ch
            used += step
        if text:
            lines[-1].append(Run(text, run.font, run.url))
    return [tuple(line) for line in lines if line]
