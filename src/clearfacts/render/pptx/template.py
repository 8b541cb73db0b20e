"""The deck's starting point: a clinic's 16:9 template, or python-pptx's default dressed in the
house style (16:9, Arial, dark-on-white, a navy accent bar).

A template keeps its masters, layouts and colours; only its slides are removed. Layouts are found
by their placeholders, not their names, because clinics rename and translate layout names.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from lxml import etree
from msgspec import Struct
from msgspec.structs import replace
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.exc import PackageNotFoundError
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.oxml.shapes.autoshape import CT_Shape
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.autoshape import Shape
from pptx.shapes.base import BaseShape
from pptx.slide import SlideLayout, SlideMaster
from pptx.util import Emu, Inches

from clearfacts.errors import ContentError, Finding
from clearfacts.render import fonts, palette
from clearfacts.render.pptx.compat import package_relationships
from clearfacts.render.pptx.layout import Box

WIDE = (Emu(12192000), Emu(6858000))  # 13.333 × 7.5 in, PowerPoint's "Widescreen"
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_FURNITURE = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
_BODIES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)


def rgb(colour: str) -> RGBColor:
    """A reportlab colour from the handouts' palette, so slides and handouts match."""
    return RGBColor.from_string(colour)


ACCENT = rgb(palette.ACCENT)


class Layouts(Struct, frozen=True):
    """The two layouts the deck needs: one for the title slide, one for every other slide; and
    the template's body area (None for the house style, which uses all the room under the title)."""

    title: SlideLayout
    content: SlideLayout
    body: Box | None = None


def open_deck(template: Path | None, accent: str = "") -> tuple[PresentationType, Layouts]:
    """An empty presentation to add slides to, and the layouts to use. `accent` (an edition's
    brand colour, #rrggbb) replaces the house navy in titles and the accent bars; a clinic's own
    template keeps its colours."""
    if template is None:
        prs = Presentation()
        _house_style(prs, rgb(accent.lstrip("#")) if accent else ACCENT)
    else:
        prs = _open_template(template)
    _drop_thumbnail(prs)
    layouts = _layouts(prs, str(template or "python-pptx default"))
    return prs, replace(layouts, body=body_area(layouts.content))


def _open_template(path: Path) -> PresentationType:
    def refuse(message: str) -> ContentError:
        return ContentError(Finding(str(path), None, f"template {message}"))

    try:
        prs = Presentation(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise refuse(f"is not a .pptx file python-pptx can open ({exc})") from None
    width, height = prs.slide_width or 0, prs.slide_height or 0
    if not height or abs(width / height - 16 / 9) > 0.01:
        raise refuse(f"is not 16:9 ({width / 914400:.2f} × {height / 914400:.2f} in); "
                     "save it as Widescreen (13.333 × 7.5 in)")
    _remove_slides(prs)
    return prs


def _remove_slides(prs: PresentationType) -> None:
    """The template's own slides are examples, not content; their parts are no longer referenced."""
    id_list = prs.slides.element  # the p:sldIdLst; python-pptx has no public delete
    for sld_id in list(id_list):
        id_list.remove(sld_id)
        prs.part.drop_rel(sld_id.rId)


def _drop_thumbnail(prs: PresentationType) -> None:
    """The stored preview shows the template's first slide (or a blank 4:3 page), not this deck."""
    package = prs.part.package
    for rid, reltype in package_relationships(package):
        if reltype == RT.THUMBNAIL:
            package.drop_rel(rid)


def _layouts(prs: PresentationType, shown: str) -> Layouts:
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts]
    with_title = [la for la in layouts if _kinds(la) & set(TITLES)]
    if not with_title:
        raise ContentError(Finding(shown, None, "template has no layout with a title placeholder; "
                                                "add a \"Title Only\" layout to its slide master"))
    content = min(with_title, key=_content_rank)
    title_like = [la for la in with_title if PP_PLACEHOLDER.CENTER_TITLE in _kinds(la)]
    title = min(title_like, key=_title_rank) if title_like else content
    return Layouts(title, content)


def body_area(content: SlideLayout) -> Box | None:
    """Where the template's designer put body text on the layout the deck's slides use, in points:
    the box around its body placeholders (a template without a "Title Only" layout builds slides
    on its "Title and Content"). None when it has none, as "Title Only" has not: then the body
    takes the room under the title, as in the house style."""
    bodies = [points(ph) for ph in content.placeholders if ph.placeholder_format.type in _BODIES]
    if not bodies:
        return None
    left, top = min(b.x for b in bodies), min(b.y for b in bodies)
    return Box(left, top, max(b.x + b.w for b in bodies) - left, max(b.bottom for b in bodies) - top)


def points(shape: BaseShape) -> Box:
    """A shape's position (a placeholder's inherited from its layout or master) in points."""
    return Box(*(Emu(getattr(shape, k)).pt for k in ("left", "top", "width", "height")))


def _kinds(layout: SlideLayout) -> set[PP_PLACEHOLDER]:
    return {ph.placeholder_format.type for ph in layout.placeholders}


def _content_rank(layout: SlideLayout) -> tuple[int, int, int]:
    """"Title Only" first, then a layout with a plain title (a centred title is a title slide's),
    then the layout with the fewest placeholders we would have to delete."""
    extra = len(_kinds(layout) - set(TITLES) - set(_FURNITURE))
    centred = PP_PLACEHOLDER.CENTER_TITLE in _kinds(layout)
    return (0 if layout.name.strip().casefold() == "title only" else 1, 1 if centred else 0, extra)


def _title_rank(layout: SlideLayout) -> tuple[int, int]:
    has_subtitle = PP_PLACEHOLDER.SUBTITLE in _kinds(layout)
    return (0 if layout.name.strip().casefold() == "title slide" else 1, 0 if has_subtitle else 1)


# --- house style for the default template -------------------------------------------------------

_TITLE_ONLY = (Inches(0.75), Inches(0.35), Inches(11.83), Inches(0.85))  # one line of 40 pt: all a title may take
_TITLE_SLIDE = {PP_PLACEHOLDER.CENTER_TITLE: (Inches(0.75), Inches(1.3), Inches(11.83), Inches(1.9)),
                PP_PLACEHOLDER.SUBTITLE: (Inches(0.75), Inches(3.5), Inches(11.83), Inches(3.4))}


def _house_style(prs: PresentationType, accent: RGBColor) -> None:
    """python-pptx's default is 4:3 Calibri with centred titles: make it 16:9 Arial, left-aligned."""
    old_width = prs.slide_width
    prs.slide_width, prs.slide_height = WIDE
    prs.element.sldSz.attrib.pop("type", None)  # python-pptx's default says "screen4x3": office suites believe it
    for master in prs.slide_masters:
        _widen(master.shapes, WIDE[0] / old_width)
        for layout in master.slide_layouts:
            _widen(layout.shapes, WIDE[0] / old_width)
        _style_master(master, accent)
        _theme_fonts(master)
        _bar(master, "Accent bar", (0, 0, Inches(0.22), WIDE[1]), accent)
    for layout in prs.slide_layouts:
        if layout.name == "Title Only":
            _place(layout, {PP_PLACEHOLDER.TITLE: _TITLE_ONLY})
        elif layout.name == "Title Slide":
            _place(layout, _TITLE_SLIDE)
            _dark_left(layout)
            _bar(layout, "Accent rule", (Inches(0.85), Inches(3.3), Inches(1.6), Inches(0.07)), accent)


def _widen(shapes: Iterable[BaseShape], factor: float) -> None:
    """Stretch placeholder positions to the wider slide so every layout still fills it."""
    for shape in shapes:
        xfrm = shape.element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
        if xfrm is not None:  # shapes without their own position inherit the widened master's
            shape.left, shape.width = Emu(round(shape.left * factor)), Emu(round(shape.width * factor))


def _place(layout: SlideLayout, where: dict[PP_PLACEHOLDER, tuple[int, int, int, int]]) -> None:
    for ph in layout.placeholders:
        if ph.placeholder_format.type in where:
            ph.left, ph.top, ph.width, ph.height = where[ph.placeholder_format.type]


def _style_master(master: SlideMaster, accent: RGBColor) -> None:
    """Titles: left-aligned, bold, in the accent (navy, 11:1 on white, or a brand colour, ≥ 7:1)."""
    title_style = master.element.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}")
    lvl1 = title_style.find(qn("a:lvl1pPr"))
    lvl1.set("algn", "l")
    rpr = lvl1.find(qn("a:defRPr"))
    rpr.set("b", "1")
    fill = rpr.find(qn("a:solidFill"))
    fill.clear()
    etree.SubElement(fill, qn("a:srgbClr")).set("val", str(accent))


def _dark_left(layout: SlideLayout) -> None:
    """The default subtitle is centred and tinted to grey (3.5:1 in LibreOffice): left and black."""
    for ppr in layout.element.iter(qn("a:lvl1pPr")):
        ppr.set("algn", "l")
    for tint in list(layout.element.iter(qn("a:tint"))):
        tint.getparent().remove(tint)


def _theme_fonts(master: SlideMaster) -> None:
    """Theme fonts → Arial, so text added later in PowerPoint matches what was measured."""
    theme = master.part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    xml = re.sub(r'(<a:(?:major|minor)Font><a:latin typeface=")[^"]*', rf"\g<1>{fonts.DECK_THEME_FONT}", xml)
    theme.blob = xml.encode("utf-8")


def _bar(owner: SlideMaster | SlideLayout, name: str, where: tuple[int, int, int, int], accent: RGBColor) -> None:
    """An accent rectangle on a master or layout, behind its placeholders: the deck's only decoration."""
    tree = owner.shapes.element  # the p:spTree; python-pptx adds shapes only on top of the others
    sp = CT_Shape.new_autoshape_sp(tree.max_shape_id + 1, name, "rect", *where)
    tree.insert(2, sp)  # after nvGrpSpPr and grpSpPr
    bar = Shape(sp, owner.shapes)
    bar.fill.solid()
    bar.fill.fore_color.rgb = accent
    bar.line.fill.background()
    bar.shadow.inherit = False
