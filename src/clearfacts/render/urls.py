"""Printed URLs: the short form a person can type, broken over lines where a reader expects.

Shared by the PDFs and the deck, so a URL is printed the same way everywhere.
"""

from __future__ import annotations

from clearfacts.render import fonts

LINK_SCHEMES = ("http://", "https://", "mailto:")


def linkable(url: str) -> bool:
    """Only web and mail links become clickable; anything else stays plain text."""
    return url.lower().startswith(LINK_SCHEMES)


def short_url(url: str) -> str:
    """The shortest form people can type: no scheme, no "www.", no trailing slash."""
    text = url
    for prefix in ("https://", "http://", "mailto:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
            break
    if text.lower().startswith("www."):
        text = text[4:]
    return text.rstrip("/")


def url_lines(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Break a printed URL after a "/" where it must wrap; inside a path part too long for one
    line, before a "-" (as the Chicago Manual of Style has it: a line that starts with a hyphen
    shows that the hyphen is the address's own, where one that ends with it reads as the line
    break's, and a reader typing the address would drop it); only a part that still does not fit
    is cut between letters."""
    lines: list[str] = []
    current = ""
    for piece in _pieces(text, font, size, max_width):
        if current and fonts.width(current + piece, font, size) > max_width:
            lines.append(current)
            current = ""
        current += piece
    return [*lines, current] if current else lines


def _pieces(text: str, font: str, size: float, max_width: float) -> list[str]:
    """The URL in unbreakable pieces, each narrower than the line."""
    out: list[str] = []
    for part in _split_after(text, "/"):
        for piece in _split_before(part, "-") if fonts.width(part, font, size) > max_width else [part]:
            while fonts.width(piece, font, size) > max_width and len(piece) > 1:
                cut = len(piece) - 1
                while cut > 1 and fonts.width(piece[:cut], font, size) > max_width:
                    cut -= 1
                out.append(piece[:cut])
                piece = piece[cut:]
            out.append(piece)
    return out


def _split_after(text: str, mark: str) -> list[str]:
    parts = text.split(mark)
    return [p + mark for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _split_before(text: str, mark: str) -> list[str]:
    first, *rest = text.split(mark)
    return ([first] if first else []) + [mark + p for p in rest]
