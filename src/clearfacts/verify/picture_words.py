"""The words in a picture, read with Tesseract (the OCR engine Debian, Homebrew and Windows
installers package as `tesseract`), so that a figure typed into a picture is checked like one
typed into a text box.

The build puts two kinds of picture on pages and slides, the QR codes (scanned by `qr_scan`) and
an edition's logo (known by its bytes, or in a PDF by its pixels: `logo_ids`); any other picture
was added after the build, as a facilitator's photo or an editor's screenshot of a claim may be. A
PDF's is read as PDFium renders it, with whatever covers it. Its words are read and join the
page's or slide's, so "84.3%" in a picture is an unregistered figure. Where Tesseract is not
installed the picture cannot be read, and `check` says so instead of passing it. A slide's
pictures are its picture shapes, the pictures its shapes are filled with and its own background
picture. Not read: the pictures of a slide's layout and master, which are the template's (a
clinic's own template may carry its logo there).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from functools import cache

TIMEOUT = 30  # seconds for one picture; a picture that takes longer is reported as unreadable
LANGUAGES = {"en": "eng", "es": "spa"}  # content language → Tesseract's trained data


def picture_words(blob: bytes, language: str) -> str | None:
    """The words Tesseract reads in `blob` (PNG, JPEG, GIF, TIFF, BMP), in the content's
    language where its data is installed; None when it cannot read the picture or is missing."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    wanted = LANGUAGES.get(language.split("-")[0], "eng")
    lang = "+".join(dict.fromkeys(name for name in (wanted, "eng") if name in _installed(program))) or "eng"
    try:
        done = subprocess.run([program, "stdin", "stdout", "-l", lang], input=blob, capture_output=True,
                              timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else None


@cache
def logo_ids(logo: bytes) -> frozenset[str]:
    """The SHA-256 digests (hex) by which an edition's logo is known where a file shows it: its
    bytes as given (the deck stores them so, a PDF a JPEG), and its pixels as a PDF stores a PNG
    (decoded, in RGB)."""
    if not logo:
        return frozenset()
    from PIL import Image

    ids = {hashlib.sha256(logo).hexdigest()}
    try:
        with Image.open(io.BytesIO(logo)) as picture:
            ids.add(hashlib.sha256(picture.convert("RGB").tobytes()).hexdigest())
    except (OSError, ValueError, Image.DecompressionBombError):
        pass  # the loader refused such a logo already; its bytes alone are known
    return frozenset(ids)


@cache
def _installed(program: str) -> frozenset[str]:
    """The trained languages this Tesseract has."""
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    lines = listed.stdout.decode("utf-8", errors="replace").splitlines()[1:]  # after "List of available languages"
    return frozenset(line.strip() for line in lines) if listed.returncode == 0 else frozenset()
