"""Layout rules (text-size, line-length, qr-size, link-broken, page-space): each fires on a page
built to break it and stays quiet on one that keeps it, read back with PDFium or from the deck's
XML as `clearfacts check` reads them; `--list-rules` lists them and settings.yaml can make them
errors.

The small PDFs here are drawn with reportlab's canvas, so each case is exactly the layout it
names, whatever the handout and booklet renderers draw this week.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
import segno
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.shapes.base import BaseShape
from pptx.util import Pt
from reportlab.pdfgen.canvas import Canvas

from clearfacts.render import fonts
from clearfacts.render.urls import short_url, url_lines
from clearfacts.verify.layout_rules import layout_findings
from clearfacts.verify.pptx_layout import SlideLayout, code_side, slide_findings
from clearfacts.verify.read_pdf import read_pdf
from conftest import edit, run

LAYOUT_RULES = ("text-size", "line-length", "qr-size", "link-broken", "page-space")
HALF_LETTER = (396.0, 612.0)
LEFT, TOP = 50.0, 557.0  # the text area's top left corner on the test pages
PROSE = "Stem cells are studied for nerve damage, but no treatment is approved yet. " * 3

Draw = Callable[[Canvas], None]


def pdf(*pages: Draw, size: tuple[float, float] = HALF_LETTER) -> bytes:
    fonts.register()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=size, invariant=1)
    for draw in pages:
        draw(canvas)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def findings(data: bytes, key: str = "booklet", titles: tuple[str, ...] = ()) -> list[str]:
    document = SimpleNamespace(sections=[SimpleNamespace(title=SimpleNamespace(text=t)) for t in titles])
    return [f"{f.message} [{f.rule}]" for f in layout_findings(key, "out.pdf", document, read_pdf(data))]  # type: ignore[arg-type]


def rule(found: list[str], rule_id: str) -> list[str]:
    return [f for f in found if f.endswith(f"[{rule_id}]")]


def lines(texts: list[str], size: float = 12.0, top: float = TOP, x: float = LEFT) -> Draw:
    def draw(canvas: Canvas) -> None:
        canvas.setFont(fonts.BODY, size)
        for n, text in enumerate(texts):
            canvas.drawString(x, top - n * size * 1.25, text)
    return draw


def full_page(canvas: Canvas) -> None:
    """Body text from the top of the text area to its foot, a folio in the bottom band."""
    lines([PROSE[:60]] * 34)(canvas)
    canvas.setFont(fonts.BODY, 10)
    canvas.drawString(190, 30, "3")


def both(*draws: Draw) -> Draw:
    def draw(canvas: Canvas) -> None:
        for one in draws:
            one(canvas)
    return draw


def qr(url: str, side: float, x: float, y: float) -> Draw:
    """A QR code as the renderers draw one: one filled path of module rectangles."""
    def draw(canvas: Canvas) -> None:
        matrix = segno.make_qr(url, error="m").matrix
        module = side / len(matrix)
        path = canvas.beginPath()
        for row_index, row in enumerate(matrix):
            for col, dark in enumerate(row):
                if dark:
                    path.rect(x + col * module, y + side - (row_index + 1) * module, module, module)
        canvas.drawPath(path, stroke=0, fill=1)
    return draw


# --- the rules list ---------------------------------------------------------------------------

def test_list_rules_names_each_layout_rule_as_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    listed = {line.split()[0]: line.split()[1] for line in run("check", "--list-rules").stdout.splitlines()}
    assert {rule_id: listed.get(rule_id) for rule_id in LAYOUT_RULES} == dict.fromkeys(LAYOUT_RULES, "warning")


# --- text-size ------------------------------------------------------------------------------------

def test_body_text_under_12_pt_is_named_with_its_size_and_page() -> None:
    data = pdf(full_page, both(lines(["A table cell set too small to read"], size=11), lines(["x"], top=300)))
    assert rule(findings(data), "text-size") == [
        "page 2: text at 11 pt, under 12 pt: 'A table cell set too small to read' [text-size]"]


def test_a_10_pt_folio_is_allowed_and_a_9_pt_one_is_not() -> None:
    def folio(size: float) -> Draw:
        def draw(canvas: Canvas) -> None:
            canvas.setFont(fonts.BODY, size)
            canvas.drawString(190, 30, "7")
        return draw
    assert rule(findings(pdf(both(lines(["Body text"]), folio(10)))), "text-size") == []
    assert rule(findings(pdf(both(lines(["Body text"]), folio(9)))), "text-size") == [
        "page 1: footer text at 9 pt, under 10 pt: '7' [text-size]"]


def test_large_print_has_its_own_floor() -> None:
    data = pdf(lines(["Large print body at sixteen points"], size=16), size=(612.0, 792.0))
    assert rule(findings(data, "handout-large"), "text-size") == [
        "page 1: text at 16 pt, under 18 pt: 'Large print body at sixteen points' [text-size]"]
    assert rule(findings(data, "handout"), "text-size") == []


# --- line-length ----------------------------------------------------------------------------------

def test_a_line_over_75_characters_is_named_and_one_of_75_is_not() -> None:
    letter = (612.0, 792.0)
    fits, long_line = "word " * 14 + "words", "word " * 15 + "words"
    found = rule(findings(pdf(lines([fits, long_line]), size=letter), "handout"), "line-length")
    assert found == [f"page 1: a line of 80 characters (limit 75): '{long_line[:59]}…' [line-length]"]
    assert rule(findings(pdf(lines([fits]), size=letter), "handout"), "line-length") == []


def test_two_columns_on_one_baseline_are_two_lines() -> None:
    data = pdf(both(lines([PROSE[:50]], x=40), lines([PROSE[:50]], x=330)), size=(612.0, 792.0))
    assert rule(findings(data, "handout"), "line-length") == []


def test_a_line_in_two_fonts_is_one_line() -> None:
    def draw(canvas: Canvas) -> None:
        canvas.setFont(fonts.BODY_BOLD, 12)
        canvas.drawString(40, 700, PROSE[:40])
        canvas.setFont(fonts.BODY, 12)
        canvas.drawString(40 + canvas.stringWidth(PROSE[:40], fonts.BODY_BOLD, 12), 700, PROSE[40:80])
    assert rule(findings(pdf(draw, size=(612.0, 792.0)), "handout"), "line-length") == [
        f"page 1: a line of 80 characters (limit 75): '{PROSE[:59]}…' [line-length]"]


# --- qr-size --------------------------------------------------------------------------------------

def test_qr_codes_of_one_size_pass_and_a_smaller_one_is_named() -> None:
    same = pdf(both(qr("https://clinicaltrials.gov", 60, 60, 300), qr("https://www.fda.gov/patients", 60, 60, 100)))
    assert rule(findings(same), "qr-size") == []
    mixed = pdf(both(qr("https://clinicaltrials.gov", 60, 60, 300), qr("https://www.fda.gov/patients", 45, 60, 100)))
    assert rule(findings(mixed), "qr-size") == [
        "page 1: a QR code 45.0 pt across, under 56.7 pt (2 cm) [qr-size]",
        "QR codes of different sizes: 60.0 pt on page 1, 45.0 pt on page 1 [qr-size]"]


def qr_png(url: str) -> tuple[bytes, int]:
    """A QR code as the deck's renderer saves one (1-bit PNG, 4 modules of margin), and its modules."""
    code = segno.make(url, error="l")
    buf = io.BytesIO()
    code.save(buf, kind="png", scale=8, border=4)
    return buf.getvalue(), code.symbol_size(border=0)[0]


def test_a_deck_qr_code_is_measured_without_its_margin_and_two_sizes_are_named() -> None:
    short, modules = qr_png("https://clinicaltrials.gov")
    assert code_side(short, 136.0, 136.0) == pytest.approx(136.0 * modules / (modules + 8))
    long_, more = qr_png("https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/important-patient")
    assert more > modules  # the same picture size prints this code larger: its margin is a smaller share
    slides = [SlideLayout(codes=[code_side(short, 136.0, 136.0) or 0.0, code_side(long_, 136.0, 136.0) or 0.0])]
    assert [f.rule for f in slide_findings("deck.pptx", slides)] == ["qr-size"]
    assert slide_findings("deck.pptx", [SlideLayout(codes=[120.0, 120.2])]) == []


def test_a_picture_that_is_not_a_code_is_not_measured() -> None:
    short, _ = qr_png("https://clinicaltrials.gov")
    assert code_side(short, 136.0, 90.0) is None  # not square
    grey = io.BytesIO()
    segno.make("https://clinicaltrials.gov").save(grey, kind="png", scale=4, dark="#777777")
    assert code_side(grey.getvalue(), 136.0, 136.0) is None  # a third tone: not a black-and-white code


# --- link-broken ----------------------------------------------------------------------------------

def link_lines(shown: list[str], url: str) -> Draw:
    """`shown`, one line under the other, each line a link to `url` (how a wrapped address prints)."""
    def draw(canvas: Canvas) -> None:
        lines(shown, top=400)(canvas)
        for n, text in enumerate(shown):
            y = 400 - n * 15
            canvas.linkURL(url, (LEFT, y - 3, LEFT + canvas.stringWidth(text, fonts.BODY, 12), y + 11), relative=0)
    return draw


def test_a_link_broken_at_a_hyphen_or_inside_a_word_is_named() -> None:
    url = "https://example.org/important-patient-information"
    at_hyphen = findings(pdf(link_lines(["example.org/important-", "patient-information"], url)))
    assert rule(at_hyphen, "link-broken") == [
        "page 1: the link to example.org/important-patient-informati… breaks inside a word or at a hyphen: "
        "'g/important-' / 'patient-info' (give the link a short `display` to print) [link-broken]"]
    inside = findings(pdf(link_lines(["example.org/important-pat", "ient-information"], url)))
    assert len(rule(inside, "link-broken")) == 1


def test_a_printed_address_breaks_after_a_slash_or_before_a_hyphen_and_passes_the_rule() -> None:
    """What the renderers print for an address with no `display` is never what link-broken
    names: a piece too long for the line breaks before its hyphens, so each line after the first
    starts with the address's own hyphen (the Chicago Manual's rule) and none ends with one."""
    fonts.register()
    url = "https://example.org/coverage/therapeutic-shoes-and-inserts-for-people-with-diabetes"
    lines = url_lines(short_url(url), fonts.BODY, 12, 120)
    assert "".join(lines) == short_url(url)
    assert len(lines) > 2 and not any(line.endswith("-") for line in lines)
    assert any(line.startswith("-") for line in lines[1:])
    assert rule(findings(pdf(link_lines(lines, url))), "link-broken") == []


def test_a_link_broken_after_a_slash_passes() -> None:
    url = "https://example.org/important-patient-information"
    assert rule(findings(pdf(link_lines(["example.org/", "important-patient-information"], url))), "link-broken") == []


# --- page-space -----------------------------------------------------------------------------------

def half_page(canvas: Canvas) -> None:
    lines([PROSE[:60]] * 15)(canvas)


def test_a_half_empty_page_is_named_with_its_share() -> None:
    data = pdf(lines(["Cover"], size=24), full_page, half_page, full_page, lines(["Back cover"]))
    (found,) = rule(findings(data), "page-space")
    assert re.fullmatch(r"page 3: 5\d % of the page is empty \(limit 25 %\) \[page-space\]", found)
    # A two-page handout has no covers: a short first page counts, against the text area of both.
    assert rule(findings(pdf(half_page, full_page), "handout"), "page-space")[0].startswith("page 1: ")


def test_a_short_page_before_a_new_part_the_last_page_and_covers_pass() -> None:
    part = both(lines(["Part two"], size=18), lines([PROSE[:60]] * 30, top=TOP - 30))
    data = pdf(lines(["Cover"], size=24), full_page, half_page, part, half_page, full_page, half_page,
               lines(["Back cover"]))
    # Page 3 ends a part, page 7 comes before the back cover; page 5 is short for no reason.
    (found,) = rule(findings(data, titles=("Part two",)), "page-space")
    assert found.startswith("page 5: ")
    assert rule(findings(data, titles=("Part three",)), "page-space")[0].startswith("page 3: ")


def test_blank_pages_padding_a_booklet_pass() -> None:
    data = pdf(lines(["Cover"], size=24), full_page, half_page, lambda c: None, lines(["Back cover"]))
    assert rule(findings(data), "page-space") == []


# --- through the command line: a deck, a booklet, a severity made an error ------------------------

def test_a_shrunk_slide_run_and_a_shrunk_qr_code_are_warnings_then_errors(here: Path) -> None:
    deck = here / "slides/support-group.pptx"
    presentation = Presentation(str(deck))
    number, run_ = next((n, p.runs[0]) for n, slide in enumerate(presentation.slides, 1) for shape in slide.shapes
                        if shape.has_text_frame and not _furniture(shape)
                        for p in shape.text_frame.paragraphs if p.runs and p.runs[0].text.strip())
    run_.font.size = Pt(14)
    # Slide numbers may be small (12 pt), not smaller.
    numbers = [field for slide in presentation.slides for shape in slide.placeholders
               if shape.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER
               for field in shape.element.xpath(".//a:fld")]
    assert len(numbers) >= 2, "the deck has slide numbers"
    for field, size in zip(numbers[:2], ("1400", "1000"), strict=True):
        props = field.find(qn("a:rPr"))
        if props is None:
            props = field.makeelement(qn("a:rPr"), {})
            field.insert(0, props)
        props.set("sz", size)
    presentation.save(str(deck))
    booklet = here / "handouts/faq-booklet.pdf"
    shrink_first_qr(booklet, 0.6)
    result = run("check")
    assert f"slides/support-group.pptx: warning: slide {number}: text at 14 pt, under 24 pt" in result.output
    small = [line for line in result.output.splitlines() if "slide number or footer" in line]
    assert len(small) == 1 and "at 10 pt, under 12 pt" in small[0], result.output
    assert re.search(r"handouts/faq-booklet\.pdf: warning: page \d+: a QR code [\d.]+ pt across, under 56\.7 pt",
                     result.output), result.output
    edit(here / "content/settings.yaml", "language:", "rules:\n  text-size: error\nlanguage:")
    result = run("check")
    assert result.exit_code == 1, result.output
    assert f"slides/support-group.pptx: slide {number}: text at 14 pt, under 24 pt" in result.output


def _furniture(shape: BaseShape) -> bool:
    """A title, slide number, footer or date placeholder."""
    return shape.is_placeholder and shape.placeholder_format.type in (
        PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.FOOTER,
        PP_PLACEHOLDER.DATE)


def shrink_first_qr(path: Path, scale: float) -> None:
    """Draw the first QR code of the file smaller: its path, scaled about its corner."""
    with pikepdf.open(path, allow_overwriting_input=True) as doc:
        for page in doc.pages:
            ops = pikepdf.parse_content_stream(page)
            rects = [i for i, (_operands, op) in enumerate(ops) if str(op) == "re"]
            if len(rects) < 100:
                continue
            x0 = min(float(ops[i][0][0]) for i in rects)
            y0 = min(float(ops[i][0][1]) for i in rects)
            out = []
            for operands, op in ops:
                if str(op) == "re":
                    x, y, w, h = (float(v) for v in operands)
                    operands = [x0 + (x - x0) * scale, y0 + (y - y0) * scale, w * scale, h * scale]
                out.append(pikepdf.ContentStreamInstruction(operands, op))
            page.Contents = doc.make_stream(pikepdf.unparse_content_stream(out))
            break
        doc.save(path)
