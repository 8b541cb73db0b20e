"""The content model: what the loader produces and every renderer and check consumes.

Frozen records only (msgspec `Struct`s with `frozen=True`: typed and immutable like frozen
dataclasses, but made in C when the module loads; see the README's libraries). Nothing here
knows about YAML, PDF or PPTX, so a renderer can be tested with a hand-made model and the loader
can be tested without any renderer.
Prose arrives as `Text`: fact references already replaced by their display form, with the ids
it used kept beside it so the checker knows which facts each output must carry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from msgspec import Struct, field
from msgspec.structs import replace


class Loc(Struct, frozen=True):
    """Where something came from, for `file:line` messages (line is 1-based)."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class Source(Struct, frozen=True):
    title: str
    url: str
    where: str


class Fact(Struct, frozen=True):
    """One registered figure or claim: the only place its value is written."""

    id: str
    value: str
    display: str
    unit: str
    source: Source
    reviewed: dt.date
    note: str
    previous: tuple[str, ...]  # display forms this fact used to have; seen in an output = stale
    loc: Loc
    contradicted_by: tuple[str, ...] = ()  # a claim's negations ("is FDA-approved for"): never said anywhere
    frequency: int = 0  # a percent fact's natural-frequency denominator (10: "about 1 in 10"); 0 for none
    frequency_form: str = ""  # that form in this set's language, made by `frequencies.form`, never typed


class Text(Struct, frozen=True):
    """Resolved prose: plain Unicode (renderers escape it), plus the facts it names."""

    text: str
    facts: tuple[str, ...]
    loc: Loc

    def __str__(self) -> str:
        return self.text


class Paragraph(Struct, frozen=True):
    text: Text
    emphasis: bool = False  # a call-out: bold or boxed, the renderer decides


class Bullets(Struct, frozen=True):
    """A list. `style` says what its marks mean: "bullets" (plain), "checklist" (an empty box a
    reader ticks: `checklist:` in content) or "steps" (numbered, done in order: `steps:`)."""

    items: tuple[Text, ...]
    loc: Loc
    style: str = "bullets"


class Term(Struct, frozen=True):
    term: Text
    text: Text


class Terms(Struct, frozen=True):
    """A definition list: cell types, mechanisms, glossary."""

    items: tuple[Term, ...]
    loc: Loc


class Table(Struct, frozen=True):
    columns: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]
    loc: Loc
    guide: Text | None = None  # one line under the table saying how to read it (booklet only)


class Link(Struct, frozen=True):
    label: Text
    url: str  # http(s) or mailto only; the loader refuses anything else
    qr: bool  # print a QR code beside it
    loc: Loc
    # What paper prints for the address when it is too long to type ("fda.gov: search '…'"):
    # the QR code and the PDF link still carry `url`. None: print the short URL.
    display: Text | None = None


class Links(Struct, frozen=True):
    items: tuple[Link, ...]
    loc: Loc


class Question(Struct, frozen=True):
    id: str
    question: Text
    answer: tuple[Text, ...]


class Questions(Struct, frozen=True):
    items: tuple[Question, ...]
    loc: Loc


class Chart(Struct, frozen=True):
    """A column chart whose values are registry facts, never typed numbers."""

    title: Text
    series: Text
    categories: tuple[Text, ...]
    values: tuple[Fact, ...]
    loc: Loc


class IconArray(Struct, frozen=True):
    """Figures of people, one array per fact: `fact.frequency` of them, the fact's natural
    frequency filled. Each label states its fact's frequency form and is the array's alt text."""

    facts: tuple[Fact, ...]
    labels: tuple[Text, ...]  # one per fact: "Got MSC treatment: about 1 in 10 got DPN"
    caption: Text
    loc: Loc


class Contrast(Struct, frozen=True):
    """Two panels side by side: what is approved (a check mark) and what is not (a cross). The
    marks and tints only repeat what the titles say in words, so colour never carries it alone."""

    yes_title: Text
    yes: tuple[Text, ...]
    no_title: Text
    no: tuple[Text, ...]
    loc: Loc


Block = Paragraph | Bullets | Terms | Table | Links | Questions | Chart | IconArray | Contrast


class Section(Struct, frozen=True):
    """A handout part, a booklet section or one slide (then `notes` is the speaker script)."""

    id: str
    title: Text
    blocks: tuple[Block, ...]
    notes: Text | None
    loc: Loc
    new_page: bool = False  # the booklet starts a new part here: a fresh page, the one before may end short


class Document(Struct, frozen=True):
    """One output's content: the handout, the booklet or the deck."""

    kind: str  # "handout" | "booklet" | "deck"
    title: Text
    subtitle: Text | None
    sections: tuple[Section, ...]
    loc: Loc
    key_message: Text | None = None  # the booklet's one message, on its cover before anything else

    def texts(self) -> Iterator[Text]:
        """Every piece of prose in reading order: for fact coverage and readability checks."""
        yield self.title
        if self.subtitle:
            yield self.subtitle
        if self.key_message:
            yield self.key_message
        for section in self.sections:
            yield section.title
            for block in section.blocks:
                yield from block_texts(block)
            if section.notes:
                yield section.notes

    def fact_ids(self) -> tuple[str, ...]:
        """The facts this output must show, in first-use order."""
        seen: dict[str, None] = {}
        for text in self.texts():
            seen.update(dict.fromkeys(text.facts))
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Chart):
                    seen.update(dict.fromkeys(f.id for f in block.values))
        return tuple(seen)


def block_texts(block: Block) -> Iterator[Text]:
    """The prose inside one block, in reading order."""
    match block:
        case Paragraph(text=text):
            yield text
        case Bullets(items=items):
            yield from items
        case Terms(items=items):
            for item in items:
                yield item.term
                yield item.text
        case Table(columns=columns, rows=rows, guide=guide):
            yield from columns
            for row in rows:
                yield from row
            if guide:
                yield guide
        case Links(items=items):
            for link in items:
                yield link.label
        case Questions(items=items):
            for q in items:
                yield q.question
                yield from q.answer
        case Chart(title=title, series=series, categories=categories):
            yield title
            yield series
            yield from categories
        case IconArray(labels=labels, caption=caption):
            yield from labels
            yield caption
        case Contrast(yes_title=yes_title, yes=yes, no_title=no_title, no=no):
            yield yes_title
            yield from yes
            yield no_title
            yield from no


class Organisation(Struct, frozen=True):
    name: str
    phone: str
    email: str
    website: str

    @property
    def mail_link(self) -> str:
        """The email as the address a mail program opens ("" without one): what the outputs link
        and what the read-back expects them to."""
        return f"mailto:{self.email}" if self.email else ""

    @property
    def phone_link(self) -> str:
        """The phone as the address a phone dials: its digits and a plus sign, "tel:+12075552841"
        ("" when it has fewer than three digits, as "ask at the desk" has none)."""
        digits = re.sub(r"[^\d+]", "", self.phone)
        return f"tel:{digits}" if len(digits) >= 3 else ""


# The longest organisation values, in characters, that every layout makes room for: settings.yaml
# refuses longer ones and the handout reserves its contact area for them, so no valid settings
# file can push the handout's body off the page. The website counts as printed, without
# "https://", "www." or a trailing "/".
ORGANISATION_LIMITS = MappingProxyType({"name": 60, "phone": 20, "email": 40, "website": 40})


class Meeting(Struct, frozen=True):
    group: str
    date: str
    time: str
    place: str
    facilitator: str


class NextMeeting(Struct, frozen=True):
    """The group's next meeting, as the closing slide announces it (settings.yaml's optional
    `next_meeting`): the facilitator's notes say to announce it, so the slide shows it too."""

    date: str
    time: str
    place: str


class Brand(Struct, frozen=True):
    """An edition's own look: an accent colour (#rrggbb, at least 7:1 against white) and a logo
    inside the content folder (PNG or JPEG), identified by its bytes' SHA-256 so that a new logo
    makes the outputs stale."""

    accent: str = ""
    logo: str = ""  # path inside the content folder
    logo_alt: str = ""
    logo_sha256: str = ""
    # The logo's bytes, read and checked once by the loader, so renderers (in worker processes
    # too) never open a file; the stamps hash `logo_sha256` instead.
    logo_data: bytes = b""


class Settings(Struct, frozen=True):
    """What a clinic edits: who it is, when the group meets, how to print."""

    organisation: Organisation
    meeting: Meeting
    paper: str  # "letter" | "a4"
    template: str | None  # path of a .pptx template inside the content folder
    review_date: dt.date  # "Reviewed:" on the handout, booklet and web pages; the deck's file date
    language: str
    loc: Loc
    lines: tuple[tuple[str, int], ...] = ()  # ("organisation.name", 5): for warnings that name a line
    brand: Brand | None = None  # set by an edition only; None keeps the stamps of plain content as they were
    next_meeting: NextMeeting | None = None  # None: the closing slide says nothing about it

    def text(self, key: str, value: str) -> Text:
        """A setting's value as a Text located at its line in settings.yaml (the file's first
        line when the key was not typed there), so a renderer's complaint names where to edit."""
        return Text(value, (), Loc(self.loc.path, dict(self.lines).get(key, self.loc.line)))


class Notices(Struct, frozen=True):
    """The fixed lines every output carries in its own place (footer, back page, last slide)."""

    disclaimer: Text  # not medical advice: talk to your doctor
    endorsement: Text  # a trial listing is not an endorsement
    source_line: Text  # the short source line for footers


class ContentSet(Struct, frozen=True):
    """Everything one build needs, validated and with every fact reference resolved."""

    facts: Mapping[str, Fact]
    settings: Settings
    notices: Notices
    handout: Document
    booklet: Document
    deck: Document
    root: str = field(default="content")  # the content folder as named in messages
    used: frozenset[str] = frozenset()  # facts referenced anywhere, for the unused-fact warning
    # The same content in each other language of settings.yaml's `languages`, in their order:
    # that language's prose, its facts' display forms, its settings.language. Kept out of the
    # build stamps (which hash the settings, facts, notices and one document), so listing a new
    # language never makes this language's outputs stale.
    translations: Mapping[str, ContentSet] = field(default_factory=dict)
    # In a translation: the language of the set it translates ("" in that set itself), which
    # decides where the outputs go (the first language's where the table says, others apart).
    home_language: str = ""
    # In a translation: every language of the content it belongs to, the first one first (its
    # web pages link to each other's); () in the set itself, whose `languages` says so.
    family: tuple[str, ...] = ()

    def documents(self) -> tuple[Document, ...]:
        return (self.handout, self.booklet, self.deck)

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language this content is written in: this set's own first."""
        return (self.settings.language, *self.translations)

    def in_language(self, language: str) -> ContentSet:
        """This content in `language` (one of `languages`), with this set's settings (an
        edition's organisation and meeting too) and that language as `settings.language`, so
        every renderer and check works on it unchanged. KeyError for a language not listed."""
        if language == self.settings.language:
            return self
        other = self.translations[language]
        return replace(other, settings=replace(self.settings, language=language),
                                   root=self.root, home_language=self.settings.language, family=self.languages)

    def all_languages(self) -> tuple[str, ...]:
        """Every language the content is written in, whether this is the set or a translation."""
        return self.family or self.languages

    def output_languages(self) -> tuple[str, ...]:
        """The languages whose outputs decide this set's paths: the home language, then its own."""
        return tuple(dict.fromkeys((self.home_language or self.settings.language, self.settings.language)))
