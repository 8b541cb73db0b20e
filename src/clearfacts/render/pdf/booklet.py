"""model booklet → the half-letter (or A5) FAQ booklet as PDF bytes.

Page order: cover (page 1), contents, the sections in order, notes pages, back cover. The
booklet itself is padded to a multiple of 4 pages, ruled "Notes" pages going just before the back cover,
so the screen PDF and the imposed print PDF agree page for page and every folio is the
page's physical position.

Layout runs once. The two things that depend on where everything lands are filled in as the
layout reaches them: the contents page's numbers are form XObjects defined at the end
(`booklet_pages.PageNumber`), and the notes pages are counted when the flow gets to them
(`booklet_pages.NotesPadding`).
"""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from clearfacts.model import ContentSet, Link, Links, Text
from clearfacts.options import BuildOptions
from clearfacts.render import fonts
from clearfacts.render.labels import labels_for
from clearfacts.render.pdf.booklet_blocks import block_flowables, heading
from clearfacts.render.pdf.booklet_flow import PartBreak, link_starts
from clearfacts.render.pdf.booklet_pages import (
    Layout,
    NotesPadding,
    PageNumbers,
    back_cover,
    contents,
    cover,
    templates,
    text_height,
    text_width,
)
from clearfacts.render.pdf.document import BOOKLET_PAGE, accent_of, build_tagged, new_document
from clearfacts.render.qr import QRCode, matched_size


def render_booklet(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    """The finished booklet, its page count a multiple of 4; raises ContentError for text the
    font cannot print."""
    labels_for(content)  # a language without labels stops here, naming settings.yaml
    texts = printed_texts(content)
    fonts.check_glyphs(texts, fonts.BODY)
    fonts.check_glyphs(texts, fonts.BODY_BOLD)  # headings, terms and call-outs print bold
    return _build(content, options, stamp)


def printed_texts(content: ContentSet) -> list[Text]:
    """Every string from the content that the booklet prints, each knowing its file:line."""
    notices = content.notices
    org = content.settings.organisation
    return [*content.booklet.texts(), *_link_urls(content), notices.disclaimer, notices.endorsement,
            notices.source_line, *(content.settings.text(f"organisation.{name}", getattr(org, name))
                                   for name in ("name", "phone", "email", "website"))]


def _link_urls(content: ContentSet) -> list[Text]:
    """What the booklet prints for each link's address: its display, or the URL itself."""
    return [link.display or Text(link.url, (), link.loc) for link in _links(content)]


def _links(content: ContentSet) -> list[Link]:
    return [link for s in content.booklet.sections for b in s.blocks if isinstance(b, Links) for link in b.items]


def qr_size(content: ContentSet) -> tuple[float, int]:
    """One size for every QR code in the booklet (side, QR version): the largest any of them
    needs (at least 2 cm of code), so the codes look alike and the labels beside them line up."""
    urls = [link.url for link in _links(content) if link.qr]
    return matched_size(urls) if urls else (0.0, 0)


def _qr_code(size: tuple[float, int]) -> Callable[[str], Flowable]:
    return lambda url: QRCode(url, *size)


def _build(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    """The one layout pass, tagged."""
    pagesize = BOOKLET_PAGE[options.paper]
    doc_model = content.booklet
    buf = io.BytesIO()
    layout = Layout(accent_of(content.settings.brand))
    doc = new_document(buf, pagesize, options, title=doc_model.title.text,
                       author=content.settings.organisation.name,
                       subject=doc_model.subtitle.text if doc_model.subtitle else doc_model.title.text,
                       stamp=stamp, lang=content.settings.language, pageTemplates=templates(pagesize, layout))
    doc.afterFlowable = layout.after_flowable
    story = _story(content, layout, pagesize, _qr_code(qr_size(content)))
    titles = {f"s{i}": s.title.text for i, s in enumerate(doc_model.sections)}
    return build_tagged(doc, buf, story, titles)


def _story(content: ContentSet, layout: Layout, pagesize: tuple[float, float],
           qr_code: Callable[[str], Flowable]) -> list[Flowable]:
    """Cover, contents, sections, notes pages, back cover; then the contents page's numbers."""
    width, height = text_width(pagesize), text_height(pagesize)
    labels = labels_for(content)
    brand = content.settings.brand
    accent = accent_of(brand) if brand is not None and brand.accent else None
    sections = [(f"s{i}", s.title) for i, s in enumerate(content.booklet.sections)]
    # a cycle, not autoNextPageTemplate: reportlab's auto-next keeps each template for two pages
    flow = NextPageTemplate(["verso", "recto"])  # page 2 verso, page 3 recto, …
    # the contents share page 2 with the first section: a page of its own would stand half empty
    toc, numbers = contents(sections, width, labels, accent)
    story: list[Flowable] = [flow, *cover(content, labels, pagesize, accent), PageBreak(), *toc]
    for (key, _), section in zip(sections, content.booklet.sections, strict=True):
        if section.new_page:  # a new part: a fresh page unless half of this one is free
            story.append(PartBreak(height))
        story += heading(section.title.text, key, 0, accent, part=section.new_page)
        for j, block in enumerate(section.blocks):
            story += block_flowables(block, f"{key}b{j}", width, qr_code, height=height,
                                     lang=content.settings.language, accent=accent)
    story += [NextPageTemplate("blank"), NotesPadding(labels, accent), NextPageTemplate("back"), PageBreak()]
    story += [*back_cover(content, pagesize, labels, accent), PageNumbers(numbers, layout)]
    return link_starts(story, height)
