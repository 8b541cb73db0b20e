"""Malformed content never crashes clearfacts: it loads, or it is refused as `file:line: message`.

Content editors type anything and CI builds content from pull requests, so every broken file
must end in a one-line finding that names a content file, never a traceback. Each example is the
bundled content set with one mutation: a field replaced by another YAML type or hostile text, a
key deleted or renamed, a file truncated, over the size limit, nested too deep, garbage bytes or
invalid UTF-8. Most run in-process through the loader and content rules; a few go through a
whole `clearfacts build` in a project whose previous outputs must survive byte for byte.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from clearfacts.content.loader import FILES, content_warnings, load_content, shown_root
from clearfacts.content.yaml_reader import MAX_BYTES, MAX_DEPTH
from clearfacts.errors import ContentError, Finding
from conftest import BUNDLED, OUTPUTS, run

# One finding per line: "file:line: message", or "file is …" ("slides/x.pptx is stale: …")
ERROR_LINE = re.compile(r"^[^:]+(:\d+)?: |^\S+ is ")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # tab is fine; the rest breaks or rewrites a line
SLOW_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
Mutation = tuple[str, bytes]  # (file stem, the file's new bytes)


class NoAliasDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Repeated objects are written out again: the loader refuses anchors, which is not the point here."""

    def ignore_aliases(self, data: object) -> bool:
        return True


@cache
def bundled() -> dict[str, bytes]:
    """The suite's content set, read once per session."""
    return {stem: (BUNDLED / f"{stem}.yaml").read_bytes() for stem in FILES}


@cache
def tree(stem: str) -> object:
    return yaml.safe_load(bundled()[stem])


@cache
def key_paths(stem: str) -> tuple[tuple[object, ...], ...]:
    """Every place in a file a value can sit: () is the whole document."""
    found: list[tuple[object, ...]] = []

    def walk(node: object, path: tuple[object, ...]) -> None:
        found.append(path)
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            walk(child, (*path, key))

    walk(tree(stem), ())
    return tuple(found)


NASTY = ["", " ", "\u200f\u202eevil\u202c", "\U0001f469\u200d\u2695\ufe0f\U0001f9ec", "e\u0301\u0302\u0323",
         "\x00", "a\x00b", "\x1b[31mred", "\x07\x08\x7f", "a\nb", "a\rb", "x\u2028y", "\x85", "\ufeff",
         "{", "}", "{{", "}}", "{unknown.fact}", "{count:nope}", "{trial.patients", "{ trial.patients }",
         "48%", "48 percent", "$5000", "$20k", "10.3", "97 patients", "yes", "no", "null", "~", "1.10",
         "2026-02-30", "0000-00-00", "javascript:alert(1)", "file:///etc/passwd", "../../etc/passwd",
         "../outside.pptx", "<b>", "<img src=/etc/passwd>", "&amp;", "%", "!!python/object", "*alias",
         "&anchor", "- x", "key: value", "#", "'", '"', "\\", "red_flags[0-99]", "red_flags[3-1]", "all"]


def nested(depth: int) -> object:
    value: object = "deep"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


SCALARS = st.one_of(
    st.integers(), st.floats(), st.booleans(), st.none(), st.dates(),
    st.text(max_size=40),
    st.sampled_from(NASTY),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "é", "\U0001f600", " ", "{", "\u200f", "9"]),
              st.sampled_from([300, 5_000, 100_000])),
    st.integers(MAX_DEPTH - 2, 200).map(nested),
)
VALUES = st.recursive(SCALARS, lambda kids: st.lists(kids, max_size=3)
                      | st.dictionaries(st.text(max_size=8), kids, max_size=3), max_leaves=6)


def dump(document: object) -> bytes:
    return yaml.dump(document, Dumper=NoAliasDumper, allow_unicode=True, sort_keys=False).encode()


@st.composite
def value_mutations(draw: st.DrawFn) -> Mutation:
    """One field of one file replaced, deleted or renamed."""
    stem = draw(st.sampled_from(FILES))
    document = copy.deepcopy(tree(stem))
    path = draw(st.sampled_from(key_paths(stem)))
    op = draw(st.sampled_from(["replace", "replace", "delete", "rename"]))
    if not path:
        return stem, b"" if op == "delete" else dump(draw(VALUES))
    parent = document
    for key in path[:-1]:
        parent = parent[key]  # type: ignore[index]
    last = path[-1]
    if op == "delete":
        del parent[last]  # type: ignore[attr-defined]
    elif op == "rename" and isinstance(parent, dict):
        parent[draw(st.one_of(st.text(max_size=20), st.sampled_from(NASTY)))] = parent.pop(last)
    else:
        parent[last] = draw(VALUES)  # type: ignore[index]
    return stem, dump(document)


SYNTAX = ["&a ", "*a", "!!python/object:os.system ", "!!binary ", "!custom ", "%YAML 1.1\n---\n", "---\n",
          "...\n", "? ", "\t", "\r", "\ufeff", "\x85", "{", "[", "]", "}", "|", ">", "@", "`", ": ", "- ", "\n  ",
          '"', "'", "#", ",", "\x00", "\x1b"]
BAD_UTF8 = [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf0\x28\x8c\xbc", b"\x80", b"\xfe\xff", b"\xc0\xaf"]


@st.composite
def file_mutations(draw: st.DrawFn) -> Mutation:
    """One file damaged as bytes: what an editor, a bad merge or a hostile pull request produces."""
    stem = draw(st.sampled_from(FILES))
    original = bundled()[stem]
    at = draw(st.integers(0, len(original)))
    kind = draw(st.sampled_from(["garbage", "utf8", "insert", "syntax", "truncate", "oversize", "deep", "long"]))
    if kind == "garbage":
        return stem, draw(st.binary(max_size=2048))
    if kind == "utf8":
        return stem, original[:at] + draw(st.sampled_from(BAD_UTF8)) + original[at:]
    if kind == "insert":
        return stem, original[:at] + draw(st.text(min_size=1, max_size=30)).encode() + original[at:]
    if kind == "syntax":
        return stem, original[:at] + draw(st.sampled_from(SYNTAX)).encode() + original[at:]
    if kind == "truncate":
        return stem, original[:at]
    if kind == "oversize":
        return stem, original + b"#" * (MAX_BYTES - len(original) + draw(st.integers(1, 4096)))
    depth = draw(st.integers(MAX_DEPTH - 2, 200))
    if kind == "deep":
        flow = draw(st.booleans())
        body = "[" * depth + "x" + "]" * depth if flow else "".join(f"\n{'  ' * (i + 1)}k{i}:" for i in range(depth))
        return stem, original + f"\ndeep: {body} x\n".encode()
    return stem, original + b'\nlong: "' + draw(st.sampled_from([b"x", b"\xc3\xa9", b"{"])) * 100_000 + b'"\n'


def write_content(folder: Path, mutation: Mutation) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, data in bundled().items():
        (folder / f"{stem}.yaml").write_bytes(data)
    stem, data = mutation
    (folder / f"{stem}.yaml").write_bytes(data)


def assert_clean_finding(finding: Finding, folder: Path) -> None:
    """Names a content file (or the folder) and a line inside it, on one printable line."""
    name = shown_root(folder)
    assert finding.path == name or (finding.path.startswith(f"{name}/") and finding.path.endswith(".yaml")), finding
    shown = str(finding)
    assert len(shown.splitlines()) == 1 and not CONTROL.search(shown), f"not one clean line: {shown!r}"
    if finding.line is not None:
        data = (folder / Path(finding.path).name).read_bytes()
        lines = max(data.count(b"\n"), len(data.decode("utf-8", "replace").splitlines()))
        assert 1 <= finding.line <= lines + 1, f"line {finding.line} is outside the file: {shown!r}"


def assert_loads_or_refuses_cleanly(folder: Path) -> None:
    """Success, or a ContentError whose every finding is clean; any other exception is a bug."""
    try:
        content = load_content(folder)
    except ContentError as exc:
        assert exc.findings
        for finding in exc.findings:
            assert_clean_finding(finding, folder)
        event("refused")
        return
    for warning in content_warnings(content, dt.date(2030, 1, 1)):
        assert_clean_finding(warning, folder)
    event("loaded")


# The default run tries a few dozen mutations of each kind; `pytest -m slow` (in CI) tries
# hundreds, and a few whole builds.
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=SLOW_OK)
LONG = settings(max_examples=600, deadline=None, suppress_health_check=SLOW_OK)


def field_mutation_is_handled(tmp_path: Path, mutation: Mutation) -> None:
    folder = tmp_path / "content"
    write_content(folder, mutation)
    assert_loads_or_refuses_cleanly(folder)


@QUICK
@given(mutation=value_mutations())
def test_any_field_of_any_type_loads_or_is_refused_with_file_and_line(tmp_path: Path, mutation: Mutation) -> None:
    field_mutation_is_handled(tmp_path, mutation)


@pytest.mark.slow
@LONG
@given(mutation=value_mutations())
def test_any_field_of_any_type_loads_or_is_refused_with_file_and_line_long(tmp_path: Path,
                                                                           mutation: Mutation) -> None:
    field_mutation_is_handled(tmp_path, mutation)


@QUICK
@given(mutation=file_mutations())
def test_damaged_files_are_refused_with_file_and_line(tmp_path: Path, mutation: Mutation) -> None:
    field_mutation_is_handled(tmp_path, mutation)


@pytest.mark.slow
@settings(LONG, max_examples=450)
@given(mutation=file_mutations())
def test_damaged_files_are_refused_with_file_and_line_long(tmp_path: Path, mutation: Mutation) -> None:
    field_mutation_is_handled(tmp_path, mutation)


def build_keeps_previous_outputs(project: Path, pristine: Path, mutation: Mutation) -> None:
    """The suite's content built once (the files a clinic already has), then a malformed edit."""
    before = {name: (pristine / name).read_bytes() for name in OUTPUTS}
    write_content(project / "content", mutation)
    for name, data in before.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(data)
    result = run("build")
    assert "Traceback" not in result.output
    assert "report this as a bug" not in result.output  # a renderer that failed on what the loader let in
    assert result.exit_code in (0, 1, 2), result.output
    event(f"exit {result.exit_code}")
    if result.exit_code:
        assert all(ERROR_LINE.match(line) for line in result.stderr.splitlines()), result.stderr
        assert {name: (project / name).read_bytes() for name in before} == before
        assert not [p for d in {Path(name).parent for name in OUTPUTS} for p in (project / d).glob(".*.tmp")]


@settings(max_examples=3, deadline=None, suppress_health_check=SLOW_OK)
@given(mutation=st.one_of(value_mutations(), file_mutations()))
def test_a_build_of_malformed_content_fails_cleanly_and_keeps_the_previous_outputs(
        project: Path, pristine: Path, mutation: Mutation) -> None:
    build_keeps_previous_outputs(project, pristine, mutation)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=SLOW_OK)
@given(mutation=st.one_of(value_mutations(), file_mutations()))
def test_a_build_of_malformed_content_fails_cleanly_and_keeps_the_previous_outputs_long(
        project: Path, pristine: Path, mutation: Mutation) -> None:
    build_keeps_previous_outputs(project, pristine, mutation)


def _replace(stem: str, old: str, new: str) -> Mutation:
    """The suite's file `stem` with one exact piece of it replaced (failing loudly if absent)."""
    text = bundled()[stem].decode()
    assert old in text, f"{old!r} not in {stem}.yaml"
    return stem, text.replace(old, new, 1).encode()


def _empty_booklet() -> Mutation:
    text = bundled()["booklet"].decode()
    return "booklet", (text[:text.index("sections:")] + "sections: []\n").encode()


def _emptied(pattern: str, empty: str) -> Mutation:
    """library.yaml with the block of lines `pattern` matches replaced by an empty one."""
    text, count = re.subn(pattern, empty, bundled()["library"].decode(), count=1)
    assert count == 1, pattern
    return "library", text.encode()


_LONG_CELL = ("Evidence is growing, but the studies are small. " * 12)[:539] + "."
_LONG_URL = ("https://clinicaltrials.gov/search?term=" + "neuropathy+" * 800)[:8000]
assert len(_LONG_CELL) == 540 and len(_LONG_URL) == 8000

# Each edit breaks one limit the loader enforces (docs/content-format.md): the marker is a piece
# of text on the line the error must name, the words are what its message must say.
EDGES: dict[str, tuple[Callable[[], Mutation], str, str]] = {
    "empty booklet": (_empty_booklet, "sections: []", "lists no sections"),
    "empty list": (lambda: _emptied(r"(?m)^  harms:\n(    - .*\n)+", "  harms: []\n"), "harms: []",
                   "list 'harms' has no items"),
    "empty table": (lambda: _emptied(r"(?m)^    rows:\n(      - .*\n)+", "    rows: []\n"), "rows: []",
                    "table 'treatments' has no rows"),
    "empty notice": (lambda: _replace("library", 'disclaimer: "This is not medical advice, so please talk with your '
                                      'doctor before you try any treatment."', 'disclaimer: ""'), 'disclaimer: ""',
                     "'disclaimer' in notices is empty"),
    "540-character table cell": (lambda: _replace("library", '"Evidence is growing"', f'"{_LONG_CELL}"'), _LONG_CELL,
                                 "is 540 characters long; the limit is 200"),
    "8,000-character link address": (lambda: _replace("library", 'url: "https://clinicaltrials.gov", qr: "yes"',
                                                      f'url: "{_LONG_URL}", qr: "yes"'), _LONG_URL,
                                     "'url' is 8,000 characters long"),
    "NUL in a mailto: address": (lambda: _replace("library", 'url: "https://clinicaltrials.gov/study/NCT05507697"',
                                                  r'url: "mailto:trials@example.org\0?subject=NCT05507697"'),
                                 "mailto:trials@example.org", "unprintable character U+0000, written as an escape"),
}


@pytest.mark.parametrize("case", list(EDGES))
def test_an_edge_of_the_content_limits_is_refused_in_one_line_and_keeps_the_previous_outputs(
        project: Path, pristine: Path, case: str) -> None:
    """Empty things and oversized things a clinic could type: exit 2, one `file:line` line naming
    the line that breaks the limit, no traceback, and yesterday's outputs still on disk."""
    make, marker, words = EDGES[case]
    stem, data = make()
    before = {name: (pristine / name).read_bytes() for name in OUTPUTS}
    write_content(project / "content", (stem, data))
    for name, old in before.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(old)
    result = run("build")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    line = next(n for n, text in enumerate(data.decode().splitlines(), 1) if marker in text)
    assert errors and all(ERROR_LINE.match(e) for e in errors), result.stderr
    assert len(errors) == 1 and errors[0].startswith(f"content/{stem}.yaml:{line}: "), result.stderr
    assert words in errors[0], errors[0]
    assert not CONTROL.search(result.stderr.replace("\n", "")), result.stderr
    assert {name: (project / name).read_bytes() for name in before} == before
    assert not [p for d in ("handouts", "slides", "web") for p in (project / d).glob(".*.tmp")]


SECRET = "secret-token-3f9a: this line must never be shown"


# Where a content file's link may lead, from the project folder (the content folder's parent).
LINKS = {
    "a system file": "/etc/hostname",
    "a file in another folder, by absolute path": "{project}/elsewhere/facts.yaml",
    "a file in another folder, by relative path": "../elsewhere/facts.yaml",
    "a folder outside": "{project}/elsewhere",
    "a missing file outside": "../nowhere/facts.yaml",
}


@pytest.mark.parametrize("target", list(LINKS))
def test_a_content_file_linked_to_outside_the_folder_is_refused_without_reading_it(
        project: Path, target: str) -> None:
    """A facts.yaml symlinked to a system or neighbouring file would be read and its lines quoted
    in errors: it is refused by where it leads, in one line, like a template outside the folder."""
    other = project / "elsewhere"  # a sibling project's file, broken YAML naming a secret: read, it would be quoted
    other.mkdir()
    (other / "facts.yaml").write_text(f"{SECRET}\n  - [\n", encoding="utf-8")
    path = project / "content/facts.yaml"
    path.unlink()
    path.symlink_to(LINKS[target].format(project=project))
    result = run("check")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        "content/facts.yaml is a link that leads outside the content folder; copy the file in instead [yaml]"]
    assert SECRET not in result.output and "Traceback" not in result.output
    if Path("/etc/hostname").is_file():
        assert Path("/etc/hostname").read_text().strip() not in result.output


def test_a_link_to_another_file_inside_the_content_folder_still_works(project: Path) -> None:
    """Links that stay inside the folder (one file kept under a dated name) are fine."""
    content = project / "content"
    (content / "facts.yaml").rename(content / "facts-2026.yaml")
    (content / "facts.yaml").symlink_to("facts-2026.yaml")
    assert load_content(content).facts["trial.msc_rate"].display == "10.3%"


def test_a_content_file_that_is_a_fifo_is_refused_at_once(project: Path) -> None:
    """A named pipe would block a reader forever (nobody writes to it): it is opened without
    waiting and refused as not a regular file."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("this platform has no named pipes (os.mkfifo)")
    path = project / "content/settings.yaml"
    path.unlink()
    os.mkfifo(path)
    result = run("check")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        "content/settings.yaml: not a regular file (a folder, device or pipe cannot be content) [yaml]"]
