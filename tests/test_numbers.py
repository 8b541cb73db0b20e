"""One number reader for the value, the display, the chart and the read-back, and the statistic
rule built on it: table-driven cases for each, then the same cases through `clearfacts check`
as an editor meets them (exit 2, `file:line`, the rule id)."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import time
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from clearfacts.cli import main
from clearfacts.content.loader import load_content
from clearfacts.content.rules import BY_ID
from clearfacts.errors import ContentError
from clearfacts.figures import find_statistics
from clearfacts.model import Fact, Loc, Source
from clearfacts.numbers import (
    INVISIBLE,
    BadValue,
    chart_number,
    dates_in,
    display_problem,
    numbers_in,
    parse_value,
    resembles,
    value_numbers,
    visible,
)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "content"


# --- the value parser ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, kind, numbers, date", [
    ("48.3", "number", (48.3,), None),
    ("-48.3", "number", (-48.3,), None),
    ("\u221248.3", "number", (-48.3,), None),
    ("+48.3", "number", (48.3,), None),
    (" 97 ", "number", (97.0,), None),
    ("1,349", "number", (1349.0,), None),
    ("0.25", "number", (0.25,), None),
    (".25", "number", (0.25,), None),
    ("2026", "number", (2026.0,), None),
    ("5000-20000", "range", (5000.0, 20000.0), None),
    ("5 to 20", "range", (5.0, 20.0), None),
    ("5\u201320", "range", (5.0, 20.0), None),
    ("-5 to -2", "range", (-5.0, -2.0), None),
    ("2025-02-21", "date", (), dt.date(2025, 2, 21)),
    ("none approved", "text", (), None),
    ("certain blood and immune conditions", "text", (), None),
    ("NCT05507697", "text", (), None),
    ("7 trials", "text", (7.0,), None),
])
def test_values_are_read_as_number_range_date_or_text(value: str, kind: str, numbers: tuple, date: object) -> None:
    parsed = parse_value(value)
    assert (parsed.kind, parsed.numbers, parsed.date) == (kind, numbers, date)


@pytest.mark.parametrize("value, why", [
    ("4.83e1", "exponent form"),
    ("1e2", "exponent form"),
    ("1E+3", "exponent form"),
    ("1e309", "exponent form"),
    ("4.83 \u00d7 10^1", "exponent form"),
    ("inf", "not a finite number"),
    ("-Infinity", "not a finite number"),
    ("nan", "not a finite number"),
    ("NaN", "not a finite number"),
    ("9" * 400, "too large"),
    ("about " + "9" * 400, "too large"),
    ("\u0664\u0668", "digits 0-9"),
    ("\u2074\u2078", "digits 0-9"),
    ("2025-02-30", "not a real date"),
])
def test_values_that_would_disagree_with_themselves_are_refused(value: str, why: str) -> None:
    with pytest.raises(BadValue, match=why) as caught:
        parse_value(value)
    assert len(str(caught.value)) < 200  # a huge value is quoted short


def test_exponent_message_writes_the_number_out() -> None:
    with pytest.raises(BadValue, match=r"\(48\.3, not 4\.83e1\)"):
        parse_value("4.83e1")
    with pytest.raises(BadValue, match=r"\(100, not 1e2\)"):
        parse_value("1e2")


@pytest.mark.parametrize("value, expected", [
    ("48.3", 48.3), ("-48.3", -48.3), ("1,349", 1349.0), ("5000-20000", None), ("2025-02-21", None),
    ("none approved", None), ("7 trials", None), ("4.83e1", None), ("nan", None),
])
def test_a_chart_plots_only_a_single_number(value: str, expected: float | None) -> None:
    assert chart_number(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("48.3", (48.3,)), ("5 to 20", (5.0, 20.0)), ("2025-02-21", ()), ("4.83e1", ()), ("none approved", ()),
])
def test_value_numbers_for_look_alikes(value: str, expected: tuple) -> None:
    assert value_numbers(value) == expected


# --- the display shows the value -----------------------------------------------------------------

@pytest.mark.parametrize("value, display", [
    ("48.3", "48.3%"),
    ("48.3", "48,3 %"),
    ("-48.3", "-48.3%"),
    ("-48.3", "\u221248.3%"),
    ("97", "97 patients"),
    ("20000", "$20k"),
    ("20000", "$20,000"),
    ("5000000", "5 million"),
    ("5000-20000", "$5,000 to $20,000 or more"),
    ("0.25", "0.25 mg"),
    ("2026", "2026"),
    ("2025-02-21", "February 21, 2025"),
    ("2025-02-21", "Feb. 21, 2025"),
    ("2025-02-21", "Feb 21 2025"),
    ("2025-02-21", "21 February 2025"),
    ("2025-02-21", "Friday, February 21st, 2025"),
    ("2025-02-21", "21 de febrero de 2025"),
    ("2025-02-21", "2025-02-21"),
    ("none approved", "no stem-cell therapy is FDA-approved"),
    ("7 trials", "7 controlled trials"),
])
def test_a_display_that_shows_its_value(value: str, display: str) -> None:
    assert display_problem(parse_value(value), display) is None


@pytest.mark.parametrize("value, display, why", [
    ("-48.3", "48.3%", "sign differs"),
    ("48.3", "-48.3%", "sign differs"),
    ("48.3", "4.83%", "it shows 4.83, not 48.3"),
    ("100", "1%", "it shows 1, not 100"),
    ("48.3", "48.3k", "it shows 48300, not 48.3"),
    ("48.3", "48%", "48.3 is not in the display"),
    ("5000-20000", "$5,000 or more", "20000 is not in the display"),
    ("2025-02-21", "February 22, 2025", "another date, February 22, 2025"),
    ("2025-02-21", "February 21, 2025 (moved to March 3, 2025)", "another date, March 3, 2025"),
    ("2025-02-21", "2025", "names no date"),
    ("2025-02-21", "February 2025", "names no date"),
    ("2025-02-21", "February 30, 2025", "names no date"),
    ("7 trials", "seven trials", "7 is not in the display"),
])
def test_a_display_that_disagrees_with_its_value(value: str, display: str, why: str) -> None:
    problem = display_problem(parse_value(value), display)
    assert problem is not None and why in problem


# --- numbers in text, resemblance, what a reader sees ---------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("48.3%", (48.3,)),
    ("$5,000 to $20,000", (5000.0, 20000.0)),
    ("5,000-20,000", (5000.0, 20000.0)),
    ("$20k", (20000.0,)),
    ("20 K", (20000.0,)),
    ("$5M", (5e6,)),
    ("1.5 million", (1.5e6,)),
    ("5 km", (5.0,)),
    ("48,3%", (48.3,)),
    ("48,3 per cent", (48.3,)),
    ("4,99 \u20ac", (4.99,)),
    ("1,349", (1349.0,)),
    ("items 1,5", (1.0, 5.0)),
    ("-48.3%", (-48.3,)),
    ("\u221248.3%", (-48.3,)),
    ("COVID-19", (19.0,)),
    ("555-0123", (555.0, 123.0)),
    ("ages 18-65", (18.0, 65.0)),
    ("NCT05507697", ()),
    ("v1.2", ()),
    ("1.2.3 and 20.11.2026", ()),
    ("\u0664\u0668%", (48.0,)),
])
def test_numbers_in_text(text: str, expected: tuple) -> None:
    assert numbers_in(text) == expected


@pytest.mark.parametrize("typed, registered, expected", [
    (48, 48.3, True),        # rounded
    (50, 48.3, True),        # within a few percent
    (48.3, 48.3, True),
    (100, 97, True),
    (20000, 20000, True),    # $20k
    (5000, 5000, True),
    (0.3, 0.25, True),       # rounded half-up to one decimal
    (0.2, 0.25, True),       # cut to one decimal
    (48, -48.3, True),       # "a 48% drop" beside -48.3
    (0, 0, True),
    (2, 5, False),           # "2 times" beside "5 to 20 times"
    (2, 20, False),
    (1.0, 0.25, False),      # the old absolute ±1.0 tolerance said yes
    (12, 97, False),
    (8, 7, False),
    (10, 7, False),
    (4.83, 48.3, False),
    (0, 0.25, False),
    (float("inf"), 48.3, False),
    (48.3, float("nan"), False),
])
def test_resemblance_is_relative(typed: float, registered: float, expected: bool) -> None:
    assert resembles(typed, registered) is expected


@pytest.mark.parametrize("text, expected", [
    ("48%", "48%"),
    ("\u2074\u2078%", "48%"),
    ("\uff14\uff18\uff05", "48%"),
    ("4\u200b8%", "48%"),
    ("4\u00ad8%", "48%"),
    ("\u202e%84\u202c", "48%"),
    ("see \u202e%84\u202c now", "see 48% now"),
    ("caf\u00e9", "caf\u00e9"),
])
def test_visible_text_is_what_a_reader_sees(text: str, expected: str) -> None:
    assert visible(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Meet on November 20, 2026 at 6:30 pm.", [dt.date(2026, 11, 20)]),
    ("Sept. 5, 2025 or 2025-09-06", [dt.date(2025, 9, 5), dt.date(2025, 9, 6)]),
    ("the 3rd of March 2024", [dt.date(2024, 3, 3)]),
    ("March 2024", []),
    ("2025-13-01", []),
])
def test_dates_in_words(text: str, expected: list) -> None:
    assert dates_in(text) == expected


def test_the_invisible_characters_are_unicode_format_characters() -> None:
    format_chars = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    assert {ch for ch in format_chars if not INVISIBLE.match(ch)} == set()
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u2060\ufeff":
        assert INVISIBLE.match(ch)
    assert not INVISIBLE.match("\u00a0") and not INVISIBLE.match("a")


# --- the statistic rule ---------------------------------------------------------------------------

def fact(fid: str, value: str, display: str, unit: str) -> Fact:
    return Fact(fid, value, display, unit, Source("", "", ""), dt.date(2026, 1, 1), "", (), Loc("facts.yaml", 1))


FACTS = {f.id: f for f in (
    fact("trial.control_rate", "48.3", "48.3%", "percent"),
    fact("trial.msc_rate", "10.3", "10.3%", "percent"),
    fact("trial.patients", "97", "97 patients", "patients"),
    fact("trial.years", "8", "8 years", "years"),
    fact("review.year", "2024", "2024", "year"),
    fact("websites.count", "68", "68 clinic websites", "websites"),
    fact("cost.range", "5000-20000", "$5,000 to $20,000 or more", "US dollars"),
    fact("cipn.trial", "NCT05507697", "NCT05507697", ""),
    fact("risk.fold", "5 to 20", "5 to 20 times", "times"),
    fact("dose.low", "0.25", "0.25 mg", "mg"),
    fact("meeting.first", "2025-02-21", "February 21, 2025", ""),
)}

CAUGHT = [  # (prose, what is reported as typed, the fact it names or None)
    ("About 48% of people.", "48%", "trial.control_rate"),
    ("About 48 percent of people.", "48 percent", "trial.control_rate"),
    ("About 48 per cent of people.", "48 per cent", "trial.control_rate"),
    ("About 48,3% of people.", "48,3%", "trial.control_rate"),
    ("About 48,3 % of people.", "48,3 %", "trial.control_rate"),
    ("About 84 pct of people.", "84 pct", None),
    ("About 483\u2030 of people.", "483\u2030", "trial.control_rate"),
    ("About 483 per mille of people.", "483 per mille", "trial.control_rate"),
    ("About 483 per mil of people.", "483 per mil", "trial.control_rate"),
    ("About 48,3 per mille of people.", "48,3 per mille", None),
    ("About \u2074\u2078% of people.", "48%", "trial.control_rate"),
    ("About \uff14\uff18\uff05 of people.", "48%", "trial.control_rate"),
    ("About 4\u200b8% of people.", "48%", "trial.control_rate"),
    ("About \u202e%84\u202c of people.", "48%", "trial.control_rate"),
    ("It costs $5000.", "$5000", "cost.range"),
    ("It costs $20k.", "$20k", "cost.range"),
    ("It costs \u20ac5000.", "\u20ac5000", "cost.range"),
    ("It costs \u00a35000.", "\u00a35000", "cost.range"),
    ("It costs \u00a55000.", "\u00a55000", "cost.range"),
    ("It costs 5000 \u20ac.", "5000 \u20ac", "cost.range"),
    ("It costs 5000 bucks.", "5000 bucks", "cost.range"),
    ("It costs 5000 dollars.", "5000 dollars", "cost.range"),
    ("It costs 5000 USD.", "5000 USD", "cost.range"),
    ("It costs USD 5000.", "USD 5000", "cost.range"),
    ("It costs 5000 EUR.", "5000 EUR", "cost.range"),
    ("It costs 5000 euros.", "5000 euros", "cost.range"),
    ("It costs 5000 pounds.", "5000 pounds", "cost.range"),
    ("It costs 20 euros.", "20 euros", None),  # money, but no money fact near 20
    ("The rate was 10.3 in all.", "10.3", "trial.msc_rate"),
    ("The rate was 12.7 in all.", "12.7", None),
    ("It followed 97 patients.", "97 patients", "trial.patients"),
    ("It followed 97 diabetic adult patients.", "97 diabetic adult patients", "trial.patients"),
    ("It followed 100 patients.", "100 patients", "trial.patients"),
    ("They found 68 clinic websites.", "68 clinic websites", "websites.count"),
    ("It lasted 8 years.", "8 years", "trial.years"),
    ("It was an 8 year trial.", "8 year", "trial.years"),
    ("The risk is 20 times higher.", "20 times", "risk.fold"),
    ("Take 0.25 mg.", "0.25 mg", "dose.low"),
    ("Take 0.3 mg.", "0.3 mg", "dose.low"),
    ("What percent of people?", "percent", None),
]


@pytest.mark.parametrize("prose, typed, resembled", CAUGHT)
def test_statistics_typed_into_prose_are_caught(prose: str, typed: str, resembled: str | None) -> None:
    found = [(t, f.id if f else None) for t, f in find_statistics(prose, FACTS)]
    assert found == [(typed, resembled)]


PLAIN = [
    "Take it 2 times a day.",             # "times" is a unit, but 2 resembles neither 5 nor 20
    "Take 1.0 tablet.",                   # 1.0 is a whole number and does not resemble 0.25
    "Version 1.0 is out.",
    "Take 1.0 mg.",
    "We saw 12 patients.",                # a count: 12 does not resemble 97
    "Here are 7 red flags.",
    "Call 555-0123 to ask.",
    "Call (555) 010-1234 or +1 555 010 1234.",
    "We meet at 6:30 pm.",
    "We meet at 6.30 pm.",
    "It started in 2024.",
    "Reviewed: November 20, 2026",
    "The next meeting is February 21, 2025.",
    "Page 3 of 16",
    "Slide 4",
    "See trial NCT05507697.",
    "1,349 people came.",
    "It was 2 years ago.",
    "In 2024 and the years since.",       # a calendar-year fact (unit "year") is not a quantity
    "See section 1.2.3 of the 20.11.2026 report.",
    "Wait 21 days.",
    "A 5 km walk.",
    "It costs less per mile than 3 per day.",
]


@pytest.mark.parametrize("prose", PLAIN)
def test_counts_dates_times_phones_and_ids_are_not_statistics(prose: str) -> None:
    assert list(find_statistics(prose, FACTS)) == []


def test_each_figure_is_reported_once_in_order() -> None:
    found = [t for t, _ in find_statistics("48% and $5,000-$20,000, then 97 patients and 48%.", FACTS)]
    assert found == ["48%", "$5,000", "$20,000", "97 patients", "48%"]


@pytest.mark.parametrize("text", [
    "7" * 100_000, pytest.param("1," * 50_000, marks=pytest.mark.slow), "1." * 50_000, "1 a b c " * 12_500,
    "$" * 100_000 + "5", "1e" * 50_000, "\u202e48%" * 5_000, "1 " + "x" * 100_000,
    pytest.param("-1" * 50_000, marks=pytest.mark.slow), "48,3" * 25_000 + "%",  # the two slowest: 1 s each
    "97 diabetic " * 10_000 + "patients",
])
def test_long_inputs_are_read_in_linear_time(text: str) -> None:
    start = time.perf_counter()
    list(find_statistics(text, FACTS))
    numbers_in(text)
    with contextlib.suppress(BadValue):
        parse_value(text)
    assert time.perf_counter() - start < 5  # about 0.2 s; a quadratic pattern takes minutes


# --- through `clearfacts check` ------------------------------------------------------------------

@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch copy of the suite's content, the working directory set beside it, its own cache."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path.parent / f"{tmp_path.name}-cache"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path / "content"


def check() -> Result:
    return CliRunner().invoke(main, ["check"], catch_exceptions=False)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def assert_refused(result: Result, where: str, rule: str, *words: str) -> None:
    """Exit 2 with a one-line `file:line: … [rule]` naming `where`, and no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith((where + ":", where + " "))]
    assert lines, f"{where} not in {result.stderr!r}"
    assert any(line.endswith(f"[{rule}]") and all(w in line for w in words) for line in lines), lines


BULLET = '    - "The clinic promises results or says there is no risk."'


def add_facts(content: Path) -> None:
    """Facts other topics have: a fold range, a dose, a date."""
    replace(content / "facts.yaml", "facts:\n", "facts:\n"
            '  risk.fold:\n    value: "5 to 20"\n    display: "5 to 20 times"\n    unit: "times"\n'
            '    source: article\n    where: "x"\n    reviewed: "2026-11-20"\n'
            '  dose.low:\n    value: "0.25"\n    display: "0.25 mg"\n    unit: "mg"\n'
            '    source: article\n    where: "x"\n    reviewed: "2026-11-20"\n'
            '  meeting.first:\n    value: "2025-02-21"\n    display: "February 21, 2025"\n'
            '    source: article\n    where: "x"\n    reviewed: "2026-11-20"\n')


@pytest.mark.parametrize("value, display, at, words", [
    ("4.83e1", "4.83%", "value", ["exponent form"]),
    ("1e2", "1%", "value", ["exponent form"]),
    ("1e309", "1%", "value", ["exponent form"]),
    ("inf", "48.3%", "value", ["not a finite number"]),
    ("nan", "48.3%", "value", ["not a finite number"]),
    ("-48.3", "48.3%", "display", ["does not show its value '-48.3'", "sign"]),
    ("48.3", "4.83%", "display", ["it shows 4.83, not 48.3"]),
    ("2025-02-21", "February 22, 2025", "display", ["another date"]),
    ("2025-02-21", "48.3%", "display", ["names no date"]),
])
def test_a_bad_value_or_display_exits_2_naming_its_line(content: Path, value: str, display: str, at: str,
                                                        words: list[str]) -> None:
    facts = content / "facts.yaml"
    replace(facts, '    value: "48.3"\n    display: "48.3%"', f'    value: "{value}"\n    display: "{display}"')
    line = line_of(facts, f'{at}: "{value if at == "value" else display}"')
    assert_refused(check(), f"content/facts.yaml:{line}", "fact-display", "trial.control_rate", *words)


def test_a_date_fact_shown_in_words_loads(content: Path) -> None:
    add_facts(content)
    loaded = load_content(content)
    assert loaded.facts["meeting.first"].display == "February 21, 2025"


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b",
                                  "\u2060", "\ufeff", "\U000e0041"])
def test_an_invisible_character_exits_2_naming_its_line(content: Path, char: str) -> None:
    library = content / "library.yaml"
    bullet = '    - "The clinic promises results or says there is no risk."'
    replace(library, bullet, f'    - "The clinic promises {char}%84\u202c results."')
    assert_refused(check(), f"content/library.yaml:{line_of(library, 'The clinic promises')}",
                   "invisible-character", f"U+{ord(char):04X}")


def test_an_invisible_character_in_a_comment_is_refused_too(content: Path) -> None:
    facts = content / "facts.yaml"
    replace(facts, "# Keep every value a quoted string.", "# Keep every value\u202e a quoted string.")
    assert_refused(check(), f"content/facts.yaml:{line_of(facts, 'Keep every value')}", "invisible-character",
                   "U+202E RIGHT-TO-LEFT OVERRIDE")


@pytest.mark.parametrize("escape, rule, shown", [
    ("\\u202e", "invisible-character", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("\\u200b", "invisible-character", "U+200B"),
    ("\\e[31m", "yaml", "U+001B"), ("\\x07", "yaml", "U+0007"), ("\\0", "yaml", "U+0000"), ("\\x9b", "yaml", "U+009B"),
    ("\\r", "yaml", "U+000D"), ("\\uffff", "yaml", "U+FFFF"),
])
def test_a_character_written_as_an_escape_is_refused_as_if_typed(content: Path, escape: str, rule: str,
                                                                   shown: str) -> None:
    """A double-quoted YAML string turns "\\u202e" or "\\e" into the character itself, which the
    file could not hold as typed: the same line, the same refusal."""
    library = content / "library.yaml"
    replace(library, BULLET, f'    - "The clinic promises {escape}results."')
    assert_refused(check(), f"content/library.yaml:{line_of(library, 'The clinic promises')}", rule, shown)


def test_an_escaped_control_character_in_the_clinic_name_stops_the_build_at_its_line(content: Path) -> None:
    """It used to reach the deck, whose XML cannot hold it: "could not be made (XMLSyntaxError…);
    please report this as a bug" for each language, and nothing naming the line."""
    settings = content / "settings.yaml"
    replace(settings, 'name: "Example Neuropathy Support Group"', 'name: "Example \\e[31mNeuropathy Group"')
    result = CliRunner().invoke(main, ["build"], catch_exceptions=False)
    assert_refused(result, f"content/settings.yaml:{line_of(settings, 'Neuropathy Group')}", "yaml", "U+001B")
    assert "report this as a bug" not in result.output
    assert not (content.parent / "slides").exists() and not (content.parent / "handouts").exists()


def test_many_escaped_characters_are_reported_ten_lines_and_a_count(content: Path) -> None:
    """A file full of them (a bad export, a paste from a terminal) gives ten lines and the rest
    counted, not a screenful: the same cap as typed invisible characters."""
    library = content / "library.yaml"
    replace(library, BULLET, "\n".join(f'    - "Warning {n}\\e[0m."' for n in range(14)))
    result = check()
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/library.yaml:")]
    assert len(lines) == 11 and all(line.endswith("[yaml]") for line in lines), lines
    assert "U+001B" in lines[0] and lines[-1].endswith(": 4 more strings with such escapes (first shown) [yaml]")


def test_a_tab_written_as_an_escape_is_kept(content: Path) -> None:
    library = content / "library.yaml"
    replace(library, BULLET, '    - "The clinic promises\\tresults or says there is no risk."')
    load_content(content)  # not refused: a tab is as harmless escaped as typed


def test_a_soft_hyphen_and_a_leading_byte_order_mark_are_allowed(content: Path) -> None:
    library = content / "library.yaml"
    replace(library, "The clinic promises results", "The clinic prom\u00adises results")
    library.write_bytes(b"\xef\xbb\xbf" + library.read_bytes())
    load_content(content)


def test_invisible_character_is_a_fixed_error_rule() -> None:
    rule = BY_ID["invisible-character"]
    assert rule.fixed and rule.severity == "error"


@pytest.mark.parametrize("prose, resembled", [(prose, resembled) for prose, _, resembled in CAUGHT
                                              if not INVISIBLE.search(prose)])  # those are refused earlier
def test_each_typed_variant_in_prose_exits_2_naming_its_line(content: Path, prose: str, resembled: str | None) -> None:
    add_facts(content)
    library = content / "library.yaml"
    replace(library, BULLET, f'    - "{prose}"')
    result = check()
    where = f"content/library.yaml:{line_of(library, prose)}"
    hint = [f"it resembles {{{resembled}}}"] if resembled else []
    assert_refused(result, where, "statistic-in-prose", "typed into prose", *hint)


@pytest.mark.parametrize("prose", PLAIN)
def test_plain_numbers_in_prose_load(content: Path, prose: str) -> None:
    add_facts(content)
    replace(content / "library.yaml", BULLET, f'    - "{prose}"')
    try:
        loaded = load_content(content)
    except ContentError as exc:
        raise AssertionError(str(exc)) from None
    assert not [w for w in loaded.warnings if w.rule == "statistic-in-prose"]
