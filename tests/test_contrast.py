"""The `contrast` block as readers meet it: "approved" beside "not approved", each panel's title
and items printed, read in order (a heading, then a list) in the booklet PDF's structure, drawn
as two panels on a slide; a figure changed inside a panel fails the check, and a malformed block
or one placed in the one-page handout is refused naming its line.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pptx import Presentation
from pypdf import PdfReader

from clearfacts.formats import by_key
from conftest import Site, build_site, edit, in_place, line_of, run

BOOKLET, DECK, WEB = (by_key(k).path for k in ("booklet", "deck", "web-booklet"))
YES_ITEM = "Blood-forming stem cell products, for certain blood and immune conditions"
NO_ITEMS = ("Any stem-cell therapy for neuropathy, as of 2026", "The MSC shots that clinics sell for neuropathy")
CONTRAST = """      - contrast:
          yes_title: "Approved by the FDA"
          yes: ["Blood-forming stem cell products, for {fda.approved_uses}"]
          no_title: "Not approved by the FDA"
          no: ["Any stem-cell therapy for neuropathy, as of {status.as_of}"%s]
"""
IN_BOOKLET = CONTRAST % ', "The MSC shots that clinics sell for neuropathy"'
ABOUT = '      - text: "Read it at your own pace. Then take your questions to your doctor."\n'
FDA_SLIDE = '      - text: "The FDA has approved stem cell products only for {fda.approved_uses}."\n'


def with_contrast(content: Path) -> None:
    """The block at the end of the booklet's first section, and in place of the FDA slide's
    sentence on approved uses."""
    edit(content / "booklet.yaml", ABOUT, ABOUT + IN_BOOKLET)
    edit(content / "deck.yaml", FDA_SLIDE, CONTRAST % "")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build_site(tmp_path_factory, "contrast", prepare=with_contrast)


def _kids(node: object) -> list:
    kids = node.get("/K")  # type: ignore[attr-defined]
    return [k.get_object() if hasattr(k, "get_object") else k for k in (kids if isinstance(kids, list) else [kids])]


def _outline(node: object, texts: dict[tuple[int, int], str], page: int = 0) -> list[tuple[str, str]]:
    """(role, text) of every element depth first; its text is what its own marked content draws."""
    out = []
    for kid in _kids(node):
        if hasattr(kid, "get") and "/S" in kid:
            pg = kid.raw_get("/Pg").idnum if "/Pg" in kid else page
            own = " ".join(texts.get((pg, k), "") for k in _kids(kid) if isinstance(k, int)).strip()
            out += [(str(kid["/S"]).lstrip("/"), own), *_outline(kid, texts, pg)]
    return out


def _marked_texts(reader: PdfReader) -> dict[tuple[int, int], str]:
    """(page object number, MCID) → the text drawn inside that marked content."""
    texts: dict[tuple[int, int], str] = {}
    for page in reader.pages:
        key = page.indirect_reference.idnum
        stack: list[int | None] = []

        def visit(text: str, cm: object, tm: object, font: object, size: object, *, key: int = key,
                  stack: list[int | None] = stack) -> None:
            if stack and stack[-1] is not None:
                texts[(key, stack[-1])] = texts.get((key, stack[-1]), "") + text

        def before(op: bytes, args: list, cm: object, tm: object, *, stack: list[int | None] = stack) -> None:
            if op == b"BDC":
                stack.append(args[1].get("/MCID") if hasattr(args[1], "get") else None)
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC" and stack:
                stack.pop()

        page.extract_text(visitor_text=visit, visitor_operand_before=before)
    return {k: " ".join(v.split()) for k, v in texts.items()}


def test_the_booklet_reads_each_panel_as_its_title_then_a_list(site: Site) -> None:
    reader = PdfReader(site.root / BOOKLET)
    outline = _outline(reader.trailer["/Root"]["/StructTreeRoot"], _marked_texts(reader))
    start = outline.index(("H3", "Approved by the FDA"))
    shown = [(role, text) for role, text in outline[start:] if role in ("H3", "L", "LBody")]
    assert shown[:7] == [("H3", "Approved by the FDA"), ("L", ""), ("LBody", YES_ITEM),
                     ("H3", "Not approved by the FDA"), ("L", ""), *(("LBody", item) for item in NO_ITEMS)]
    pdf = pdfium.PdfDocument(site.root / BOOKLET)
    pages = [" ".join(pdf[i].get_textpage().get_text_range().replace("\u00ad", "").split()) for i in range(len(pdf))]
    page = next(p for p in pages if "Not approved by the FDA" in p)
    for text in ("Approved by the FDA", YES_ITEM, *NO_ITEMS):
        assert text in page


def test_the_slide_shows_two_panels_with_their_words(site: Site) -> None:
    slide = next(s for s in Presentation(site.root / DECK).slides
                 if any(shape.name == "Approved panel" for shape in s.shapes))
    names = [shape.name for shape in slide.shapes]
    assert "Not approved panel" in names and "Check mark 1" in names and "Cross mark 2" in names
    texts = [" ".join(shape.text_frame.text.split()) for shape in slide.shapes if shape.has_text_frame
             and shape.text_frame.text.strip()]
    assert f"Approved by the FDA {YES_ITEM}" in texts
    assert f"Not approved by the FDA {NO_ITEMS[0]}" in texts
    panels = [shape for shape in slide.shapes if shape.has_text_frame and "pproved by the FDA" in shape.text_frame.text]
    sizes = {run.font.size.pt for shape in panels for p in shape.text_frame.paragraphs for run in p.runs}
    assert len(panels) == 2 and sizes <= {24.0, 26.0, 28.0}
    html = (site.root / WEB).read_text()
    assert '<div class="panel no">' in html and '<svg aria-hidden="true"' in html and NO_ITEMS[1] in html


def test_a_figure_changed_inside_a_panel_fails_the_check(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    with in_place(site, monkeypatch) as root:
        deck = root / DECK
        with zipfile.ZipFile(deck) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        name = next(n for n, d in parts.items() if n.startswith("ppt/slides/slide") and b"Approved panel" in d)
        assert b"for neuropathy, as of 2026" in parts[name]
        parts[name] = parts[name].replace(b"for neuropathy, as of 2026", b"for neuropathy, as of 2024")
        with zipfile.ZipFile(deck, "w") as archive:
            for part, data in parts.items():
                archive.writestr(part, data)
        result = run("check")
    assert result.exit_code == 1, result.output
    assert "altered fact status.as_of: found 2024, expected 2026" in result.output, result.output


@pytest.mark.parametrize(("file", "block", "said"), [
    ("booklet.yaml", CONTRAST.split("          no:")[0], "contrast is missing required field 'no'"),
    ("handout.yaml", CONTRAST % "", "the one-page handout has no room for a 'contrast' block"),
])
def test_a_malformed_or_misplaced_block_is_refused_naming_its_line(project: Path, file: str, block: str,
                                                                   said: str) -> None:
    path = project / "content" / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.strip() == "blocks:") + 1
    path.write_text("".join([*lines[:at], block, *lines[at:]]), encoding="utf-8")
    result = run("check")
    assert result.exit_code == 2, result.output
    line = line_of(path, "- contrast:") if file == "handout.yaml" else line_of(path, "contrast:")
    assert f"content/{file}:{line}:" in result.output and said in result.output
