"""Checks that keep a layout readable, as rules rather than timed tests: the smallest text, the
longest line, QR codes of one size, links never broken inside a word, and no page left half empty.

Each rule is a function over what the reader measured (`pdf_layout`, `pptx_layout`), named by its
id in `content/rules.py`, so `--list-rules` lists it and settings.yaml may change its severity.
The limits are each output's design numbers (house style, GUIDE §4): body text ≥ 12 pt and
footers ≥ 10 pt on paper, large print ≥ 18 pt, lines ≤ 75 characters, codes ≥ 2 cm.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from msgspec import Struct

from clearfacts.errors import Finding
from clearfacts.model import Document
from clearfacts.verify.extracted import Extracted
from clearfacts.verify.normalise import normalise
from clearfacts.verify.page_measures import PageLayout, Run
from clearfacts.verify.page_space import BAND, body_boxes, empty_share, new_part, text_area

CODE_TOLERANCE = 0.5  # pt: two QR codes this close are the same size
_HYPHENS = "-\x02\u00ad\u2010\u2011"
_BULLETS = re.compile(r"^[•◦▪·\-–]\s+")


class Limits(Struct, frozen=True):
    """One printed output's numbers."""

    body: float  # pt, the smallest text in the body
    footer: float  # pt, the smallest in running heads, folios and the footer block
    line: int  # characters, the longest line of running text
    code: float  # pt, the smallest side of a QR code (2 cm)
    space: float  # the largest share of a page left empty
    covers: bool = False  # the first and last pages are covers


# Keyed by the formats table's keys; an output not listed here (the print file repeats the
# booklet's pages, the web reflows) has no layout rules.
LIMITS = {
    "handout": Limits(12.0, 10.0, 75, 56.7, 0.25),
    "handout-large": Limits(18.0, 14.0, 75, 56.7, 0.25),  # APH large print: body 18; source line 14
    "booklet": Limits(12.0, 10.0, 75, 56.7, 0.25, covers=True),
}


def layout_findings(key: str, path: str, document: Document, got: Extracted) -> list[Finding]:
    """Every layout rule over one output's read-back (nothing for an output without limits)."""
    if got.layout and not isinstance(got.layout[0], PageLayout):
        # A deck's slides, the only other kind a reader gathers: their rules live with the deck's
        # reader, which a worker that reads only PDFs never loads.
        from clearfacts.verify.pptx_layout import SlideLayout, slide_findings

        slides = [unit for unit in got.layout if isinstance(unit, SlideLayout)]
        return slide_findings(path, slides) if len(slides) == len(got.layout) else []
    limits = LIMITS.get(key.split("@")[0])
    pages = [unit for unit in got.layout if isinstance(unit, PageLayout)]
    if limits is None or not pages or len(pages) != len(got.layout):
        return []
    return [*text_size(path, limits, pages), *line_length(path, limits, pages), *qr_size(path, limits, pages),
            *link_broken(path, pages), *page_space(path, limits, pages, document)]


def in_band(run: Run, page: PageLayout) -> bool:
    """Running heads and folios: the baseline in the top or bottom margin band."""
    return run.baseline < BAND or run.baseline > page.height - BAND


def footer_top(page: PageLayout) -> float:
    """On a handout's last page, the footer block sits under a rule across the page in its lower
    half; the height of that rule (0 when there is none)."""
    wide = [r for r in page.rules if r[2] - r[0] >= 0.6 * page.width and r[3] < page.height / 2]
    return max((r[3] for r in wide), default=0.0)


def text_size(path: str, limits: Limits, pages: Sequence[PageLayout]) -> list[Finding]:
    """text-size: no text under the body floor, and none under the footer floor in the margin band
    or the last page's footer block."""
    findings = []
    for number, page in enumerate(pages, 1):
        foot = footer_top(page) if number == len(pages) else 0.0
        small: dict[str, Run] = {}
        for run in page.runs:
            kind = "footer" if in_band(run, page) or run.box[3] <= foot else "body"
            floor = limits.footer if kind == "footer" else limits.body
            if run.size < floor - 0.05 and (kind not in small or run.size < small[kind].size):
                small[kind] = run
        for kind, run in small.items():
            floor = limits.footer if kind == "footer" else limits.body
            where = "text" if kind == "body" else "footer text"
            findings.append(_finding(path, f"page {number}: {where} at {run.size:g} pt, under {floor:g} pt: "
                                           f"'{_quote(run.text)}'", "text-size"))
    return findings


class Line(Struct, frozen=True):
    text: str
    box: tuple[float, float, float, float]


def printed_lines(runs: Sequence[Run]) -> list[Line]:
    """The page's lines: runs on one baseline, joined left to right, split where a gap wider than
    one and a half times the type size starts another column or table cell."""
    lines: list[Line] = []
    ordered = sorted(runs, key=lambda r: -r.baseline)
    group: list[Run] = []
    for run in [*ordered, None]:
        if run is not None and group and abs(run.baseline - group[0].baseline) <= 1.0:
            group.append(run)
            continue
        if len(group) == 1:
            lines.append(Line(group[0].text, group[0].box))
        elif group:
            lines.extend(_split(sorted(group, key=lambda r: r.box[0])))
        group = [run] if run is not None else []
    return lines


def _split(row: list[Run]) -> list[Line]:
    out: list[Line] = []
    parts: list[Run] = []
    for run in [*row, None]:
        if run is not None and parts:
            gap = run.box[0] - parts[-1].box[2]
            if gap <= 1.5 * max(run.size, parts[-1].size):
                parts.append(run)
                continue
        if parts:
            text = parts[0].text
            for previous, part in zip(parts, parts[1:], strict=False):
                spaced = text[-1:].isspace() or part.text[:1].isspace()
                text += part.text if spaced or part.box[0] - previous.box[2] < 0.2 * part.size else " " + part.text
            out.append(Line(text, (parts[0].box[0], min(p.box[1] for p in parts), parts[-1].box[2],
                                   max(p.box[3] for p in parts))))
        parts = [run] if run is not None else []
    return out


def characters(line: str) -> int:
    """A line's length as a reader counts it: without a list bullet or surrounding spaces, a
    hyphen PDFium marked at the line end counted as the hyphen it prints."""
    return len(_BULLETS.sub("", line.replace("\x02", "-").strip()))


def line_length(path: str, limits: Limits, pages: Sequence[PageLayout]) -> list[Finding]:
    """line-length: no line of running text longer than the limit. Running heads and folios (the
    margin band) are left out: they are labels, not text anyone reads along; so is the small
    print under the body size (a footer's disclaimer and source line), which the `text-size`
    rule holds to its own floor."""
    findings = []
    for number, page in enumerate(pages, 1):
        lines = printed_lines([r for r in page.runs if not in_band(r, page) and r.size >= limits.body - 0.05])
        over = [(n, line) for line in lines if len(line.text) > limits.line  # never longer than its text
                and (n := characters(line.text)) > limits.line]
        if over:
            count, longest = max(over, key=lambda pair: pair[0])
            more = f" ({len(over)} lines over)" if len(over) > 1 else ""
            findings.append(_finding(path, f"page {number}: a line of {count} characters "
                                           f"(limit {limits.line}){more}: '{_quote(longest.text)}'", "line-length"))
    return findings


def qr_size(path: str, limits: Limits, pages: Sequence[PageLayout]) -> list[Finding]:
    """qr-size: every QR code of the output printed at one size, and none under 2 cm. The size is
    the printed symbol's (its white margin is not printed)."""
    codes = [(number, max(c[2] - c[0], c[3] - c[1])) for number, page in enumerate(pages, 1) for c in page.codes]
    findings = [_finding(path, f"page {number}: a QR code {side:.1f} pt across, under {limits.code:g} pt (2 cm)",
                         "qr-size") for number, side in codes if side < limits.code - 0.05]
    if codes and max(s for _, s in codes) - min(s for _, s in codes) > CODE_TOLERANCE:
        sizes = ", ".join(f"{side:.1f} pt on page {number}" for number, side in codes)
        findings.append(_finding(path, f"QR codes of different sizes: {sizes}", "qr-size"))
    return findings


def link_broken(path: str, pages: Sequence[PageLayout]) -> list[Finding]:
    """link-broken: a link's text that goes on over the next line breaks between words, after a
    slash or before a hyphen; never inside a word, and no line ends with a hyphen (a reader typing
    the address cannot tell a hyphen of the address there from one the line break added; a line
    that starts with one shows it is the address's own)."""
    findings = []
    for number, page in enumerate(pages, 1):
        links = [link for link in page.links if link.target and link.text.strip()]
        breaks: dict[str, list[str]] = {}
        for before, after in zip(links, links[1:], strict=False):
            height = before.box[3] - before.box[1]
            if after.target != before.target or not before.box[1] - height <= after.box[3] <= before.box[1] + 1:
                continue
            end, start = before.text.rstrip(), after.text.lstrip()
            if end and start and (end[-1] in _HYPHENS or _split_word(end, start, before.target)):
                breaks.setdefault(before.target, []).append(f"'{_quote(end[-12:])}' / '{_quote(start[:12])}'")
        for target, shown in breaks.items():
            hint = "give the link a short `display` to print"
            findings.append(_finding(path, f"page {number}: the link to {_address(target)} breaks inside a word or "
                                           f"at a hyphen: {', '.join(shown)} ({hint})", "link-broken"))
    return findings


def _split_word(end: str, start: str, target: str) -> bool:
    """A line that ends in the middle of a piece of the address: the letters either side of the
    break run on in the address itself ("clinicaltri" / "als.gov"). Words of a label broken at a
    space ("regenerative" / "medicine") do not."""
    tail, head = re.search(r"\w*$", end), re.match(r"\w*", start)
    if not tail or not head or not tail.group() or not head.group():
        return False
    return (tail.group() + head.group()).casefold() in target.casefold()


def _address(url: str) -> str:
    bare = re.sub(r"^[a-z]+:(//)?(www\.)?", "", url)
    return bare if len(bare) <= 40 else bare[:39] + "…"


def page_space(path: str, limits: Limits, pages: Sequence[PageLayout], document: Document) -> list[Finding]:
    """page-space: no page with more of its text area empty than the limit, except a page that a
    new part follows at the top of the next page, the last page, covers, and the blank pages that
    pad a booklet to whole sheets, empty or ruled for notes (with the page before them)."""
    last = len(pages)
    covers = {1, last} if limits.covers and last > 2 else set()
    area = text_area([p for n, p in enumerate(pages, 1) if n not in covers], in_band)
    if area is None:
        return []
    titles = [normalise(section.title.text) for section in document.sections]
    blank = [not body_boxes(page, in_band) or _ruled(page) for page in pages]
    first_blank = last
    while first_blank > 1 and blank[first_blank - 2]:
        first_blank -= 1  # pages first_blank … last - 1 pad the booklet before its back cover
    # The page before the back cover (or before the blanks that come first) ends the last part.
    exempt = covers | set(range(first_blank, last + 1)) | ({first_blank - 1} if first_blank < last or covers
                                                             else set())
    findings = []
    for number, page in enumerate(pages, 1):
        if number in exempt or new_part(pages[number], area, titles, in_band):
            continue
        share = empty_share(page, area, in_band)
        if share > limits.space:
            findings.append(_finding(path, f"page {number}: {share:.0%} of the page is empty "
                                           f"(limit {limits.space:.0%})".replace("%", " %"), "page-space"))
    return findings


def _ruled(page: PageLayout) -> bool:
    """A page for the reader's own notes: a heading line at most, then lines to write on."""
    lines = {round(run.baseline) for run in page.runs if not in_band(run, page)}
    return len(lines) <= 1 and len(page.rules) >= 5


def _finding(path: str, message: str, rule: str) -> Finding:
    """A finding of a layout rule; `Rulebook.apply` gives it the severity settings.yaml sets."""
    return Finding(path, None, message, severity="warning", rule=rule)


def _quote(text: str, width: int = 60) -> str:
    text = " ".join(text.replace("\x02", "-").split())
    return text if len(text) <= width else text[:width - 1] + "…"
