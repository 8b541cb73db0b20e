"""An edition's logo on paper: the image scaled into a fixed box (aspect ratio kept, never
stretched or cropped), drawn as a tagged `Figure` whose alternative text is the edition's.

The image is embedded as the loader read it (its bytes, checked and hashed once); reportlab
writes the same XObject for the same bytes, so builds stay reproducible.
"""

from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from clearfacts.model import Brand
from clearfacts.render.pdf.tags import Marked, Tag, mark


def draw_logo(canv: Canvas, brand: Brand, right: float, top: float, box: tuple[float, float]) -> None:
    """The logo drawn straight onto a page (the handout's footer), as a figure, at the largest
    size that fits `box`, its top right corner at (`right`, `top`)."""
    image = _Logo(brand.logo_data, box)
    w, h = image.drawn
    with mark(canv, Tag((("Figure", "logo"),), alt=brand.logo_alt)):
        canv.drawImage(image.reader, right - w, top - h, w, h, mask="auto")


class _Logo(Flowable):
    """The image at the largest size that fits `box` (points), right-aligned and top-aligned in it."""

    def __init__(self, data: bytes, box: tuple[float, float]):
        super().__init__()
        self.reader = ImageReader(io.BytesIO(data))
        pixels_w, pixels_h = self.reader.getSize()
        scale = min(box[0] / pixels_w, box[1] / pixels_h)
        self.box = box
        self.drawn = (pixels_w * scale, pixels_h * scale)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's name
        self.width, self.height = self.box
        return self.box

    def draw(self) -> None:
        w, h = self.drawn
        self.canv.drawImage(self.reader, self.box[0] - w, self.box[1] - h, w, h, mask="auto")


def logo(brand: Brand | None, box: tuple[float, float], key: str = "logo") -> Flowable | None:
    """The edition's logo as a tagged figure `box` (width, height) in size, or None without one."""
    if brand is None or not brand.logo_data:
        return None
    return Marked(_Logo(brand.logo_data, box), Tag((("Figure", key),), alt=brand.logo_alt))
