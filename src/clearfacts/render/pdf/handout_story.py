"""Model blocks → platypus flowables for the one-page handout, at one body size.

Every flowable is paired with the `Loc` it came from and the section and kind of content it
belongs to, so when the page overflows the error can name the section that takes the most room
and the text in it to cut; every printed `Text` is kept with its font for the glyph check.
Content text only reaches a Paragraph through `markup()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab import platypus
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from clearfacts.model import (
    Block,
    Brand,
    Bullets,
    Chart,
    ContentSet,
    Link,
    Links,
    Loc,
    Paragraph,
    Questions,
    Section,
    Table,
    Terms,
    Text,
)
from clearfacts.render import fonts
from clearfacts.render.labels import labels_in
from clearfacts.render.pdf.columns import Cell, column_widths, hyphenated
from clearfacts.render.pdf.document import ACCENT, INK, RULE, TINT, accent_of, markup
from clearfacts.render.pdf.logo import logo
from clearfacts.render.pdf.tags import Marked, Path, Tag
from clearfacts.render.pdf.tags import para as tagged
from clearfacts.render.qr import QRCode, min_side
from clearfacts.render.urls import linkable, short_url, url_lines

LEADING = 1.25  # line height as a multiple of the font size (low-vision guidance: ≥ 1.2)
BULLET = "•"
LARGE_HEADING = 24.0  # large print: headings at least 24 pt (APH guidance)
ROLES = {"title": "H1", "subtitle": "P", "heading": "H2", "body": "P", "bold": "P", "bullet": "LI"}


def styles(size: float, large: bool = False, accent: colors.Color = ACCENT) -> dict[str, ParagraphStyle]:
    """Every style scales with the body size, so stepping it down re-flows the whole page. In
    `large` print headings are at least 24 pt and, as the text runs onto a second page, a heading
    stays with what follows it and no paragraph leaves one line behind. Headings are in `accent`
    (an edition's brand colour, at least 7:1 on white)."""
    heading = max(size * 1.25, LARGE_HEADING) if large else size * 1.25
    body = ParagraphStyle(
        "body",
        fontName=fonts.BODY,
        fontSize=size,
        leading=size * LEADING,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=size * 0.35,
        **({"allowWidows": 0, "allowOrphans": 0} if large else {}),
    )
    return {
        "title": ParagraphStyle(
            "title",
            body,
            fontName=fonts.BODY_BOLD,
            fontSize=size * 1.6,
            leading=size * 1.6 * 1.2,
            spaceAfter=size * 0.25,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", body, fontSize=size * 1.15, leading=size * 1.15 * LEADING, spaceAfter=size * 0.2
        ),
        "heading": ParagraphStyle(
            "heading",
            body,
            fontName=fonts.BODY_BOLD,
            fontSize=heading,
            leading=heading * 1.2,
            textColor=accent,
            spaceBefore=size * 0.7,
            spaceAfter=size * 0.25,
            keepWithNext=int(large),
        ),
        "body": body,
        "bold": ParagraphStyle("bold", body, fontName=fonts.BODY_BOLD),
        "bullet": ParagraphStyle(
            "bullet",
            body,
            leftIndent=size * 1.3,
            bulletIndent=size * 0.25,
            bulletFontName=fonts.BODY_BOLD,
            bulletFontSize=size,  # reportlab's default is 10 pt, whatever the text's size
            spaceAfter=size * 0.15,
        ),
        "callout": ParagraphStyle("callout", body, fontName=fonts.BODY_BOLD, spaceAfter=0),
        # table cells: columns fit their words (columns.py), so reportlab never cuts one
        "cell": ParagraphStyle("cell", body, spaceAfter=0, splitLongWords=0),
        "cell_head": ParagraphStyle("cell_head", body, fontName=fonts.BODY_BOLD, spaceAfter=0, splitLongWords=0),
    }


def href(url: str) -> str | None:
    """The `<a href>` attribute value for a link we allow (http(s), mailto), else None."""
    return markup(url).replace('"', "&quot;") if linkable(url) else None


def linked(shown: str, url: str) -> str:
    """Markup that prints `shown` (already escaped) and links it when the scheme is allowed."""
    target = href(url)
    return f'<a href="{target}">{shown}</a>' if target else shown


def settings_text(content: ContentSet, key: str, value: str) -> Text:
    """A settings string as a Text, located at its line in settings.yaml for glyph errors."""
    s = content.settings
    return Text(value, (), Loc(s.loc.path, dict(s.lines).get(key, s.loc.line)))


@dataclass(frozen=True)
class Part:
    """What a flowable shows, for an overflow message: its section (None for the title) and the
    kind of content ("bullet", "text", "question", "link", "table", …)."""

    section: Section | None
    kind: str


@dataclass
class Story:
    """The handout body at one size: flowables with their source lines, and what they print."""

    size: float
    width: float
    lang: str = "en-US"
    large: bool = False
    brand: Brand | None = None  # an edition's colour and logo
    logo_elsewhere: bool = False  # the page has room for the logo elsewhere if the title has none
    items: list[tuple[Flowable, Loc]] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    printed: list[tuple[Text, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.accent = accent_of(self.brand)
        self.logo_left_out = False  # the title had no room for the logo: the page draws it elsewhere
        self.st = styles(self.size, self.large, self.accent)
        self.part = Part(None, "title")
        self.count = 0

    def tag(self, role: str, *inside: tuple[str, str], alt: str = "", scope: str = "") -> Tag:
        """A new element of the Document (and, given `inside`, the path below it)."""
        self.count += 1
        return Tag((((role, str(self.count)),) + inside), alt, scope)

    def add(self, flowable: Flowable, loc: Loc, kind: str | None = None) -> None:
        self.items.append((flowable, loc))
        self.parts.append(Part(self.part.section, kind or self.part.kind))

    def shown(self, text: Text, font: str) -> str:
        """Record that `text` is printed in `font` and return it escaped for a Paragraph."""
        self.printed.append((text, font))
        return markup(text.text)

    def para(self, text: Text, style: str, loc: Loc | None = None, tag: Tag | None = None, **kwargs: object) -> None:
        st = self.st[style]
        tag = tag or self.tag(ROLES[style])
        self.add(tagged(self.shown(text, st.fontName), st, tag, **kwargs), loc or text.loc)

    def title(self, text: Text, logo_at: Loc | None = None) -> None:
        """The headline, and where an edition's logo goes. The logo never costs the body a line:
        when the page has room for it elsewhere (`logo_elsewhere`: the one-page handout's footer,
        beside the contact lines) it goes there; else beside the title, at the right margin, in
        a box as tall as the title's lines and as wide as they leave free (the title wraps into
        no more lines than without it). Only when neither has room does it take a band of its own
        above the title; it is part of the story then, so the fit-or-fail layout measures it and
        names `logo_at` (the edition's `logo:` line) if that is what does not fit."""
        st = self.st["title"]
        shown = self.shown(text, st.fontName)
        if self.brand is None or not self.brand.logo_data or self.logo_elsewhere:
            self.logo_left_out = self.logo_elsewhere and self.brand is not None and bool(self.brand.logo_data)
            self.add(tagged(shown, st, self.tag("H1")), text.loc)
            return
        self._beside_title(text, shown, logo_at)

    def _beside_title(self, text: Text, shown: str, logo_at: Loc | None) -> None:
        st = self.st["title"]
        gap = self.size
        height = platypus.Paragraph(shown, st).wrap(self.width, 10_000)[1]
        lines = round(height / st.leading)
        width = next((w for w in (4 * height, 3 * height, 2 * height, 1.5 * height, height)
                      if round(platypus.Paragraph(shown, st).wrap(self.width - w - gap, 10_000)[1] / st.leading)
                      == lines), None)
        if width is None:  # a title that fills every line: the logo gets a band of its own above it
            band = logo(self.brand, (self.width, st.leading))
            band.spaceAfter = st.spaceAfter  # type: ignore[union-attr]
            self.add(band, logo_at or text.loc, "logo")  # type: ignore[arg-type]
            self.add(tagged(shown, st, self.tag("H1")), text.loc)
            return
        figure = logo(self.brand, (width, height))
        row = _tight([[tagged(shown, st, self.tag("H1")), figure]], [self.width - width - gap, width + gap],
                     ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"))
        row.spaceAfter = st.spaceAfter
        self.add(row, text.loc)

    def section(self, section: Section, extra: list[Text] | None = None) -> None:
        """A bold heading, the blocks, then any notice the section must end with."""
        self.part = Part(section, "heading")
        self.para(section.title, "heading", section.loc)
        for block in section.blocks:
            self.part = Part(section, _KINDS.get(type(block), "text"))
            self.block(block)
        self.part = Part(section, "notice")
        for text in extra or ():
            self.para(text, "body")

    def block(self, block: Block) -> None:
        match block:
            case Paragraph(text=text, emphasis=True):
                self.callout(text)
            case Paragraph(text=text):
                self.para(text, "body")
            case Bullets(items=items):
                path = self.tag("L").path
                for n, item in enumerate(items):
                    self.para(item, "bullet", tag=Tag((*path, ("LI", str(n)))), bulletText=BULLET)
            case Terms(items=items):
                for item in items:
                    term = self.shown(item.term, fonts.BODY_BOLD)
                    text = self.shown(item.text, fonts.BODY)
                    self.add(tagged(f"<b>{term}:</b> {text}", self.st["body"], self.tag("P")), item.term.loc)
            case Table():
                self.table(block.columns, block.rows, block.loc)
            case Links(items=items):
                self.links(items)
            case Questions(items=items):
                for q in items:
                    self.para(q.question, "bold", tag=self.tag("H3"))
                    for answer in q.answer:
                        self.para(answer, "body")
            case Chart():
                self.para(block.title, "bold")
                values = [Text(f.display, (f.id,), f.loc) for f in block.values]
                rows = tuple(zip(block.categories, values, strict=True))
                self.table((Text("", (), block.loc), block.series), rows, block.loc, head_column=False)

    def callout(self, text: Text) -> None:
        """The key message: bold, on a tinted panel with a rule down its left edge."""
        pad = self.size * 0.6
        box = _tight(
            [[tagged(self.shown(text, fonts.BODY_BOLD), self.st["callout"], self.tag("P"))]],
            [self.width],
            ("BACKGROUND", (0, 0), (-1, -1), TINT),
            ("LINEBEFORE", (0, 0), (0, -1), 4, self.accent),
            ("LEFTPADDING", (0, 0), (-1, -1), pad + 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        )
        box.spaceAfter = self.size * 0.6
        self.add(box, text.loc)

    def table(self, columns: tuple[Text, ...], rows: tuple[tuple[Text, ...], ...], loc: Loc,
              head_column: bool = False) -> None:
        """Columns sized from their content; a word is hyphenated only where it cannot fit."""
        pad = self.size * 0.35
        measured = [[Cell(c, fonts.BODY_BOLD) for c in columns]]
        measured += [[Cell(c, fonts.BODY_BOLD if head_column and i == 0 else fonts.BODY) for i, c in enumerate(row)]
                     for row in rows]
        widths = column_widths(measured, self.size, self.width, pad, self.lang)
        path = self.tag("Table").path
        cells = [[self._cell(c, w - 2 * pad, _cell_tag(path, r, n, head_column))
                  for n, (c, w) in enumerate(zip(row, widths, strict=True))] for r, row in enumerate(measured)]
        grid = _tight(
            cells,
            widths,
            ("GRID", (0, 0), (-1, -1), 0.75, RULE),
            ("BACKGROUND", (0, 0), (-1, 0), TINT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        )
        grid.spaceAfter = self.size * 0.45
        self.add(grid, loc)

    def _cell(self, cell: Cell, inner: float, tag: Tag) -> platypus.Paragraph:
        style = self.st["cell_head" if cell.font == fonts.BODY_BOLD else "cell"]
        self.printed.append((cell.text, cell.font))  # for the glyph check; soft hyphens are ours
        text = hyphenated(cell.text.text, cell.font, self.size, inner - 0.5, self.lang)
        return tagged(markup(text), style, tag)

    def links(self, items: tuple[Link, ...]) -> None:
        """QR links as one row each or as a two-column grid, whichever is shorter; then the
        links without a code as plain lines."""
        coded = [link for link in items if link.qr]
        if coded:
            side = max(min_side(link.url) for link in coded)
            labels = [self.shown(link.label, fonts.BODY_BOLD) for link in coded]
            for link in coded:
                self.printed.append((Text(short_url(link.url), (), link.loc), fonts.BODY))
            options = [self._qr_rows(coded, labels, side)]
            if len(coded) > 1:
                options.append(self._qr_grid(coded, labels, side))
            for flowable, loc in min(options, key=self._height):
                self.add(flowable, loc)
        for link in items:
            if not link.qr:
                label = self.shown(link.label, fonts.BODY_BOLD)
                url = linked(self.shown(Text(short_url(link.url), (), link.loc), fonts.BODY), link.url)
                self.add(tagged(f"<b>{label}</b><br/>{url}", self.st["body"], self.tag("P")), link.loc)

    def _qr_rows(self, links: list[Link], labels: list[str], side: float) -> list[tuple[Flowable, Loc]]:
        """One full-width row per link: the code, then its label and URL beside it."""
        gap = self.size
        text_width = self.width - side - gap
        out = []
        for link, label in zip(links, labels, strict=True):
            cell = [tagged(label, self.st["bold"], self.tag("P")), self._url(link, text_width)]
            row = _tight(
                [[self._code(link, side), cell]], [side + gap, text_width], ("VALIGN", (0, 0), (-1, -1), "MIDDLE")
            )
            row.spaceAfter = self.size * 0.4
            out.append((row, link.loc))
        return out

    def _qr_grid(self, links: list[Link], labels: list[str], side: float) -> list[tuple[Flowable, Loc]]:
        """Two links per row, the row split where the taller cell is shortest: a short URL
        needs less room beside its code than a long one."""
        gutter = self.size * 1.5
        out = []
        for i in range(0, len(links), 2):
            pair = list(zip(links[i : i + 2], labels[i : i + 2], strict=True))
            if len(pair) == 1:
                out.extend(self._qr_rows([pair[0][0]], [pair[0][1]], side))
                continue
            rows = []
            for share in (0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65):  # ties go to the most even split
                first = (self.width - gutter) * share
                widths = [first, gutter, self.width - gutter - first]
                if all(self._unbroken(link, widths[2 * n], side) for n, (link, _) in enumerate(pair)):
                    cells = [self._qr_cell(link, label, side, widths[2 * n]) for n, (link, label) in enumerate(pair)]
                    taller = max((0, 1), key=lambda n: cells[n].wrap(widths[2 * n], 10_000)[1])
                    table = _tight([[cells[0], "", cells[1]]], widths, ("VALIGN", (0, 0), (-1, -1), "TOP"))
                    rows.append((table, pair[taller][0].loc))  # the row is as tall as its taller link
            if not rows:
                out.extend(self._qr_rows([link for link, _ in pair], [label for _, label in pair], side))
                continue
            row, loc = min(rows, key=lambda r: r[0].wrap(self.width, 10_000)[1])
            row.spaceAfter = self.size * 0.4
            out.append((row, loc))
        return out

    def _unbroken(self, link: Link, width: float, side: float) -> bool:
        """True when, in a cell `width` wide, no word of the label and no part of the URL would
        have to be cut between letters."""
        url_width = width - side - self.size * 0.7
        parts = [p for part in short_url(link.url).split("/") for p in part.split("-")]
        return all(fonts.width(w, fonts.BODY_BOLD, self.size) <= width for w in link.label.text.split()) and all(
            fonts.width(p + "-", fonts.BODY, self.size) <= url_width for p in parts
        )

    def _qr_cell(self, link: Link, label: str, side: float, width: float) -> platypus.Table:
        """The label across the top, then the code with the URL beside it."""
        gap = self.size * 0.7
        return _tight(
            [
                [tagged(label, self.st["bold"], self.tag("P")), ""],
                [self._code(link, side), self._url(link, width - side - gap)],
            ],
            [side + gap, width - side - gap],
            ("SPAN", (0, 0), (1, 0)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOTTOMPADDING", (0, 0), (-1, 0), self.size * 0.3),
        )

    def _url(self, link: Link, width: float) -> platypus.Paragraph:
        """The short URL, broken after "/" or "-" when it is wider than its column."""
        lines = url_lines(short_url(link.url), fonts.BODY, self.size, width)
        shown = linked("<br/>".join(markup(line) for line in lines), link.url)
        return tagged(shown, self.st["cell"], self.tag("Link" if linkable(link.url) else "P"))

    def _code(self, link: Link, side: float) -> Marked:
        """The QR code, a figure whose alternative text says where it leads (inside a Link)."""
        alt = labels_in(self.lang)("qr_code", label=link.label.text, url=short_url(link.url))
        return Marked(QRCode(link.url, side), self.tag("Link", ("Figure", "code"), alt=alt))

    def _height(self, items: list[tuple[Flowable, Loc]]) -> float:
        return sum(f.wrap(self.width, 10_000)[1] + f.getSpaceAfter() for f, _ in items)


_KINDS: dict[type, str] = {Bullets: "bullet", Terms: "term", Table: "table", Links: "link", Questions: "question",
                           Chart: "table"}


def _cell_tag(table: Path, row: int, column: int, head_column: bool) -> Tag:
    """A cell's place: the first row holds column headers, a head column row headers."""
    head = row == 0 or (head_column and column == 0)
    scope = ("Column" if row == 0 else "Row") if head else ""
    return Tag((*table, ("TR", str(row)), ("TH" if head else "TD", str(column))), scope=scope)


def _tight(cells: list[list[object]], widths: list[float], *style: tuple[object, ...]) -> platypus.Table:
    """A table in our font (else reportlab selects an unembedded Helvetica) with no padding:
    only the given style commands add space."""
    table = platypus.Table(cells, colWidths=widths)
    table.setStyle(
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
            *style,
        ]
    )
    return table
