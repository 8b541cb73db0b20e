"""Font metrics: text is fitted with the widths the printed and projected text really has.

The deck is measured from the TTF tables directly; reportlab, which sets the PDFs, measures with
its own parser. If the two ever disagreed, a line that "fits" could overflow in print.
"""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics

from clearfacts.errors import ContentError
from clearfacts.model import Loc, Text
from clearfacts.render import fonts
from clearfacts.render.ttf import FontFileError, read_metrics

SAMPLES = ["Stem cells for neuropathy: 48.3% vs 10.3%", "$5,000–$20,000 · “quotes” — café, naïve", "A\u00a0B  C"]
FACES = [fonts.BODY, fonts.BODY_BOLD, fonts.DECK, fonts.DECK_BOLD]


@pytest.mark.parametrize("face", FACES)
def test_widths_match_what_reportlab_sets(face: str) -> None:
    fonts.register(face)
    for text in SAMPLES:
        assert fonts.width(text, face, 18) == pytest.approx(pdfmetrics.stringWidth(text, face, 18), abs=1e-9)


@pytest.mark.parametrize("face", FACES)
def test_character_map_matches_reportlab(face: str) -> None:
    fonts.register(face)
    theirs = {chr(code) for code, glyph in pdfmetrics.getFont(face).face.charToGlyph.items() if glyph}
    assert set(fonts.metrics(face).advances) == theirs


def test_a_character_the_deck_font_lacks_is_refused_with_its_line() -> None:
    with pytest.raises(ContentError, match=r"content/deck\.yaml:7: .*no glyph for '🙂' \(U\+1F642\)"):
        fonts.check_glyphs([Text("Feeling better 🙂", (), Loc("content/deck.yaml", 7))], fonts.DECK)


def test_a_file_that_is_not_a_font_is_refused(tmp_path) -> None:  # noqa: ANN001 - pytest fixture
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 8)
    with pytest.raises(FontFileError):
        read_metrics(bogus)
