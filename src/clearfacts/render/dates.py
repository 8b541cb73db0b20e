"""The review date as people write it (November 20, 2026), in every output and whatever the
machine's locale: one place, imported by the PDF and web renderers alike (it loads nothing)."""

from __future__ import annotations

from clearfacts.model import ContentSet

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def review_date(content: ContentSet) -> str:
    d = content.settings.review_date
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
