"""Every use of pypdf's private names, in one place, each with the reason it is needed.

pypdf is pinned exactly (pyproject.toml), and tests/test_compat.py exercises each helper, so an
upgrade that moves one of these names fails there, not in a clinic's build.
"""

from __future__ import annotations

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, IndirectObject, PdfObject


def add_object(writer: PdfWriter, obj: PdfObject) -> IndirectObject:
    """Make `obj` an indirect object of `writer` and return the reference to it.

    A stream (a page's content, a form XObject) must be an indirect object, and pypdf 7.1.1 has no
    public way to make a new one: `get_reference` only finds objects already added, `clone` of
    an object that was never indirect returns a direct copy, and `PdfWriter` offers only the
    private `_add_object` that its own page and metadata methods use."""
    return writer._add_object(obj)  # private: no public way to add a new indirect object


def set_file_identifier(writer: PdfWriter, digest: bytes) -> None:
    """Write `digest` as both halves of the trailer's /ID.

    pypdf keeps the identifier in the private `_ID` and fills it from random bytes
    (`generate_file_identifiers`) when asked; it has no public setter, and a random /ID would make
    two builds of the same input differ."""
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])  # private: no setter
