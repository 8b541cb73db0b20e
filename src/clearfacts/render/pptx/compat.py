"""Every use of python-pptx's private names, in one place, each with the reason it is needed.

python-pptx is pinned exactly (pyproject.toml), and tests/test_compat.py exercises each helper,
so an upgrade that moves one of these names fails there, not in a clinic's build.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from lxml import etree
from pptx.oxml import xmlchemy
from pptx.oxml.ns import _nsmap  # the prefix → namespace map python-pptx's own XPath uses


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
