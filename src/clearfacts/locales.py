"""Numbers, money, percentages and dates as each language writes them, from CLDR through Babel.

Facts are language-free: a value, a unit, an English display. Another language's display form
is made here from the value and unit, so a figure can never be retyped wrongly in a translation:
`48.3` percent is "48.3%" in es-US and "48,3 %" in es-ES (CLDR's own patterns, with the
non-breaking space es-ES puts before %), `5000-20000` US dollars "$5,000–$20,000" in es-US and
"5.000 US$–20.000 US$" in es-ES, the date 2026-11-20 "20 de noviembre de 2026". A display whose
English form has words ("97 patients", "$5,000 to $20,000 or more") cannot be made from numbers
alone: `display` returns None and the registry must give the wording per language.

The statistic rule and the read-back parse numbers with `number_format`, the same CLDR symbols
the displays are written with. Babel is imported only when a language other than US English is
used, so an English-only build never pays for it.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from clearfacts.numbers import ENGLISH, NumberFormat, Value

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

ENGLISH_TAG = "en-US"
_US_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # a meeting date each language writes its own way
ISO_TIME = re.compile(r"\d{2}:\d{2}")  # a time on the 24-hour clock, two-digit hours: "18:30"
_US_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
# A word: two or more letters standing alone ("patients", "or more"), not inside an identifier
# such as NCT05507697, whose letters and digits read the same in every language.
_WORD = re.compile(r"(?<!\w)[^\W\d_]{2,}(?!\w)")
_GROUPED = re.compile(r"\d,\d{3}(?!\d)")
_PERCENT_UNIT = re.compile(r"%|\bper\s?cent\b|\bpercent(age)?\b|\bpct\b", re.IGNORECASE)
_CURRENCIES = (  # (what the unit or the English display says, ISO 4217 code)
    (re.compile(r"\bUSD\b|\bdollars?\b|\$", re.IGNORECASE), "USD"),
    (re.compile(r"\bEUR\b|\beuros?\b|\u20ac", re.IGNORECASE), "EUR"),
    (re.compile(r"\bGBP\b|\bpounds?\b|\u00a3", re.IGNORECASE), "GBP"),
)
_OTHER_MONEY = re.compile(r"[\u00a2\u00a5\u20a9\u20b9\u20bd]")  # ¢ ¥ ₩ ₹ ₽: no currency code to give CLDR
RANGE_DASH = "\u2013"  # between the ends of a range: "$5,000–$20,000"


class UnknownLanguage(ValueError):
    """A language tag CLDR has no locale for."""


def language_of(tag: str) -> str:
    """The language part of a BCP 47 tag: "es-US" → "es" (the folder its prose lives in)."""
    return tag.split("-")[0].lower()


@cache
def babel_locale(tag: str) -> Locale:
    """The CLDR locale for a BCP 47 tag ("es-US"); UnknownLanguage when CLDR has none."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        raise UnknownLanguage(f"CLDR (Babel) has no locale for '{tag}'") from None


def own_name(tag: str) -> str:
    """The language's name in itself, as a link to a page in it says it ("English", "Español"):
    a reader who needs the other page may not read the language of this one."""
    name = babel_locale(tag).get_language_name(babel_locale(tag)) or tag
    return name[:1].upper() + name[1:]


@cache
def number_format(tag: str) -> NumberFormat:
    """How `tag`'s language writes numbers: CLDR's decimal and group symbols and its number words."""
    if tag == ENGLISH_TAG:
        return ENGLISH
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = babel_locale(tag)
    return NumberFormat(get_decimal_symbol(locale), get_group_symbol(locale), language_of(tag))


def long_date(day: dt.date, tag: str) -> str:
    """A date as people write it in `tag`'s language: "November 20, 2026", "20 de noviembre de 2026"."""
    if tag == ENGLISH_TAG:
        return f"{_US_MONTHS[day.month - 1]} {day.day}, {day.year}"
    from babel.dates import format_date

    return format_date(day, "long", locale=babel_locale(tag))


def meeting_date(typed: str, tag: str) -> str:
    """A meeting's date as `tag`'s readers read it, weekday first ("Thursday, January 14, 2027",
    "jueves, 14 de enero de 2027"), when settings give it as a date (YYYY-MM-DD): one value then
    reads right in every language's deck. Anything else is a text a clinic wrote as it should
    read, and is shown as written."""
    if not ISO_DATE.fullmatch(typed):
        return typed
    day = dt.date.fromisoformat(typed)  # the loader refused dates that do not exist
    if tag == ENGLISH_TAG:
        return f"{_US_DAYS[day.weekday()]}, {long_date(day, tag)}"
    from babel.dates import format_date

    return format_date(day, "full", locale=babel_locale(tag))


def meeting_time(typed: str, tag: str) -> str:
    """A meeting's time as `tag`'s readers read it ("6:30 PM", "6:30 p.m.", "18:30"), when
    settings give it on the 24-hour clock with two-digit hours ("18:30"); anything else ("6:30
    pm") is shown as written. CLDR puts a narrow no-break space before the day period, which the
    fonts do not all have: a no-break space stands in for it, so "6:30" and "PM" stay together."""
    if not ISO_TIME.fullmatch(typed):
        return typed
    when = dt.time.fromisoformat(typed)  # the loader refused times that do not exist
    if tag == ENGLISH_TAG:
        return f"{(when.hour - 1) % 12 + 1}:{when.minute:02d}\u00a0{'AM' if when.hour < 12 else 'PM'}"
    from babel.dates import format_time

    return format_time(when, "short", locale=babel_locale(tag)).replace("\u202f", "\u00a0")


def has_words(display: str) -> bool:
    """True when a display form says something in words, which only a translator can carry over."""
    return bool(_WORD.search(display))


def display(value: Value, unit: str, english: str, tag: str) -> str | None:
    """The display form of a fact in `tag`'s language, from its value and unit; None when its
    English display (`english`) has words, or names money in a currency CLDR cannot be told."""
    if value.kind == "date" and value.date is not None:
        return long_date(value.date, tag)
    if has_words(english):
        return None
    if value.kind == "text":
        return english  # an identifier (NCT05507697): the same in every language
    locale = babel_locale(tag)
    grouping = bool(_GROUPED.search(english))
    numbers = [Decimal(repr(n)) for n in value.numbers]
    currency = None
    if _PERCENT_UNIT.search(unit) or "%" in english:
        pattern, numbers = locale.percent_formats[None], [n / 100 for n in numbers]
    elif (currency := _currency(unit, english)) is not None:
        pattern = locale.currency_formats["standard"]
    elif _OTHER_MONEY.search(english):
        return None
    else:
        pattern = locale.decimal_formats[None]
    return RANGE_DASH.join(_apply(pattern, n, value.decimals, locale, currency, grouping) for n in numbers)


def _apply(pattern: NumberPattern, number: Decimal, decimals: int, locale: Locale, currency: str | None,
           grouping: bool) -> str:
    """`number` in the locale's own pattern, with exactly the value's decimals (so 48.3 stays
    48.3 and $5,000 gets no cents)."""
    exact = copy.copy(pattern)
    exact.frac_prec = (decimals, decimals)
    return exact.apply(number, locale, currency=currency, currency_digits=False, group_separator=grouping)


def _currency(unit: str, english: str) -> str | None:
    for pattern, code in _CURRENCIES:
        if pattern.search(unit) or pattern.search(english):
            return code
    return None
