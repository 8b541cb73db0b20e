"""The loader and content rules, driven through `clearfacts check` as an editor would meet them."""

from __future__ import annotations

from pathlib import Path

import pytest
from msgspec import Struct

from clearfacts import model
from clearfacts.content.loader import load_content
from clearfacts.model import ContentSet
from conftest import Site, edit, line_of, run


def test_bundled_content_builds_and_checks_clean(site: Site, here: Path) -> None:
    assert site.build.exit_code == 0  # the session's `clearfacts build` of the suite's content in a new project
    result = run("check")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("OK:")
    assert len(result.stdout.strip().splitlines()) == 1


def content_ok(result) -> bool:
    """The content loaded: no exit 2 (outputs are not built in these tests, so check says 1)."""
    return result.exit_code != 2 and "Traceback" not in result.output


def assert_error(result, where: str, *words: str) -> None:
    """Exit 2, a one-line `file:line: message`, and no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if where in line]
    assert lines, f"{where} not in {result.stderr!r}"
    for word in words:
        assert any(word in line for line in lines), f"{word!r} not in {lines}"


def test_yaml_syntax_error_names_line(project: Path) -> None:
    path = project / "content/facts.yaml"
    line = line_of(path, "value: \"97\"")
    edit(path, '    value: "97"', '    value: "97"\n  - broken')
    assert_error(run("check"), f"content/facts.yaml:{line + 1}", "invalid YAML")


def test_duplicate_key(project: Path) -> None:
    path = project / "content/facts.yaml"
    edit(path, '    display: "97 patients"\n', '    display: "97 patients"\n    display: "98 patients"\n')
    line = line_of(path, '"98 patients"')
    assert_error(run("check"), f"content/facts.yaml:{line}", "duplicate key 'display'")


def test_anchors_and_aliases_are_refused(project: Path) -> None:
    path = project / "content/settings.yaml"
    edit(path, 'group: "Example Neuropathy Support Group"', "group: *name")
    assert_error(run("check"), f"content/settings.yaml:{line_of(path, '*name')}", "aliases")


def test_billion_laughs_is_refused_fast(project: Path) -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    (project / "content/deck.yaml").write_text(bomb, encoding="utf-8")
    assert_error(run("check"), "content/deck.yaml:1", "anchors and aliases")


def test_billion_laughs_after_valid_content_names_its_first_anchor_and_builds_nothing(project: Path) -> None:
    path = project / "content/library.yaml"
    levels = ['lol0: &l0 "lol"'] + [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "\n".join(levels) + "\n", encoding="utf-8")
    assert_error(run("build"), f"content/library.yaml:{line_of(path, 'lol0:')}", "invalid YAML: anchors and aliases")
    assert not (project / "handouts").exists() and not (project / "slides").exists()


def test_file_that_is_not_utf8(project: Path) -> None:
    path = project / "content/library.yaml"
    data = path.read_bytes()
    path.write_bytes(data + b'\n# caf\xe9\n')
    line = data.count(b"\n") + 2
    assert_error(run("check"), f"content/library.yaml:{line}", "not UTF-8")


def test_file_over_the_size_limit_is_refused_before_parsing(project: Path) -> None:
    path = project / "content/booklet.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "#" * 300_000 + "\n", encoding="utf-8")
    assert_error(run("check"), "content/booklet.yaml:1", "the limit is")


def test_missing_required_field(project: Path) -> None:
    path = project / "content/facts.yaml"
    line = line_of(path, "trial.patients:")
    edit(path, '    display: "97 patients"\n', "")
    assert_error(run("check"), f"content/facts.yaml:{line}", "missing required field 'display'")


def test_wrong_type_names_the_field(project: Path) -> None:
    path = project / "content/facts.yaml"
    edit(path, 'display: "97 patients"', 'display: ["97 patients"]')
    line = line_of(path, '["97 patients"]')
    assert_error(run("check"), f"content/facts.yaml:{line}", "'display'", "must be text, not a list")


def test_typo_in_a_key_suggests_the_valid_one(project: Path) -> None:
    path = project / "content/facts.yaml"
    edit(path, '    display: "97 patients"', '    dispaly: "97 patients"')
    assert_error(run("check"), f"content/facts.yaml:{line_of(path, 'dispaly')}", "did you mean 'display'")


def test_unknown_fact_reference(project: Path) -> None:
    path = project / "content/handout.yaml"
    text = path.read_text(encoding="utf-8")
    ref = "{cost.range}"
    assert ref in text
    edit(path, ref, "{cost.rnage}")
    assert_error(run("check"), f"content/handout.yaml:{line_of(path, 'cost.rnage')}",
                 "unknown fact 'cost.rnage'", "did you mean 'cost.range'")


def test_missing_content_folder_names_the_path(project: Path) -> None:
    assert_error(run("check", "--content", "nowhere"), "nowhere", "content folder not found")


def _first_bullet(project: Path) -> tuple[Path, str]:
    path = project / "content/library.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "red_flags:")
    bullet = next(line for line in lines[start + 1:] if line.strip().startswith("- "))
    return path, bullet


@pytest.mark.parametrize("typed, resembles", [
    ("48%", "trial.control_rate"),
    ("48 percent", "trial.control_rate"),
    ("$20k", "cost.range"),
    ("$5000", "cost.range"),
    ("97 patients", "trial.patients"),
])
def test_statistic_typed_into_prose_is_an_error(project: Path, typed: str, resembles: str) -> None:
    path, bullet = _first_bullet(project)
    edit(path, bullet, bullet.rstrip('"') + f' About {typed} of people."' if bullet.endswith('"') else bullet + typed)
    assert_error(run("check"), f"content/library.yaml:{line_of(path, typed)}",
                 f"statistic '{typed}'", resembles)


@pytest.mark.parametrize("plain", ["Here are 7 red flags.", "Call 555-0123 to ask.", "We meet at 6:30 pm.",
                                   "It started in 2024."])
def test_counts_phone_numbers_times_and_years_are_not_statistics(project: Path, plain: str) -> None:
    path, bullet = _first_bullet(project)
    edit(path, bullet, bullet.rstrip('"') + f' {plain}"')
    result = run("check")
    assert content_ok(result), result.stderr
    assert "statistic" not in result.stderr


def test_every_finding_is_reported_not_only_the_first(project: Path) -> None:
    edit(project / "content/handout.yaml", "{cost.range}", "{cost.rnage}")
    edit(project / "content/facts.yaml", '    display: "97 patients"', '    dispaly: "97 patients"')
    result = run("check")
    assert result.exit_code == 2
    assert "cost.rnage" in result.stderr and "dispaly" in result.stderr


def test_changing_a_fact_changes_every_resolved_string(project: Path) -> None:
    before = load_content(project / "content")
    uses = [t for doc in before.documents() for t in doc.texts() if "cost.range" in t.facts]
    assert len(uses) >= 3, "the cost fact should be used by every output"
    edit(project / "content/facts.yaml", 'display: "$5,000 to $20,000 or more"', 'display: "$6,000 to $21,000 or more"')
    edit(project / "content/facts.yaml", 'value: "5000-20000"', 'value: "6000-21000"')
    after = load_content(project / "content")
    changed = [t for doc in after.documents() for t in doc.texts() if "cost.range" in t.facts]
    assert len(changed) == len(uses)
    assert all("$6,000 to $21,000 or more" in t.text and "$5,000" not in t.text for t in changed)


def test_warnings_pass_but_fail_with_strict(project: Path) -> None:
    assert content_ok(run("check"))
    result = run("build", "--strict")
    assert result.exit_code == 1
    assert not (project / "handouts").exists()
    assert f"content/settings.yaml:{line_of(project / 'content/settings.yaml', 'name:')}" in result.stderr
    assert "example value" in result.stderr


def test_unused_fact_is_a_warning(project: Path) -> None:
    edit(project / "content/facts.yaml", "facts:\n", 'facts:\n  spare.fact:\n    value: "3"\n    display: "3"\n'
         '    source: article\n    where: "nowhere"\n    reviewed: "2026-11-20"\n')
    result = run("check")
    assert content_ok(result)
    assert "fact 'spare.fact' is not used" in result.stderr


def test_old_review_date_is_a_warning(project: Path) -> None:
    edit(project / "content/facts.yaml", 'reviewed: "2026-11-20"', 'reviewed: "2019-01-02"')
    assert "over 3 years ago" in run("check").stderr


def test_a_very_long_number_in_prose_is_checked_without_hanging(project: Path) -> None:
    """A pasted 100 kB run of digits once made the statistic rule take minutes (quadratic)."""
    path, bullet = _first_bullet(project)
    edit(path, bullet, bullet.rstrip('"') + " " + "7" * 100_000 + '"')
    result = run("check")
    assert content_ok(result), result.stderr


def test_the_loaded_content_cannot_be_changed_by_what_reads_it(bundled: ContentSet) -> None:
    """Every output is rendered and checked from one model: a renderer that changed a fact or a
    setting would change what the outputs after it say. Every record of the model is frozen, and
    changing one is refused, at any depth."""
    records = [cls for cls in vars(model).values() if isinstance(cls, type) and issubclass(cls, Struct)
               and cls.__module__ == model.__name__]
    assert len(records) > 10
    assert [cls.__name__ for cls in records if not cls.__struct_config__.frozen] == []
    fact = next(iter(bundled.facts.values()))
    for record, name in ((bundled, "facts"), (bundled.settings, "language"), (fact, "display"),
                         (bundled.handout.sections[0], "title")):
        with pytest.raises(AttributeError):
            setattr(record, name, getattr(record, name))


@pytest.mark.parametrize("typed", ["mailto:info@example.org", "example.org", "ftp://example.org"])
def test_a_website_that_opens_no_web_page_is_refused_saying_what_it_must_be(project: Path, typed: str) -> None:
    """The handout prints the website for readers to visit: the message asks for an http(s)://
    address, and only that (it used to offer mailto: first, then refuse a mailto: address)."""
    path = project / "content/settings.yaml"
    edit(path, 'website: "https://example.org"', f'website: "{typed}"')
    result = run("check")
    assert_error(result, f"content/settings.yaml:{line_of(path, 'website:')}",
                 f"'website' must be an http(s):// address, not '{typed}'")
    assert "mailto" not in result.stderr.replace(typed, "")
