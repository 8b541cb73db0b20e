"""QR codes drawn in the printed handouts and booklet (`qr_codes.py` encodes them).

The size follows the code, not a fixed box: a long URL needs more modules, and each module must
stay large enough for an ordinary phone camera to read.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable

from clearfacts.render import qr_codes
from clearfacts.render.qr_codes import matched_version
from clearfacts.render.urls import linkable

QUIET = 4  # modules of white margin the QR standard asks for around the code
MIN_MODULE = 1.45  # pt, about 0.5 mm: safe for phone cameras at reading distance
MIN_SYMBOL = 57.0  # pt of printed code (without the margin): 2 cm, easy to aim at


def _side(modules: int) -> float:
    """Smallest side (margin included) that keeps both the code and each module readable."""
    module = max(MIN_MODULE, MIN_SYMBOL / modules)
    return module * (modules + 2 * QUIET)


def matched_size(urls: list[str]) -> tuple[float, int]:
    """(side, version): one size for all of `urls`, so codes printed together look alike and line
    up. Every code is drawn at the version the longest URL needs: the same grid, the same module
    size, the same quiet margin, rather than a small code floating in a large box."""
    version = matched_version(urls)
    return _side(17 + 4 * version), version  # a version-v code is 17 + 4v modules wide


class QRCode(Flowable):
    """A square QR code (margin included) that is also a link when read on screen, drawn at QR
    version `version` (see `matched_size`)."""

    def __init__(self, url: str, side: float, version: int):
        super().__init__()
        self.url = url
        self.side = side
        self.version = version

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        """One filled path of horizontal runs: fast to draw and exact to the module grid."""
        matrix = qr_codes.matrix(self.url, self.version)
        module = self.side / (len(matrix) + 2 * QUIET)
        margin = QUIET * module
        path = self.canv.beginPath()
        for row_index, row in enumerate(matrix):
            y = self.side - margin - (row_index + 1) * module
            col = 0
            while col < len(row):
                if row[col]:
                    start = col
                    while col < len(row) and row[col]:
                        col += 1
                    path.rect(margin + start * module, y - module * 0.02, (col - start) * module, module * 1.04)
                col += 1
        self.canv.saveState()
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()
        if linkable(self.url):
            self.canv.linkURL(self.url, (0, 0, self.side, self.side), relative=1)
