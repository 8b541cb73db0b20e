"""A figure in a picture: a slide added after the build with a screenshot that says "84.3% cured",
or the same picture pasted on a handout, shows a number no text box holds. `check` reads the words
of every picture the build did not put there (Tesseract) and checks them like the page's or
slide's own; a picture it cannot read fails the check instead of passing unseen. The build's own
pictures (QR codes, an edition's logo) are not read.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from PIL import Image, ImageDraw, ImageFont
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Pt

from clearfacts.formats import by_key
from conftest import run

DECK = by_key("deck").path
HANDOUT = by_key("handout").path
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FONT = Path(__file__).resolve().parent.parent / "src" / "clearfacts" / "fonts" / "AtkinsonHyperlegible-Bold.ttf"


def words_picture(words: str) -> bytes:
    """A screenshot-like picture of `words`: dark text on white, large enough to read."""
    font = ImageFont.truetype(str(FONT), 56)
    picture = Image.new("RGB", (1200, 160), "white")
    ImageDraw.Draw(picture).text((30, 40), words, fill=(20, 20, 20), font=font)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def photo() -> bytes:
    """A picture with no words in it: a soft gradient, as a photo of a room might be."""
    picture = Image.new("RGB", (600, 400))
    picture.putdata([(90 + x // 6, 120 + y // 5, 160) for y in range(400) for x in range(600)])
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()


def add_slide_with(deck: Path, picture: bytes, how: str = "picture") -> int:
    """Add a slide showing `picture` at the end of the deck, as a facilitator does in PowerPoint:
    as a picture, as a rectangle's picture fill, or as the slide's background; its number."""
    prs = Presentation(str(deck))
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    if how == "picture":
        slide.shapes.add_picture(io.BytesIO(picture), Pt(60), Pt(120), Pt(600))
    else:
        _, rid = slide.part.get_or_add_image_part(io.BytesIO(picture))
        fill = etree.fromstring(f'<a:blipFill xmlns:a="{A}" xmlns:r="{R}"><a:blip r:embed="{rid}"/>'
                                '<a:stretch><a:fillRect/></a:stretch></a:blipFill>')
        if how == "picture fill":
            box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(60), Pt(120), Pt(600), Pt(80))
            props = box.element.spPr  # python-pptx has no API for a picture fill: its XML, as PowerPoint writes it
            props.insert(list(props).index(props.find(f"{{{A}}}prstGeom")) + 1, fill)
        else:
            background = etree.fromstring(f'<p:bg xmlns:p="{P}"><p:bgPr/></p:bg>')
            background[0].append(fill)
            background[0].append(etree.fromstring(f'<a:effectLst xmlns:a="{A}"/>'))
            slide.element.cSld.insert(0, background)
    prs.save(str(deck))
    return len(prs.slides)


def paste_on_handout(handout: Path, picture: bytes) -> None:
    """Paste `picture` low on the handout's first page, marked as an artifact (decoration a
    screen reader skips), so the tagged-PDF checks have nothing to say about it."""
    image = Image.open(io.BytesIO(picture)).convert("L")
    with pikepdf.open(handout, allow_overwriting_input=True) as pdf:
        stream = pikepdf.Stream(pdf, image.tobytes())
        stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        stream.Width, stream.Height = image.width, image.height
        stream.ColorSpace, stream.BitsPerComponent = pikepdf.Name.DeviceGray, 8
        page = pdf.pages[0]
        name = page.add_resource(stream, pikepdf.Name.XObject, "/Pasted")
        page.contents_add(pdf.make_stream(b"/Artifact BMC q 300 0 0 40 280 20 cm %s Do Q EMC" % str(name).encode()))
        pdf.save(handout)


@pytest.mark.slow
def test_a_figure_in_a_picture_pasted_on_a_handout_is_named_at_its_page(here: Path) -> None:
    paste_on_handout(here / HANDOUT, words_picture("Now approved: 84.3% were cured"))
    result = run("check")
    assert result.exit_code == 1, result.output
    assert f"{HANDOUT}: page 1 picture: unregistered figure '84.3%'" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("how", ["picture", "picture fill", "background"])
def test_a_figure_in_an_added_picture_is_named_at_its_slide(here: Path, how: str) -> None:
    number = add_slide_with(here / DECK, words_picture("Now approved: 84.3% were cured"), how)
    result = run("check")
    assert result.exit_code == 1, result.output
    assert f"{DECK}: slide {number} picture: unregistered figure '84.3%'" in result.output


@pytest.mark.slow
def test_a_facilitator_s_photo_with_no_words_passes(here: Path) -> None:
    add_slide_with(here / DECK, photo())
    result = run("check")
    assert result.exit_code == 0, result.output


def test_a_picture_that_cannot_be_read_fails_the_check(here: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """With no Tesseract on this machine, an added picture's words cannot be checked: said, not passed."""
    number = add_slide_with(here / DECK, photo())
    paste_on_handout(here / HANDOUT, photo())
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run("check")
    assert result.exit_code == 1, result.output
    for where in (f"{DECK}: slide {number}", f"{HANDOUT}: page 1"):
        assert f"{where}: shows a picture clearfacts did not put there and cannot read" in result.output
