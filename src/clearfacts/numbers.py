"""Number reading in one place: a fact's value, its display form, the chart, the statistic rule
and the read-back checks all need to agree on what "48.3%", "-48.3", "$5,000", "20k", "48,3 %"
and "February 21, 2025" mean.

- `scan` is the one tokenizer: every number written in a text, with its sign, thousands commas,
  a decimal comma before a percent or currency sign ("48,3%"), and a multiplier ("20k",
  "5 million"). It reads numbers as one language writes them (`NumberFormat`: CLDR's decimal and
  group symbols, that language's number words); English is the default. A match may only start
  where a number starts (never inside a run of digits, letters or a dotted identifier), so long
  digit runs are read in linear time.
- `parse_value` reads a fact's raw value as a number, a range, an ISO date or free text, and
  refuses what would make the value disagree with itself (exponent form, inf/nan, digits other
  than 0-9). `display_problem` says why a display form does not show its value.
- `resembles` decides whether a typed figure is a rounded variant of a registered one.
- `visible` is the text a reader sees: NFKC (superscript and full-width digits become plain
  digits), invisible format characters dropped, a right-to-left override shown reversed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterator
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from msgspec import Struct

# Unicode format characters (general category Cf, Unicode 15): zero-width spaces and joiners,
# bidirectional controls, the byte-order mark, interlinear annotations, tag characters. A test
# checks this against `unicodedata` of the running Python.
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
INVISIBLE = re.compile(f"[{FORMAT_CHARACTERS}]")
SOFT_HYPHEN = "\u00ad"
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_OVERRIDE = re.compile("\u202e([^\u202c\u2069\n]*)")  # right-to-left override up to its end

_MINUS = "-\u2212"  # hyphen-minus and the minus sign
_SUFFIX_AFTER_DECIMAL_COMMA = (
    r"(?=\s?(?:[%\u2030\u2031$\u20ac\u00a3\u00a5\u20b9\u20a9\u20bd\u00a2]"
    r"|(?i:pct|per[\s-]?cent|percent|per[\s-]?mil(?:le)?|por\s?ciento|euros?|eur|usd|dollars?|bucks?|pounds?)\b))"
)
# Number words after a figure, by language: "20k", "5 million"; "20 mil", "3 millones".
_MULTIPLIER_WORDS = {
    "en": r"\s?[kK]\b|M\b|\s?(?i:thousand|million|billion|bn)\b",
    "es": r"\s?[kK]\b|\s?(?i:mil\s+millones|millones|mill[oó]n|mil)\b",
}
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "billion": 1e9, "bn": 1e9,
                "mil": 1e3, "millón": 1e6, "millon": 1e6, "millones": 1e6, "mil millones": 1e9}


class NumberFormat(Struct, frozen=True):
    """How one language writes numbers: its decimal and grouping symbols (from CLDR, through
    `locales.number_format`) and the language whose number words ("thousand", "mil") it knows.

    English reads a decimal comma only right before a percent or currency sign ("48,3%"), so
    "1,2 and 3" stays two counts. Every other language reads either separator followed by one or
    two digits as a decimal anywhere ("48,3" and "48.3" are 48.3, never 48 and 3): Spanish
    writers use both, whichever their locale prescribes.
    """

    decimal: str = "."
    group: str = ","
    language: str = "en"

    @property
    def loose(self) -> bool:
        return self.language != "en"


ENGLISH = NumberFormat()


@lru_cache(maxsize=16)
def number_pattern(fmt: NumberFormat) -> re.Pattern[str]:
    """The one number tokenizer, built for `fmt` (English: the pattern this module always had)."""
    decimal, group = re.escape(fmt.decimal), re.escape(fmt.group)
    other = re.escape("," if fmt.decimal != "," else ".")  # the separator that is not the decimal
    before = r"\w.," if fmt.loose else r"\w" + decimal
    guard = "" if fmt.loose else _SUFFIX_AFTER_DECIMAL_COMMA
    words = _MULTIPLIER_WORDS.get(fmt.language, _MULTIPLIER_WORDS["en"])
    point = "[.,]" if fmt.loose else decimal
    return re.compile(
        rf"(?<![{before}])"  # only where a number starts: not inside a word, a digit run or "1.2.3"
        rf"(?P<sign>[{_MINUS}](?={point}?\d))?"
        rf"(?:(?P<int>\d{{1,3}}(?:{group}\d{{3}})+(?!\d)|\d+)"
        rf"(?:{decimal}(?P<frac>\d+)|{other}(?P<dcomma>\d{{1,2}})(?!\d){guard})?"
        rf"|{decimal}(?P<lead>\d+))"
        rf"(?P<mult>{words})?"
    )


NUMBER = number_pattern(ENGLISH)


class Number(Struct, frozen=True):
    """One number as written: `text[start:end]` is the whole token (sign and multiplier too)."""

    start: int
    end: int
    value: float  # signed, multiplied ("20k" → 20000.0); inf when too long to be a float
    decimals: int  # digits after the decimal point or comma
    fraction: bool  # written with a non-zero fraction ("10.3", "48,3"; not "1.0")


def scan(text: str, fmt: NumberFormat = ENGLISH) -> Iterator[Number]:
    """Every number written in `text`, in order, as `fmt`'s language writes numbers. A dotted run
    ("1.2.3", "20.11.2026"; in a loose format "1,2,3" too) is an identifier, not a number."""
    runs = ".," if fmt.loose else "."
    for m in number_pattern(fmt).finditer(text):
        end = m.end("lead") if m.group("lead") else (m.end("frac") if m.group("frac") else
                                                     m.end("dcomma") if m.group("dcomma") and fmt.loose
                                                     else m.end("int"))
        after = text[end:end + 1]
        if after and after in runs and text[end + 1:end + 2].isdigit():
            continue
        whole = (m.group("int") or "0").replace(fmt.group, "")
        frac = m.group("frac") or m.group("dcomma") or m.group("lead") or ""
        value = float(f"{whole}.{frac}" if frac else whole)
        mult = " ".join((m.group("mult") or "").lower().split())
        if mult:
            value *= _MULTIPLIERS[mult]
        if m.group("sign"):
            value = -value
        yield Number(m.start(), m.end(), value, len(frac), bool(frac.strip("0")))


def numbers_in(text: str, fmt: NumberFormat = ENGLISH) -> tuple[float, ...]:
    """Every number written in `text` (see `scan`), signed, with thousands commas, decimal
    commas before % or a currency and multipliers ("20k") understood."""
    return tuple(n.value for n in scan(text, fmt))


# --- what a reader sees -------------------------------------------------------------------------

def visible(text: str) -> str:
    """The text as a reader sees it: NFKC (superscript, full-width and other compatibility digits
    become 0-9), format characters dropped (zero-width spaces, soft hyphens, bidi controls), and
    each right-to-left override shown the way it displays: reversed ("\u202e%84\u202c" → "48%")."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    text = _OVERRIDE.sub(lambda m: INVISIBLE.sub("", m.group(1))[::-1], text)
    return INVISIBLE.sub("", text)


def logical(text: str) -> str:
    """The text in the order it is stored (NFKC, format characters dropped, nothing reversed)."""
    if text.isascii():
        return text
    return INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


# --- resemblance ---------------------------------------------------------------------------------

TOLERANCE = 0.05  # "a few percent": 48 for 48.3, 100 for 97, $5,200 for $5,000


def resembles(typed: float, registered: float) -> bool:
    """True when `typed` is `registered` or a rounded variant of it, sign aside: within a few
    percent (48 or 50 for 48.3, 100 for 97, 20k for 20000), or the registered value rounded or cut
    to fewer decimals (0.3 or 0.2 for 0.25, 2 or 3 for 2.5). The tolerance is relative, so 2 does
    not resemble 5 or 20, and 1.0 does not resemble 0.25."""
    t, r = abs(typed), abs(registered)
    if not (math.isfinite(t) and math.isfinite(r)):
        return False
    if r == 0 or t == 0:
        return t == r
    if abs(t - r) <= TOLERANCE * r:
        return True
    return any(math.isclose(t, variant, rel_tol=1e-9) for variant in _rounded(r))


@lru_cache(maxsize=4096)
def _rounded(registered: float) -> tuple[float, ...]:
    """`registered` rounded half-up and cut to each shorter number of decimals, zero left out."""
    exact = Decimal(repr(registered))
    decimals = -exact.as_tuple().exponent if isinstance(exact.as_tuple().exponent, int) else 0
    out = []
    for places in range(max(decimals, 0)):
        step = Decimal(1).scaleb(-places)
        for mode in (ROUND_HALF_UP, ROUND_DOWN):
            variant = float(exact.quantize(step, rounding=mode))
            if variant:
                out.append(variant)
    return tuple(out)


# --- fact values ---------------------------------------------------------------------------------

class BadValue(ValueError):
    """A fact value that cannot be read without disagreeing with itself; the message says why."""


class Value(Struct, frozen=True):
    """A fact's value as read: a number, a range of two, a date, or free text."""

    kind: str  # "number" | "range" | "date" | "text"
    numbers: tuple[float, ...]  # the number, the range's ends, a text's numbers; () for a date
    decimals: int = 0  # the most digits after a decimal point in the value
    date: dt.date | None = None

    @property
    def number(self) -> float | None:
        """The single number a chart can plot, or None."""
        return self.numbers[0] if self.kind == "number" else None


_V_NUM = r"[-\u2212+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-\u2212+]?\.\d+"
_V_NUMBER = re.compile(rf"({_V_NUM})", re.ASCII)
_V_RANGE = re.compile(rf"({_V_NUM})\s*(?:-|\u2013|\u2014|to)\s*({_V_NUM})", re.ASCII)
_V_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_EXPONENT = re.compile(r"(?<![\w.])\d+(?:[.,]\d*)?[eE][-+\u2212]?\d+"  # 4.83e1, 1e2, 1E+3
                       r"|\d\s*[x\u00d7*]\s*10\s*(?:\^|\*\*|[\u2070-\u209f\u00b2\u00b3\u00b9])")  # 4.83 × 10^1
_NOT_FINITE = re.compile(r"[-\u2212+]?\s*(?:inf|infinity|nan|\u221e)", re.IGNORECASE)
_DIGITS_0_9 = frozenset("0123456789")


def parse_value(text: str) -> Value:
    """Read a fact's raw value. Raises `BadValue` for an exponent ("4.83e1", "1e2"), a value that
    is not finite ("inf", "nan", "1e309", a number too long for a float) or digits other than
    0-9; anything else that is not a number, range or ISO date is free text."""
    raw = text.strip()
    shown = _quote(text)
    if m := _EXPONENT.search(raw):
        raise BadValue(f"value '{shown}' is written in exponent form: write the number out in full"
                       f"{_written_out(m.group(0))}")
    if _NOT_FINITE.fullmatch(raw):
        raise BadValue(f"value '{shown}' is not a finite number")
    odd = next((ch for ch in raw if unicodedata.category(ch) in ("Nd", "No") and ch not in _DIGITS_0_9), None)
    if odd is not None:
        raise BadValue(f"value '{shown}' uses the digit '{odd}' (U+{ord(odd):04X}): write numbers with the digits 0-9")
    if m := _V_DATE.fullmatch(raw):
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise BadValue(f"value '{shown}' is not a real date (write dates YYYY-MM-DD)") from None
        return Value("date", (), 0, day)
    if m := _V_NUMBER.fullmatch(raw):
        return Value("number", (_finite(m.group(1), text),), _decimals(m.group(1)))
    if m := _V_RANGE.fullmatch(raw):
        ends = (_finite(m.group(1), text), _finite(m.group(2), text))
        return Value("range", ends, max(_decimals(m.group(1)), _decimals(m.group(2))))
    found = tuple(scan(raw))
    if any(not math.isfinite(n.value) for n in found):
        raise BadValue(f"value '{shown}' holds a number too large to be read")
    return Value("text", tuple(n.value for n in found), max((n.decimals for n in found), default=0))


def _finite(number: str, text: str) -> float:
    value = float(number.replace(",", "").replace("\u2212", "-"))
    if not math.isfinite(value):
        raise BadValue(f"value '{_quote(text)}' is too large to be a number")
    return value


def _quote(text: str, limit: int = 40) -> str:
    """A value short enough to quote in a one-line message."""
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def _written_out(exponent: str) -> str:
    """" (100, not 1e2)" when the exponent form is short enough to write out, else ""."""
    try:
        number = Decimal(exponent.replace(",", ".").replace("\u2212", "-"))
    except InvalidOperation:
        return ""
    if not number.is_finite() or abs(number.adjusted()) > 12:
        return ""
    plain = format(number.normalize(), "f")
    return f" ({plain}, not {exponent})"


def _decimals(number: str) -> int:
    return len(number.partition(".")[2])


@lru_cache(maxsize=1024)
def value_numbers(text: str) -> tuple[float, ...]:
    """The numbers a fact's value registers, for look-alike checks: a number, both ends of a
    range, the numbers in a text value; none for a date or a value `parse_value` refuses."""
    try:
        return parse_value(text).numbers
    except BadValue:
        return ()


def chart_number(text: str) -> float | None:
    """The number a chart plots for a fact's value, or None when the value is not one number."""
    try:
        return parse_value(text).number
    except BadValue:
        return None


def display_problem(value: Value, display: str, fmt: NumberFormat = ENGLISH) -> str | None:
    """Why `display` does not show `value`, or None when it does. A number or range must appear
    with its sign and magnitude ("-48.3" needs "-48.3%" or "−48.3%", not "48.3%"); a date must be
    named and no other date may be ("February 21, 2025", "Feb. 21, 2025", "21 February 2025",
    "2025-02-21", "21 de febrero de 2025"); a text value's numbers must all appear. The display
    is read as `fmt`'s language writes numbers ("48,3 %" in Spanish)."""
    seen = visible(display)
    if value.kind == "date":
        named = dates_in(seen)
        if not named:
            return "it names no date (write it like 'February 21, 2025')"
        other = next((d for d in named if d != value.date), None)
        if other is not None:
            return f"it names another date, {other:%B} {other.day}, {other.year}"
        return None
    shown = numbers_in(seen, fmt)
    for wanted in value.numbers:
        if any(math.isclose(wanted, n, rel_tol=1e-12, abs_tol=0.0) for n in shown):
            continue
        if any(math.isclose(wanted, -n, rel_tol=1e-12, abs_tol=0.0) for n in shown):
            return "the sign differs (write the minus sign in the display)"
        same = next((n for n in shown if _same_digits(wanted, n)), None)
        if same is not None:
            return f"it shows {same:g}, not {wanted:g} (another magnitude)"
        return f"{wanted:g} is not in the display"
    return None


def _same_digits(a: float, b: float) -> bool:
    def digits(x: float) -> str:
        return f"{abs(x):.12e}".partition("e")[0].replace(".", "").rstrip("0")
    return a != 0 and b != 0 and math.isfinite(a) and math.isfinite(b) and digits(a) == digits(b)


# --- dates in words --------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    # Spanish, for es-* content: "21 de febrero de 2025"
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    # February 21, 2025 · Feb. 21, 2025 · Feb 21 2025
    (re.compile(rf"\b(?P<month>{_MONTH})\b\.?\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})\b",
                re.IGNORECASE)),
    # 21 February 2025 · 21st of Feb. 2025 · 21 de febrero de 2025
    (re.compile(rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+|de\s+)?(?P<month>{_MONTH})\b\.?,?\s+(?:de\s+|del\s+)?"
                rf"(?P<year>\d{{4}})\b", re.IGNORECASE)),
    # 2025-02-21
    re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d-])"),
)


def dates_in(text: str) -> list[dt.date]:
    """The calendar dates `text` names in words or ISO form, in order; impossible dates skipped."""
    found: list[tuple[int, dt.date]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            month = m.group("month")
            number = int(month) if month.isdigit() else _MONTHS[month.lower()]
            try:
                found.append((m.start(), dt.date(int(m.group("year")), number, int(m.group("day")))))
            except ValueError:
                continue
    return [day for _, day in sorted(found, key=lambda pair: pair[0])]
