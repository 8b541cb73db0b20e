"""Natural frequencies ("about 1 in 10"): made from a fact's value by one rule, in the content's
language, shown where prose writes {fact.id:frequency}, and refused when typed into prose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clearfacts.content.loader import load_content
from clearfacts.frequencies import form
from conftest import BUNDLED, edit, line_of, run

SPANISH = Path(__file__).resolve().parent / "fixtures" / "spanish"
TRIAL = "Only {trial.msc_rate} of the people who got MSCs went on to get DPN."  # booklet.yaml, research


def with_frequencies(content: Path) -> None:
    """`frequency: "10"` on both arms of the trial."""
    for fid in ("trial.msc_rate", "trial.control_rate"):
        edit(content / "facts.yaml", f"  {fid}:\n", f"  {fid}:\n    frequency: \"10\"\n")


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(BUNDLED, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    with_frequencies(Path("content"))
    return Path("content")


@pytest.mark.parametrize(("value", "of", "language", "shown"), [
    ("10.3", 10, "en-US", "about 1 in 10"), ("48.3", 10, "en-US", "about 5 in 10"), ("50", 10, "en-US", "5 in 10"),
    ("48.3", 100, "en-US", "about 48 in 100"), ("10.3", 10, "es-US", "alrededor de 1 de cada 10"),
    ("50", 10, "es-ES", "5 de cada 10"), ("4.5", 10, "en-US", "about 0 in 10"), ("120", 10, "en-US", ""),
])
def test_one_rule_makes_the_form_and_says_about_only_when_it_rounded(value: str, of: int, language: str,
                                                                      shown: str) -> None:
    assert form(value, of, language) == shown


def test_prose_shows_the_form_of_the_current_value(content: Path) -> None:
    edit(content / "booklet.yaml", TRIAL, "Only {trial.msc_rate:frequency} people who got MSCs went on to get DPN.")
    edit(content / "facts.yaml", 'value: "10.3"\n    display: "10.3%"', 'value: "31.2"\n    display: "31.2%"')
    texts = [t.text for t in load_content(content).booklet.texts()]
    assert any("Only about 3 in 10 people who got MSCs" in t for t in texts)


@pytest.mark.parametrize(("typed", "fact"), [("5 in 10", "trial.control_rate (about 5 in 10)"),
                                             ("1 out of 10", "trial.msc_rate (about 1 in 10)")])
def test_a_typed_frequency_is_refused_naming_its_line_and_fact(content: Path, typed: str, fact: str) -> None:
    edit(content / "booklet.yaml", TRIAL, f"Only {typed} people who got MSCs went on to get DPN.")
    line = line_of(content / "booklet.yaml", f"Only {typed}")
    result = run("check")
    assert result.exit_code == 2, result.output
    fid, shown = fact.split(" ", 1)
    assert (f"content/booklet.yaml:{line}: statistic '{typed}' typed into prose: use a fact reference; it is "
            f"{{{fid}:frequency}} {shown} [statistic-in-prose]") in result.stderr


def test_a_frequency_that_is_no_fact_s_is_a_plain_count(content: Path) -> None:
    edit(content / "booklet.yaml", TRIAL, TRIAL + " Page 1 of 10 and 3 in 10 are not facts here.")
    result = run("check")  # exit 1: nothing is built here; the content itself passes
    assert result.exit_code == 1 and "typed into prose" not in result.output, result.output


@pytest.mark.parametrize(("old", "new", "message"), [
    ('  trial.msc_rate:\n    frequency: "10"', '  trial.msc_rate:\n    frequency: "7"  # here',
     "'frequency' of fact 'trial.msc_rate' must be \"10\" or \"100\", not '7' [schema]"),
    ('  trial.patients:\n', '  trial.patients:\n    frequency: "10"  # here\n',
     "fact 'trial.patients' has a 'frequency' but is not one percentage from 0% to 100% ('97 patients')"),
])
def test_a_frequency_the_rule_cannot_make_is_refused_at_its_line(content: Path, old: str, new: str,
                                                                 message: str) -> None:
    edit(content / "facts.yaml", old, new)
    result = run("check")
    assert result.exit_code == 2, result.output
    assert f"content/facts.yaml:{line_of(content / 'facts.yaml', '# here')}: {message}" in result.stderr


def test_spanish_prose_gets_the_spanish_form_and_a_typed_one_is_refused(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SPANISH, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    content = Path("content")
    with_frequencies(content)
    edit(content / "booklet.yaml", TRIAL, "Only {trial.msc_rate:frequency} people who got MSCs went on to get DPN.")
    spanish = "Solo el {trial.msc_rate} de quienes recibieron MSC llegó a tener NPD."
    edit(content / "es" / "booklet.yaml", spanish, "Solo {trial.msc_rate:frequency} de quienes recibieron MSC "
                                                   "llegaron a tener NPD.")
    loaded = load_content(content).in_language("es-US")
    assert any("Solo alrededor de 1 de cada 10 de quienes" in t.text for t in loaded.booklet.texts())
    edit(content / "es" / "booklet.yaml", "Solo {trial.msc_rate:frequency} de", "Solo 5 de cada 10 de")
    result = run("check")
    assert result.exit_code == 2, result.output
    line = line_of(content / "es" / "booklet.yaml", "Solo 5 de cada 10")
    assert f"content/es/booklet.yaml:{line}: statistic '5 de cada 10' typed into prose" in result.stderr
    assert "{trial.control_rate:frequency} (alrededor de 5 de cada 10)" in result.stderr
