"""The workbook embedded in a chart must hold the numbers the chart shows: PowerPoint's "Edit
Data" opens it, and the next edit redraws the chart from it. Read with zipfile + lxml (shared
strings, cell values) over the ranges the series formulas (`c:f`) name.

A chart whose formulas name no sheet range (LibreOffice writes "categories" and "0" and drops
the workbook) or that has no workbook has nothing to compare.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile

from lxml import etree

from clearfacts.verify.pptx_package import NS, PACKAGE, Package, tag

_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def workbook_problems(pkg: Package, chart_part: str, chart: etree._Element) -> list[str]:
    """Each cell of the workbook that disagrees with the chart's cached values or categories."""
    link = chart.find("c:externalData", NS)
    target = pkg.target(chart_part, link.get(tag("r:id")) if link is not None else None)
    if target is None:
        target = pkg.related(chart_part, PACKAGE)
    if target is None:
        return []
    refs = [(ref.findtext("c:f", "", NS), ref) for ref in chart.iter(tag("c:numRef"), tag("c:strRef"))]
    refs = [(f, ref) for f, ref in refs if _REF.match(f.strip())]
    if not refs:
        return []
    try:
        book = _Workbook(pkg.read(target))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError):
        return ["the embedded workbook cannot be read (PowerPoint's Edit Data would not show these values)"]
    problems = []
    for formula, ref in refs:
        cached = {int(pt.get("idx", "0")): pt.findtext("c:v", "", NS) for pt in ref.iterfind(".//c:pt", NS)}
        numeric = ref.tag == tag("c:numRef")
        try:
            cells = book.cells(formula.strip())
        except KeyError:
            problems.append(f"the embedded workbook has no sheet for {formula.strip()}")
            continue
        for n, (address, cell) in enumerate(cells):
            if n not in cached:
                continue
            if not _same(cell, cached[n], numeric):
                shown = cell if cell is not None else "nothing"
                problems.append(f"embedded workbook cell {address} holds {shown}, the chart shows {cached[n]}")
    return problems


def _same(cell: str | None, cached: str, numeric: bool) -> bool:
    if cell is None:
        return False
    if not numeric:
        return cell.strip() == cached.strip()
    try:
        return math.isclose(float(cell), float(cached), rel_tol=1e-9, abs_tol=1e-12)
    except ValueError:
        return False


class _Workbook:
    def __init__(self, data: bytes):
        self.pkg = Package(data)
        book = self.pkg.related("", _OFFICE_DOC) or "xl/workbook.xml"
        self.sheets: dict[str, str] = {}
        for sheet in self.pkg.xml(book).iterfind("x:sheets/x:sheet", NS):
            part = self.pkg.target(book, sheet.get(tag("r:id")))
            if part:
                self.sheets[sheet.get("name", "")] = part
        shared = posixpath.join(posixpath.dirname(book), "sharedStrings.xml")
        self.strings = [
            "".join(t.text or "" for t in si.iter(tag("x:t")))
            for si in self.pkg.xml(shared).iterfind("x:si", NS)] if shared in self.pkg.names else []
        self._values: dict[str, dict[str, str]] = {}

    def cells(self, formula: str) -> list[tuple[str, str | None]]:
        """(address, value) of each cell of a one-row or one-column range, in order."""
        m = _REF.match(formula)
        if m is None:
            return []
        sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
        first_col, first_row = m.group(3), int(m.group(4))
        last_col, last_row = m.group(5) or first_col, int(m.group(6) or first_row)
        values = self._sheet(sheet)
        cols = range(_column(first_col), _column(last_col) + 1)
        rows = range(first_row, last_row + 1)
        addresses = [f"{_letters(c)}{r}" for r in rows for c in cols]
        return [(f"{sheet}!{a}", values.get(a)) for a in addresses]

    def _sheet(self, name: str) -> dict[str, str]:
        if name not in self._values:
            part = self.sheets.get(name)
            if part is None:
                raise KeyError(name)
            self._values[name] = {c.get("r", ""): self._value(c) for c in self.pkg.xml(part).iter(tag("x:c"))}
        return self._values[name]

    def _value(self, cell: etree._Element) -> str:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            return "".join(t.text or "" for t in cell.iter(tag("x:t")))
        raw = cell.findtext("x:v", "", NS)
        if kind == "s" and raw.isdigit() and int(raw) < len(self.strings):
            return self.strings[int(raw)]
        return raw


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out
