"""What the handout and booklet share: paper sizes, colours, escaping, and a reproducible,
accessible document template (embedded font, metadata, language, fixed dates)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import partial

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5, LETTER
from reportlab.lib.units import inch
from reportlab.platypus import BaseDocTemplate, Flowable

from clearfacts.model import Brand
from clearfacts.options import BuildOptions
from clearfacts.render import fonts, palette
from clearfacts.render.pdf.compat_reportlab import binary_streams, set_document_time
from clearfacts.render.pdf.structure import About, finish
from clearfacts.render.pdf.tags import TaggedCanvas, Tagger

INK = colors.HexColor(f"#{palette.INK}")
ACCENT = colors.HexColor(f"#{palette.ACCENT}")
RULE = colors.HexColor(f"#{palette.RULE}")
TINT = colors.HexColor(f"#{palette.TINT}")
MIN_SIDE_MARGIN = 0.8 * inch
HALF_LETTER = (5.5 * inch, 8.5 * inch)
SHEET = {"letter": LETTER, "a4": A4}
BOOKLET_PAGE = {"letter": HALF_LETTER, "a4": A5}



def accent_of(brand: Brand | None) -> colors.Color:
    """The colour of headings and rules: an edition's brand colour, else the house accent."""
    return colors.HexColor(brand.accent) if brand is not None and brand.accent else ACCENT


def markup(text: str) -> str:
    """Content text made safe for a reportlab Paragraph: `<img …>` and `&` print literally.

    Written out rather than taken from xml.sax.saxutils, whose import pulls in urllib.request,
    http.client and ssl: a twentieth of a cold build, for three replacements."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def new_document(buf: io.BytesIO, pagesize: tuple[float, float], options: BuildOptions, *, title: str,
                 author: str, subject: str, stamp: str, lang: str, **kwargs: object) -> BaseDocTemplate:
    """A doc template that embeds only our TTF, carries metadata and the build stamp, and dates
    the file from the build options instead of the clock."""
    fonts.register()
    doc = _FixedDateDoc(
        buf,
        pagesize=pagesize,
        title=title,
        author=author,
        subject=subject,
        keywords=stamp,
        creator="clearfacts",
        producer="clearfacts (reportlab)",
        lang=lang,
        displayDocTitle=True,
        invariant=1,
        initialFontName=fonts.BODY,
        initialFontSize=12,
        **kwargs,
    )
    doc.fixed_time = options.when.timestamp()
    doc.about = About(title, author, subject, stamp, lang, options.when)
    return doc


def build_tagged(doc: BaseDocTemplate, buf: io.BytesIO, story: Sequence[Flowable],
                 titles: dict[str, str] | None = None) -> bytes:
    """Build `story` into `buf` with marked content, then add the structure tree: the finished,
    tagged PDF. `titles` name the targets of internal links (what a screen reader says)."""
    tagger = _lay_out(doc, story, titles)
    return finish(buf.getvalue(), tagger, doc.about)


def build_tagged_within(doc: BaseDocTemplate, buf: io.BytesIO, story: Sequence[Flowable],
                        max_pages: int) -> bytes | None:
    """`build_tagged`, or None when the layout takes more than `max_pages` pages: a caller trying
    type sizes lays each out once, for real, and keeps the first that fits, instead of measuring
    every size and then laying out the chosen one again. A layout that does not fit is never
    tagged."""
    tagger = _lay_out(doc, story, None)
    return finish(buf.getvalue(), tagger, doc.about) if doc.page <= max_pages else None


def _lay_out(doc: BaseDocTemplate, story: Sequence[Flowable], titles: dict[str, str] | None) -> Tagger:
    """Lay `story` out into the document's buffer with marked content; what was marked where."""
    tagger = Tagger()
    tagger.titles.update(titles or {})
    doc.tagger = tagger
    with binary_streams():
        doc.build(list(story), canvasmaker=partial(TaggedCanvas, tagger=tagger))
    return tagger


class Deferred(Flowable):
    """A place in a story whose flowables are known only when the layout reaches it (how many
    pages are still needed, say): `expand` gives them, from the document as it stands."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        return 0, 0

    def expand(self, doc: BaseDocTemplate) -> list[Flowable]:
        raise NotImplementedError


class _FixedDateDoc(BaseDocTemplate):
    fixed_time: float = 0.0
    tagger: Tagger | None = None
    about: About

    def handle_pageBegin(self) -> None:  # noqa: N802 - reportlab hook name
        """Each page opens as an artifact: what no block tags (furniture) stays one."""
        if self.tagger is not None and isinstance(self.canv, TaggedCanvas):
            self.tagger.page_begin(self.canv)
        super().handle_pageBegin()

    def filterFlowables(self, flowables: list[Flowable]) -> None:  # noqa: N802 - reportlab hook name
        """Reportlab's hook before each flowable is laid out: a `Deferred` becomes its flowables."""
        while flowables and isinstance(flowables[0], Deferred):
            flowables[0:1] = flowables[0].expand(self)

    def beforeDocument(self) -> None:  # noqa: N802 - reportlab hook name
        set_document_time(self.canv, self.fixed_time)
