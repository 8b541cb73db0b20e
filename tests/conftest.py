"""Shared test helpers: the suite's own content set, a private build cache per test, a project
built once per session that tests edit in place (`here`), and the CLI run in-process.

The tests never read the repository's `content/` folder (a clinic edits it, as the README says):
they use `tests/fixtures/content`, a copy of the content bundled at the time. Only
`test_build.py::test_the_committed_outputs_are_what_the_committed_content_builds` looks at the
repository's own content and outputs, through `clearfacts build --check`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


@pytest.fixture(autouse=True)
def _one_process_per_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test's own in-process builds and checks run as on a one-core machine (`on_one_core`):
    under pytest-xdist each core already runs a test process, so a pool of worker processes per
    build only adds processes that wait for a core. Tests marked `pool` keep the workers (a killed
    worker, the pool's own errors), and so does every build a test starts as a process of its own
    (`subprocess`), as a user does."""
    with contextlib.nullcontext() if request.node.get_closest_marker("pool") else on_one_core():
        yield


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


@dataclass(frozen=True)
class Site:
    """A project built on this machine: `root` holds content/ and the outputs, `cache` is the
    XDG_CACHE_HOME whose signed entries vouch for them, `build` is what that build printed, and
    `built` is every file of both folders as that build left them."""

    root: Path
    cache: Path
    build: Result
    built: tuple[tuple[Path, Snapshot], ...]


@contextmanager
def on_one_core() -> Iterator[None]:
    """Build as clearfacts does on a one-core machine: every output rendered in this process, no
    pool of worker processes. Under pytest-xdist both cores are busy already, and a pool of fresh
    workers per build only costs time (the default test run took 40% less CPU without them): so
    fixtures build this way, and so do the tests' own builds (`_one_process_per_test`) unless
    marked `pool`. Builds started as processes use the pool, as on the machine they run on, and
    test_build.py::test_two_builds_are_byte_identical compares a pool's build with this one."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "cpu_count", lambda: 1)
        yield


def build_site(factory: pytest.TempPathFactory, name: str, content: Path = BUNDLED,
               prepare: Callable[[Path], None] | None = None, *args: str, one_core: bool = True) -> Site:
    """Copy `content` into a new project (then let `prepare` edit its content/ folder) and build it
    there with `clearfacts build [args]`, as a user does, with a build cache of its own (and
    `on_one_core`, unless told otherwise)."""
    root, cache = factory.mktemp(name), factory.mktemp(f"{name}-cache")
    shutil.copytree(content, root / "content")
    if prepare:
        prepare(root / "content")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(cache))
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        mp.chdir(root)
        with on_one_core() if one_core else contextlib.nullcontext():
            result = run("build", *args)
    assert result.exit_code == 0, result.output
    return Site(root, cache, result, tuple((folder, _snapshot(folder)) for folder in (root, cache)))


@contextmanager
def in_place(site: Site, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Work in `site` as in a project just built on this machine (the working directory, its
    build cache in use): every file of the project and of its cache is as its build left it,
    and is put back so afterwards."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(site.cache))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.chdir(site.root)
    # Put back first as well: an edition worker forked from a fork server started during the
    # site's build still has its XDG_CACHE_HOME, and may have written there since.
    _put_back(site)
    try:
        yield site.root
    finally:
        _put_back(site)


def _put_back(site: Site) -> None:
    for folder, snapshot in site.built:
        _restore(folder, snapshot)
        assert _snapshot(folder) == snapshot, f"{folder} could not be put back"


Snapshot = tuple[frozenset[Path], dict[Path, tuple[bytes, int, int]]]


def _snapshot(root: Path) -> Snapshot:
    """The folders and files under `root`, each file with its bytes, mode and modification time."""
    folders, files = {root}, {}
    for path in root.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            folders.add(path)
        else:
            st = path.lstat()
            files[path] = (path.read_bytes() if path.is_file() else os.readlink(path).encode(), st.st_mode,
                           st.st_mtime_ns)
    return frozenset(folders), files


def _restore(root: Path, snapshot: Snapshot) -> None:
    folders, files = snapshot
    for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            if path not in folders:
                path.chmod(0o700)
                shutil.rmtree(path)
        elif path not in files or path.is_symlink() or path.lstat().st_mode != files[path][1] \
                or path.read_bytes() != files[path][0]:
            path.unlink()
    for folder in sorted(folders, key=lambda p: len(p.parts)):
        folder.mkdir(exist_ok=True)
    for path, (data, mode, mtime) in files.items():
        if not path.exists() and not path.is_symlink():
            path.write_bytes(data)
            path.chmod(mode & 0o7777)
        os.utime(path, ns=(mtime, mtime), follow_symlinks=False)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The suite's content built once per session into a project of its own, with its own cache."""
    return build_site(tmp_path_factory, "site")


@pytest.fixture
def here(site: Site, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The session's built project, as one just built on this machine: its cache vouches for
    every output, so `check` reads back only what a test changed, and the next `build` renders
    only what a test's edit reaches. A test edits, tampers and rebuilds it in place; content,
    outputs and cache are put back afterwards."""
    with in_place(site, monkeypatch) as root:
        yield root


@pytest.fixture(scope="session")
def pristine(site: Site) -> Path:
    """The suite's content built once per session (read-only: tests copy what they need)."""
    return site.root


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


def resaved_by_libreoffice(deck: Path, scratch: Path) -> bytes:
    """`deck` opened and saved as PPTX by LibreOffice, as a facilitator who edits it there does
    (a skip where LibreOffice is missing, a failure in CI, which installs it)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    source = scratch / "in" / "deck.pptx"
    source.parent.mkdir(parents=True)
    shutil.copy(deck, source)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(scratch / 'profile').as_uri()}",
                    "--convert-to", "pptx", "--outdir", str(scratch / "out"), str(source)],
                   check=True, capture_output=True, timeout=300)
    return (scratch / "out" / "deck.pptx").read_bytes()
