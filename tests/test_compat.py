"""Each compat helper against the real, pinned library: when an upgrade moves a private name one
of them relies on, the failure is here, named after the helper, not somewhere in a build."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import xmlchemy
from pptx.oxml.ns import qn
from pptx.util import Pt
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer

from clearfacts.render.pdf.compat_reportlab import (
    SpacedLines,
    at_top_of_frame,
    binary_streams,
    filled_share,
    free_height,
    set_document_time,
)
from clearfacts.render.pptx.compat import compiled_xpath, package_relationships, text_body

# --- python-pptx ---------------------------------------------------------------------------------


def _text_box():
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # "Blank"
    shape = slide.shapes.add_textbox(Pt(10), Pt(10), Pt(200), Pt(50))
    return prs, shape


def test_compiled_xpath_gives_the_same_answers_and_restores_the_method_on_exit_and_on_error():
    original = xmlchemy.BaseOxmlElement.xpath
    _, shape = _text_box()
    expected = shape.element.xpath("./p:nvSpPr/p:cNvPr")
    with compiled_xpath():
        assert xmlchemy.BaseOxmlElement.xpath is not original
        assert shape.element.xpath("./p:nvSpPr/p:cNvPr") == expected
    assert xmlchemy.BaseOxmlElement.xpath is original
    with pytest.raises(RuntimeError), compiled_xpath():
        raise RuntimeError("a build that fails half-way")
    assert xmlchemy.BaseOxmlElement.xpath is original


def test_text_body_is_the_frames_own_txbody():
    _, shape = _text_box()
    body = text_body(shape.text_frame)
    assert body is shape.element.find(qn("p:txBody"))
    body.find(qn("a:p")).set("marker", "1")  # what is written there is what the frame holds
    assert shape.element.find(f"{qn('p:txBody')}/{qn('a:p')}").get("marker") == "1"
    cell = Presentation().slides.add_slide(Presentation().slide_layouts[6]).shapes.add_table(
        1, 1, Pt(0), Pt(0), Pt(100), Pt(20)).table.cell(0, 0)
    assert text_body(cell.text_frame).tag == qn("a:txBody")


def test_package_relationships_list_the_package_level_ones_and_their_ids_can_be_dropped():
    prs = Presentation()
    package = prs.part.package
    rels = package_relationships(package)
    kinds = {reltype for _, reltype in rels}
    assert {RT.OFFICE_DOCUMENT, RT.THUMBNAIL} <= kinds
    assert RT.SLIDE_MASTER not in kinds  # a part's relationship, not the package's
    for rid, reltype in rels:
        if reltype == RT.THUMBNAIL:
            package.drop_rel(rid)
    out = io.BytesIO()
    prs.save(out)
    package_rels = zipfile.ZipFile(out).read("_rels/.rels")
    types = {e.get("Type") for e in etree.fromstring(package_rels)}
    assert RT.OFFICE_DOCUMENT in types
    assert RT.THUMBNAIL not in types


# --- reportlab -----------------------------------------------------------------------------------


def _one_page_pdf() -> bytes:
    buf = io.BytesIO()
    canv = Canvas(buf, pageCompression=1, invariant=1)
    canv.drawString(72, 720, "Call 911 if you cannot feel your feet.")
    canv.showPage()
    canv.save()
    return buf.getvalue()


def test_binary_streams_drops_ascii85_inside_and_restores_the_setting_on_exit_and_on_error():
    before = rl_config.useA85
    rl_config.useA85 = 1  # reportlab's default, whatever an earlier test left
    try:
        assert b"ASCII85Decode" in _one_page_pdf()  # the test would notice if it did nothing
        with binary_streams():
            assert rl_config.useA85 == 0
            pdf = _one_page_pdf()
        assert b"ASCII85Decode" not in pdf
        assert b"FlateDecode" in pdf
        assert rl_config.useA85 == 1
        with pytest.raises(RuntimeError), binary_streams():
            raise RuntimeError("a build that fails half-way")
        assert rl_config.useA85 == 1
    finally:
        rl_config.useA85 = before


def test_set_document_time_dates_the_pdf():
    when = datetime(2026, 3, 1, 12, 30, 5, tzinfo=UTC)
    buf = io.BytesIO()
    canv = Canvas(buf, invariant=1)
    set_document_time(canv, when.timestamp())
    canv.showPage()
    canv.save()
    info = PdfReader(buf).metadata
    assert info is not None
    assert info["/CreationDate"].startswith("D:20260301123005")
    assert info["/ModDate"].startswith("D:20260301123005")


def _frame() -> Frame:
    return Frame(0, 0, 200, 300, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def test_free_height_is_what_is_left_after_adding_a_flowable():
    frame = _frame()
    canv = Canvas(io.BytesIO())
    assert free_height(frame) == 300
    assert frame.add(Spacer(100, 120), canv)
    assert free_height(frame) == 180


def test_filled_share_is_the_part_of_the_frame_used():
    frame = _frame()
    canv = Canvas(io.BytesIO())
    assert filled_share(frame) == 0
    assert frame.add(Spacer(100, 120), canv)
    assert filled_share(frame) == pytest.approx(0.4)


class _Probe(Flowable):
    """Remembers, while drawn, whether anything was drawn above it in its frame."""

    def __init__(self) -> None:
        super().__init__()
        self.at_top: bool | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 100, 20

    def draw(self) -> None:
        self.at_top = at_top_of_frame(self)


def test_at_top_of_frame_is_true_only_for_the_first_flowable_drawn():
    frame = _frame()
    canv = Canvas(io.BytesIO())
    first, second = _Probe(), _Probe()
    assert frame.add(first, canv)
    assert frame.add(second, canv)
    assert (first.at_top, second.at_top) == (True, False)


def test_spaced_lines_end_each_wrapped_line_of_every_alignment_in_a_space_and_nothing_else():
    """platypus ends each line it wraps through `_textOut(text, 1)`: a space after its last word,
    none after a hyphen where a word goes on; `drawString` stays as it was."""

    class Spaced(Canvas):
        def beginText(self, x=0, y=0, direction=None):  # noqa: N802 - reportlab's name
            return SpacedLines(self, x, y, direction=direction)

    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa extra\u00adordinarily lambda"
    said = text.replace("\u00ad", "-").split()
    for alignment in (TA_LEFT, TA_JUSTIFY, TA_CENTER, TA_RIGHT):
        for markup in (text, text.replace("gamma", "<b>gamma</b>")):  # plain words, and runs of styled text
            out = io.BytesIO()
            canv = Spaced(out, pageCompression=0)
            para = Paragraph(markup, ParagraphStyle("s", fontName="Helvetica", fontSize=10, leading=12,
                                                    alignment=alignment))
            para.wrap(48, 500)
            para.drawOn(canv, 100, 600)
            canv.drawString(10, 10, "single line")
            canv.save()
            lines = [line.lstrip() for line in _shown_text(out).split("\n") if line]
            assert lines[-1] == "single line" and len(lines) == 11, lines
            assert [line for line in lines[:-1] if not line.endswith(" ")] == ["extra-"], lines
            assert "".join(lines[:-1]).split() == said  # the lines joined as poppler joins them


def _shown_text(pdf: io.BytesIO) -> str:
    """The first page's text as its text operators show it, spaces and line ends included."""
    shown: list[str] = []
    PdfReader(pdf).pages[0].extract_text(visitor_text=lambda text, *_: shown.append(text))
    return "".join(shown)
