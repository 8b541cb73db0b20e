"""Page pictures: PDF pages through PDFium, slides through LibreOffice (deck → PDF → PDFium).

PDFium is not thread-safe, so pages are rendered one after another in this thread; writing
PNGs (zlib, which releases the GIL) is what runs in parallel. LibreOffice takes seconds, so its
conversion starts first and runs while the PDFs are rendered. It gets a private profile folder:
parallel runs (or a LibreOffice the user has open) would otherwise collide.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PIL import Image

SCALE = 1.5  # 108 dpi: a 12 pt line is readable, a page is about 0.25 MB of PNG
SOFFICE_TIMEOUT = 300  # seconds; a cold LibreOffice start is a few seconds, a big deck longer


def render_pages(pdf: bytes, numbers: Iterable[int] | None = None, scale: float = SCALE) -> dict[int, Image.Image]:
    """Pages (1-based numbers; all when None) as RGB pictures on white."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        wanted = range(1, len(doc) + 1) if numbers is None else [n for n in numbers if 1 <= n <= len(doc)]
        pages = {}
        for n in wanted:
            page = doc[n - 1]
            try:
                image = page.render(scale=scale).to_pil()
                pages[n] = image if image.mode == "RGB" else image.convert("RGB")
            finally:
                page.close()
        return pages
    finally:
        doc.close()


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


class Writer:
    """Saves pictures as PNG on a few threads; `close` waits for every file and raises the first
    error."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max(1, min(4, os.cpu_count() or 1)))
        self._jobs: list[Future[None]] = []
        self.written: list[Path] = []

    def save(self, image: Image.Image, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.written.append(path)
        # Level 3: as small as the default level 6 on rendered pages, in half the time.
        self._jobs.append(self._pool.submit(image.save, path, "PNG", compress_level=3))

    def close(self) -> None:
        try:
            for job in self._jobs:
                job.result()
        finally:
            self._pool.shutdown()


def soffice() -> str | None:
    """LibreOffice's command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


class Slides:
    """Decks converted to PDF by LibreOffice in the background: `start`, then `finish` for the
    PDFs by name, or the one-line reason there are none."""

    def __init__(self, decks: dict[str, bytes]):
        self.decks = decks
        self.reason = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def start(self) -> Slides:
        exe = soffice()
        if exe is None:
            self.reason = ("skipped: LibreOffice is not installed (soffice not on PATH); install it "
                           "(Debian/Ubuntu: libreoffice-impress) to preview slides")
            return self
        self._tmp = tempfile.TemporaryDirectory(prefix="clearfacts-slides-")
        work = Path(self._tmp.name)
        names = []
        for n, data in enumerate(self.decks.values()):
            (work / f"deck{n}.pptx").write_bytes(data)
            names.append(f"deck{n}.pptx")
        profile = (work / "profile").as_uri()
        argv = [exe, "--headless", "--norestore", "--nologo", f"-env:UserInstallation={profile}",
                "--convert-to", "pdf", "--outdir", str(work / "pdf"), *names]
        self._proc = subprocess.Popen(argv, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE)
        return self

    def finish(self) -> dict[str, bytes]:
        """Each deck's PDF by the name it was given; {} with `reason` set when LibreOffice failed."""
        if self._proc is None or self._tmp is None:
            return {}
        try:
            _, err = self._proc.communicate(timeout=SOFFICE_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.communicate()
            self.reason = f"skipped: LibreOffice did not finish within {SOFFICE_TIMEOUT} s"
            return {}
        try:
            out = Path(self._tmp.name) / "pdf"
            pdfs = {name: (out / f"deck{n}.pdf") for n, name in enumerate(self.decks)}
            if self._proc.returncode != 0 or not all(p.is_file() for p in pdfs.values()):
                last = (err or b"").decode(errors="replace").strip().splitlines()
                self.reason = (f"skipped: LibreOffice could not convert the deck (exit {self._proc.returncode}"
                               + (f": {last[-1]}" if last else "") + ")")
                return {}
            return {name: path.read_bytes() for name, path in pdfs.items()}
        finally:
            self._tmp.cleanup()
