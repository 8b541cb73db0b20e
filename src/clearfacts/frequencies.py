"""Natural frequencies: "about 1 in 10" for a 10.3% fact, made by one rule, never typed.

People grasp "about 1 in 10 people" more readily than "10.3%". A percent fact that says
`frequency: "10"` (or "100") in facts.yaml gets this form beside its display: N is the value
times the denominator over 100, rounded half up, and "about" is said only when that rounding
changed the value (50% of 10 is "5 in 10"). The words come from this module's table per
language, so a form is never retyped in a translation.

The form is a display form like any other: prose shows it as `{fact.id:frequency}`, the checks
look for it where prose put it, and a frequency typed into prose ("5 in 10", "5 de cada 10")
that matches a fact's form is a typed statistic (`typed_frequencies`), like a typed "48.3%".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from msgspec.structs import replace

from clearfacts.model import Fact
from clearfacts.numbers import numbers_in, visible

DENOMINATORS = (10, 100)  # what an icon array can draw: one row of 10, or 10 rows of 10
SUFFIX = ":frequency"  # `{trial.msc_rate:frequency}` in prose
# (rounded, exact) by language: "about 1 in 10", "5 in 10". Spanish says "alrededor de" rather
# than "unas", which would not agree with 1 ("unas 1 de cada 10").
_WORDS = {
    "en": ("about {n} in {of}", "{n} in {of}"),
    "es": ("alrededor de {n} de cada {of}", "{n} de cada {of}"),
}
# A frequency as people type it: "5 in 10", "5 out of 10", "5 of every 10", "5 de cada 10", "5 en 10".
# A bare "of" is left out: "page 1 of 10" and "step 5 of 10" are not statistics.
_TYPED = (r"(?<![\w.,])(?P<n>\d{1,4})\s+(?:in|out\s+of|of\s+every|de\s+cada|en)\s+"
          r"(?P<of>\d{1,4})(?!\d|[.,]\d)")


def share(value: str, of: int) -> tuple[int, bool] | None:
    """(N, exact) for a percent `value` out of `of`: 10.3 of 10 → (1, False); 50 of 10 → (5, True).
    None when the value is not one number from 0 to 100."""
    try:
        percent = Decimal(value.strip().replace(",", ""))
    except InvalidOperation:
        return None
    if not percent.is_finite() or not 0 <= percent <= 100:
        return None
    n = int((percent * of / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return n, Decimal(n) * 100 / of == percent


def form(value: str, of: int, language: str = "en") -> str:
    """The natural frequency of a percent value in `language` ("en", "es"; others get English),
    or "" when the value has none."""
    found = share(value, of) if of else None
    if found is None:
        return ""
    n, exact = found
    rounded, plain = _WORDS.get(language.split("-")[0].lower(), _WORDS["en"])
    return (plain if exact else rounded).format(n=n, of=of)


def filled(fact: Fact) -> int:
    """How many of an icon array's `fact.frequency` figures are filled for this fact."""
    found = share(fact.value, fact.frequency) if fact.frequency else None
    return found[0] if found else 0


def with_form(fact: Fact, language: str) -> Fact:
    """`fact` with its frequency form in `language` (unchanged when it has no frequency)."""
    if not fact.frequency:
        return fact
    return replace(fact, frequency_form=form(fact.value, fact.frequency, language))


def shown_as(fact: Fact, sentence: str, normalise: Callable[[str], str]) -> Fact | None:
    """The fact as `sentence` shows it: itself when its display is there, else the fact with its
    frequency form as the display (so a finding says "found about 4 in 10, expected about 1 in
    10"), else None. `normalise` is the read-back's text normaliser."""
    if normalise(fact.display) in sentence:
        return fact
    if fact.frequency_form and normalise(fact.frequency_form) in sentence:
        return replace(fact, display=fact.frequency_form)
    return None


def stale_forms(fact: Fact, facts: Mapping[str, Fact], language: str) -> tuple[str, ...]:
    """The frequency forms of the fact's previous displays that no current form says (nor holds:
    "1 in 10" is inside "about 1 in 10"): seen in an output, they are stale like the old display."""
    if not fact.frequency:
        return ()
    current = [f.frequency_form for f in facts.values() if f.frequency_form]
    old = (form(repr(numbers[0]), fact.frequency, language) for p in fact.previous if (numbers := numbers_in(p)))
    return tuple(dict.fromkeys(o for o in old if o and not any(o in c for c in current)))


def typed_frequencies(prose: str, facts: Mapping[str, Fact]) -> Iterator[tuple[str, Fact]]:
    """(what a reader sees typed, the fact) for each frequency typed into `prose` that states a
    fact's frequency: "5 in 10" for a 48.3% fact with `frequency: "10"` (the same N and
    denominator, or the same share of another denominator: "50 in 100"). `prose` must have its
    fact references removed."""
    with_frequency = [f for f in facts.values() if f.frequency]
    if not with_frequency:
        return
    for m in re.finditer(_TYPED, visible(prose), re.IGNORECASE):  # re caches it: compiled once, when first needed
        n, of = int(m.group("n")), int(m.group("of"))
        if of < 2 or n > of:
            continue
        for fact in with_frequency:
            found = share(fact.value, of)
            if found is not None and found[0] == n:
                yield m.group(0), fact
                break
