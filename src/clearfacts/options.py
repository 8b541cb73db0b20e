"""What besides the content changes the bytes of an output, and the one date a build writes.

Kept apart from the stamps and the file writing because every renderer needs it and none of
them may depend on how outputs are written or checked.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import msgspec

from clearfacts.model import ContentSet


class BuildOptions(msgspec.Struct, frozen=True):
    """Choices that shape the bytes: paper, the deck's template, the date in file metadata."""

    paper: str  # "letter" | "a4"
    template: Path | None  # a clinic's .pptx template for the deck
    when: dt.datetime  # the date written into file metadata


def build_time(content: ContentSet) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the content's review date:
    never the clock, so the same content gives the same bytes on any machine."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.combine(content.settings.review_date, dt.time(), tzinfo=dt.UTC)


def options_for(content: ContentSet, paper: str | None, template: Path | None) -> BuildOptions:
    """Command-line choices win over settings.yaml."""
    if template is None and content.settings.template:
        template = Path(content.root) / content.settings.template
    return BuildOptions(paper or content.settings.paper, template, build_time(content))
