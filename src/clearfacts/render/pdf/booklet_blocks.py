"""Booklet content blocks → platypus flowables, under the house type rules.

Body, table cells and printed URLs 12 pt, leading ≥ 1.25×, bold (never italics or capitals)
for emphasis, and no widows or orphans: a reader with low vision should never meet a heading
alone at the foot of a page or one stray line of a paragraph at the top of the next.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as Para
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import AnchorFlowable, HRFlowable

from clearfacts.errors import ContentError, Finding
from clearfacts.model import (
    Block,
    Bullets,
    Chart,
    Contrast,
    IconArray,
    Link,
    Links,
    Paragraph,
    Questions,
    Table,
    Terms,
    Text,
)
from clearfacts.render import fonts
from clearfacts.render.labels import labels_in
from clearfacts.render.pdf.booklet_flow import KeepStart
from clearfacts.render.pdf.columns import Cell, column_widths, hyphenated
from clearfacts.render.pdf.compat_reportlab import at_top_of_frame
from clearfacts.render.pdf.contrast import contrast
from clearfacts.render.pdf.document import ACCENT, INK, RULE, TINT, markup
from clearfacts.render.pdf.handout_marks import Ticked
from clearfacts.render.pdf.icon_array import icon_arrays
from clearfacts.render.pdf.tags import Marked, Path, Tag, TaggedPara
from clearfacts.render.urls import linkable, short_url, url_lines

URL_SIZE = 12
CELL_PAD = (5, 5, 4, 6)  # left, right, top, bottom
NO_PADDING = [(f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")]
CALLOUT_PAD = 7
PART_RULE = 4  # points: the rule that opens a new part
KEY_PAD = 10  # the cover's boxed main message


def _style(name: str, size: float, leading: float, font: str = fonts.BODY, **kw: object) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, textColor=kw.pop("textColor", INK),
                          allowWidows=0, allowOrphans=0, **kw)


STYLES = {
    "title": _style("title", 28, 34, fonts.BODY_BOLD, textColor=colors.white, spaceAfter=10),
    "subtitle": _style("subtitle", 15, 20, textColor=colors.white),
    "cover": _style("cover", 13, 18, fonts.BODY_BOLD),
    "key": _style("key", 16, 21, fonts.BODY_BOLD, backColor=TINT, borderColor=ACCENT, borderWidth=2,
                  borderPadding=KEY_PAD, leftIndent=KEY_PAD + 2, rightIndent=KEY_PAD + 2),
    "band_head": _style("band_head", 18, 23, fonts.BODY_BOLD, textColor=colors.white, spaceAfter=4),
    "band_text": _style("band_text", 13, 18, fonts.BODY_BOLD, textColor=colors.white, spaceAfter=6),
    "band_line": _style("band_line", 12, 15, textColor=colors.white, spaceAfter=4),
    # Headings keep with what follows through KeepStart (booklet_flow.py), not keepWithNext: that
    # would move a heading and its whole first paragraph to the next page together.
    "h1": _style("h1", 18, 23, fonts.BODY_BOLD, textColor=ACCENT, spaceBefore=16, spaceAfter=8),
    "h2": _style("h2", 13.5, 17.5, fonts.BODY_BOLD, textColor=ACCENT, spaceBefore=10, spaceAfter=4),
    "body": _style("body", 12, 15, spaceAfter=7),
    "callout": _style("callout", 12, 16, fonts.BODY_BOLD, backColor=TINT, borderColor=ACCENT, borderWidth=1,
                      borderPadding=CALLOUT_PAD, leftIndent=CALLOUT_PAD + 1, rightIndent=CALLOUT_PAD + 1,
                      spaceBefore=CALLOUT_PAD + 4, spaceAfter=CALLOUT_PAD + 7),
    "bullet": _style("bullet", 12, 15, leftIndent=16, bulletIndent=3, bulletFontName=fonts.BODY,
                     bulletFontSize=12, spaceAfter=4),
    "check": _style("check", 12, 15, spaceAfter=5),  # beside a drawn box to tick (handout_marks.Ticked)
    "step": _style("step", 12, 15, leftIndent=20, bulletIndent=0, bulletFontName=fonts.BODY_BOLD,
                   bulletFontSize=12, spaceAfter=5),
    "term": _style("term", 12, 15, fonts.BODY_BOLD, spaceBefore=3, keepWithNext=1),
    "term_text": _style("term_text", 12, 15, leftIndent=12, spaceAfter=6),
    "cell": _style("cell", 12, 15, splitLongWords=0),  # columns fit their words (columns.py)
    "cell_bold": _style("cell_bold", 12, 15, fonts.BODY_BOLD, splitLongWords=0),
    "guide": _style("guide", 12, 15),
    "link": _style("link", 12, 16, fonts.BODY_BOLD, spaceBefore=4, keepWithNext=1),
    "url": _style("url", URL_SIZE, 15, textColor=ACCENT, spaceAfter=6),
    "toc": _style("toc", 13, 17, textColor=ACCENT),
    "toc_page": _style("toc_page", 13, 17, fonts.BODY_BOLD, alignment=2),
}


# Each style's structure role: the cover title is the one H1, sections H2, questions H3.
ROLES = {"title": "H1", "subtitle": "P", "cover": "P", "h1": "H2", "h2": "H3", "body": "P", "callout": "P",
         "bullet": "LI", "check": "LI", "step": "LI", "term": "P", "term_text": "P", "cell": "TD", "cell_bold": "TD",
         "link": "P", "url": "Link", "toc": "Link", "toc_page": "Link", "key": "P", "band_head": "H2",
         "band_text": "P", "band_line": "P", "guide": "Caption"}


def tagged(flowable: TaggedPara, *path: tuple[str, str], role: str | None = None, scope: str = "") -> TaggedPara:
    """Give a paragraph its element: under `path`, or a new element of the Document."""
    step = (role or ROLES[flowable.style.name], f"e{id(flowable)}")
    flowable.tag = Tag((*path, step), scope=scope)
    return flowable


def group(role: str, thing: object) -> Path:
    """The path of a new grouping element (a list, a table) of the Document."""
    return ((role, f"g{id(thing)}"),)


class Anchor(AnchorFlowable):
    """A link target that is also an outline entry; remembers where it landed, so the
    contents page, the outline and the running head all learn a section's page in one place."""

    def __init__(self, key: str, title: str, level: int):
        super().__init__(key)
        self.key, self.title, self.level = key, title, level
        self.keep_head = True  # travel with the heading it marks (booklet_flow.KeepStart)
        self.page = 0
        self.at_top = False

    def draw(self) -> None:
        super().draw()
        self.canv.addOutlineEntry(self.title, self.key, self.level, closed=False)
        self.page = self.canv.getPageNumber()
        self.at_top = at_top_of_frame(self)  # nothing drawn above it on this page yet


def link_markup(url: str, shown: str) -> str:
    """`shown` (already markup) as a link, when the scheme is one we allow to be clickable."""
    if not linkable(url):
        return shown
    href = markup(url).replace('"', "%22")
    return f'<a href="{href}">{shown}</a>'


def para(text: str, style: str, *path: tuple[str, str], role: str | None = None,
         accent: colors.Color | None = None) -> TaggedPara:
    """A paragraph of content text, escaped (content never carries markup), tagged by its style;
    a heading style in `accent` (an edition's brand colour) when one is given."""
    return tagged(TaggedPara(markup(text), accented(style, accent)), *path, role=role)


def accented(style: str, accent: colors.Color | None) -> ParagraphStyle:
    """STYLES[style], in `accent` when given where the style uses the house accent (its type or
    its box's border; its name and role unchanged)."""
    base = STYLES[style]
    if accent is None or ACCENT not in (base.textColor, base.borderColor):
        return base
    return ParagraphStyle(base.name, base, **{k: accent for k in ("textColor", "borderColor")
                                              if getattr(base, k) == ACCENT})


def heading(text: str, key: str, level: int, accent: colors.Color | None = None, part: bool = False) -> list[Flowable]:
    """A section (level 0) or question (level 1) heading, kept with the start of what follows it;
    the first of a new part under a thick rule (after its anchor, so a part that opens a page
    names it in the running head)."""
    shown = para(text, "h1" if level == 0 else "h2", accent=accent)
    shown.keep_head = True
    if not part:
        return [KeepStart(), Anchor(key, text, level), shown]
    rule = HRFlowable(width="100%", thickness=PART_RULE, color=accent or ACCENT, spaceBefore=PART_RULE, spaceAfter=0)
    rule.keep_head = True
    return [KeepStart(), Anchor(key, text, level), rule, shown]


def block_flowables(block: Block, key: str, width: float, qr_code: Callable[[str], Flowable], *,
                    height: float = float("inf"), lang: str = "en-US",
                    accent: colors.Color | None = None) -> list[Flowable]:
    """The flowables for one block; `key` prefixes the anchors of any questions inside it,
    `qr_code(url)` gives the square printed beside a link, `height` is the page's text height
    (no table row may be taller), `lang` the language words are hyphenated and labelled in and
    `accent` an edition's colour for question headings."""
    match block:
        case Paragraph(text=text, emphasis=emphasis):
            shown = para(text.text, "callout" if emphasis else "body", accent=accent)
            if not text.text.endswith(":"):
                return [shown]
            shown.keep_head = True  # it introduces what follows: kept with its start, like a heading
            return [KeepStart(), shown]
        case Bullets(items=items, style=style):
            return _bullets(items, style, accent or ACCENT)
        case Terms(items=items):
            return [f for item in items for f in (para(item.term.text, "term"), para(item.text.text, "term_text"))]
        case Table():
            return [table(block, width, height, lang, accent)]
        case Links(items=items):
            return [f for link in items for f in _link(link, qr_code(link.url) if link.qr else None, width, lang)]
        case Questions(items=items):
            return [f for i, q in enumerate(items) for f in _question(q.question, q.answer, f"{key}-q{i}", accent)]
        case Chart():
            return _chart(block, width, height, lang)
        case IconArray():
            return [*icon_arrays(block, STYLES["term"], accent or ACCENT), para(block.caption.text, "body")]
        case Contrast():
            return [contrast(block, width, STYLES["h2"], STYLES["bullet"])]
    raise TypeError(f"unknown block {type(block).__name__}")


def _keep_with_next(flowable: Flowable, keep: bool = True) -> Flowable:
    if keep:
        flowable.keepWithNext = 1
    return flowable


def _bullets(items: tuple[Text, ...], style: str, accent: colors.Color) -> list[Flowable]:
    """A list whose last item never sits alone at the top of a page: bullets; a checklist, each
    item after an empty box to tick (drawn, not read); or numbered steps, done in order."""
    path = group("L", items)
    out: list[Flowable]
    if style == "checklist":
        check = STYLES["check"]
        out = [Ticked(tagged(TaggedPara(markup(item.text), check), *path), check.fontSize * 0.95,
                      check.fontSize * 1.6, check.leading) for item in items]
    elif style == "steps":
        step = ParagraphStyle("step", STYLES["step"], bulletColor=accent)
        out = [tagged(TaggedPara(markup(item.text), step, bulletText=f"{n}."), *path)
               for n, item in enumerate(items, 1)]
    else:
        out = [tagged(TaggedPara(markup(item.text), STYLES["bullet"], bulletText="•"), *path) for item in items]
    if len(out) > 1:
        _keep_with_next(out[-2])
    return out


def _question(question: Text, answer: tuple[Text, ...], key: str, accent: colors.Color | None) -> list[Flowable]:
    return [*heading(question.text, key, 1, accent), *(para(a.text, "body") for a in answer)]


def grid(rows: list[list[object]], widths: list[float] | None, style: list[tuple], **kw: object) -> RLTable:
    """A platypus Table in our font: its default cell font (Helvetica) would otherwise be
    referenced, unembedded, even when every cell holds a Paragraph."""
    t = RLTable(rows, colWidths=widths, hAlign="LEFT", **kw)
    t.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.BODY), *style])
    return t


def table(block: Table, width: float, height: float = float("inf"), lang: str = "en-US",
          accent: colors.Color | None = None) -> RLTable:
    """Wrapped 12 pt cells in columns sized from their content (words never cut between letters);
    the header row repeats when the table runs onto a new page, and the guide (how to read the
    table) is its last row, a caption across all columns, so it never lands on a page alone. A
    row taller than a page is refused, naming its longest cell, rather than left for reportlab to
    fail on."""
    cells = [[Cell(c, fonts.BODY_BOLD) for c in block.columns]]
    cells += [[Cell(c, fonts.BODY_BOLD if i == 0 else fonts.BODY) for i, c in enumerate(row)] for row in block.rows]
    left, right, top, bottom = CELL_PAD
    size = STYLES["cell"].fontSize
    widths = column_widths(cells, size, width, (left + right) / 2, lang)
    path = group("Table", cells)
    rows = [[_cell(c, w - left - right, lang, (*path, ("TR", str(r))), r == 0 or n == 0, r == 0)
             for n, (c, w) in enumerate(zip(row, widths, strict=True))] for r, row in enumerate(cells)]
    for row, paras in zip(cells, rows, strict=True):
        tallest = max(p.wrap(w - left - right, 10_000)[1] for p, w in zip(paras, widths, strict=True)) + top + bottom
        if tallest > height:
            longest = max(row, key=lambda c: len(c.text.text)).text
            raise ContentError(Finding(longest.loc.path, longest.loc.line,
                                       f"a table row is {tallest:.0f} pt tall, more than a booklet page holds "
                                       f"({height:.0f} pt): shorten this cell or the others in its row"))
    last = len(rows) - 1
    guide: list[tuple] = []
    if block.guide:
        rows.append([tagged(TaggedPara(markup(block.guide.text), STYLES["guide"]), *path, role="Caption"),
                     *[""] * (len(widths) - 1)])
        guide = [("SPAN", (0, -1), (-1, -1)), ("LEFTPADDING", (0, -1), (-1, -1), 0),
                 ("TOPPADDING", (0, -1), (-1, -1), 6), ("NOSPLIT", (0, last), (-1, -1))]
    return grid(rows, widths, [
        ("GRID", (0, 0), (-1, last), 0.6, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), TINT),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, accent or ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), left),
        ("RIGHTPADDING", (0, 0), (-1, -1), right),
        ("TOPPADDING", (0, 0), (-1, -1), top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
        *guide,
    ], repeatRows=1, spaceBefore=6, spaceAfter=10)


def _cell(cell: Cell, inner: float, lang: str, row: Path, head: bool, column_head: bool) -> Para:
    """One cell's paragraph: escaped, with soft hyphens only in words wider than the column. The
    first row holds column headers, the first column row headers."""
    style = STYLES["cell_bold" if cell.font == fonts.BODY_BOLD else "cell"]
    shown = TaggedPara(markup(hyphenated(cell.text.text, cell.font, style.fontSize, inner - 0.5, lang)), style)
    scope = ("Column" if column_head else "Row") if head else ""
    return tagged(shown, *row, role="TH" if head else "TD", scope=scope)


def _chart(chart: Chart, width: float, height: float, lang: str) -> list[Flowable]:
    """Paper has no chart engine here: the same registry values, as a two-column table."""
    rows = tuple((cat, Text(f.display, (f.id,), chart.loc)) for cat, f in zip(chart.categories, chart.values,
                                                                                strict=True))
    blank = Text("", (), chart.loc)
    return [para(chart.title.text, "term"), table(Table((blank, chart.series), rows, chart.loc), width, height, lang)]


def _link(link: Link, code: Flowable | None, width: float, lang: str) -> list[Flowable]:
    """Label and what a reader can type: the link's `display` when it has one (a long address
    is for the QR code and the screen), else the URL broken after "/" so it wraps where
    expected; with the QR code beside it when there is one (every code the same size, so their
    labels line up)."""
    label, url = link.label, link.url
    side = code.wrap(width, width)[0] if code else 0
    text_width = width - (side + 10 if code else 0)
    if link.display is not None:
        shown = markup(link.display.text)
    else:
        shown = "<br/>".join(markup(line) for line in url_lines(short_url(url), fonts.BODY, URL_SIZE, text_width))
    printed = tagged(TaggedPara(link_markup(url, shown), STYLES["url"]), role="Link" if linkable(url) else "P")
    if code is None:
        return [para(label.text, "link"), printed]
    alt = labels_in(lang)("qr_code", label=label.text, url=short_url(url))
    figure = Marked(code, Tag((("Link", f"q{id(code)}"), ("Figure", "code")), alt=alt))
    return [grid([[figure, [para(label.text, "link"), printed]]], [side + 10, text_width],
                 [("VALIGN", (0, 0), (-1, -1), "TOP"), *NO_PADDING], spaceBefore=4, spaceAfter=6)]
