"""Editions that look like their clinic: a logo on the handouts, the booklet's cover and the
title slide (a tagged figure / a described picture), a brand colour on headings, rules and the
deck's accents, and an edition in some of the content's languages only.

The content is the suite's two-language fixture (en-US + es-US), copied; three editions are
written here: `north` (logo and colour), `paris` (A4) and `sol` (Spanish only). They are built
once for the module and every test reads the files back with other libraries than the ones that
wrote them (pikepdf and pdfplumber, python-pptx and plain XML), on a copy when it tampers.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from pptx import Presentation

from clearfacts.formats import formats
from conftest import run

SPANISH = Path(__file__).resolve().parent / "fixtures" / "spanish"
ALT = "North Valley Neuropathy Group logo"
COLOUR = "#7a1f3d"  # 10.4:1 on white
LOGO_SIZE = (300, 100)  # 3:1, so a stretched logo shows
EDITIONS = {
    "north": f"""\
organisation:
  name: "North Valley Neuropathy Group"
brand_colour: "{COLOUR}"
logo:
  file: "logos/clinic.png"
  alt: "{ALT}"
""",
    "paris": 'paper: "a4"\n',
    "sol": "languages: [es-US]\n",
}
PDFS = ("handouts/red-flags.pdf", "handouts/red-flags-large-print.pdf", "handouts/faq-booklet.pdf",
        "handouts/es/senales-de-alerta.pdf", "handouts/es/senales-de-alerta-letra-grande.pdf",
        "handouts/es/folleto-de-preguntas.pdf")
DECKS = ("slides/support-group.pptx", "slides/es/grupo-de-apoyo.pptx")


def make_logo(path: Path) -> bytes:
    """A small two-colour PNG, 3:1; its bytes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", LOGO_SIZE, (31, 78, 121))
    ImageDraw.Draw(image).rectangle((110, 35, 290, 65), fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return out.getvalue()


def make_site(root: Path) -> Path:
    shutil.copytree(SPANISH, root / "content")
    make_logo(root / "content" / "logos" / "clinic.png")
    (root / "editions").mkdir()
    for name, text in EDITIONS.items():
        (root / "editions" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


def cli(root: Path, *args: str):  # noqa: ANN201 - click's Result
    return run(*args, "--content", str(root / "content"), "--editions", str(root / "editions"),
               "--outputs", str(root / "dist"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three editions, built once (each build reads its files back before writing them)."""
    root = make_site(tmp_path_factory.mktemp("branding"))
    result = cli(root, "build", "--all-editions", "--jobs", "2")
    assert result.exit_code == 0, result.output + result.stderr
    return root


@pytest.fixture
def copy(site: Path, tmp_path: Path) -> Path:
    """A copy of the built site to tamper with."""
    shutil.copytree(site, tmp_path / "site", symlinks=True)
    return tmp_path / "site"


def figures(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found: list[pikepdf.Dictionary] = []

    def walk(node: object) -> None:
        if not isinstance(node, pikepdf.Dictionary):
            return
        if node.get("/S") == "/Figure":
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid)

    walk(pdf.Root.get("/StructTreeRoot"))  # the imposed print file has none
    return found


@pytest.mark.slow  # every output was read back by the module's build; check and build --check of all three
def test_three_editions_build_and_check_clean(site: Path) -> None:
    checked = cli(site, "check", "--all-editions")
    assert checked.exit_code == 0, checked.output + checked.stderr
    assert "3 of 3 edition(s) ok" in checked.output
    compared = cli(site, "build", "--check", "--all-editions")  # reproducible, logo and all
    assert compared.exit_code == 0, compared.output + compared.stderr


def test_the_logo_is_a_tagged_figure_with_the_editions_alt_text_kept_in_shape(site: Path) -> None:
    for path in PDFS:
        with pikepdf.open(site / "dist" / "north" / path) as pdf:
            alts = [str(f.get("/Alt", "")) for f in figures(pdf)]
            assert alts.count(ALT) == 1, (path, alts)
        with pdfplumber.open(site / "dist" / "north" / path) as pdf:
            page = pdf.pages[0]
            [image] = page.images  # QR codes are drawn as shapes: the one image is the logo
            assert image["srcsize"] == LOGO_SIZE  # embedded at its own pixels, not resampled
            assert image["width"] / image["height"] == pytest.approx(3, rel=0.01)  # aspect ratio kept
            assert 0 < image["x0"] < image["x1"] <= page.width and 0 <= image["top"] < image["bottom"] <= page.height
    for path in ("handouts/red-flags.pdf", "handouts/es/senales-de-alerta.pdf"):
        with pdfplumber.open(site / "dist" / "north" / path) as pdf:
            assert len(pdf.pages) == 1, path  # the handout still fits one page
    for name in ("paris", "sol"):
        for path in (site / "dist" / name).rglob("*.pdf"):
            with pikepdf.open(path) as pdf:
                assert ALT not in [str(f.get("/Alt", "")) for f in figures(pdf)]


def test_the_logo_is_a_described_picture_on_the_title_slide(site: Path) -> None:
    logo = (site / "content" / "logos" / "clinic.png").read_bytes()
    for path in DECKS:
        deck = Presentation(str(site / "dist" / "north" / path))
        first, *rest = deck.slides
        [picture] = [s for s in first.shapes if s.shape_type == 13 and s.name == "Logo"]  # MSO_SHAPE_TYPE.PICTURE
        assert picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr") == ALT  # noqa: SLF001
        assert picture.image.blob == logo  # the bytes as given
        assert picture.width / picture.height == pytest.approx(3, rel=0.01)
        assert picture.left + picture.width <= deck.slide_width and picture.top >= 0
        assert not any(s.name == "Logo" for slide in rest for s in slide.shapes)


def test_the_brand_colour_colours_headings_and_the_decks_accents(site: Path) -> None:
    hex_colour = COLOUR.lstrip("#").upper()
    for name, expected in (("north", True), ("paris", False)):
        with zipfile.ZipFile(site / "dist" / name / "slides/support-group.pptx") as z:
            master = z.read("ppt/slideMasters/slideMaster1.xml").decode()
        assert (f'val="{hex_colour}"' in master) is expected, name
        with pdfplumber.open(site / "dist" / name / "handouts/red-flags.pdf") as pdf:
            colours = {tuple(round(c * 255) for c in ch["non_stroking_color"]) for ch in pdf.pages[0].chars
                       if isinstance(ch["non_stroking_color"], (tuple, list)) and len(ch["non_stroking_color"]) == 3}
        assert ((0x7A, 0x1F, 0x3D) in colours) is expected, (name, colours)


def test_a_spanish_only_edition_makes_only_the_spanish_outputs(site: Path) -> None:
    made = sorted(p.relative_to(site / "dist" / "sol").as_posix() for p in (site / "dist" / "sol").rglob("*")
                  if p.is_file() and not p.name.startswith("."))
    spanish = sorted(f.path for f in formats(("en-US", "es-US")) if f.language == "es-US")
    assert made == spanish
    assert all(p.split("/")[1] == "es" for p in made), made


@pytest.mark.slow  # check of all 40 outputs; an edition's failed check: the alt-text test below
def test_a_changed_figure_in_one_editions_deck_is_reported_for_that_edition_alone(copy: Path) -> None:
    path = copy / "dist" / "north" / "slides/support-group.pptx"
    deck = Presentation(str(path))
    runs = [r for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs for r in p.runs if "48.3%" in r.text]
    assert runs
    runs[0].text = runs[0].text.replace("48.3%", "48.2%", 1)
    deck.save(str(path))
    checked = cli(copy, "check", "--all-editions")
    assert checked.exit_code == 1, checked.output + checked.stderr
    assert "edition north: failed the check" in checked.output
    assert "edition paris: ok" in checked.output and "edition sol: ok" in checked.output
    named = [ln for ln in checked.output.splitlines() + checked.stderr.splitlines() if "support-group.pptx" in ln]
    assert named and all("north" in ln for ln in named), named


@pytest.mark.slow  # a figure without alt text: test_accessible_pdf
def test_a_logo_figure_without_its_alt_text_is_named_by_check(copy: Path) -> None:
    path = copy / "dist" / "north" / "handouts/red-flags.pdf"
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        [logo] = [f for f in figures(pdf) if str(f.get("/Alt", "")) == ALT]
        del logo["/Alt"]
        pdf.save(path)
    checked = cli(copy, "check", "--edition", "north")
    assert checked.exit_code == 1, checked.output + checked.stderr
    said = checked.output + checked.stderr
    assert "red-flags.pdf" in said and "page 1" in said and "a figure has no alternative text" in said, said


def test_the_logo_is_known_as_the_build_s_own_picture_and_another_is_read(
        copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`check` reads the words of pictures the build did not place; the logo, in the PDFs (as
    reportlab stores a PNG: its pixels) and on the title slide (its bytes), is the build's own. With
    no Tesseract to read words, the editions pass; a logo swapped on the title slide for another
    picture (one pixel changed) is then named as a picture check cannot read."""
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    checked = cli(copy, "check", "--edition", "north")
    assert checked.exit_code == 0, checked.output + checked.stderr
    deck = copy / "dist" / "north" / DECKS[0]
    source = zipfile.ZipFile(io.BytesIO(deck.read_bytes()))
    logo = (copy / "content" / "logos" / "clinic.png").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, _one_pixel_changed(data) if data == logo else data)
    deck.write_bytes(out.getvalue())
    checked = cli(copy, "check", "--edition", "north")
    assert checked.exit_code == 1, checked.output + checked.stderr
    said = checked.output + checked.stderr
    assert "support-group.pptx: slide 1: shows a picture clearfacts did not put there and cannot read" in said, said


def _one_pixel_changed(png: bytes) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.putpixel((0, 0), (0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_an_edition_language_the_content_does_not_have_is_refused_by_line(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    (root / "editions" / "lyon.yaml").write_text('paper: "a4"\nlanguages:\n  - es-US\n  - fr-FR\n',
                                                 encoding="utf-8")
    result = cli(root, "build", "--edition", "lyon")
    assert result.exit_code == 2
    [line] = [ln for ln in result.stderr.splitlines() if "lyon.yaml:4:" in ln]
    assert "no language 'fr-FR'" in line and "en-US, es-US" in line
    assert not (root / "dist" / "lyon").exists()


def test_a_logo_with_no_room_beside_the_contact_lines_goes_beside_the_notice(tmp_path: Path) -> None:
    """A name as wide as the page leaves no room beside the contact lines, and the Spanish title
    fills its line: the logo goes at the right of the reviewed date and disclaimer, which are set
    narrower than the page, still inside the footer's own room, so both full pages still fit (it
    used to need a line above the title, which they did not have: the build stopped)."""
    root = make_site(tmp_path)
    (root / "editions" / "wide.yaml").write_text(
        'organisation:\n  name: "NORTHUMBERLAND AND WESTMORLAND NEUROPATHY MEMBERS NETWORK UK"\n'
        f'logo:\n  file: "logos/clinic.png"\n  alt: "{ALT}"\n'
        "outputs: [handout]\n", encoding="utf-8")  # the fixture's full large print has no line for such a name
    result = cli(root, "build", "--edition", "wide")
    assert result.exit_code == 0, result.output + result.stderr
    for path, reviewed in (("handouts/red-flags.pdf", "Reviewed:"), ("handouts/es/senales-de-alerta.pdf", "Revisado:")):
        with pdfplumber.open(root / "dist" / "wide" / path) as pdf:
            assert len(pdf.pages) == 1, path
            page = pdf.pages[0]
            [image] = page.images
            words = page.extract_words()
            name = next(w for w in words if w["text"] == "NORTHUMBERLAND")
            notice = next(w for w in words if w["text"] == reviewed)
            assert image["top"] > name["bottom"], path  # below the contact lines, not beside the title
            assert image["top"] == pytest.approx(notice["top"], abs=4), path  # level with the notice
            beside = [w for w in words if w["bottom"] > image["top"] and w["top"] < image["bottom"]]
            assert beside and all(w["x1"] < image["x0"] for w in beside), path  # covering none of it
    with pikepdf.open(root / "dist" / "wide" / "handouts/red-flags.pdf") as pdf:
        assert [str(f.get("/Alt", "")) for f in figures(pdf)].count(ALT) == 1


def test_long_contacts_go_on_two_lines_as_short_as_running_text(tmp_path: Path) -> None:
    """A clinic's long email and website (within the limits) used to share one 91-character line
    with the phone, which the line-length rule then warned about on every build of the edition;
    they now break before a line passes the length of running text, and the logo fits beside them."""
    root = make_site(tmp_path)
    (root / "editions" / "valle.yaml").write_text(
        'organisation:\n  name: "Centro Comunitario de Salud Neurológica del Valle"\n  phone: "(559) 432-0147"\n'
        '  email: "grupodeapoyo@saludneurovalle.org"\n'
        '  website: "https://www.saludneurovalle.org/grupos/neuropatia"\n'
        f'logo:\n  file: "logos/clinic.png"\n  alt: "{ALT}"\noutputs: [handout]\n', encoding="utf-8")
    built = cli(root, "build", "--edition", "valle")
    assert built.exit_code == 0, built.output + built.stderr
    checked = cli(root, "check", "--edition", "valle")
    assert checked.exit_code == 0 and "line-length" not in checked.output + checked.stderr, checked.output
    for path in ("handouts/red-flags.pdf", "handouts/es/senales-de-alerta.pdf"):
        with pdfplumber.open(root / "dist" / "valle" / path) as pdf:
            page = pdf.pages[0]
            lines = page.extract_text().splitlines()
            [phone] = [line for line in lines if "432-0147" in line]
            [web] = [line for line in lines if "saludneurovalle.org/grupos" in line]
            assert phone != web and len(phone) <= 75 and len(web) <= 75, (phone, web)
            [image] = page.images
            name = [w for w in page.extract_words() if w["text"] == "Centro"][-1]  # the footer's, not the band's
            assert image["top"] == pytest.approx(name["top"], abs=4), path  # beside the contact lines
