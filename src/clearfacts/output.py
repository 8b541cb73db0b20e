"""Writing outputs safely and reproducibly: atomic replace, fixed dates, the build stamp.

A clinic must never be left with a half-written handout, and the same content must give the
same bytes on any machine, so nothing here reads the clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from clearfacts import __version__
from clearfacts.errors import ContentError, Finding
from clearfacts.model import ContentSet, Document

STAMP_PREFIX = "clearfacts-stamp:"
_LIBRARIES = ("reportlab", "python-pptx", "pypdf", "XlsxWriter", "lxml", "pillow", "segno", "pypdfium2")


@dataclasses.dataclass(frozen=True)
class BuildOptions:
    """What besides the content changes the bytes of an output."""

    paper: str  # "letter" | "a4"
    template: Path | None  # a clinic's .pptx template for the deck
    when: dt.datetime  # the date written into file metadata


def build_time(content: ContentSet) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the content's review date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.combine(content.settings.review_date, dt.time(), tzinfo=dt.UTC)


@cache
def library_versions() -> str:
    """The versions of everything that writes output bytes, read from the installed dist-info
    folder names (importlib.metadata costs more start-up time than a whole no-op build allows)."""
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
    return f"clearfacts={__version__};" + ";".join(f"{n}={found.get(_canonical(n), 'none')}" for n in _LIBRARIES)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def build_stamps(content: ContentSet, documents: Mapping[str, Document], options: BuildOptions) -> dict[str, str]:
    """`clearfacts-stamp:<content hash>:<library hash>:<paper>` per document, embedded in the
    output it describes.

    The content half covers the document, the facts, settings and notices (not line numbers, so
    moving text in a YAML file does not make outputs stale); the library half lets the check say
    "only library versions differ". What all documents share is serialised and hashed once.
    """
    template = options.template.read_bytes() if options.template else b""
    shared = {
        "facts": {k: _plain(v) for k, v in sorted(content.facts.items())},
        "settings": _plain(content.settings),
        "notices": _plain(content.notices),
        "paper": options.paper,
        "template": hashlib.sha256(template).hexdigest(),
        "when": options.when.isoformat(),
    }
    libs = hashlib.sha256(library_versions().encode()).hexdigest()
    stamps = {}
    for kind, document in documents.items():
        payload = json.dumps(shared | {"document": _plain(document)}, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        stamps[kind] = f"{STAMP_PREFIX}{digest[:20]}:{libs[:8]}:{options.paper}"
    return stamps


def stamp_paper(stamp: str) -> str | None:
    """The paper size a stamp was built for, so a check compares like with like."""
    paper = stamp.rsplit(":", 1)[-1] if stamp.startswith(STAMP_PREFIX) else ""
    return paper if paper in ("letter", "a4") else None


def _plain(value: object) -> object:
    """A JSON-ready copy of a model object, without source locations."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "loc"}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def write_atomically(files: Mapping[Path, bytes]) -> None:
    """Write every file to a temp file beside it, fsync, then rename them all into place.

    Nothing is renamed until every temp file is complete, so a failure (or a kill) leaves each
    output either the old complete file or the new one.
    """
    temps: list[tuple[Path, Path]] = []
    path = next(iter(files), Path("."))
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            for leftover in path.parent.glob(f".{path.name}.*.tmp"):  # from a build that was killed
                leftover.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((Path(tmp), path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in temps:
            os.replace(tmp, path)
        for folder in {p.parent for p in files}:
            _fsync_dir(folder)
    except OSError as exc:
        raise ContentError(Finding(str(path), None, f"cannot write output: {exc.strerror or exc}")) from None
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
