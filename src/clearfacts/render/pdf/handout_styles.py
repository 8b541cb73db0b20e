"""Paragraph styles for the handout, all scaled from one body size, and a padding-free table.

Kept apart from the story so the styles a page uses can be read (and tuned) in one place.
"""

from __future__ import annotations

from reportlab import platypus
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from clearfacts.render import fonts
from clearfacts.render.pdf.document import ACCENT, INK
from clearfacts.render.pdf.handout_marks import WARN

LEADING = 1.25  # line height as a multiple of the font size (low-vision guidance: ≥ 1.2)
LARGE_HEADING = 24.0  # large print: headings at least 24 pt (APH guidance)


def styles(size: float, large: bool = False, accent: colors.Color = ACCENT) -> dict[str, ParagraphStyle]:
    """Every style scales with the body size, so stepping it down re-flows the whole page. In
    `large` print headings are at least 24 pt and, as the text runs onto a second page, a heading
    stays with what follows it and no paragraph leaves one line behind. Headings are in `accent`
    (an edition's brand colour, at least 7:1 on white)."""
    heading = max(size * 1.25, LARGE_HEADING) if large else size * 1.25
    body = ParagraphStyle(
        "body",
        fontName=fonts.BODY,
        fontSize=size,
        leading=size * LEADING,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=size * 0.35,
        **({"allowWidows": 0, "allowOrphans": 0} if large else {}),
    )
    return {
        "title": ParagraphStyle(
            "title",
            body,
            fontName=fonts.BODY_BOLD,
            fontSize=size * 1.6,
            leading=size * 1.6 * 1.2,
            spaceAfter=size * 0.25,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", body, fontSize=size * 1.15, leading=size * 1.15 * LEADING, spaceAfter=size * 0.2
        ),
        "heading": ParagraphStyle(
            "heading",
            body,
            fontName=fonts.BODY_BOLD,
            fontSize=heading,
            leading=heading * 1.2,
            textColor=accent,
            spaceBefore=size * (0.7 if large else 0.6),
            spaceAfter=size * 0.25,
            keepWithNext=int(large),
        ),
        "body": body,
        "bold": ParagraphStyle("bold", body, fontName=fonts.BODY_BOLD),
        "bullet": ParagraphStyle(
            "bullet",
            body,
            leftIndent=size * 1.3,
            bulletIndent=size * 0.25,
            bulletFontName=fonts.BODY_BOLD,
            bulletFontSize=size,  # reportlab's default is 10 pt, whatever the text's size
            spaceAfter=size * 0.15,
        ),
        "step": ParagraphStyle(
            "step",
            body,
            leftIndent=size * 1.6,
            bulletIndent=0,
            bulletFontName=fonts.BODY_BOLD,
            bulletFontSize=size,
            bulletColor=accent,
            spaceAfter=size * 0.3,
        ),
        "check": ParagraphStyle("check", body, spaceAfter=size * (0.15 if large else 0.3)),
        "callout": ParagraphStyle("callout", body, fontName=fonts.BODY_BOLD, spaceAfter=0),
        # the one main message, and the short line the reader keeps: larger than the body
        "message": ParagraphStyle("message", body, fontName=fonts.BODY_BOLD, fontSize=size * 1.3,
                                  leading=size * 1.3 * 1.22, spaceAfter=0),
        "label": ParagraphStyle("label", body, fontName=fonts.BODY_BOLD, textColor=accent, spaceAfter=size * 0.15),
        "warn_heading": ParagraphStyle("warn_heading", body, fontName=fonts.BODY_BOLD, fontSize=heading,
                                       leading=heading * 1.2, textColor=WARN, spaceAfter=size * 0.2,
                                       leftIndent=size * 2.1),
        "band_org": ParagraphStyle("band_org", body, fontName=fonts.BODY_BOLD, fontSize=max(12.0, size * 0.9),
                                   leading=max(12.0, size * 0.9) * 1.2, textColor=accent, spaceAfter=size * 0.15),
        "band_title": ParagraphStyle("band_title", body, fontName=fonts.BODY_BOLD, fontSize=size * 1.7,
                                     leading=size * 1.7 * 1.15, spaceAfter=0),
        # table cells: columns fit their words (columns.py), so reportlab never cuts one
        "cell": ParagraphStyle("cell", body, spaceAfter=0, splitLongWords=0),
        "cell_head": ParagraphStyle("cell_head", body, fontName=fonts.BODY_BOLD, spaceAfter=0, splitLongWords=0),
    }


def tight(cells: list[list[object]], widths: list[float], *style: tuple[object, ...]) -> platypus.Table:
    """A table in our font (else reportlab selects an unembedded Helvetica) with no padding:
    only the given style commands add space."""
    table = platypus.Table(cells, colWidths=widths)
    table.setStyle(
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
            *style,
        ]
    )
    return table
