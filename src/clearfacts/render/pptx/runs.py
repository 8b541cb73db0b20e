"""A text frame's paragraphs written as DrawingML XML in one piece.

python-pptx sets a paragraph's spacing and a run's font, size, language and colour one property
at a time, each a search through the element's children (a deck has some 500 runs): the same XML
written as a string and parsed once per frame takes a fraction of the time. It also says in one
place what every run carries, which the tests and the deck's reader read back: Arial, its size in
hundredths of a point, its language as a BCP 47 tag, its colour when the frame sets one, its link.
Line breaks and the end of each paragraph carry the size and language too (else they take the
template's size and the line's height differs from what was measured).
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from pptx.dml.color import RGBColor
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.text.text import TextFrame

from clearfacts.render import fonts
from clearfacts.render.pptx.compat import text_body
from clearfacts.render.pptx.layout import Para, indent

EMU_PER_POINT = 12700
_AUTOFIT = {qn("a:noAutofit"), qn("a:normAutofit"), qn("a:spAutoFit")}


def set_frame(tf: TextFrame, inset: tuple[float, float]) -> None:
    """A frame that wraps, never resizes itself or shrinks its text, with these insets (points)."""
    props = text_body(tf).find(qn("a:bodyPr"))
    props.set("wrap", "square")
    for side, value in (("lIns", inset[0]), ("rIns", inset[0]), ("tIns", inset[1]), ("bIns", inset[1])):
        props.set(side, str(round(value * EMU_PER_POINT)))
    for fit in [c for c in props if c.tag in _AUTOFIT]:
        props.remove(fit)
    props.insert(0, parse_xml(f"<a:noAutofit {nsdecls('a')}/>"))  # first: bodyPr's other children come after it


def set_paragraphs(tf: TextFrame, paras: tuple[Para, ...], lang: str, colour: RGBColor | None, accent: RGBColor,
                   space: float, link: Callable[[str], str]) -> None:
    """Replace the frame's paragraphs with `paras`. `link(url)` gives the relationship id of a
    hyperlink to `url`; bullets are in `accent`; `space` is the space before each paragraph after
    the first, × its size."""
    body = text_body(tf)
    for old in body.findall(qn("a:p")):
        body.remove(old)
    xml = "".join(_paragraph(para, i == 0, lang, colour, accent, space, link) for i, para in enumerate(paras))
    for p in parse_xml(f"<a:txBody {nsdecls('a', 'r')}>{xml}</a:txBody>"):
        body.append(p)


def _paragraph(para: Para, first: bool, lang: str, colour: RGBColor | None, accent: RGBColor, space: float,
               link: Callable[[str], str]) -> str:
    hang = round(indent(para) * EMU_PER_POINT)
    before = 0 if first else round(space * para.size * 100)
    if para.bullet:
        marks = (f'<a:buClr><a:srgbClr val="{accent}"/></a:buClr><a:buFont typeface="{fonts.DECK_THEME_FONT}"/>'
                 '<a:buChar char="•"/>')
    else:
        marks = "<a:buNone/>"
    # line spacing 100 %: templates often set 90 % or 150 %, and the measurement assumes single
    out = [f'<a:p><a:pPr marL="{hang}" indent="{-hang}"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
           f'<a:spcBef><a:spcPts val="{before}"/></a:spcBef>{marks}</a:pPr>']
    sized = f"lang={quoteattr(lang)} sz=\"{round(para.size * 100)}\""
    fill = f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>' if colour is not None else ""
    for piece in para.pieces:
        target = f'<a:hlinkClick r:id="{link(piece.url)}"/>' if piece.url else ""
        props = (f'<a:rPr b="{1 if piece.bold else 0}" {sized}>{fill}<a:latin typeface="{fonts.DECK_THEME_FONT}"/>'
                 f"{target}</a:rPr>")  # attributes in python-pptx's order: the same XML as its proxies write
        for n, segment in enumerate(piece.text.split("\n")):
            if n:
                out.append(f"<a:br><a:rPr {sized}/></a:br>")
            out.append(f"<a:r>{props}<a:t>{escape(segment)}</a:t></a:r>")
    out.append(f"<a:endParaRPr {sized}/></a:p>")
    return "".join(out)
