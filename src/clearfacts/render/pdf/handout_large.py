"""The large-print red-flag handout: the same story as the handout, at 18 pt or more, on up to
two pages (printed back to back), tagged like the others.

APH large-print guidance: body text at least 18 pt, headings at least 24 pt. So the body tries
20, 19 and 18 pt and keeps the largest that fits two pages; the footer (who to call, the review
date and disclaimer) is set at 18 pt and only the source line at 14 pt. It follows the text
instead of being pinned to the foot of the page, so it is read last and never reserves room on
page one. When even 18 pt needs a third page the build fails, naming the section that takes the
most room (`overflow.py`): text is never shrunk below large print or hidden.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Frame, HRFlowable, KeepTogether, PageTemplate

from clearfacts.errors import ContentError
from clearfacts.model import ContentSet, Text
from clearfacts.options import BuildOptions
from clearfacts.render import fonts
from clearfacts.render.dates import review_date
from clearfacts.render.labels import labels_for
from clearfacts.render.pdf import contact
from clearfacts.render.pdf.document import INK, RULE, SHEET, build_tagged_within, markup, new_document
from clearfacts.render.pdf.handout import BOTTOM, SIDE, TOP, check_glyphs, story_for
from clearfacts.render.pdf.handout_styles import LEADING
from clearfacts.render.pdf.overflow import overflow
from clearfacts.render.pdf.tags import Tag, mark, para

SIZES = (20.0, 19.0, 18.0)  # body sizes to try, largest first; never below 18 pt
MAX_PAGES = 2
FOOTER_SIZE = 18.0
SOURCE_SIZE = 14.0  # the source line only
CONTACT_FLOOR = 14.0  # the contact lines, only when settings at their limits need the room


def render_large_print(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    """The large-print handout at the largest body size that fits two pages, or a ContentError.

    Only when even 18 pt takes a third page do the contact lines step down to the source line's
    size (settings at their limits), and the sizes are tried again."""
    fonts.register()
    pagesize = SHEET[options.paper]
    width = pagesize[0] - 2 * SIDE
    check_glyphs(story_for(content, SIZES[-1], width, large=True).printed + _Footer(content, width).printed)
    for contact_size in (FOOTER_SIZE, CONTACT_FLOOR):
        footer = _Footer(content, width, contact_size)

        def laid_out(size: float, footer: _Footer = footer) -> bytes | None:
            story = story_for(content, size, width, large=True)  # fresh: a layout keeps state on its flowables
            buf = io.BytesIO()
            doc = _document(content, options, stamp, pagesize, buf)
            return build_tagged_within(doc, buf, [f for f, _ in story.items] + footer.flowables(), MAX_PAGES)

        made = largest_fitting(SIZES, laid_out)
        if made is not None:
            return made
    story = story_for(content, SIZES[-1], width, large=True)
    room = MAX_PAGES * (pagesize[1] - TOP - BOTTOM) - footer.height()
    raise ContentError(overflow(story, room, "large-print red-flag handout",
                                f"{MAX_PAGES} page{'s' if MAX_PAGES > 1 else ''}"))


def largest_fitting(sizes: Sequence[float], laid_out: Callable[[float], bytes | None]) -> bytes | None:
    """The file at the largest of `sizes` (largest first) that `laid_out` can fit, found by
    halving: smaller type never needs more room, so after a size that fits only larger ones are
    tried, after one that does not only smaller ones. Each layout is a real one (its file is kept
    if it fits): two layouts for three sizes, where trying them in turn takes up to three."""
    best: bytes | None = None
    low, high = 0, len(sizes)  # the sizes still to decide: sizes[low:high]
    while low < high:
        middle = (low + high) // 2
        made = laid_out(sizes[middle])
        if made is not None:
            best, high = made, middle
        else:
            low = middle + 1
    return best


class _Footer:
    """Who to call, the review date with the disclaimer, the source line: one block after the text."""

    def __init__(self, content: ContentSet, width: float, contact_size: float = FOOTER_SIZE):
        n = content.notices
        org = content.settings.organisation
        self.width = width
        self.block = contact.at_size(org, contact_size, width)
        main = ParagraphStyle("footer", fontName=fonts.BODY, fontSize=FOOTER_SIZE, leading=FOOTER_SIZE * LEADING,
                              textColor=INK, spaceBefore=FOOTER_SIZE * 0.4)
        self.styles = (main, ParagraphStyle("source", main, fontSize=SOURCE_SIZE, leading=SOURCE_SIZE * LEADING))
        self.reviewed = Text(f"{labels_for(content)('reviewed', date=review_date(content))}.", (), content.settings.loc)
        self.notices = n
        self.printed = [(self.reviewed, fonts.BODY_BOLD), (n.disclaimer, fonts.BODY), (n.source_line, fonts.BODY)]
        self.printed += [(content.settings.text("organisation.name", org.name), fonts.BODY_BOLD)]
        self.printed += [(content.settings.text(f"organisation.{key}", getattr(org, key)), fonts.BODY)
                         for key in ("phone", "email", "website")]

    def flowables(self) -> list[Flowable]:
        """Fresh flowables for each layout (platypus keeps state on them), kept on one page."""
        return [KeepTogether(self._items())]

    def _items(self) -> list[Flowable]:
        main, source = self.styles
        return [
            HRFlowable(width="100%", thickness=1, color=RULE, spaceBefore=FOOTER_SIZE / 2, spaceAfter=FOOTER_SIZE / 2),
            _Contact(self.block),
            para(f"<b>{markup(self.reviewed.text)}</b> {markup(self.notices.disclaimer.text)}", main,
                 Tag((("P", "notice"),))),
            para(markup(self.notices.source_line.text), source, Tag((("P", "source"),))),
        ]

    def height(self) -> float:
        return sum(f.wrap(self.width, 100_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in self._items())


class _Contact(Flowable):
    """The contact area as a flowable: one paragraph element, its addresses links."""

    def __init__(self, block: contact.ContactBlock):
        super().__init__()
        self.block = block

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's name
        return availWidth, self.block.height

    def draw(self) -> None:
        with mark(self.canv, Tag((("P", "contact"),)), self):
            self.block.draw(self.canv, 0, self.block.height)


def _document(content: ContentSet, options: BuildOptions, stamp: str, pagesize: tuple[float, float],
              buf: io.BytesIO) -> object:
    doc = content.handout
    frame = Frame(SIDE, BOTTOM, pagesize[0] - 2 * SIDE, pagesize[1] - TOP - BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    return new_document(buf, pagesize, options, title=labels_for(content)("large_print", title=doc.title.text),
                        author=content.settings.organisation.name, subject=(doc.subtitle or doc.title).text,
                        stamp=stamp, lang=content.settings.language,
                        pageTemplates=[PageTemplate(id="page", frames=[frame], pagesize=pagesize)],
                        leftMargin=SIDE, rightMargin=SIDE, topMargin=TOP, bottomMargin=BOTTOM)
