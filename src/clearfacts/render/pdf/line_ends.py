"""A real space at the end of each line whose words go on in the next line.

A line break in a PDF is only a move of the text position, so a reader that joins an element's
lines (poppler's `pdfinfo -struct-text`, and the Linux screen readers that read PDFs through
poppler) hears the last word of one line and the first of the next as one word ("stem-celltherapy",
"Group555-0100"). Typst and LaTeX's tagpdf write a space there for the same reason. It is drawn after
the line's last glyph, so nothing on the page moves.
"""

from __future__ import annotations

# A line that ends in one of these was broken inside a word or an address ("stem-" / "cell",
# "example.org/" / "groups"): the next line goes on with no space between.
JOINS_NEXT_LINE = ("-", "\u00ad", "\u2010", "/")


def with_line_end(text: str) -> str:
    """`text`, drawn at the end of a line, with the space that parts it from the next line's first
    word (none after a hyphen or a slash, or when it ends in a space already)."""
    if not text or text[-1].isspace() or text.endswith(JOINS_NEXT_LINE):
        return text
    return f"{text} "
