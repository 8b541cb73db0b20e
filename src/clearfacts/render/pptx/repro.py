"""Byte-identical PPTX files: python-pptx and XlsxWriter write the clock into zip entries and
document properties; these helpers replace every such time with the build's fixed one. The build
stamp is written twice: in the keywords, and as a custom document property, which office suites
keep as written when they re-save a deck (a user may retype keywords).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.presentation import Presentation

ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the earliest time a zip entry can carry
ZIP_LAST = dt.datetime(2107, 12, 31, 23, 59, 58)  # the latest (its year is 7 bits from 1980)
_FIRST = ("[Content_Types].xml", "_rels/.rels")  # where Office and most readers expect them
STAMP_PROPERTY = "clearfacts-stamp"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id Office uses for user properties
_CORE_DATE = re.compile(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def utc_naive(when: dt.datetime) -> dt.datetime:
    """python-pptx writes datetimes with a literal "Z": hand it UTC without tzinfo."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when


def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same archive with fixed entry times (`when`, brought into the years a zip entry can
    carry), modes and order."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = {name: src.read(name) for name in src.namelist()}
    return write_zip(entries, when)


def write_zip(entries: dict[str, bytes], when: dt.datetime) -> bytes:
    """An archive of `entries` as `normalise_zip` writes one: the same entries give the same bytes."""
    stamp = min(max(utc_naive(when), ZIP_EPOCH), ZIP_LAST).timetuple()[:6]
    order = [n for n in _FIRST if n in entries] + sorted(n for n in entries if n not in _FIRST)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


def fixed_workbook(xlsx: bytes, when: dt.datetime) -> bytes:
    """A chart's embedded workbook, its creation time (XlsxWriter uses "now") set to `when`."""
    iso = utc_naive(when).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src:
        entries = {name: src.read(name) for name in src.namelist()}
    core = entries.get("docProps/core.xml")
    if core is not None:
        entries["docProps/core.xml"] = _CORE_DATE.sub(rf"\g<1>{iso}\g<3>", core.decode("utf-8")).encode("utf-8")
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as dst:
        for name, blob in entries.items():
            dst.writestr(name, blob)
    return normalise_zip(raw.getvalue(), when)


def fix_chart_workbooks(prs: Presentation, when: dt.datetime) -> None:
    """Rewrite every chart's embedded workbook in place (python-pptx offers no way to date it)."""
    for slide in prs.slides:
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False):
                workbook = shape.chart.part.chart_workbook
                workbook.xlsx_part.blob = fixed_workbook(workbook.xlsx_part.blob, when)


def set_core_properties(prs: Presentation, *, title: str, author: str, subject: str, keywords: str,
                        language: str, when: dt.datetime) -> None:
    """Metadata from the content, never from the template or the clock; keywords carry the stamp."""
    props = prs.core_properties
    props.title = title
    props.author = author
    props.subject = subject
    props.keywords = keywords
    props.language = language
    props.comments = ""
    props.category = ""
    props.last_modified_by = "clearfacts"
    props.revision = 1
    props.created = props.modified = utc_naive(when)
    if keywords:
        set_custom_property(prs, STAMP_PROPERTY, keywords)


def set_custom_property(prs: Presentation, name: str, value: str) -> None:
    """A text property in docProps/custom.xml (python-pptx has no API for custom properties):
    a template's own custom properties are kept, a property of the same name is replaced."""
    package = prs.part.package
    try:
        part = package.part_related_by(RT.CUSTOM_PROPERTIES)
    except KeyError:
        part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, package,
                    f'<Properties xmlns="{_CUSTOM}" xmlns:vt="{_VT}"/>'.encode())
        package.relate_to(part, RT.CUSTOM_PROPERTIES)
    root = etree.fromstring(part.blob)
    for prop in root.findall(f"{{{_CUSTOM}}}property"):
        if prop.get("name") == name:
            root.remove(prop)
    pids = [int(p.get("pid", "1")) for p in root.findall(f"{{{_CUSTOM}}}property") if p.get("pid", "").isdigit()]
    prop = etree.SubElement(root, f"{{{_CUSTOM}}}property", fmtid=_FMTID, pid=str(max(pids, default=1) + 1), name=name)
    etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
    part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
