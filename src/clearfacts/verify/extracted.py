"""What a reader returns: the text a person meets in a built file, location by location.

Every reader (one per file type, listed in the formats table) produces these, so the checks
never care which file type they look at; they only name the location ("page 3", "slide 5
notes", "slide 5 chart") that the reader gives them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChartValues:
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


@dataclass(frozen=True)
class Place:
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


@dataclass
class Extracted:
    places: list[Place] = field(default_factory=list)
    stamp: str = ""
    units: int = 0  # pages or slides
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what): e.g. untagged text
    # Problems that take a second pass over the file (a PDF's structure tree): worked out only
    # when a check asks for them, not when `facts` or `diff` only need the text.
    later: Callable[[], list[tuple[str, str]]] | None = None

    def all_problems(self) -> list[tuple[str, str]]:
        return self.problems + (self.later() if self.later else [])

    def joined(self) -> str:
        return " ".join(p.text for p in self.places)


def find_stamp(words: str, prefix: str) -> str:
    """The build stamp among a file's keywords ("" when there is none)."""
    return next((word for word in words.split() if word.startswith(prefix)), "")
