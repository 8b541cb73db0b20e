"""Content rules as a list: every finding names its rule, `--list-rules` prints the list, and
`rules:` in settings.yaml changes a rule's severity, which changes the exit code.

Self-contained fixtures (a copy of the suite's content, a private build cache): the shared
conftest is being migrated, and these tests need nothing from it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from clearfacts.cli import main
from clearfacts.content.loader import content_warnings, load_content
from clearfacts.content.rules import RULES
from clearfacts.errors import ContentError, Finding

HERE = Path(__file__).resolve().parent
# The suite's own content set; the repository's content/ only while the fixture copy is missing.
SOURCE = next(p for p in (HERE / "fixtures" / "content", HERE.parent / "content") if p.is_dir())
TYPED = "In the control group, {trial.control_rate} did."
STATISTIC = ("statistic '48%' typed into prose: use a fact reference; it resembles {trial.control_rate} (48.3%)"
             " [statistic-in-prose]")


@pytest.fixture
def content(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch copy of the content, the working directory beside it, a build cache of its own
    (outside the outputs folder, where the cache is refused by design)."""
    shutil.copytree(SOURCE, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path / "content"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def set_rules(content: Path, *entries: str) -> Path:
    """Append a `rules:` block to settings.yaml; returns the file."""
    settings = content / "settings.yaml"
    with settings.open("a", encoding="utf-8") as fh:
        fh.write("rules:\n" + "".join(f"  {entry}\n" for entry in entries))
    return settings


def type_a_statistic(content: Path) -> int:
    """Replace a fact reference in library.yaml with the figure typed by hand; its line."""
    library = content / "library.yaml"
    edit(library, TYPED, "In the control group, 48% did.")
    return line_of(library, "48% did")


def lengthen_booklet_list(content: Path) -> int:
    """check_steps (4 items, booklet only) grows to 8; the line of the booklet block that shows it."""
    last = '    - "Take what you find to your doctor and ask if the study could fit you."\n'
    more = "".join(f'    - "Write down step {n}."\n' for n in range(5, 9))
    edit(content / "library.yaml", last, last + more)
    return line_of(content / "booklet.yaml", 'bullets: "check_steps"')


# --- the list itself -----------------------------------------------------------------------------

def test_every_rule_has_an_id_a_default_severity_and_a_description() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id), rule.id
        assert rule.severity in ("error", "warning") and rule.description
        assert (rule.check is None) != (not rule.where), f"{rule.id}: a function or where it runs, not both"
        assert not rule.fixed or rule.severity == "error"
    assert {"yaml", "schema", "statistic-in-prose", "unknown-fact", "list-length", "slide-bullets",
            "unique-slide-titles", "slide-title", "unused-fact", "review-age", "example-values"} <= set(ids)


def test_list_rules_prints_every_rule_without_a_content_folder(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no content/ here
    result = run("check", "--list-rules")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(RULES)
    for rule, line in zip(RULES, lines, strict=True):
        assert line.split()[:2] == [rule.id, rule.severity] and line.endswith(rule.description)
    by_id = {line.split()[0]: line for line in lines}
    assert "(fixed)" in by_id["schema"] and "(fixed)" in by_id["yaml"]
    assert "(fixed)" not in by_id["statistic-in-prose"]
    assert by_id["list-length"].split()[1] == "warning" and by_id["slide-bullets"].split()[1] == "warning"


def test_finding_text_ends_with_its_rule_id() -> None:
    assert str(Finding("content/deck.yaml", 4, "slide 2 has no title", rule="slide-title")) == \
        "content/deck.yaml:4: slide 2 has no title [slide-title]"
    assert str(Finding("slides/x.pptx", None, "is stale")) == "slides/x.pptx is stale"


def test_the_command_line_still_starts_with_click_alone() -> None:
    code = "import sys, clearfacts.cli; print(sorted(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "'clearfacts.content" not in loaded and "'yaml'" not in loaded and "'click'" in loaded
    assert "'msgspec'" not in loaded  # the records' library loads with a command, not for --help



def test_python_dash_m_clearfacts_runs_the_same_commands(tmp_path: Path) -> None:
    """Where the scripts folder is not on PATH, `python -m clearfacts` is the same tool: the same
    output, the same exit codes."""
    script = str(Path(sys.executable).parent / "clearfacts")
    for args in (["check", "--list-rules"], ["build", "--content", "no-such-folder"]):
        by_script = subprocess.run([script, *args], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        by_module = subprocess.run([sys.executable, "-m", "clearfacts", *args], cwd=tmp_path, capture_output=True,
                                   text=True, timeout=60)
        assert (by_module.returncode, by_module.stdout, by_module.stderr) == \
            (by_script.returncode, by_script.stdout, by_script.stderr)
        assert by_module.stdout or by_module.stderr
    assert by_module.returncode == 2 and "no-such-folder" in by_module.stderr

# --- severities and exit codes -------------------------------------------------------------------

def test_a_typed_statistic_is_an_error_naming_line_and_rule(content: Path) -> None:
    line = type_a_statistic(content)
    result = run("check")
    assert result.exit_code == 2
    assert f"content/library.yaml:{line}: {STATISTIC}" in result.stderr.splitlines()


def test_statistic_rule_made_a_warning_builds_checks_and_prints_it(here: Path) -> None:
    """A clinic lowers the rule on purpose: the typed '48%' builds, the verifier accepts the figure
    the content itself types, and `check` lists the warning with its line (in conftest's `here`,
    a project built on this machine before the edit)."""
    content = here / "content"
    line = type_a_statistic(content)
    set_rules(content, "statistic-in-prose: warning")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "statistic-in-prose ×1" in result.stderr
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    assert f"content/library.yaml:{line}: warning: {STATISTIC}" in checked.stderr.splitlines()
    strict = run("build", "--strict")
    assert strict.exit_code == 1
    assert f"content/library.yaml:{line}: warning: {STATISTIC}" in strict.stderr.splitlines()


@pytest.mark.slow  # a warning in build/--strict: the statistic test above
def test_a_long_list_is_a_warning_and_settings_can_make_it_an_error(content: Path) -> None:
    line = lengthen_booklet_list(content)
    message = "a list has 8 items; keep it to 7 or fewer [list-length]"
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "list-length ×1" in result.stderr
    assert f"content/booklet.yaml:{line}: warning: {message}" in run("check").stderr.splitlines()
    assert run("build", "--strict").exit_code == 1

    set_rules(content, "list-length: error")
    result = run("check")
    assert result.exit_code == 2
    assert f"content/booklet.yaml:{line}: {message}" in result.stderr.splitlines()


def test_too_many_bullets_on_a_slide_is_a_warning_unless_settings_say_error(content: Path) -> None:
    edit(content / "library.yaml", '    - "Share our own thoughts and stories."\n',
         '    - "Share our own thoughts and stories."\n    - "Plan our next meeting."\n')
    line = line_of(content / "deck.yaml", 'bullets: "plan"')
    found = [w for w in content_warnings(load_content(content), dt.date(2027, 1, 1)) if w.rule == "slide-bullets"]
    assert [(w.path, w.line, w.severity) for w in found] == [("content/deck.yaml", line, "warning")]
    assert "has a list of 7 bullets; a slide shows at most 6" in str(found[0])

    set_rules(content, "slide-bullets: error")
    result = run("check")
    assert result.exit_code == 2
    assert re.search(rf"^content/deck\.yaml:{line}: slide \d+ has a list of 7 bullets.*\[slide-bullets\]$",
                     result.stderr, re.MULTILINE)


def test_duplicate_slide_titles_are_an_error_that_settings_can_lower(content: Path) -> None:
    deck = content / "deck.yaml"
    line = line_of(deck, 'title: "What stem cells are"')  # slide 4, after a part divider; slide 2 is "Today's plan"
    edit(deck, 'title: "What stem cells are"', 'title: "Today\'s plan"')
    result = run("check")
    assert result.exit_code == 2
    assert (f"content/deck.yaml:{line}: slide 4 has the same title as slide 2: 'Today's plan' "
            "[unique-slide-titles]") in result.stderr.splitlines()

    set_rules(content, "unique-slide-titles: warning")
    warnings = content_warnings(load_content(content), dt.date(2027, 1, 1))
    assert [(w.line, w.severity) for w in warnings if w.rule == "unique-slide-titles"] == [(line, "warning")]


def test_a_rule_turned_off_reports_nothing(content: Path) -> None:
    assert any(w.rule == "example-values" for w in content_warnings(load_content(content), dt.date(2027, 1, 1)))
    set_rules(content, "example-values: off")  # unquoted: still the word, never YAML 1.1's false
    assert not any(w.rule == "example-values" for w in content_warnings(load_content(content), dt.date(2027, 1, 1)))


def test_review_age_is_a_warning_and_can_stop_the_load(content: Path) -> None:
    later = dt.date(2040, 1, 1)
    aged = [w for w in content_warnings(load_content(content), later) if w.rule == "review-age"]
    assert aged and all(w.severity == "warning" and str(w).endswith(" [review-age]") for w in aged)
    assert all(w.path == "content/facts.yaml" and w.line for w in aged)

    set_rules(content, "review-age: error")
    with pytest.raises(ContentError) as caught:
        load_content(content, today=later)
    assert {f.rule for f in caught.value.findings} == {"review-age"}
    load_content(content)  # today, the facts are recent: no error


def test_unknown_rules_and_severities_in_settings_name_their_line(content: Path) -> None:
    settings = set_rules(content, "list-lenght: error", "unused-fact: warnin", "schema: warning",
                         "review-age: [error]", "slide-title: error")
    result = run("check")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    at = {needle: f"content/settings.yaml:{line_of(settings, needle)}: " for needle in
          ("list-lenght", "unused-fact", "schema:", "review-age")}
    assert at["list-lenght"] + "unknown rule 'list-lenght' in 'rules' (did you mean 'list-length'?) [schema]" in lines
    assert (at["unused-fact"] + "rule 'unused-fact' must be \"error\", \"warning\" or \"off\", not 'warnin' "
            "(did you mean 'warning'?) [schema]") in lines
    assert at["schema:"] + "rule 'schema' is fixed at error: content that breaks it cannot be built [schema]" in lines
    assert (at["review-age"] + "rule 'review-age' must be \"error\", \"warning\" or \"off\", not a list "
            "[schema]") in lines
    assert len(lines) == 4  # slide-title: error (its default) is accepted


# --- every finding names its rule ----------------------------------------------------------------

def test_schema_and_yaml_problems_carry_their_fixed_rule(content: Path) -> None:
    edit(content / "facts.yaml", "    where:", "    wher:")
    result = run("check")
    assert result.exit_code == 2
    assert re.search(r"^content/facts\.yaml:\d+: unknown key 'wher' in fact '[a-z_.]+' "
                     r"\(did you mean 'where'\?\) \[schema\]$", result.stderr, re.MULTILINE)

    edit(content / "settings.yaml", 'paper: "letter"', 'paper: "letter"\npaper: "a4"')
    result = run("check")
    assert result.exit_code == 2
    assert re.search(r"^content/settings\.yaml:\d+: duplicate key 'paper' .*\[yaml\]$", result.stderr, re.MULTILINE)


def test_unknown_fact_names_its_rule(content: Path) -> None:
    edit(content / "library.yaml", TYPED, "In the control group, {trial.control_rat} did.")
    result = run("check")
    assert result.exit_code == 2
    line = line_of(content / "library.yaml", "{trial.control_rat}")
    assert (f"content/library.yaml:{line}: unknown fact 'trial.control_rat' (did you mean 'trial.control_rate'?) "
            "[unknown-fact]") in result.stderr.splitlines()


def test_machine_formats_carry_the_rule(content: Path) -> None:
    line = type_a_statistic(content)
    result = run("check", "--format", "json")
    assert result.exit_code == 2
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding == {"file": "content/library.yaml", "line": line, "fact": "trial.control_rate",
                       "severity": "error", "rule": "statistic-in-prose",
                       "message": STATISTIC.removesuffix(" [statistic-in-prose]")}
    result = run("check", "--format", "github")
    assert result.exit_code == 2
    assert result.stdout.startswith(f"::error file=content/library.yaml,line={line},title=statistic-in-prose::")
