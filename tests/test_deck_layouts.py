"""The deck in clinic templates whose body area is smaller or elsewhere than the house style's, and
the title slide's own blocks: built through the CLI (or, where a test looks at the deck's layout
alone, rendered by the deck's renderer only), read back with python-pptx the way a facilitator
meets the deck (titles, notes, what text is where)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from msgspec.structs import replace
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation as Deck
from pptx.util import Emu, Inches, Pt

from clearfacts.content.loader import load_content
from clearfacts.model import Chart, ContentSet, Section, Table, block_texts
from clearfacts.options import BuildOptions
from clearfacts.render.pptx.deck import deck_warnings, render_deck
from conftest import BUNDLED, edit, line_of, on_one_core, run

WIDE = (Emu(12192000), Emu(6858000))
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
FOOTERS = (PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE)
FOLLOW_NOTE = "Continued from the previous slide."
TITLE_BOX = (Inches(0.75), Inches(0.35), Inches(11.83), Inches(1.0))  # the house style's
HOUSE_TOP, HOUSE_BOTTOM = Inches(1.35) + Pt(12), WIDE[1] - Pt(32)  # the house style's body area, top to bottom
HOUSE_HEIGHT = HOUSE_BOTTOM - HOUSE_TOP
HALF_HEIGHT = (TITLE_BOX[0], HOUSE_TOP, TITLE_BOX[2], Emu(HOUSE_HEIGHT // 2))
RIGHT_HALF = (Inches(6.67), HOUSE_TOP, TITLE_BOX[0] + TITLE_BOX[2] - Inches(6.67), Emu(HOUSE_HEIGHT))
MARK = re.compile(r"^(?P<title>.*) \((?P<part>\d+) of (?P<parts>\d+)\)$")
WHEN = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


def make_template(path: Path, body: tuple[int, int, int, int], title: tuple[int, int, int, int] = TITLE_BOX) -> Path:
    """A 16:9 template with two layouts, "Title Slide" and "Title and Content", whose body
    placeholder is at `body` (left, top, width, height in EMU): the deck's slides use that layout."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE
    for layout in list(prs.slide_layouts):
        if layout.name not in ("Title Slide", "Title and Content"):
            prs.slide_layouts.remove(layout)
    for layout in prs.slide_layouts:
        for ph in layout.placeholders:
            kind = ph.placeholder_format.type
            if kind in TITLES:
                ph.left, ph.top, ph.width, ph.height = title
            elif kind == PP_PLACEHOLDER.SUBTITLE:
                ph.left, ph.top, ph.width, ph.height = TITLE_BOX[0], Inches(1.6), TITLE_BOX[2], Inches(5.3)
            elif kind == PP_PLACEHOLDER.OBJECT:
                ph.left, ph.top, ph.width, ph.height = body
    prs.save(path)
    return path


def build(project: Path, template: Path, verify: bool = False) -> Deck:
    """`clearfacts build --template` (reading back only where a test asks: these tests look at
    the layout, and the read-back of follow-on slides has a test of its own)."""
    result = run("build", "--force", "--template", str(template), *([] if verify else ["--no-verify"]))
    assert result.exit_code == 0, result.stderr
    return Presentation(str(project / "slides" / "support-group.pptx"))


def rendered(template: Path) -> Deck:
    """The project's deck alone, rendered with `template` by the renderer `clearfacts build` uses
    (the layout tests look at the deck only; `half_built`, the title slide's blocks and the
    refusals go through `clearfacts build --template`)."""
    content = load_content(Path("content"))
    return Presentation(io.BytesIO(render_deck(content, BuildOptions("letter", template, WHEN), "stamp")))


def refused(template: Path | None = None) -> str:
    """stderr of a build that must stop with exit 2."""
    result = run("build", "--force", "--no-verify", *(["--template", str(template)] if template else []))
    assert result.exit_code == 2, result.stdout
    return result.stderr


def title_of(slide: object) -> str:
    return next(ph for ph in slide.placeholders if ph.placeholder_format.type in TITLES).text_frame.text


def texts(slide: object) -> Iterator[str]:
    for shape in slide.shapes:
        if shape.has_text_frame:
            yield shape.text_frame.text
        elif getattr(shape, "has_table", False) and shape.has_table:
            yield from (cell.text for cell in shape.table.iter_cells())


def by_section(deck: Deck, content: ContentSet) -> list[tuple[Section, list[object]]]:
    """Each content section with its slides: the one titled like it, then its follow-on slides,
    titled like it and marked "(2 of n)", "(3 of n)"… in order, with nothing in between."""
    slides = list(deck.slides)[1:]
    out: list[tuple[Section, list[object]]] = []
    at = 0
    for section in content.deck.sections[1:]:
        assert title_of(slides[at]) == section.title.text
        group = [slides[at]]
        at += 1
        while at < len(slides) and (mark := MARK.match(title_of(slides[at]))) and \
                mark["title"] == section.title.text:
            assert (int(mark["part"]), int(mark["parts"])) == (len(group) + 1, int(mark["parts"]))
            group.append(slides[at])
            at += 1
        if len(group) > 1:
            assert int(MARK.match(title_of(group[-1]))["parts"]) == len(group)
        out.append((section, group))
    assert at == len(slides), "a slide belongs to no section"
    return out


def inside(shape: object, box: tuple[int, int, int, int]) -> bool:
    left, top, width, height = box
    slack = Pt(1)
    return (shape.left >= left - slack and shape.top >= top - slack
            and shape.left + shape.width <= left + width + slack and shape.top + shape.height <= top + height + slack)


def body_shapes(slide: object) -> list[object]:
    """Every shape but the title and the footers (slide number, review date), which the deck puts
    in the band under the body area."""
    return [s for s in slide.shapes if not (s.is_placeholder and s.placeholder_format.type in (*TITLES, *FOOTERS))]


@pytest.fixture(scope="module")
def content() -> ContentSet:
    return load_content(BUNDLED)


@pytest.fixture
def half(project: Path) -> Path:
    return make_template(project / "half.pptx", HALF_HEIGHT)


@pytest.fixture(scope="module")
def half_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The suite's content built once with the half-height template (read-only)."""
    root = tmp_path_factory.mktemp("half")
    shutil.copytree(BUNDLED, root / "content")
    template = make_template(root / "half.pptx", HALF_HEIGHT)
    with on_one_core():  # conftest: a fixture's build only makes files for the tests to read
        result = run("build", "--content", str(root / "content"), "--outputs", str(root), "--template", str(template))
    assert result.exit_code == 0, result.stderr  # verified: follow-on slides are read with their first
    assert "slide-continued" in result.stderr  # and the build says the deck had to continue slides
    return root


@pytest.fixture(scope="module")
def half_deck(half_built: Path) -> Deck:
    return Presentation(str(half_built / "slides" / "support-group.pptx"))


@pytest.fixture(scope="module")
def half_titles(half_deck: Deck) -> list[str]:
    return [title_of(s) for s in half_deck.slides]


# --- a body area half the house style's (the acceptance case) -----------------------------------

def test_half_height_body_continues_sections_on_follow_on_slides(half_deck: Deck, content: ContentSet) -> None:
    deck = half_deck
    groups = by_section(deck, content)
    continued = [(s, g) for s, g in groups if len(g) > 1]
    assert continued and len(deck.slides) == len(content.deck.sections) + sum(len(g) - 1 for _, g in continued)
    assert any(title_of(g[1]) == f"{s.title.text} (2 of 2)" for s, g in continued)
    for section, group in groups:
        shown = "\n".join(t for slide in group for t in texts(slide))
        at = 0
        for block in section.blocks:  # every text of the section, in order, across its slides
            if isinstance(block, Chart):
                continue
            for text in block_texts(block):
                found = shown.find(text.text, at)
                assert found >= 0, f"{section.id}: '{text.text}' missing or out of order"
                at = found if isinstance(block, Table) else found + len(text.text)


def test_a_continued_deck_checks_clean_and_warns_naming_the_section_line(half_built: Path) -> None:
    result = run("check", "--content", str(half_built / "content"), "--outputs", str(half_built),
                 "--template", str(half_built / "half.pptx"))
    assert result.exit_code == 0, result.stderr
    said = result.stderr.replace(str(half_built) + "/", "")
    assert re.search(r"content/deck\.yaml:\d+: warning: slides/support-group\.pptx: slide \d+ does not fit the "
                     r"template's body area, so it continues up to slide \d+", said), said


def test_speaker_notes_stay_on_the_first_slide_and_follow_on_slides_get_a_short_note(
        half_deck: Deck, content: ContentSet) -> None:
    deck = half_deck
    assert deck.slides[0].notes_slide.notes_text_frame.text == content.deck.sections[0].notes.text
    for section, group in by_section(deck, content):
        assert group[0].notes_slide.notes_text_frame.text == section.notes.text
        assert all(s.notes_slide.notes_text_frame.text == FOLLOW_NOTE for s in group[1:])


def test_body_stays_in_the_template_body_area_at_legible_sizes(half_deck: Deck) -> None:
    deck = half_deck
    for n, slide in enumerate(list(deck.slides)[1:], 2):
        for shape in body_shapes(slide):
            assert inside(shape, HALF_HEIGHT), f"slide {n}: {shape.name} outside the body area"
            frames = [c.text_frame for c in shape.table.iter_cells()] if shape.has_table else \
                [shape.text_frame] if shape.has_text_frame else []
            for run_ in (r for f in frames for p in f.paragraphs for r in p.runs):
                floor = 18 if shape.has_table or run_.hyperlink.address else 24
                assert run_.font.size >= Pt(floor), f"slide {n}: '{run_.text}' at {run_.font.size.pt} pt"


def test_a_lead_in_stays_with_its_list_a_chart_with_its_text_a_table_with_its_header(
        half_deck: Deck, content: ContentSet) -> None:
    deck = half_deck
    groups = dict((s.id, g) for s, g in by_section(deck, content))
    harms = groups["harms"]
    lead_in, bullets = next(s for s in content.deck.sections if s.id == "harms").blocks
    first = "\n".join(texts(harms[0]))
    assert len(harms) == 2 and lead_in.text.text in first and bullets.items[0].text in first
    trial = groups["long-trial"]
    assert len(trial) == 2
    assert [s.has_chart for s in body_shapes(trial[0])].count(True) == 1
    assert not any(s.has_chart for s in body_shapes(trial[1]))
    table = next(b for b in next(s for s in content.deck.sections if s.id == "other-treatments").blocks
                 if isinstance(b, Table))
    parts = [next(s for s in body_shapes(slide) if s.has_table).table for slide in groups["other-treatments"]]
    assert len(parts) >= 2
    header = [c.text for c in table.columns]
    assert all([cell.text for cell in part.rows[0].cells] == header for part in parts)
    shown = [[cell.text for cell in row.cells] for part in parts for row in list(part.rows)[1:]]
    assert shown == [[c.text for c in row] for row in table.rows]


def test_a_continued_section_is_a_warning_naming_the_line_and_the_slides(half_built: Path,
                                                                        half_titles: list[str]) -> None:
    titles = half_titles
    content_dir = half_built / "content"
    warnings = deck_warnings(load_content(content_dir), BuildOptions("letter", half_built / "half.pptx", WHEN))
    assert warnings and all(w.severity == "warning" for w in warnings)
    line = line_of(content_dir / "deck.yaml", 'bullets: "harms"')
    harms = next(w for w in warnings if w.line == line)
    first = titles.index("Harms reported to the FDA") + 1
    follow = titles.index("Harms reported to the FDA (2 of 2)") + 1
    assert str(harms).startswith(f"{content_dir / 'deck.yaml'}:{line}: warning: the body of slide {first} ")
    assert f"continues on slide {follow} (\"Harms reported to the FDA (2 of 2)\")" in str(harms)
    continued = [w for w in warnings if w.rule == "slide-continued"]  # the closing panel may warn too
    assert len(continued) == len([t for t in titles if (m := MARK.match(t)) and m["part"] == "2"])


def test_follow_on_labels_are_in_the_deck_language(tmp_path: Path, content: ContentSet) -> None:
    spanish = replace(content, settings=replace(content.settings, language="es-US"))
    data = render_deck(spanish, BuildOptions("letter", make_template(tmp_path / "half.pptx", HALF_HEIGHT), WHEN), "s")
    deck = Presentation(io.BytesIO(data))
    follow = [s for s in deck.slides if title_of(s).endswith(" (2 de 2)")]
    assert follow and not any(" of " in title_of(s) for s in deck.slides)
    assert all(s.notes_slide.notes_text_frame.text == "Continuación de la diapositiva anterior." for s in follow)


def test_the_house_style_deck_is_one_slide_per_section_with_no_warning(content: ContentSet) -> None:
    assert deck_warnings(content, BuildOptions("letter", None, WHEN)) == []


# --- a body area elsewhere ----------------------------------------------------------------------

def test_body_placed_at_the_right_half_is_used_there(project: Path, content: ContentSet) -> None:
    deck = rendered(make_template(project / "right.pptx", RIGHT_HALF))
    for n, slide in enumerate(list(deck.slides)[1:], 2):
        assert all(inside(s, RIGHT_HALF) for s in body_shapes(slide)), f"slide {n}"
    for section, group in by_section(deck, content):
        shown = "\n".join(t for slide in group for t in texts(slide))
        for block in section.blocks:
            if not isinstance(block, Chart):
                assert all(t.text in shown for t in block_texts(block)), section.id


def test_a_follow_on_title_too_long_for_its_box_grows_by_a_line_and_pushes_the_body_down(project: Path) -> None:
    title = (TITLE_BOX[0], TITLE_BOX[1], Inches(9.45), Inches(0.98))  # LibreOffice's "Focus" title box
    body = (TITLE_BOX[0], Inches(1.6), Inches(9.45), Inches(2.6))
    deck = rendered(make_template(project / "narrow.pptx", body, title))
    slide = next(s for s in deck.slides if title_of(s) == "Could a trial be right for me? (2 of 2)")
    heading = next(s for s in slide.shapes if s.is_placeholder and s.placeholder_format.type in TITLES)
    assert heading.height > title[3] and heading.height - title[3] <= Pt(36 * 1.2) + Pt(1)
    assert all(s.top >= heading.top + heading.height for s in body_shapes(slide))
    assert all(inside(s, body) for s in body_shapes(slide))


# --- what is still refused, naming file:line and the slide a reader would count -----------------

@pytest.mark.slow  # a refusal on the template: the bullet test below
def test_a_paragraph_too_long_for_any_slide_is_refused_with_its_line_and_slide(project: Path, half: Path,
                                                                              half_titles: list[str]) -> None:
    titles = half_titles
    deck_yaml = project / "content" / "deck.yaml"
    sentence = "Thank you for coming. We hope to see you at our next meeting."
    line = line_of(deck_yaml, sentence)
    edit(deck_yaml, f'"{sentence}"', '"' + " ".join([sentence] * 8) + '"')
    assert f"content/deck.yaml:{line}: text does not fit on slide {titles.index('Thank you') + 1} even at 24 pt" \
        in refused(half)


def test_a_bullet_that_would_fill_most_of_a_slide_is_refused_not_continued(project: Path, half: Path,
                                                                           half_titles: list[str]) -> None:
    titles = half_titles
    deck_yaml = project / "content" / "deck.yaml"
    bullet = "Treated people did better on nerve tests."
    line = line_of(deck_yaml, bullet)
    edit(deck_yaml, f'"{bullet}"', '"' + " ".join([bullet] * 6) + '"')
    full = make_template(project / "full.pptx", (TITLE_BOX[0], HOUSE_TOP, TITLE_BOX[2], Emu(HOUSE_HEIGHT)))
    assert "What the research shows (2 of 2)" not in [title_of(s) for s in rendered(full).slides]
    assert f"content/deck.yaml:{line}: text does not fit on slide {titles.index('What the research shows') + 1}" \
        in refused(half)


# --- the title slide ----------------------------------------------------------------------------

def test_blocks_of_the_first_section_are_drawn_on_the_title_slide(here: Path) -> None:
    deck_yaml = here / "content" / "deck.yaml"  # `here`: built on this machine before the edit
    edit(deck_yaml, "    blocks: []\n", '    blocks:\n      - text: "Phones on silent, please."\n')
    result = run("build")  # verified: the read-back expects them on slide 1
    assert result.exit_code == 0, result.stderr
    assert "wrote slides/support-group.pptx" in result.stdout
    deck = Presentation(str(here / "slides" / "support-group.pptx"))
    cover = deck.slides[0]
    subtitle = next(s for s in cover.placeholders if s.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE)
    drawn = [s for s in cover.shapes if not s.is_placeholder]
    assert [s.text_frame.text for s in drawn] == ["Phones on silent, please."]
    assert all(s.top >= subtitle.top + subtitle.height and s.top + s.height <= deck.slide_height for s in drawn)
    assert load_content(Path("content")).settings.meeting.facilitator in subtitle.text_frame.text


def test_a_title_slide_block_that_does_not_fit_is_refused_never_dropped(project: Path) -> None:
    deck_yaml = project / "content" / "deck.yaml"
    sentence = "Phones on silent, please, and help yourself to coffee at the back of the room."
    edit(deck_yaml, "    blocks: []\n", f'    blocks:\n      - text: "{" ".join([sentence] * 4)}"\n')
    line = line_of(deck_yaml, sentence)
    assert f"content/deck.yaml:{line}: text does not fit on the title slide (slide 1) under the meeting details" \
        in refused()


# --- two templates from LibreOffice Impress's own gallery ---------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", ["Beehive", "Focus"])
def test_libreoffice_gallery_templates_build_with_follow_on_slides(project: Path, content: ContentSet,
                                                                    name: str) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    gallery = Path(os.path.realpath(soffice)).parent.parent / "share" / "template" / "common" / "presnt"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(project / 'profile').as_uri()}",
                    "--convert-to", "pptx:Impress MS PowerPoint 2007 XML", "--outdir", str(project),
                    str(gallery / f"{name}.otp")], check=True, capture_output=True, timeout=300)
    deck = build(project, project / f"{name}.pptx")
    groups = by_section(deck, content)
    assert any(len(g) > 1 for _, g in groups)
