"""Review before print: `clearfacts diff` (what changed since a commit and where it lands) and
`clearfacts preview` (pages and slides as PNG, before/after pairs of what a change reaches).

Each test works in a git repository of its own under tmp_path: the suite's content built and
committed, then `trial.control_rate` and its review date changed, rebuilt and committed again,
as an editor would. Where a change lands is compared with what `clearfacts facts` says.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageDraw

from clearfacts.formats import formats
from clearfacts.review.sheets import changed_regions
from conftest import BUNDLED, edit, line_of, on_one_core, run

FACT = "trial.control_rate"
OLD, NEW = "48.3%", "45.1%"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           "-c", "commit.gpgsign=false", *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout


def fact_record(content: Path, fact: str) -> tuple[int, int]:
    """Where one fact's record starts and ends in facts.yaml (character offsets)."""
    text = (content / "facts.yaml").read_text(encoding="utf-8")
    start = text.index(f"  {fact}:")
    return start, text.index("\n\n", start)


def change_fact(content: Path, value: str, display: str, reviewed: str | None) -> None:
    """Change the control rate's value and display form, and its review date unless None."""
    path = content / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = fact_record(content, FACT)
    record = re.sub(r'value: "[^"]+"', f'value: "{value}"', text[start:end])
    record = re.sub(r'display: "[^"]+"', f'display: "{display}"', record)
    if reviewed:
        record = re.sub(r'reviewed: "[^"]+"', f'reviewed: "{reviewed}"', record)
    path.write_text(text[:start] + record + text[end:], encoding="utf-8")


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two commits: the suite's content built, then the control rate and its review date changed
    and rebuilt. Read-only: tests that change it work in a copy (`repo`)."""
    root = tmp_path_factory.mktemp("review") / "repo"
    root.mkdir()
    shutil.copytree(BUNDLED, root / "content")
    git(root, "init", "-q")
    for message in ("bundled content", "control rate re-checked"):
        if message != "bundled content":
            change_fact(root / "content", "45.1", NEW, "2026-12-01")
        build_and_commit(root, message)
    return root


def build_and_commit(root: Path, message: str) -> None:
    """Build root/content into root and commit both, as an editor does."""
    with on_one_core():  # conftest: a fixture's build only makes files for the tests to read
        result = run("build", "--content", str(root / "content"), "--outputs", str(root))
    assert result.exit_code == 0, result.output
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def working_copy(origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a repository (history, content and outputs), as the working directory."""
    copy = tmp_path / "repo"
    shutil.copytree(origin, copy, symlinks=True)
    monkeypatch.chdir(copy)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return copy


@pytest.fixture
def repo(origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the two-commit repository, as the working directory."""
    return working_copy(origin, tmp_path, monkeypatch)


def facts_places(fact: str) -> dict[str, list[str]]:
    """Output path → places, as `clearfacts facts` lists them for one fact (built outputs only)."""
    result = run("facts")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"{fact}: ")))
    places: dict[str, list[str]] = {}
    for line in lines[start + 1:]:
        if not line.startswith("    "):
            break
        path, _, shown = line.strip().partition(": ")
        if path in {f.path for f in formats()} and shown not in ("-", "(not built)"):
            places[path] = re.split(r", (?![^(]*\))", shown)  # "page 4 (sheet side 4, left), page 7 (…)"
    return places


# --- diff ------------------------------------------------------------------------------------------

def test_diff_lists_the_fact_its_old_and_new_display_and_every_place_that_shows_it(repo: Path) -> None:
    shown = facts_places(FACT)
    assert shown and all(places for places in shown.values())

    text = run("diff", "HEAD~1")
    assert text.exit_code == 0, text.output
    assert f"fact changed {FACT}: {OLD} → {NEW}; reviewed 2026-11-20 → 2026-12-01" in text.stdout
    for path, places in shown.items():
        assert f"    {path}: {', '.join(places)}\n" in text.stdout
    listed = {line.strip().split(": ")[0] for line in text.stdout.splitlines() if line.startswith("    ")}
    assert {p for p in listed if p in {f.path for f in formats()}} == set(shown)
    assert text.stdout.splitlines()[0].startswith("clearfacts diff HEAD~1 (") and "→ working tree" in text.stdout
    assert text.stdout.rstrip().endswith("OK: 1 fact(s), 0 prose part(s), 0 setting(s) changed, 0 warning(s)")

    doc = json.loads(run("diff", "HEAD~1", "--format", "json").stdout)
    (change,) = doc["facts"]
    assert change["id"] == FACT and change["change"] == "changed"
    assert set(change["fields"]) == {"value", "display", "reviewed"}
    assert (change["old"]["display"], change["new"]["display"]) == (OLD, NEW)
    assert change["old"]["at"].startswith("HEAD~1:content/facts.yaml:")
    assert {w["output"]: w["places"] for w in change["where"]} == shown
    assert doc["prose"] == [] and doc["settings"] == [] and doc["findings"] == []

    markdown = run("diff", "HEAD~1", "--format", "markdown")
    assert markdown.exit_code == 0
    assert "| fact | old → new | where |" in markdown.stdout
    row = next(line for line in markdown.stdout.splitlines() if line.startswith(f"| `{FACT}`"))
    assert f"{OLD} → {NEW}" in row
    for path, places in shown.items():
        assert f"{path}: {', '.join(places)}" in row


def test_diff_between_two_commits_reads_the_outputs_committed_with_the_newer(repo: Path) -> None:
    working = json.loads(run("diff", "HEAD~1", "--format", "json").stdout)
    for name in (f.path for f in formats()):
        (repo / name).unlink(missing_ok=True)  # the commits still hold them
    committed = json.loads(run("diff", "HEAD~1", "--to", "HEAD", "--format", "json").stdout)
    assert [c["where"] for c in committed["facts"]] == [c["where"] for c in working["facts"]]
    assert committed["facts"][0]["new"]["at"].startswith("HEAD:content/facts.yaml:")  # the revision's file
    assert committed["to"].startswith("HEAD (")
    nothing = run("diff")  # HEAD against the working tree: the content is as committed
    assert nothing.exit_code == 0 and "no change to facts, prose or settings" in nothing.stdout


def test_a_value_changed_without_its_review_date_is_a_finding_and_exit_1(repo: Path) -> None:
    change_fact(repo / "content", "40.2", "40.2%", reviewed=None)
    line = line_of(repo / "content" / "facts.yaml", f"  {FACT}:")
    result = run("diff")
    assert result.exit_code == 1
    assert (f"content/facts.yaml:{line}: {FACT}: value changed (45.1 → 40.2) but its review date did not "
            "(still 2026-12-01)") in result.stderr
    assert result.stderr.rstrip().endswith("[review-date-unchanged]")
    assert "1 problem(s)" in result.stdout
    assert "(stale: run clearfacts build)" in result.stdout  # the outputs still show 45.1%

    as_json = run("diff", "--format", "json")
    assert as_json.exit_code == 1
    (finding,) = json.loads(as_json.stdout)["findings"]
    assert finding["rule"] == "review-date-unchanged" and finding["line"] == line and finding["severity"] == "error"
    markdown = run("diff", "--format", "markdown")
    assert markdown.exit_code == 1 and f"- **error** `content/facts.yaml:{line}`" in markdown.stdout

    listed = run("check", "--list-rules").stdout
    assert any(row.split()[:2] == ["review-date-unchanged", "error"] for row in listed.splitlines())
    with open(repo / "content" / "settings.yaml", "a", encoding="utf-8") as settings:
        settings.write('\nrules:\n  review-date-unchanged: "warning"\n')
    relaxed = run("diff")
    assert relaxed.exit_code == 0 and "warning: " in relaxed.stderr and "1 warning(s)" in relaxed.stdout


def test_a_changed_prose_block_names_its_document_and_section_and_the_outputs_of_that_document(repo: Path) -> None:
    edit(repo / "content" / "booklet.yaml", "Chance decided who got MSCs", "A coin toss decided who got MSCs")
    result = run("diff", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (prose,) = doc["prose"]
    assert prose["document"] == "booklet" and prose["change"] == "changed" and prose["part"].startswith("block ")
    assert "Chance decided" in prose["old"] and "A coin toss decided" in prose["new"]
    booklets = {f.path for f in formats() if f.document == "booklet"}
    assert {w["output"] for w in prose["where"]} == booklets
    # Not rebuilt: each booklet output is stale, its section found by title.
    assert all(w["state"] == "stale" and w["places"] for w in prose["where"])
    assert doc["facts"] == []


def test_diff_outside_a_git_repository_or_for_an_unknown_revision_exits_2(tmp_path: Path, repo: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    unknown = run("diff", "no-such-tag")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("content: unknown revision 'no-such-tag'")
    outside = tmp_path / "plain"
    shutil.copytree(BUNDLED, outside / "content")
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never find a repository above
    result = run("diff")
    assert result.exit_code == 2
    assert result.stderr.startswith("content: not in a git repository")
    assert "Traceback" not in result.output


def test_an_old_revision_that_cannot_be_loaded_is_named(repo: Path) -> None:
    handout = repo / "content" / "handout.yaml"
    edit(handout, "{fda.approved_uses}", "{fda.aproved_uses}")
    line = line_of(handout, "fda.aproved_uses")
    git(repo, "commit", "-q", "-am", "a typo")
    edit(handout, "{fda.aproved_uses}", "{fda.approved_uses}")
    result = run("diff")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"HEAD:content/handout.yaml:{line}: ")
    assert "fda.aproved_uses" in result.stderr and "(in HEAD (" in result.stderr


# --- preview ---------------------------------------------------------------------------------------

def expected_pairs(shown: dict[str, list[str]], unit_of: dict[str, str]) -> set[str]:
    """The before/after file names for the pages and slides `facts` lists (PDFs only)."""
    names = set()
    by_path = {f.path: f for f in formats()}
    for path, places in shown.items():
        fmt = by_path[path]
        if not path.endswith(tuple(unit_of)):
            continue
        for place in places:
            number = int((re.search(r"\(sheet side (\d+)", place) or re.match(r"\w+ (\d+)", place)).group(1))
            names.add(f"{fmt.key}-{fmt.unit}-{number:02d}.png")
    return names


def assert_pairs(folder: Path, names: set[str]) -> None:
    assert {p.name for p in folder.glob("*.png")} == names
    for name in names:
        with Image.open(folder / name) as image:
            image.load()  # decodes every pixel
            assert image.format == "PNG" and image.mode == "RGB"
            assert image.width > 2 * 300 and image.height > 300  # two pages side by side, readable
            assert image.width > image.height or "deck" not in name


@pytest.mark.slow
def test_preview_changed_since_draws_before_after_pairs_of_exactly_the_pages_touched(repo: Path) -> None:
    shown = facts_places(FACT)
    result = run("preview", "--changed-since", "HEAD~1", "--no-slides", "--out", "previews")
    assert result.exit_code == 0, result.output
    assert_pairs(repo / "previews" / "changed", expected_pairs(shown, {".pdf": "page"}))
    deck = next(f for f in formats() if f.path.endswith(".pptx"))
    slides = ", ".join(dict.fromkeys(re.match(r"slide (\d+)", place).group(1)  # type: ignore[union-attr]
                                     for place in shown[deck.path]))
    assert f"{deck.path}: slides {slides} changed; skipped: --no-slides" in result.stderr
    assert "not previewed: web pages reflow" in result.stderr
    with Image.open(repo / "previews" / "changed" / "booklet-page-07.png") as pair:
        r, g, b = pair.convert("RGB").split()
    red = ImageChops.multiply(ImageChops.multiply(r.point(lambda v: 255 if v > 180 else 0),
                                                  g.point(lambda v: 255 if v < 40 else 0)),
                              b.point(lambda v: 255 if v < 40 else 0))
    assert red.histogram()[255] > 100  # the changed figure is outlined in red


@pytest.mark.slow
def test_preview_draws_every_page_with_a_contact_sheet_and_says_why_slides_are_missing(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-libreoffice"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run("preview", "--out", "previews")
    assert result.exit_code == 0, result.output
    deck = next(f for f in formats() if f.path.endswith(".pptx"))
    assert f"{deck.path}: skipped: LibreOffice is not installed" in result.stderr
    for fmt in (f for f in formats() if f.path.endswith(".pdf")):
        pages = sorted((repo / "previews" / fmt.key).glob("page-*.png"))
        pdf = pdfium.PdfDocument(repo / fmt.path)
        assert len(pages) == len(pdf)
        pdf.close()
        with Image.open(repo / "previews" / f"{fmt.key}-sheet.png") as sheet:
            sheet.load()
            assert sheet.width >= 250 and sheet.height >= 300
    again = run("preview", "--out", "previews")
    assert sorted(again.stdout.splitlines()) == sorted(result.stdout.splitlines())  # same names every run


@pytest.mark.slow
def test_preview_draws_slides_through_libreoffice(repo: Path) -> None:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    shown = facts_places(FACT)
    result = run("preview", "--changed-since", "HEAD~1", "--out", "previews")
    assert result.exit_code == 0, result.output
    assert_pairs(repo / "previews" / "changed", expected_pairs(shown, {".pdf": "page", ".pptx": "slide"}))
    full = run("preview", "--out", "previews")
    assert full.exit_code == 0, full.output
    deck = next(f for f in formats() if f.path.endswith(".pptx"))
    assert len(list((repo / "previews" / deck.key).glob("slide-*.png"))) >= 10
    with Image.open(repo / "previews" / f"{deck.key}-sheet.png") as sheet:
        assert sheet.width > sheet.height / 2


def test_changed_regions_outline_what_differs_and_nothing_else() -> None:
    before = Image.new("RGB", (400, 300), "white")
    after = before.copy()
    ImageDraw.Draw(after).rectangle((100, 50, 140, 70), fill="black")
    ImageDraw.Draw(after).rectangle((300, 250, 310, 260), fill="black")
    boxes = changed_regions(before, after)
    assert len(boxes) == 2
    (x0, y0, x1, y1), (u0, v0, u1, v1) = boxes
    assert x0 <= 100 and y0 <= 50 and x1 >= 140 and y1 >= 70 and x1 - x0 < 70
    assert u0 <= 300 and v1 >= 260
    assert changed_regions(before, before.copy()) == []


def test_an_inserted_block_and_an_added_fact_are_one_change_each(tmp_path: Path) -> None:
    """Blocks carry no ids: they are matched as a sequence, so a block put in front of others is
    one addition, not a change to every block after it; a number's change is a fact change only."""
    from clearfacts.pipeline import load
    from clearfacts.review.changes import compare

    shutil.copytree(BUNDLED, tmp_path / "content")
    content = tmp_path / "content"
    before = load(content)
    edit(content / "booklet.yaml", '''    title: "What the research shows"
    blocks:
''', '''    title: "What the research shows"
    blocks:
      - text: "Research takes time. Good trials take years."
''')
    change_fact(content, "45.1", NEW, "2026-12-01")
    with open(content / "facts.yaml", "a", encoding="utf-8") as facts:
        facts.write('\n  trial.sites:\n    value: "1"\n    display: "1 site"\n    unit: "site"\n'
                    '    source: ctgov\n    where: "Locations"\n    reviewed: "2026-12-01"\n')
    changes = compare(before, load(content))
    assert [(c.id, c.kind) for c in changes.facts] == [(FACT, "changed"), ("trial.sites", "added")]
    assert [(c.document, c.section, c.part, c.kind) for c in changes.prose] == \
        [("booklet", "research", "block 1 (paragraph)", "added")]
    assert changes.findings == [] and changes.settings == []


def test_diff_of_an_edition_compares_its_settings_and_reads_its_own_outputs(repo: Path) -> None:
    """A pull request that changes a clinic's phone number in its edition file: the reviewer sees
    the setting change and every page of that edition's outputs that prints it."""
    editions = repo / "editions"
    editions.mkdir()
    (editions / "north.yaml").write_text('organisation:\n  name: "North Valley Neuropathy Group"\n'
                                         '  phone: "(207) 432-2841"\n', encoding="utf-8")
    with on_one_core():
        assert run("build", "--edition", "north").exit_code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "north edition")
    edit(editions / "north.yaml", "432-2841", "432-2899")

    doc = json.loads(run("diff", "--edition", "north", "--format", "json").stdout)
    assert doc["facts"] == [] and doc["prose"] == []
    (setting,) = doc["settings"]
    assert (setting["name"], setting["old"], setting["new"]) == ("organisation.phone", "(207) 432-2841",
                                                                 "(207) 432-2899")
    where = {w["output"]: w for w in setting["where"]}
    handout = formats()[0].path
    assert where[handout]["state"] == "stale" and where[handout]["places"] == ["page 1"]  # read in dist/north
    assert "edition north" in doc["to"]

    plain = run("diff")  # the content itself did not change
    assert plain.exit_code == 0 and "no change to facts, prose or settings" in plain.stdout

    (editions / "south.yaml").write_text('organisation:\n  name: "South Shore Group"\n', encoding="utf-8")
    missing = run("diff", "--edition", "south")
    assert missing.exit_code == 2
    assert "has no edition 'south' to compare with" in missing.stderr


def test_diff_of_an_editions_brand_names_the_outputs_that_draw_it(repo: Path) -> None:
    """A clinic changes its brand colour and its logo: the colour reaches every page and slide
    of the handouts, the booklet and the deck, the logo their first; the web pages draw
    neither."""
    editions, logos = repo / "editions", repo / "content" / "logos"
    editions.mkdir()
    logos.mkdir()
    Image.new("RGB", (300, 100), (31, 78, 121)).save(logos / "north.png")
    (editions / "north.yaml").write_text('organisation:\n  name: "North Valley Neuropathy Group"\n'
                                         'brand_colour: "#1f4e79"\n'
                                         'logo:\n  file: "logos/north.png"\n  alt: "North Valley logo"\n',
                                         encoding="utf-8")
    with on_one_core():
        assert run("build", "--edition", "north").exit_code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "north edition")
    edit(editions / "north.yaml", "#1f4e79", "#7a1f3d")
    Image.new("RGB", (300, 100), (122, 31, 61)).save(logos / "north.png")

    doc = json.loads(run("diff", "--edition", "north", "--format", "json").stdout)
    settings = {s["name"]: {w["output"]: w for w in s["where"]} for s in doc["settings"]}
    assert set(settings) == {"brand.accent", "brand.logo_sha256"}
    drawn = {f.path for f in formats() if f.shows_brand}
    assert {"handouts/red-flags.pdf", "handouts/faq-booklet.pdf", "slides/support-group.pptx"} <= drawn
    assert not any(p.startswith("web/") for p in drawn)
    assert set(settings["brand.accent"]) == set(settings["brand.logo_sha256"]) == drawn
    assert all(w["everywhere"] for w in settings["brand.accent"].values())
    logo = settings["brand.logo_sha256"]
    assert logo["handouts/red-flags.pdf"]["places"] == ["page 1"]
    assert logo["slides/support-group.pptx"]["places"] == ["slide 1"]
    assert logo["handouts/faq-booklet-print.pdf"]["places"][0].startswith("page 1 (sheet side 1")
