"""The print version read back side by side: which folio lands on which half of which sheet
side, for page counts that are and are not multiples of 4, and for the real booklet."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas

from clearfacts.model import ContentSet
from clearfacts.options import BuildOptions, options_for
from clearfacts.render.pdf.booklet import render_booklet
from clearfacts.render.pdf.document import BOOKLET_PAGE
from clearfacts.render.pdf.impose import impose
from conftest import stamp_for

SHEETS = {"letter": (792, 612), "a4": (842, 595)}
WHEN = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
FOOT = 40  # pt from the foot: only folios print this low (the text area ends 0.6 in up)


def on(paper: str) -> BuildOptions:
    """Build options that choose only the sheet: imposition takes nothing else from them."""
    return BuildOptions(paper, None, WHEN)


def synthetic(n: int, paper: str = "letter") -> bytes:
    """n booklet pages, each printing "folio N" centred at its foot."""
    size = BOOKLET_PAGE[paper]
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=size, invariant=1)
    for number in range(1, n + 1):
        canvas.setFont("Helvetica", 12)
        canvas.drawCentredString(size[0] / 2, 30, f"folio {number}")
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def halves(pdf: bytes, max_y: float = 10_000) -> list[tuple[str | None, str | None]]:
    """Per sheet side, the (left, right) text printed below `max_y` pt from the sheet's foot
    (None for an empty half), read with pdfplumber, which follows the placed page forms."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [_halves(page, max_y) for page in doc.pages]


def _halves(page: pdfplumber.page.Page, max_y: float) -> tuple[str | None, str | None]:
    middle = float(page.width) / 2
    found: dict[bool, list[str]] = {False: [], True: []}
    words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
    for word in words:
        if page.height - word["bottom"] < max_y:
            found[word["x0"] >= middle].append(word["text"])
    return " ".join(found[False]) or None, " ".join(found[True]) or None


def expected_sides(n: int) -> list[tuple[int, int]]:
    """The issue's order, as 1-based positions: (n, 1), (2, n-1), (n-2, 3), (4, n-3), …"""
    sides = []
    for k in range(n // 4):
        sides += [(n - 2 * k, 2 * k + 1), (2 * k + 2, n - 2 * k - 1)]
    return sides


def positions(n: int) -> list[int | None]:
    """Booklet page at each physical position once padded: blanks just before the back cover."""
    blanks = -n % 4
    return [None, *range(1, n), *[None] * blanks, n]  # index 0 unused: positions are 1-based


def test_eight_pages_in_the_issue_order() -> None:
    assert halves(impose(synthetic(8), on("letter"))) == [
        ("folio 8", "folio 1"), ("folio 2", "folio 7"), ("folio 6", "folio 3"), ("folio 4", "folio 5")]


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("n", [4, 8, 10, 12, 13])
def test_saddle_stitch_order_with_blanks_before_the_back_cover(n: int, paper: str) -> None:
    printed = impose(synthetic(n, paper), on(paper))
    reader = PdfReader(io.BytesIO(printed))
    padded = n + (-n % 4)
    assert len(reader.pages) == padded // 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == SHEETS[paper]
    at = positions(n)
    want = [tuple(f"folio {at[p]}" if at[p] else None for p in side) for side in expected_sides(padded)]
    assert halves(printed) == want


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_each_page_is_centred_in_its_half(paper: str) -> None:
    with pdfplumber.open(io.BytesIO(impose(synthetic(4, paper), on(paper)))) as doc:
        words = doc.pages[0].extract_words()
    width = SHEETS[paper][0]
    for right, centre in ((False, width / 4), (True, 3 * width / 4)):
        half = [w for w in words if (w["x0"] >= width / 2) == right]
        assert half, "each half carries its folio"
        assert abs((min(w["x0"] for w in half) + max(w["x1"] for w in half)) / 2 - centre) < 0.5


def test_an_a5_booklet_on_letter_is_shrunk_to_fit_its_half() -> None:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A5)
    for _ in range(4):
        canvas.rect(0, 0, *A5)
        canvas.showPage()
    canvas.save()
    page = PdfReader(io.BytesIO(impose(buf.getvalue(), on("letter")))).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == SHEETS["letter"]


def test_print_settings_metadata_and_reproducible_id(letter: bytes, printed: bytes, bundled: ContentSet) -> None:
    reader = PdfReader(io.BytesIO(printed))
    prefs = reader.root_object["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipShortEdge"
    assert prefs["/PrintScaling"] == "/None"
    source = PdfReader(io.BytesIO(letter))
    for key in ("/Title", "/Author", "/Keywords"):
        assert reader.metadata[key] == source.metadata[key]
    assert "Not tagged" in reader.metadata["/Subject"]  # for the printer; readers get the screen booklet
    assert reader.metadata["/Keywords"] == stamp_for(bundled, options_for(bundled, None, None), "booklet")
    assert reader.root_object["/Lang"] == "en-US"
    assert reader.trailer["/ID"][0] == reader.trailer["/ID"][1]
    assert impose(letter, on("letter")) == printed
    assert impose(letter, on("a4")) != printed
    assert PdfReader(io.BytesIO(impose(synthetic(8), on("letter")))).trailer["/ID"] != reader.trailer["/ID"]


@pytest.mark.slow
def test_the_real_booklet_folios_land_in_saddle_stitch_order(letter: bytes, printed: bytes) -> None:
    pages = PdfReader(io.BytesIO(letter)).pages
    n = len(pages)
    blank = {number for number, page in enumerate(pages, 1) if not page.extract_text().strip()}
    unnumbered = {1, n} | blank  # the covers and padding blanks carry no folio
    want = [tuple(None if p in unnumbered else str(p) for p in side) for side in expected_sides(n)]
    assert halves(printed, FOOT) == want
    back, front = halves(printed)[0]
    assert back.startswith("Contact us") and front.startswith("Stem cells for")


@pytest.fixture(scope="module")
def letter(bundled: ContentSet) -> bytes:
    options = options_for(bundled, None, None)
    return render_booklet(bundled, options, stamp_for(bundled, options, "booklet"))


@pytest.fixture(scope="module")
def printed(letter: bytes) -> bytes:
    return impose(letter, on("letter"))
