"""Tamper with built files the way a person would and expect `check` to say exactly where."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from clearfacts.formats import by_key
from clearfacts.verify.extracted import Place
from clearfacts.verify.text import across_page_turns
from conftest import OUTPUTS, edit, run

HANDOUT, BOOKLET, DECK = (by_key(k).path for k in ("handout", "booklet", "deck"))
# `built` is a project holding outputs a clinic downloaded: `check` reads every file. `here` is
# one built on this machine: its build cache vouches for the files a test leaves alone, so
# `check` reads back only the tampered one.


def rewrite_pptx(path: Path, part: re.Pattern[str], old: str, new: str) -> str:
    """Change the first `old` in the first zip part whose name matches `part` (and that holds it)."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    changed = ""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if not changed and part.fullmatch(info.filename) and old.encode() in data:
                data = data.replace(old.encode(), new.encode(), 1)
                changed = info.filename
            target.writestr(info, data)
    assert changed, f"{old!r} not found in any part matching {part.pattern}"
    path.write_bytes(out.getvalue())
    return changed


def slide_number(part: str) -> int:
    return int(re.search(r"(\d+)\.xml$", part).group(1))


@pytest.mark.slow  # a full check of downloaded outputs: test_tamper_pdf/test_web; a clean build --check: test_build
def test_clean_outputs_pass_check_and_build_check(built: Path) -> None:
    assert run("check").exit_code == 0
    result = run("build", "--check")
    assert result.exit_code == 0, result.stderr


def test_digit_changed_in_slide_text(here: Path) -> None:
    part = rewrite_pptx(here / DECK, re.compile(r"ppt/slides/slide\d+\.xml"), "48.3% did", "48.2% did")
    result = run("check")
    assert result.exit_code == 1
    assert f"{DECK}: slide {slide_number(part)}: altered fact trial.control_rate: found 48.2%" in result.stderr


def test_digit_changed_in_speaker_notes(here: Path) -> None:
    rewrite_pptx(here / DECK, re.compile(r"ppt/notesSlides/notesSlide\d+\.xml"), "NCT05507697", "NCT05507698")
    result = run("check")
    assert result.exit_code == 1
    assert re.search(rf"{DECK}: slide \d+ notes: .*cipn\.trial", result.stderr), result.stderr


def test_digit_changed_in_a_table_cell(here: Path) -> None:
    part = rewrite_pptx(here / DECK, re.compile(r"ppt/slides/slide\d+\.xml"), "neuropathy as of 2026</a:t>",
                        "neuropathy as of 2025</a:t>")
    assert "<a:tbl>" in zipfile.ZipFile(here / DECK).read(part).decode()
    result = run("check")
    assert result.exit_code == 1
    assert f"slide {slide_number(part)}: altered fact status.as_of: found 2025" in result.stderr


def test_value_changed_in_the_charts_cached_data(here: Path) -> None:
    rewrite_pptx(here / DECK, re.compile(r"ppt/charts/chart\d+\.xml"), "<c:v>48.3</c:v>", "<c:v>48.2</c:v>")
    result = run("check")
    assert result.exit_code == 1
    assert re.search(r"slide \d+ chart: altered fact trial.control_rate: chart shows 48.2, expected 48.3",
                     result.stderr), result.stderr


@pytest.mark.slow  # a booklet from other content: test_formats' chart test
def test_pdf_built_from_other_content_names_page_and_fact(built: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(built / "content", other / "content")
    edit(other / "content/facts.yaml", 'value: "10.3"\n    display: "10.3%"', 'value: "11.3"\n    display: "11.3%"')
    # --no-verify: this build only makes the stale file; reading it back is the check's job below
    assert run("build", "--content", str(other / "content"), "--outputs", str(other), "--no-verify").exit_code == 0
    shutil.copy(other / BOOKLET, built / BOOKLET)
    result = run("check")
    assert result.exit_code == 1
    assert f"{BOOKLET} is stale: built from older content" in result.stderr
    assert re.search(rf"{BOOKLET}: page \d+: altered fact trial.msc_rate: found 11.3%, expected 10.3%",
                     result.stderr), result.stderr
    assert HANDOUT not in result.stderr


def test_booklet_with_a_page_removed(here: Path) -> None:
    reader = PdfReader(here / BOOKLET)
    victim = next(i for i, page in enumerate(reader.pages) if "48.3%" in (page.extract_text() or ""))
    writer = PdfWriter(clone_from=reader)
    writer.remove_page(victim)
    with open(here / BOOKLET, "wb") as fh:
        writer.write(fh)
    result = run("check")
    assert result.exit_code == 1
    assert f"{BOOKLET}:" in result.stderr and "not found" in result.stderr


@pytest.mark.slow  # stale outputs: test_web and test_build (build --check) in the default run
def test_content_changed_but_not_rebuilt_is_stale_until_build(built: Path) -> None:
    edit(built / "content/facts.yaml", 'display: "$5,000 to $20,000 or more"', 'display: "$6,000 to $20,000 or more"')
    edit(built / "content/facts.yaml", 'value: "5000-20000"', 'value: "6000-20000"')
    checked, compared = run("check"), run("build", "--check")
    assert checked.exit_code == 1 and compared.exit_code == 1
    assert all(f"{name} is stale: built from older content; run clearfacts build" in checked.stderr
               for name in OUTPUTS)
    assert all(name in compared.stderr for name in OUTPUTS)
    assert run("build").exit_code == 0
    assert run("check").exit_code == 0
    for name in (HANDOUT, BOOKLET):
        text = " ".join(p.extract_text() for p in PdfReader(built / name).pages)
        assert "$6,000" in text and "$5,000" not in text, name
    deck = zipfile.ZipFile(built / DECK)
    xml = "".join(deck.read(n).decode() for n in deck.namelist() if n.endswith(".xml"))
    assert "$6,000" in xml and "$5,000" not in xml


def test_absent_output_is_reported(here: Path) -> None:
    (here / HANDOUT).unlink()
    result = run("check")
    assert result.exit_code == 1
    assert f"{HANDOUT}: missing" in result.stderr


def test_github_format_annotates_content_and_outputs(here: Path) -> None:
    rewrite_pptx(here / DECK, re.compile(r"ppt/slides/slide\d+\.xml"), "48.3% did", "48.2% did")
    result = run("check", "--format", "github")
    assert result.exit_code == 1
    assert f"::error file={DECK}::slide" in result.stdout
    assert "::warning file=content/settings.yaml,line=" in result.stdout


def test_hand_typed_money_in_booklet_content_names_the_fact(project: Path) -> None:
    path = project / "content/booklet.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "- text: \"" in line)
    lines[number - 1] = lines[number - 1].rstrip('"') + ' It can cost $5000."'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("check")
    assert result.exit_code == 2
    assert f"content/booklet.yaml:{number}: statistic '$5000'" in result.stderr
    assert "cost.range" in result.stderr


def test_facts_matrix_shows_where_each_fact_is(built: Path) -> None:
    result = run("facts")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("trial.control_rate:"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    block = "\n".join(lines[start:end])
    assert re.search(rf"{DECK}: .*slide \d+ chart", block)
    assert re.search(rf"{BOOKLET}: page \d+", block)


def test_json_format_lists_findings_with_file_and_fact(here: Path) -> None:
    import json

    rewrite_pptx(here / DECK, re.compile(r"ppt/slides/slide\d+\.xml"), "48.3% did", "48.2% did")
    result = run("check", "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    altered = [f for f in findings if f["severity"] == "error"]
    assert altered and altered[0]["file"] == DECK and altered[0]["fact"] == "trial.control_rate"


def test_same_figure_written_differently_is_inconsistent(here: Path) -> None:
    part = rewrite_pptx(here / DECK, re.compile(r"ppt/slides/slide\d+\.xml"), "charge $5,000 to", "charge $5000 to")
    result = run("check")
    assert result.exit_code == 1
    assert (f"{DECK}: slide {slide_number(part)}: inconsistent fact cost.range: found $5000 to $20,000 or more, "
            "expected $5,000 to $20,000 or more") in result.stderr


def test_a_sentence_is_found_across_a_page_turn_only_when_its_halves_meet_at_the_turn() -> None:
    """The running head and folio stand between a sentence's two halves; halves found elsewhere
    on the pages (further than the slack from the turn) do not make up the sentence."""
    sentence = "In the control group, 48.3% did."
    filler = "Other words fill the page here. " * 20
    turn = [Place("page 4", f"{filler}In the control group,"), Place("page 5", "Your questions 5 48.3% did. " + filler)]
    assert across_page_turns(turn, sentence) == 1
    assert across_page_turns([*turn, Place("page 6", filler)], sentence) == 1
    early = [Place("page 4", f"In the control group, {filler}"), Place("page 5", "48.3% did. " + filler)]
    late = [Place("page 4", f"{filler}In the control group,"), Place("page 5", filler + "48.3% did.")]
    assert across_page_turns(early, sentence) == 0 and across_page_turns(late, sentence) == 0
