"""The FAQ booklet read back as a reader sees it: half-letter pages in fours, every question and
fact in print, an outline and a contents page that lead to the sections, folios that count
physical pages, type large enough, and a clear `file:line` failure for an unprintable character."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from msgspec.structs import replace
from pypdf import PdfReader
from reportlab.platypus import Spacer

from clearfacts.content.loader import load_content
from clearfacts.errors import ContentError
from clearfacts.model import Chart, ContentSet, Paragraph, Questions, Table, Terms, Text
from clearfacts.options import options_for
from clearfacts.render import fonts
from clearfacts.render.labels import labels_for
from clearfacts.render.pdf.booklet import render_booklet
from clearfacts.render.pdf.booklet_blocks import block_flowables, heading
from clearfacts.render.pdf.booklet_flow import start_height
from clearfacts.render.pdf.columns import Cell, column_widths
from clearfacts.verify.normalise import normalise
from conftest import edit, line_of, run, stamp_for

FOOT = 40  # pt from the bottom edge: only folios print this low
HEAD = 612 - 40  # … and only running heads this high (on the 612 pt half-letter page)


def render(content: ContentSet, paper: str | None = None) -> bytes:
    options = options_for(content, paper, None)
    return render_booklet(content, options, stamp_for(content, options, "booklet"))


def questions(content: ContentSet) -> Questions:
    return next(b for s in content.booklet.sections for b in s.blocks if isinstance(b, Questions))


def texts_by_page(pdf: bytes) -> list[str]:
    return [normalise(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def band(pdf: bytes, low: float, high: float) -> list[str]:
    """Per page, the text whose baseline lies between `low` and `high` pt from the bottom edge,
    wherever it is drawn from (the contents page's numbers are form XObjects); a space PDFium
    puts between words goes with the word before it."""
    out = []
    doc = pdfium.PdfDocument(pdf)
    x, y = ctypes.c_double(), ctypes.c_double()
    for page in doc:
        textpage = page.get_textpage()
        found: list[str] = []
        inside = False
        for index in range(textpage.count_chars()):
            if pdfium_c.FPDFText_GetTextObject(textpage.raw, index):
                pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
                inside = low <= y.value <= high
            if inside:
                found.append(textpage.get_text_range(index, 1))
        out.append(normalise("".join(found)))
    return out


def folios(pdf: bytes) -> list[str]:
    return band(pdf, 0, FOOT)


def heads(pdf: bytes) -> list[str]:
    return band(pdf, HEAD, 10_000)


def bodies(pdf: bytes) -> list[str]:
    return band(pdf, FOOT, HEAD)


@pytest.fixture(scope="module")
def letter(bundled: ContentSet) -> bytes:
    return render(bundled)


@pytest.mark.parametrize(("paper", "size"), [("letter", (396, 612)), ("a4", (420, 595))])
def test_half_letter_by_default_a5_on_a4_and_pages_in_fours(bundled: ContentSet, paper: str,
                                                            size: tuple[int, int]) -> None:
    reader = PdfReader(io.BytesIO(render(bundled, paper)))
    assert len(reader.pages) >= 8
    assert len(reader.pages) % 4 == 0
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size


def test_every_question_and_every_fact_is_in_print(bundled: ContentSet, letter: bytes) -> None:
    text = " ".join(bodies(letter))  # a paragraph may run onto the next page, past its head and folio
    faqs = questions(bundled).items
    assert len(faqs) == 8
    for faq in faqs:
        assert normalise(faq.question.text) in text
        for answer in faq.answer:
            assert normalise(answer.text) in text
    for fact_id in bundled.booklet.fact_ids():
        assert normalise(bundled.facts[fact_id].display) in text, fact_id


def test_cover_contents_and_back_page(bundled: ContentSet, letter: bytes) -> None:
    pages = texts_by_page(letter)
    org = bundled.settings.organisation
    assert normalise(bundled.booklet.title.text) in pages[0]
    assert org.name in pages[0] and normalise("Reviewed: November 20, 2026") in pages[0]
    assert pages[1].startswith("Contents")
    back = pages[-1]
    for line in (org.name, org.phone, org.email, org.website, bundled.notices.disclaimer.text,
                 bundled.notices.endorsement.text, bundled.notices.source_line.text, "Reviewed: November 20, 2026"):
        assert normalise(line) in back


def test_outline_lists_each_section_with_its_questions_nested(bundled: ContentSet, letter: bytes) -> None:
    reader = PdfReader(io.BytesIO(letter))
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == [s.title.text for s in bundled.booklet.sections]
    nested = [item for item in reader.outline if isinstance(item, list)]
    assert len(nested) == 1
    assert [item.title for item in nested[0]] == [q.question.text for q in questions(bundled).items]
    pages = texts_by_page(letter)
    for item in top + nested[0]:
        assert normalise(item.title) in pages[reader.get_destination_page_number(item)]


def test_contents_page_numbers_link_to_their_sections(bundled: ContentSet, letter: bytes) -> None:
    reader = PdfReader(io.BytesIO(letter))
    page_of = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    links = [a.get_object() for a in reader.pages[1]["/Annots"]]
    pages = texts_by_page(letter)
    targets = [page_of[link["/Dest"][0].idnum] for link in links]
    assert len(targets) == 2 * len(bundled.booklet.sections)  # the title and the number both link
    for section, target in zip(bundled.booklet.sections, targets[::2], strict=True):
        assert normalise(section.title.text) in pages[target - 1]
        assert f"{normalise(section.title.text)} {target}" in pages[1]


def test_folios_are_physical_page_numbers_except_on_covers_and_blanks(letter: bytes) -> None:
    found = folios(letter)
    texts = texts_by_page(letter)
    assert found[0] == "" and found[-1] == ""
    for number, folio in enumerate(found[1:-1], 2):
        assert folio == (str(number) if texts[number - 1] else "")


def test_running_head_names_the_section_the_page_opens_in(letter: bytes) -> None:
    reader = PdfReader(io.BytesIO(letter))
    starts = [(reader.get_destination_page_number(item) + 1, normalise(item.title))
              for item in reader.outline if not isinstance(item, list)]
    pages = list(zip(heads(letter), bodies(letter), strict=True))
    for number, (head, body) in enumerate(pages[2:-1], 3):
        opening = next((title for page, title in starts if page == number and body.startswith(title)), None)
        before = [title for page, title in starts if page < number]
        assert head == ((opening or before[-1]) if body else ""), f"page {number}"


def test_pages_that_pad_the_count_are_ruled_notes_pages_just_before_the_back_cover(bundled: ContentSet) -> None:
    """The pages that make the count a multiple of four say "Notes" and nothing else (they are
    ruled for writing), and come right before the back cover."""
    seen_blanks = set()
    for count in range(1, len(bundled.booklet.sections) + 1, 3):
        short = replace(bundled.booklet, sections=bundled.booklet.sections[:count])
        pdf = render(replace(bundled, booklet=short))
        pages = texts_by_page(pdf)
        assert len(pages) % 4 == 0
        assert bundled.settings.organisation.phone in pages[-1]
        blanks = [n for n, text in enumerate(pages) if text.strip() == "Notes"]
        assert not any(not text.strip() for text in pages)  # no page is left empty
        assert blanks == list(range(len(pages) - 1 - len(blanks), len(pages) - 1))
        seen_blanks.add(len(blanks))
    assert len(seen_blanks) > 1


def test_no_heading_ends_a_page(bundled: ContentSet, letter: bytes) -> None:
    headings = [normalise(s.title.text) for s in bundled.booklet.sections]
    headings += [normalise(q.question.text) for q in questions(bundled).items]
    for number, body in enumerate(bodies(letter), 1):
        assert not any(body.endswith(h) for h in headings), f"page {number} ends with a heading"


def test_type_is_large_enough_and_fonts_are_embedded(letter: bytes) -> None:
    with pdfplumber.open(io.BytesIO(letter)) as doc:
        chars = [c for page in doc.pages for c in page.chars if not c["text"].isspace()]
        height = doc.pages[0].height
    assert min(c["size"] for c in chars) >= 9
    in_text_area = [c for c in chars if 50 < c["top"] < height - 50]
    assert min(round(c["size"], 2) for c in in_text_area) >= 12  # table cells too
    assert {c["fontname"].split("+")[-1] for c in chars} == {"AtkinsonHyperlegible-Regular",
                                                                "AtkinsonHyperlegible-Bold"}
    for page in PdfReader(io.BytesIO(letter)).pages:
        for font in page["/Resources"]["/Font"].values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"], font.get_object()["/BaseFont"]


def test_metadata_and_stamp(bundled: ContentSet, letter: bytes) -> None:
    reader = PdfReader(io.BytesIO(letter))
    meta = reader.metadata
    assert meta.title == bundled.booklet.title.text
    assert meta.author == bundled.settings.organisation.name
    assert meta.subject == bundled.booklet.subtitle.text
    assert meta["/Keywords"] == stamp_for(bundled, options_for(bundled, None, None), "booklet")
    assert reader.root_object["/Lang"] == "en-US"


def test_two_renders_are_byte_identical(bundled: ContentSet, letter: bytes) -> None:
    assert render(bundled) == letter


def test_a_chart_prints_as_a_table_of_its_registry_values(bundled: ContentSet) -> None:
    loc = bundled.booklet.loc
    facts = (bundled.facts["trial.msc_rate"], bundled.facts["trial.control_rate"])
    chart = Chart(Text("Who went on to get DPN", (), loc), Text("Share of people", (), loc),
                  (Text("Got MSCs", (), loc), Text("Control group", (), loc)), facts, loc)
    first = bundled.booklet.sections[0]
    section = replace(first, blocks=(*first.blocks, chart))
    booklet = replace(bundled.booklet, sections=(section, *bundled.booklet.sections[1:]))
    text = texts_by_page(render(replace(bundled, booklet=booklet)))[2]
    assert "Who went on to get DPN Share of people" in text
    for category, fact in zip(("Got MSCs", "Control group"), facts, strict=True):
        assert f"{category} {normalise(fact.display)}" in text


def test_markup_in_content_prints_literally(project: Path) -> None:
    path = project / "content/booklet.yaml"
    edit(path, "Read it at your own pace.", "Read it at <b>your</b> own pace & <img src='x'/>.")
    text = " ".join(texts_by_page(render(load_content(Path("content")))))
    assert "Read it at <b>your</b> own pace & <img src='x'/>." in text


@pytest.mark.parametrize(("file", "needle", "new"), [
    ("booklet.yaml", "Read it at your own pace.", "Read it at your own pace ✓."),
    ("library.yaml", "How much does it cost?", "How much does it cost ✓?"),
])
def test_a_character_the_font_lacks_is_refused_with_its_line(project: Path, file: str, needle: str, new: str) -> None:
    path = project / "content" / file
    edit(path, needle, new)
    with pytest.raises(ContentError) as caught:
        render(load_content(Path("content")))
    assert f"content/{file}:{line_of(path, new)}:" in str(caught.value)
    assert "U+2713" in str(caught.value)


def test_cli_failed_build_leaves_both_booklet_pdfs_untouched(built: Path) -> None:
    before = {name: (built / name).read_bytes() for name in ("handouts/faq-booklet.pdf",
                                                             "handouts/faq-booklet-print.pdf")}
    path = built / "content/booklet.yaml"
    edit(path, "Read it at your own pace.", "Read it at your own pace ✓.")
    result = run("build")
    assert result.exit_code == 2
    assert f"content/booklet.yaml:{line_of(path, '✓')}:" in result.stderr
    assert {name: (built / name).read_bytes() for name in before} == before


# --- the design: cover, main message, page fill, tables, QR codes ---------------------------------

SPANISH = Path(__file__).resolve().parent / "fixtures" / "spanish"
MAX_EMPTY = 0.25  # of a page's text area: more is a page that ends too early
MARGIN = 0.6 * 72  # the text area's distance from the top and the foot of a page (booklet_pages)
DRAWN = (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH)
Booklets = dict[tuple[str, str], tuple[ContentSet, bytes]]


@pytest.fixture(scope="module")
def booklets(bundled: ContentSet) -> Booklets:
    """English and Spanish, on Letter and A4: the content and its booklet."""
    spanish = load_content(SPANISH).in_language("es-US")
    return {(c.settings.language, paper): (c, render(c, paper)) for c in (bundled, spanish)
            for paper in ("letter", "a4")}


def boxes(page: pdfium.PdfPage, kinds: tuple[int, ...]) -> list[tuple[float, float, float, float]]:
    """The boxes (left, bottom, right, top) of the page's objects of these kinds, forms opened."""
    return [obj.get_bounds() for obj in page.get_objects(filter=list(kinds), max_depth=3)]


def empty_share(page: pdfium.PdfPage) -> float:
    """How much of the text area is left empty below the last text, image or drawing on the page
    (the running head and folio, outside the text area, do not count)."""
    height = page.get_size()[1]
    drawn = [b for b in boxes(page, DRAWN) if b[3] > MARGIN - 6 and b[1] < height - MARGIN]
    if not drawn:
        return 1.0
    return max(0.0, min(b[1] for b in drawn) - MARGIN) / (height - 2 * MARGIN)


def part_starts(content: ContentSet, pdf: bytes) -> set[int]:
    """1-based pages that a new part (a section with new_page) opens at the top of."""
    reader = PdfReader(io.BytesIO(pdf))
    top = [item for item in reader.outline if not isinstance(item, list)]
    texts = bodies(pdf)
    starts = set()
    for section, item in zip(content.booklet.sections, top, strict=True):
        index = reader.get_destination_page_number(item)
        if section.new_page and texts[index].startswith(normalise(section.title.text)):
            starts.add(index + 1)
    return starts


def ends_short(content: ContentSet, pdf: bytes) -> dict[int, float]:
    """Pages (1-based) whose text ends more than MAX_EMPTY short, leaving out the covers, the last
    page of the last part, the notes pages after it and the page before a part that opens on a
    new page."""
    texts = texts_by_page(pdf)
    notes = labels_for(content)("notes_page")
    last = max(n for n, text in enumerate(texts[:-1], 1) if text and text.strip() != notes)
    exempt = {1, last, *(n - 1 for n in part_starts(content, pdf))}
    doc = pdfium.PdfDocument(pdf)
    shares = {n: round(empty_share(doc[n - 1]), 2) for n in range(2, last + 1) if n not in exempt}
    return {n: share for n, share in shares.items() if share > MAX_EMPTY}


@pytest.mark.parametrize("language", ["en-US", "es-US"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_no_page_ends_more_than_a_quarter_empty_except_before_a_new_part(booklets: Booklets, language: str,
                                                                          paper: str) -> None:
    content, pdf = booklets[(language, paper)]
    assert ends_short(content, pdf) == {}
    assert any(section.new_page for section in content.booklet.sections)


def test_a_page_that_ends_early_is_seen(bundled: ContentSet) -> None:
    """The measure itself: each section forced to open a page (without being a part) leaves pages
    that end short, and the check names them."""
    booklet = bundled.booklet
    forced = replace(booklet, sections=tuple(replace(s, new_page=True)
                                                         for s in booklet.sections))
    pdf = render(replace(bundled, booklet=forced))
    assert ends_short(bundled, pdf)


def test_a_heading_stays_with_its_text_even_when_that_text_is_longer_than_a_page(bundled: ContentSet) -> None:
    """An introduction ending in ":" keeps with what follows like a heading; when together they are
    taller than a page the heading does not move on alone to a page of its own: it starts the text."""
    section = bundled.booklet.sections[2]
    intro = Paragraph(Text("A sentence that goes on for a while, about nothing much. " * 60 + "These are:", (),
                           section.loc))
    sections = list(bundled.booklet.sections)
    sections[2] = replace(section, blocks=(intro, *section.blocks))
    pdf = render(replace(bundled, booklet=replace(bundled.booklet, sections=tuple(sections))))
    reader = PdfReader(io.BytesIO(pdf))
    heading = next(item for item in reader.outline if not isinstance(item, list) and item.title == section.title.text)
    page = bodies(pdf)[reader.get_destination_page_number(heading)]
    title = normalise(section.title.text)
    assert page.endswith("A sentence that goes on for a while, about nothing much.")
    assert page[page.rindex(title):].startswith(f"{title} A sentence that goes on")


def test_a_heading_over_a_list_of_terms_keeps_room_for_a_whole_first_definition(bundled: ContentSet) -> None:
    """reportlab keeps a term with its definition, so a heading with room under it for the term
    alone was left at the foot of a page with its list starting overleaf ("Words to know" on
    page 14 of the bundled booklet): the room a heading asks for counts the whole definition."""
    fonts.register()
    terms = next(b for s in bundled.booklet.sections for b in s.blocks if isinstance(b, Terms))
    width = 300.0
    head = heading("Words to know", "w", 0)
    term, definition, *_ = block_flowables(terms, "w", width, lambda url: Spacer(1, 1))

    def tall(f: object) -> float:
        return f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()  # type: ignore[attr-defined]

    room = sum(tall(f) for f in head[1:]) + tall(term) + 1  # the term fits under the heading, not its definition
    assert tall(definition) > 1
    assert start_height([*head[1:], term, definition], width, room) == pytest.approx(room - 1 + tall(definition))


@pytest.mark.parametrize("language", ["en-US", "es-US"])
def test_cover_carries_title_main_message_organisation_and_review_date(booklets: Booklets, language: str) -> None:
    content, pdf = booklets[(language, "letter")]
    cover = texts_by_page(pdf)[0]
    message = normalise(content.booklet.key_message.text)
    assert normalise(content.facts["fda.neuropathy"].display) in message  # the registry's claim, not a retyped one
    for line in (content.booklet.title.text, message, content.settings.organisation.name):
        assert normalise(line) in cover
    assert ("Reviewed: November 20, 2026" if language == "en-US" else "Revisado: 20 de noviembre de 2026") in cover
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        words = doc.pages[0].extract_words(extra_attrs=["fontname", "size"])
    wanted = message.split()
    at = next(i for i in range(len(words)) if [w["text"] for w in words[i:i + len(wanted)]] == wanted)
    shown = words[at:at + len(wanted)]
    assert all(w["size"] >= 14 and "Bold" in w["fontname"] for w in shown)  # large and bold, as printed
    assert shown[0]["top"] < words[-1]["top"]  # above who made the booklet, at the cover's foot


def font_sizes(pdf: bytes) -> dict[str, list[float]]:
    """Each word the booklet prints in its text area, with its size at every place it prints it,
    read with PDFium."""
    sizes: dict[str, list[float]] = {}
    for page in pdfium.PdfDocument(pdf):
        text, height = page.get_textpage(), page.get_size()[1]
        word, size = "", 99.0
        for i in range(text.count_chars() + 1):
            char = text.get_text_range(i, 1) if i < text.count_chars() else " "
            if char.isalpha() and not MARGIN <= text.get_charbox(i)[1] <= height - MARGIN:
                continue  # a running head or folio: furniture, not what the table prints
            if char.isalpha():
                word, size = word + char, min(size, pdfium_c.FPDFText_GetFontSize(text.raw, i))
            elif word:
                sizes.setdefault(word, []).append(size)
                word, size = "", 99.0
    return sizes


@pytest.mark.parametrize("language", ["en-US", "es-US"])
def test_every_table_cell_prints_at_12_pt_or_more_with_its_guide_under_it(booklets: Booklets, language: str) -> None:
    content, pdf = booklets[(language, "letter")]
    table = next(b for s in content.booklet.sections for b in s.blocks if isinstance(b, Table))
    words = {w for cell in (*table.columns, *(c for row in table.rows for c in row)) for w in cell.text.split()
             if len(w) > 3 and w.isalpha()}
    sizes = font_sizes(pdf)
    assert words <= set(sizes)
    assert min(size for word in words for size in sizes[word]) >= 12
    guide, last = normalise(table.guide.text), normalise(table.rows[-1][0].text)
    page = next(text for text in bodies(pdf) if last in text)
    assert guide in page and page.index(guide) > page.index(last)


def test_columns_are_sized_from_their_text_not_equal_thirds(bundled: ContentSet) -> None:
    table = next(b for s in bundled.booklet.sections for b in s.blocks if isinstance(b, Table))
    cells = [[Cell(c, fonts.BODY_BOLD) for c in table.columns]]
    cells += [[Cell(c, fonts.BODY) for c in row] for row in table.rows]
    widths = column_widths(cells, 12, 306, 5, "en-US")
    assert round(sum(widths)) == 306 and max(widths) - min(widths) > 10

    def lines(ws: list[float]) -> int:
        return sum(max(len(fonts.wrap(c.text.text, c.font, 12, w - 11)) for c, w in zip(row, ws, strict=True))
                   for row in cells)

    assert lines(widths) < lines([102.0] * 3)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_qr_codes_are_one_size_at_least_2_cm_and_line_up(booklets: Booklets, paper: str) -> None:
    _, pdf = booklets[("en-US", paper)]
    codes = [box for page in pdfium.PdfDocument(pdf) for box in boxes(page, (pdfium_c.FPDF_PAGEOBJ_PATH,))
             if abs((box[2] - box[0]) - (box[3] - box[1])) < 1 and box[2] - box[0] > 40]
    assert len(codes) == 2  # the two links with qr: "yes"
    sides = [box[2] - box[0] for box in codes]  # the dark modules' extent: the same grid, the same size
    assert max(sides) - min(sides) <= 0.5 and min(sides) >= 2 / 2.54 * 72
    assert len({round(box[0], 1) for box in codes}) == 1  # one column: the labels beside them line up


@pytest.mark.parametrize(("where", "old", "new", "message"), [
    ("booklet.yaml", '      - table: "treatments"\n',
     '      - text: "x"\n        guide: "y"\n      - table: "treatments"\n', "'guide' goes with a 'table' block"),
    ("booklet.yaml", 'new_page: "yes"', 'new_page: "soon"', "'new_page' in section must be \"yes\" or \"no\""),
    ("handout.yaml", "sections:", 'key_message: "x"\nsections:', "unknown key 'key_message'"),
])
def test_booklet_design_fields_are_checked_with_their_line(project: Path, where: str, old: str, new: str,
                                                           message: str) -> None:
    path = project / "content" / where
    edit(path, old, new)
    result = run("check")
    assert result.exit_code == 2
    wrong = next(line for line in new.splitlines() if "guide" in line or "new_page" in line or "key_message" in line)
    assert f"content/{where}:{line_of(path, wrong.strip())}:" in result.stderr
    assert message in result.stderr
