"""Measured layout elements → python-pptx shapes: text boxes, native tables and charts, QR codes.

Every run gets an explicit font, size and language, so what was measured is what is shown and a
test (or a screen reader) can read both back. Fills that carry text use fixed dark-on-light
colours, so a clinic template cannot drop their contrast.
"""

from __future__ import annotations

import io
from functools import lru_cache
from urllib.parse import urlsplit

import segno
from pptx.chart.chart import Chart as PptxChart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.shapes.base import BaseShape
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Pt

from clearfacts.errors import ContentError, Finding
from clearfacts.model import Chart
from clearfacts.render import fonts, palette
from clearfacts.render.labels import labels_in
from clearfacts.render.pptx.contrast import PanelBox, draw_panel
from clearfacts.render.pptx.icon_array import IconsBox, draw_icons
from clearfacts.render.pptx.layout import (
    CALLOUT_INSET,
    CELL_INSET_X,
    CELL_INSET_Y,
    INSET_X,
    INSET_Y,
    PARA_SPACE,
    QR_SIZE,
    Box,
    ChartBox,
    Element,
    Para,
    QrBox,
    TableBox,
    TextBox,
)
from clearfacts.render.pptx.runs import set_frame, set_paragraphs
from clearfacts.render.pptx.template import ACCENT, rgb

INK = rgb(palette.INK)
TINT = rgb(palette.TINT)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
BAND = RGBColor(0xF2, 0xF4, 0xF7)  # alternate table rows; INK on it is still > 15:1
CHART_TEXT, CHART_LABEL, CHART_TITLE = 24, 28, 24  # points: read from the back of the room
# The second bar of a chart, and the second key figure: an orange that people with red-green colour
# blindness tell from the navy (4.2:1 on white, for a bar); a figure, which is text, in a darker
# orange (7:1). The first is the accent. Never colour alone: every bar carries its value and
# category, every figure its caption.
SECOND_BAR, SECOND_FIGURE = rgb("C65F00"), rgb("8A4500")
_ANCHORS = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}
QR_BORDER = 1  # modules of white around a code (a white slide gives it the rest): see layout.QR_BOX


def fill_frame(tf: TextFrame, paras: tuple[Para, ...], lang: str, inset: tuple[float, float] = (INSET_X, INSET_Y),
               colour: RGBColor | None = None, *, accent: RGBColor = ACCENT, space: float = PARA_SPACE) -> None:
    """Replace a frame's text with `paras`; the frame never resizes or shrinks the text itself.
    Bullets are in `accent` (the house navy, or an edition's brand colour)."""
    set_frame(tf, inset)
    part = tf.part

    def link(url: str) -> str:
        return part.relate_to(url, RT.HYPERLINK, is_external=True)

    set_paragraphs(tf, paras, lang, colour, accent, space, link)


def add_element(slide: Slide, el: Element, lang: str, accent: RGBColor = ACCENT) -> None:
    """One planned element as shapes; `accent` colours bullets, table headers and chart columns."""
    match el:
        case TextBox():
            _text_box(slide, el, lang, accent)
        case TableBox():
            _table(slide, el, lang, accent)
        case ChartBox():
            _chart(slide, el, lang, accent)
        case QrBox():
            _qr(slide, el, lang)
        case IconsBox():
            draw_icons(slide, el, accent)
        case PanelBox():
            draw_panel(slide, el)


def _text_box(slide: Slide, el: TextBox, lang: str, accent: RGBColor) -> None:
    b = el.box
    shape = slide.shapes.add_textbox(Pt(b.x), Pt(b.y), Pt(b.w), Pt(b.h))
    if el.callout:
        shape.name = "Call-out"
        shape.fill.solid()
        shape.fill.fore_color.rgb = TINT
        fill_frame(shape.text_frame, el.paras, lang, (CALLOUT_INSET, CALLOUT_INSET), INK, accent=accent)
    elif el.tone is not None:
        shape.name = "Key figure"
        fill_frame(shape.text_frame, el.paras, lang, colour=accent if el.tone == 0 else SECOND_FIGURE, accent=accent)
    else:
        shape.name = "Bullets" if any(p.bullet for p in el.paras) else "Text"
        fill_frame(shape.text_frame, el.paras, lang, accent=accent, space=el.space)
    # Boxes are measured as if 7% narrower than drawn: when the text wraps to a line fewer than
    # measured, the spare line goes where `arrange` says, away from the block next to it.
    shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE if el.callout else _ANCHORS[el.anchor]


def _table(slide: Slide, el: TableBox, lang: str, accent: RGBColor) -> None:
    """A native table: header row white on the accent, body rows dark on white or light grey."""
    b = el.box
    frame = slide.shapes.add_table(len(el.cells), len(el.widths), Pt(b.x), Pt(b.y), Pt(b.w), Pt(b.h))
    frame.name = "Table"
    table = frame.table
    table.first_row, table.horz_banding = True, False
    for column, width in zip(table.columns, el.widths, strict=True):
        column.width = Pt(width)
    for r, (row, height) in enumerate(zip(table.rows, el.heights, strict=True)):
        row.height = Pt(height)
        for cell, para in zip(row.cells, el.cells[r], strict=True):
            cell.fill.solid()
            cell.fill.fore_color.rgb = accent if r == 0 else (WHITE if r % 2 else BAND)
            cell.vertical_anchor = MSO_ANCHOR.TOP
            fill_frame(cell.text_frame, (para,), lang, (CELL_INSET_X, CELL_INSET_Y), WHITE if r == 0 else INK)
            cell.margin_left = cell.margin_right = Pt(CELL_INSET_X)
            cell.margin_top = cell.margin_bottom = Pt(CELL_INSET_Y)


def chart_values(chart: Chart) -> tuple[list[float], str]:
    """The facts' raw values and an Excel number format that prints them as their display form."""
    try:
        values = [float(fact.value) for fact in chart.values]
    except ValueError:
        bad = next(f for f in chart.values if not _is_number(f.value))
        message = f"chart fact '{bad.id}' has the value '{bad.value}', which is not a number"
        raise ContentError(Finding(chart.loc.path, chart.loc.line, message)) from None
    decimals = max((len(f.value.partition(".")[2]) for f in chart.values), default=0)
    number = "0" + ("." + "0" * decimals if decimals else "")
    percent = all(f.display.endswith("%") for f in chart.values)
    return values, number + '"%"' if percent else number


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _chart(slide: Slide, el: ChartBox, lang: str, accent: RGBColor) -> None:
    """A native column chart: values from the fact registry, labels on the bars, no axis clutter."""
    values, number_format = chart_values(el.chart)
    data = CategoryChartData(number_format=number_format)
    data.categories = [c.text for c in el.chart.categories]
    data.add_series(el.chart.series.text, values)
    b = el.box
    frame = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Pt(b.x), Pt(b.y), Pt(b.w), Pt(b.h), data)
    frame.name = "Chart"
    described = "; ".join(f"{c.text}: {f.display}" for c, f in zip(el.chart.categories, el.chart.values, strict=True))
    _describe(frame, labels_in(lang)("chart", title=el.chart.title.text, values=described))
    chart = frame.chart
    chart.font.name, chart.font.size, chart.font.color.rgb = fonts.DECK_THEME_FONT, Pt(CHART_TEXT), INK
    chart.has_legend = False
    chart.has_title = True
    title = chart.chart_title.text_frame
    title.text = el.chart.title.text
    for run in title.paragraphs[0].runs:
        run.font.size, run.font.bold, run.font.name = Pt(CHART_TITLE), True, fonts.DECK_THEME_FONT
    plot = chart.plots[0]
    plot.gap_width, plot.vary_by_categories = 60, False
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = accent
    for i in range(1, len(values)):  # each bar its own colour, the first the accent (see SECOND_BAR)
        fill = series.points[i].format.fill
        fill.solid()
        fill.fore_color.rgb = SECOND_BAR if i % 2 else accent
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = number_format, False
    labels.position, labels.show_value = XL_LABEL_POSITION.OUTSIDE_END, True
    labels.font.size, labels.font.bold, labels.font.color.rgb = Pt(CHART_LABEL), True, INK
    _axes(chart)


def _axes(chart: PptxChart) -> None:
    """Labels on the bars carry the numbers, so the value axis is hidden but still starts at 0."""
    values = chart.value_axis
    values.minimum_scale = 0
    values.has_major_gridlines = False
    values.visible = False
    values.tick_labels.font.size = Pt(CHART_TEXT)
    categories = chart.category_axis
    categories.tick_labels.font.size = Pt(CHART_TEXT)
    categories.tick_labels.font.color.rgb = INK
    categories.format.line.color.rgb = INK


def _qr(slide: Slide, el: QrBox, lang: str) -> None:
    """A QR code picture whose alt text says where it leads (not "image.png")."""
    png, modules = _qr_png(el.url)
    # Every code's dark square is QR_SIZE, so all are projected at one size whatever their
    # number of modules; with its white border it fits the planned box (QR_BOX), centred.
    b = el.box
    side = QR_SIZE * (modules + 2 * QR_BORDER) / modules
    edge = (b.w - side) / 2
    picture = slide.shapes.add_picture(io.BytesIO(png), Pt(b.x + edge), Pt(b.y + edge), Pt(side), Pt(side))
    host = urlsplit(el.url).hostname or el.url
    labels = labels_in(lang)
    picture.name = labels("qr_name", host=host)
    _describe(picture, labels("qr_opens", host=host.removeprefix("www."), label=el.label))


@lru_cache(maxsize=64)
def _qr_png(url: str) -> tuple[bytes, int]:
    """A code's PNG and its side in modules, made once per address (each language's deck and
    each edition show the same codes)."""
    png = io.BytesIO()
    # Level L: a projected code is never scuffed, and fewer modules scan from further back.
    code = segno.make(url, error="l")
    code.save(png, kind="png", scale=8, border=QR_BORDER)
    return png.getvalue(), code.symbol_size(border=0)[0]


def _describe(shape: BaseShape, text: str) -> None:
    """Alt text lives in the shape's cNvPr/@descr; python-pptx has no setter for it, so it is set
    through the shape's public `element`."""
    shape.element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def add_logo(slide: Slide, data: bytes, alt: str, box: Box) -> None:
    """An edition's logo at the largest size that fits `box` (points), aspect ratio kept,
    right- and top-aligned in it; the image's bytes are stored as given, its alt text is the
    edition's."""
    from pptx.parts.image import Image

    width, height = Image.from_blob(data).size
    scale = min(box.w / width, box.h / height)
    w, h = width * scale, height * scale
    picture = slide.shapes.add_picture(io.BytesIO(data), Pt(box.x + box.w - w), Pt(box.y), Pt(w), Pt(h))
    picture.name = "Logo"
    _describe(picture, alt)
