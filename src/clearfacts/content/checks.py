"""The content rules that run over the loaded model, one small function each.

Each takes the resolved content and today's date and yields findings carrying its rule id. None
of them decides a severity: `Rulebook.apply` does that in one place, so a function never needs to
know whether a clinic made its rule an error, a warning or turned it off.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from msgspec.structs import asdict

from clearfacts.claims import claim_words, negations
from clearfacts.errors import Finding
from clearfacts.model import Bullets, ContentSet, Document, Settings, Text

MAX_LIST = 7  # items a reader takes in at once: health-literacy advice, not a layout limit
MAX_SLIDE_BULLETS = 6  # bullets an audience reads on one slide
STALE_AFTER_DAYS = 3 * 365
_EXAMPLE = re.compile(r"example|555-01\d\d", re.IGNORECASE)


def list_length(content: ContentSet, today: dt.date) -> Iterator[Finding]:
    """Long lists lose readers; the deck has its own, shorter limit (`slide_bullets`)."""
    for document in (content.handout, content.booklet):
        for bullets in _bullets(document):
            if len(bullets.items) > MAX_LIST:
                yield Finding(bullets.loc.path, bullets.loc.line,
                              f"a list has {len(bullets.items)} items; keep it to {MAX_LIST} or fewer",
                              rule="list-length")


def slide_bullets(content: ContentSet, today: dt.date) -> Iterator[Finding]:
    """Style advice for slides; whether the text fits is measured by the deck's layout instead."""
    for number, section in enumerate(content.deck.sections[1:], start=2):
        for block in section.blocks:
            if isinstance(block, Bullets) and len(block.items) > MAX_SLIDE_BULLETS:
                yield Finding(block.loc.path, block.loc.line,
                              f"slide {number} has a list of {len(block.items)} bullets; a slide shows at most "
                              f"{MAX_SLIDE_BULLETS} (split the list over two slides, e.g. red_flags[1-4])",
                              rule="slide-bullets")


def slide_title(content: ContentSet, today: dt.date) -> Iterator[Finding]:
    """The outline and screen readers find a slide by its title; an untitled slide is lost."""
    for number, title in _slide_titles(content):
        if not title.text.strip():
            yield Finding(title.loc.path, title.loc.line, f"slide {number} has no title", rule="slide-title")


def unique_slide_titles(content: ContentSet, today: dt.date) -> Iterator[Finding]:
    """Two slides with one title look like one slide in the outline and to a screen reader."""
    seen: dict[str, int] = {}
    for number, title in _slide_titles(content):
        key = title.text.strip().casefold()
        if key in seen:
            yield Finding(title.loc.path, title.loc.line,
                          f"slide {number} has the same title as slide {seen[key]}: '{title.text}'",
                          rule="unique-slide-titles")
        elif key:
            seen[key] = number


def unused_fact(content: ContentSet, today: dt.date) -> Iterator[Finding]:
    """A fact no output shows is either dead weight or a reference someone forgot to write."""
    for fact in content.facts.values():
        if fact.id not in content.used:
            yield Finding(fact.loc.path, fact.loc.line, f"fact '{fact.id}' is not used by any output",
                          fact.id, rule="unused-fact")


def review_age(content: ContentSet, today: dt.date) -> Iterator[Finding]:
    """Figures go out of date; three years without a look is when a reviewer should re-check."""
    for fact in content.facts.values():
        if (today - fact.reviewed).days > STALE_AFTER_DAYS:
            yield Finding(fact.loc.path, fact.loc.line,
                          f"fact '{fact.id}' was last reviewed {fact.reviewed}, over 3 years ago",
                          fact.id, rule="review-age")


def example_values(content: ContentSet, today: dt.date) -> Iterator[Finding]:
    """The bundled settings are placeholders: a printed handout must not send people to them."""
    s = content.settings
    lines = dict(s.lines)
    for field, value in _settings_values(s):
        if _EXAMPLE.search(value):
            yield Finding(s.loc.path, lines.get(field), f"'{field}' still holds an example value: '{value}'",
                          rule="example-values")


def next_meeting_elsewhere(content: ContentSet, today: dt.date) -> Iterator[Finding]:
    """An edition that gives its own meeting place or group but not its own next meeting would
    announce the content folder's next meeting (another group's room) on its closing slide."""
    s = content.settings
    lines = dict(s.lines)
    own = [lines[f"meeting.{k}"] for k in ("place", "group") if f"meeting.{k}" in lines]
    if s.next_meeting is not None and own and "next_meeting" not in lines:
        yield Finding(s.loc.path, min(own), f"this edition sets its own meeting but would announce the content's "
                      f"next meeting ({s.next_meeting.date}, {s.next_meeting.place}); give it its own "
                      "'next_meeting', or 'next_meeting: null' to announce none", rule="next-meeting-elsewhere")


def _bullets(document: Document) -> Iterator[Bullets]:
    for section in document.sections:
        yield from (block for block in section.blocks if isinstance(block, Bullets))


def _slide_titles(content: ContentSet) -> Iterator[tuple[int, Text]]:
    """Slide 1 shows the deck's title; every later slide its section's title."""
    deck = content.deck
    yield from enumerate([deck.title] + [s.title for s in deck.sections[1:]], start=1)


def _settings_values(s: Settings) -> list[tuple[str, str]]:
    pairs = [(f"organisation.{k}", v) for k, v in asdict(s.organisation).items()]
    upcoming = asdict(s.next_meeting).items() if s.next_meeting is not None else ()
    return pairs + [(f"meeting.{k}", v) for k, v in asdict(s.meeting).items()] + \
        [(f"next_meeting.{k}", v) for k, v in upcoming]


def claim_contradicted(content: ContentSet, today: dt.date) -> Iterator[Finding]:
    """A claim's negation must not be written anywhere, not even by the content itself: the
    check would then have to tell a correct sentence from a tampered one by meaning."""
    claims = negations(content.facts)
    if not claims:
        return
    texts = [t for d in content.documents() for t in d.texts()]
    texts += [content.notices.disclaimer, content.notices.endorsement, content.notices.source_line]
    for text in texts:
        said = claim_words(text.text)
        for fact, phrase, words in claims:
            if words in said:
                yield Finding(text.loc.path, text.loc.line, f"this text says '{phrase}', which contradicts the "
                              f"claim {fact.id} ({fact.display})", fact.id, rule="claim-contradicted")
