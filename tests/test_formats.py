"""The formats table is the only list of outputs: a new output is one entry plus its renderer
and reader, and every command (build, check, facts) picks it up."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from clearfacts import formats
from clearfacts.formats import Format
from clearfacts.formats import formats as formats_for
from clearfacts.model import ContentSet
from clearfacts.options import options_for
from clearfacts.pipeline import Expected
from clearfacts.render.qr_codes import encode_for
from conftest import edit, run

TOY = Format("toy", "toy/handout.txt", "handout", "toy_format:render", "toy_format:read", "section", "toy", (),
             section_per_unit=True)


@pytest.fixture
def with_toy(monkeypatch: pytest.MonkeyPatch) -> Format:
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, TOY))
    return TOY


def test_a_fifth_format_builds_verifies_and_is_reported(here: Path, with_toy: Format) -> None:
    built = run("build")  # `here` was built before the format was added: the new output is made now
    assert built.exit_code == 0, built.output
    assert re.search(r"wrote toy/handout\.txt \(\d+ sections, [\d,]+ bytes\)", built.stdout), built.stdout
    toy = here / "toy/handout.txt"
    assert "clearfacts-stamp-" in toy.read_text().splitlines()[0]

    assert run("check").exit_code == 0

    facts = run("facts")
    assert re.search(r"toy/handout\.txt: section \d", facts.stdout), facts.stdout

    toy.write_text(re.sub(r"\d+(\.\d+)?%", "99%", toy.read_text(), count=1))
    checked = run("check")
    assert checked.exit_code == 1
    assert re.search(r"toy/handout\.txt: section \d+: (altered fact|fact)", checked.stderr), checked.stderr


@pytest.mark.pool
def test_a_killed_worker_is_one_line_and_exit_2(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The out-of-memory killer takes a worker: the build says so in one line and leaves the
    outputs as they were (`here`: just built on this machine)."""
    project = here
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and "content" not in p.parts}
    dying = Format("toy", "toy/handout.txt", "handout", "toy_format:render_and_die", "toy_format:read", "section",
                   "toy", (), section_per_unit=True)
    monkeypatch.setattr(formats, "FORMATS", (dying, *formats.FORMATS))  # its own stack: a worker makes it
    edit(project / "content/handout.yaml", "Keep it short", "Keep it brief")  # so there is work to do
    result = run("build", "--force")
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if "warning" not in line]
    assert len(lines) == 1 and "worker process making it died" in lines[0] and "toy/handout.txt" in lines[0], lines
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and "content" not in p.parts}
    assert after == before
    assert not list(project.rglob("*.tmp"))


@pytest.mark.pool
def test_a_worker_killed_while_check_reads_is_one_line_and_exit_2(here: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:
    """In a fresh clone `check` reads the PDFs in worker processes while it reads the deck here;
    one of them dying is one line naming the file, exit 2, never a traceback or a hang."""
    project = tmp_path / "clone"
    shutil.copytree(here, project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))  # nothing vouched for: all is read
    (project / "toy").mkdir()
    (project / "toy/handout.txt").write_text("nothing\n")
    dying = Format("toy", "toy/handout.txt", "handout", "toy_format:render", "toy_format:read_and_die", "section",
                   "toy", (), section_per_unit=True)
    monkeypatch.setattr(formats, "FORMATS", (dying, *formats.FORMATS))  # its own stack: a worker reads it
    result = run("check")
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if "warning" not in line]
    assert len(lines) == 1 and lines[0].endswith(": the worker process reading it died"), lines
    assert "toy/handout.txt" in lines[0].split(": ")[0], lines  # with whatever else it had not finished


CHART = """      - chart:
          title: "Who went on to get DPN"
          series: "Developed neuropathy"
          categories: ["Got MSC treatment", "Control group"]
          facts: ["trial.msc_rate", "trial.control_rate"]
"""


def _add_chart(path: Path, before: str) -> None:
    text = path.read_text()
    assert before in text, before
    path.write_text(text.replace(before, CHART + before, 1))


def test_a_chart_in_the_booklet_builds_verifies_and_a_tampered_value_names_its_page(here: Path,
                                                                                   tmp_path: Path) -> None:
    project = here  # built on this machine before the chart was added
    _add_chart(project / "content/booklet.yaml", '      - text: "The most striking single trial')
    built = run("build")
    assert built.exit_code == 0, built.output
    assert run("check").exit_code == 0

    other = tmp_path / "other"
    shutil.copytree(project / "content", other / "content")
    edit(other / "content/facts.yaml", 'value: "48.3"\n    display: "48.3%"', 'value: "84.3"\n    display: "84.3%"')
    # --no-verify: this build only makes the tampered file; reading it back is the check's job below
    assert run("build", "--content", str(other / "content"), "--outputs", str(other), "--no-verify").exit_code == 0
    shutil.copy(other / "handouts/faq-booklet.pdf", project / "handouts/faq-booklet.pdf")
    checked = run("check")
    assert checked.exit_code == 1
    page = re.search(r"handouts/faq-booklet\.pdf: page (\d+) chart: altered fact trial\.control_rate: found 84\.3%, "
                     r"expected 48\.3%", checked.stderr)
    assert page, checked.stderr
    text = PdfReader(project / "handouts/faq-booklet.pdf").pages[int(page.group(1)) - 1].extract_text()
    assert "Who went on to get DPN" in text


def test_a_chart_in_the_handout_builds_and_verifies(here: Path) -> None:
    project = here  # built on this machine before the chart was added
    handout = project / "content/handout.yaml"
    # the chart takes the place of "what to do instead" and the costs paragraph, to fit one page
    text = re.sub(r'      - text: "The FDA has reports.*\n', "", handout.read_text())
    head, tail = text.split('  - id: "instead"', 1)
    handout.write_text(head + '  - id: "trial"\n    title: "One small trial"\n    blocks:\n' + CHART
                       + tail[tail.index('\n  - id: "check"'):])
    built = run("build")
    assert built.exit_code == 0, built.output
    assert "Who went on to get DPN" in PdfReader(project / "handouts/red-flags.pdf").pages[0].extract_text()
    assert run("check").exit_code == 0


EXTRA_FAQS = """
  - id: "extra-one"
    question: "Can I ask my doctor about a trial?"
    answer:
      - "Yes. Bring the trial's number and ask if it fits you. As of {status.as_of}, {fda.neuropathy}."
      - "Your doctor can also tell you about {fda.approved_uses}, where stem cells are approved."
  - id: "extra-two"
    question: "What did the single trial find?"
    answer:
      - "One trial followed {trial.patients} for {trial.years}. In the control group, {trial.control_rate} did."
  - id: "extra-three"
    question: "Is it safe to travel abroad for a stem cell shot?"
    answer:
      - "Clinics abroad often charge {cost.range}. Problems after you come home are hard to treat."
"""


def test_three_more_faqs_build_and_check_clean_in_every_output(here: Path) -> None:
    """Ordinary growth of the booklet moves sentences across page turns and sheet halves: no
    false alarm in the screen or the imposed print file (`here`: built before they were added)."""
    library = here / "content/library.yaml"
    text = library.read_text()
    head, tail = text.split("faqs:\n", 1)
    library.write_text(head + "faqs:\n" + EXTRA_FAQS.lstrip("\n") + "\n" + tail)
    built = run("build")
    assert built.exit_code == 0, built.output
    checked = run("check")
    assert checked.exit_code == 0, checked.output


_PDF_WORKER = """
import importlib, json, pickle, sys
from clearfacts.formats import formats
for module in dict.fromkeys(m for f in formats() if f.stack == "pdf" for m in f.warm):  # the fork server's
    importlib.import_module(module)
preloaded = [m for m in ("segno", "clearfacts.verify.pptx_package") if m in sys.modules]
expected, families, prepared = pickle.load(sys.stdin.buffer)
from clearfacts.pipeline import produce_here
made = [produce_here(expected, family, [f.key for f in family], prepared) for family in families]
print(json.dumps({"preloaded": preloaded, "segno later": "segno" in sys.modules,
                  "findings": [str(f) for m in made for f in m.findings],
                  "units": {k: v for m in made for k, v in m.units.items()}}))
"""


def test_a_pdf_worker_loads_neither_segno_nor_the_decks_reader_and_draws_the_codes_handed_to_it(
        bundled: ContentSet) -> None:
    """The parent encodes the QR codes once and hands them over with their sizes, so a worker
    that makes and reads back every PDF never loads segno (nor the web modules its writers
    import), and the fork server's start, which every worker waits for, is shorter; the deck's
    XML reader stays out of it too. What it draws still reads back clean."""
    table = formats_for(bundled.languages)
    expected = Expected(bundled, options_for(bundled, None, None), table)
    pdfs = [f for f in table if f.stack == "pdf"]
    families: dict[str, list[Format]] = {}  # each PDF with the one derived from it, a job each
    for fmt in pdfs:
        families.setdefault(fmt.derived_from or fmt.key, []).append(fmt)
    prepared = [encode_for(bundled)]  # what the parent hands over
    assert prepared[0].codes, "the fixture content prints QR codes"
    handed = pickle.dumps((expected, list(families.values()), prepared))
    result = subprocess.run([sys.executable, "-c", _PDF_WORKER], input=handed, capture_output=True, check=True,
                            timeout=120)
    report = json.loads(result.stdout)
    assert report["preloaded"] == [] and report["segno later"] is False, report
    assert report["findings"] == []
    assert report["units"]["handout"] == 1 and report["units"]["booklet"] >= 8, report["units"]
