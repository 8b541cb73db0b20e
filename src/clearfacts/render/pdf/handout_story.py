"""Model blocks → platypus flowables for the one-page handout, at one body size.

Every flowable is paired with the `Loc` it came from, so when the page overflows the error can
name the first block that fell off; every printed `Text` is kept with its font for the glyph
check. Content text only reaches a Paragraph through `markup()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab import platypus
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from clearfacts.model import (
    Block,
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
from clearfacts.render.pdf.document import ACCENT, INK, RULE, TINT, markup
from clearfacts.render.qr import QRCode, min_side
from clearfacts.render.urls import linkable, short_url, url_lines

LEADING = 1.25  # line height as a multiple of the font size (low-vision guidance: ≥ 1.2)
BULLET = "•"


def styles(size: float) -> dict[str, ParagraphStyle]:
    """Every style scales with the body size, so stepping it down re-flows the whole page."""
    body = ParagraphStyle(
        "body",
        fontName=fonts.BODY,
        fontSize=size,
        leading=size * LEADING,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=size * 0.35,
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
            fontSize=size * 1.25,
            leading=size * 1.25 * 1.2,
            textColor=ACCENT,
            spaceBefore=size * 0.7,
            spaceAfter=size * 0.25,
        ),
        "body": body,
        "bold": ParagraphStyle("bold", body, fontName=fonts.BODY_BOLD),
        "bullet": ParagraphStyle(
            "bullet",
            body,
            leftIndent=size * 1.3,
            bulletIndent=size * 0.25,
            bulletFontName=fonts.BODY_BOLD,
            spaceAfter=size * 0.15,
        ),
        "callout": ParagraphStyle("callout", body, fontName=fonts.BODY_BOLD, spaceAfter=0),
        "cell": ParagraphStyle("cell", body, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", body, fontName=fonts.BODY_BOLD, spaceAfter=0),
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


@dataclass
class Story:
    """The handout body at one size: flowables with their source lines, and what they print."""

    size: float
    width: float
    items: list[tuple[Flowable, Loc]] = field(default_factory=list)
    printed: list[tuple[Text, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.st = styles(self.size)

    def add(self, flowable: Flowable, loc: Loc) -> None:
        self.items.append((flowable, loc))

    def shown(self, text: Text, font: str) -> str:
        """Record that `text` is printed in `font` and return it escaped for a Paragraph."""
        self.printed.append((text, font))
        return markup(text.text)

    def para(self, text: Text, style: str, loc: Loc | None = None, **kwargs: object) -> None:
        st = self.st[style]
        self.add(platypus.Paragraph(self.shown(text, st.fontName), st, **kwargs), loc or text.loc)

    def section(self, section: Section, extra: list[Text] | None = None) -> None:
        """A bold heading, the blocks, then any notice the section must end with."""
        self.para(section.title, "heading", section.loc)
        for block in section.blocks:
            self.block(block)
        for text in extra or ():
            self.para(text, "body")

    def block(self, block: Block) -> None:
        match block:
            case Paragraph(text=text, emphasis=True):
                self.callout(text)
            case Paragraph(text=text):
                self.para(text, "body")
            case Bullets(items=items):
                for item in items:
                    self.para(item, "bullet", bulletText=BULLET)
            case Terms(items=items):
                for item in items:
                    term = self.shown(item.term, fonts.BODY_BOLD)
                    text = self.shown(item.text, fonts.BODY)
                    self.add(platypus.Paragraph(f"<b>{term}:</b> {text}", self.st["body"]), item.term.loc)
            case Table():
                self.table(block.columns, block.rows, block.loc)
            case Links(items=items):
                self.links(items)
            case Questions(items=items):
                for q in items:
                    self.para(q.question, "bold")
                    for answer in q.answer:
                        self.para(answer, "body")
            case Chart():
                self.para(block.title, "bold")
                values = [Text(f.display, (f.id,), f.loc) for f in block.values]
                rows = tuple(zip(block.categories, values, strict=True))
                self.table((Text("", (), block.loc), block.series), rows, block.loc)

    def callout(self, text: Text) -> None:
        """The key message: bold, on a tinted panel with a rule down its left edge."""
        pad = self.size * 0.6
        box = _tight(
            [[platypus.Paragraph(self.shown(text, fonts.BODY_BOLD), self.st["callout"])]],
            [self.width],
            ("BACKGROUND", (0, 0), (-1, -1), TINT),
            ("LINEBEFORE", (0, 0), (0, -1), 4, ACCENT),
            ("LEFTPADDING", (0, 0), (-1, -1), pad + 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        )
        box.spaceAfter = self.size * 0.6
        self.add(box, text.loc)

    def table(self, columns: tuple[Text, ...], rows: tuple[tuple[Text, ...], ...], loc: Loc) -> None:
        cells = [[platypus.Paragraph(self.shown(c, fonts.BODY_BOLD), self.st["cell_head"]) for c in columns]]
        cells += [[platypus.Paragraph(self.shown(c, fonts.BODY), self.st["cell"]) for c in row] for row in rows]
        pad = self.size * 0.35
        grid = _tight(
            cells,
            [self.width / len(columns)] * len(columns),
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
            self.items.extend(min(options, key=self._height))
        for link in items:
            if not link.qr:
                label = self.shown(link.label, fonts.BODY_BOLD)
                url = linked(self.shown(Text(short_url(link.url), (), link.loc), fonts.BODY), link.url)
                self.add(platypus.Paragraph(f"<b>{label}</b><br/>{url}", self.st["body"]), link.loc)

    def _qr_rows(self, links: list[Link], labels: list[str], side: float) -> list[tuple[Flowable, Loc]]:
        """One full-width row per link: the code, then its label and URL beside it."""
        gap = self.size
        text_width = self.width - side - gap
        out = []
        for link, label in zip(links, labels, strict=True):
            cell = [platypus.Paragraph(label, self.st["bold"]), self._url(link, text_width)]
            row = _tight(
                [[QRCode(link.url, side), cell]], [side + gap, text_width], ("VALIGN", (0, 0), (-1, -1), "MIDDLE")
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
                    rows.append(_tight([[cells[0], "", cells[1]]], widths, ("VALIGN", (0, 0), (-1, -1), "TOP")))
            if not rows:
                out.extend(self._qr_rows([link for link, _ in pair], [label for _, label in pair], side))
                continue
            row = min(rows, key=lambda r: r.wrap(self.width, 10_000)[1])
            row.spaceAfter = self.size * 0.4
            out.append((row, pair[0][0].loc))
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
                [platypus.Paragraph(label, self.st["bold"]), ""],
                [QRCode(link.url, side), self._url(link, width - side - gap)],
            ],
            [side + gap, width - side - gap],
            ("SPAN", (0, 0), (1, 0)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOTTOMPADDING", (0, 0), (-1, 0), self.size * 0.3),
        )

    def _url(self, link: Link, width: float) -> platypus.Paragraph:
        """The short URL, broken after "/" or "-" when it is wider than its column."""
        lines = url_lines(short_url(link.url), fonts.BODY, self.size, width)
        return platypus.Paragraph(linked("<br/>".join(markup(line) for line in lines), link.url), self.st["cell"])

    def _height(self, items: list[tuple[Flowable, Loc]]) -> float:
        return sum(f.wrap(self.width, 10_000)[1] + f.getSpaceAfter() for f, _ in items)

    def organisation(self, content: ContentSet) -> None:
        """Who gave you this handout and how to reach them."""
        org = content.settings.organisation
        name = self.shown(settings_text(content, "organisation.name", org.name), fonts.BODY_BOLD)
        parts = []
        if org.phone:
            parts.append(self.shown(settings_text(content, "organisation.phone", org.phone), fonts.BODY))
        for key, value, url in (("email", org.email, f"mailto:{org.email}"), ("website", org.website, org.website)):
            if value:
                shown = self.shown(settings_text(content, f"organisation.{key}", short_url(value)), fonts.BODY)
                parts.append(linked(shown, url))
        para = platypus.Paragraph(" · ".join([f"<b>{name}</b>", *parts]), self.st["body"])
        para.spaceBefore = self.size * 0.8
        self.add(para, settings_text(content, "organisation.name", org.name).loc)


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
