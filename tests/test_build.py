"""`clearfacts build` as a facilitator and CI use it: reproducible, incremental, never half-done."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from clearfacts.formats import by_key
from conftest import OUTPUTS, ROOT, Site, build_site, edit, run

HANDOUT, BOOKLET, BOOKLET_PRINT, DECK = (by_key(k).path for k in ("handout", "booklet", "booklet-print", "deck"))
CLI = str(Path(sys.executable).parent / "clearfacts")
LOCK = ".clearfacts.lock"  # the outputs folder's build lock (ignored by git)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `root` but the lock, with its bytes and modification time."""
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != LOCK}


def test_build_reports_each_output_with_pages_and_size(site: Site, here: Path) -> None:
    result = site.build  # the session's `clearfacts build` of the suite's content in a new project
    assert result.exit_code == 0, result.stderr
    assert "handouts/red-flags.pdf (1 page, " in result.stdout
    booklet = len(PdfReader(here / "handouts/faq-booklet.pdf").pages)
    assert booklet % 4 == 0 and f"handouts/faq-booklet.pdf ({booklet} pages, " in result.stdout
    assert f"handouts/faq-booklet-print.pdf ({booklet // 2} pages, " in result.stdout  # two pages a sheet side
    with zipfile.ZipFile(here / "slides/support-group.pptx") as deck:
        slides = sum(1 for n in deck.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))
    assert f"slides/support-group.pptx ({slides} slides" in result.stdout
    assert all((here / name).stat().st_size > 10_000 for name in OUTPUTS)


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The suite's content built once more, in a project and on a build cache of its own, under
    umask 022 (as a web server's deploy or a shared drive has it), with the pool of workers a
    build on this machine uses (the session's `pristine` is built on one core: conftest)."""
    old = os.umask(0o022)
    try:
        return build_site(tmp_path_factory, "second", one_core=False).root
    finally:
        os.umask(old)


def test_two_builds_are_byte_identical(second: Path, pristine: Path) -> None:
    """This build and one made earlier in another folder (and on another cache) give the same bytes."""
    assert all((second / name).read_bytes() == (pristine / name).read_bytes() for name in OUTPUTS)


def test_source_date_epoch_sets_file_dates_not_the_clock(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert run("build").exit_code == 0
    assert str(PdfReader(project / HANDOUT).metadata["/CreationDate"]).startswith("D:20260101")
    with zipfile.ZipFile(project / DECK) as deck:
        assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-01-01T00:00:00Z" in deck.read(
            "docProps/core.xml").decode()


@pytest.mark.parametrize("value", ["abc", "1e9", "-1", "1767225600.5", "99999999999999", "253402300800"])
def test_a_malformed_source_date_epoch_stops_the_build_in_one_line(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  value: str) -> None:
    """As reproducible-builds.org asks: not ignored (the files would carry another date than the
    one meant), and not "please report this as a bug" from reportlab, which reads it too, or a
    traceback for a year past 9999."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    for command in ("build", "check"):
        result = run(command)
        assert result.exit_code == 2, result.output
        errors = [line for line in result.stderr.splitlines() if "warning" not in line]
        assert len(errors) == 1 and "Traceback" not in result.output, result.stderr
        assert errors[0].startswith(f"SOURCE_DATE_EPOCH: '{value}' is not a time in whole seconds"), errors
    assert not (project / HANDOUT).exists() and not (project / DECK).exists()


def test_the_last_second_of_the_year_9999_dates_every_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PDF and PPTX metadata take it as given; a zip entry cannot go past 2107, so the deck's
    entries carry the last time they can."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert run("build").exit_code == 0
    assert str(PdfReader(project / HANDOUT).metadata["/CreationDate"]).startswith("D:99991231235959")
    with zipfile.ZipFile(project / DECK) as deck:
        assert "9999-12-31T23:59:59Z</dcterms:created>" in deck.read("docProps/core.xml").decode()
        assert {info.date_time for info in deck.infolist()} == {(2107, 12, 31, 23, 59, 58)}


def test_noop_build_writes_nothing_and_force_renders_everything_again(site: Site, here: Path) -> None:
    before, cached = snapshot(here), snapshot(site.cache)  # just built, as `here` always is
    result = run("build")
    assert result.exit_code == 0
    assert "up to date" in result.stdout and "wrote" not in result.stdout
    assert snapshot(here) == before
    assert snapshot(site.cache) == cached
    forced = run("build", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert all(f"wrote {name}" in forced.stdout for name in OUTPUTS)
    assert {name: (here / name).read_bytes() for name in OUTPUTS} == {name: before[name][0] for name in OUTPUTS}


def test_the_build_cache_lives_in_the_users_cache_folder_not_beside_the_outputs(site: Site, here: Path) -> None:
    """Nothing but the outputs appears in the repository a clinic commits: a cache there could be
    edited by a pull request to make `check` trust a tampered file."""
    made = {str(p.relative_to(here)) for p in here.rglob("*")
            if p.is_file() and p.name != LOCK and "content" not in p.relative_to(here).parts}
    assert made == set(OUTPUTS)
    assert list((site.cache / "clearfacts" / "builds").glob("*.json"))


def test_a_cache_folder_that_cannot_be_used_only_costs_time(project: Path, tmp_path_factory: pytest.TempPathFactory,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """XDG_CACHE_HOME pointing at a file (or a folder this user cannot write): the build and the
    check still work, reading everything back; it used to be a traceback while signing the cache."""
    blocked = tmp_path_factory.mktemp("xdg") / "not-a-folder"  # outside the outputs folder, as a user's is
    blocked.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    built = run("build")
    assert built.exit_code == 0 and "Traceback" not in built.output, built.output
    assert all(f"wrote {name}" in built.stdout for name in OUTPUTS)
    checked = run("check")
    assert checked.exit_code == 0, checked.output


@pytest.mark.slow
def test_without_its_cache_a_build_renders_again_to_the_same_bytes(project: Path, cache_home: Path) -> None:
    """A wiped cache (a new machine, `rm -rf ~/.cache`) costs time, never correctness."""
    assert run("build").exit_code == 0
    before = {name: (project / name).read_bytes() for name in OUTPUTS}
    for entry in (cache_home / "clearfacts" / "builds").glob("*.json"):
        entry.unlink()
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert all(f"wrote {name}" in result.stdout for name in OUTPUTS)
    assert {name: (project / name).read_bytes() for name in OUTPUTS} == before
    assert "up to date" in run("build").stdout


def change_a_slide_figure(deck: Path) -> None:
    """Type 48.2% over the deck's 48.3% on one slide, as someone editing it in PowerPoint might."""
    with zipfile.ZipFile(deck) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    changed = False
    with zipfile.ZipFile(deck, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            if not changed and re.fullmatch(r"ppt/slides/slide\d+\.xml", info.filename) and b"48.3% did" in data:
                data, changed = data.replace(b"48.3% did", b"48.2% did", 1), True
            target.writestr(info, data)
    assert changed


def forge(entry: Path, deck: Path, key: bytes | None) -> None:
    """Rewrite the deck's cache entry to match the deck's new bytes; re-sign it with `key`, or
    keep the old signature."""
    raw = json.loads(entry.read_text(encoding="utf-8"))
    raw["outputs"][DECK]["sha256"] = hashlib.sha256(deck.read_bytes()).hexdigest()
    if key is not None:
        raw["signature"] = hmac.new(key, json.dumps(raw["outputs"], sort_keys=True).encode(),
                                    hashlib.sha256).hexdigest()
    entry.write_text(json.dumps(raw), encoding="utf-8")


def test_check_never_trusts_a_file_its_own_build_did_not_verify(site: Site, here: Path) -> None:
    """A deck edited after the build is read in full: with the cache as the build left it, and
    with the cache entry rewritten to match the edited bytes (keeping the old signature, or
    signed with someone else's key). The next build puts the real deck back."""
    good = (here / DECK).read_bytes()
    change_a_slide_figure(here / DECK)
    [entry] = (site.cache / "clearfacts" / "builds").glob("*.json")
    for forgery in ("none", "signature kept", "own key"):
        if forgery != "none":
            forge(entry, here / DECK, None if forgery == "signature kept" else b"a key of their own")
        result = run("check")
        assert result.exit_code == 1, (forgery, result.output)
        assert re.search(rf"{DECK}: slide \d+: altered fact trial.control_rate: found 48.2%", result.stderr), forgery
    rebuilt = run("build")
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert f"wrote {DECK}" in rebuilt.stdout
    assert (here / DECK).read_bytes() == good


def test_hand_edited_deck_is_rebuilt_not_kept(here: Path) -> None:
    good = (here / DECK).read_bytes()
    (here / DECK).write_bytes(good[:-10] + b"0123456789")
    result = run("build")
    assert result.exit_code == 0
    assert f"wrote {DECK}" in result.stdout and "wrote handouts/" not in result.stdout
    assert (here / DECK).read_bytes() == good


def test_content_change_rebuilds_only_what_it_reaches(here: Path) -> None:
    edit(here / "content/deck.yaml", "Thank you", "Thanks")
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert f"wrote {DECK}" in result.stdout
    assert f"wrote {HANDOUT}" not in result.stdout and f"wrote {BOOKLET}" not in result.stdout


def test_build_check_writes_nothing_and_lists_differences(here: Path) -> None:
    assert run("build", "--check").exit_code == 0
    (here / BOOKLET_PRINT).unlink()
    edit(here / "content/handout.yaml", "Read this first.", "Read this.")
    result = run("build", "--check")
    assert result.exit_code == 1
    assert HANDOUT in result.stderr and BOOKLET_PRINT in result.stderr and DECK not in result.stderr
    assert not (here / BOOKLET_PRINT).exists()


def test_build_check_reads_back_only_what_this_machine_has_not_verified(here: Path, built: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`build --check` renders everything and compares it byte for byte; it reads a file back
    only where this machine's signed cache does not vouch for exactly those bytes, as `check`
    does. A file a build here verified is not read again; a downloaded copy is read in full."""
    import clearfacts.pipeline

    read: list[str] = []
    real = clearfacts.pipeline.verify_one
    monkeypatch.setattr(clearfacts.pipeline, "verify_one", lambda fmt, *a: read.append(fmt.path) or real(fmt, *a))
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # every read-back in this process, where it is counted
    monkeypatch.chdir(here)
    assert run("build", "--check").exit_code == 0
    assert read == []
    monkeypatch.chdir(built)  # the same files, no build on this machine
    assert run("build", "--check").exit_code == 0
    assert sorted(read) == sorted(OUTPUTS)


@pytest.mark.slow  # a gate on the repository's own files (CI runs it), not a behaviour
def test_the_committed_outputs_are_what_the_committed_content_builds() -> None:
    """What a clinic downloads from the repository must be what its content says, byte for byte.

    The one test that reads the repository's own `content/` and outputs: after editing the
    content, run `clearfacts build` and commit the outputs with it."""
    result = subprocess.run([CLI, "build", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    matched = re.match(r"all (\d+) outputs match the content", result.stdout)  # each language's outputs
    assert matched and int(matched.group(1)) % len(OUTPUTS) == 0, result.stdout


def test_paper_a4(project: Path) -> None:
    assert run("build", "--paper", "a4").exit_code == 0
    box = PdfReader(project / HANDOUT).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)
    assert run("check").exit_code == 0, "an a4 build must check clean, not look stale"
    compared = run("build", "--check")
    assert compared.exit_code == 0 and "(a4 paper)" in compared.stdout, "build --check agrees with check"
    assert run("build").exit_code == 0  # settings' paper is the default again: letter
    assert (round(PdfReader(project / HANDOUT).pages[0].mediabox.width)) == 612
    assert run("check").exit_code == 0 and "(letter paper)" in run("build", "--check").stdout


def test_killed_build_leftovers_are_cleaned_by_the_next_build(built: Path) -> None:
    stray = built / "handouts" / ".red-flags.pdf.abc123.new.tmp"
    stray.write_bytes(b"half")
    assert run("build", "--force").exit_code == 0
    assert not stray.exists()
    assert not [p for p in os.listdir(built / "handouts") if p.endswith(".tmp")]


def test_built_outputs_are_readable_by_everyone_under_umask_022(second: Path) -> None:
    """A web server or a colleague on a shared drive must be able to open what was built."""
    for name in OUTPUTS:
        assert oct((second / name).stat().st_mode & 0o777) == oct(0o644), name
