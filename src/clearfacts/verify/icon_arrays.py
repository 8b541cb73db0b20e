"""Icon arrays as a reader of the file finds them: each array's alternative text and how many of
its figures are filled, counted from the drawing itself, never from anything the writer noted.

- PDF (PDFium, `pdf_icon_arrays`): each `Figure` of the structure tree, its /Alt, and the path
  objects in its marked content; a path with a fill mode is a filled figure, one that is only
  stroked is not. Kept apart so the deck's checks never load PDFium.
- Deck (plain XML, `pptx_icon_arrays`): each group shape of figures, with its alternative text
  (`descr`, "" when it has none), and its shapes; one with a solid fill is filled, one without
  (`a:noFill`) is not. Kept apart so
  the processes that read only PDFs never load the deck's XML reader.

The check pairs each array of the content (its label is its alternative text) with the drawn one
whose alternative text says the same, and then wants as many filled figures as the fact's
natural frequency: "about 1 in 10" is one filled figure of ten.
"""

from __future__ import annotations

from msgspec import Struct

from clearfacts.errors import Finding
from clearfacts.frequencies import filled
from clearfacts.model import Document, Fact, IconArray, Text
from clearfacts.verify.normalise import normalise

ANCHOR_WORDS = 3  # a label's first words: enough to find its array when the numbers were changed


class DrawnArray(Struct, frozen=True):
    """One figure with alternative text and the shapes drawn in it."""

    where: str  # "page 3", "slide 7"
    alt: str  # normalised
    filled: int
    total: int


def check_icon_arrays(name: str, document: Document, drawn: list[DrawnArray]) -> list[Finding]:
    """Each array of the document drawn once, with its label as alternative text and its fact's
    frequency of filled figures.

    An array whose alternative text is gone is paired with the content's next array in order and
    its figures are still counted; that the text is gone is a warning, not an error. LibreOffice
    drops a group's alternative text when it saves a deck (a facilitator's edit, which `check`
    supports), and the figures' numbers are still checked: in the caption above the array, which
    is the slide's text, and in the filled figures."""
    out: list[Finding] = []
    unlabelled = [d for d in drawn if not d.alt]
    for label, fact in _arrays(document):
        expected = normalise(label.text)
        found = next((d for d in drawn if d.alt == expected), None)
        if found is None:
            anchor = " ".join(expected.split()[:ANCHOR_WORDS])
            found = next((d for d in drawn if d.alt and d.alt.startswith(anchor)), None)
            if found is not None:
                out.append(Finding(name, None, f"{found.where}: icon array alternative text: altered fact {fact.id}: "
                                               f"found '{found.alt}', expected '{expected}'", fact.id))
            elif unlabelled:
                found = unlabelled.pop(0)
                out.append(Finding(name, None, f"{found.where}: the icon array for fact {fact.id} has lost its "
                                               "alternative text (LibreOffice drops a group's when it saves), so a "
                                               "screen reader says nothing of it: rebuild, or add it back",
                                   fact.id, severity="warning"))
            else:
                out.append(Finding(name, None, f"icon array for fact {fact.id} ({fact.frequency_form}) not found: "
                                               f"no figure's alternative text is '{expected}'", fact.id))
                continue
        want = filled(fact)
        if (found.filled, found.total) != (want, fact.frequency):
            out.append(Finding(name, None, f"{found.where}: icon array for fact {fact.id} ({fact.frequency_form}) "
                                           f"has {found.filled} of {found.total} figures filled, expected {want} "
                                           f"of {fact.frequency}", fact.id))
    return out


def _arrays(document: Document) -> list[tuple[Text, Fact]]:
    return [(label, fact) for section in document.sections for block in section.blocks
            if isinstance(block, IconArray) for label, fact in zip(block.labels, block.facts, strict=True)]


def has_arrays(document: Document) -> bool:
    return bool(_arrays(document))
