"""Model → what the web templates show: section anchors, the links we allow, the contact lines,
and the chart's geometry. Everything a template prints is still a plain string here; escaping
is Jinja2's job alone (`pages.py` turns auto-escaping on for every template).

Links are safe by construction: only `https:`, `mailto:` and `tel:` addresses become links
(plus the pages' own relative links). The loader already refuses anything but http(s) and
mailto with `file:line`; a plain `http:` address, which the PDFs still print, is refused here
with its `file:line`, so an edition that cannot be served safely is never written.
"""

from __future__ import annotations

import math
import re

from msgspec import Struct

from clearfacts.errors import ContentError, Finding
from clearfacts.model import (
    Block,
    Chart,
    ContentSet,
    Contrast,
    Document,
    IconArray,
    Links,
    Loc,
    Paragraph,
    Questions,
    Section,
    Text,
)
from clearfacts.numbers import chart_number
from clearfacts.render import fonts, marks
from clearfacts.render.labels import Labels
from clearfacts.render.urls import short_url
from clearfacts.render.web.icon_array import IconRow, icon_rows

SCHEMES = ("https:", "mailto:", "tel:")
_ANCHOR = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_RESERVED = ("main", "contents", "materials")  # the templates' own ids (`main`, `contents-title`, …)


def allowed(url: str) -> bool:
    return url.lower().startswith(SCHEMES)


class LinkView(Struct, frozen=True):
    """A link with meaningful text (its label, never a bare address) and the site it goes to."""

    text: str
    href: str
    site: str
    words: bool = False  # `site` is the link's display text (words that wrap), not a bare domain


class Bar(Struct, frozen=True):
    category: str
    label: str  # the fact's display form, as the prose prints it
    category_y: float
    bar_y: float
    width: float
    label_x: float
    label_y: float
    inside: bool  # drawn in white at the bar's end when it does not fit after it


class ChartView(Struct, frozen=True):
    """A horizontal bar chart as inline SVG: each bar on a track that stands for the scale's
    maximum (100% for percentages), its value printed beside it; `desc` states every value."""

    key: str
    title: str
    series: str
    desc: str
    width: int
    height: int
    bar_height: int
    bars: tuple[Bar, ...]


class BlockView(Struct, frozen=True):
    kind: str  # text | callout | bullets | terms | table | links | questions | chart
    block: Block
    links: tuple[LinkView, ...] = ()
    chart: ChartView | None = None
    icons: tuple[IconRow, ...] = ()  # an icon array's SVGs, one per fact
    marks: tuple[str, str] = ("", "")  # a contrast's check and cross, as SVG path data in a 100-unit square


class SectionView(Struct, frozen=True):
    anchor: str
    title: Text
    blocks: tuple[BlockView, ...]


class Contact(Struct, frozen=True):
    label: str
    text: str
    href: str


def sections(document: Document, extra: Text | None = None) -> tuple[SectionView, ...]:
    """The document's sections with unique anchors; `extra` (a notice) closes the first section
    that lists links, or the last section, as in the PDF handout."""
    used = set(_RESERVED)
    views = []
    place = next((i for i, s in enumerate(document.sections) if any(isinstance(b, Links) for b in s.blocks)),
                 len(document.sections) - 1)
    for index, section in enumerate(document.sections):
        blocks = [_block(b, f"chart-{index + 1}-{n + 1}") for n, b in enumerate(section.blocks)]
        if extra is not None and index == place:
            blocks.append(BlockView("text", Paragraph(extra)))
        views.append(SectionView(_anchor(section, index, used), section.title, tuple(blocks)))
    return tuple(views)


def _anchor(section: Section, index: int, used: set[str]) -> str:
    """The section's own id when it makes a clean, unused fragment (`#red-flags`), else a number."""
    anchor = section.id
    if not _ANCHOR.match(anchor) or anchor in used or anchor.startswith("chart-"):
        anchor = next(a for n in range(index + 1, index + 2 + len(used)) if (a := f"section-{n}") not in used)
    used.add(anchor)
    return anchor


def _block(block: Block, key: str) -> BlockView:
    if isinstance(block, Paragraph):
        return BlockView("callout" if block.emphasis else "text", block)
    if isinstance(block, Links):
        return BlockView("links", block, tuple(
            LinkView(link.label.text, link.url, link.display.text, True) if link.display
            else LinkView(link.label.text, link.url, _site(link.url)) for link in block.items))
    if isinstance(block, Chart):
        return BlockView("chart", block, chart=chart_view(block, key))
    if isinstance(block, IconArray):
        return BlockView("icons", block, icons=icon_rows(block))
    if isinstance(block, Contrast):
        return BlockView("contrast", block, marks=(_path((marks.CHECK,)), _path(marks.CROSS)))
    return BlockView(type(block).__name__.lower(), block)


def _path(strokes: tuple[tuple[tuple[float, float], ...], ...]) -> str:
    """Polylines in a unit square as SVG path data in a 100-unit one."""
    return " ".join("M" + " L".join(f"{x * 100:g},{y * 100:g}" for x, y in stroke) for stroke in strokes)


def _site(url: str) -> str:
    """The web site a link leads to (fda.gov), printed beside its label for people on paper."""
    return short_url(url).split("/", 1)[0] if url.lower().startswith("https:") else ""


def endorsement_needed(content: ContentSet, document: Document) -> Text | None:
    """The "a listing is not an endorsement" notice, unless the document already says it."""
    wanted = " ".join(content.notices.endorsement.text.split())
    said = any(isinstance(b, Paragraph) and " ".join(b.text.text.split()) == wanted
               for s in document.sections for b in s.blocks)
    return None if said else content.notices.endorsement


def has_questions(document: Document) -> bool:
    return any(isinstance(b, Questions) for s in document.sections for b in s.blocks)


def contacts(content: ContentSet, labels: Labels) -> tuple[Contact, ...]:
    """Phone, e-mail and web site as links a phone or mail program opens."""
    org = content.settings.organisation
    out = []
    if org.phone:
        out.append(Contact(labels("phone"), org.phone, org.phone_link))
    if org.email:
        out.append(Contact(labels("email"), org.email, org.mail_link))
    if org.website:
        out.append(Contact(labels("website"), short_url(org.website), org.website))
    return tuple(out)


def refused_links(content: ContentSet, document: Document) -> None:
    """Raise ContentError naming `file:line` of every address the web edition would not link."""
    found = [(link.url, link.loc) for s in document.sections for b in s.blocks if isinstance(b, Links)
             for link in b.items]
    settings = content.settings
    website = settings.organisation.website
    if website:
        found.append((website, Loc(settings.loc.path, dict(settings.lines).get("organisation.website",
                                                                               settings.loc.line))))
    findings = [Finding(loc.path, loc.line, f"the web edition links only to https:, mailto: and tel: addresses, "
                                            f"not '{url}': use https://")
                for url, loc in found if not allowed(url)]
    if findings:
        raise ContentError(findings)


# --- the chart ----------------------------------------------------------------------------------

WIDTH = 300  # user units; the SVG scales to the column, so at 320 px its text is still about 19 px
FONT = 20  # as web.css sets it for SVG text
BAR = 28
ROW = FONT + 10 + BAR + 18


def chart_view(chart: Chart, key: str) -> ChartView:
    values = [chart_number(f.value) or 0.0 for f in chart.values]
    percent = all(f.display.rstrip().endswith("%") for f in chart.values)
    top = 100.0 if percent and max(values, default=0) <= 100 else _nice(max(values, default=0))
    bars = []
    for n, (category, fact, value) in enumerate(zip(chart.categories, chart.values, values, strict=True)):
        y = n * ROW
        width = round(max(0.0, value) / top * WIDTH, 2)
        label_width = fonts.width(fact.display, fonts.BODY_BOLD, FONT)
        inside = width + 8 + label_width > WIDTH and width - 8 - label_width >= 0
        bars.append(Bar(category.text, fact.display, y + FONT, y + FONT + 10, width,
                        width - 8 if inside else width + 8, y + FONT + 10 + BAR / 2 + FONT * 0.35, inside))
    desc = " ".join([_sentence(chart.series.text),
                     *(f"{c.text}: {f.display}." for c, f in zip(chart.categories, chart.values, strict=True))])
    return ChartView(key, chart.title.text, chart.series.text, desc, WIDTH, len(bars) * ROW - 10, BAR, tuple(bars))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _nice(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value`: the end of the scale."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)
