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
from pptx.oxml.text import CT_TextBody
from pptx.text.text import TextFrame


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


def text_body(tf: TextFrame) -> CT_TextBody:
    """The frame's `a:txBody` (`p:txBody` in a shape), to write its paragraphs in one piece.

    `TextFrame` exposes its element only as the private `_txBody`; its public `paragraphs` build
    one proxy per paragraph, and `clear()` keeps the first paragraph's properties."""
    return tf._txBody  # private: the only way from a text frame proxy to its XML


def package_relationships(package: OpcPackage) -> list[tuple[str, str]]:
    """(rId, relationship type) of each package-level relationship (`_rels/.rels`), as a list so
    the caller may drop some while going through it.

    `OpcPackage` has a public `drop_rel(rId)` but no public view of the relationships it would
    drop: `iter_rels()` walks every part's relationships too, whose rIds mean something else."""
    return [(rid, rel.reltype) for rid, rel in package._rels.items()]  # private: no public view
