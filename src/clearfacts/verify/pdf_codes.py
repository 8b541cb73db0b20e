"""The QR codes of a PDF page, scanned as printed (`qr_scan`): each vector code and each picture
is rendered by PDFium with everything drawn over it, then decoded."""

from __future__ import annotations

from collections.abc import Callable

from clearfacts.verify.extracted import Code
from clearfacts.verify.page_measures import Box, PageLayout
from clearfacts.verify.pdf_render import Raster
from clearfacts.verify.qr_scan import SCALE, around, scan_bitmap


def page_codes(page: object, layout: PageLayout, where: Callable[[Box], str]) -> list[Code]:
    """`page` is PDFium's raw page handle, `layout` what `pdf_layout` measured of it, `where` names
    the place of a box ("page 3"; a print file's sheet side holds two pages). A vector code that
    does not scan is a Code without text; a picture counts only for the codes in it."""
    found = []
    for box in layout.codes:
        texts = _scan(page, around(box))
        link = _link_at(layout, box)
        found += [Code(where(box), text, link) for text in texts] or [Code(where(box), None, link)]
    for box in layout.pictures:
        found += [Code(where(box), text, _link_at(layout, box)) for text in _scan(page, box)]
    return found


def _scan(page: object, box: Box) -> list[str]:
    raster = Raster(page, box, SCALE)
    data, stride = raster.bgra()
    return scan_bitmap(data, raster.width, raster.height, stride)


def _link_at(layout: PageLayout, box: Box) -> str | None:
    """Where a click on the middle of `box` leads, if a link to an address is there."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return next((link.target or None for link in layout.links
                 if link.box[0] <= x <= link.box[2] and link.box[1] <= y <= link.box[3]), None)
