"""The statistic rule: what counts as a figure. It guards the content (a figure typed straight into
prose instead of referenced from the registry) and the read-back (every figure a reader sees must
be a registered fact) with the same definition.

A typed "48%" next to a registered 48.3% is how two handouts end up disagreeing, so it is an
error that names the fact it resembles. The rule reads the text as a reader sees it
(`numbers.visible`: superscript digits, zero-width spaces and right-to-left overrides undone) and
looks at each number once, where it starts:

- a percentage: `48%`, `48,3%`, `48 %`, `48 percent`, `48 per cent`, `84 pct`, `483‰`,
  `483 per mille`; and the word "percent" on its own;
- money: a currency sign before or after (`$5000`, `$20k`, `€5000`, `£20`, `¥500`, `5000 €`), or a
  currency word or code after (`5000 dollars`, `bucks`, `euros`, `pounds`, `dólares`, `USD`, `EUR`);
- a decimal with a non-zero fraction (`10.3`); "1.0" reads as a whole number, and "6.30 pm" is a
  time;
- a number followed, within three words, by a fact's unit noun (singular or plural of exactly
  that unit: `97 patients`, `97 diabetic adult patients`) *when the number resembles that fact*
  (`numbers.resembles`: within a few percent, or a rounded variant). So "2 times" beside a
  "5 to 20 times" fact and "12 patients" beside "97 patients" are plain counts.

Plain counts, years, dates, times, phone numbers, page numbers and trial ids are not statistics.

Numbers are read as the prose's language writes them (`numbers.NumberFormat`): in Spanish
`48,3 %`, `48,3 por ciento`, `$20 mil` and `20 mil dólares` are statistics like `48.3%` and
`$20k` in English, and `48` is never read inside `48,3`. A fact's unit noun is matched in the
language's own plural forms ("paciente", "pacientes").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

from clearfacts.model import Fact
from clearfacts.numbers import ENGLISH, Number, NumberFormat, logical, resembles, scan, value_numbers, visible

_CURRENCY_SIGNS = "$\u20ac\u00a3\u00a5\u20b9\u20a9\u20bd\u00a2"  # $ € £ ¥ ₹ ₩ ₽ ¢
_CODES = r"USD|EUR|GBP|JPY|CAD|AUD|CHF|MXN"
_MONEY_BEFORE = re.compile(rf"(?:[{_CURRENCY_SIGNS}]|(?<![A-Za-z])(?:{_CODES}))\s?\Z")
_AFTER = re.compile(
    r"\s?(?:"
    r"(?P<mille>\u2030|(?i:per[\s-]?mil(?:le)?|permille|por\s?mil)\b)"
    r"|(?P<percent>[%\u2031]|(?i:pct\b\.?|per[\s-]?cent\b|percent(?:age\s+points?)?\b|por\s?ciento\b))"
    rf"|(?P<money>[{_CURRENCY_SIGNS}]|(?:{_CODES})\b"
    r"|(?i:(?:us\s)?dollars?|d[oó]lar(?:es)?|bucks?|euros?|pounds?|yen|quid|cents?|centavos?|pesos?)\b)"
    r")"
)
_TIME = re.compile(r"\s?(?i:[ap]\.?m\b\.?|h\b|hrs?\b|o'clock)")
_PERCENT_WORD = re.compile(r"\bper\s?cent\b", re.IGNORECASE)
_PERCENT_UNITS = {"%", "percent", "per cent", "pct", "percentage", "percentage points", "per mille", "\u2030",
                  "por ciento", "porcentaje"}
_PERCENT_NOUN = re.compile(r"%|\bper\s?cent|\bpct\b|\bpercentage|\bpor\s?ciento|\bporcentaje", re.IGNORECASE)
_MILLE_NOUN = re.compile(r"\u2030|\bper[\s-]?mil(?:le)?\b", re.IGNORECASE)
_MONEY_WORDS = re.compile(rf"[{_CURRENCY_SIGNS}]|\b(?:{_CODES}|dollars?|d[oó]lar(?:es)?|euros?|pounds?|yen|pesos?)\b",
                          re.IGNORECASE)
_WORDS_BEFORE_UNIT = 3  # "97 diabetic adult patients"
_IRREGULAR = {"person": "people", "child": "children", "man": "men", "woman": "women", "foot": "feet"}
_YEAR_NOUNS = ("year", "years", "año", "años")


def find_statistics(prose: str, facts: Mapping[str, Fact],
                    fmt: NumberFormat = ENGLISH) -> Iterable[tuple[str, Fact | None]]:
    """Yield (what a reader sees typed, the fact it resembles or None) for each statistic in
    `prose`, in order, reading numbers as `fmt`'s language writes them. `prose` must already
    have its fact references removed.

    When a right-to-left override makes the text read differently from how it is stored, both
    readings are checked (each figure once)."""
    shown = visible(prose)
    seen: set[str] = set()
    for typed, fact in _statistics(shown, facts, fmt):
        seen.add(typed)
        yield typed, fact
    stored = logical(prose)
    if stored != shown:
        for typed, fact in _statistics(stored, facts, fmt):
            if typed not in seen:
                seen.add(typed)
                yield typed, fact


def _statistics(text: str, facts: Mapping[str, Fact], fmt: NumberFormat) -> Iterator[tuple[str, Fact | None]]:
    units = None  # the facts' unit nouns, looked up at the text's first number (most prose has none)
    taken_until = 0
    spans: list[tuple[int, int]] = []
    for n in scan(text, fmt):
        if n.start < taken_until:
            continue
        units = units or _units(facts, fmt.language)
        found = _classify(text, n, facts, units)
        if found is None:
            continue
        start, end, fact = found
        spans.append((start, end))
        taken_until = end
        yield text[start:end], fact
    for m in _PERCENT_WORD.finditer(text):
        if not any(a <= m.start() < b for a, b in spans):
            yield m.group(0), None


def _classify(text: str, n: Number, facts: Mapping[str, Fact],
              units: tuple[re.Pattern[str] | None, dict[str, list[Fact]]]) -> tuple[int, int, Fact | None] | None:
    """(start, end, the fact it resembles) when the number at `n` is a statistic, else None.
    A percentage or money amount only resembles facts of its own kind."""
    before = _MONEY_BEFORE.search(text, max(0, n.start - 4), n.start)
    after = _AFTER.match(text, n.end)
    kind = after.lastgroup if after else None
    if before or kind == "money":
        start, end = (before.start() if before else n.start), (after.end() if kind == "money" else n.end)
        return start, end, _nearest(n.value, [f for f in facts.values() if _is_money(f)])
    if kind == "percent":
        return n.start, after.end(), _nearest(n.value, [f for f in facts.values() if _is_percent(f)])
    if kind == "mille":
        same = _nearest(n.value, [f for f in facts.values() if _is_mille(f)])
        return n.start, after.end(), same or _nearest(n.value / 10, [f for f in facts.values() if _is_percent(f)])
    pattern, by_form = units
    m = pattern.match(text, n.end) if pattern else None
    if m:
        fact = _nearest(n.value, by_form[" ".join(m.group("unit").lower().split())])
        if fact is not None:
            return n.start, m.end(), fact
    if n.fraction and not (n.decimals == 2 and _TIME.match(text, n.end)):
        return n.start, n.end, _nearest(n.value, facts.values())
    return None


def _units(facts: Mapping[str, Fact], language: str) -> tuple[re.Pattern[str] | None, dict[str, list[Fact]]]:
    by_id = {fact.id: fact for fact in facts.values()}
    pattern, by_form = _unit_pattern(tuple((fact.id, fact.unit, fact.value) for fact in by_id.values()), language)
    return pattern, {form: [by_id[fid] for fid in ids] for form, ids in by_form.items()}


@lru_cache(maxsize=64)
def _unit_pattern(units: tuple[tuple[str, str, str], ...],
                  language: str = "en") -> tuple[re.Pattern[str] | None, dict[str, list[str]]]:
    """One pattern for every fact's unit noun (singular and plural, nothing else) within three
    words after a number, and the ids of the facts each form belongs to. Percent and money units
    have their own patterns; a calendar year ("2024", unit "year") is not a quantity."""
    by_form: dict[str, list[str]] = {}
    for fid, unit, value in units:
        noun = " ".join(unit.lower().split())
        numbers = value_numbers(value)
        if not noun or noun in _PERCENT_UNITS or _MONEY_WORDS.search(noun) or not numbers:
            continue
        if noun in _YEAR_NOUNS and all(1000 <= n < 3000 and n == int(n) for n in numbers):
            continue
        for form in (_spanish_forms(noun) if language == "es" else _forms(noun)):
            by_form.setdefault(form, []).append(fid)
    if not by_form:
        return None, by_form
    forms = "|".join(r"\s+".join(map(re.escape, form.split())) for form in sorted(by_form, key=len, reverse=True))
    words = rf"(?:[^\W\d_][\w'\u2019-]{{0,30}}\s+){{0,{_WORDS_BEFORE_UNIT}}}?"
    return re.compile(rf"\s?{words}(?P<unit>{forms})(?![\w-])", re.IGNORECASE), by_form


def _forms(noun: str) -> set[str]:
    """The noun as written, its singular and its plural: "patients" → patients, patient."""
    *head, last = noun.split(" ")
    variants = {last}
    for one, many in _IRREGULAR.items():
        if last in (one, many):
            variants |= {one, many}
    if last.endswith("ies") and len(last) > 4:
        variants.add(last[:-3] + "y")
    elif last.endswith(("ses", "xes", "zes", "ches", "shes")):
        variants.add(last[:-2])
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 1:
        variants.add(last[:-1])
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        variants.add(last[:-1] + "ies")
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        variants.add(last + "es")
    else:
        variants.add(last + "s")
    return {" ".join([*head, v]) for v in variants}


def _spanish_forms(noun: str) -> set[str]:
    """A Spanish unit noun comes first and takes the plural ("sitios web", "pacientes", "años",
    "dólares"): the noun as written, with and without its plural ending."""
    first, *rest = noun.split(" ")
    variants = {first, first + "s", first + "es"}
    if first.endswith("es") and len(first) > 3:
        variants.add(first[:-2])
    if first.endswith("s") and len(first) > 2:
        variants.add(first[:-1])
    return {" ".join([v, *rest]) for v in variants}


def _is_percent(fact: Fact) -> bool:
    return "%" in fact.display or bool(_PERCENT_NOUN.search(fact.unit))


def _is_mille(fact: Fact) -> bool:
    return "\u2030" in fact.display or bool(_MILLE_NOUN.search(fact.unit))


def _is_money(fact: Fact) -> bool:
    return bool(_MONEY_WORDS.search(fact.unit) or _MONEY_WORDS.search(fact.display))


def _nearest(typed: float, facts: Iterable[Fact]) -> Fact | None:
    """The fact whose value `typed` resembles most closely (relative distance), or None."""
    best: tuple[float, Fact] | None = None
    for fact in facts:
        for registered in value_numbers(fact.value):
            if resembles(typed, registered):
                distance = abs(abs(typed) - abs(registered)) / max(abs(registered), 1e-12)
                if best is None or distance < best[0]:
                    best = (distance, fact)
    return best[1] if best else None
