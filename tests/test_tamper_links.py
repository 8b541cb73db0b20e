"""A hijacked link keeps its label: "Search ClinicalTrials.gov" that opens another site reads the
same, so no check of the text can see it. `check` follows every link a reader could: a PDF's link
annotations, the deck's hyperlinks, a web page's `href`s, and names each one the content does not
give, at its page or slide (exit 1); it scans every QR code a phone could, too. The suite's
content is built once for the module; each test tampers with a copy of one output.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
import segno

from clearfacts.formats import by_key
from conftest import BUNDLED, on_one_core, run

EVIL = "https://clinicaltrials.gov.evil.example"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("links")
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


def pdf_uri(path: Path, old: str, new: str) -> None:
    """Point every link annotation that opens `old` at `new` (the printed text stays)."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        changed = 0
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and str(action.get("/URI", "")) == old:
                    action.URI = pikepdf.String(new)
                    changed += 1
        assert changed, f"no link to {old}"
        pdf.save(path)


def pdf_retarget_words(path: Path, old: str, new: str) -> None:
    """Point the links on the printed words for `old` at `new`, another of the content's
    addresses; the QR code's link (the square one) is left alone."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        changed = 0
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                action, (x0, y0, x1, y1) = annot.get("/A"), [float(v) for v in annot.Rect]
                if action is not None and str(action.get("/URI", "")) == old and abs((x1 - x0) - (y1 - y0)) > 1:
                    action.URI = pikepdf.String(new)
                    changed += 1
        assert changed, f"no link on the words for {old}"
        pdf.save(path)


def pdf_launch(path: Path, old: str) -> None:
    """Make the first link to `old` launch a program instead."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and str(action.get("/URI", "")) == old:
                    annot.A = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("setup.exe"))
                    pdf.save(path)
                    return
    raise AssertionError(f"no link to {old}")


def deck_target(path: Path, old: str, new: str) -> None:
    """Point the deck's hyperlink relationship to `old` at `new`, as an editor of the XML would."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    changed = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith(".rels") and f'Target="{old}"'.encode() in data:
                data = data.replace(f'Target="{old}"'.encode(), f'Target="{new}"'.encode())
                changed += 1
            target.writestr(info, data)
    assert changed, f"no hyperlink to {old}"
    path.write_bytes(out.getvalue())


def web_href(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert f'href="{old}"' in text
    path.write_text(text.replace(f'href="{old}"', f'href="{new}"'), encoding="utf-8")


# QR codes: a code is a link a phone follows without anyone reading it. A code swapped for one that
# opens a clinic's sales page keeps every word, label and link annotation of the page; `check`
# scans every code as printed or projected and names, at its page or slide, one that leads where
# the content does not, one that leads elsewhere than the link on it, and one that no longer scans.

CLINIC = f"{EVIL}/stem-cells"  # a clinic's sales page
TRIALS = "https://clinicaltrials.gov"
FDA = ("https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/"
       "important-patient-and-consumer-information-about-regenerative-medicine-therapies")


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


def paste_code(path: Path, url: str, over: str | None = None) -> None:
    """Paste a picture of a code for `url` over the printed code for `over`, or (with no `over`)
    at the first page's lower left corner, as a PDF editor pastes a picture."""
    code = segno.make(url, error="m")
    rows = [[0 if dark else 255 for dark in row] for row in code.matrix_iter(border=4)]
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        index, (x0, y0, x1, y1) = code_box(pdf, over) if over else (0, [36.0, 36.0, 108.0, 108.0])
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


TAMPERS: dict[str, tuple[str, Callable[[Path], None], str]] = {
    "a PDF link annotation": ("handout", lambda p: pdf_uri(p, "https://clinicaltrials.gov", EVIL), "page 1"),
    "the booklet's email link": ("booklet", lambda p: pdf_uri(p, "mailto:info@example.org", "mailto:a@evil.example"),
                                 "page "),
    "a deck hyperlink": ("deck", lambda p: deck_target(p, "https://clinicaltrials.gov", EVIL), "slide "),
    "a web page's link": ("web-index", lambda p: web_href(p, "https://clinicaltrials.gov", EVIL), "page"),
    "a web page's download": ("web-index", lambda p: web_href(p, "../handouts/red-flags.pdf", f"{EVIL}/flags.pdf"),
                              "page"),
    "a picture pasted over the handout's QR code": ("handout", lambda p: paste_code(p, CLINIC, over=TRIALS), "page 1"),
    "the same over the booklet's": ("booklet", lambda p: paste_code(p, CLINIC, over=TRIALS), "page "),
    "the same over the large print's": ("handout-large", lambda p: paste_code(p, CLINIC, over=TRIALS), "page "),
    "the deck's QR picture changed": ("deck", lambda p: deck_picture(p, CLINIC), "slide "),
    # the imposed booklet carries no links: a pasted code is only seen by scanning it
    "a QR code pasted on the print file": ("booklet-print", lambda p: paste_code(p, CLINIC), "page "),
}


@pytest.mark.parametrize("case", list(TAMPERS))
def test_a_link_that_leads_elsewhere_is_named_at_its_place(project: Path, case: str) -> None:
    key, tamper, where = TAMPERS[case]
    path = by_key(key).path
    tamper(project / path)
    result = run("check")
    assert result.exit_code == 1, result.output
    found = [line for line in result.output.splitlines() if "an address the content does not give" in line]
    assert len(found) >= 1 and all(line.startswith(f"{path}: {where}") for line in found), result.output
    assert "evil.example" in found[0]


def test_a_pdf_link_that_launches_a_program_is_named(project: Path) -> None:
    path = by_key("handout").path
    pdf_launch(project / path, "https://clinicaltrials.gov")
    result = run("check")
    assert result.exit_code == 1, result.output
    assert f"{path}: page 1: (launches a file)" in result.output


def test_the_built_links_pass_with_every_output_read_back(project: Path) -> None:
    """Every link, and every printed and projected QR code, leads where the content says."""
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "QR code" not in result.output


def test_a_web_page_that_moves_its_reader_on_by_itself_is_named(project: Path) -> None:
    """A meta refresh sends the reader to another site with no link to click; the page's style
    policy does not stop it (its base-uri does stop a <base> that would re-aim relative links)."""
    path = by_key("web-handout").path
    page = project / path
    page.write_text(page.read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">', f'<meta charset="utf-8">\n<meta http-equiv="Refresh" content="3; url={EVIL}">', 1),
        encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1, result.output
    assert f"{path}: page head: the page moves its reader on by itself (meta refresh '3; url={EVIL}')" in result.output


def _open_action(pdf: pikepdf.Pdf, action: pikepdf.Dictionary) -> None:
    pdf.Root.OpenAction = action


def _page_action(pdf: pikepdf.Pdf, action: pikepdf.Dictionary) -> None:
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=action)


def _bookmark_action(pdf: pikepdf.Pdf, action: pikepdf.Dictionary) -> None:
    first = pdf.Root.Outlines.First
    first.A = action
    if "/Dest" in first:
        del first["/Dest"]


def _square_action(pdf: pikepdf.Pdf, action: pikepdf.Dictionary) -> None:
    """A square annotation over the page's corner that opens a site when clicked."""
    square = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square,
                                                  Rect=[0, 0, 20, 20], A=action))
    page = pdf.pages[0].obj
    page.Annots = pikepdf.Array([*page.get("/Annots", []), square])


ACTIONS: dict[str, tuple[str, Callable[[pikepdf.Pdf, pikepdf.Dictionary], None], str]] = {
    "as the file opens": ("handout", _open_action, "opens something as the file opens (URI)"),
    "as a page shows": ("handout", _page_action, "acts by itself when a page shows or a field is touched (URI)"),
    "from a bookmark": ("booklet", _bookmark_action, "a bookmark does something else than open a page (URI)"),
    "from a shape": ("handout", _square_action, "acts when an annotation that is not a link is touched (URI)"),
}


@pytest.mark.parametrize("case", list(ACTIONS))
def test_a_pdf_that_opens_a_site_with_no_link_clicked_is_named(project: Path, case: str) -> None:
    """Actions a viewer performs by itself (or from a bookmark that should open a page) take the
    reader elsewhere while the pages say the right words."""
    key, tamper, said = ACTIONS[case]
    path = project / by_key(key).path
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        tamper(pdf, pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(EVIL)))
        pdf.save(path)
    result = run("check")
    assert result.exit_code == 1, result.output
    assert f"{by_key(key).path}: the whole file: {said}, which clearfacts never writes" in result.output


CODE_TAMPERS: dict[str, tuple[Callable[[Path], None], str]] = {
    # an address the content gives, behind the words of another one: the link check alone passes it
    "the words 'clinicaltrials.gov' that open the FDA's page": (
        lambda p: pdf_retarget_words(p, TRIALS, FDA),
        f"page 1: the link on 'clinicaltrials.gov' opens {FDA[:99]}…, the address of another of the content's links"),
    # both addresses are the content's, but a phone and a click no longer go to the same place
    "the FDA's code where the link opens ClinicalTrials.gov": (
        lambda p: paste_code(p, FDA, over=TRIALS),
        f"page 1: a QR code leads to {FDA[:99]}…, but a click on it opens {TRIALS}"),
    "a white box over the code": (
        lambda p: white_box(p, TRIALS), "page 1: a QR code that does not scan (covered, damaged or not a code)"),
}


@pytest.mark.parametrize("case", list(CODE_TAMPERS))
def test_a_link_or_code_that_leads_to_another_of_the_content_s_addresses_is_named(project: Path, case: str) -> None:
    tamper, said = CODE_TAMPERS[case]
    path = by_key("handout").path
    tamper(project / path)
    result = run("check")
    assert result.exit_code == 1, result.output
    assert f"{path}: {said}" in result.output
