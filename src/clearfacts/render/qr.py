"""QR codes for printed handouts, and the short form of a URL a person can type instead.

Uses reportlab's own QR widget. The size follows the code, not a fixed box: a long URL needs
more modules, and each module must stay large enough for an ordinary phone camera to read.
"""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.platypus import Flowable

from clearfacts.render import fonts

LINK_SCHEMES = ("http://", "https://", "mailto:")
QUIET = 4  # modules of white margin the QR standard asks for around the code
MIN_MODULE = 1.45  # pt, about 0.5 mm: safe for phone cameras at reading distance
MIN_SYMBOL = 60.0  # pt of printed code (without the margin): over 2 cm, easy to aim at


def linkable(url: str) -> bool:
    """Only web and mail links become clickable; anything else stays plain text."""
    return url.lower().startswith(LINK_SCHEMES)


def short_url(url: str) -> str:
    """The shortest form people can type: no scheme, no "www.", no trailing slash."""
    text = url
    for prefix in ("https://", "http://", "mailto:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
            break
    if text.lower().startswith("www."):
        text = text[4:]
    return text.rstrip("/")


def url_lines(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Break a printed URL after "/" or "-" so it wraps where a reader expects, never mid-word
    unless one piece alone is wider than the line."""
    pieces: list[str] = []
    piece = ""
    for ch in text:
        piece += ch
        if ch in "/-":
            pieces.append(piece)
            piece = ""
    if piece:
        pieces.append(piece)
    lines: list[str] = []
    current = ""
    for piece in pieces:
        if current and fonts.width(current + piece, font, size) > max_width:
            lines.append(current)
            current = ""
        current += piece
        while fonts.width(current, font, size) > max_width and len(current) > 1:
            cut = _longest_fitting(current, font, size, max_width)
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def _longest_fitting(text: str, font: str, size: float, max_width: float) -> int:
    cut = len(text) - 1
    while cut > 1 and fonts.width(text[:cut], font, size) > max_width:
        cut -= 1
    return cut


class QRCode(Flowable):
    """A square QR code (margin included) that is also a link when read on screen."""

    def __init__(self, url: str, side: float | None = None):
        super().__init__()
        self.url = url
        self.widget = QrCodeWidget(url, barLevel="M", barBorder=QUIET, barFillColor=colors.black)
        self.widget.qr.make()
        self.side = side or self.min_side

    @property
    def min_side(self) -> float:
        """Smallest side (margin included) that keeps both the code and each module readable."""
        modules = self.widget.qr.getModuleCount()
        module = max(MIN_MODULE, MIN_SYMBOL / modules)
        return module * (modules + 2 * QUIET)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        self.widget.barWidth = self.widget.barHeight = self.side
        drawing = Drawing(self.side, self.side)
        drawing.add(self.widget)
        renderPDF.draw(drawing, self.canv, 0, 0)
        if linkable(self.url):
            self.canv.linkURL(self.url, (0, 0, self.side, self.side), relative=1)
