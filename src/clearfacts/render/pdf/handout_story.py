"""Model blocks → platypus flowables for the one-page handout, at one body size.

Every flowable is paired with the `Loc` it came from and the section and kind of content it
belongs to, so when the page overflows the error can name the section that takes the most room
and the text in it to cut; every printed `Text` is kept with its font for the glyph check.
Content text only reaches a Paragraph through `markup()`.
"""

from __future__ import annotations

from msgspec import Struct, field
from reportlab import platypus
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from clearfacts.model import (
    Block,
    Brand,
    Bullets,
    Chart,
    IconArray,
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
from clearfacts.render.pdf.columns import Cell, column_widths, hyphenated
from clearfacts.render.pdf.document import RULE, TINT, accent_of, markup
from clearfacts.render.pdf.handout_links import LinkLayout
from clearfacts.render.pdf.handout_marks import WARN, WARN_TINT, NotApproved, Slab, Ticked
from clearfacts.render.pdf.handout_styles import styles, tight
from clearfacts.render.pdf.icon_array import icon_arrays
from clearfacts.render.pdf.logo import logo
from clearfacts.render.pdf.tags import Path, Tag
from clearfacts.render.pdf.tags import para as tagged

BULLET = "•"
ROLES = {"title": "H1", "subtitle": "P", "heading": "H2", "body": "P", "bold": "P", "bullet": "LI", "label": "H2",
         "message": "P", "warn_heading": "H2", "band_org": "P", "band_title": "H1"}
TOP, COLUMNS, BOTTOM = "top", "columns", "bottom"  # where on the one-page handout an item goes
PAD = 0.65  # a panel's inner margin, in body sizes


class Part(Struct, frozen=True):
    """What a flowable shows, for an overflow message: its section (None for the title) and the
    kind of content ("bullet", "text", "question", "link", "table", …)."""

    section: Section | None
    kind: str


class Story(Struct, LinkLayout, dict=True):
    """The handout body at one size: flowables with their source lines, and what they print."""

    size: float
    width: float
    lang: str = "en-US"
    large: bool = False
    brand: Brand | None = None  # an edition's colour and logo
    logo_elsewhere: bool = False  # the page has room for the logo elsewhere if the title has none
    column: float = 0.0  # the width of a column of the one-page handout; 0: one column, `width`
    items: list[tuple[Flowable, Loc]] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    printed: list[tuple[Text, str]] = field(default_factory=list)
    zones: list[str] = field(default_factory=list)  # per item: TOP, COLUMNS or BOTTOM
    glue: list[bool] = field(default_factory=list)  # per item: a column may not end after it

    def __post_init__(self) -> None:
        self.accent = accent_of(self.brand)
        self.logo_left_out = False  # the title had no room for the logo: the page draws it elsewhere
        self.st = styles(self.size, self.large, self.accent)
        self.part = Part(None, "title")
        self.count = 0
        self.column = self.column or self.width
        self.zone = TOP
        self.measure = self.width  # the width the current zone's items are laid out in
        self.lead_section: Section | None = None  # its call-out is the page's main message

    def into(self, zone: str) -> None:
        """What follows goes into `zone`: full width at the top and bottom, a column between."""
        self.zone = zone
        self.measure = self.column if zone == COLUMNS else self.width

    def tag(self, role: str, *inside: tuple[str, str], alt: str = "", scope: str = "") -> Tag:
        """A new element of the Document (and, given `inside`, the path below it)."""
        self.count += 1
        return Tag((((role, str(self.count)),) + inside), alt, scope)

    def add(self, flowable: Flowable, loc: Loc, kind: str | None = None, glue: bool = False) -> None:
        self.items.append((flowable, loc))
        self.parts.append(Part(self.part.section, kind or self.part.kind))
        self.zones.append(self.zone)
        self.glue.append(glue)

    def shown(self, text: Text, font: str) -> str:
        """Record that `text` is printed in `font` and return it escaped for a Paragraph."""
        self.printed.append((text, font))
        return markup(text.text)

    def para(self, text: Text, style: str, loc: Loc | None = None, tag: Tag | None = None, **kwargs: object) -> None:
        st = self.st[style]
        tag = tag or self.tag(ROLES[style])
        glue = style in ("heading", "label", "warn_heading")  # a heading stays with what follows
        self.add(tagged(self.shown(text, st.fontName), st, tag, **kwargs), loc or text.loc, glue=glue)

    def band(self, org: Text | None, text: Text, logo_at: Loc | None = None) -> None:
        """The title band: the organisation's name (when it fits one line) over the title, on a
        tint with a bar in the edition's colour under it."""
        start = len(self.items)
        if org is not None and fonts.width(org.text, self.st["band_org"].fontName,
                                           self.st["band_org"].fontSize) <= self.width - 2 * self.size:
            self.para(org, "band_org")
        self.measure = self.width - 2 * self.size * PAD  # inside the panel's padding (see `panel`)
        big = self.st["band_title"]
        fits = [k for k in (1.7, 1.6, 1.5, 1.4) if fonts.width(text.text, big.fontName, k * self.size) <= self.measure]
        scale = fits[0] if fits else 1.5  # the largest size that keeps it on one line
        self.st["band_title"] = ParagraphStyle("band_title", big, fontSize=scale * self.size,
                                               leading=scale * self.size * 1.15)
        self.title(text, logo_at, "band_title")
        self.measure = self.width
        self.panel(start, fill=TINT, stroke=None, bar=self.accent)

    def panel(self, start: int, *, fill: colors.Color, stroke: colors.Color | None, bar: colors.Color | None = None,
              sign: bool = False) -> None:
        """Wrap the items from `start` on into the slices of one panel (`handout_marks.Slab`),
        kept together in one column."""
        pad = self.size * (PAD * 0.3 if self.large else PAD)
        last = len(self.items) - 1
        for i in range(start, last + 1):
            inner, loc = self.items[i]
            first_space = self.st["heading"].spaceBefore
            self.items[i] = (Slab(inner, pad, pad * 0.8 if i == start else 0.0, pad * 0.6 if i == last else 0.0,
                                  fill=fill, stroke=stroke, bar=bar if i == last else None,
                                  sign=self.size * 1.5 if sign and i == start else 0.0,
                                  before=first_space if i == start else 0.0,
                                  after=self.size * 0.6 if i == last else 0.0), loc)
            self.glue[i] = i < last

    def lead(self, section: Section) -> None:
        """The first section's heading as a label and its call-out as the page's main message, on
        a tinted panel across the top; the rest of the section opens the columns."""
        self.lead_section = section
        rest = list(section.blocks)
        callout = next(b for b in rest if isinstance(b, Paragraph) and b.emphasis)
        rest.remove(callout)
        self.message(section, (callout.text,))  # type: ignore[union-attr] # a call-out is a Paragraph
        self.into(COLUMNS)
        for block in rest:
            self.part = Part(section, _KINDS.get(type(block), "text"))
            self.block(block)

    def closing(self, section: Section) -> None:
        """The last section, when it is only call-outs: the line the reader keeps, across the
        page's foot."""
        self.into(BOTTOM)
        self.message(section, tuple(b.text for b in section.blocks))  # type: ignore[union-attr]

    def message(self, section: Section, texts: tuple[Text, ...]) -> None:
        """A section's heading and its call-outs on a tinted panel with a bar in the edition's
        colour. On the one-page handout the heading is a side-head, left of the call-outs: a
        line saved. In large print it stays above them, at heading size."""
        self.part = Part(section, "text")
        start = len(self.items)
        style = "message" if section is self.lead_section or self.large else "callout"
        if self.large:  # two pages at 18 pt have no room to spare: a heading and bold text
            self.para(section.title, "heading", section.loc)
            for text in texts:
                self.para(text, "bold")
            return
        label_st, message_st = self.st["label"], self.st[style]
        inner = self.measure - 2 * self.size * PAD
        words = max(fonts.width(w, label_st.fontName, label_st.fontSize) for w in section.title.text.split())
        natural = fonts.width(section.title.text, label_st.fontName, label_st.fontSize)
        side = max(words, min(natural, inner * 0.24)) + self.size
        label = tagged(self.shown(section.title, label_st.fontName), label_st, self.tag("H2"))
        said = [tagged(self.shown(text, message_st.fontName), message_st, self.tag("P")) for text in texts]
        head: list[Flowable] = [label]
        if section is self.lead_section:  # the main message's picture, under its side-head
            head.append(NotApproved(self.size * 1.7, before=self.size * 0.2))
        row = tight([[head, said]], [side, inner - side], ("VALIGN", (0, 0), (-1, -1), "TOP"),
                     ("TOPPADDING", (0, 0), (0, 0), (message_st.leading - label_st.leading) / 2))
        stacked = label.wrap(inner, 10_000)[1] + label_st.spaceAfter + sum(p.wrap(inner, 10_000)[1] for p in said)
        if row.wrap(inner, 10_000)[1] <= stacked:
            self.add(row, texts[0].loc)
        else:  # the side-head would cost the message a line more than the label takes above it
            self.add(label, section.loc, glue=True)
            for text, paragraph in zip(texts, said, strict=True):
                self.add(paragraph, text.loc)
        self.panel(start, fill=TINT, stroke=None, bar=self.accent)

    def title(self, text: Text, logo_at: Loc | None = None, style: str = "title") -> None:
        """The headline, and where an edition's logo goes. The logo never costs the body a line:
        when the page has room for it elsewhere (`logo_elsewhere`: the one-page handout's footer,
        beside the contact lines) it goes there; else beside the title, at the right margin, in
        a box as tall as the title's lines and as wide as they leave free (the title wraps into
        no more lines than without it). Only when neither has room does it take a band of its own
        above the title; it is part of the story then, so the fit-or-fail layout measures it and
        names `logo_at` (the edition's `logo:` line) if that is what does not fit."""
        st = self.st[style]
        shown = self.shown(text, st.fontName)
        if self.brand is None or not self.brand.logo_data or self.logo_elsewhere:
            self.logo_left_out = self.logo_elsewhere and self.brand is not None and bool(self.brand.logo_data)
            self.add(tagged(shown, st, self.tag("H1")), text.loc)
            return
        self._beside_title(text, shown, logo_at, st)

    def _beside_title(self, text: Text, shown: str, logo_at: Loc | None, st: ParagraphStyle) -> None:
        width_now = self.measure
        gap = self.size
        height = platypus.Paragraph(shown, st).wrap(width_now, 10_000)[1]
        lines = round(height / st.leading)
        width = next((w for w in (4 * height, 3 * height, 2 * height, 1.5 * height, height)
                      if round(platypus.Paragraph(shown, st).wrap(width_now - w - gap, 10_000)[1] / st.leading)
                      == lines), None)
        if width is None:  # a title that fills every line: the logo gets a band of its own above it
            band = logo(self.brand, (width_now, st.leading))
            band.spaceAfter = st.spaceAfter  # type: ignore[union-attr]
            self.add(band, logo_at or text.loc, "logo")  # type: ignore[arg-type]
            self.add(tagged(shown, st, self.tag("H1")), text.loc)
            return
        figure = logo(self.brand, (width, height))
        row = tight([[tagged(shown, st, self.tag("H1")), figure]], [width_now - width - gap, width + gap],
                     ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"))
        row.spaceAfter = st.spaceAfter
        self.add(row, text.loc)

    def section(self, section: Section, extra: list[Text] | None = None) -> None:
        """A bold heading, the blocks, then any notice the section must end with."""
        self.part = Part(section, "heading")
        start = len(self.items)
        warning = any(isinstance(b, Bullets) and b.style == "checklist" for b in section.blocks)
        self.para(section.title, "warn_heading" if warning else "heading", section.loc)
        for block in section.blocks:
            self.part = Part(section, _KINDS.get(type(block), "text"))
            self.block(block)
        self.part = Part(section, "notice")
        for text in extra or ():
            self.para(text, "body")
        if warning:  # the red flags: a panel with a warning sign, outlined in red, its heading red too
            self.panel(start, fill=WARN_TINT, stroke=None if self.large else WARN, sign=True)

    def block(self, block: Block) -> None:
        match block:
            case Paragraph(text=text, emphasis=True):
                self.callout(text)
            case Paragraph(text=text):
                self.para(text, "body")
            case Bullets(items=items, style="checklist"):
                self.checklist(items)
            case Bullets(items=items, style="steps"):
                path = self.tag("L").path
                for n, item in enumerate(items):
                    self.para(item, "step", tag=Tag((*path, ("LI", str(n)))), bulletText=f"{n + 1}.")
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
            case IconArray():
                for label in block.labels:
                    self.shown(label, self.st["bold"].fontName)
                for figure in icon_arrays(block, self.st["bold"], self.accent):
                    self.add(figure, block.loc)
                self.para(block.caption, "body")
            case Chart():
                self.para(block.title, "bold")
                self.items[-1][0].keepWithNext = True  # large print: the title never ends a page without its values
                self.glue[-1] = True  # nor a column
                values = [Text(f.display, (f.id,), f.loc) for f in block.values]
                rows = tuple(zip(block.categories, values, strict=True))
                self.table((Text("", (), block.loc), block.series), rows, block.loc, head_column=False)

    def checklist(self, items: tuple[Text, ...]) -> None:
        """One list item per item, each after an empty box to tick (drawn as an artifact: the
        list is read as a list, its items in order, the boxes are not read)."""
        path = self.tag("L").path
        st = self.st["check"]
        box = self.size * 0.95
        for n, item in enumerate(items):
            text = tagged(self.shown(item, st.fontName), st, Tag((*path, ("LI", str(n)))))
            self.add(Ticked(text, box, box + self.size * 0.6, st.leading), item.loc)

    def callout(self, text: Text) -> None:
        """The key message: bold, on a tinted panel with a rule down its left edge."""
        pad = self.size * 0.6
        box = tight(
            [[tagged(self.shown(text, fonts.BODY_BOLD), self.st["callout"], self.tag("P"))]],
            [self.measure],
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
        widths = column_widths(measured, self.size, self.measure, pad, self.lang)
        path = self.tag("Table").path
        cells = [[self._cell(c, w - 2 * pad, _cell_tag(path, r, n, head_column))
                  for n, (c, w) in enumerate(zip(row, widths, strict=True))] for r, row in enumerate(measured)]
        grid = tight(
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

_KINDS: dict[type, str] = {Bullets: "bullet", Terms: "term", Table: "table", Links: "link", Questions: "question",
                           Chart: "table"}


def _cell_tag(table: Path, row: int, column: int, head_column: bool) -> Tag:
    """A cell's place: the first row holds column headers, a head column row headers."""
    head = row == 0 or (head_column and column == 0)
    scope = ("Column" if row == 0 else "Row") if head else ""
    return Tag((*table, ("TR", str(row)), ("TH" if head else "TD", str(column))), scope=scope)
