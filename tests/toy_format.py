"""A toy fifth output, added to the formats table by tests alone: a plain-text edition of the
handout, one block of lines per section. It proves that an output is one table entry plus its
own renderer and reader, with nothing else in the code to edit."""

from __future__ import annotations

import os
import signal

from clearfacts.model import ContentSet
from clearfacts.options import BuildOptions
from clearfacts.verify.extracted import Extracted, Place, find_stamp
from clearfacts.verify.normalise import normalise

SECTION = "=== section "


def render(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    doc = content.handout
    lines = [stamp]
    for n, section in enumerate(doc.sections, 1):
        lines.append(f"{SECTION}{n}")
        if n == 1:
            lines.append(doc.title.text)
        lines.append(section.title.text)
        lines.extend(t.text for b in section.blocks for t in _texts(b))
    return ("\n".join(lines) + "\n").encode()


def _texts(block: object) -> list:
    from clearfacts.model import block_texts

    return list(block_texts(block))


def read(data: bytes) -> Extracted:
    text = data.decode()
    head, *sections = text.split(SECTION)
    places = [Place(f"section {part.split(chr(10), 1)[0]}", normalise(part.split("\n", 1)[1])) for part in sections]
    return Extracted(places, find_stamp(head, "clearfacts-stamp-"), len(places))


def render_and_die(content: ContentSet, options: BuildOptions, stamp: str) -> bytes:
    """A renderer whose process is killed mid-build (as by the out-of-memory killer)."""
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def read_and_die(data: bytes) -> Extracted:
    """A reader whose process is killed while `check` reads the file back."""
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")
