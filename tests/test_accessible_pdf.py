"""Tagged PDFs and the large-print handout, read back as assistive technology reads them: poppler's
`pdfinfo` (Tagged, -struct-text), PDFium's structure tree and page objects, pikepdf only to
tamper; never the code that wrote them."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from clearfacts.content.loader import load_content
from clearfacts.errors import ContentError
from clearfacts.model import Bullets, ContentSet, Links, Paragraph, Questions, Table
from clearfacts.options import options_for
from clearfacts.render.pdf import handout_large
from clearfacts.verify.normalise import normalise
from clearfacts.verify.pdf_structure import read_structure, structure_problems
from conftest import BUNDLED, on_one_core, run, stamp_for

TAGGED = ("handouts/red-flags.pdf", "handouts/red-flags-large-print.pdf", "handouts/faq-booklet.pdf")
LARGE = "handouts/red-flags-large-print.pdf"


@pytest.fixture(scope="module")
def outputs(pristine: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The suite's content built on both papers (letter: the session's build, read-only)."""
    root = tmp_path_factory.mktemp("a11y-a4")
    shutil.copytree(BUNDLED, root / "content")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("a11y-cache")))
        with on_one_core():  # conftest: a fixture's build only makes files for the tests to read
            result = run("build", "--content", str(root / "content"), "--outputs", str(root), "--paper", "a4")
    assert result.exit_code == 0, result.output
    return {"letter": pristine, "a4": root}


def pdfinfo(*args: str) -> str:
    return subprocess.run(["pdfinfo", *args], check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("name", TAGGED)
def test_pdfinfo_says_tagged_with_title_language_and_metadata(outputs: dict[str, Path], name: str) -> None:
    info = pdfinfo(str(outputs["letter"] / name))
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Metadata Stream:\s+yes$", info, re.M)
    with pikepdf.open(outputs["letter"] / name) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-US"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert all(page.obj.Tabs == "/S" and "/StructParents" in page.obj for page in pdf.pages)
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert f">{str(pdf.docinfo.Title)}</rdf:li>" in xmp


def struct_lines(path: Path) -> list[tuple[str, str]]:
    """`pdfinfo -struct-text` as (role, text) pairs in reading order; text under its element."""
    out: list[tuple[str, str]] = []
    for line in pdfinfo("-struct-text", str(path)).splitlines():
        quoted = re.match(r'\s*"(.*)"$', line)
        if quoted and out and out[-1][1]:  # one element drawn in two pieces (a paragraph run on into a column)
            out[-1] = (out[-1][0], out[-1][1] + " " + quoted.group(1))
        elif quoted:
            out.append((out[-1][0] if out else "", quoted.group(1)))
        elif line.strip():
            out.append((line.split()[0].rstrip(":"), ""))
    return out


def squash(text: str) -> str:
    return re.sub(r"\s+", "", normalise(text))


def words(text: str) -> str:
    """The text as words with one space between them: a line break inside an element must still
    part two words, for a reader that joins its text ("therapyfor" is no word)."""
    return " ".join(normalise(text).split())


def test_struct_text_follows_the_content_model(outputs: dict[str, Path]) -> None:
    """Headings, paragraphs, list items, table cells and figures, in the handout's order, word
    for word."""
    content = load_content(BUNDLED)
    listing = struct_lines(outputs["letter"] / "handouts/red-flags.pdf")
    expected: list[tuple[str, str]] = [("H1", content.handout.title.text)]
    for section in content.handout.sections:
        expected.append(("H2", section.title.text))
        for block in section.blocks:
            match block:
                case Paragraph(text=text):
                    expected.append(("P", text.text))
                case Bullets(items=items, style="checklist"):  # tick boxes are artifacts: no label
                    expected += [("LBody", item.text) for item in items]
                case Bullets(items=items, style="steps"):
                    expected += [x for n, item in enumerate(items, 1) for x in (("Lbl", f"{n}."), ("LBody", item.text))]
                case Bullets(items=items):
                    expected += [x for item in items for x in (("Lbl", "•"), ("LBody", item.text))]
                case Questions(items=items):
                    for q in items:
                        expected += [("H3", q.question.text), *(("P", a.text) for a in q.answer)]
                case Table(columns=columns):
                    expected += [("TH", c.text) for c in columns]
                case Links(items=items):
                    expected += [("P", link.label.text) for link in items]
                    expected += [("Figure", "")] * sum(1 for link in items if link.qr)
    texts = [(role, words(text)) for role, text in listing if text]
    roles = [role for role, _ in listing]
    at = 0
    for role, text in expected:
        if role == "Figure":
            assert "Figure" in roles
            continue
        wanted = (role, words(text))
        assert wanted in texts[at:], f"{wanted} not in reading order after {texts[at - 1] if at else 'the start'}"
        at = texts.index(wanted, at) + 1


@pytest.mark.parametrize("name", TAGGED)
def test_no_two_words_run_together_where_a_line_breaks(outputs: dict[str, Path], name: str) -> None:
    """A reader that joins an element's lines hears each word apart: no word of the structure's
    text is two of the content's words glued together ("therapyfor", "Group555")."""
    vocabulary = {w for path in BUNDLED.rglob("*.yaml") for w in re.findall(r"\w+", path.read_text().lower())}
    text = " ".join(t for _, t in struct_lines(outputs["letter"] / name))
    said = re.findall(r"\w+", text.lower())
    glued = {w for w in said if w not in vocabulary and not w.isdigit()
             and any(w[:i] in vocabulary and w[i:] in vocabulary for i in range(3, len(w) - 2))}
    assert len(said) > 100 and not glued


@pytest.mark.parametrize("name", TAGGED)
def test_no_structure_element_is_empty(outputs: dict[str, Path], name: str) -> None:
    """Every element holds text, a drawing or other elements: a checklist's tick box is drawn as an
    artifact, so its item has no label, rather than an empty one a screen reader stops at."""
    lines = [line for line in pdfinfo("-struct-text", str(outputs["letter"] / name)).splitlines() if line.strip()]

    def indent(line: str) -> int:
        return len(line) - len(line.lstrip())

    elements = [(n, line) for n, line in enumerate(lines) if not line.strip().startswith(('"', "Object", "/"))]
    empty = [line.strip() for n, line in elements if n + 1 == len(lines) or indent(lines[n + 1]) <= indent(line)]
    assert len(elements) > 30 and not empty


@pytest.mark.parametrize("name", TAGGED)
def test_every_character_is_tagged_or_an_artifact_and_figures_have_alt(outputs: dict[str, Path], name: str) -> None:
    pages = read_structure((outputs["letter"] / name).read_bytes())
    assert structure_problems(pages) == []
    assert all(not p.untagged.strip() and p.untagged_paths == 0 for p in pages)
    figures = [e for p in pages for top in p.elements for e in top.walk() if e.role == "Figure"]
    assert figures and all(f.alt.startswith("QR code: ") for f in figures)


def test_folios_and_running_heads_are_artifacts(outputs: dict[str, Path]) -> None:
    """Booklet page 4 shows a running head and its folio; neither is in the structure text."""
    pdf = outputs["letter"] / "handouts/faq-booklet.pdf"
    page = read_structure(pdf.read_bytes())[3]
    tagged = " ".join(top.text for top in page.elements)
    with pdfplumber.open(pdf) as doc:
        words = doc.pages[3].extract_words()
    folio = [w for w in words if w["text"] == "4" and w["top"] > doc.pages[3].height - 50]
    assert folio, "no folio on page 4"
    assert not re.search(r"(^|\s)4$", tagged)
    head = " ".join(w["text"] for w in words if w["top"] < 40)
    assert head and head not in tagged


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_large_print_sizes_and_pages(outputs: dict[str, Path], paper: str) -> None:
    with pdfplumber.open(outputs[paper] / LARGE) as doc:
        assert 1 <= len(doc.pages) <= 2
        chars = [c for page in doc.pages for c in page.chars if c["text"].strip()]
        text = normalise("".join(c["text"] for c in chars))
    sources = load_content(BUNDLED).notices.source_line.text
    small = normalise("".join(c["text"] for c in chars if c["size"] < 17.9))
    assert squash(small) == squash(sources)
    assert min(c["size"] for c in chars) >= 14
    headings = {round(c["size"], 1) for c in chars if c["fontname"].endswith("Bold") and c["size"] > 18.5}
    assert headings and min(headings) >= 24
    assert "redflags" in squash(text)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_large_print_qr_codes_side_by_side_start_at_one_height(outputs: dict[str, Path], paper: str) -> None:
    """Two codes in one row line up at the top even when one label takes two lines and the
    other one (what a reader aims a phone at should not step down the page)."""
    with pdfplumber.open(outputs[paper] / LARGE) as doc:
        codes = [(page.page_number, a) for page in doc.pages for a in page.annots
                 if a.get("uri") and abs(a["width"] - a["height"]) < 0.5 and a["width"] > 40]
    assert len(codes) >= 2
    assert max(a["width"] for _, a in codes) - min(a["width"] for _, a in codes) < 0.5
    rows: dict[tuple[int, float], list[float]] = {}
    for number, a in codes:  # codes whose boxes overlap vertically share a row
        key = next((k for k in rows if k[0] == number and abs(k[1] - a["top"]) < a["height"]), (number, a["top"]))
        rows.setdefault(key, []).append(a["top"])
    side_by_side = [tops for tops in rows.values() if len(tops) > 1]
    assert side_by_side, "the bundled large print sets its codes in a grid"
    for tops in side_by_side:
        assert max(tops) - min(tops) < 0.5, tops


@pytest.mark.parametrize("fits_up_to", [None, 18.0, 19.0, 20.0])
def test_large_print_keeps_the_largest_size_that_fits_in_two_layouts(fits_up_to: float | None) -> None:
    """Whatever size the text first fits at, the handout is set at that size (never smaller),
    and no more than two of the three sizes are laid out to find it."""
    tried: list[float] = []

    def laid_out(size: float) -> bytes | None:
        tried.append(size)
        return f"{size}".encode() if fits_up_to is not None and size <= fits_up_to else None

    made = handout_large.largest_fitting(handout_large.SIZES, laid_out)
    assert made == (f"{fits_up_to}".encode() if fits_up_to is not None else None)
    assert len(tried) <= 2


def test_large_print_overflow_names_the_section(bundled: ContentSet, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fit or fail: with one page allowed the bundled text does not fit at 18 pt, and the error
    names the section with the most lines, at its file:line (the CLI's exit 2 for any ContentError
    is covered in test_handout.py)."""
    monkeypatch.setattr(handout_large, "MAX_PAGES", 1)
    options = options_for(bundled, "letter", None)
    with pytest.raises(ContentError) as caught:
        handout_large.render_large_print(bundled, options, stamp_for(bundled, options, "handout-large"))
    message = str(caught.value)
    assert re.search(r"content/\w+\.yaml:\d+: large-print red-flag handout does not fit on 1 page \(\d+ lines? over "
                    r"at 18 pt, the smallest body size\): the section with the most lines is '", message), message


@pytest.mark.slow
def test_tagged_outputs_are_reproducible_and_still_check(project: Path) -> None:
    assert run("build").exit_code == 0
    first = {name: (project / name).read_bytes() for name in TAGGED}
    for name in TAGGED:
        (project / name).unlink()
    assert run("build").exit_code == 0
    assert {name: (project / name).read_bytes() for name in TAGGED} == first
    assert run("check").exit_code == 0


def tampered(source: Path, change: object) -> list[tuple[str, str]]:
    with pikepdf.open(source) as pdf:
        change(pdf)  # type: ignore[operator]
        buf = io.BytesIO()
        pdf.save(buf)
    return structure_problems(read_structure(buf.getvalue()))


def elements(pdf: pikepdf.Pdf, role: str) -> list[pikepdf.Dictionary]:
    out, todo = [], [pdf.Root.StructTreeRoot]
    while todo:
        node = todo.pop()
        kids = node.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                out.append(kid)
                todo.append(kid)
    return [e for e in out if str(e.S) == role]


def test_a_changed_figure_alt_is_named_with_its_page(outputs: dict[str, Path]) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        elements(pdf, "/Figure")[0].Alt = pikepdf.String("A decorative square")
    problems = tampered(outputs["letter"] / "handouts/red-flags.pdf", change)
    assert ("page 1", "a figure's alternative text 'A decorative square' names none of the page's link addresses") \
        in problems


def test_a_removed_alt_is_named(outputs: dict[str, Path]) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        del elements(pdf, "/Figure")[-1].Alt
    assert ("page 2", "a figure has no alternative text") in tampered(outputs["letter"] / LARGE, change)


def test_an_element_whose_text_is_removed_leaves_untagged_text(outputs: dict[str, Path]) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        heading = next(e for e in elements(pdf, "/H2") if "/Pg" in e and e.Pg.objgen == pdf.pages[0].obj.objgen)
        heading.K = pikepdf.Array()
    problems = tampered(outputs["letter"] / "handouts/red-flags.pdf", change)
    assert any(where == "page 1" and message.startswith("text neither tagged nor an artifact")
               for where, message in problems), problems


def test_skipped_heading_level_and_headless_table_are_named(outputs: dict[str, Path]) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        elements(pdf, "/H2")[0].S = pikepdf.Name("/H3")
        for th in elements(pdf, "/TH"):
            th.S = pikepdf.Name("/TD")
    problems = tampered(outputs["letter"] / "handouts/faq-booklet.pdf", change)
    messages = [m for _, m in problems]
    assert any(m.startswith("heading level skips from H1 to H3") for m in messages), problems
    assert any(m.startswith("a table has no header cells") for m in messages), problems


def test_check_fails_on_a_changed_alt_text_naming_file_and_page(here: Path) -> None:
    """End to end: what a screen reader hears is part of what `check` verifies (in a project
    just built on this machine: conftest's `here`)."""
    path = here / "handouts/red-flags.pdf"
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        elements(pdf, "/Figure")[0].Alt = pikepdf.String("A decorative square")
        pdf.save(path)
    result = run("check")
    assert result.exit_code == 1
    assert ("handouts/red-flags.pdf: page 1: a figure's alternative text 'A decorative square' names none of "
            "the page's link addresses") in result.stderr, result.stderr


def test_a_fact_marked_as_an_artifact_is_named_though_the_page_still_shows_it(here: Path) -> None:
    """A sighted reader still sees the figure, so the page check passes; a screen reader skips
    artifacts, so the fact is missing from what it reads, and `check` says which fact and page."""
    path = here / "handouts/red-flags.pdf"  # just built on this machine, as `here` always is
    with pdfplumber.open(path) as doc:
        chars = doc.pages[0].chars
        text = "".join(c["text"] for c in chars)
        mcid = chars[text.index("%")]["mcid"]
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        ops = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                    and operands[1].get("/MCID") == mcid:
                operands = [pikepdf.Name("/Artifact"), pikepdf.Dictionary()]
            ops.append(pikepdf.ContentStreamInstruction(operands, operator))
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        pdf.save(path)
    result = run("check")
    assert result.exit_code == 1
    found = [line for line in result.stderr.splitlines() if "is in no tagged element a screen reader reads" in line]
    assert found and all(line.startswith("handouts/red-flags.pdf: page 1: fact ") for line in found), result.stderr
    assert "changed:" not in result.stderr and "not found" not in result.stderr, result.stderr
