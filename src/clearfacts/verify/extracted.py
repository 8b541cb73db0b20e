"""What a reader returns: the text a person meets in a built file, location by location.

Every reader (one per file type, listed in the formats table) produces these, so the checks
never care which file type they look at; they only name the location ("page 3", "slide 5
notes", "slide 5 chart") that the reader gives them.
"""

from __future__ import annotations

from collections.abc import Callable

from msgspec import Struct, field


class ChartValues(Struct, frozen=True):
    """What a chart really plots, and the labels its number format makes of the values."""

    categories: tuple[str, ...]
    values: tuple[float, ...]
    number_format: str
    problems: tuple[str, ...] = ()  # what makes the chart unreadable or inconsistent, said as found

    def shown(self) -> tuple[float, ...]:
        """The values as the chart shows them: 0.483 under a 0.0% format reads 48.3."""
        percent = "%" in self.number_format and '"%"' not in self.number_format and "\\%" not in self.number_format
        return tuple(v * 100 if percent else v for v in self.values)

    def labels(self) -> tuple[str, ...]:
        """The values as a reader sees them ("48.3%"), for the fact matrix."""
        unit = "%" if "%" in self.number_format else ""
        return tuple(f"{v:g}{unit}" for v in self.shown())


class Place(Struct, frozen=True):
    """One readable location: "page 3", "slide 5", "slide 5 notes", "slide 5 chart".

    `text` is what a reader sees there, normalised. What the file holds there but nobody sees is
    kept apart, so a finding can say why a sentence is missing: `hidden` (invisible, white,
    tiny or off-page text; a hidden slide) and `covered` (text drawn under something opaque).
    """

    where: str
    text: str
    charts: tuple[ChartValues, ...] = ()
    title: str = ""  # a slide's title, normalised: slides are matched to sections by title
    hidden: str = ""
    covered: str = ""


class Code(Struct, frozen=True):
    """One QR code a reader scanned (`qr_scan`): where it is, the address it leads to (None: it
    does not scan), and the address of the link a click on it opens (None: no link there)."""

    where: str
    text: str | None
    link: str | None = None


class Shown(Struct, frozen=True):
    """A picture a reader found that holds no QR code: where it is, the picture as a person sees
    it (PNG, JPEG…), and the SHA-256 digests (hex) by which one the build placed is known."""

    where: str
    image: bytes
    ids: tuple[str, ...]


class Tagged(Struct, frozen=True):
    """What a screen reader reads of a tagged file: per page, its text blocks (P, LBody, TD, …)
    joined by a mark no sentence crosses, and what is wrong with the structure (where, what)."""

    places: list[Place]
    problems: list[tuple[str, str]]


class Extracted(Struct):
    places: list[Place] = field(default_factory=list)
    stamp: str = ""
    units: int = 0  # pages or slides
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what): e.g. a chart without alt text
    # A second pass over the file (a PDF's structure tree): made only when a check asks for it,
    # not when `facts` or `diff` only need the text, and then once.
    structure: Callable[[], Tagged] | None = None
    # Icon arrays as drawn (their alt text and filled figures), read only when the content has one.
    icon_arrays: Callable[[], list] | None = None
    # What the layout rules measure, one entry per page or slide (`page_measures.PageLayout`,
    # `pptx_layout.SlideLayout`); empty for a reader that gathers none (the print file, the web).
    layout: tuple[object, ...] = ()
    # The top-level bookmarks, each with the page it opens (1-based): where the file itself says
    # each section starts (a PDF's outline; empty for other formats).
    outline: tuple[tuple[str, int], ...] = ()
    policies: tuple[str, ...] = ()  # a web page's Content-Security-Policy, each it declares
    # Where the file's links lead, with where each is ("page 2", "slide 21"): web and mail
    # addresses as written, a web page's relative links as written, "(… action)" for a PDF link
    # that opens something else than an address or a page of its own.
    links: tuple[tuple[str, str], ...] = ()
    codes: tuple[Code, ...] = ()  # the QR codes a reader scanned
    # Pictures other than QR codes: the build adds none but an edition's logo, so `check` reads
    # the words of any other (`picture_words`).
    pictures: tuple[Shown, ...] = ()
    _tagged: Tagged | None = None  # `tagged` fills it in

    def tagged(self) -> Tagged | None:
        """The structure tree's reading, or None for a file that has none (a deck, the print file)."""
        if self._tagged is None and self.structure is not None:
            self._tagged = self.structure()
        return self._tagged

    def all_problems(self) -> list[tuple[str, str]]:
        tagged = self.tagged()
        return self.problems + (tagged.problems if tagged else [])

    def joined(self) -> str:
        return " ".join(p.text for p in self.places)


def find_stamp(words: str, prefix: str) -> str:
    """The build stamp among a file's keywords ("" when there is none)."""
    return next((word for word in words.split() if word.startswith(prefix)), "")
