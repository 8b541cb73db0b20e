"""Layers (optional content): parts of a page that a viewer, a printer or the reader's own switch
may leave out. Which parts a person then sees depends on the software and its settings, so no
reading of the file can vouch for them; clearfacts never makes layers, so a file that has them
was edited, and the check says so instead of guessing.

Whether a file has layers is said once, in its catalog (`/OCProperties`): without it, viewers
draw everything, whatever the content streams mark. PDFium does not show the catalog, so it is
read with pikepdf (qpdf), which sees it wherever the file keeps it, an object stream included.
"""

from __future__ import annotations

import io

PROBLEM = ("the whole file", "has layers (optional content), which a viewer or printer may leave out, so what a "
           "reader sees cannot be vouched for; clearfacts makes none: rebuild it")


def layers_problem(data: bytes) -> list[tuple[str, str]]:
    """The problem to report when the file declares layers (or cannot be opened to rule them out)."""
    import pikepdf  # only here: reading a PDF back otherwise needs PDFium alone

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return [PROBLEM] if "/OCProperties" in pdf.Root else []
    except pikepdf.PdfError:
        return [("the whole file", "its structure cannot be read to rule out layers; rebuild it")]
