"""The one-page red-flag handout, read back with pypdf and pdfplumber as a reader would see it:
one page, the facts and red flags in print, type large enough, fonts embedded, and a clear
`file:line` failure instead of a second page or hidden text."""

from __future__ import annotations

import io
import re
import subprocess
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from msgspec.structs import replace
from pypdf import PdfReader

from clearfacts.content.loader import load_content
from clearfacts.errors import ContentError
from clearfacts.model import Bullets, ContentSet, Links, Paragraph, block_texts
from clearfacts.options import options_for
from clearfacts.render.pdf.handout import render_handout
from clearfacts.verify.normalise import normalise
from conftest import BUNDLED, edit, run, stamp_for

OVERFLOW = re.compile(r"content/\w+\.yaml:\d+: red-flag handout does not fit on one page \((\d+) lines? over at 12 pt, "
                      r"the smallest body size\): .*its longest part is (content/\w+\.yaml:\d+) ")


def render(content: ContentSet, paper: str | None = None) -> bytes:
    options = options_for(content, paper, None)
    return render_handout(content, options, stamp_for(content, options, "handout"))


def red_flags(content: ContentSet) -> Bullets:
    section = next(s for s in content.handout.sections if s.id == "red-flags")
    return next(b for b in section.blocks if isinstance(b, Bullets))


def page_text(pdf: bytes) -> str:
    """The text in the order it is drawn (poppler's raw mode): column by column, as a reader
    reads it; a layout reader would join the two columns' lines side by side."""
    raw = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return normalise(re.sub(r"-\n(?=[a-z])", "-", raw.decode()).replace("\n", " "))


def lengthen_first_red_flag(project: Path, times: int = 10, extra: str = "") -> int:
    """Repeat the first red flag's sentence `times` times in the project copy; its line."""
    content = load_content(Path("content"))
    line = red_flags(content).items[0].loc.line
    path = project / "content/library.yaml"
    raw = path.read_text(encoding="utf-8").splitlines()[line - 1]
    quoted = re.search(r'"(.*)"', raw)
    assert quoted, raw
    edit(path, quoted.group(0), '"' + " ".join([quoted.group(1)] * times) + extra + '"')
    return line


@pytest.fixture(scope="module")
def letter(bundled: ContentSet) -> bytes:
    return render(bundled)


def test_one_letter_page_by_default_and_one_a4_page_on_request(bundled: ContentSet, letter: bytes) -> None:
    for pdf, size in ((letter, (612, 792)), (render(bundled, "a4"), (595, 842))):
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size


def test_every_font_is_embedded(letter: bytes) -> None:
    fonts = PdfReader(io.BytesIO(letter)).pages[0]["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        font = font.get_object()
        for part in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
            if "/FontDescriptor" in part:
                descriptor = part["/FontDescriptor"].get_object()
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), part["/BaseFont"]
        assert "/FontDescriptor" in font or "/DescendantFonts" in font, f"{font['/BaseFont']} is not embedded"


def test_the_page_states_the_key_facts_and_every_red_flag(bundled: ContentSet, letter: bytes) -> None:
    text = page_text(letter)
    for flag in red_flags(bundled).items:
        assert normalise(flag.text) in text
    key_fact = next(b for b in bundled.handout.sections[0].blocks if isinstance(b, Paragraph) and b.emphasis)
    assert normalise(key_fact.text.text) in text
    assert normalise(bundled.facts["fda.neuropathy"].display) in text
    assert normalise(bundled.facts["cost.range"].display) in text
    for figure in ("68 clinic websites", "90%", "15%"):
        assert normalise(figure) in text
    assert normalise(bundled.notices.disclaimer.text) in text
    assert normalise(bundled.notices.source_line.text) in text
    assert normalise("Reviewed: November 20, 2026") in text
    assert bundled.settings.organisation.name in text
    assert text.count(normalise(bundled.notices.endorsement.text)) == 1


def test_each_qr_code_is_2_cm_or_more_with_its_address_printed_beside_it(bundled: ContentSet, letter: bytes) -> None:
    coded = [
        link for s in bundled.handout.sections for b in s.blocks if isinstance(b, Links) for link in b.items if link.qr
    ]
    assert coded
    with pdfplumber.open(io.BytesIO(letter)) as doc:
        page = doc.pages[0]
        for link in coded:
            squares = [a for a in page.annots if a.get("uri") == link.url and abs(a["width"] - a["height"]) < 0.5]
            assert squares, f"no QR code for {link.url}"
            qr = max(squares, key=lambda a: a["width"])
            assert qr["width"] >= 57
            beside = page.crop((qr["x1"], qr["top"], page.width, qr["bottom"]))
            printed = link.display.text if link.display else \
                link.url.removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")
            assert re.sub(r"\s", "", printed) in re.sub(r"\s", "", beside.extract_text())
            url_chars = [c for c in beside.chars if c["x0"] < qr["x1"] + 200]
            assert min(c["size"] for c in url_chars) >= 12 - 0.01


def test_links_are_only_web_or_mail(letter: bytes) -> None:
    with pdfplumber.open(io.BytesIO(letter)) as doc:
        uris = [a["uri"] for a in doc.pages[0].annots if a.get("uri")]
    assert uris
    assert all(uri.startswith(("https://", "http://", "mailto:")) for uri in uris)


def test_type_is_large_enough_for_low_vision(letter: bytes) -> None:
    with pdfplumber.open(io.BytesIO(letter)) as doc:
        sizes = [round(c["size"], 2) for c in doc.pages[0].chars if not c["text"].isspace()]
    small = [s for s in sizes if s < 12]
    assert min(sizes) >= 9
    assert len(small) <= 150
    assert len(small) / len(sizes) <= 0.15


def test_a_short_handout_is_printed_at_14_pt(bundled: ContentSet) -> None:
    short = replace(bundled.handout, sections=bundled.handout.sections[:2])
    pdf = render(replace(bundled, handout=short))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        body, _ = Counter(round(c["size"], 2) for c in doc.pages[0].chars).most_common(1)[0]
    assert body == 14


def test_metadata_and_stamp(bundled: ContentSet, letter: bytes) -> None:
    reader = PdfReader(io.BytesIO(letter))
    info = reader.metadata
    assert info.title == bundled.handout.title.text
    assert info.author == bundled.settings.organisation.name
    options = options_for(bundled, None, None)
    assert info["/Keywords"] == stamp_for(bundled, options, "handout")
    assert reader.trailer["/Root"]["/Lang"] == bundled.settings.language


def test_two_renders_are_byte_identical(bundled: ContentSet, letter: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    assert render(bundled) == letter
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = render(bundled)
    assert first == render(bundled)
    assert PdfReader(io.BytesIO(first)).metadata["/CreationDate"].startswith("D:20231114")


def test_an_overlong_red_flag_fails_naming_where_the_page_overflows(project: Path) -> None:
    render(load_content(Path("content")))  # fits before the edit
    line = lengthen_first_red_flag(project)
    content = load_content(Path("content"))
    with pytest.raises(ContentError) as caught:
        render(content)
    message = str(caught.value)
    found = OVERFLOW.search(message)
    assert found, message
    assert found.group(2) == f"content/library.yaml:{line}", "the longest part named is the lengthened red flag"
    assert int(found.group(1)) >= 1


def _locations_from(content: ContentSet, start: str) -> list[str]:
    """Every file:line the handout prints, in reading order, from `start` on."""
    order = []
    for section in content.handout.sections:
        order.append(str(section.loc))
        for block in section.blocks:
            order.append(str(block.text.loc if isinstance(block, Paragraph) else block.loc))
            order += [str(text.loc) for text in block_texts(block)]
    s = content.settings
    order.append(f"{s.loc.path}:{dict(s.lines).get('organisation.name', s.loc.line)}")
    return order[order.index(start) :]


def test_markup_typed_into_a_red_flag_prints_literally(project: Path) -> None:
    edit(project / "content/library.yaml", "It is not.", "<img src=x> & co")  # the page has no line to spare
    text = page_text(render(load_content(Path("content"))))
    assert "<img src=x> & co" in text


def test_a_character_the_font_lacks_is_refused_with_its_line(project: Path) -> None:
    line = lengthen_first_red_flag(project, times=1, extra=" \u2192")
    with pytest.raises(ContentError, match=rf"content/library\.yaml:{line}: .*no glyph .*U\+2192"):
        render(load_content(Path("content")))


def test_cli_build_exits_2_and_keeps_the_old_handout(project: Path) -> None:
    old = project / "handouts/red-flags.pdf"
    old.parent.mkdir()
    old.write_bytes(b"%PDF-1.4 the handout printed last month")
    line = lengthen_first_red_flag(project)
    result = run("build")
    assert result.exit_code == 2, result.output
    assert "does not fit on one page" in result.stderr
    found = OVERFLOW.search(result.stderr)
    assert found and found.group(2) == f"content/library.yaml:{line}", result.stderr
    assert old.read_bytes() == b"%PDF-1.4 the handout printed last month"


# ----------------------------------------------------------------- the design: columns, links, marks

SPANISH = Path(__file__).resolve().parent / "fixtures" / "spanish"
MAX_LINE = 75  # characters a printed body line may hold (comfortable reading: 50-75)


@pytest.fixture(scope="module")
def spanish_letter() -> bytes:
    return render(load_content(SPANISH).in_language("es-US"))


def printed_lines(pdf: bytes, organisation: str) -> list[str]:
    """The body's lines in drawing order (poppler's raw mode keeps a column's lines apart from
    the other column's at the same height): everything before the footer, which opens with the
    organisation's name."""
    raw = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    lines = [line.strip() for line in raw.decode().splitlines()]
    return lines[: len(lines) - 1 - lines[::-1].index(organisation)]


@pytest.mark.parametrize("which", ["letter", "spanish_letter"])
def test_no_printed_body_line_is_longer_than_75_characters(which: str, request: pytest.FixtureRequest) -> None:
    lines = printed_lines(request.getfixturevalue(which), load_content(BUNDLED).settings.organisation.name)
    assert len(lines) > 30
    longest = max(lines, key=len)
    assert len(longest) <= MAX_LINE, longest


def test_a_links_display_is_printed_and_its_code_and_annotation_carry_the_full_url(bundled: ContentSet,
                                                                                    letter: bytes) -> None:
    shown = [link for s in bundled.handout.sections for b in s.blocks if isinstance(b, Links) for link in b.items
             if link.display]
    assert shown, "the fixture's FDA link has a display text"
    text = page_text(letter)
    with pdfplumber.open(io.BytesIO(letter)) as doc:
        annots = doc.pages[0].annots
    for link in shown:
        assert normalise(link.display.text) in text
        printed = link.url.removeprefix("https://").removeprefix("www.")
        assert printed not in re.sub(r"\s", "", text), "the long address is not printed"
        targets = [a for a in annots if a.get("uri") == link.url]
        assert any(abs(a["width"] - a["height"]) < 0.5 for a in targets), "the QR code links the full URL"
        assert any(abs(a["width"] - a["height"]) >= 0.5 for a in targets), "the display text links the full URL"


def test_qr_codes_are_one_size_of_2_cm_or_more_and_aligned(letter: bytes) -> None:
    with pdfplumber.open(io.BytesIO(letter)) as doc:
        codes = [a for a in doc.pages[0].annots if a.get("uri") and abs(a["width"] - a["height"]) < 0.5
                 and a["width"] > 40]
    assert len(codes) == 2
    assert len({round(a["width"], 1) for a in codes}) == 1
    assert min(a["width"] for a in codes) >= 2 / 2.54 * 72  # 2 cm
    assert len({round(a["x0"], 1) for a in codes}) == 1 or len({round(a["top"], 1) for a in codes}) == 1


def test_each_red_flag_has_a_drawn_empty_tick_box(bundled: ContentSet, letter: bytes) -> None:
    with pdfplumber.open(io.BytesIO(letter)) as doc:
        page = doc.pages[0]
        boxes = [r for r in page.rects if 8 <= r["width"] <= 20 and abs(r["width"] - r["height"]) < 0.5
                 and r["stroke"]]
        flags = red_flags(bundled).items
        assert len(boxes) == len(flags)
        for flag, box in zip(flags, sorted(boxes, key=lambda r: r["top"]), strict=True):
            beside = page.crop((box["x1"], box["top"] - 2, page.width / 2, box["bottom"] + 2)).extract_text()
            assert normalise(beside).split()[0] == normalise(flag.text).split()[0]
