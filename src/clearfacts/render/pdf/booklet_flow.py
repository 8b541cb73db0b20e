"""Page breaks that keep a heading with its text without leaving half a page empty.

platypus's keepWithNext glues a heading to the whole of the next flowable: a heading followed by
an eight-line paragraph then moves as one block, and the page it leaves ends a third empty. A
reader only needs the heading and the first lines of its text together. So before each heading
a `KeepStart` asks, at layout time, whether the heading and the smallest start of what follows
fit in the room left on the page (two lines of a paragraph, a table's header and first row, or
all of a block that cannot split); only if not does it turn the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable
from reportlab.platypus.flowables import CondPageBreak

LOOKAHEAD = 8  # flowables after a KeepStart that may make up a heading and its first block
PART_ROOM = 0.5  # of the page's text height: less than this left, and a new part starts a new page


class KeepStart(CondPageBreak):
    """A page break taken only when the heading after it could not start its text on this page,
    and never when it could not on a fresh page either (that would only strand the heading)."""

    def __init__(self) -> None:
        super().__init__(0)
        self.following: Sequence[Flowable] = ()
        self.page_room = float("inf")  # the text height of an empty page

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        need = start_height(self.following, availWidth, availHeight)
        self.height = need if need <= self.page_room else 0.0
        return super().wrap(availWidth, availHeight)


class PartBreak(CondPageBreak):
    """Before a new part: a fresh page, unless half the page or more is still free (then the part
    starts under its rule there, rather than leave a page that holds a few lines)."""

    def __init__(self, page_height: float) -> None:
        super().__init__(PART_ROOM * page_height)


def link_starts(story: list[Flowable], page_room: float) -> list[Flowable]:
    """Tell each KeepStart what follows it and how tall a page's text area is (the story itself,
    unchanged, is returned)."""
    for i, flowable in enumerate(story):
        if isinstance(flowable, KeepStart):
            flowable.following = story[i + 1:i + 1 + LOOKAHEAD]
            flowable.page_room = page_room
    return story


def start_height(following: Sequence[Flowable], width: float, room: float) -> float:
    """The height the next heading and the smallest start of its text take: headings and
    flowables kept with the next one count whole, then the first block that can begin alone
    counts as much of it as fits (the whole of it when it cannot split, or when reportlab keeps
    it together with the one before: a term and its definition). Whether a flowable is kept with
    the next comes from `getKeepWithNext`, which also reads its style, as reportlab's layout does."""
    need = 0.0
    whole = False  # reportlab places the flowable after a keepWithNext one whole, or moves both
    for flowable in following:
        if isinstance(flowable, KeepStart):
            continue
        height = flowable.wrap(width, room)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        kept = bool(flowable.getKeepWithNext())
        if getattr(flowable, "keep_head", False) or kept:
            need += height
            whole = kept
            continue
        if whole or need + height <= room:
            return need + height
        left = room - need - flowable.getSpaceBefore()
        parts = flowable.split(width, left) if left > 0 else []
        if parts:
            first = parts[0]
            return need + first.wrap(width, left)[1] + flowable.getSpaceBefore()
        return need + height
    return need
