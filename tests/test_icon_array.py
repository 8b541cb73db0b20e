"""Icon arrays as readers meet them: a row of 10 figures per arm of the trial, the first N filled,
under a label that states "about N in 10"; drawn natively in the booklet PDF and the deck, each
array's label its alternative text. Changing the fact's value moves the words, the filled figures
and the alternative text together; a tampered caption, label, alternative text or filled count
fails the check naming the page or slide.

The figures are counted here with other readers than the check's: pypdf's content-stream parser
(paint operators inside the figure's marked content) and python-pptx (filled shapes in a group).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pptx import Presentation
from pptx.enum.dml import MSO_FILL
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream

from clearfacts.formats import by_key
from conftest import Site, build_site, edit, in_place, resaved_by_libreoffice, run

BOOKLET, DECK, WEB = (by_key(k).path for k in ("booklet", "deck", "web-booklet"))
ICONS = """      - icons:
          facts: ["trial.msc_rate", "trial.control_rate"]
          labels:
            - "Got MSC treatment: {trial.msc_rate:frequency} got DPN"
            - "Control group: {trial.control_rate:frequency} got DPN"
          caption: "Each figure stands for one person in the trial.
            A filled figure went on to get DPN over {trial.years}."
"""
SLIDE = """  - id: "trial-icons"
    title: "Out of every 10 people"
    notes: "Point to the figures. In the MSC group, {trial.msc_rate:frequency} went on to get DPN.
      In the control group, {trial.control_rate:frequency} did. This trial tested prevention, not treatment,
      at one center."
    blocks:
""" + ICONS + """      - callout: "This trial tested prevention, not treatment. It was one trial at one center."

"""
CAPTION = "Each figure stands for one person in the trial."


def with_icons(content: Path, msc: tuple[str, str] = ("10.3", "10.3%")) -> None:
    """The trial's arms with `frequency: "10"`, the MSC arm at `msc` (value, display; a changed
    one keeps 10.3% as its previous display); an icon array in the booklet's research section
    and on a slide of its own."""
    for fid in ("trial.msc_rate", "trial.control_rate"):
        edit(content / "facts.yaml", f"  {fid}:\n", f"  {fid}:\n    frequency: \"10\"\n")
    if msc[0] != "10.3":
        edit(content / "facts.yaml", 'value: "10.3"\n    display: "10.3%"',
             f'value: "{msc[0]}"\n    display: "{msc[1]}"\n    previous: ["10.3%"]')
    booklet = content / "booklet.yaml"
    trial = next(line for line in booklet.read_text().splitlines() if "Only {trial.msc_rate} of the people" in line)
    edit(booklet, trial + "\n", trial + "\n" + ICONS)
    edit(content / "deck.yaml", '  - id: "cipn"\n', SLIDE + '  - id: "cipn"\n')


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Site]:
    """The suite's content with the arrays, built as it is and with the MSC arm at 31.2%."""
    return {"10.3": build_site(tmp_path_factory, "icons", prepare=with_icons),
            "31.2": build_site(tmp_path_factory, "icons-changed", prepare=lambda c: with_icons(c, ("31.2", "31.2%")))}


def pdf_arrays(path: Path) -> list[tuple[str, int, int]]:
    """(alternative text, filled, figures) of each figure that draws paths, from the structure
    tree's /Alt and the paint operators inside the figure's marked content."""
    reader = PdfReader(path)
    alts = {}
    for element in _elements(reader.trailer["/Root"]["/StructTreeRoot"]):
        if element.get("/S") == "/Figure":
            for mcid in (k for k in _kids(element) if isinstance(k, int)):
                alts[(element.raw_get("/Pg").idnum, mcid)] = str(element.get("/Alt", ""))
    out = []
    for page in reader.pages:
        counts: dict[int, list[int]] = {}
        mcid = None
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"BDC" and operands[0] == "/Figure":
                mcid = operands[1]["/MCID"]
                counts[mcid] = [0, 0]
            elif op == b"EMC":
                mcid = None
            elif mcid is not None and op in (b"B", b"b", b"f", b"F", b"B*", b"f*", b"S", b"s"):
                counts[mcid][0 if op in (b"S", b"s") else 1] += 1
        out += [(alts[(page.indirect_reference.idnum, m)], filled, outline + filled)
                for m, (outline, filled) in counts.items() if outline + filled > 1]  # a QR code is one path
    return out


def _kids(node: object) -> list:
    kids = node.get("/K")  # type: ignore[attr-defined]
    return [k.get_object() if hasattr(k, "get_object") else k for k in (kids if isinstance(kids, list) else [kids])]


def _elements(node: object) -> list:
    """Every structure element under `node`, depth first."""
    out = []
    for kid in _kids(node):
        if hasattr(kid, "get") and "/S" in kid:
            out += [kid, *_elements(kid)]
    return out


def deck_arrays(path: Path) -> list[tuple[str, int, int]]:
    """(alternative text, filled, figures) of each group shape, as python-pptx reads it."""
    out = []
    for slide in Presentation(path).slides:
        for shape in slide.shapes:
            if shape.shape_type is not None and shape.shape_type.name == "GROUP":
                alt = shape._element.nvGrpSpPr.cNvPr.get("descr", "")  # noqa: SLF001 - no public getter
                fills = [s.fill.type == MSO_FILL.SOLID for s in shape.shapes]
                out.append((alt, sum(fills), len(fills)))
    return out


@pytest.mark.parametrize(("value", "filled", "shown"), [("10.3", 1, "about 1 in 10"), ("31.2", 3, "about 3 in 10")])
def test_the_words_the_filled_figures_and_the_alt_text_follow_the_value(sites: dict[str, Site], value: str,
                                                                       filled: int, shown: str) -> None:
    root = sites[value].root
    label = f"Got MSC treatment: {shown} got DPN"
    expected = [(label, filled, 10), ("Control group: about 5 in 10 got DPN", 5, 10)]
    assert pdf_arrays(root / BOOKLET) == expected
    assert deck_arrays(root / DECK) == expected
    pdf = pdfium.PdfDocument(root / BOOKLET)
    assert any(label in pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    html = (root / WEB).read_text()
    svg = re.search(rf'aria-label="{label}".*?</svg>', html, re.S)
    assert svg and svg.group(0).count('class="filled"') == filled and svg.group(0).count("<path") == 10


def rewrite_pdf(path: Path, edit_page: Callable[[bytes], bytes]) -> int:
    """Edit the content stream of the page that draws the icon arrays; its 1-based number."""
    writer = PdfWriter(clone_from=path)
    number = next(i for i, p in enumerate(writer.pages) if b"/Figure" in p.get_contents().get_data()
                  and b"stands for one person" in p.get_contents().get_data())
    page = writer.pages[number]
    data = page.get_contents().get_data()
    changed = edit_page(data)
    assert changed != data
    stream = ContentStream(None, writer)
    stream.set_data(changed)
    page.replace_contents(stream)
    writer.write(path)
    return number + 1


def one_more_filled(data: bytes) -> bytes:
    """The first figure's first outline-only person painted filled as well."""
    start = data.index(b"/Figure <<")
    at = data.index(b"\nS\n", start)
    return data[:at] + b"\nB\n" + data[at + 3:]


def rewrite_deck(path: Path, edit_slide: Callable[[str], str]) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = next(n for n, d in parts.items() if n.startswith("ppt/slides/slide") and b"Icon array" in d)
    parts[name] = edit_slide(parts[name].decode()).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def more_filled(xml: str) -> str:
    """One more person shape in the first group filled."""
    first = xml.index('name="Person 2"')
    return xml[:first] + xml[first:].replace("<a:noFill/>", '<a:solidFill><a:srgbClr val="0B3D91"/></a:solidFill>', 1)


@pytest.mark.parametrize(("value", "output", "tamper", "said"), [
    ("10.3", BOOKLET, lambda d: d.replace(b"for one person", b"for ten people", 1),
     "changed: '" + CAPTION + "' not found"),
    ("10.3", BOOKLET, one_more_filled,
     "icon array for fact trial.msc_rate (about 1 in 10) has 2 of 10 figures filled, expected 1 of 10"),
    ("10.3", DECK, lambda x: x.replace("Got MSC treatment: about 1 in 10", "Got MSC treatment: about 4 in 10", 1),
     "altered fact trial.msc_rate: found about 4 in 10, expected about 1 in 10"),
    ("10.3", DECK, lambda x: x.replace('descr="Got MSC treatment: about 1', 'descr="Got MSC treatment: about 4', 1),
     "icon array alternative text: altered fact trial.msc_rate: found 'Got MSC treatment: about 4 in 10 got DPN'"),
    ("10.3", DECK, more_filled,
     "icon array for fact trial.msc_rate (about 1 in 10) has 2 of 10 figures filled, expected 1 of 10"),
    ("31.2", DECK, lambda x: x.replace("Got MSC treatment: about 3 in 10", "Got MSC treatment: about 1 in 10", 1),
     "stale value about 1 in 10 of fact trial.msc_rate (now 31.2%)"),
])
def test_a_tampered_icon_array_fails_the_check_naming_its_page_or_slide(
        sites: dict[str, Site], monkeypatch: pytest.MonkeyPatch, value: str, output: str, tamper: Callable,
        said: str) -> None:
    with in_place(sites[value], monkeypatch) as root:
        if output == BOOKLET:
            where = f"page {rewrite_pdf(root / output, tamper)}"
        else:
            rewrite_deck(root / output, tamper)
            where = f"slide {next(n for n, _ in enumerate(Presentation(root / output).slides, 1) if _has_icons(_))}"
        result = run("check")
        assert result.exit_code == 1, result.output
        assert f"{output}: {where}: {said}" in result.output


def without_group_alt_text(xml: str) -> str:
    """What LibreOffice does to a group when it saves a deck: its alternative text is dropped."""
    return re.sub(r'(<p:cNvPr [^>]*name="Icon array")\s+descr="[^"]*"', r"\1", xml)


@pytest.mark.parametrize(("tamper", "code", "said"), [
    (without_group_alt_text, 0,
     "warning: slide {n}: the icon array for fact trial.msc_rate has lost its alternative text (LibreOffice drops "
     "a group's when it saves), so a screen reader says nothing of it: rebuild, or add it back"),
    (lambda x: more_filled(without_group_alt_text(x)), 1,
     "slide {n}: icon array for fact trial.msc_rate (about 1 in 10) has 2 of 10 figures filled, expected 1 of 10"),
])
def test_an_icon_array_that_lost_its_alt_text_as_libreoffice_saves_it_is_a_warning_and_still_counted(
        sites: dict[str, Site], monkeypatch: pytest.MonkeyPatch, tamper: Callable, code: int, said: str) -> None:
    """A facilitator's LibreOffice save is not a tamper: the lost alternative text is said, and the
    array's figures are still counted against its fact, in content order."""
    with in_place(sites["10.3"], monkeypatch) as root:
        rewrite_deck(root / DECK, tamper)
        n = next(n for n, slide in enumerate(Presentation(root / DECK).slides, 1) if _has_icons(slide))
        result = run("check")
        assert result.exit_code == code, result.output
        assert f"{DECK}: {said.format(n=n)}" in result.output


@pytest.mark.slow
def test_a_deck_with_icon_arrays_resaved_by_libreoffice_passes(
        sites: dict[str, Site], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with in_place(sites["10.3"], monkeypatch) as root:
        (root / DECK).write_bytes(resaved_by_libreoffice(root / DECK, tmp_path))
        result = run("check")
        assert result.exit_code == 0, result.output


def _has_icons(slide: object) -> bool:
    return any(shape.name == "Icon array" for shape in slide.shapes)  # type: ignore[attr-defined]
