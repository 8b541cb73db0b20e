"""The closing slide's panel: the next meeting (settings.yaml's optional `next_meeting`) and the
organisation's contact, one card above the other in the right half of the last slide's body
area; the slide's own blocks (thanks, the disclaimer) take the left half (a small body area
puts the cards under them instead).

The speaker notes tell the facilitator to announce the next meeting and where to get help; the
slide says it too, for whoever cannot hear well or arrives late. Without `next_meeting` the
panel says nothing about a next meeting (no empty heading). The values come from settings.yaml
and are located there, so a value too wide for its column is refused naming its line. The review
date goes in the slide's date placeholder (see `deck`), not here.
"""

from __future__ import annotations

from clearfacts.errors import ContentError, Finding
from clearfacts.locales import meeting_date, meeting_time
from clearfacts.model import ContentSet, Text
from clearfacts.render.labels import labels_for
from clearfacts.render.pptx.layout import (
    CALLOUT_INSET,
    COLUMN_GAP,
    Box,
    Element,
    Misfit,
    Para,
    Piece,
    TextBox,
    frame_height,
)
from clearfacts.render.urls import short_url

PANEL_SIZES = (24.0, 20.0)  # the body floor, then the footer floor for a value at the settings' limits
PANEL_SHARE = 0.55  # of the body width: a date or a room on one line
CARD_GAP = 18.0


def closing_panels(content: ContentSet, body: Box) -> list[tuple[tuple[Element, ...], Box]]:
    """Where the panel's cards can go, best first, each with the area left for the slide's own
    blocks: one above the other in the right part of `body`, balanced there as a column is; side
    by side at the bottom of `body`; one above the other at the bottom. The plan takes the first
    that leaves the blocks room (a clinic template's small body area, a slide of QR codes).
    ContentError naming settings.yaml's line when the cards fit none of them at any size (the
    footer floor is for a value that is long but within the settings' limits)."""
    problem: ContentError | None = None
    for size in PANEL_SIZES:
        found = []
        beside = _beside(content, body, size)
        if beside is not None:
            found.append(beside)
        for columns in (2, 1):
            try:
                below = _below(content, body, columns, size)
            except ContentError as err:
                problem = err
                continue
            if below is not None:
                found.append(below)
        if found:
            return found
    cards = [c for c in (_next_meeting(content), _contact(content, False)) if c]
    raise problem or _refused(cards[-1][0], "and the rest of the closing slide's panel do not fit its body area")


def _below(content: ContentSet, body: Box, columns: int, size: float) -> tuple[tuple[Element, ...], Box] | None:
    width = (body.w - COLUMN_GAP * (columns - 1)) / columns
    cards = _cards(content, width, False, size)
    rows = [cards[i:i + columns] for i in range(0, len(cards), columns)]
    height = sum(max(h for _, h in row) for row in rows) + CARD_GAP * (len(rows) - 1)
    if height > body.h:
        return None
    boxes: list[Element] = []
    y = body.bottom - height
    for row in rows:
        for i, (card, h) in enumerate(row):
            boxes.append(TextBox(Box(body.x + i * (width + COLUMN_GAP), y, width, h), card, callout=True))
        y += max(h for _, h in row) + CARD_GAP
    return tuple(boxes), Box(body.x, body.y, body.w, max(0.0, body.h - height - CARD_GAP))


def _beside(content: ContentSet, body: Box, size: float) -> tuple[tuple[Element, ...], Box] | None:
    width = body.w * PANEL_SHARE - COLUMN_GAP / 2
    x = body.x + body.w - width
    for named in (True, False):  # the organisation's name goes first when there is room for it
        try:
            cards = _cards(content, width, named, size)
        except ContentError:
            return None
        free = body.h - sum(h for _, h in cards) - CARD_GAP * (len(cards) - 1)
        if free >= 0:
            boxes: list[Element] = []
            y = body.y + free * 0.42
            for card, height in cards:
                boxes.append(TextBox(Box(x, y, width, height), card, callout=True))
                y += height + CARD_GAP
            return tuple(boxes), Box(body.x, body.y, x - COLUMN_GAP - body.x, body.h)
    return None


def _cards(content: ContentSet, width: float, named: bool, size: float) -> list[tuple[tuple[Para, ...], float]]:
    """Each card's paragraphs (its heading in bold) and its height in `width` at `size`."""
    cards = [tuple(Para((Piece(t.text, bold=i == 0),), t, size) for i, t in enumerate(c))
             for c in (_next_meeting(content), _contact(content, named)) if c]
    try:
        return [(c, frame_height(c, width, CALLOUT_INSET, CALLOUT_INSET)) for c in cards]
    except Misfit as misfit:
        raise _refused(misfit.text, "is too wide for the closing slide") from None


def _refused(text: Text, problem: str) -> ContentError:
    return ContentError(Finding(text.loc.path, text.loc.line, f"'{text.text}' {problem}: shorten it"))


def _next_meeting(content: ContentSet) -> list[Text]:
    upcoming = content.settings.next_meeting
    if upcoming is None:
        return []
    return [content.settings.text("next_meeting", labels_for(content)("next_meeting")),
            content.settings.text("next_meeting.date", meeting_date(upcoming.date, content.settings.language)),
            content.settings.text("next_meeting.time", meeting_time(upcoming.time, content.settings.language)),
            content.settings.text("next_meeting.place", upcoming.place)]


def _contact(content: ContentSet, named: bool) -> list[Text]:
    """"Contact us", the organisation's name (when `named`, or when it has nothing else), its
    phone, email and website."""
    org = content.settings.organisation
    values = [(key, value) for key, value in (("organisation.phone", org.phone), ("organisation.email", org.email),
              ("organisation.website", short_url(org.website) if org.website else "")) if value.strip()]
    if named or not values:
        values.insert(0, ("organisation.name", org.name))
    return [content.settings.text("organisation", labels_for(content)("contact_us"))] + \
        [content.settings.text(key, value) for key, value in values]
