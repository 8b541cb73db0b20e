"""The handout's links: QR codes with what to type beside them, in rows or a two-column grid.

A mixin of `Story` (handout_story.py): it lays out with the story's size, column measure, styles
and tags, and records what it prints for the glyph check. Apart because choosing between a row
per link and a grid, and keeping every address unbroken, is its own job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reportlab import platypus
from reportlab.platypus import Flowable

from clearfacts.model import Link, Loc, Text
from clearfacts.render import fonts
from clearfacts.render.labels import labels_in
from clearfacts.render.pdf.document import markup
from clearfacts.render.pdf.handout_styles import tight
from clearfacts.render.pdf.tags import Marked, Tag
from clearfacts.render.pdf.tags import para as tagged
from clearfacts.render.qr import QRCode, matched_size
from clearfacts.render.urls import linkable, short_url, url_lines

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle


def href(url: str) -> str | None:
    """The `<a href>` attribute value for a link we allow (http(s), mailto), else None."""
    return markup(url).replace('"', "&quot;") if linkable(url) else None


def linked(shown: str, url: str) -> str:
    """Markup that prints `shown` (already escaped) and links it when the scheme is allowed."""
    target = href(url)
    return f'<a href="{target}">{shown}</a>' if target else shown


class LinkLayout:
    """Link blocks for `Story`; the attributes below are the story's."""

    size: float
    measure: float
    lang: str
    st: dict[str, ParagraphStyle]
    printed: list[tuple[Text, str]]
    qr_version: int | None = None  # the QR version every code on the page is drawn at

    tag: Callable[..., Tag]  # a new structure element
    add: Callable[..., None]  # a flowable with its source line
    shown: Callable[[Text, str], str]  # a Text as markup, recorded for the glyph check

    def links(self, items: tuple[Link, ...]) -> None:
        """QR links as one row each or as a two-column grid, whichever is shorter; then the
        links without a code as plain lines."""
        coded = [link for link in items if link.qr]
        if coded:
            side, self.qr_version = matched_size([link.url for link in coded])  # one printed size
            labels = [self.shown(link.label, fonts.BODY_BOLD) for link in coded]
            for link in coded:
                self.printed.append((link.display or Text(short_url(link.url), (), link.loc), fonts.BODY))
            options = [self._qr_rows(coded, labels, side)]
            if len(coded) > 1:
                options.append(self._qr_grid(coded, labels, side))
            for flowable, loc in min(options, key=self._height):
                self.add(flowable, loc)
        for link in items:
            if not link.qr:
                label = self.shown(link.label, fonts.BODY_BOLD)
                url = linked(self.shown(link.display or Text(short_url(link.url), (), link.loc), fonts.BODY), link.url)
                self.add(tagged(f"<b>{label}</b><br/>{url}", self.st["body"], self.tag("P")), link.loc)

    def _qr_rows(self, links: list[Link], labels: list[str], side: float) -> list[tuple[Flowable, Loc]]:
        """One full-width row per link: the code, then its label and URL beside it."""
        gap = self.size
        text_width = self.measure - side - gap
        out = []
        for link, label in zip(links, labels, strict=True):
            cell = [tagged(label, self.st["bold"], self.tag("P")), self._url(link, text_width)]
            row = tight(
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
                first = (self.measure - gutter) * share
                widths = [first, gutter, self.measure - gutter - first]
                if all(self._unbroken(link, widths[2 * n], side) for n, (link, _) in enumerate(pair)):
                    heads = [self._label_height(label, widths[2 * n]) for n, (_, label) in enumerate(pair)]
                    cells = [self._qr_cell(link, label, side, widths[2 * n], max(heads) - heads[n])
                             for n, (link, label) in enumerate(pair)]
                    taller = max((0, 1), key=lambda n: cells[n].wrap(widths[2 * n], 10_000)[1])
                    table = tight([[cells[0], "", cells[1]]], widths, ("VALIGN", (0, 0), (-1, -1), "TOP"))
                    rows.append((table, pair[taller][0].loc))  # the row is as tall as its taller link
            if not rows:
                out.extend(self._qr_rows([link for link, _ in pair], [label for _, label in pair], side))
                continue
            row, loc = min(rows, key=lambda r: r[0].wrap(self.measure, 10_000)[1])
            row.spaceAfter = self.size * 0.4
            out.append((row, loc))
        return out

    def _unbroken(self, link: Link, width: float, side: float) -> bool:
        """True when, in a cell `width` wide, no word of the label and no part of the URL would
        have to be cut between letters."""
        url_width = width - side - self.size * 0.7
        printed = link.display.text.split() if link.display else short_url(link.url).split("/")
        parts = [p for part in printed for p in part.split("-")]
        return all(fonts.width(w, fonts.BODY_BOLD, self.size) <= width for w in link.label.text.split()) and all(
            fonts.width(p + "-", fonts.BODY, self.size) <= url_width for p in parts
        )

    def _label_height(self, label: str, width: float) -> float:
        """How tall a grid cell's label is set `width` wide."""
        return platypus.Paragraph(label, self.st["bold"]).wrap(width, 10_000)[1]

    def _qr_cell(self, link: Link, label: str, side: float, width: float, drop: float = 0.0) -> platypus.Table:
        """The label across the top, then the code with the URL beside it; `drop` is extra room
        under the label, so that the two codes of a row start at one height when one label takes
        more lines than the other."""
        gap = self.size * 0.7
        return tight(
            [
                [tagged(label, self.st["bold"], self.tag("P")), ""],
                [self._code(link, side), self._url(link, width - side - gap)],
            ],
            [side + gap, width - side - gap],
            ("SPAN", (0, 0), (1, 0)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOTTOMPADDING", (0, 0), (-1, 0), self.size * 0.3 + drop),
        )

    def _url(self, link: Link, width: float) -> platypus.Paragraph:
        """What to type: the link's `display` (wrapped at its spaces), else the short URL, broken
        after "/" or before "-" when it is wider than its column. The link itself goes to the full URL."""
        if link.display:
            shown = linked(markup(link.display.text), link.url)
            return tagged(shown, self.st["cell"], self.tag("Link" if linkable(link.url) else "P"))
        lines = url_lines(short_url(link.url), fonts.BODY, self.size, width)
        shown = linked("<br/>".join(markup(line) for line in lines), link.url)
        return tagged(shown, self.st["cell"], self.tag("Link" if linkable(link.url) else "P"))

    def _code(self, link: Link, side: float) -> Marked:
        """The QR code, a figure whose alternative text says where it leads (inside a Link)."""
        alt = labels_in(self.lang)("qr_code", label=link.label.text, url=short_url(link.url))
        return Marked(QRCode(link.url, side, self.qr_version), self.tag("Link", ("Figure", "code"), alt=alt))

    def _height(self, items: list[tuple[Flowable, Loc]]) -> float:
        return sum(f.wrap(self.measure, 10_000)[1] + f.getSpaceAfter() for f, _ in items)
