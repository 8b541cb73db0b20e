"""The FAQ booklet read back as a reader sees it: half-letter pages in fours, every question and
fact in print, an outline and a contents page that lead to the sections, folios that count
physical pages, type large enough, and a clear `file:line` failure for an unprintable character."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from clearfacts.content.loader import load_content
from clearfacts.errors import ContentError
from clearfacts.model import Chart, ContentSet, Questions, Text
from clearfacts.options import options_for
from clearfacts.render.pdf.booklet import render_booklet
from clearfacts.verify.normalise import normalise
from conftest import edit, line_of, run, stamp_for

FOOT = 45  # pt from the bottom edge: only folios print this low
HEAD = 612 - 45  # … and only running heads this high (on the 612 pt half-letter page)


def render(content: ContentSet, paper: str | None = None) -> bytes:
    options = options_for(content, paper, None)
    return render_booklet(content, options, stamp_for(content, options, "booklet"))


def questions(content: ContentSet) -> Questions:
    return next(b for s in content.booklet.sections for b in s.blocks if isinstance(b, Questions))


def texts_by_page(pdf: bytes) -> list[str]:
    return [normalise(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def band(pdf: bytes, low: float, high: float) -> list[str]:
    """Per page, the text whose baseline lies between `low` and `high` pt from the bottom edge."""
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found: list[str] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object, found: list[str] = found) -> None:
            if low <= tm[5] * cm[3] + cm[5] <= high:
                found.append(text)

        page.extract_text(visitor_text=visit)
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
    text = " ".join(texts_by_page(letter))
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


def test_blank_pages_go_just_before_the_back_cover(bundled: ContentSet) -> None:
    seen_blanks = set()
    for count in range(1, len(bundled.booklet.sections) + 1, 3):
        short = dataclasses.replace(bundled.booklet, sections=bundled.booklet.sections[:count])
        pdf = render(dataclasses.replace(bundled, booklet=short))
        pages = texts_by_page(pdf)
        assert len(pages) % 4 == 0
        assert bundled.settings.organisation.phone in pages[-1]
        blanks = [n for n, text in enumerate(pages) if not text]
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
    assert min(round(c["size"], 2) for c in in_text_area) >= 11
    body = [c for c in in_text_area if c["size"] >= 12]
    assert len(body) / len(in_text_area) > 0.8
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
    section = dataclasses.replace(first, blocks=(*first.blocks, chart))
    booklet = dataclasses.replace(bundled.booklet, sections=(section, *bundled.booklet.sections[1:]))
    text = texts_by_page(render(dataclasses.replace(bundled, booklet=booklet)))[2]
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
