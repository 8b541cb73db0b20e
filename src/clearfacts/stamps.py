"""The build stamp: which content, library versions and paper an output was built from.

Each output carries its stamp, so `check` can say an output is stale (built from older content
or other library versions) without trusting anything stored beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
from collections.abc import Sequence
from functools import cache

from msgspec import Struct

from clearfacts import __version__
from clearfacts.formats import Format
from clearfacts.model import ContentSet, Document
from clearfacts.options import BuildOptions

_LOCATIONS = ("loc", "lines")  # where things were typed: moving a line must not make outputs stale
STAMP_PREFIX = "clearfacts-stamp-"  # hyphens, not colons: office suites rewrite colons in keywords


def library_versions(libraries: tuple[str, ...]) -> str:
    """The versions of everything that writes output bytes, read from the installed dist-info
    folder names (importlib.metadata costs more start-up time than a whole no-op build allows)."""
    found = _installed()
    return f"clearfacts={__version__};" + ";".join(f"{n}={found.get(_canonical(n), 'none')}" for n in libraries)


@cache
def _installed() -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and "-" in name:
                project, version = name[: -len(".dist-info")].split("-", 1)
                found.setdefault(_canonical(project), version)
    return found


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def expected_stamps(content: ContentSet, options: BuildOptions, formats: Sequence[Format]) -> dict[str, str]:
    """`clearfacts-stamp-<content hash>-<library hash>-<paper>` per format key, embedded in the
    output it describes.

    The content half covers the format's document, the facts, settings and notices (not line
    numbers, so moving text in a YAML file does not make outputs stale), and for a format that
    links to the others (`Format.links_outputs`) which outputs the build makes; the library half covers
    the libraries that write that format, so the check can say "only library versions differ".
    What all documents of one language share is serialised and hashed once.
    """
    template = options.template.read_bytes() if options.template else b""
    shared_by_language: dict[str, dict[str, object]] = {}
    by_document: dict[tuple[str, str], str] = {}
    stamps = {}
    for fmt in formats:
        own = fmt.content_of(content)
        language = own.settings.language
        if language not in shared_by_language:
            shared_by_language[language] = {
                "facts": {k: _plain(v) for k, v in sorted(own.facts.items())},
                "settings": _settings(own),
                "notices": _plain(own.notices),
                "paper": options.paper,
                "template": hashlib.sha256(template).hexdigest(),
                "when": options.when.isoformat(),
            }
        key = (language, fmt.document, fmt.links_outputs)
        if key not in by_document:
            document: Document = getattr(own, fmt.document)
            linked = {"outputs": list(options.outputs)} if fmt.links_outputs else {}
            payload = json.dumps(shared_by_language[language] | {"document": _plain(document)} | linked,
                                 sort_keys=True, ensure_ascii=False)
            by_document[key] = hashlib.sha256(payload.encode()).hexdigest()
        libs = hashlib.sha256(library_versions(fmt.libraries).encode()).hexdigest()
        stamps[fmt.key] = f"{STAMP_PREFIX}{by_document[key][:20]}-{libs[:8]}-{options.paper}"
    return stamps


def _settings(content: ContentSet) -> object:
    """The settings as hashed: an edition's brand (accent colour, logo hash) only when it has one,
    so content without one keeps the stamps it always had."""
    plain = _plain(content.settings)
    if isinstance(plain, dict) and plain.get("brand") is None:
        plain.pop("brand", None)
    elif isinstance(plain, dict):
        plain["brand"].pop("logo_data", None)  # stamped by its SHA-256
    return plain


def stamp_paper(stamp: str) -> str | None:
    """The paper size a stamp was built for, so a check compares like with like."""
    parts = stamp_parts(stamp)
    return parts[2] if parts else None


def stamp_parts(stamp: str) -> tuple[str, str, str] | None:
    """(content hash, library hash, paper) of a well-formed stamp, else None."""
    parts = stamp[len(STAMP_PREFIX):].split("-") if stamp.startswith(STAMP_PREFIX) else []
    if len(parts) != 3 or parts[2] not in ("letter", "a4"):
        return None
    return parts[0], parts[1], parts[2]


def _plain(value: object) -> object:
    """A JSON-ready copy of a model object, without source locations (line numbers)."""
    if isinstance(value, Struct):
        return {name: _plain(getattr(value, name)) for name in value.__struct_fields__ if name not in _LOCATIONS}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
