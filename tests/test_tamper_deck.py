"""Tamper with a built deck the way a careless or hostile person would, edit it the way a
facilitator would, and expect `check` to tell them apart: exit 1 naming the file, the slide and
what is wrong, or exit 0.

The deck is built once per session (conftest's `site`); each test writes its edited copy over the
built deck in the same outputs folder (the handouts stay vouched for by that folder's build cache,
so only the deck is read back), and the built deck is put back afterwards.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from clearfacts.cli import main
from clearfacts.formats import by_key
from clearfacts.verify.numfmt import UnsupportedFormat, format_number
from clearfacts.verify.read_pptx import read_pptx
from conftest import resaved_by_libreoffice

DECK = by_key("deck").path
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
SENTENCE = "Over 8 years, 10.3% of the MSC group got DPN. In the control group, 48.3% did."
TEXT_BOX = f'<p:sp xmlns:p="{P}" xmlns:a="{A}"><p:nvSpPr><p:cNvPr id="90" name="{{name}}"/><p:cNvSpPr txBox="1"/>' \
    '<p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>' \
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill}</p:spPr>{style}<p:txBody><a:bodyPr wrap="square"/>' \
    '<a:lstStyle/><a:p><a:r><a:rPr lang="en-US" sz="2800"/><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>'
# What PowerPoint writes for Insert > Shape > Rectangle: the fill comes from the theme (accent 1).
SHAPE_STYLE = '<p:style><a:lnRef idx="2"><a:schemeClr val="accent1"><a:shade val="50000"/></a:schemeClr></a:lnRef>' \
    '<a:fillRef idx="1"><a:schemeClr val="accent1"/></a:fillRef><a:effectRef idx="0"><a:schemeClr val="accent1"/>' \
    '</a:effectRef><a:fontRef idx="minor"><a:schemeClr val="lt1"/></a:fontRef></p:style>'


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def deck(here: Path) -> Path:
    """The built deck, to edit in place; the working directory is the outputs folder (conftest's
    `here`, which puts everything back afterwards)."""
    return here / DECK


def check() -> Result:
    return run("check")


# --- editing the zip --------------------------------------------------------------------------

def rewrite(path: Path, edits: dict[str, Callable[[str], str]], added: dict[str, str] | None = None) -> None:
    """Apply `edits` (part name → new text from old) and add parts, keeping the rest as is."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename in edits:
                data = edits[info.filename](data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
        for name, text in (added or {}).items():
            target.writestr(name, text.encode("utf-8"))
    path.write_bytes(out.getvalue())


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(xml: str) -> str:
        assert old in xml, f"{old!r} not in the part"
        return xml.replace(old, new, 1)
    return edit


def slide_of(path: Path, needle: str) -> tuple[str, int]:
    """(part name, slide number) of the slide whose XML holds `needle`."""
    archive = zipfile.ZipFile(path)
    order = _slide_parts(archive)
    for number, part in enumerate(order, 1):
        if needle in archive.read(part).decode("utf-8"):
            return part, number
    raise AssertionError(f"{needle!r} is on no slide")


def _slide_parts(archive: zipfile.ZipFile) -> list[str]:
    rels = etree.fromstring(archive.read("ppt/_rels/presentation.xml.rels"))
    targets = {r.get("Id"): "ppt/" + r.get("Target").lstrip("/").removeprefix("ppt/") for r in rels}
    pres = etree.fromstring(archive.read("ppt/presentation.xml"))
    ids = pres.iterfind(f"{{{P}}}sldIdLst/{{{P}}}sldId")
    return [targets[s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")] for s in ids]


def chart_part(path: Path) -> str:
    return next(n for n in zipfile.ZipFile(path).namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n))


def add_shape(xml: str, shape: str) -> str:
    """A shape drawn last, on top of everything on the slide."""
    return xml.replace("</p:spTree>", shape + "</p:spTree>", 1)


def text_box(text: str, x: int, y: int, w: int = 4_000_000, h: int = 600_000, fill: str = "<a:noFill/>",
             style: str = "", name: str = "TextBox 89") -> str:
    return TEXT_BOX.format(x=x, y=y, w=w, h=h, fill=fill, style=style, text=text, name=name)


def assert_finding(result: Result, *pieces: str) -> None:
    """Exit 1 and one finding line that holds every piece, in order."""
    assert result.exit_code == 1, result.output
    pattern = ".*".join(re.escape(p) for p in pieces)
    assert re.search(pattern, result.stderr), result.stderr


# --- the deck as built, and as a facilitator may edit it ----------------------------------------

def test_the_built_deck_passes_and_nothing_on_it_counts_as_hidden_or_covered(deck: Path) -> None:
    got = read_pptx(deck.read_bytes())
    assert all(not p.hidden and not p.covered for p in got.places), [p for p in got.places if p.hidden or p.covered]
    assert all(not getattr(c, "problems", ()) for p in got.places for c in p.charts)
    assert check().exit_code == 0


def test_alt_text_is_read_as_slide_text(deck: Path) -> None:
    got = {p.where: p for p in read_pptx(deck.read_bytes()).places}
    _, number = slide_of(deck, "48.3% did")
    assert "Control group: 48.3%" in got[f"slide {number}"].text  # the chart's description
    _, qr = slide_of(deck, "QR code that opens")
    assert "QR code that opens clinicaltrials.gov" in got[f"slide {qr}"].text


def test_added_text_box_with_a_figure(deck: Path) -> None:
    part, number = slide_of(deck, "48.3% did")
    rewrite(deck, {part: lambda xml: add_shape(xml, text_box("Control group: 84.3%", 6_668_008, 4_700_000))})
    assert_finding(check(), f"{DECK}: slide {number}: unregistered figure '84.3%'")


def test_a_figure_in_a_links_screen_tip(deck: Path) -> None:
    """A ScreenTip shows when the pointer rests on a link in the slide show: it is read like
    alternative text."""
    part, number = slide_of(deck, "48.3% did")
    tipped = text_box("More about the trial", 6_668_008, 4_700_000).replace(
        '<a:rPr lang="en-US" sz="2800"/>',
        '<a:rPr lang="en-US" sz="2800"><a:hlinkClick xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships" r:id="" tooltip="Control group: 84.3%"/></a:rPr>')
    rewrite(deck, {part: lambda xml: add_shape(xml, tipped)})
    assert_finding(check(), f"{DECK}: slide {number}: unregistered figure '84.3%'")


def test_hidden_slide(deck: Path) -> None:
    part, number = slide_of(deck, "48.3% did")
    rewrite(deck, {part: replace("<p:sld ", '<p:sld show="0" ')})
    assert_finding(check(), f"{DECK}: slide {number}: not visible: fact trial.years")


# PowerPoint writes a timed transition inside mc:AlternateContent (p14 effects); the plain one is
# what LibreOffice and older PowerPoint write.
TRANSITIONS = {
    "plain": '<p:transition advClick="0" advTm="{ms}"/>',
    "alternate content": '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                         '<mc:Choice xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main" '
                         'Requires="p14"><p:transition spd="slow" p14:dur="2000" advClick="0" advTm="{ms}"/>'
                         '</mc:Choice><mc:Fallback><p:transition spd="slow" advClick="0" advTm="{ms}"/></mc:Fallback>'
                         '</mc:AlternateContent>',
}


def _timed(ms: int, how: str) -> Callable[[str], str]:
    """The slide moves on by itself after `ms` milliseconds (its transition after its colour map)."""
    return replace("</p:clrMapOvr>", "</p:clrMapOvr>" + TRANSITIONS[how].format(ms=ms))


@pytest.mark.parametrize("how", list(TRANSITIONS))
def test_a_slide_that_moves_on_before_it_can_be_read(deck: Path, how: str) -> None:
    """A show that flicks past a slide in a blink hides it as surely as its hidden flag."""
    part, number = slide_of(deck, "48.3% did")
    rewrite(deck, {part: _timed(1, how)})
    result = check()
    assert_finding(result, f"{DECK}: slide {number}: not visible: fact trial.years")
    assert_finding(result, f"{DECK}: slide {number}: moves on by itself after 0.001 s, too soon to read its")


def test_a_slide_timed_for_a_waiting_room_passes(deck: Path) -> None:
    """Two minutes a slide, as a looping display in a waiting room may run: time enough to read."""
    part, _ = slide_of(deck, "48.3% did")
    rewrite(deck, {part: _timed(120_000, "plain")})
    result = check()
    assert result.exit_code == 0, result.output + result.stderr


def test_hidden_shape(deck: Path) -> None:
    part, number = slide_of(deck, "48.3% did")
    rewrite(deck, {part: replace('name="Text"/>', 'name="Text" hidden="1"/>')})
    assert_finding(check(), f"{DECK}: slide {number}: not visible: fact trial.years")


ON_CLICK = '<p:cond delay="indefinite"/>'


def _timing(effects: str, sequence: str = "mainSeq", start: str = ON_CLICK) -> str:
    """A slide's animation timeline: one sequence holding one group of effects, which begins as
    `start` says (on a click by default)."""
    return (f'<p:timing xmlns:p="{P}"><p:tnLst><p:par><p:cTn id="1" dur="indefinite" restart="never" '
            f'nodeType="tmRoot"><p:childTnLst><p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" '
            f'nodeType="{sequence}"><p:childTnLst><p:par><p:cTn id="3" fill="hold"><p:stCondLst>'
            f'{start}</p:stCondLst><p:childTnLst><p:par><p:cTn id="4" fill="hold">'
            f'<p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>{effects}</p:childTnLst></p:cTn></p:par>'
            '</p:childTnLst></p:cTn></p:par></p:childTnLst></p:cTn></p:seq></p:childTnLst></p:cTn></p:par>'
            '</p:tnLst></p:timing>')


def _effect(kind: str, node: str, shape_id: str, visibility: str) -> str:
    """One "Appear" or "Disappear" effect on the shape with id `shape_id`."""
    return (f'<p:par><p:cTn id="5" presetID="1" presetClass="{kind}" presetSubtype="0" fill="hold" nodeType="{node}">'
            '<p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst><p:set><p:cBhvr><p:cTn id="6" dur="1" '
            f'fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst></p:cTn><p:tgtEl><p:spTgt spid="{shape_id}"/>'
            '</p:tgtEl><p:attrNameLst><p:attrName>style.visibility</p:attrName></p:attrNameLst></p:cBhvr><p:to>'
            f'<p:strVal val="{visibility}"/></p:to></p:set></p:childTnLst></p:cTn></p:par>')


def _animate(deck: Path, timing: Callable[[str], str]) -> int:
    """Give the slide with the trial's sentence the timeline `timing(id of the sentence's shape)`."""
    part, number = slide_of(deck, "48.3% did")
    xml = zipfile.ZipFile(deck).read(part).decode("utf-8")
    shape_id = re.search(r'<p:cNvPr id="(\d+)" name="Text"', xml).group(1)
    rewrite(deck, {part: lambda xml: xml.replace("</p:clrMapOvr>", "</p:clrMapOvr>" + timing(shape_id), 1)})
    return number


@pytest.mark.parametrize("start", [
    ON_CLICK + '<p:cond evt="onBegin" delay="0"><p:tn val="2"/></p:cond>',  # as PowerPoint writes it
    '<p:cond delay="0"/>',  # as LibreOffice Impress writes it
], ids=["PowerPoint", "LibreOffice"])
def test_text_that_leaves_as_the_slide_opens(deck: Path, start: str) -> None:
    """A "Disappear" exit set to start With Previous as the first effect: the audience never sees
    the sentence with the figures, though the slide shows it when edited or printed."""
    number = _animate(deck, lambda shape: _timing(_effect("exit", "withEffect", shape, "hidden"), start=start))
    assert_finding(check(), f"{DECK}: slide {number}: not visible: fact trial.years")


FADE = ('<p:set><p:cBhvr><p:cTn id="6" dur="500" fill="hold"/><p:tgtEl><p:spTgt spid="{shape}"/></p:tgtEl>'
        '<p:attrNameLst><p:attrName>style.opacity</p:attrName></p:attrNameLst></p:cBhvr><p:to><p:strVal val="0"/>'
        '</p:to></p:set>')
FLIGHT = ('<p:animMotion origin="layout" path="M 0 0 L 0 -2 E" pathEditMode="relative"><p:cBhvr>'
          '<p:cTn id="6" dur="500" fill="hold"/><p:tgtEl><p:spTgt spid="{shape}"/></p:tgtEl><p:attrNameLst>'
          '<p:attrName>ppt_x</p:attrName><p:attrName>ppt_y</p:attrName></p:attrNameLst></p:cBhvr></p:animMotion>')


@pytest.mark.parametrize(("kind", "behaviour"), [("emph", FADE), ("path", FLIGHT)],
                         ids=["Transparency emphasis", "motion path off the slide"])
def test_text_faded_or_carried_away_as_the_slide_opens(deck: Path, kind: str, behaviour: str) -> None:
    """A "Transparency" emphasis at 100 %, or a motion path two slide-heights up, started With
    Previous as the first effect."""
    effect = (f'<p:par><p:cTn id="5" presetID="9" presetClass="{kind}" presetSubtype="0" fill="hold" '
              'nodeType="withEffect"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>'
              f'{behaviour}</p:childTnLst></p:cTn></p:par>')
    number = _animate(deck, lambda shape: _timing(effect.format(shape=shape), start='<p:cond delay="0"/>'))
    assert_finding(check(), f"{DECK}: slide {number}: not visible: fact trial.years")


def test_text_brought_in_only_by_a_trigger(deck: Path) -> None:
    """An entrance played only when the presenter clicks one particular shape (a trigger)."""
    number = _animate(deck, lambda shape: _timing(_effect("entr", "clickEffect", shape, "visible"),
                                                  sequence="interactiveSeq"))
    assert_finding(check(), f"{DECK}: slide {number}: not visible: fact trial.years")


def test_text_taken_away_on_a_click_was_seen_first(deck: Path) -> None:
    """A facilitator's own exit effect, played on a click after the sentence was shown: passes."""
    _animate(deck, lambda shape: _timing(_effect("exit", "clickEffect", shape, "hidden")))
    result = check()
    assert result.exit_code == 0, result.stderr


SENTENCE_RUN = '<a:rPr b="0" lang="en-US" sz="2800">'
SENTENCE_SPACING = '<a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
NO_SPACE_BEFORE = '<a:spcBef><a:spcPts val="0"/></a:spcBef>'


@pytest.mark.parametrize(("old", "new"), [
    (SENTENCE_RUN, '<a:rPr b="0" lang="en-US" sz="2800" spc="-2500">'),  # letters piled on each other
    (SENTENCE_RUN, '<a:rPr b="0" lang="en-US" sz="2800" baseline="3000000">'),  # raised off the slide
    ('<a:latin typeface="Arial"/>', '<a:latin typeface="Wingdings"/>'),  # pictographs for letters
    (SENTENCE_SPACING, '<a:lnSpc><a:spcPct val="2000000"/></a:lnSpc>'),  # lines pushed off the slide
    (SENTENCE_SPACING + NO_SPACE_BEFORE, SENTENCE_SPACING + NO_SPACE_BEFORE.replace('"0"', '"60000"')),  # 600 pt
], ids=["character spacing", "baseline", "symbol font", "line spacing", "space before"])
def test_text_moved_out_of_sight_by_its_spacing(deck: Path, old: str, new: str) -> None:
    """The sentence is still on the slide in the file, but its letters overlap into a blot, turn
    into pictographs, or its lines are moved off the slide (as LibreOffice shows it)."""
    part, number = slide_of(deck, "48.3% did")
    xml = zipfile.ZipFile(deck).read(part).decode("utf-8")
    start = xml.index("Over 8 years")
    head = xml.rindex(old, 0, start)  # the sentence's own paragraph, run or font
    rewrite(deck, {part: lambda _: xml[:head] + new + xml[head + len(old):]})
    assert_finding(check(), f"{DECK}: slide {number}: not visible: fact trial.years")


def test_ordinary_spacing_edits_pass(deck: Path) -> None:
    """A facilitator's spacing (letters 1 pt tighter, a superscript, 12 pt before the paragraph,
    150 % lines) is no tamper."""
    part, _ = slide_of(deck, "48.3% did")
    xml = zipfile.ZipFile(deck).read(part).decode("utf-8")
    start = xml.index("Over 8 years")
    run, spacing = xml.rindex(SENTENCE_RUN, 0, start), xml.rindex(SENTENCE_SPACING, 0, start)
    edited = (xml[:spacing] + '<a:lnSpc><a:spcPct val="150000"/></a:lnSpc><a:spcBef><a:spcPts val="1200"/></a:spcBef>'
              + xml[spacing + len(SENTENCE_SPACING):run].replace(NO_SPACE_BEFORE, "", 1)
              + '<a:rPr b="0" lang="en-US" sz="2800" spc="-100" baseline="30000">' + xml[run + len(SENTENCE_RUN):])
    rewrite(deck, {part: lambda _: edited})
    result = check()
    assert result.exit_code == 0, result.stderr


R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DGM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"


def _frame(data: str, name: str) -> str:
    """A graphic frame beside the chart holding `data` (a `graphicData`'s content)."""
    return (f'<p:graphicFrame xmlns:p="{P}" xmlns:a="{A}" xmlns:r="{R}"><p:nvGraphicFramePr>'
            f'<p:cNvPr id="91" name="{name}"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>'
            '<p:xfrm><a:off x="6668008" y="4700000"/><a:ext cx="4000000" cy="1200000"/></p:xfrm>'
            f'<a:graphic>{data}</a:graphic></p:graphicFrame>')


@pytest.mark.parametrize("typed_in", ["data", "drawing"])
def test_smartart_diagram_with_a_figure(deck: Path, typed_in: str) -> None:
    """Insert > SmartArt, and a figure typed into it: its words are read like a text box's, from
    its data and from the drawing PowerPoint keeps beside it (which LibreOffice shows)."""
    part, number = slide_of(deck, "48.3% did")
    rels = part.replace("slides/", "slides/_rels/") + ".rels"
    frame = _frame(f'<a:graphicData uri="{DGM}"><dgm:relIds xmlns:dgm="{DGM}" r:dm="rIdDm" r:lo="" r:qs="" r:cs=""/>'
                   '</a:graphicData>', "Diagram 90")
    said = {"data": "84.3%", "drawing": "48.3%"}[typed_in]
    model = (f'<dgm:dataModel xmlns:dgm="{DGM}" xmlns:a="{A}"><dgm:ptLst><dgm:pt modelId="1"><dgm:t><a:bodyPr/>'
             f'<a:p><a:r><a:t>Control group: {said}</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst><dgm:extLst>'
             '<a:ext uri="http://schemas.microsoft.com/office/drawing/2008/diagram"><dsp:dataModelExt xmlns:dsp="'
             'http://schemas.microsoft.com/office/drawing/2008/diagram" relId="rIdDr"/></a:ext></dgm:extLst>'
             '</dgm:dataModel>')
    drawn = {"data": "48.3%", "drawing": "84.3%"}[typed_in]
    drawing = (f'<dsp:drawing xmlns:dsp="http://schemas.microsoft.com/office/drawing/2008/diagram" xmlns:a="{A}">'
               f'<dsp:spTree><dsp:sp><dsp:txBody><a:p><a:r><a:t>Control group: {drawn}</a:t></a:r></a:p></dsp:txBody>'
               '</dsp:sp></dsp:spTree></dsp:drawing>')
    link = (f'<Relationship Id="rIdDm" Type="{R}/diagramData" Target="../diagrams/data1.xml"/>'
            '<Relationship Id="rIdDr" Type="http://schemas.microsoft.com/office/2007/relationships/diagramDrawing" '
            'Target="../diagrams/drawing1.xml"/></Relationships>')
    rewrite(deck, {part: lambda xml: add_shape(xml, frame), rels: replace("</Relationships>", link)},
            {"ppt/diagrams/data1.xml": model, "ppt/diagrams/drawing1.xml": drawing})
    assert_finding(check(), f"{DECK}: slide {number}: unregistered figure '84.3%'")


def test_embedded_object_is_a_problem(deck: Path) -> None:
    """An embedded spreadsheet shows its cells through a preview the check cannot read."""
    part, number = slide_of(deck, "48.3% did")
    frame = _frame('<a:graphicData uri="http://schemas.openxmlformats.org/presentationml/2006/ole">'
                   '<p:oleObj name="Worksheet" r:id="rIdOle" progId="Excel.Sheet.12"><p:embed/></p:oleObj>'
                   '</a:graphicData>', "Object 90")
    rewrite(deck, {part: lambda xml: add_shape(xml, frame)})
    assert_finding(check(), f"{DECK}: slide {number}: holds an embedded object ('Object 90')")


def test_white_text(deck: Path) -> None:
    part, number = slide_of(deck, "48.3% did")
    run_props = '<a:rPr b="0" lang="en-US" sz="2800"><a:latin typeface="Arial"/></a:rPr><a:t>Over 8 years'
    white = '<a:rPr b="0" lang="en-US" sz="2800"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>' \
        '<a:latin typeface="Arial"/></a:rPr><a:t>Over 8 years'
    rewrite(deck, {part: replace(run_props, white)})
    assert_finding(check(), f"{DECK}: slide {number}: not visible: fact trial.years")


def test_near_white_text_through_a_theme_colour(deck: Path) -> None:
    part, number = slide_of(deck, "48.3% did")
    run_props = '<a:rPr b="0" lang="en-US" sz="2800"><a:latin typeface="Arial"/></a:rPr><a:t>Over 8 years'
    faint = '<a:rPr b="0" lang="en-US" sz="2800"><a:solidFill><a:schemeClr val="bg1"><a:lumMod val="95000"/>' \
        '</a:schemeClr></a:solidFill><a:latin typeface="Arial"/></a:rPr><a:t>Over 8 years'
    rewrite(deck, {part: replace(run_props, faint)})
    assert_finding(check(), f"{DECK}: slide {number}: not visible: fact trial.years")


def test_one_point_text(deck: Path) -> None:
    part, number = slide_of(deck, "48.3% did")
    rewrite(deck, {part: replace('sz="2800"><a:latin typeface="Arial"/></a:rPr><a:t>Over 8 years',
                                 'sz="100"><a:latin typeface="Arial"/></a:rPr><a:t>Over 8 years')})
    assert_finding(check(), f"{DECK}: slide {number}: not visible: fact trial.years")


def test_tiny_text_inherited_from_the_shapes_list_style(deck: Path) -> None:
    part, number = slide_of(deck, "48.3% did")

    def edit(xml: str) -> str:
        at = xml.index("Over 8 years")
        start = xml.rindex("<a:lstStyle/>", 0, at)
        head = xml[:start] + '<a:lstStyle><a:lvl1pPr><a:defRPr sz="300"/></a:lvl1pPr></a:lstStyle>'
        tail = xml[start + len("<a:lstStyle/>"):]
        return head + tail.replace('<a:rPr b="0" lang="en-US" sz="2800">', '<a:rPr b="0" lang="en-US">', 1)
    rewrite(deck, {part: edit})
    assert_finding(check(), f"{DECK}: slide {number}: not visible: fact trial.years")


def test_shape_moved_off_the_slide(deck: Path) -> None:
    part, number = slide_of(deck, "48.3% did")
    xml = zipfile.ZipFile(deck).read(part).decode()
    at = xml.index("Over 8 years")
    offset = re.findall(r'<a:off x="\d+" y="\d+"/>', xml[:at])[-1]
    rewrite(deck, {part: replace(offset, '<a:off x="12400000" y="1386840"/>')})
    assert_finding(check(), f"{DECK}: slide {number}: not visible: fact trial.years")


def test_text_box_grouped_and_the_group_moved_off_the_slide(deck: Path) -> None:
    """Group members are placed through their group's child coordinates."""
    part, number = slide_of(deck, "48.3% did")

    def edit(xml: str) -> str:
        at = xml.index("Over 8 years")
        start, end = xml.rindex("<p:sp>", 0, at), xml.index("</p:sp>", at) + len("</p:sp>")
        group = '<p:grpSp><p:nvGrpSpPr><p:cNvPr id="80" name="Group 79"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>' \
            '<p:grpSpPr><a:xfrm><a:off x="0" y="7000000"/><a:ext cx="12192000" cy="6858000"/>' \
            '<a:chOff x="0" y="0"/><a:chExt cx="12192000" cy="6858000"/></a:xfrm></p:grpSpPr>'
        return xml[:start] + group + xml[start:end] + "</p:grpSp>" + xml[end:]
    rewrite(deck, {part: edit})
    assert_finding(check(), f"{DECK}: slide {number}: not visible: fact trial.years")


def test_opaque_rectangle_over_the_text_with_a_new_figure_beside_it(deck: Path) -> None:
    part, number = slide_of(deck, "48.3% did")
    xml = zipfile.ZipFile(deck).read(part).decode()
    at = xml.index("Over 8 years")
    x, y = map(int, re.findall(r'<a:off x="(\d+)" y="(\d+)"/>', xml[:at])[-1])
    w, h = map(int, re.findall(r'<a:ext cx="(\d+)" cy="(\d+)"/>', xml[:at])[-1])
    cover = text_box("", x, y, w, h // 2, fill="", style=SHAPE_STYLE, name="Rectangle 88")
    beside = text_box("In the control group, 84.3% did.", x, y + h // 2, w, h // 2)
    rewrite(deck, {part: lambda s: add_shape(add_shape(s, cover), beside)})
    result = check()
    assert_finding(result, f"{DECK}: slide {number}: covered: fact trial.years")
    assert f"{DECK}: slide {number}: unregistered figure '84.3%'" in result.stderr


def test_chart_label_format_rounds_the_figure(deck: Path) -> None:
    rewrite(deck, {chart_part(deck): replace('formatCode="0.0&quot;%&quot;"', 'formatCode="0&quot;%&quot;"')})
    _, number = slide_of(deck, "48.3% did")
    result = check()
    assert_finding(result, f"{DECK}: slide {number} chart: altered fact trial.control_rate: chart shows 48, "
                           "expected 48.3")
    assert f"{DECK}: slide {number} chart: unregistered figure '48%'" in result.stderr


def test_chart_label_format_with_a_condition_prints_another_figure(deck: Path) -> None:
    rewrite(deck, {chart_part(deck): replace('formatCode="0.0&quot;%&quot;"',
                                             'formatCode="[&gt;40]&quot;84.3%&quot;;0.0&quot;%&quot;"')})
    _, number = slide_of(deck, "48.3% did")
    result = check()
    assert_finding(result, f"{DECK}: slide {number} chart: altered fact trial.control_rate: chart shows 84.3, "
                           "expected 48.3")
    assert f"{DECK}: slide {number} chart: unregistered figure '84.3%'" in result.stderr


def test_chart_label_format_written_with_an_escaped_percent_passes(deck: Path) -> None:
    """LibreOffice writes the renderer's 0.0"%" as 0.0\\% on the series' labels: the same labels."""
    rewrite(deck, {chart_part(deck): replace('formatCode="0.0&quot;%&quot;"', 'formatCode="0.0\\%"')})
    result = check()
    assert result.exit_code == 0, result.stderr


def test_chart_label_format_on_one_point(deck: Path) -> None:
    point = '<c:dLbl><c:idx val="1"/><c:numFmt formatCode="0" sourceLinked="0"/><c:showLegendKey val="0"/>' \
        '<c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>' \
        '<c:showBubbleSize val="0"/></c:dLbl>'
    labels = f'<c:dLbls>{point}<c:numFmt formatCode="0.0&quot;%&quot;" sourceLinked="0"/><c:showVal val="1"/></c:dLbls>'
    rewrite(deck, {chart_part(deck): replace("<c:cat>", labels + "<c:cat>")})
    _, number = slide_of(deck, "48.3% did")
    assert_finding(check(), f"{DECK}: slide {number} chart: altered fact trial.control_rate: chart shows 48, "
                            "expected 48.3")


@pytest.mark.parametrize(("old", "new"), [
    ('<c:showVal val="1"/>', '<c:showVal val="0"/>'),  # labels switched off
    ('<a:defRPr sz="2800" b="1">', '<a:defRPr sz="100" b="1">'),  # labels in 1 pt type
], ids=["labels-off", "labels-1pt"])
def test_chart_values_nobody_can_read(deck: Path, old: str, new: str) -> None:
    rewrite(deck, {chart_part(deck): replace(old, new)})
    _, number = slide_of(deck, "48.3% did")
    assert_finding(check(), f"{DECK}: slide {number} chart: ")
    assert "the audience cannot read them" in check().stderr


def test_unsupported_label_format_is_not_vouched_for(deck: Path) -> None:
    rewrite(deck, {chart_part(deck): replace('formatCode="0.0&quot;%&quot;"', 'formatCode="0.0E+00"')})
    _, number = slide_of(deck, "48.3% did")
    got = {p.where: p for p in read_pptx(deck.read_bytes()).places}
    chart = got[f"slide {number} chart"].charts[0]
    assert any("0.0E+00" in problem for problem in chart.problems)
    assert_finding(check(), f"{DECK}: slide {number} chart: ")
    assert "0.0E+00" in check().stderr


def test_label_format_that_paints_the_figure_white(deck: Path) -> None:
    """`[White]0.0"%"` prints 48.3% in white on the white chart: a colour the check cannot vouch
    for is named (`[Red]` is read as shown: `test_number_formats`)."""
    rewrite(deck, {chart_part(deck): replace('formatCode="0.0&quot;%&quot;"', 'formatCode="[White]0.0&quot;%&quot;"')})
    _, number = slide_of(deck, "48.3% did")
    result = check()
    assert_finding(result, f"{DECK}: slide {number} chart: ")
    assert "in white, which may not show on the chart" in result.stderr, result.stderr


LABEL_INK = '<a:defRPr sz="2800" b="1"><a:solidFill><a:srgbClr val="1A1A1A"/>'


def test_white_data_labels_beside_the_bars(deck: Path) -> None:
    """White text, the chart's way: its labels painted white where they sit, on the white chart."""
    rewrite(deck, {chart_part(deck): replace(LABEL_INK, LABEL_INK.replace("1A1A1A", "FFFFFF"))})
    _, number = slide_of(deck, "48.3% did")
    result = check()
    assert_finding(result, f"{DECK}: slide {number} chart: ")
    assert "data labels are drawn in nearly the colour behind them" in result.stderr, result.stderr


def test_white_data_labels_inside_dark_bars_pass(deck: Path) -> None:
    """A facilitator's restyle: white labels moved inside the (dark) bars stay readable."""
    rewrite(deck, {chart_part(deck): lambda xml: replace('<c:dLblPos val="outEnd"/>', '<c:dLblPos val="inEnd"/>')(
        replace(LABEL_INK, LABEL_INK.replace("1A1A1A", "FFFFFF"))(xml))})
    result = check()
    assert result.exit_code == 0, result.stderr


def workbook_with(path: Path, old: str, new: str) -> tuple[str, bytes]:
    archive = zipfile.ZipFile(path)
    name = next(n for n in archive.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx"))
    book = zipfile.ZipFile(io.BytesIO(archive.read(name)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in book.infolist():
            data = book.read(info.filename)
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", info.filename):
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            target.writestr(info, data)
    return name, out.getvalue()


def replace_part(path: Path, name: str, data: bytes) -> None:
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, data if info.filename == name else source.read(info.filename))
    path.write_bytes(out.getvalue())


def test_changed_workbook_cell_is_read_as_a_problem(deck: Path) -> None:
    name, book = workbook_with(deck, "<v>48.3</v>", "<v>84.3</v>")
    replace_part(deck, name, book)
    _, number = slide_of(deck, "48.3% did")
    chart = {p.where: p for p in read_pptx(deck.read_bytes()).places}[f"slide {number} chart"].charts[0]
    assert chart.problems == ("embedded workbook cell Sheet1!B3 holds 84.3, the chart shows 48.3",)


def test_changed_workbook_cell_fails_the_check(deck: Path) -> None:
    name, book = workbook_with(deck, "<v>48.3</v>", "<v>84.3</v>")
    replace_part(deck, name, book)
    _, number = slide_of(deck, "48.3% did")
    assert_finding(check(), f"{DECK}: slide {number} chart: embedded workbook cell Sheet1!B3 holds 84.3")


def test_picture_alt_text_with_a_wrong_number(deck: Path) -> None:
    part, number = slide_of(deck, "QR code that opens clinicaltrials.gov")
    rewrite(deck, {part: replace("QR code that opens clinicaltrials.gov (",
                                 "QR code that opens clinicaltrials.gov, where 84.3% of trials are listed (")})
    assert_finding(check(), f"{DECK}: slide {number}: unregistered figure '84.3%'")


def test_chart_alt_text_with_a_wrong_number(deck: Path) -> None:
    part, number = slide_of(deck, "48.3% did")
    rewrite(deck, {part: replace("Control group: 48.3%.", "Control group: 84.3%.")})
    assert_finding(check(), f"{DECK}: slide {number}: unregistered figure '84.3%'")


# --- a facilitator's own slide ----------------------------------------------------------------

OWN_SLIDE = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld xmlns:p="{P}" xmlns:a="{A}" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:cSld><p:spTree>' \
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>' \
    '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Title 1"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>' \
    '<p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>' \
    '<a:p><a:r><a:rPr lang="en-US"/><a:t>{title}</a:t></a:r></a:p></p:txBody></p:sp>{body}' \
    '</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>'


def add_slide(path: Path, title: str, text: str, after: int) -> int:
    """A slide added the way an office suite adds one: its part, relationships, content type and
    place in the slide list. Returns its number."""
    archive = zipfile.ZipFile(path)
    parts = _slide_parts(archive)
    layout_rels = archive.read(parts[1].replace("slides/", "slides/_rels/") + ".rels").decode()
    layout = re.search(r'Target="(\.\./slideLayouts/[^"]+)"', layout_rels).group(1)
    name = f"ppt/slides/slide{len(parts) + 1}.xml"
    body = text_box(text, 685_800, 1_600_000, 10_800_000, 1_200_000)
    slide = OWN_SLIDE.format(title=title, body=body.replace(f' xmlns:p="{P}" xmlns:a="{A}"', ""))
    rels = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.' \
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml' \
        f'formats.org/officeDocument/2006/relationships/slideLayout" Target="{layout}"/></Relationships>'
    kind = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
    new_rel = '<Relationship Id="rId900" Type="http://schemas.openxmlformats.org/officeDocument/2006/' \
        f'relationships/slide" Target="slides/slide{len(parts) + 1}.xml"/>'

    def listed(xml: str) -> str:
        ids = re.findall(r'<p:sldId [^>]*/>', xml)
        return xml.replace(ids[after - 1], ids[after - 1] + '<p:sldId id="900" r:id="rId900"/>', 1)
    rewrite(path, {
        "[Content_Types].xml": replace("</Types>", f'<Override PartName="/{name}" ContentType="{kind}"/></Types>'),
        "ppt/_rels/presentation.xml.rels": replace("</Relationships>", new_rel + "</Relationships>"),
        "ppt/presentation.xml": listed,
    }, {name: slide, name.replace("slides/", "slides/_rels/") + ".rels": rels})
    return after + 1


def test_facilitators_own_slide_without_figures_passes(deck: Path) -> None:
    add_slide(deck, "Our own questions", "What did you find most helpful today?", after=5)
    result = check()
    assert result.exit_code == 0, result.stderr


def test_facilitators_own_slide_with_a_contradicting_figure_fails(deck: Path) -> None:
    number = add_slide(deck, "What I read online", "A website says 84.3% of people got better.", after=5)
    assert_finding(check(), f"{DECK}: slide {number}: unregistered figure '84.3%'")


# --- re-saved by an office suite --------------------------------------------------------------

@pytest.mark.slow
def test_deck_resaved_by_libreoffice_passes(deck: Path, tmp_path: Path) -> None:
    resaved = resaved_by_libreoffice(deck, tmp_path)
    assert resaved != deck.read_bytes()
    deck.write_bytes(resaved)
    got = read_pptx(resaved)
    assert got.stamp.startswith("clearfacts-stamp-")
    assert all(not p.hidden and not p.covered for p in got.places)
    result = check()
    assert result.exit_code == 0, result.stderr


# --- number formats as PowerPoint displays them -----------------------------------------------

@pytest.mark.parametrize(("value", "code", "shown"), [
    (48.3, '0.0"%"', "48.3%"),
    (48.3, '0"%"', "48%"),
    (48.3, "0.0\\%", "48.3%"),
    (0.483, "0.0%", "48.3%"),
    (0.483, "0%", "48%"),
    (48.3, "0.00", "48.30"),
    (48.25, "0.0", "48.3"),  # half away from zero, as Excel rounds
    (-48.25, "0.0", "-48.3"),
    (1234567.891, "#,##0", "1,234,568"),
    (1234.5, "#,##0.00", "1,234.50"),
    (1500000, '#,##0,,"M"', "2M"),
    (0.5, "#.0", ".5"),
    (5.25, "0.0#", "5.25"),
    (5.2, "0.0#", "5.2"),
    (3, "00", "03"),
    (48.3, "General", "48.3"),
    (48.3, "", "48.3"),
    (1 / 3, "General", "0.333333333"),
    (-5, "0;(0)", "(5)"),
    (0, '0;-0;"none"', "none"),
    (0, "0;0;", ""),
    (48.3, '[>40]"84.3%";0.0"%"', "84.3%"),
    (10.3, '[>40]"84.3%";0.0"%"', "10.3%"),
    (48.3, '[Red][<=50]0.0;0', "48.3"),
    (48.3, '[$$-409]0.00', "$48.30"),
    (48.3, "0.0_)", "48.3 "),
    (48.3, "0.0*-", "48.3"),
    (48.3, '"about "0', "about 48"),
])
def test_number_formats(value: float, code: str, shown: str) -> None:
    assert format_number(value, code) == shown


@pytest.mark.parametrize("code", ["0.0E+00", "yyyy-mm-dd", "# ?/?", "@", "[h]:mm", '0" and "0', '"open',
                                  '[White]0.0"%"', '[Yellow]0.0', '[Color2]0.0', '[White]0;0'])
def test_unsupported_number_formats_are_refused(code: str) -> None:
    with pytest.raises(UnsupportedFormat):
        format_number(48.3, code)


# --- a deck read before, changed only in a part its slides lead to -------------------------------
# Each slide's reading is kept by the bytes of every part it can look at (editions share most
# slides): a change two relationships away must still be read.

def test_a_changed_workbook_is_read_after_the_same_deck_was_read_untouched(deck: Path) -> None:
    _, number = slide_of(deck, "48.3% did")
    before = {p.where: p for p in read_pptx(deck.read_bytes()).places}[f"slide {number} chart"].charts[0]
    assert before.problems == ()
    name, book = workbook_with(deck, "<v>48.3</v>", "<v>84.3</v>")
    replace_part(deck, name, book)  # the slide's own XML and the chart's are unchanged
    after = {p.where: p for p in read_pptx(deck.read_bytes()).places}[f"slide {number} chart"].charts[0]
    assert after.problems == ("embedded workbook cell Sheet1!B3 holds 84.3, the chart shows 48.3",)


def test_a_figure_added_to_a_slides_layout_is_read_after_the_same_deck_was_read_untouched(deck: Path) -> None:
    part, number = slide_of(deck, "48.3% did")
    assert "84.3%" not in {p.where: p for p in read_pptx(deck.read_bytes()).places}[f"slide {number}"].text
    rels = zipfile.ZipFile(deck).read(part.replace("slides/", "slides/_rels/") + ".rels").decode()
    layout = "ppt/slideLayouts/" + re.search(r'Target="\.\./slideLayouts/([^"]+)"', rels).group(1)
    rewrite(deck, {layout: lambda xml: add_shape(xml, text_box("In the control group, 84.3% did.", 600_000, 400_000))})
    assert "84.3%" in {p.where: p for p in read_pptx(deck.read_bytes()).places}[f"slide {number}"].text
