"""A QR code is a link a phone follows without anyone reading it: a code swapped for one that opens
a clinic's sales page keeps every word, label and link annotation of the page. `check` scans every
code as printed or projected (PDFium renders the PDF's, the deck's pictures are read as stored) and
names, at its page or slide, a code that leads where the content does not, one that leads
elsewhere than the link a click on it opens, and one that no longer scans (exit 1).

The suite's content is built once for the module; each test tampers with a copy of one output,
the way an editor with a PDF tool or PowerPoint would: a picture pasted over the code, a white
box over it, the deck's picture replaced.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
import segno

from clearfacts.formats import by_key
from conftest import BUNDLED, on_one_core, run

EVIL = "https://stem-cell-cure.example/neuropathy"
TRIALS = "https://clinicaltrials.gov"
FDA = ("https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/"
       "important-patient-and-consumer-information-about-regenerative-medicine-therapies")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("codes")
    shutil.copytree(BUNDLED, root / "content")
    with on_one_core():
        result = run("build", "--content", str(root / "content"), "--outputs", str(root))
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built project, as the working directory, read back in full (no cache)."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy)
    monkeypatch.chdir(copy)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return copy


def code_box(pdf: pikepdf.Pdf, url: str) -> tuple[int, list[float]]:
    """The page index and rectangle of the link annotation over the printed code for `url` (the
    square one: the label beside it is a wide link to the same address)."""
    for index, page in enumerate(pdf.pages):
        for annot in page.get("/Annots", []):
            action = annot.get("/A")
            rect = [float(v) for v in annot.Rect]
            if action is not None and str(action.get("/URI", "")) == url and \
                    abs((rect[2] - rect[0]) - (rect[3] - rect[1])) < 1:
                return index, rect
    raise AssertionError(f"no code for {url}")


def paste_code(path: Path, over: str, url: str) -> None:
    """Paste a picture of a code for `url` over the printed code for `over`."""
    code = segno.make(url, error="m")
    rows = [[0 if dark else 255 for dark in row] for row in code.matrix_iter(border=4)]
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        index, (x0, y0, x1, y1) = code_box(pdf, over)
        image = pikepdf.Stream(pdf, bytes(v for row in rows for v in row))
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height = len(rows[0]), len(rows)
        image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceGray, 8
        page = pdf.pages[index]
        name = page.add_resource(image, pikepdf.Name.XObject, "/Pasted")
        page.contents_add(pdf.make_stream(b"q %f 0 0 %f %f %f cm %s Do Q"
                                          % (x1 - x0, y1 - y0, x0, y0, str(name).encode())))
        pdf.save(path)


def white_box(path: Path, over: str) -> None:
    """A white box drawn over the printed code for `over`, as one hides a part of a page."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        index, (x0, y0, x1, y1) = code_box(pdf, over)
        pdf.pages[index].contents_add(pdf.make_stream(b"q 1 g %f %f %f %f re f Q" % (x0, y0, x1 - x0, y1 - y0)))
        pdf.save(path)


def deck_picture(path: Path, url: str) -> None:
    """Replace the deck's first QR picture with a code for `url`, as "Change Picture" does."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    png = io.BytesIO()
    segno.make(url, error="l").save(png, kind="png", scale=8, border=2)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        pictures = sorted(n for n in source.namelist() if n.startswith("ppt/media/") and n.endswith(".png"))
        assert pictures
        for info in source.infolist():
            data = png.getvalue() if info.filename == pictures[0] else source.read(info.filename)
            target.writestr(info, data)
    path.write_bytes(out.getvalue())


def findings(output: str, path: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"{path}: ") and "a QR code" in line]


@pytest.mark.parametrize("key", ["handout", "booklet", "handout-large"])
def test_a_code_pasted_over_the_printed_one_is_named_at_its_page(project: Path, key: str) -> None:
    path = by_key(key).path
    paste_code(project / path, TRIALS, EVIL)
    result = run("check")
    assert result.exit_code == 1, result.output
    found = findings(result.output, path)
    assert found and all(f"a QR code leads to {EVIL}, an address the content does not give" in line
                         for line in found), result.output
    assert all(line.startswith(f"{path}: page ") for line in found)


def test_a_code_swapped_for_another_address_of_the_content_is_named(project: Path) -> None:
    """The FDA's code printed where the link opens ClinicalTrials.gov: both addresses are the
    content's, but a phone and a click no longer go to the same place."""
    path = by_key("handout").path
    paste_code(project / path, TRIALS, FDA)
    result = run("check")
    assert result.exit_code == 1, result.output
    assert f"{path}: page 1: a QR code leads to {FDA[:99]}…, but a click on it opens {TRIALS}" in result.output


def test_a_code_hidden_under_a_white_box_is_named(project: Path) -> None:
    path = by_key("handout").path
    white_box(project / path, TRIALS)
    result = run("check")
    assert result.exit_code == 1, result.output
    assert f"{path}: page 1: a QR code that does not scan (covered, damaged or not a code)" in result.output


def test_the_deck_s_code_replaced_is_named_at_its_slide(project: Path) -> None:
    path = by_key("deck").path
    deck_picture(project / path, EVIL)
    result = run("check")
    assert result.exit_code == 1, result.output
    found = findings(result.output, path)
    assert len(found) == 1 and found[0].startswith(f"{path}: slide ")
    assert f"a QR code leads to {EVIL}, an address the content does not give" in found[0]


def test_the_print_file_s_codes_are_scanned_too(project: Path) -> None:
    """The imposed booklet carries no links, so a pasted code is only seen by scanning it."""
    path = by_key("booklet-print").path
    booklet = by_key("booklet").path
    with pikepdf.open(project / booklet) as pdf:
        index, (x0, y0, x1, y1) = code_box(pdf, TRIALS)
    code = segno.make(EVIL, error="m")
    rows = [[0 if dark else 255 for dark in row] for row in code.matrix_iter(border=4)]
    with pikepdf.open(project / path, allow_overwriting_input=True) as pdf:
        image = pikepdf.Stream(pdf, bytes(v for row in rows for v in row))
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height = len(rows[0]), len(rows)
        image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceGray, 8
        page = pdf.pages[0]
        name = page.add_resource(image, pikepdf.Name.XObject, "/Pasted")
        page.contents_add(pdf.make_stream(b"q 72 0 0 72 36 36 cm %s Do Q" % str(name).encode()))
        pdf.save(project / path)
    result = run("check")
    assert result.exit_code == 1, result.output
    found = findings(result.output, path)
    assert found and "(sheet side 1, left)" in found[0] and EVIL in found[0], result.output


def test_the_built_codes_all_scan_to_their_links(project: Path) -> None:
    """Every printed and projected code of the build scans, to the address of the link on it."""
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "QR code" not in result.output
