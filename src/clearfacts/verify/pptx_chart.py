"""A chart as its audience reads it: each value's data label printed through its number format
(point, series, then plot level, as PowerPoint resolves them), custom label text, the title, and
what the embedded workbook would show after "Edit Data".

`read_chart` returns a `DisplayedChart`: a `ChartValues` whose `labels()` are the label strings
as displayed and whose `shown()` are the numbers those labels print, so `0"%"` turning 48.3
into "48%" is read as 48. What cannot be vouched for (a number format outside the supported
subset, a workbook that disagrees with the chart, values without labels) is in `problems`.
"""

from __future__ import annotations

import math

from lxml import etree
from msgspec import Struct

from clearfacts.numbers import numbers_in
from clearfacts.verify.extracted import ChartValues
from clearfacts.verify.numfmt import UnsupportedFormat, format_number
from clearfacts.verify.pptx_package import NS, Package, tag
from clearfacts.verify.pptx_style import MIN_CONTRAST, MIN_POINTS, Colour, contrast
from clearfacts.verify.pptx_workbook import workbook_problems

_DEFAULT_POINTS = 10.0  # a chart's text size when nothing sets one
_FIELDS = {"VALUE": "value", "CATEGORYNAME": "category", "SERIESNAME": "series"}


class DisplayedChart(ChartValues, frozen=True):
    """Per value (all series, in order): the label as displayed (None: no visible label) and the
    part of it that prints the value; the chart's own words; labels too small to read."""

    label_texts: tuple[str | None, ...] = ()
    value_texts: tuple[str | None, ...] = ()
    words: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()

    def shown(self) -> tuple[float, ...]:
        """The numbers the labels print (NaN where a value has no readable label)."""
        return tuple(_number(text) for text in self.value_texts)

    def labels(self) -> tuple[str, ...]:
        return tuple(text for text in self.label_texts if text)


def _number(text: str | None) -> float:
    if not text:
        return math.nan
    found = numbers_in(text)
    if not found:
        return math.nan
    accounting = text.strip().startswith("(") and text.strip().endswith(")")  # 0;(0) shows -5 as (5)
    return -abs(found[0]) if accounting else found[0]


class _Label(Struct, frozen=True):
    text: str | None
    value: str | None
    small: bool = False
    problem: str = ""
    faint: bool = False  # drawn in (nearly) the colour behind it


def read_chart(pkg: Package, part: str) -> DisplayedChart:
    """Every series of every plot; categories from the first series."""
    root = pkg.xml(part)
    plot_area = root.find("c:chart/c:plotArea", NS)
    plots = list(plot_area.iterfind("*[c:ser]", NS)) if plot_area is not None else []
    default = _size(root.find("c:txPr", NS)) or _DEFAULT_POINTS
    categories: tuple[str, ...] = ()
    values: list[float] = []
    labels: list[_Label] = []
    source_format = ""
    for plot in plots:
        for series in plot.iterfind("c:ser", NS):
            if not categories:
                categories = tuple(v.text or "" for v in _points(series.find("c:cat", NS)))
            name = " ".join(t.text or "" for t in series.iterfind("c:tx//c:v", NS))
            cache = series.find("c:val//c:numCache", NS)
            source_format = source_format or (cache.findtext("c:formatCode", "", NS) if cache is not None else "")
            for pt in _sorted(series.find("c:val", NS)):
                value = _float(pt.findtext("c:v", "nan", NS))
                values.append(value)
                category = _category(series, pt.get("idx", "0"))
                code = pt.get("formatCode") or (cache.findtext("c:formatCode", "", NS) if cache is not None else "")
                labels.append(_label(pt.get("idx", "0"), value, code, (series, plot), category, name, default, root))
    problems = [lb.problem for lb in labels if lb.problem]
    if labels and all(lb.text is None and not lb.problem for lb in labels):
        problems.append("the values have no data labels, so the audience cannot read them")
    if any(lb.small and lb.text for lb in labels):
        problems.append(f"data labels are smaller than {MIN_POINTS:g} pt, so the audience cannot read them")
    if any(lb.faint and lb.text for lb in labels):
        problems.append("data labels are drawn in nearly the colour behind them, so the audience cannot read them")
    problems += workbook_problems(pkg, part, root)
    chosen = next((_format_code(series, plot) for plot in plots for series in plot.iterfind("c:ser", NS)), "")
    return DisplayedChart(
        categories, tuple(values), chosen or source_format,
        label_texts=tuple(lb.text if not (lb.small or lb.faint) else None for lb in labels),
        value_texts=tuple(lb.value if not (lb.small or lb.faint) else None for lb in labels),
        words=tuple(w for w in (_words(root.find("c:chart/c:title", NS)), *(
            _words(axis.find("c:title", NS)) for axis in (plot_area if plot_area is not None else ()))) if w),
        hidden_labels=tuple(lb.text for lb in labels if (lb.small or lb.faint) and lb.text),
        problems=tuple(dict.fromkeys(problems)),
    )


def _points(ref: etree._Element | None) -> list[etree._Element]:
    return [pt.find("c:v", NS) for pt in _sorted(ref) if pt.find("c:v", NS) is not None]


def _sorted(ref: etree._Element | None) -> list[etree._Element]:
    if ref is None:
        return []
    cache = next((c for c in ref.iter(tag("c:numCache"), tag("c:strCache"), tag("c:numLit"), tag("c:strLit"))), None)
    found = cache.iterfind("c:pt", NS) if cache is not None else ()
    return sorted(found, key=lambda pt: int(pt.get("idx", "0")))


def _category(series: etree._Element, idx: str) -> str:
    return next((pt.findtext("c:v", "", NS) for pt in _sorted(series.find("c:cat", NS)) if pt.get("idx") == idx), "")


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def _format_code(series: etree._Element, plot: etree._Element) -> str:
    for level in (series.find("c:dLbls", NS), plot.find("c:dLbls", NS)):
        fmt = level.find("c:numFmt", NS) if level is not None else None
        if fmt is not None and fmt.get("sourceLinked") not in ("1", "true"):
            return fmt.get("formatCode", "")
    return ""


def _label(idx: str, value: float, source: str, owners: tuple[etree._Element, etree._Element], category: str,
           series_name: str, default: float, root: etree._Element) -> _Label:
    """One value's data label: the point's own settings, else the series', else the plot's, else
    the chart's (`default` size; `root`, the chart, for its colours)."""
    series_labels, plot_labels = (owner.find("c:dLbls", NS) for owner in owners)
    point = _point_label(series_labels, idx)
    levels = [lv for lv in (point, series_labels, plot_labels) if lv is not None]
    if next((_flag(lv, "delete") for lv in levels if lv.find("c:delete", NS) is not None), False):
        return _Label(None, None)
    small = (_first_size(levels) or default) < MIN_POINTS
    faint = _faint(idx, owners[0], levels, root)
    rich = point.find("c:tx/c:rich", NS) if point is not None else None
    show_value = _shown(levels, "showVal") or rich is not None
    value_text, problem = None, ""
    if show_value:
        fmt = next((lv.find("c:numFmt", NS) for lv in levels if lv.find("c:numFmt", NS) is not None), None)
        code = source if fmt is None or fmt.get("sourceLinked") in ("1", "true") else fmt.get("formatCode", "")
        try:
            value_text = format_number(value, code)
        except UnsupportedFormat as exc:
            problem = f"data label number format not supported: {exc}"
    if rich is not None:
        text, uses_value = _rich(rich, {"value": value_text or "", "category": category, "series": series_name})
        return _Label(text or None, text or None, small, problem if uses_value else "", faint)
    parts = [series_name if _shown(levels, "showSerName") else "", category if _shown(levels, "showCatName") else "",
             value_text or "", _range_text(owners[0], idx, levels)]
    separator = next((lv.findtext("c:separator", None, NS) for lv in levels
                      if lv.find("c:separator", NS) is not None), ", ")
    text = separator.join(p for p in parts if p) or None
    return _Label(text, value_text, small, problem, faint)


_WHITE = Colour((1.0, 1.0, 1.0))
_INSIDE = ("inEnd", "ctr", "inBase")  # label positions on the bar itself


def _faint(idx: str, series: etree._Element, levels: list[etree._Element], root: etree._Element) -> bool:
    """A label whose own colour (an sRGB fill in its text properties) is nearly the colour it sits
    on: its bar's when placed inside the bar, else the chart's (white unless filled). Colours
    this cannot work out are not judged."""
    ink = next((c for lv in levels if (c := _srgb(lv.find("c:txPr", NS))) is not None), None) or \
        _srgb(root.find("c:txPr", NS))  # the chart's own text default
    if ink is None:
        return False
    place = next((lv.find("c:dLblPos", NS).get("val", "") for lv in levels if lv.find("c:dLblPos", NS) is not None),
                 "outEnd")
    if place in _INSIDE:
        point = next((pt for pt in series.iterfind("c:dPt", NS)
                      if (number := pt.find("c:idx", NS)) is not None and number.get("val") == idx), None)
        behind = _srgb(point.find("c:spPr", NS), text=False) if point is not None else None
        behind = behind or _srgb(series.find("c:spPr", NS), text=False)
    else:
        behind = _srgb(root.find("c:spPr", NS), text=False) or _WHITE
    return behind is not None and contrast(ink, behind) < MIN_CONTRAST


def _srgb(props: etree._Element | None, text: bool = True) -> Colour | None:
    """The first solid sRGB fill in text properties (`text`) or in a shape's own properties."""
    if props is None:
        return None
    fill = props.find(".//a:defRPr/a:solidFill/a:srgbClr" if text else "a:solidFill/a:srgbClr", NS)
    if fill is None and text:
        fill = props.find(".//a:rPr/a:solidFill/a:srgbClr", NS)
    value = fill.get("val", "") if fill is not None else ""
    if len(value) != 6:
        return None
    try:
        return Colour(tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)))  # type: ignore[arg-type]
    except ValueError:
        return None


def _point_label(series_labels: etree._Element | None, idx: str) -> etree._Element | None:
    if series_labels is None:
        return None
    for label in series_labels.iterfind("c:dLbl", NS):
        found = label.find("c:idx", NS)
        if found is not None and found.get("val") == idx:
            return label
    return None


def _flag(level: etree._Element, name: str) -> bool:
    found = level.find(f"c:{name}", NS)
    return found is not None and found.get("val", "1") in ("1", "true")


def _shown(levels: list[etree._Element], name: str) -> bool:
    found = next((lv.find(f"c:{name}", NS) for lv in levels if lv.find(f"c:{name}", NS) is not None), None)
    return found is not None and found.get("val", "1") in ("1", "true")


def _range_text(series: etree._Element, idx: str, levels: list[etree._Element]) -> str:
    """Office 2013's "value from cells" labels (c15:datalabelsRange)."""
    if not any(lv.find(".//c15:showDataLabelsRange[@val='1']", NS) is not None for lv in levels):
        return ""
    cache = series.find(".//c15:datalabelsRange/c15:dlblRangeCache", NS)
    return next((pt.findtext("c:v", "", NS) for pt in (cache.iterfind("c:pt", NS) if cache is not None else ())
                 if pt.get("idx") == idx), "")


def _first_size(levels: list[etree._Element]) -> float | None:
    for level in levels:
        size = _size(level.find("c:txPr", NS))
        if size is not None:
            return size
    return None


def _size(props: etree._Element | None) -> float | None:
    if props is None:
        return None
    sizes = [int(d.get("sz")) / 100 for d in props.iter(tag("a:defRPr"), tag("a:rPr")) if (d.get("sz") or "").isdigit()]
    return min(sizes) if sizes else None


def _rich(rich: etree._Element, fields: dict[str, str]) -> tuple[str, bool]:
    """A custom label's text, its [VALUE]-style fields filled in as PowerPoint does, and whether
    it prints the value."""
    out = []
    uses_value = False
    for para in rich.iterfind("a:p", NS):
        for node in para:
            if node.tag == tag("a:fld"):
                kind = _FIELDS.get((node.get("type") or "").upper())
                uses_value = uses_value or kind == "value"
                out.append(fields[kind] if kind else node.findtext("a:t", "", NS))
            elif node.tag == tag("a:r"):
                out.append(node.findtext("a:t", "", NS))
        out.append("\n")
    return "".join(out).strip(), uses_value


def _words(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return " ".join(t.text or "" for t in element.iter(tag("a:t"))).strip()
