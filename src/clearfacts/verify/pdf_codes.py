"""The QR codes of a PDF page, scanned as printed (`qr_scan`): each vector code and each picture
is rendered by PDFium with everything drawn over it, then decoded."""

from __future__ import annotations

from collections.abc import Callable

from clearfacts.verify.extracted import Code, Shown
from clearfacts.verify.page_measures import Box, PageLayout
from clearfacts.verify.pdf_render import Raster
from clearfacts.verify.qr_scan import SCALE, around, scan_bitmap


def page_codes(page: object, layout: PageLayout, where: Callable[[Box], str]) -> tuple[list[Code], list[Shown]]:
    """`page` is PDFium's raw page handle, `layout` what `pdf_layout` measured of it, `where` names
    the place of a box ("page 3"; a print file's sheet side holds two pages). A vector code that
    does not scan is a Code without text; a picture that holds no code is returned apart, as
    rendered, for its words to be read."""
    found, pictures = [], []
    for box in layout.codes:
        texts, _ = _scan(page, around(box))
        link = _link_at(layout, box)
        found += [Code(where(box), text, link) for text in texts] or [Code(where(box), None, link)]
    for picture in layout.pictures:
        texts, raster = _scan(page, picture.box)
        found += [Code(where(picture.box), text, _link_at(layout, picture.box)) for text in texts]
        if not texts:
            pictures.append(Shown(where(picture.box), raster.png(), picture.ids))
    return found, pictures


def _scan(page: object, box: Box) -> tuple[list[str], Raster]:
    raster = Raster(page, box, SCALE)
    data, stride = raster.bgra()
    return scan_bitmap(data, raster.width, raster.height, stride), raster


def _link_at(layout: PageLayout, box: Box) -> str | None:
    """Where a click on the middle of `box` leads, if a link to an address is there."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return next((link.target or None for link in layout.links
                 if link.box[0] <= x <= link.box[2] and link.box[1] <= y <= link.box[3]), None)
