"""A second topic, end to end: the tool is not tuned to the bundled stem-cell content.

`tests/fixtures/second-topic` is foot care for people with diabetes, for a clinic with a
60-character name and a long email address: a nine-item list (a warning, not an error), a chart
in the booklet and the deck, money, percent, count and date facts, and a booklet paragraph that
ends with a date fact right before a heading that starts with a number ("…January 1, 2025." then
"9 steps …"), which the read-back once glued into the figure 2025.9. The set is built once per
module; each test copies what it needs, then checks, tampers or edits.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pypdfium2 as pdfium
import pytest
import yaml
from click.testing import Result
from pptx import Presentation

from clearfacts.content.json_schema import SUFFIX, schemas
from clearfacts.content.loader import FILES
from clearfacts.formats import by_key
from clearfacts.verify.normalise import normalise
from conftest import OUTPUTS, edit, line_of, on_one_core, run
from test_verify import rewrite_pptx

SECOND = Path(__file__).resolve().parent / "fixtures" / "second-topic"
HANDOUT, BOOKLET, DECK = (by_key(k).path for k in ("handout", "booklet", "deck"))
CLINIC = "Otter Creek Valley Community Health Center Foot Care Program"
EMAIL = "footcare.appointments@ottercreekchc.org"
PHONE = "(802) 555-0199"
DATE_THEN_HEADING = "took effect on January 1, 2025. 9 steps "  # a paragraph's end, the next heading


@dataclass(frozen=True)
class Built:
    root: Path  # content/ and every output, read-only
    build: Result  # the build that made them


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The second topic built once for the module, with a build cache of its own."""
    root = tmp_path_factory.mktemp("second-topic")
    shutil.copytree(SECOND, root / "content")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache-second-topic")))
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        with on_one_core():  # conftest: a fixture's build only makes files for the tests to read
            result = run("build", "--content", str(root / "content"), "--outputs", str(root))
    assert result.exit_code == 0, result.output
    return Built(root, result)


@pytest.fixture
def clinic(second: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch project holding the second topic's content and outputs, as a clinic has them:
    no build cache here vouches for the files, so `check` reads every one back."""
    shutil.copytree(second.root / "content", tmp_path / "content")
    for name in OUTPUTS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(second.root / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def pdf_pages(path: Path) -> list[str]:
    """Each page's text as PDFium reads it, normalised as the checker does."""
    pdf = pdfium.PdfDocument(path)
    try:
        return [normalise(page.get_textpage().get_text_range()) for page in pdf]
    finally:
        pdf.close()


def page_size(path: Path) -> tuple[float, float]:
    pdf = pdfium.PdfDocument(path)
    try:
        return tuple(round(x, 1) for x in pdf[0].get_size())  # type: ignore[return-value]
    finally:
        pdf.close()


def test_the_second_topic_builds_and_checks_clean_with_only_its_warnings(second: Built, clinic: Path) -> None:
    """Exit 0 for build and check. The warnings are the ones the content asks for: the
    nine-item list in the handout and the booklet (list-length), the 555-01xx phone; none for
    the deck, whose slides split the list (at most 6 bullets each). A long address with no
    `display` that its column must break is broken after a slash or before a hyphen, which a reader
    typing it can tell from a line-break hyphen: no link-broken warning."""
    assert all(f"{second.root / name} (" in second.build.stdout for name in OUTPUTS), second.build.stdout
    assert "3 warning(s) in the content (list-length ×2, example-values ×1)" in second.build.stderr
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"OK: 6 facts checked in {len(OUTPUTS)} outputs")
    warnings = result.stderr.splitlines()
    content, nine = clinic / "content", 'bullets: "daily_care"'
    assert warnings == [
        f"content/handout.yaml:{line_of(content / 'handout.yaml', nine)}: warning: a list has 9 items; keep it "
        "to 7 or fewer [list-length]",
        f"content/booklet.yaml:{line_of(content / 'booklet.yaml', nine)}: warning: a list has 9 items; keep it "
        "to 7 or fewer [list-length]",
        f"content/settings.yaml:{line_of(content / 'settings.yaml', 'phone:')}: warning: 'organisation.phone' "
        f"still holds an example value: '{PHONE}' [example-values]",
    ]
    assert run("build", "--check").exit_code == 0


def test_the_second_topic_is_valid_for_the_editors_schemas() -> None:
    """What an editor's YAML language server sees: each file valid for `clearfacts schema`'s
    schema, which its first line points at (the same relative path as the suite's content)."""
    for stem in FILES:
        text = (SECOND / f"{stem}.yaml").read_text(encoding="utf-8")
        assert text.splitlines()[0] == f"# yaml-language-server: $schema=../../../schema/{stem}{SUFFIX}"
        validator = jsonschema.Draft202012Validator(schemas()[f"{stem}{SUFFIX}"],
                                                    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        assert [e.message for e in validator.iter_errors(yaml.safe_load(text))] == [], stem


def test_a_date_fact_before_a_heading_that_starts_with_a_number_is_read_as_two_things(second: Built) -> None:
    """The regression: "…January 1, 2025." ends a paragraph and "9 steps …" is the next heading
    on the same page of the handout (the booklet may take the heading to the next page, with
    its text). They must be read back as a date and a count, not as 2025.9 or 20259 (a false
    'inconsistent fact' that would teach people to switch the check off): the build, which reads
    every output back before writing, passed, and so does `check` (the first test)."""
    adjacent = [name for name in (HANDOUT, BOOKLET)
                if any(DATE_THEN_HEADING in text for text in pdf_pages(second.root / name))]
    assert HANDOUT in adjacent, "the date and the heading are not next to each other on the handout"
    assert second.build.exit_code == 0 and "medicare.year_start" not in second.build.output


def test_what_a_reader_of_the_second_topic_sees(second: Built) -> None:
    """One Letter page; half-letter booklet pages with the chart as a table; the clinic's long name
    and email whole; every figure in its display form; a deck of nine slides, each with notes,
    whose chart holds the registered counts."""
    assert page_size(second.root / HANDOUT) == (612.0, 792.0)
    assert page_size(second.root / BOOKLET) == (396.0, 612.0)
    handout = pdf_pages(second.root / HANDOUT)
    assert len(handout) == 1
    assert CLINIC in handout[0] and EMAIL in handout[0] and PHONE in handout[0]
    assert "Reviewed: March 10, 2025." in handout[0]
    booklet = " ".join(pdf_pages(second.root / BOOKLET))
    for shown in ("20% of the approved amount", "deductible of $257",
                  "about half of all people with diabetes have some kind of nerve damage",
                  "Inserts Medicare covers each year Pairs of inserts With custom-molded shoes 2 extra pairs of "
                  "inserts With extra-depth shoes 3 pairs of inserts", CLINIC, EMAIL):
        assert shown in booklet, shown
    deck = Presentation(str(second.root / DECK))
    assert len(deck.slides) == 9
    assert all(slide.has_notes_slide and slide.notes_slide.notes_text_frame.text for slide in deck.slides)
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert [tuple(plot.series[0].values) for c in charts for plot in c.plots] == [(2.0, 3.0)]


def test_money_and_count_facts_in_one_chart_are_refused_at_the_charts_line(tmp_path: Path) -> None:
    """Bars of dollars beside bars of pairs compare nothing: exit 2, one line naming the chart."""
    content = tmp_path / "content"
    shutil.copytree(SECOND, content)
    booklet = content / "booklet.yaml"
    edit(booklet, '"With extra-depth shoes"]', '"With extra-depth shoes", "Part B deductible"]')
    edit(booklet, '"medicare.inserts_depth"]', '"medicare.inserts_depth", "medicare.deductible"]')
    result = run("build", "--content", str(content), "--outputs", str(tmp_path))
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    assert errors == [
        f"{content.as_posix()}/booklet.yaml:{line_of(booklet, '- chart:')}: a chart compares facts of one unit only; "
        "this one mixes medicare.inserts_custom in pairs, medicare.inserts_depth in pairs, medicare.deductible in "
        "US dollars [schema]"]
    assert not (tmp_path / "handouts").exists() and not (tmp_path / "slides").exists()


@pytest.mark.slow  # a PDF from other content: test_formats' chart test, in the default run
def test_a_booklet_built_from_another_deductible_is_caught_on_its_page(clinic: Path, tmp_path: Path) -> None:
    """The booklet PDF swapped for one built with $258: exit 1 naming the file, the page and
    the fact; the other outputs are fine."""
    other = tmp_path / "other"
    shutil.copytree(clinic / "content", other / "content")
    edit(other / "content/facts.yaml", 'value: "257"\n    display: "$257"', 'value: "258"\n    display: "$258"')
    built = run("build", "--content", str(other / "content"), "--outputs", str(other), "--no-verify")
    assert built.exit_code == 0, built.output
    shutil.copy(other / BOOKLET, clinic / BOOKLET)
    page = next(n for n, text in enumerate(pdf_pages(clinic / BOOKLET), 1) if "$258" in text)
    result = run("check")
    assert result.exit_code == 1
    assert f"{BOOKLET}: page {page}: altered fact medicare.deductible: found $258, expected $257" in result.stderr
    assert f"{BOOKLET} is stale: built from older content" in result.stderr
    assert not [line for line in result.stderr.splitlines()  # nothing but the handout's layout warning
                if line.startswith((HANDOUT, DECK)) and ": warning: " not in line]


@pytest.mark.parametrize(("part", "old", "new", "finding"), [
    (r"ppt/slides/slide\d+\.xml", "deductible is $257", "deductible is $258",
     r"slide {n}: altered fact medicare.deductible: found \$258, expected \$257"),
    (r"ppt/slides/slide\d+\.xml", "effect on January 1, 2025", "effect on January 7, 2025",
     r"slide {n}: altered fact medicare.year_start: found January 7, 2025, expected January 1, 2025"),
    (r"ppt/notesSlides/notesSlide\d+\.xml", "covers 2 extra pairs", "covers 4 extra pairs",
     r"slide \d+ notes: altered fact medicare.inserts_custom: found 4 extra pairs of inserts"),
    (r"ppt/charts/chart\d+\.xml", "<c:v>3.0</c:v>", "<c:v>4.0</c:v>",
     r"slide \d+ chart: altered fact medicare.inserts_depth: chart shows 4, expected 3"),
], ids=["slide money", "slide date", "notes count", "chart value"])
def test_a_digit_changed_in_the_deck_is_caught_on_its_slide(clinic: Path, part: str, old: str, new: str,
                                                            finding: str) -> None:
    changed = rewrite_pptx(clinic / DECK, re.compile(part), old, new)
    number = re.search(r"(\d+)\.xml$", changed)
    result = run("check")
    assert result.exit_code == 1
    assert re.search(re.escape(f"{DECK}: ") + finding.format(n=number.group(1) if number else ""), result.stderr), \
        result.stderr


def test_check_repeats_what_the_builds_read_back_noted_and_settings_can_make_it_an_error(clinic: Path) -> None:
    """After a build here, `check` skips the files this machine's cache vouches for, yet still
    lists the layout warnings the build's read-back noted; and a rule raised to an error in
    settings.yaml fails the check without a rebuild. The layout warning: an address with a piece
    too long for its column, no slash or hyphen in it, so the line must cut it between letters."""
    library = clinic / "content" / "library.yaml"
    long_piece = "https://www.cdc.gov/diabetes/diabetescomplicationsdiabetesandyourfeet.html"
    library.write_text(library.read_text(encoding="utf-8").replace(
        "https://www.cdc.gov/diabetes/diabetes-complications/diabetes-and-your-feet.html", long_piece, 1),
        encoding="utf-8")
    assert run("build").exit_code == 0
    checked = run("check")
    assert checked.exit_code == 0 and "[link-broken]" in checked.stderr, checked.output
    compared = run("build", "--check")  # reads nothing back either, and counts the same warning
    assert compared.exit_code == 0 and "(link-broken ×2)" in compared.stderr, compared.output  # handout, large print
    with (clinic / "content" / "settings.yaml").open("a", encoding="utf-8") as settings:
        settings.write("rules:\n  link-broken: error\n")
    failed = run("check")
    assert failed.exit_code == 1
    assert run("build", "--check").exit_code == 1
    assert any(line.startswith(f"{HANDOUT}: page 1: the link to cdc.gov") and line.endswith("[link-broken]")
               for line in failed.stderr.splitlines()), failed.stderr
