"""The Spanish edition as a clinic meets it: `clearfacts build` writes every output in English and
in Spanish (Spanish ones in es/ folders, named in Spanish), each is read back and checked against
its own language's facts, and the checks name the Spanish file and the slide.

The content is `tests/fixtures/spanish` (the suite's English content, `languages: [en-US, es-US]`,
the Spanish prose in `es/`)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from click.testing import Result
from pptx import Presentation

from clearfacts.content.loader import load_content
from clearfacts.formats import formats
from clearfacts.render import fonts
from conftest import Site, build_site, edit, in_place, run

SPANISH = Path(__file__).resolve().parent / "fixtures" / "spanish"
ES_PATHS = [f.path for f in formats(("en-US", "es-US")) if f.language == "es-US"]
ES_HANDOUT, ES_LARGE, ES_DECK = ("handouts/es/senales-de-alerta.pdf", "handouts/es/senales-de-alerta-letra-grande.pdf",
                                 "slides/es/grupo-de-apoyo.pptx")
ES_PDFS = [p for p in ES_PATHS if p.endswith(".pdf")]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Site]:
    """The Spanish fixture built on both papers, each in a project of its own (conftest)."""
    return {paper: build_site(tmp_path_factory, f"es-{paper}", SPANISH, None, "--paper", paper)
            for paper in ("letter", "a4")}


@pytest.fixture(scope="module")
def built(sites: dict[str, Site]) -> dict[str, Path]:
    """The two projects (read-only)."""
    return {paper: site.root for paper, site in sites.items()}


@pytest.fixture(scope="module")
def checked(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Result:
    """`clearfacts check` of the letter build from elsewhere, with an empty build cache (so every
    output is read back), for the tests that look at what it says."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("es-check-cache")))
        return run("check", "--content", str(built["letter"] / "content"), "--outputs", str(built["letter"]))


@pytest.fixture
def letter_here(sites: dict[str, Site], monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The letter build as a project just built on this machine, the working directory set to
    it, edited in place and put back afterwards (conftest's `in_place`)."""
    with in_place(sites["letter"], monkeypatch) as root:
        yield root


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SPANISH, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def pdfinfo(path: Path) -> dict[str, str]:
    lines = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_build_writes_both_languages_and_the_spanish_handout_fits_one_page(built: dict[str, Path], paper: str) -> None:
    root = built[paper]
    for path in [f.path for f in formats(("en-US", "es-US"))]:
        assert (root / path).is_file(), path
    assert pdfinfo(root / ES_HANDOUT)["Pages"] == "1"
    assert int(pdfinfo(root / ES_LARGE)["Pages"]) <= 2


@pytest.mark.parametrize("path", ES_PDFS)
def test_spanish_pdfs_say_their_language_and_embed_every_font(built: dict[str, Path], path: str) -> None:
    with pikepdf.open(built["letter"] / path) as pdf:
        assert str(pdf.Root.Lang) == "es-US"
    fonts = subprocess.run(["pdffonts", str(built["letter"] / path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column


def test_the_spanish_deck_marks_its_text_and_notes_spanish(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["letter"] / ES_DECK) as deck:
        parts = [n for n in deck.namelist() if re.match(r"ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml$", n)]
        langs = {lang for n in parts for lang in re.findall(rb'<a:rPr[^>]* lang="([^"]+)"', deck.read(n))}
    assert any("notesSlide" in n for n in parts)
    assert langs == {b"es-US"}, langs


def test_check_passes_on_both_languages(checked: Result) -> None:
    result = checked
    assert result.exit_code == 0, result.output
    assert "in 16 outputs" in result.output


def test_an_altered_figure_on_a_spanish_slide_is_named_with_the_spanish_file_and_slide(letter_here: Path) -> None:
    path = letter_here / ES_DECK  # just built on this machine
    deck = Presentation(str(path))
    changed = None
    for number, slide in enumerate(deck.slides, 1):
        for shape in slide.shapes:
            for para in shape.text_frame.paragraphs if shape.has_text_frame else ():
                for r in para.runs:
                    if "48.3%" in r.text and changed is None:
                        r.text = r.text.replace("48.3%", "48.2%")
                        changed = number
    assert changed is not None
    deck.save(str(path))
    result = run("check")
    assert result.exit_code == 1
    assert f"{ES_DECK}: slide {changed}: altered fact trial.control_rate: found 48.2%, expected 48.3%\n" \
        in result.stderr, result.stderr
    assert "slides/support-group.pptx" not in result.stderr  # the English deck is untouched


def test_a_percent_typed_into_spanish_prose_stops_the_build_naming_line_and_fact(project: Path) -> None:
    edit(project / "content/es/handout.yaml", "{cost.range}", "{cost.range} (48 %)")
    result = run("build")
    assert result.exit_code == 2
    assert "content/es/handout.yaml:" in result.stderr and "48 %" in result.stderr
    assert not (project / "handouts").exists()


@pytest.mark.slow  # test_languages: refused and fallback
def test_a_missing_spanish_faq_stops_the_build_and_fallback_builds_with_a_warning(project: Path) -> None:
    library = project / "content/es/library.yaml"
    text = library.read_text(encoding="utf-8")
    start = text.index('  - id: "cost"')
    end = text.index("  - id:", start + 1)
    library.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run("build")
    assert result.exit_code == 2
    assert "content/library.yaml:" in result.stderr and "content/es/library.yaml" in result.stderr
    assert not (project / "handouts").exists()
    result = run("build", "--allow-fallback")
    assert result.exit_code == 0, result.output
    assert "translation-fallback" in result.stderr
    assert (project / ES_HANDOUT).is_file()


def test_es_es_writes_a_decimal_comma_and_the_check_accepts_it(project: Path) -> None:
    edit(project / "content/settings.yaml", '["en-US", "es-US"]', '["en-US", "es-ES"]')
    # money is written per region: Spain's wording of the cost range
    edit(project / "content/facts.yaml", 'es-US: {display: "de $5,000 a $20,000 o más"}',
         'es-ES: {display: "de 5.000 a 20.000 $"}')
    result = run("build")
    assert result.exit_code == 0, result.output
    deck = Presentation(str(project / ES_DECK))
    text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "48,3\u00a0%" in text or "48,3 %" in text
    assert run("check").exit_code == 0


def test_check_says_how_many_outputs_of_each_language_it_read(checked: Result) -> None:
    assert "checked in 16 outputs (8 en-US, 8 es-US)" in checked.output


def test_every_character_of_the_spanish_content_has_a_glyph_and_prints(built: dict[str, Path]) -> None:
    spanish = load_content(built["letter"] / "content").in_language("es-US")
    used = {ch for document in spanish.documents() for text in document.texts() for ch in text.text}
    used |= {ch for fact in spanish.facts.values() for ch in fact.display}
    for font in (fonts.BODY, fonts.BODY_BOLD, fonts.DECK, fonts.DECK_BOLD):
        cmap = fonts.metrics(font).advances
        assert not {ch for ch in used if ch not in cmap and not ch.isspace()}, font
    pdfs = (ES_HANDOUT, "handouts/es/folleto-de-preguntas.pdf")
    printed = "".join(subprocess.run(["pdftotext", str(built["letter"] / path), "-"], capture_output=True, text=True,
                                     check=True).stdout for path in pdfs)
    special = {ch for ch in used if not ch.isascii()}
    assert len(special) >= 5 and special <= set(printed), special - set(printed)
    assert "\ufffd" not in printed
