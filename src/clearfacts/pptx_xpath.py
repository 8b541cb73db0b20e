"""python-pptx with its XPath expressions compiled once instead of on every call.

python-pptx evaluates XPath through lxml's `_Element.xpath`, which compiles the expression each
time; finding a slide's placeholders alone asks for thousands, a fifth of the time a deck takes
to build. A compiled `etree.XPath` with the same namespaces gives the same result. Both the deck
renderer and the deck reader install it. python-pptx is pinned exactly, and the tests compare the
built deck byte for byte with the committed one, so a change there cannot slip past unnoticed.
"""

from __future__ import annotations

from functools import cache

from lxml import etree
from pptx.oxml import xmlchemy
from pptx.oxml.ns import _nsmap


@cache
def _compiled(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=_nsmap)


def _xpath(self: etree._Element, path: str) -> object:
    return _compiled(path)(self)


def install() -> None:
    """Idempotent: every python-pptx element class inherits the method from BaseOxmlElement."""
    xmlchemy.BaseOxmlElement.xpath = _xpath  # type: ignore[method-assign]
