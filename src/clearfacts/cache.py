"""What this machine's builds verified: each output's stamp, hash and page or slide count.

It makes a rebuild with nothing changed a no-op and lets `check` skip reading back a file whose
bytes are exactly what a build verified here. Because a pull request can edit anything in the
repository, the cache never lives there: it sits in the user's cache folder, and each entry set
is signed with a key that never leaves this machine, so a forged or copied cache counts as empty
(full work, full check).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from msgspec import Struct
from msgspec.structs import asdict

from clearfacts.files import replace_all


class Entry(Struct, frozen=True):
    stamp: str
    sha256: str
    units: int  # pages or slides
    # what the read-back noted without failing (layout rules' warnings), as Finding fields: `check`
    # repeats them for a file it does not read again, with the severities settings.yaml sets then
    notes: tuple[dict[str, object], ...] = ()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_dir() -> Path:
    """The platform's per-user cache folder (XDG on Linux, LOCALAPPDATA on Windows)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA") or Path.home() / ".cache"
    return Path(base) / "clearfacts"


def _cache_file(outputs_dir: Path) -> Path | None:
    """Where the entries for one outputs folder live; None when that would be inside it."""
    outputs = outputs_dir.resolve()
    folder = cache_dir().resolve()
    if folder.is_relative_to(outputs):
        return None
    return folder / "builds" / f"{digest(str(outputs).encode())[:32]}.json"


def _key() -> bytes:
    path = cache_dir() / "key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        return path.read_bytes()


def _signature(body: str) -> str:
    return hmac.new(_key(), body.encode(), hashlib.sha256).hexdigest()


def read_cache(outputs_dir: Path) -> dict[str, Entry]:
    """The signed entries (output path → Entry); anything unreadable or unsigned counts as empty."""
    path = _cache_file(outputs_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8")) if path else {}
        body = json.dumps(raw["outputs"], sort_keys=True)
        if not hmac.compare_digest(raw["signature"], _signature(body)):
            return {}
        return {name: Entry(**{**fields, "notes": tuple(fields.get("notes", ()))})
                for name, fields in raw["outputs"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write_cache(outputs_dir: Path, entries: dict[str, Entry]) -> None:
    """Record what was verified (best effort: without a cache, the next run simply does the work)."""
    path = _cache_file(outputs_dir)
    if path is None:
        return
    outputs = {name: asdict(entries[name]) for name in sorted(entries)}
    try:  # signing makes the key on first use, in the same folder that may not be writable
        body = {"outputs": outputs, "signature": _signature(json.dumps(outputs, sort_keys=True))}
        replace_all({path: (json.dumps(body, indent=1, sort_keys=True) + "\n").encode()})
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
        return


def trusted(entries: dict[str, Entry], expected: dict[str, str], files: dict[str, bytes | None]) -> set[str]:
    """Outputs whose bytes and stamp are exactly what a verified build on this machine recorded."""
    return {
        name for name, data in files.items()
        if data is not None and name in entries and entries[name].stamp == expected.get(name)
        and entries[name].sha256 == digest(data)
    }
