"""Fonts and text metrics, registered once and shared by every renderer.

The handout and booklet embed Atkinson Hyperlegible (designed for low vision). The deck uses
Arial, which every office laptop has but we may not embed, so it is measured with Liberation
Sans: the same advance widths. Fitting and glyph checks use these metrics, never guesses.
Metrics come from the font files themselves (`ttf`); reportlab is imported only to embed the
PDFs' fonts, so the deck's process never pays for it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from clearfacts.errors import ContentError, Finding
from clearfacts.model import Text
from clearfacts.render.ttf import Metrics, read_metrics

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
BODY = "AtkinsonHyperlegible"
BODY_BOLD = "AtkinsonHyperlegible-Bold"
DECK = "LiberationSans"  # measures Arial
DECK_BOLD = "LiberationSans-Bold"
DECK_THEME_FONT = "Arial"
_FILES = {
    BODY: "AtkinsonHyperlegible-Regular.ttf",
    BODY_BOLD: "AtkinsonHyperlegible-Bold.ttf",
    DECK: "LiberationSans-Regular.ttf",
    DECK_BOLD: "LiberationSans-Bold.ttf",
}


_FAMILIES = {BODY: (BODY, BODY_BOLD), DECK: (DECK, DECK_BOLD)}
_FAMILY_OF = {face: family for family, faces in _FAMILIES.items() for face in faces}


def register(font: str = BODY) -> None:
    """Register the bundled family that `font` belongs to with reportlab, to embed it in a PDF
    (idempotent; per family, because the PDFs never need the deck's fonts)."""
    if font in _FAMILY_OF:
        _register_family(_FAMILY_OF[font])


@cache
def _register_family(family: str) -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = _FAMILIES[family]
    for name in (regular, bold):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / _FILES[name])))
    pdfmetrics.registerFontFamily(family, normal=regular, bold=bold, italic=regular, boldItalic=bold)
    addMapping(family, 0, 0, regular)
    addMapping(family, 1, 0, bold)


@cache
def metrics(font: str) -> Metrics:
    return read_metrics(FONT_DIR / _FILES[font])


def width(text: str, font: str, size: float) -> float:
    """Advance width in points, as reportlab measures it when it sets the PDFs."""
    m = metrics(font)
    return m.units(text) * size / m.units_per_em


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Greedy word wrap, as PowerPoint and LibreOffice do it; an over-long word stays whole."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and width(trial, font, size) > max_width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines or [""]


def check_glyphs(texts: list[Text] | tuple[Text, ...], font: str = BODY) -> None:
    """A character the font lacks would print as an empty box: refuse it, naming file:line."""
    cmap = metrics(font).advances
    findings = []
    for text in texts:
        missing = sorted({ch for ch in text.text if ch not in cmap and not ch.isspace()})
        if missing:
            shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:5])
            findings.append(Finding(text.loc.path, text.loc.line, f"the font {font} has no glyph for {shown}"))
    if findings:
        raise ContentError(findings)
