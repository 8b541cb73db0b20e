"""Charts as a reader sees them: on a slide, the plotted values through their label format; on
paper, the table of category and value that stands for the chart."""

from __future__ import annotations

import math

from clearfacts.errors import Finding
from clearfacts.model import Chart
from clearfacts.numbers import chart_number
from clearfacts.verify.extracted import Extracted, Place
from clearfacts.verify.normalise import normalise
from clearfacts.verify.text import contains


def check_slide_chart(name: str, where: str, chart: Chart, places: dict[str, Place]) -> list[Finding]:
    place = places.get(where)
    plotted = place.charts[0] if place and place.charts else None
    if plotted is None:
        return [Finding(name, None, f"{where}: chart not found (facts {', '.join(f.id for f in chart.values)})")]
    out = [Finding(name, None, f"{where}: {problem}") for problem in plotted.problems]
    for fact, value in zip(chart.values, plotted.shown(), strict=False):
        expected = chart_number(fact.value)
        if math.isnan(value) and plotted.problems:
            continue  # already said why no value can be read
        if not math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-9):
            out.append(Finding(name, None, f"{where}: altered fact {fact.id}: chart shows {value:g}, "
                                           f"expected {expected:g}", fact.id))
    if len(plotted.values) != len(chart.values):
        out.append(Finding(name, None, f"{where}: chart has {len(plotted.values)} values, "
                                       f"expected {len(chart.values)}"))
    return out


def check_paper_chart(name: str, chart: Chart, got: Extracted) -> list[Finding]:
    """On paper a chart is printed as a table of category and value: each category must be
    followed by its fact's display form, on the page that shows the chart's title."""
    title = normalise(chart.title.text)
    page = next((p for p in got.places if contains(p.text, title)), None)
    if page is None:
        ids = ", ".join(f.id for f in chart.values)
        return [Finding(name, None, f"chart '{chart.title.text}' not found (facts {ids})")]
    text = page.text[page.text.find(title):]
    out = []
    for category, fact in zip(chart.categories, chart.values, strict=True):
        label, display = normalise(category.text), normalise(fact.display)
        if contains(text, f"{label} {display}"):
            continue
        at = text.find(label + " ")
        found = " ".join(text[at + len(label):].split()[:len(display.split())]) if at >= 0 else ""
        what = f"altered fact {fact.id}: found {found}, expected {display}" if found else f"fact {fact.id} not found"
        out.append(Finding(name, None, f"{page.where} chart: {what}", fact.id))
    return out
