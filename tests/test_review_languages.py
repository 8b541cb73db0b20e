"""Review of content written in two languages: `clearfacts diff` reports a changed Spanish
sentence under its language with the Spanish outputs it lands in, a changed fact in every
language's outputs, and `clearfacts preview` draws the translation's pages too.

The content is the suite's two-language fixture (en-US + es-US), built and committed in a git
repository of its own; each test changes it in a copy, as an editor would.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from clearfacts.formats import formats
from conftest import edit, on_one_core, run
from test_review import build_and_commit, change_fact, facts_places, git, working_copy

SPANISH = Path(__file__).resolve().parent / "fixtures" / "spanish"
LANGUAGES = ("en-US", "es-US")
TABLE = formats(LANGUAGES)
ENGLISH_SENTENCE = "Talk with your doctor before you pay."
SPANISH_SENTENCE = "Pregunte a su médico si un ensayo clínico"


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-language fixture built and committed. Read-only: tests work in a copy."""
    root = tmp_path_factory.mktemp("review-languages") / "repo"
    root.mkdir()
    shutil.copytree(SPANISH, root / "content")
    git(root, "init", "-q")
    build_and_commit(root, "two languages")
    return root


@pytest.fixture
def repo(origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return working_copy(origin, tmp_path, monkeypatch)


def paths_of(document: str, language: str) -> set[str]:
    return {f.path for f in TABLE if f.document == document and f.translation() == ("" if language == "en-US"
                                                                                       else language)}


def test_a_changed_spanish_sentence_is_reported_under_its_language_in_the_spanish_outputs(repo: Path) -> None:
    handout = (repo / "content" / "es" / "handout.yaml").read_text(encoding="utf-8")
    assert SPANISH_SENTENCE in handout, "the fixture's Spanish handout has changed: pick another sentence"
    edit(repo / "content" / "es" / "handout.yaml", SPANISH_SENTENCE, "Consulte a su médico si un ensayo clínico")
    doc = json.loads(run("diff", "--format", "json").stdout)
    (prose,) = doc["prose"]  # the English handout did not change, so it is not reported
    assert (prose["document"], prose["language"], prose["change"]) == ("handout", "es-US", "changed")
    assert SPANISH_SENTENCE in prose["old"] and "Consulte a su médico" in prose["new"]
    where = {w["output"]: w for w in prose["where"]}
    assert set(where) == paths_of("handout", "es-US")  # the Spanish handout's outputs, and only those
    assert all(w["state"] == "stale" and w["places"] for w in where.values())  # not rebuilt: found where it stood

    text = run("diff")
    assert text.exit_code == 0, text.output
    assert "prose changed handout (es-US) section " in text.stdout
    assert "handouts/es/senales-de-alerta.pdf: page 1 (stale: run clearfacts build)" in text.stdout


def test_a_changed_english_sentence_does_not_reach_the_spanish_outputs(repo: Path) -> None:
    edit(repo / "content" / "handout.yaml", ENGLISH_SENTENCE, "Talk with your doctor before you spend money.")
    doc = json.loads(run("diff", "--format", "json").stdout)
    (prose,) = doc["prose"]
    assert prose["language"] == ""
    assert {w["output"] for w in prose["where"]} == paths_of("handout", "en-US")


def test_a_changed_fact_lands_in_every_languages_outputs(repo: Path) -> None:
    change_fact(repo / "content", "45.1", "45.1%", "2026-12-01")
    with on_one_core():
        assert run("build").exit_code == 0
    shown = facts_places("trial.control_rate")
    doc = json.loads(run("diff", "--format", "json").stdout)
    (change,) = doc["facts"]
    where = {w["output"]: w["places"] for w in change["where"]}
    spanish = {path for path in where if path in paths_of("booklet", "es-US") | paths_of("deck", "es-US")}
    assert spanish, where  # the Spanish booklet and deck print the rate too
    assert all(where[path] for path in spanish)
    # the places are those `clearfacts facts` lists for the English outputs it checks
    assert {path: places for path, places in where.items() if path in shown} == shown


def test_preview_draws_the_translations_pages_too(repo: Path, tmp_path: Path) -> None:
    result = run("preview", "--out", str(tmp_path / "pictures"), "--no-slides")
    assert result.exit_code == 0, result.output + result.stderr
    sheets = sorted(p.name for p in (tmp_path / "pictures").glob("*-sheet.png"))
    assert "handout-sheet.png" in sheets and "handout-es-US-sheet.png" in sheets, sheets
    assert "booklet-es-US-sheet.png" in sheets and "handout-large-es-US-sheet.png" in sheets, sheets
    pages = sorted((tmp_path / "pictures" / "handout-es-US").glob("page-*.png"))
    assert [p.name for p in pages] == ["page-01.png"]

    edit(repo / "content" / "es" / "handout.yaml", SPANISH_SENTENCE, "Consulte a su médico si un ensayo clínico")
    changed = run("preview", "--changed-since", "HEAD", "--out", str(tmp_path / "review"), "--no-slides")
    assert changed.exit_code == 0, changed.output + changed.stderr
    drawn = sorted(p.name for p in (tmp_path / "review" / "changed").glob("*.png"))
    assert drawn and all(re.match(r"handout(-large)?-es-US-page-\d\d\.png$", name) for name in drawn), drawn
