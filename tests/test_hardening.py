"""Hardening: a clinic prints whatever is on disk, and CI builds content from pull requests.

So a build that is killed, interrupted or fails must leave every output either the old complete
file or the new complete one, and hostile content (alias bombs, huge files, paths out of the
content folder, markup, script links) must be refused or shown literally, with `file:line`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from clearfacts.content.loader import load_content
from clearfacts.content.yaml_reader import MAX_BYTES
from clearfacts.errors import ContentError
from clearfacts.formats import by_key, formats
from conftest import OUTPUTS, edit, line_of, run

CLI = str(Path(sys.executable).parent / "clearfacts")
BOOKLET, DECK = by_key("booklet").path, by_key("deck").path
PDFS = tuple(f.path for f in formats() if f.path.endswith(".pdf"))
FILES = OUTPUTS  # everything a build writes into the outputs folder (its cache lives elsewhere)
# One finding per line: "file:line: message", or "file is …" ("slides/x.pptx is stale: …")
ERROR_LINE = re.compile(r"^[^:]+(:\d+)?: |^\S+ is ")
NEW_COST = ('value: "5000-20000"\n    display: "$5,000 to $20,000 or more"',
            'value: "6000-25000"\n    display: "$6,000 to $25,000 or more"')


def cli(cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The installed console script as a user runs it: a whole process."""
    return subprocess.run([CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def files(root: Path) -> dict[str, bytes | None]:
    return {name: (root / name).read_bytes() if (root / name).is_file() else None for name in FILES}


def restore(root: Path, saved: dict[str, bytes | None]) -> None:
    for name, data in saved.items():
        if data is not None:
            (root / name).write_bytes(data)


def temp_files(root: Path) -> list[Path]:
    """Hidden `.name.*.tmp` files a writer leaves when it dies before renaming them."""
    folders = {root, *(root / Path(name).parent for name in FILES)}
    return [p for folder in sorted(folders) if folder.is_dir() for p in folder.glob(".*.tmp")]


def assert_outputs_open(root: Path) -> None:
    """What a person does next: open each file. Every PDF has pages with text, the deck slides."""
    for name in PDFS:
        reader = PdfReader(root / name, strict=True)
        assert reader.pages and reader.pages[0].extract_text().strip(), name
    assert len(Presentation(str(root / DECK)).slides) > 1


def assert_one_line_errors(stderr: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert lines, "no error message"
    assert all(ERROR_LINE.match(line) for line in lines), stderr


# --- never lose a file ---------------------------------------------------------------------------

@pytest.mark.slow  # a dozen whole builds as separate processes
def test_a_killed_build_leaves_every_output_old_or_new_and_the_next_build_repairs_it(project: Path) -> None:
    """SIGKILL (power cut, OOM killer, CI timeout) at a spread of moments through a build."""
    assert cli(project, "build").returncode == 0
    old = files(project)
    edit(project / "content/facts.yaml", *NEW_COST)
    reference = project / "reference"
    shutil.copytree(project / "content", reference / "content")
    started = time.perf_counter()
    assert cli(reference, "build").returncode == 0
    duration = time.perf_counter() - started
    new = files(reference)
    assert all(new[name] != old[name] for name in FILES), "the edit must reach every output"

    left_behind: set[str] = set()
    deadline = time.perf_counter() + 60
    for fraction in (0.0, 0.3, 0.55, 0.75, 0.88, 0.94, 0.98, 1.03):
        if time.perf_counter() > deadline:
            break
        restore(project, old)
        proc = subprocess.Popen([CLI, "build"], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(max(0.05, duration * fraction))
        proc.kill()  # SIGKILL; TerminateProcess on Windows
        proc.wait()
        now = files(project)
        for name in FILES:
            assert now[name] in (old[name], new[name]), f"{name} is damaged after a kill at {fraction:.0%}"
        for folder in {Path(name).parent for name in FILES}:
            names = {Path(name).name for name in FILES if Path(name).parent == folder}
            assert {p.name for p in (project / folder).iterdir() if not p.name.startswith(".")} == names
        assert_outputs_open(project)
        left_behind |= {p.name for p in temp_files(project)}

    result = cli(project, "build")
    assert result.returncode == 0, result.stderr
    assert files(project) == new
    assert temp_files(project) == [], f"stale temp files survive a good build (a kill left {sorted(left_behind)})"


@pytest.mark.parametrize("allowed", [pytest.param(0, marks=pytest.mark.slow), 2,
                                     pytest.param(4, marks=pytest.mark.slow)])
def test_ctrl_c_between_renames_leaves_old_or_new_files_and_check_tells_the_truth(
        built: Path, monkeypatch: pytest.MonkeyPatch, allowed: int) -> None:
    """An interrupt after `allowed` of the renames: the deterministic version of the kill above."""
    old = files(built)
    edit(built / "content/facts.yaml", *NEW_COST)
    real_replace = os.replace
    budget = [allowed]

    def interrupting_replace(src: object, dst: object) -> None:
        if budget[0] == 0:
            raise KeyboardInterrupt
        budget[0] -= 1
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupting_replace)
    result = run("build")
    monkeypatch.setattr(os, "replace", real_replace)
    assert result.exit_code != 0
    now = files(built)
    fresh = [name for name in OUTPUTS if now[name] != old[name]]
    assert len(fresh) <= allowed, f"{allowed} renames allowed, {fresh} changed"
    assert temp_files(built) == []
    assert_outputs_open(built)
    check = run("check")
    assert (check.exit_code == 0) == (len(fresh) == len(OUTPUTS)), check.output
    for name in set(OUTPUTS) - set(fresh):
        assert name in check.stderr, f"check does not say {name} is stale"
    assert run("build").exit_code == 0
    assert "up to date" in run("build").stdout


def test_a_build_that_fails_late_leaves_all_four_outputs_byte_identical(built: Path) -> None:
    """The handout overflows only once it is laid out, after the YAML and rules have passed."""
    before = files(built)
    flag = "The clinic promises results or says there is no risk."
    edit(built / "content/library.yaml", f'"{flag}"', '"' + " ".join([flag] * 10) + '"')
    result = run("build")
    assert result.exit_code == 2, result.output
    assert "does not fit" in result.stderr
    assert_one_line_errors(result.stderr)
    assert files(built) == before
    assert temp_files(built) == []


def test_an_output_folder_that_cannot_be_written_is_a_one_line_error(project: Path) -> None:
    """A file where the handouts folder should be (a sync tool's conflict copy, a typo)."""
    (project / "handouts").write_text("not a folder")
    result = run("build")
    assert result.exit_code == 2, result.output
    assert_one_line_errors(result.stderr)
    assert "handouts" in result.stderr.splitlines()[-1]
    assert (project / "handouts").read_text() == "not a folder"


@pytest.mark.slow
def test_the_console_script_exits_0_1_2_and_prints_every_line(project: Path) -> None:
    """The installed command as a shell script calls it: nothing it prints may be lost, and each
    exit code must reach the shell."""
    built = cli(project, "build")
    assert built.returncode == 0, built.stderr
    assert [line.split()[1] for line in built.stdout.splitlines()] == [str(Path(n)) for n in OUTPUTS]
    edit(project / "content" / "facts.yaml", *NEW_COST)
    stale = cli(project, "check")
    assert stale.returncode == 1
    assert all(f"{name} is stale" in stale.stderr for name in OUTPUTS)
    assert re.fullmatch(r"\d+ problem\(s\): .*\n", stale.stdout)
    (project / "content" / "facts.yaml").write_text("facts: [unclosed\n", encoding="utf-8")
    broken = cli(project, "build")
    assert broken.returncode == 2
    assert_one_line_errors(broken.stderr)


# --- hostile input -------------------------------------------------------------------------------

def test_a_content_file_over_256_kib_is_refused_at_line_1_and_one_at_the_limit_is_read(project: Path) -> None:
    path = project / "content/deck.yaml"
    text = path.read_text(encoding="utf-8")
    pad = MAX_BYTES - len(text.encode()) - 2
    path.write_text(text + "#" * pad + "\n", encoding="utf-8")
    assert path.stat().st_size == MAX_BYTES - 1
    load_content(Path("content"))  # just under the limit: read as usual
    path.write_text(text + "#" * (pad + 2) + "\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("content/deck.yaml:1: file is 262,145 bytes")


@pytest.mark.parametrize("make", ["directory", "fifo", "dev-zero"])
def test_a_content_file_that_is_not_a_regular_file_is_refused_promptly(project: Path, make: str) -> None:
    """A symlink to /dev/zero or a FIFO passes a size check by stat (size 0) and then never ends."""
    path = project / "content/facts.yaml"
    path.unlink()
    if make == "directory":
        path.mkdir()
    elif make == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")

    try:
        import resource
    except ImportError:
        pytest.skip("needs the POSIX `resource` module to cap the reader's memory")

    def limit_memory() -> None:  # so a reader that slurps /dev/zero fails instead of eating the machine
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    try:
        # A hang never ends; a refusal takes well under a second, and the time limit leaves room
        # for a machine that a parallel test run keeps busy.
        result = subprocess.run([CLI, "check"], cwd=project, capture_output=True, text=True, timeout=60,
                                preexec_fn=limit_memory)
    except subprocess.TimeoutExpired:
        pytest.fail(f"clearfacts check hangs on a content file that is a {make}")
    assert result.returncode == 2, result.stderr[-300:]
    assert_one_line_errors(result.stderr)
    assert result.stderr.startswith("content/facts.yaml")


@pytest.mark.parametrize("template", ["../../etc/passwd", "../outside.pptx", "/tmp/clinic.pptx", "linked.pptx"])
def test_a_deck_template_outside_the_content_folder_is_refused(project: Path, template: str) -> None:
    """The template path is read and embedded: it must not reach files outside the content set."""
    outside = project / "outside.pptx"
    Presentation().save(str(outside))
    (project / "content/linked.pptx").symlink_to(outside)
    settings = project / "content/settings.yaml"
    edit(settings, 'template: ""', f'template: "{template}"')
    result = run("build")
    assert result.exit_code == 2, result.output
    assert_one_line_errors(result.stderr)
    line = line_of(settings, "template:")
    assert any(s.startswith(f"content/settings.yaml:{line}: ") and "template" in s for s in result.stderr.splitlines())
    assert not (project / "slides").exists()


MARKUP = '<img src=/etc/passwd> <a href="javascript:alert(1)">x</a> & <b>.'


@pytest.mark.slow  # markup printed literally: test_handout, test_booklet and test_web in the default run
def test_markup_in_a_red_flag_is_printed_literally_everywhere_and_links_no_script(project: Path) -> None:
    """Paragraph text is markup to reportlab: unescaped, `<img>` reads local files, `<a>` any URI."""
    edit(project / "content/library.yaml", '"The clinic says its stem cell treatment is FDA-approved. It is not."',
         f"'Ads say {MARKUP}'")
    result = run("build")
    assert result.exit_code == 0, result.stderr
    for name in PDFS:
        reader = PdfReader(project / name)
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        assert f"Ads say {MARKUP}" in text, name
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A") or {}
                assert action.get("/S") != "/JavaScript", name
                assert str(action.get("/URI", "https://")).startswith(("https://", "http://", "mailto:")), name
        catalog = reader.trailer["/Root"].get_object()
        assert "/JavaScript" not in (catalog.get("/Names") or {}) and "/OpenAction" not in catalog, name
    deck = Presentation(str(project / DECK))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert any(f"Ads say {MARKUP}" in text for text in texts)


@pytest.mark.parametrize(("file", "old", "url"), [
    ("library.yaml", 'url: "https://clinicaltrials.gov", qr', "javascript:alert(1)"),
    ("library.yaml", 'url: "https://clinicaltrials.gov", qr', "file:///etc/passwd"),
    ("library.yaml", 'url: "https://clinicaltrials.gov", qr', "JavaScript:alert(1)"),
    ("facts.yaml", 'url: "https://clinicaltrials.gov/study/NCT05507697"', "javascript:alert(1)"),
    ("settings.yaml", 'website: "https://example.org"', "data:text/html,<script>alert(1)</script>"),
])
def test_a_link_that_is_not_web_or_mail_is_refused_with_its_line(project: Path, file: str, old: str,
                                                                 url: str) -> None:
    path = project / "content" / file
    key = old.split(":")[0]
    edit(path, old, old.replace(old.split('"')[1], url))
    result = run("build")
    assert result.exit_code == 2, result.output
    assert_one_line_errors(result.stderr)
    line = line_of(path, f'"{url}"')
    kinds = "an http(s)://" if key == "website" else "an http(s):// or mailto:"  # a website must open a page
    assert f"content/{file}:{line}: '{key}' must be {kinds} address" in result.stderr


def test_a_link_with_a_query_string_reaches_the_booklet_unchanged(here: Path) -> None:
    """`&` is markup to reportlab; a real address with a query must survive as typed."""
    url = "https://clinicaltrials.gov/study/NCT05507697?tab=results&view=1"
    edit(here / "content/library.yaml", '"https://clinicaltrials.gov/study/NCT05507697", qr', f'"{url}", qr')
    built = run("build")  # `here`: built on this machine before the edit
    assert built.exit_code == 0 and f"wrote {BOOKLET}" in built.stdout, built.output
    reader = PdfReader(here / BOOKLET)
    uris = {str((a.get_object().get("/A") or {}).get("/URI")) for p in reader.pages for a in p.get("/Annots") or []}
    assert url in uris
    printed = "".join("".join(p.extract_text().split()) for p in reader.pages)  # wrapped after a slash
    assert url.removeprefix("https://") in printed


@pytest.mark.parametrize("value", ['"letter\\nContent OK"', '"letter\\x1b[2K"', '"letter\\u2028done"'])
def test_an_error_that_quotes_a_value_stays_on_one_line(project: Path, value: str) -> None:
    """Messages quote what was typed; a line break or escape code in it must not forge a second line
    (or, with --format github, a second annotation)."""
    settings = project / "content/settings.yaml"
    edit(settings, 'paper: "letter"', f"paper: {value}")
    with pytest.raises(ContentError) as caught:
        load_content(Path("content"))
    for finding in caught.value.findings:
        shown = str(finding)
        assert len(shown.splitlines()) == 1 and not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in shown), shown
    assert any(str(f).startswith(f"content/settings.yaml:{line_of(settings, 'paper:')}: ")
               for f in caught.value.findings)


def test_a_fact_broken_across_a_booklet_page_turn_still_builds(here: Path) -> None:
    """Dropping the FAQs from the booklet is a valid edit; it moves `{fda.approved_uses}` across a
    page turn ("…certain blood and immune" | "conditions."), which must not read as an altered fact."""
    edit(here / "content/booklet.yaml", '      - faqs: "all"\n', "")
    result = run("build")  # `here`: built on this machine before the edit
    assert result.exit_code == 0 and f"wrote {BOOKLET}" in result.stdout, result.stderr
    reader = PdfReader(here / BOOKLET)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "certain blood and immune" in text and "conditions." in text
