"""The support-group deck, read back with python-pptx (and LibreOffice) the way a facilitator or a
screen reader would meet it: slides, titles, notes, sizes, chart values, alt text, bytes."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
import xlsxwriter.core
from msgspec.structs import replace
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.presentation import Presentation as Deck
from pptx.text.text import _Run
from pptx.util import Emu, Inches, Pt

from clearfacts.content.loader import load_content
from clearfacts.errors import ContentError
from clearfacts.formats import by_key
from clearfacts.model import Bullets, Chart, ContentSet, Links, NextMeeting, Questions, Section, Terms, Text
from clearfacts.options import BuildOptions
from clearfacts.render.pptx.deck import render_deck
from clearfacts.render.urls import short_url
from clearfacts.verify.check import check_output
from clearfacts.verify.read_pptx import read_pptx
from conftest import BUNDLED, edit, line_of, run

WHEN = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
STAMP = "clearfacts-stamp-0123456789abcdef0123-01234567-letter"
WIDE = (Emu(12192000), Emu(6858000))
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
CREAM = RGBColor(0xFF, 0xF8, 0xE7)


def render(content_dir: Path = BUNDLED, template: Path | None = None) -> bytes:
    return render_deck(load_content(content_dir), BuildOptions("letter", template, WHEN), STAMP)


@pytest.fixture(scope="module")
def content(bundled: ContentSet) -> ContentSet:
    return bundled


@pytest.fixture(scope="module")
def data() -> bytes:
    return render()


@pytest.fixture(scope="module")
def deck(data: bytes) -> Deck:
    return Presentation(io.BytesIO(data))


def title_of(slide: object) -> str:
    return next(ph for ph in slide.placeholders if ph.placeholder_format.type in TITLES).text_frame.text


def slide_text(slide: object) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        elif shape.has_table:
            parts += [cell.text for cell in shape.table.iter_cells()]
    return "\n".join(parts)


def runs(shape: object) -> Iterator[_Run]:
    frames = [shape.text_frame] if shape.has_text_frame else []
    if getattr(shape, "has_table", False) and shape.has_table:
        frames += [cell.text_frame for cell in shape.table.iter_cells()]
    for frame in frames:
        for paragraph in frame.paragraphs:
            yield from paragraph.runs


def furniture(slide: object) -> list[object]:
    """The slide-number and date placeholders."""
    return [s for s in slide.placeholders if s.placeholder_format.type in (PP_PLACEHOLDER.SLIDE_NUMBER,
                                                                           PP_PLACEHOLDER.DATE)]


def section_number(content: ContentSet, section_id: str) -> tuple[int, Section]:
    return next((n, s) for n, s in enumerate(content.deck.sections, 1) if s.id == section_id)


# --- what a facilitator and a screen reader meet ------------------------------------------------

def test_deck_is_16_9_with_one_slide_per_section(deck: Deck, content: ContentSet) -> None:
    assert (deck.slide_width, deck.slide_height) == WIDE
    assert len(deck.slides) == len(content.deck.sections) >= 12


def test_every_slide_has_a_unique_title_in_its_title_placeholder(deck: Deck, content: ContentSet) -> None:
    titles = [title_of(slide) for slide in deck.slides]
    assert all(t.strip() for t in titles)
    assert len(set(titles)) == len(titles)
    assert titles[0] == content.deck.title.text
    assert titles[1:] == [s.title.text for s in content.deck.sections[1:]]


def test_title_slide_shows_subtitle_and_meeting_details(deck: Deck, content: ContentSet) -> None:
    text = slide_text(deck.slides[0])
    meeting = content.settings.meeting
    for part in (content.deck.subtitle.text, meeting.group, meeting.date, meeting.time, meeting.place,
                 meeting.facilitator):
        assert part in text
    assert deck.slides[0].slide_layout.name == "Title Slide"
    assert {s.slide_layout.name for s in list(deck.slides)[1:]} == {"Title Only"}


def test_every_slide_has_speaker_notes(deck: Deck, content: ContentSet) -> None:
    for n, (slide, section) in enumerate(zip(deck.slides, content.deck.sections, strict=True), 1):
        notes = slide.notes_slide.notes_text_frame.text
        assert notes == section.notes.text
        assert n == 1 or len(notes) >= 40, f"slide {n} notes too short"


def test_chart_plots_the_registry_values_and_the_slide_states_them(deck: Deck, content: ContentSet) -> None:
    n, section = section_number(content, "long-trial")
    block = next(b for b in section.blocks if isinstance(b, Chart))
    frame = next(s for s in deck.slides[n - 1].shapes if s.has_chart)
    plot = frame.chart.plots[0]
    values = tuple(plot.series[0].values)
    assert values == tuple(float(f.value) for f in block.values) == (10.3, 48.3)
    assert tuple(plot.categories) == tuple(c.text for c in block.categories)
    assert plot.has_data_labels and plot.data_labels.show_value
    assert plot.data_labels.number_format == '0.0"%"'
    text = slide_text(deck.slides[n - 1])
    assert "10.3%" in text and "48.3%" in text
    assert "single trial" in text  # the caveat stays beside the numbers
    assert "10.3%" in _descr(frame) and "48.3%" in _descr(frame)


def test_chart_text_is_at_least_18_pt(deck: Deck) -> None:
    charts = [s.chart for slide in deck.slides for s in slide.shapes if s.has_chart]
    assert charts
    for chart in charts:
        sizes = [int(v) for v in chart._chartSpace.xpath(".//a:defRPr/@sz | .//a:rPr/@sz")]
        assert sizes and min(sizes) >= 1800
        assert chart.plots[0].data_labels.font.size >= Pt(24)


def test_treatments_are_a_native_table(deck: Deck, content: ContentSet) -> None:
    n, _ = section_number(content, "other-treatments")
    tables = [s.table for s in deck.slides[n - 1].shapes if s.has_table]
    assert len(tables) == 1
    assert len(tables[0].rows) == 1 + len(content.deck.sections[n - 1].blocks[0].rows)


def test_qr_codes_have_alt_text_and_their_urls_beside_them(deck: Deck, content: ContentSet) -> None:
    n, section = section_number(content, "resources")
    links = [link for b in section.blocks if isinstance(b, Links) for link in b.items]
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == sum(link.qr for link in links)
    for picture in pictures:
        descr = _descr(picture)
        assert descr.startswith("QR code that opens") and not descr.lower().endswith(".png")
    slide = deck.slides[n - 1]
    addresses = {r.hyperlink.address for s in slide.shapes for r in runs(s) if r.hyperlink.address}
    assert addresses == {link.url for link in links}
    printed = ["".join(r.text for r in runs(s) if r.hyperlink.address) for s in slide.shapes]
    typed = {link.display.text if link.display else short_url(link.url) for link in links}  # display: what to type
    assert typed <= set(printed)
    assert content.notices.endorsement.text in slide_text(slide)


def test_text_sizes_meet_the_legibility_floor(deck: Deck) -> None:
    """Titles 36 pt and up, body text (links too) 24 pt and up, tables 20 pt and up; the slide
    number and the review date, in their footer placeholders, 20 pt."""
    for n, slide in enumerate(deck.slides, 1):
        for shape in slide.shapes:
            is_title = shape.is_placeholder and shape.placeholder_format.type in TITLES
            for r in runs(shape):
                assert r.font.size is not None, f"slide {n}: '{r.text}' has no explicit size"
                floor = 36 if is_title else 20 if shape.has_table or shape in furniture(slide) else 24
                assert r.font.size >= Pt(floor), f"slide {n}: '{r.text}' at {r.font.size.pt} pt"


def test_text_is_arial_in_fixed_wrapping_frames(deck: Deck) -> None:
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:  # not a divider's empty accent rule
                assert shape.text_frame.auto_size == MSO_AUTO_SIZE.NONE
                assert shape.text_frame.word_wrap is True
            assert all(r.font.name == "Arial" for r in runs(shape))


def test_shapes_stay_on_the_slide_and_do_not_overlap(deck: Deck) -> None:
    for n, slide in enumerate(deck.slides, 1):
        boxes = [(s.name, s.left, s.top, s.left + s.width, s.top + s.height) for s in slide.shapes]
        for name, left, top, right, bottom in boxes:
            assert left >= 0 and top >= 0 and right <= deck.slide_width and bottom <= deck.slide_height, (n, name)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
                assert apart, f"slide {n}: {a[0]} overlaps {b[0]}"


def test_core_properties_come_from_the_content_and_carry_the_stamp(deck: Deck, content: ContentSet) -> None:
    props = deck.core_properties
    assert props.keywords == STAMP
    assert props.title == content.deck.title.text
    assert props.author == content.settings.organisation.name
    assert props.language == content.settings.language
    assert props.created == props.modified == WHEN.replace(tzinfo=None)
    assert props.revision == 1


def test_terms_and_questions_lead_with_bold_text(content: ContentSet) -> None:
    """The deck content uses neither today, but a writer may: each item starts with a bold lead."""
    found = {type(b): b for d in content.documents() for s in d.sections for b in s.blocks}
    terms, questions = found[Terms], found[Questions]
    blocks = (replace(terms, items=terms.items[:2]),
              replace(questions, items=questions.items[:1]))
    sections = list(content.deck.sections)
    sections[1] = replace(sections[1], blocks=blocks)
    changed = replace(content, deck=replace(content.deck, sections=tuple(sections)))
    slide = Presentation(io.BytesIO(render_deck(changed, BuildOptions("letter", None, WHEN), STAMP))).slides[1]
    leads = [p.runs[0] for s in slide.shapes if not s.is_placeholder for p in s.text_frame.paragraphs]
    assert [r.text for r in leads if r.font.bold] == [f"{terms.items[0].term.text}: ", f"{terms.items[1].term.text}: ",
                                                      questions.items[0].question.text]


# --- layouts chosen from the content -------------------------------------------------------------

def test_every_slide_but_the_title_has_its_number_in_a_slide_number_field(deck: Deck) -> None:
    assert not furniture(deck.slides[0])
    for n, slide in enumerate(list(deck.slides)[1:], 2):
        numbers = [s for s in slide.placeholders if s.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER]
        assert len(numbers) == 1, f"slide {n}"
        fields = numbers[0]._element.xpath(".//a:fld[@type='slidenum']/a:t/text()")
        assert fields == [str(n)], f"slide {n}: {fields}"


def test_body_text_is_one_size_across_the_deck(deck: Deck, content: ContentSet) -> None:
    """28 pt on every slide (the fixture fits at 28): no slide drops to 26 while the others keep 28."""
    sizes = {}
    for n, slide in enumerate(list(deck.slides)[1:], 2):
        for shape in slide.shapes:
            if shape.is_placeholder or shape.has_table or shape.name in ("Key figure", "Call-out"):
                continue  # titles, footers, tables, key figures and the closing panel have their own sizes
            sizes.update({(n, r.text): r.font.size.pt for r in runs(shape) if not r.hyperlink.address})
    assert sizes and set(sizes.values()) == {28.0}, {k: v for k, v in sizes.items() if v != 28.0}


def test_a_key_figure_gets_a_big_number_slide_with_its_caveat(deck: Deck, content: ContentSet) -> None:
    n, section = section_number(content, "trial-length")
    slide = deck.slides[n - 1]
    figures = [s for s in slide.shapes if s.name == "Key figure"]
    assert [f.text_frame.text for f in figures] == [content.facts["trial.years"].display]
    assert all(r.font.size >= Pt(54) and r.font.bold for f in figures for r in runs(f))
    text = slide_text(slide)
    assert "prevention, not treatment" in text and "one trial at one center" in text
    caption = next(s for s in slide.shapes if s.has_text_frame and "followed" in s.text_frame.text)
    assert caption.top >= figures[0].top + figures[0].height  # the caption under its figure


def test_the_chart_has_two_bar_colours_and_a_label_on_each_bar(deck: Deck, content: ContentSet) -> None:
    n, _ = section_number(content, "long-trial")
    frame = next(s for s in deck.slides[n - 1].shapes if s.has_chart)
    series = frame.chart.plots[0].series[0]
    colours = [series.format.fill.fore_color.rgb, series.points[1].format.fill.fore_color.rgb]
    assert colours[0] != colours[1]
    labels = frame.chart.plots[0].data_labels
    assert labels.show_value and labels.font.size >= Pt(28)
    axis = frame.chart.category_axis
    assert axis.visible and axis.tick_labels.font.size >= Pt(24)  # each bar named under it
    assert frame.width >= 0.55 * (deck.slide_width - 2 * Inches(0.75))  # most of the slide's width


def test_a_section_without_blocks_is_a_divider(deck: Deck, content: ContentSet) -> None:
    dividers = [(n, s) for n, s in enumerate(content.deck.sections, 1) if n > 1 and not s.blocks]
    assert dividers
    for n, section in dividers:
        slide = deck.slides[n - 1]
        title = next(s for s in slide.placeholders if s.placeholder_format.type in TITLES)
        assert title.text_frame.text == section.title.text
        assert all(r.font.size >= Pt(40) for r in runs(title))
        assert title.top > Inches(1.5)  # in the middle of the slide, not in the title band
        assert [s.name for s in slide.shapes if not s.is_placeholder] == ["Accent rule"]


def closing(data: bytes) -> object:
    return Presentation(io.BytesIO(data)).slides[-1]


def test_the_closing_slide_shows_contact_and_review_date_but_no_next_meeting_when_none_is_set(
        deck: Deck, content: ContentSet) -> None:
    assert content.settings.next_meeting is None
    slide = list(deck.slides)[-1]
    text = slide_text(slide)
    org = content.settings.organisation
    assert all(v in text for v in ("Contact us", org.phone, org.email, short_url(org.website)))
    assert "Next meeting" not in text and content.settings.meeting.date not in text
    dates = [s for s in slide.placeholders if s.placeholder_format.type == PP_PLACEHOLDER.DATE]
    assert [s.text_frame.text for s in dates] == ["Reviewed: November 20, 2026"]


def test_the_closing_slide_announces_the_next_meeting_when_set(content: ContentSet) -> None:
    upcoming = NextMeeting("Thursday, February 11, 2027", "7:00 pm", "Library, Room 3")
    changed = replace(content, settings=replace(content.settings, next_meeting=upcoming))
    text = slide_text(closing(render_deck(changed, BuildOptions("letter", None, WHEN), STAMP)))
    assert "Next meeting" in text
    assert all(part in text.splitlines() for part in (upcoming.date, upcoming.time, upcoming.place))


def test_the_reader_takes_the_slide_number_for_furniture_but_not_a_figure_typed_over_it(data: bytes) -> None:
    got = read_pptx(data)
    places = {p.where: p.text for p in got.places}
    assert all(not re.search(rf"(^|\n){n}($|\n)", places[f"slide {n}"]) for n in range(2, got.units + 1))
    fmt = by_key("deck")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["ppt/slides/slide5.xml"] = parts["ppt/slides/slide5.xml"].replace(b"<a:t>5</a:t>", b"<a:t>62.5%</a:t>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, blob in parts.items():
            archive.writestr(name, blob)
    findings, _ = check_output(fmt, load_content(BUNDLED), out.getvalue(), lambda _paper: {fmt.key: STAMP})
    assert [str(f) for f in findings] == [f"{fmt.path}: slide 5: unregistered figure '62.5%'"]


# --- reproducible bytes -------------------------------------------------------------------------

def test_two_renders_are_byte_identical_even_when_the_clock_moves(data: bytes,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    later = time.time() + 3 * 86400
    monkeypatch.setattr(time, "time", lambda: later)  # zip entry times

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # XlsxWriter's workbook date
            return dt.datetime.fromtimestamp(later, tz)

    monkeypatch.setattr(xlsxwriter.core, "datetime", Later)
    assert render() == data


def test_zip_entries_and_the_chart_workbook_carry_the_build_date(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 20, 0, 0, 0)}
        workbooks = [n for n in archive.namelist() if n.endswith(".xlsx")]
        assert workbooks
        for name in workbooks:
            with zipfile.ZipFile(io.BytesIO(archive.read(name))) as book:
                core = book.read("docProps/core.xml").decode()
                assert core.count("2026-11-20T00:00:00Z") == 2  # created and modified
                assert {info.date_time for info in book.infolist()} == {(2026, 11, 20, 0, 0, 0)}


# --- content that cannot be shown ---------------------------------------------------------------

def lengthen_a_bullet(project: Path) -> tuple[int, Text]:
    """Make the first bullet on the stem-cell slide (written in deck.yaml, so no other output
    changes) ten times longer; return its slide and where it is."""
    n, section = section_number(load_content(Path("content")), "stem-cells")
    bullet = next(b for b in section.blocks if isinstance(b, Bullets)).items[0]
    edit(project / bullet.loc.path, f'"{bullet.text}"', '"' + " ".join([bullet.text] * 10) + '"')
    return n, bullet


def test_a_bullet_too_long_for_its_slide_names_file_line_and_slide(project: Path) -> None:
    n, bullet = lengthen_a_bullet(project)
    with pytest.raises(ContentError) as err:
        render(Path("content"))
    assert f"{bullet.loc}: text does not fit on slide {n}" in str(err.value)


def test_more_than_six_bullets_on_a_slide_is_a_warning(project: Path) -> None:
    """Style advice (rule slide-bullets), not a layout limit: the deck still builds."""
    deck_yaml = project / "content" / "deck.yaml"
    edit(deck_yaml, 'bullets: "red_flags[1-4]"', "bullets: red_flags")
    n, _ = section_number(load_content(Path("content")), "red-flags-1")
    line = line_of(deck_yaml, "bullets: red_flags")
    result = run("check")
    assert f"content/deck.yaml:{line}: warning: slide {n} has a list of 7 bullets" in result.stderr


def test_two_slides_with_one_title_are_refused(project: Path) -> None:
    deck_yaml = project / "content" / "deck.yaml"
    edit(deck_yaml, 'title: "Red flags, part two"', 'title: "Red flags, part one"')
    with pytest.raises(ContentError) as err:
        render(Path("content"))
    line = [i for i, t in enumerate(deck_yaml.read_text().splitlines(), 1) if '"Red flags, part one"' in t][1]
    assert f"content/deck.yaml:{line}: slide" in str(err.value)


def test_failed_build_leaves_the_old_deck_intact(built: Path) -> None:
    deck = built / "slides" / "support-group.pptx"
    before = deck.read_bytes()
    n, bullet = lengthen_a_bullet(built)
    result = run("build", "--no-verify")  # this test is about the write, not the fact check
    assert result.exit_code == 2
    assert f"{bullet.loc}: text does not fit on slide {n}" in result.stderr
    assert deck.read_bytes() == before


# --- clinic templates ---------------------------------------------------------------------------

def make_template(path: Path, size: tuple[int, int] = WIDE, titles: bool = True) -> Path:
    """python-pptx's default with a cream master background and one sample slide."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = size
    prs.slide_masters[0].background.fill.solid()
    prs.slide_masters[0].background.fill.fore_color.rgb = CREAM
    prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = "Template sample slide"
    if not titles:
        for layout in prs.slide_layouts:
            for ph in list(layout.placeholders):
                if ph.placeholder_format.type in TITLES:
                    ph._element.getparent().remove(ph._element)
    prs.save(path)
    return path


def test_template_masters_and_layouts_are_used(tmp_path: Path, content: ContentSet) -> None:
    deck = Presentation(io.BytesIO(render(template=make_template(tmp_path / "clinic.pptx"))))
    assert deck.slide_masters[0].background.fill.fore_color.rgb == CREAM
    assert deck.slides[0].slide_layout.name == "Title Slide"
    assert deck.slides[1].slide_layout.name == "Title Only"
    assert len(deck.slides) == len(content.deck.sections)
    assert all("Template sample slide" not in slide_text(s) for s in deck.slides)


def test_template_without_a_title_layout_is_refused(tmp_path: Path) -> None:
    template = make_template(tmp_path / "plain.pptx", titles=False)
    with pytest.raises(ContentError, match="no layout with a title placeholder") as err:
        render(template=template)
    assert str(template) in str(err.value)


def test_template_that_is_not_16_9_is_refused(tmp_path: Path) -> None:
    template = make_template(tmp_path / "old.pptx", size=(Emu(9144000), Emu(6858000)))
    with pytest.raises(ContentError, match="not 16:9") as err:
        render(template=template)
    assert str(template) in str(err.value)


# --- what the audience sees ---------------------------------------------------------------------

@pytest.mark.slow
def test_libreoffice_shows_every_slide_with_all_text_on_the_page(tmp_path: Path, data: bytes, deck: Deck) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    (tmp_path / "deck.pptx").write_bytes(data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "deck.pptx")],
                   check=True, capture_output=True, timeout=300)
    with pdfplumber.open(tmp_path / "deck.pdf") as pdf:
        assert len(pdf.pages) == len(deck.slides)
        for n, page in enumerate(pdf.pages, 1):
            assert page.chars, f"page {n} has no text"
            for ch in page.chars:
                inside = ch["x0"] >= 0 and ch["x1"] <= page.width and ch["top"] >= 0 and ch["bottom"] <= page.height
                assert inside, f"page {n}: '{ch['text']}' lies outside the page"


def _descr(shape: object) -> str:
    return shape._element.xpath("./*[1]/p:cNvPr/@descr")[0]
