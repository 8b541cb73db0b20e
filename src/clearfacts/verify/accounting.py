"""Every figure a reader sees must be accounted for: a registered fact's display form, or
something the statistic rule does not call a figure (page numbers, dates, times, phone numbers,
trial ids, counts). Anything else is an `unregistered figure`, named with its location: an added
text box, an extra slide or page, a figure edited where no sentence anchors it.

The same rule that refuses a figure typed into the content (`clearfacts.figures`) is applied
to the text read back, so the two can never disagree about what a figure is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from msgspec.structs import asdict

from clearfacts.errors import Finding
from clearfacts.figures import find_statistics
from clearfacts.locales import meeting_date, meeting_time, number_format
from clearfacts.model import ContentSet, Document
from clearfacts.verify.extracted import Extracted, Place
from clearfacts.verify.normalise import normalise

_ADDRESS = re.compile(r"\S+\.[a-z]{2,}/\S*|https?://\S+|\S+@\S+")  # URLs and e-mail addresses are not figures


def unregistered_figures(name: str, content: ContentSet, document: Document, got: Extracted) -> list[Finding]:
    known = _known(content, document)
    numbers = number_format(content.settings.language)
    findings = []
    for place in got.places:
        text = _ADDRESS.sub(" ", place.text)
        for value in sorted({*_chart_labels(place, content), *known}, key=len, reverse=True):  # "48.3%" before "48"
            text = text.replace(value, " ")
        for typed, fact in find_statistics(text, content.facts, numbers):
            hint = f" (it resembles {fact.id}, {fact.display})" if fact else ""
            findings.append(Finding(name, None, f"{place.where}: unregistered figure '{typed}'{hint}",
                                    fact.id if fact else None))
    return findings


def _chart_labels(place: Place, content: ContentSet) -> list[str]:
    """A chart's data labels that show a registered value: their form comes from the chart's
    number format, which the viewer's locale displays ("48.3%" or "48,3 %"), not from the prose's
    language; the chart check compares every plotted value with its fact."""
    values = {_number(f.value) for f in content.facts.values()} - {None}
    return [label for chart in place.charts for label, value in zip(chart.labels(), chart.shown(), strict=False)
            if round(value, 6) in values]


def _number(value: str) -> float | None:
    try:
        return round(float(value), 6)
    except ValueError:
        return None


def _known(content: ContentSet, document: Document) -> list[str]:
    """Registered display forms, and what settings put on the page (a clinic's name or meeting
    room is not prose and may hold numbers), longest first so "48.3%" goes before "48". Figures
    the document's own prose types are known too: they are there only where a clinic lowered the
    `statistic-in-prose` rule on purpose, and the load already warned about each. Section titles
    are known whole, as the content wrote them: a contents page sets a page number just before
    the next title ("… clinic 7 / Could a trial be right for me? 7"), which would otherwise read
    as "7 … trial"; a title with one figure changed no longer matches and is read as usual."""
    numbers = number_format(content.settings.language)
    typed = (figure for text in document.texts() for figure, _ in find_statistics(text.text, content.facts, numbers))
    values: Iterable[str] = [
        *typed,
        *(section.title.text for section in document.sections),
        *(f.display for f in content.facts.values()),
        *(old for f in content.facts.values() for old in f.previous),  # reported as stale instead
        *asdict(content.settings.organisation).values(),
        *asdict(content.settings.meeting).values(),
        *_meeting_as_shown(content),
    ]
    return sorted({normalise(v) for v in values if v.strip()}, key=len, reverse=True)


def _meeting_as_shown(content: ContentSet) -> list[str]:
    """The meeting dates and times as the deck writes them in this language (a date typed
    YYYY-MM-DD reads "jueves, 14 de enero de 2027" on the Spanish slides)."""
    s, language = content.settings, content.settings.language
    meetings = [s.meeting, *([s.next_meeting] if s.next_meeting is not None else [])]
    return [shown for m in meetings for shown in (meeting_date(m.date, language), meeting_time(m.time, language))]
