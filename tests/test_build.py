"""`clearfacts build` as a facilitator and CI use it: reproducible, incremental, never half-done."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clearfacts.build import BOOKLET, BOOKLET_PRINT, DECK, HANDOUT, OUTPUTS
from clearfacts.manifest import MANIFEST
from conftest import edit, run


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {name: ((root / name).read_bytes(), (root / name).stat().st_mtime_ns) for name in OUTPUTS}


def test_build_reports_each_output_with_pages_and_size(project: Path) -> None:
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert "handouts/red-flags.pdf (1 page, " in result.stdout
    assert "handouts/faq-booklet.pdf (16 pages, " in result.stdout
    assert "slides/support-group.pptx (17 slides" in result.stdout
    assert all((project / name).stat().st_size > 10_000 for name in OUTPUTS)


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    assert run("build").exit_code == 0
    first = {name: (project / name).read_bytes() for name in OUTPUTS}
    other = tmp_path / "again"
    assert run("build", "--outputs", str(other)).exit_code == 0
    assert all((other / name).read_bytes() == first[name] for name in OUTPUTS)


def test_source_date_epoch_sets_file_dates_not_the_clock(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert run("build").exit_code == 0
    from pypdf import PdfReader

    assert str(PdfReader(project / HANDOUT).metadata["/CreationDate"]).startswith("D:20260101")


def test_noop_build_writes_nothing(project: Path) -> None:
    assert run("build").exit_code == 0
    before = snapshot(project)
    manifest = (project / MANIFEST).stat().st_mtime_ns
    result = run("build")
    assert result.exit_code == 0
    assert "up to date" in result.stdout
    assert snapshot(project) == before
    assert (project / MANIFEST).stat().st_mtime_ns == manifest


def test_hand_edited_deck_is_rebuilt_not_kept(project: Path) -> None:
    assert run("build").exit_code == 0
    good = (project / DECK).read_bytes()
    (project / DECK).write_bytes(good[:-10] + b"0123456789")
    result = run("build")
    assert result.exit_code == 0
    assert f"wrote {DECK}" in result.stdout and HANDOUT not in result.stdout
    assert (project / DECK).read_bytes() == good


def test_content_change_rebuilds_only_what_it_reaches(project: Path) -> None:
    assert run("build").exit_code == 0
    edit(project / "content/deck.yaml", "Thank you", "Thanks")
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert f"wrote {DECK}" in result.stdout
    assert HANDOUT not in result.stdout and BOOKLET not in result.stdout


def test_force_renders_everything(project: Path) -> None:
    assert run("build").exit_code == 0
    result = run("build", "--force")
    assert all(f"wrote {name}" in result.stdout for name in OUTPUTS)


def test_build_check_writes_nothing_and_lists_differences(project: Path) -> None:
    assert run("build").exit_code == 0
    assert run("build", "--check").exit_code == 0
    (project / BOOKLET_PRINT).unlink()
    edit(project / "content/handout.yaml", "Read this first.", "Read this.")
    result = run("build", "--check")
    assert result.exit_code == 1
    assert HANDOUT in result.stderr and BOOKLET_PRINT in result.stderr and DECK not in result.stderr
    assert not (project / BOOKLET_PRINT).exists()


def test_the_committed_outputs_are_what_the_committed_content_builds(project: Path) -> None:
    """What a clinic downloads from the repository must be what its content says, byte for byte."""
    root = Path(__file__).resolve().parent.parent
    for name in (*OUTPUTS, MANIFEST):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes((root / name).read_bytes())
    result = run("build", "--check")
    assert result.exit_code == 0, result.stderr
    assert run("check").exit_code == 0


def test_paper_a4(project: Path) -> None:
    assert run("build", "--paper", "a4").exit_code == 0
    from pypdf import PdfReader

    box = PdfReader(project / HANDOUT).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)
    assert run("check").exit_code == 0, "an a4 build must check clean, not look stale"


def test_killed_build_leftovers_are_cleaned_by_the_next_build(project: Path) -> None:
    assert run("build").exit_code == 0
    stray = project / "handouts" / ".red-flags.pdf.abc123.tmp"
    stray.write_bytes(b"half")
    assert run("build", "--force").exit_code == 0
    assert not stray.exists()
    assert not [p for p in os.listdir(project / "handouts") if p.endswith(".tmp")]
