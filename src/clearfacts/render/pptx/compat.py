"""Every use of python-pptx's private names, in one place, each with the reason it is needed.

python-pptx is pinned exactly (pyproject.toml), and tests/test_compat.py exercises each helper,
so an upgrade that moves one of these names fails there, not in a clinic's build.

Where python-pptx has a public way to reach the XML (the `element` property of shapes, slides,
masters, layouts and the `slides`/`shapes` collections), the renderer uses it directly; only what
has no public door comes through here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from lxml import etree
from pptx.opc.package import OpcPackage
from pptx.oxml import xmlchemy
from pptx.oxml.ns import _nsmap  # the prefix → namespace map python-pptx's own XPath uses
from pptx.oxml.text import CT_TextCharacterProperties, CT_TextParagraphProperties
from pptx.text.text import _Paragraph, _Run

# python-pptx names its paragraph proxy privately, yet `TextFrame.paragraphs` hands it out: this
# alias lets the renderer name the type in its hints without importing the private name.
TextParagraph = _Paragraph


@lru_cache(maxsize=512)
def _compiled(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=_nsmap)


def _xpath(self: etree._Element, path: str) -> object:
    return _compiled(path)(self)


@contextmanager
def compiled_xpath() -> Iterator[None]:
    """While the deck is being written, python-pptx's XPath look-ups use compiled expressions.

    python-pptx evaluates XPath through lxml's `_Element.xpath`, which compiles the expression on
    every call; one deck asks for about 2,400, a fifth of its build time. A compiled
    `etree.XPath` with the same namespaces gives the same result (the deck stays byte-identical).
    The original method is put back on exit, so nothing else in the process (the deck reader
    least of all) runs with it."""
    original = xmlchemy.BaseOxmlElement.xpath
    xmlchemy.BaseOxmlElement.xpath = _xpath  # type: ignore[method-assign]
    try:
        yield
    finally:
        xmlchemy.BaseOxmlElement.xpath = original  # type: ignore[method-assign]


def paragraph_properties(p: _Paragraph) -> CT_TextParagraphProperties:
    """The paragraph's `a:pPr`, added if missing.

    Bullets (character, colour, font) and hanging indents have no python-pptx API, and
    `_Paragraph` exposes its `a:p` element only as the private `_p`."""
    return p._p.get_or_add_pPr()  # private: the only way from a paragraph proxy to its XML


def line_break_properties(p: _Paragraph) -> CT_TextCharacterProperties:
    """A new line break (`a:br`) at the end of the paragraph, and its run properties.

    The public `add_line_break()` returns nothing, so the break cannot be given the size and
    language every run gets (a break without them takes the template's size, and the line's
    height then differs from what was measured)."""
    return p._p.add_br().get_or_add_rPr()  # private: add_line_break() does not return the a:br


def run_properties(run: _Run) -> CT_TextCharacterProperties:
    """The run's `a:rPr`, added if missing, to set its size in exact hundredths of a point and
    its language as a BCP 47 tag.

    `Font.size` truncates through whole EMUs (10.03 pt becomes 1002) and `Font.language_id` takes
    only the MSO_LANGUAGE_ID enumeration, not a tag such as `es-US`; `_Run` exposes its `a:r` only
    as the private `_r`."""
    return run._r.get_or_add_rPr()  # private: the only way from a run proxy to its XML


def end_paragraph_properties(p: _Paragraph) -> CT_TextCharacterProperties:
    """The paragraph's `a:endParaRPr`, added if missing: the size of an empty paragraph's line
    and of the caret after the last run. python-pptx has no API for it at all."""
    return p._p.get_or_add_endParaRPr()  # private: the only way from a paragraph proxy to its XML


def package_relationships(package: OpcPackage) -> list[tuple[str, str]]:
    """(rId, relationship type) of each package-level relationship (`_rels/.rels`), as a list so
    the caller may drop some while going through it.

    `OpcPackage` has a public `drop_rel(rId)` but no public view of the relationships it would
    drop: `iter_rels()` walks every part's relationships too, whose rIds mean something else."""
    return [(rid, rel.reltype) for rid, rel in package._rels.items()]  # private: no public view
