"""Built files → normalised text per location, with readers independent of the renderers.

PDFs are read with PDFium (one location per page); decks with python-pptx (slide text with its
table cells, slide notes, and each chart's category labels and values).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from clearfacts.output import STAMP_PREFIX
from clearfacts.verify.normalise import normalise


@dataclass(frozen=True)
class ChartValues:
    """What a chart really plots: the numbers a tamper in the XML would change."""

    categories: tuple[str, ...]
    values: tuple[float, ...]
    number_format: str

    def shown(self) -> tuple[float, ...]:
        """The values as the chart shows them: 0.483 under a 0.0% format reads 48.3."""
        percent = "%" in self.number_format and '"%"' not in self.number_format
        return tuple(v * 100 if percent else v for v in self.values)

    def labels(self) -> tuple[str, ...]:
        """The values as a reader sees them ("48.3%"), for the fact matrix."""
        unit = "%" if "%" in self.number_format else ""
        return tuple(f"{v:g}{unit}" for v in self.shown())


@dataclass(frozen=True)
class Place:
    """One readable location: "page 3", "slide 5", "slide 5 notes"."""

    where: str
    text: str  # normalised
    charts: tuple[ChartValues, ...] = ()


@dataclass
class Extracted:
    places: list[Place] = field(default_factory=list)
    stamp: str = ""
    units: int = 0  # pages or slides

    def joined(self) -> str:
        return " ".join(p.text for p in self.places)


def extract(name: str, data: bytes) -> Extracted:
    """Read one built output by its file type."""
    return extract_pptx(data) if name.endswith(".pptx") else extract_pdf(data)


def extract_pdf(data: bytes) -> Extracted:
    """PDFium (Chrome's PDF engine) reads the pages: independent of reportlab, which wrote them,
    and of pypdf, which imposed the print version, and ten times faster than pypdf's extraction."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        places = []
        for n in range(len(pdf)):
            page = pdf[n]
            textpage = page.get_textpage()
            places.append(Place(f"page {n + 1}", normalise(textpage.get_text_bounded())))
            textpage.close()
            page.close()
        keywords = pdf.get_metadata_dict().get("Keywords", "")
        return Extracted(places, _stamp(keywords), len(pdf))
    finally:
        pdf.close()


def extract_pptx(data: bytes) -> Extracted:
    from pptx import Presentation

    from clearfacts import pptx_xpath

    pptx_xpath.install()

    deck = Presentation(io.BytesIO(data))
    out = Extracted(stamp=_stamp(deck.core_properties.keywords or ""), units=len(deck.slides))
    for n, slide in enumerate(deck.slides, 1):
        texts: list[str] = []
        charts: list[ChartValues] = []
        for shape in slide.shapes:
            texts.extend(_shape_texts(shape))
            if getattr(shape, "has_chart", False) and shape.has_chart:
                charts.append(_chart_values(shape.chart))
        chart_text = " ".join(" ".join(c.categories + c.labels()) for c in charts)
        out.places.append(Place(f"slide {n}", normalise("\n".join(texts)), tuple(charts)))
        if chart_text:
            out.places.append(Place(f"slide {n} chart", normalise(chart_text), tuple(charts)))
        if slide.has_notes_slide:
            out.places.append(Place(f"slide {n} notes", normalise(slide.notes_slide.notes_text_frame.text)))
    return out


def _shape_texts(shape: object) -> list[str]:
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        return [shape.text_frame.text]
    if getattr(shape, "has_table", False) and shape.has_table:
        return [cell.text for row in shape.table.rows for cell in row.cells]
    if hasattr(shape, "shapes"):  # a group
        return [t for inner in shape.shapes for t in _shape_texts(inner)]
    return []


def _chart_values(chart: object) -> ChartValues:
    plot = chart.plots[0]
    series = plot.series[0]
    categories = tuple(str(c) for c in plot.categories)
    fmt = series.values and plot.data_labels.number_format if plot.has_data_labels else ""
    return ChartValues(categories, tuple(float(v) for v in series.values), fmt or "")


def _stamp(keywords: str) -> str:
    for word in keywords.split():
        if word.startswith(STAMP_PREFIX):
            return word
    return ""
