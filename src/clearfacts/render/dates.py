"""The review date as the content's language writes it ("November 20, 2026", "20 de noviembre de
2026"), in every output and whatever the machine's locale: one place, imported by the PDF and web
renderers alike. Month names and word order come from CLDR (`locales.long_date`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from clearfacts.locales import long_date
from clearfacts.model import ContentSet


def review_date(content: ContentSet) -> str:
    return long_date(content.settings.review_date, content.settings.language)


def widest_date(language: str, width: Callable[[str], float]) -> str:
    """The widest date `language` can print, by `width`: each month with every digit the widest
    one, to reserve room that no review date can outgrow."""
    digit = max("0123456789", key=width)
    dates = [long_date(dt.date(2000, month, 28), language) for month in range(1, 13)]
    return max(("".join(digit if ch.isdigit() else ch for ch in shown) for shown in dates), key=width)
