"""The build manifest: each output's stamp, hash and size as verified at build time.

It makes a rebuild with nothing changed a no-op (no rendering, no file written) and lets
`check` skip reading back a file whose bytes are exactly what was verified when it was built.
A file edited by hand no longer matches its hash, so it is rebuilt, and fully checked.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

MANIFEST = "clearfacts-manifest.json"


@dataclass(frozen=True)
class Entry:
    stamp: str
    sha256: str
    units: int  # pages or slides


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(outputs_dir: Path) -> dict[str, Entry]:
    """The recorded entries; an unreadable or foreign manifest counts as empty (full work)."""
    try:
        raw = json.loads((outputs_dir / MANIFEST).read_text(encoding="utf-8"))
        return {name: Entry(**fields) for name, fields in raw["outputs"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def manifest_bytes(entries: dict[str, Entry]) -> bytes:
    """Deterministic JSON: committed beside the outputs, it must not change between builds."""
    body = {"about": "written by clearfacts build; do not edit",
            "outputs": {name: asdict(entries[name]) for name in sorted(entries)}}
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode()


def trusted(entries: dict[str, Entry], expected: dict[str, str], files: dict[str, bytes | None]) -> set[str]:
    """Outputs whose bytes and stamp are exactly what a verified build recorded."""
    return {
        name for name, data in files.items()
        if data is not None and name in entries and entries[name].stamp == expected.get(name)
        and entries[name].sha256 == digest(data)
    }
