"""A number as PowerPoint (and Excel) displays it under a number format code, for the subset of
format codes a chart's data labels use: literal text, `0 # ?` digit placeholders, `.` and `,`
(thousands, or a trailing scale by 1,000), `%` (multiplies by 100), `General`, up to four
`;`-separated sections (positive;negative;zero;text), `[>40]`-style conditions and colour codes.

A chart's label is the figure the audience reads: `0"%"` turns 48.3 into "48%", and
`[>40]"84.3%";0.0"%"` prints a number that is not in the data at all. Anything outside the subset
(dates, fractions, scientific notation, text placeholders) raises `UnsupportedFormat`: a label we
cannot reproduce is one we cannot vouch for, so the caller reports it instead of guessing. So is
one drawn in a colour that may not show on a light chart (`[White]0.0"%"`, `[Yellow]`, a
palette's `[Color2]`); dark named colours (`[Red]` and the like) are read as shown.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from msgspec import Struct, field

_LITERAL = set("$-+/():!^&'~{}<>= ") | set("€£¥¢")
_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*(-?\d+(?:\.\d+)?)\]")
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, ">": operator.gt, "=": operator.eq, "<>": operator.ne, "<=": operator.le, ">=": operator.ge}
_COLOURS = {"black", "blue", "cyan", "green", "magenta", "red", "white", "yellow"}
_DARK = {"black", "blue", "green", "magenta", "red"}  # readable on a light chart; [ColorN] is a palette's
_GENERAL_WIDTH = 11  # Excel's General shows at most 11 characters


class UnsupportedFormat(ValueError):
    """A format code outside the subset this module reproduces."""


class _Section(Struct):
    """One `;`-separated section: literal pieces around one run of digit placeholders."""

    prefix: str = ""
    suffix: str = ""
    integer: str = ""  # digit placeholders before the decimal point, commas removed
    fraction: str = ""  # digit placeholders after it
    point: bool = False
    grouping: bool = False  # a comma between integer placeholders
    scale: int = 0  # trailing commas: divide by 1,000 each
    percent: int = 0  # each % multiplies by 100
    general: bool = False
    condition: tuple[str, float] | None = None
    colour: str = ""  # a colour code ([Red], [Color12]): the label is drawn in it
    tokens: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_number(self) -> bool:
        return self.general or bool(self.integer or self.fraction or self.point)


def format_number(value: float, code: str) -> str:
    """`value` as displayed under the format `code` ("" or "General" is Excel's General)."""
    if math.isnan(value) or math.isinf(value):
        raise UnsupportedFormat(f"the value {value} cannot be displayed")
    sections = [_parse(part) for part in _split(code or "General")]
    if len(sections) > 4:
        raise UnsupportedFormat(f"'{code}' has more than four sections")
    section, signed = _choose(sections[:3], value)
    if section is None:
        raise UnsupportedFormat(f"no section of '{code}' applies to {value:g}")
    if section.colour and section.colour not in _DARK:
        raise UnsupportedFormat(f"'{code}' draws {value:g} in {section.colour}, which may not show on the chart")
    shown = value if signed else abs(value)
    body = _digits(abs(shown), section)
    sign = "-" if shown < 0 and section.has_number else ""
    return section.prefix + sign + body + section.suffix if section.has_number else (
        ("-" if shown < 0 else "") + section.prefix)


def _split(code: str) -> list[str]:
    """The sections, split at `;` outside quotes, brackets and escapes."""
    parts, current, i = [], [], 0
    quoted = bracket = False
    while i < len(code):
        ch = code[i]
        if ch == "\\" and not quoted and i + 1 < len(code):
            current.append(code[i:i + 2])
            i += 2
            continue
        if ch == '"' and not bracket:
            quoted = not quoted
        elif ch == "[" and not quoted:
            bracket = True
        elif ch == "]" and not quoted:
            bracket = False
        if ch == ";" and not quoted and not bracket:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    if quoted:
        raise UnsupportedFormat(f"'{code}' has an unclosed quote")
    parts.append("".join(current))
    return parts


def _choose(sections: list[_Section], value: float) -> tuple[_Section | None, bool]:
    """The section that formats `value`, and whether the value keeps its sign there.

    Without conditions: one section formats everything (a minus sign is added); with two, the
    second takes negatives; with three, the third takes zero. With conditions (`[>40]`) the
    first section whose condition holds wins, a section without one takes the rest, and the
    value keeps its sign."""
    if any(s.condition for s in sections):
        for section in sections:
            if section.condition is None:
                return section, True
            op, limit = section.condition
            if _COMPARE[op](value, limit):
                return section, True
        return None, True
    if len(sections) == 1 or value > 0 or (value == 0 and len(sections) < 3):
        return sections[0], True
    if value < 0:
        return sections[1], False
    return sections[2], True


def _parse(text: str) -> _Section:
    section = _Section()
    tokens = section.tokens
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise UnsupportedFormat(f"'{text}' has an unclosed quote")
            tokens.append(("lit", text[i + 1:end]))
            i = end + 1
        elif ch == "\\":
            tokens.append(("lit", text[i + 1:i + 2]))
            i += 2
        elif ch == "_":
            tokens.append(("lit", " "))  # a space as wide as the next character
            i += 2
        elif ch == "*":
            i += 2  # repeat to fill the cell: nothing in a chart label
        elif ch == "[":
            i = _bracket(text, i, section)
        elif text[i:i + 7].lower() == "general":
            tokens.append(("general", ""))
            i += 7
        elif ch in "0#?":
            tokens.append(("digit", ch))
            i += 1
        elif ch in ".,%":
            tokens.append((ch, ch))
            i += 1
        elif ch in _LITERAL:
            tokens.append(("lit", ch))
            i += 1
        else:
            raise UnsupportedFormat(f"'{text}': '{ch}' (dates, times, fractions, exponents and text are not supported)")
    _layout(section, text)
    return section


def _bracket(text: str, start: int, section: _Section) -> int:
    end = text.find("]", start)
    if end < 0:
        raise UnsupportedFormat(f"'{text}' has an unclosed bracket")
    inner = text[start + 1:end]
    condition = _CONDITION.fullmatch(text[start:end + 1])
    if condition:
        section.condition = (condition.group(1), float(condition.group(2)))
    elif inner.startswith("$"):
        symbol = inner[1:].split("-", 1)[0]  # [$€-407]: a currency symbol and a locale
        if symbol:
            section.tokens.append(("lit", symbol))
    elif inner.lower() in _COLOURS or re.fullmatch(r"(?i)color\d{1,2}", inner):
        section.colour = inner.lower()
    else:
        raise UnsupportedFormat(f"'{text}': [{inner}] is not supported")
    return end + 1


def _layout(section: _Section, text: str) -> None:
    """Literals before the digits are the prefix, after them the suffix; the digits must be one
    run (`0.0`, `#,##0`), as a label format has them."""
    kinds = [kind for kind, _ in section.tokens]
    numeric = [i for i, kind in enumerate(kinds) if kind in ("digit", ".", "general")]
    first, last = (numeric[0], numeric[-1]) if numeric else (len(kinds), len(kinds) - 1)
    if "general" in kinds and any(kind in ("digit", ".") for kind in kinds):
        raise UnsupportedFormat(f"'{text}' mixes General with digit placeholders")
    for i, (kind, value) in enumerate(section.tokens):
        inside = first <= i <= last
        if kind == "%":
            section.percent += 1
            value = "%"
        if kind in ("lit", "%") and inside:
            raise UnsupportedFormat(f"'{text}': text between digit placeholders is not supported")
        if kind in ("lit", "%"):
            if i < first:
                section.prefix += value
            else:
                section.suffix += value
        elif kind == "general":
            section.general = True
        elif kind == "digit":
            if section.point:
                section.fraction += value
            else:
                section.integer += value
        elif kind == ".":
            if section.point:
                raise UnsupportedFormat(f"'{text}' has two decimal points")
            section.point = True
        elif kind == ",":
            _comma(section, i, first, last, text)


def _comma(section: _Section, i: int, first: int, last: int, text: str) -> None:
    """Before the digits a comma is text; among the integer digits it groups thousands; after
    the last digit each comma divides by 1,000."""
    if i < first:
        section.prefix += ","
    elif i > last:
        section.scale += 1
    elif section.point:
        raise UnsupportedFormat(f"'{text}': a comma among the decimals is not supported")
    else:
        section.grouping = True


def _digits(value: float, section: _Section) -> str:
    """The unsigned number laid out by the section's placeholders."""
    scaled = Decimal(repr(value)) * (100 ** section.percent) / (1000 ** section.scale)
    if section.general:
        return _general(scaled)
    places = len(section.fraction)
    rounded = scaled.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, decimals = f"{rounded:f}".partition(".")
    whole = "" if whole == "0" else whole
    pad = section.integer[:max(0, len(section.integer) - len(whole))]
    whole = "".join({"0": "0", "?": " "}.get(p, "") for p in pad) + whole
    if section.grouping:
        whole = _group(whole)
    decimals = _trim(decimals.ljust(places, "0"), section.fraction)
    return whole + ("." + decimals if section.point else "")


def _group(whole: str) -> str:
    digits = whole.lstrip(" ")
    lead = whole[:len(whole) - len(digits)]
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return lead + ",".join([digits, *groups] if digits else groups)


def _trim(decimals: str, placeholders: str) -> str:
    """Trailing zeros under `#` are dropped and under `?` become spaces."""
    out = list(decimals)
    for i in range(len(out) - 1, -1, -1):
        if out[i] != "0" or placeholders[i] == "0":
            break
        out[i] = "" if placeholders[i] == "#" else " "
    return "".join(out)


def _general(value: Decimal) -> str:
    """Excel's General: as many decimals as fit in 11 characters, scientific when nothing fits."""
    whole = len(str(int(value)))
    if whole > _GENERAL_WIDTH or (value and value < Decimal("1e-9")):
        mantissa, _, exponent = f"{value:.5E}".partition("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}E{int(exponent):+03d}"
    places = max(0, _GENERAL_WIDTH - 1 - whole)
    text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
