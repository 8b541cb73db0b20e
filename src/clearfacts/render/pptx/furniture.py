"""Slide furniture: the slide number on every slide but the title, and the closing slide's review
date, each in the placeholder PowerPoint keeps for it (`sldNum`, `dt`).

The placeholder type is what tells an office suite, a screen reader and the deck's own reader
(`verify/read_pptx.py`) what the text is: the slide number is a `slidenum` field, which
PowerPoint and LibreOffice renumber when a facilitator adds or moves a slide, and which the
reader takes for a slide number only when it shows that slide's number. The shapes are written
as XML in one go (a slide has two at most), which is cheaper than python-pptx's proxies.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from pptx.dml.color import RGBColor
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.slide import Slide, SlideLayout

from clearfacts.render import fonts
from clearfacts.render.pptx.layout import Box

FOOTER_SIZE = 20  # points: read from the back of the room, smaller than body text
FOOTER_HEIGHT = 28.0
# The field id is any fixed GUID: a random one would make two builds differ.
_FIELD_ID = "{5C9B6E1A-2F4D-4B8E-9C3A-7D1E0F2A6B48}"
_DEFAULT_IDX = {"sldNum": "12", "dt": "10"}


def footer_boxes(width: float, height: float, margin: float, bottom: float) -> tuple[Box, Box]:
    """(date box at the left, slide-number box at the right) in the band under the body area:
    `margin` in from each side, `bottom` the height of the band."""
    y = height - bottom + (bottom - FOOTER_HEIGHT) / 2
    return Box(margin, y, width / 2 - margin, FOOTER_HEIGHT), Box(width - margin - 120, y, 120, FOOTER_HEIGHT)


def placeholder_indexes(layout: SlideLayout) -> dict[str, str]:
    """The index of the layout's own `sldNum` and `dt` placeholders (PowerPoint matches a slide's
    placeholder to its layout's by index), or the usual ones when the layout has none."""
    found = dict(_DEFAULT_IDX)
    for ph in layout.placeholders:
        element = ph.element.find(f".//{qn('p:ph')}")
        if element is not None and element.get("type") in found:
            found[element.get("type", "")] = element.get("idx", found[element.get("type", "")])
    return found


def add_slide_number(slide: Slide, number: int, box: Box, lang: str, colour: RGBColor, idx: str) -> None:
    run = (f'<a:fld id="{_FIELD_ID}" type="slidenum">{_run_properties(lang, colour)}'
           f"<a:t>{number}</a:t></a:fld>")
    _add(slide, "sldNum", idx, "Slide Number", box, "r", run)


def add_date(slide: Slide, text: str, box: Box, lang: str, colour: RGBColor, idx: str) -> None:
    _add(slide, "dt", idx, "Date", box, "l", f"<a:r>{_run_properties(lang, colour)}<a:t>{escape(text)}</a:t></a:r>")


def _run_properties(lang: str, colour: RGBColor) -> str:
    return (f'<a:rPr lang={quoteattr(lang)} sz="{FOOTER_SIZE * 100}" dirty="0"><a:solidFill><a:srgbClr val="{colour}"/>'
            f'</a:solidFill><a:latin typeface="{fonts.DECK_THEME_FONT}"/></a:rPr>')


def _add(slide: Slide, kind: str, idx: str, name: str, box: Box, align: str, runs: str) -> None:
    """A placeholder of `kind` at `box` (points), its text frame fixed as every other's."""
    tree = slide.shapes.element  # the p:spTree; python-pptx adds no footer placeholders
    emu = [round(v * 12700) for v in (box.x, box.y, box.w, box.h)]
    xml = (f"<p:sp {nsdecls('p', 'a')}><p:nvSpPr><p:cNvPr id=\"{tree.max_shape_id + 1}\" name=\"{name}\"/>"
           f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="{kind}" sz="quarter" '
           f'idx="{idx}"/></p:nvPr></p:nvSpPr><p:spPr><a:xfrm>'
           f'<a:off x="{emu[0]}" y="{emu[1]}"/><a:ext cx="{emu[2]}" cy="{emu[3]}"/></a:xfrm></p:spPr>'
           f'<p:txBody><a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr"><a:noAutofit/>'
           f'</a:bodyPr><a:lstStyle/><a:p><a:pPr algn="{align}"/>{runs}</a:p></p:txBody></p:sp>')
    tree.insert_element_before(parse_xml(xml), "p:extLst")  # python-pptx's parser: its proxies can read it

