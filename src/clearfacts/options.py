"""What besides the content changes the bytes of an output, and the one date a build writes.

Kept apart from the stamps and the file writing because every renderer needs it and none of
them may depend on how outputs are written or checked.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import msgspec

from clearfacts.errors import ContentError, Finding
from clearfacts.model import ContentSet


class BuildOptions(msgspec.Struct, frozen=True):
    """Choices that shape the bytes: paper, the deck's template, the date in file metadata."""

    paper: str  # "letter" | "a4"
    template: Path | None  # a clinic's .pptx template for the deck
    when: dt.datetime  # the date written into file metadata
    # Every output this build makes (paths, every language's): the web pages link to these and no
    # others, so an edition that makes some outputs only never links to a file it does not have.
    outputs: tuple[str, ...] = ()


# The last second a date can hold (9999-12-31 23:59:59 UTC): PDF, PPTX and HTML dates have four-digit years.
LAST_EPOCH = 253_402_300_799


def build_time(content: ContentSet) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the content's review date:
    never the clock, so the same content gives the same bytes on any machine.

    A malformed value stops the build (exit 2), as the specification asks, rather than being
    ignored: the files would carry another date than the one the person or CI meant, and
    reportlab, which reads the variable too, would fail on it while writing a PDF."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    epoch = raw.strip()
    if not epoch:  # unset, or set empty as CI templates do: the review date
        return dt.datetime.combine(content.settings.review_date, dt.time(), tzinfo=dt.UTC)
    if not (epoch.isascii() and epoch.isdigit()) or int(epoch) > LAST_EPOCH:
        raise ContentError(Finding("SOURCE_DATE_EPOCH", None, (
            f"'{raw}' is not a time in whole seconds since 1970-01-01 UTC up to the year 9999 (what "
            "`date +%s` prints); set it to one, or unset it to date the files from settings.yaml's review_date")))
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)


def options_for(content: ContentSet, paper: str | None, template: Path | None) -> BuildOptions:
    """Command-line choices win over settings.yaml."""
    if template is None and content.settings.template:
        template = Path(content.root) / content.settings.template
    return BuildOptions(paper or content.settings.paper, template, build_time(content))
