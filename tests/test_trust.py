"""Nothing a pull request can edit may switch a check off, and builds of one folder never
interleave: a forged cache is no cache, and two builds at once leave one consistent set."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from clearfacts.cache import cache_dir, digest, read_cache
from conftest import OUTPUTS, edit, run

CLI = str(Path(sys.executable).parent / "clearfacts")


def test_a_forged_manifest_in_the_repository_is_ignored(here: Path) -> None:
    deck = here / "slides/support-group.pptx"  # just built on this machine, as `here` always is
    source = zipfile.ZipFile(io.BytesIO(deck.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("ppt/slides/slide"):
                data = data.replace(b"48.3%", b"84.3%")
            target.writestr(info, data)
    deck.write_bytes(out.getvalue())
    forged = {"outputs": {name: {"stamp": "x", "sha256": digest((here / name).read_bytes()), "units": 1}
                          for name in OUTPUTS}}
    (here / "clearfacts-manifest.json").write_text(json.dumps(forged))
    result = run("check")
    assert result.exit_code == 1
    assert "slides/support-group.pptx: slide" in result.stderr


def test_a_cache_entry_written_by_hand_is_not_trusted(here: Path) -> None:
    """Someone copies the cache file and writes a tampered file's hash into it: the signature,
    made with this machine's own key, no longer matches, so everything is read back."""
    files = list((cache_dir() / "builds").glob("*.json"))  # `here` was just built, with a cache of its own
    assert len(files) == 1
    booklet = here / "handouts/faq-booklet.pdf"
    shutil.copy(here / "handouts/red-flags.pdf", booklet)  # the handout where the booklet should be
    raw = json.loads(files[0].read_text())
    raw["outputs"]["handouts/faq-booklet.pdf"]["sha256"] = digest(booklet.read_bytes())
    files[0].write_text(json.dumps(raw))
    assert read_cache(here) == {}
    result = run("check")
    assert result.exit_code == 1
    assert "handouts/faq-booklet.pdf" in result.stderr


def test_a_cache_inside_the_outputs_folder_is_never_used(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / ".cache"))
    assert run("build").exit_code == 0
    assert not (project / ".cache" / "clearfacts" / "builds").exists()
    assert read_cache(project) == {}


def _build(content: Path, outputs: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, "build", "--content", str(content), "--outputs", str(outputs)],
                          capture_output=True, text=True, timeout=120, env=os.environ.copy())


def _check(content: Path, outputs: Path) -> int:
    return subprocess.run([CLI, "check", "--content", str(content), "--outputs", str(outputs)],
                          capture_output=True, text=True, timeout=120, env=os.environ.copy()).returncode


@pytest.mark.slow
def test_two_builds_at_once_always_leave_one_consistent_set(project: Path, tmp_path: Path) -> None:
    """50 rounds of two concurrent builds of different content into one folder."""
    first, second = project / "content", tmp_path / "second"
    shutil.copytree(first, second)
    edit(second / "facts.yaml", 'display: "$5,000 to $20,000 or more"', 'display: "$6,000 to $20,000 or more"')
    edit(second / "facts.yaml", 'value: "5000-20000"', 'value: "6000-20000"')
    outputs = tmp_path / "out"
    with ThreadPoolExecutor(2) as threads:
        for round_ in range(50):
            results = list(threads.map(lambda c: _build(c, outputs), (first, second)))
            assert all(r.returncode == 0 for r in results), (round_, [r.stderr[-500:] for r in results])
            assert not list(outputs.rglob("*.tmp"))
            assert sorted(_check(c, outputs) for c in (first, second)) == [0, 1], f"mixed set in round {round_}"
