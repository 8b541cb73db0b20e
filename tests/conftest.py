"""Shared test helpers: the suite's own content set, a private build cache per test, and the CLI
run in-process.

The tests never read the repository's `content/` folder (a clinic edits it, as the README says):
they use `tests/fixtures/content`, a copy of the content bundled at the time. Only
`test_build.py::test_the_committed_outputs_are_what_the_committed_content_builds` looks at the
repository's own content and outputs, through `clearfacts build --check`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from clearfacts.cli import main
from clearfacts.content.loader import load_content
from clearfacts.formats import formats
from clearfacts.model import ContentSet
from clearfacts.options import BuildOptions
from clearfacts.stamps import expected_stamps

# CI replays the same generated cases on every run, so a red build always names a reproducible
# input; local runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = Path(__file__).resolve().parent / "fixtures" / "content"
OUTPUTS = tuple(f.path for f in formats())  # every output file, relative to the outputs folder


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds made by module- and session-scoped fixtures keep their cache out of the user's."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache-session")))
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        yield


@pytest.fixture(autouse=True)
def cache_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets an empty build cache of its own, never the user's `~/.cache/clearfacts`.

    It is not inside `tmp_path`: a cache inside the outputs folder is refused by design."""
    home = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def bundled() -> ContentSet:
    """The suite's content set, loaded once: renderer tests read it and never change it."""
    return load_content(BUNDLED)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch project: a copy of the suite's content, the working directory set to it."""
    shutil.copytree(BUNDLED, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The suite's content built once per session (read-only: tests copy what they need)."""
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(BUNDLED, root / "content")
    result = run("build", "--content", str(root / "content"), "--outputs", str(root))
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def built(pristine: Path, project: Path) -> Path:
    """A scratch project holding the pristine outputs, as a clinic that downloaded them has: no
    build cache on this machine vouches for them, so `check` reads every file and the next
    `build` renders every output."""
    for name in OUTPUTS:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(pristine / name, project / name)
    return project


def stamp_for(content: ContentSet, options: BuildOptions, key: str) -> str:
    """The stamp a build with these options writes into the output `key` ("handout", "deck", …)."""
    return expected_stamps(content, options, formats())[key]


def run(*args: str) -> Result:
    """Run the CLI in-process; stderr is kept apart from stdout."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a content file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
