"""Every use of reportlab's private names and process-wide settings, in one place, each with the
reason it is needed.

reportlab is pinned exactly (pyproject.toml), and tests/test_compat.py exercises each helper, so an
upgrade that moves one of these names fails there, not in a clinic's build.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab import rl_config
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Frame

from clearfacts.render.pdf.line_ends import with_line_end


@contextmanager
def binary_streams() -> Iterator[None]:
    """While the PDF is built and saved, its streams are Flate only, without an ASCII85 layer.

    ASCII85 makes the files a quarter larger and costs a third of a render. reportlab reads the
    choice from the process-wide `rl_config.useA85` each time it serialises a stream (and when it
    draws an image), with no per-document option; so it is set only around a build and the
    previous value is put back on exit, even on an error. Renderers run one at a time per process
    (the pool's workers are processes), so no other build sees the setting change under it."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def set_document_time(canv: Canvas, seconds: float) -> None:
    """Date the PDF (its CreationDate and ModDate) at `seconds` since the epoch, in UTC.

    reportlab dates a document from the clock, or in invariant mode from `SOURCE_DATE_EPOCH` or
    2000-01-01; no argument takes a chosen time, and setting the environment variable would change
    every later document in the process. The time stamp lives on the canvas's private document
    (`canv._doc._timeStamp`), made with the canvas and read only when the file is saved."""
    stamp = TimeStamp(invariant=1)
    stamp.t = seconds
    stamp.lt = time.gmtime(seconds)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    canv._doc._timeStamp = stamp  # private: the only place reportlab reads the document's date


def free_height(frame: Frame) -> float:
    """Points still free in the frame below what has been added to it.

    Frame has no public accessor: the current position and the bottom edge inside the padding
    are kept only in `_y` and `_y1p`."""
    return frame._y - frame._y1p  # private: reportlab keeps the free height only in these fields


def filled_share(frame: Frame) -> float:
    """The share of the frame's usable height taken by what has been added to it (0 to 1).

    Frame keeps its top edge, current position and usable height only in the private `_y2`, `_y`
    and `_aH`."""
    return (frame._y2 - frame._y) / frame._aH  # private: as above, no public accessor


def at_top_of_frame(flowable: Flowable) -> bool:
    """Whether nothing has been drawn above `flowable` in the frame it is being drawn in; call it
    from the flowable's `draw`.

    reportlab hands a flowable its frame only as the private `_frame` while placing it, and keeps
    "nothing placed yet" only in the frame's private `_atTop` (the flag it uses to drop the
    first flowable's space before)."""
    return bool(flowable._frame._atTop)  # private: no public "at top" query on Frame or Flowable


class SpacedLines(PDFTextObject):
    """A text object that ends each line a paragraph wraps with a real space (see `line_ends`).

    platypus draws each line it wraps with the private `_textOut(text, TStar=1)` (`TStar`: move to
    the next line after it), the one call that every alignment and every run of styled text ends
    a line with; `drawString` and `textLine` do not pass through it, so single lines stay as they
    were. A word too long for its column, which platypus cuts without a hyphen, reads as two
    words; link text is never cut so (rule `link-broken`)."""

    _shown = ""  # the last text this line has shown so far

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N803 - reportlab's names
        self._shown = text or self._shown
        if TStar:  # a run of styled text may end its line with an empty call
            text += with_line_end(self._shown)[len(self._shown):]
            self._shown = ""
        super()._textOut(text, TStar)  # private: see the docstring
