"""Starting a new topic: `clearfacts init` writes a content set that builds at once, and
`clearfacts schema` writes JSON Schemas that editors and `check-jsonschema` validate content with.

The schemas are checked three ways: the real `check-jsonschema` tool (a subprocess from this
venv, its cache in the per-test XDG_CACHE_HOME that conftest sets) accepts the suite's content and
a freshly made topic and refuses a broken file; the committed `schema/` folder is what the code
writes; and, mutation by mutation of the suite's content, the schemas never refuse what the
loader accepts and never accept a missing field, an unknown key or an empty value the loader refuses.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml

from clearfacts.content.json_schema import SUFFIX, dumps, modeline, schemas
from clearfacts.content.loader import FILES, load_content
from clearfacts.content.scaffold import template
from clearfacts.errors import ContentError
from conftest import BUNDLED, OUTPUTS, ROOT, run

CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
PLACEHOLDERS = [f"organisation.{k}" for k in ("name", "phone", "email", "website")] + \
    [f"meeting.{k}" for k in ("group", "date", "time", "place", "facilitator")]


def check_jsonschema(*runs: tuple[Path, list[Path]]) -> list[tuple[int, str]]:
    """Run `check-jsonschema --schemafile SCHEMA FILE…` once per (schema, files), side by side
    (it takes about a second to start); each run's exit code and output."""
    procs = [subprocess.Popen([str(CHECK_JSONSCHEMA), "--schemafile", str(schema), *map(str, files)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for schema, files in runs]
    outputs = [proc.communicate(timeout=120)[0] for proc in procs]
    return [(proc.returncode, output) for proc, output in zip(procs, outputs, strict=True)]


@pytest.fixture
def topic(tmp_path: Path) -> Path:
    """A freshly made topic in tmp_path/topic."""
    result = run("init", str(tmp_path / "topic"))
    assert result.exit_code == 0, result.output
    return tmp_path / "topic"


@pytest.fixture
def schema_dir(tmp_path: Path) -> Path:
    result = run("schema", "--out", str(tmp_path / "schema"))
    assert result.exit_code == 0, result.output
    return tmp_path / "schema"


# --- clearfacts init ------------------------------------------------------------------------

def test_init_into_an_empty_folder_then_build_and_check_exit_0(tmp_path: Path) -> None:
    (tmp_path / "topic").mkdir()  # empty is as good as new
    made = run("init", str(tmp_path / "topic"))
    assert made.exit_code == 0, made.output
    assert [line.removeprefix("wrote ") for line in made.stdout.splitlines()[:6]] == \
        [str(tmp_path / "topic" / f"{stem}.yaml") for stem in FILES]
    built = run("build", "--content", str(tmp_path / "topic"), "--outputs", str(tmp_path / "out"))
    assert built.exit_code == 0, built.output
    assert "red-flags.pdf (1 page," in built.stdout and "support-group.pptx (4 slides," in built.stdout
    assert all((tmp_path / "out" / path).is_file() for path in OUTPUTS)
    checked = run("check", "--content", str(tmp_path / "topic"), "--outputs", str(tmp_path / "out"))
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith(f"OK: 3 facts checked in {len(OUTPUTS)} outputs")
    # Each placeholder is named, with its line, as the thing to replace; nothing else is wrong.
    warnings = checked.stderr.splitlines()
    assert len(warnings) == len(PLACEHOLDERS) and all(w.endswith("[example-values]") for w in warnings)
    for field in PLACEHOLDERS:
        assert any(re.match(rf"{re.escape(str(tmp_path))}/topic/settings\.yaml:\d+: warning: '{field}' ", w)
                   for w in warnings), field


def test_init_writes_content_by_default_and_tells_what_to_do_next(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "content").iterdir()) == sorted(f"{s}.yaml" for s in FILES)
    assert "clearfacts schema --out schema" in result.stdout
    today = dt.date.today().isoformat()
    assert f'review_date: "{today}"' in (tmp_path / "content/settings.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("existing", ["a file inside", "a file in its place"])
def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, existing: str) -> None:
    target = tmp_path / "content"
    if existing == "a file inside":
        target.mkdir()
        (target / "notes.txt").write_text("mine", encoding="utf-8")
    else:
        target.write_text("mine", encoding="utf-8")
    result = run("init", str(target))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{target}: already exists and is not empty: "
                                          "give a new or empty folder to clearfacts init"]
    assert not list(tmp_path.rglob("*.yaml"))


def test_every_content_file_names_its_schema_on_its_first_line(topic: Path) -> None:
    for stem in FILES:
        assert template(stem).splitlines()[0] == modeline(stem)
        assert (topic / f"{stem}.yaml").read_text(encoding="utf-8").splitlines()[0] == modeline(stem)
        first = (BUNDLED / f"{stem}.yaml").read_text(encoding="utf-8").splitlines()[0]
        where = first.removeprefix("# yaml-language-server: $schema=")
        assert where != first and (BUNDLED / where).resolve() == ROOT / "schema" / f"{stem}{SUFFIX}"


# --- clearfacts schema ----------------------------------------------------------------------

@pytest.mark.slow  # six check-jsonschema runs; the mutation test below
def test_schema_output_validates_the_suite_content_and_a_new_topic(schema_dir: Path, topic: Path) -> None:
    assert sorted(p.name for p in schema_dir.iterdir()) == sorted(schemas())
    results = check_jsonschema(*((schema_dir / f"{stem}{SUFFIX}", [BUNDLED / f"{stem}.yaml", topic / f"{stem}.yaml"])
                                 for stem in FILES))
    for stem, (code, output) in zip(FILES, results, strict=True):
        assert code == 0, f"{stem}: {output}"


BROKEN = [  # (file, text, replaced by, what the validator names)
    ("facts", "\nfacts:\n", "\nsorces: {}\nfacts:\n", "sorces"),  # an unknown key
    ("settings", 'review_date: "', 'reviewed_on: "', "review_date"),  # a required field missing
    ("deck", "    notes: ", "    note: ", "notes"),  # a slide without speaker notes
    ("handout", '- checklist: "red_flags"', '- checklist: "red_flags"\n        text: "and a paragraph"',
     "too many properties"),  # two kinds in one block
]


@pytest.mark.slow  # the schemas refuse what the loader refuses: the mutation test below, in the default run
def test_schema_refuses_broken_files(schema_dir: Path, tmp_path: Path) -> None:
    runs = []
    for stem, old, new, _ in BROKEN:
        text = (BUNDLED / f"{stem}.yaml").read_text(encoding="utf-8")
        assert old in text
        (tmp_path / stem).mkdir()
        broken = tmp_path / stem / f"{stem}.yaml"
        broken.write_text(text.replace(old, new, 1), encoding="utf-8")
        runs.append((schema_dir / f"{stem}{SUFFIX}", [broken]))
        assert run("check", "--content", str(_with(broken, tmp_path / stem))).exit_code == 2  # the loader agrees
    for (stem, _, _, named), (code, output) in zip(BROKEN, check_jsonschema(*runs), strict=True):
        assert code == 1 and named in output, f"{stem}: {output}"


def _with(broken: Path, folder: Path) -> Path:
    """`folder` made a whole content set: the suite's files beside the broken one."""
    for stem in FILES:
        if not (folder / f"{stem}.yaml").exists():
            shutil.copyfile(BUNDLED / f"{stem}.yaml", folder / f"{stem}.yaml")
    return folder


def test_schemas_are_valid_draft_2020_12_and_byte_stable(schema_dir: Path, tmp_path: Path) -> None:
    again = run("schema", "--out", str(tmp_path / "again"))
    assert again.exit_code == 0, again.output
    for stem in FILES:
        data = (schema_dir / f"{stem}{SUFFIX}").read_bytes()
        assert data == (tmp_path / "again" / f"{stem}{SUFFIX}").read_bytes()
        schema = json.loads(data)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert data.decode() == json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    result = subprocess.run([str(CHECK_JSONSCHEMA), "--check-metaschema", *sorted(map(str, schema_dir.iterdir()))],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr  # patterns are ECMA-262 regular expressions


def test_the_committed_schemas_are_what_clearfacts_schema_writes() -> None:
    committed = sorted(p.name for p in (ROOT / "schema").iterdir())
    assert committed == sorted(schemas()), "run `clearfacts schema` in the repository and commit schema/"
    for name, schema in schemas().items():
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == dumps(schema), \
            f"schema/{name} is out of date: run `clearfacts schema` in the repository"


# --- the schemas agree with the loader --------------------------------------------------------

STRUCTURAL = re.compile(r"unknown key|missing required field|must be|each item of|exactly one of")
Mutation = tuple[str, str, tuple[object, ...]]  # (file stem, what, path to the key)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _child(schema: dict, root: dict, key: object) -> tuple[dict, object]:
    """The schema of `key` inside an instance of `schema`, and the key as a shape: a name the
    writer chose (a fact id, a list name) or a list index becomes "*"."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    for branch in schema.get("anyOf", [schema]):
        types = branch.get("type") if isinstance(branch.get("type"), list) else [branch.get("type")]
        if isinstance(key, int) and "array" in types:
            return branch["items"], "*"
        if isinstance(key, str) and "object" in types:
            if key in branch.get("properties", {}):
                return branch["properties"][key], key
            return branch.get("additionalProperties") or {}, "*"
    return {}, "?"


def _mutations() -> Iterator[Mutation]:
    """Each kind of key in the suite's content, once: deleted, emptied (where optional), and a
    stranger added beside it. Keys are the same kind when the schema describes them and their
    mapping alike (a section's `title` in the handout and in the booklet, two facts' `unit`)."""
    seen: set[str] = set()

    def once(*what: object) -> bool:
        key = json.dumps(what, sort_keys=True, default=str)
        if key in seen:
            return False
        seen.add(key)
        return True

    def walk(stem: str, root: dict, node: object, schema: dict, path: tuple) -> Iterator[Mutation]:
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            sub, step = _child(schema, root, key)
            if isinstance(key, str):
                if once("stranger", schema):
                    yield stem, "stranger", path + (key,)
                if once("key", schema, step):
                    yield stem, "delete", path + (key,)
                    if step != "*" and key not in schema.get("required", ()):
                        yield stem, "empty", path + (key,)
            yield from walk(stem, root, value, sub, path + (key,))

    for stem in FILES:
        root = schemas()[f"{stem}{SUFFIX}"]
        yield from walk(stem, root, yaml.safe_load((BUNDLED / f"{stem}.yaml").read_text(encoding="utf-8")), root, ())


@pytest.mark.parametrize("kind", ["stranger", pytest.param("delete", marks=pytest.mark.slow),
                                  pytest.param("empty", marks=pytest.mark.slow)])
def test_the_schemas_and_the_loader_agree_on_every_kind_of_field(tmp_path: Path, kind: str) -> None:
    """A stranger key beside each kind of mapping, each kind of key deleted, each optional field
    left empty: the loader and the schema must agree (cross-file findings aside: a deleted fact
    still satisfies the schema of facts.yaml)."""
    shutil.copytree(BUNDLED, tmp_path / "content")
    validators = {stem: jsonschema.Draft202012Validator(schemas()[f"{stem}{SUFFIX}"],
                                                        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
                  for stem in FILES}
    trees = {stem: yaml.safe_load((BUNDLED / f"{stem}.yaml").read_text(encoding="utf-8")) for stem in FILES}
    assert all(validators[stem].is_valid(trees[stem]) for stem in FILES)
    load_content(tmp_path / "content")
    mutations = [(stem, path) for stem, what, path in _mutations() if what == kind]
    assert len(mutations) > 10
    for stem, path in mutations:
        tree = copy.deepcopy(trees[stem])
        parent = tree
        for key in path[:-1]:
            parent = parent[key]
        if kind == "delete":
            del parent[path[-1]]
        elif kind == "empty":
            parent[path[-1]] = None
        else:
            parent["zz_stranger"] = "x"
        target = tmp_path / "content" / f"{stem}.yaml"
        target.write_text(yaml.dump(tree, Dumper=DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8")
        try:
            load_content(tmp_path / "content")
            refused: list[str] = []
        except ContentError as exc:
            refused = [f.message for f in exc.findings]
        structural = [m for m in refused if STRUCTURAL.search(m)]
        valid = validators[stem].is_valid(tree)
        case = f"{stem}.yaml, {kind} {'.'.join(map(str, path))}: the loader says {refused or 'fine'}"
        assert refused or valid, f"the schema refuses what the loader accepts: {case}"
        assert not structural or not valid, f"the schema accepts what the loader refuses: {case}"
        shutil.copyfile(BUNDLED / f"{stem}.yaml", target)
