"""The pipeline: content set → rendered bytes per output → (verified) → files on disk.

Kept apart from the CLI so tests and the benchmark can drive it in-process. Renderers are
imported here, not at CLI start-up, so `clearfacts --help` stays fast.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clearfacts.errors import ClearfactsError, Finding
from clearfacts.model import ContentSet
from clearfacts.output import BuildOptions, build_stamps, build_time
from clearfacts.worker import PdfWorker

HANDOUT = "handouts/red-flags.pdf"
BOOKLET = "handouts/faq-booklet.pdf"
BOOKLET_PRINT = "handouts/faq-booklet-print.pdf"
DECK = "slides/support-group.pptx"
OUTPUTS = (HANDOUT, BOOKLET, BOOKLET_PRINT, DECK)
DOCUMENT_OF = {HANDOUT: "handout", BOOKLET: "booklet", BOOKLET_PRINT: "booklet", DECK: "deck"}


@dataclass(frozen=True)
class Rendered:
    """One output in memory: where it goes, its bytes and the stamp it carries."""

    name: str
    data: bytes
    stamp: str


def options_for(content: ContentSet, paper: str | None, template: Path | None) -> BuildOptions:
    """Command-line choices win over settings.yaml."""
    if template is None and content.settings.template:
        template = Path(content.root) / content.settings.template
    return BuildOptions(paper or content.settings.paper, template, build_time(content))


def stamps(content: ContentSet, options: BuildOptions) -> dict[str, str]:
    """The stamp each output must carry for this content and these options."""
    docs = {"handout": content.handout, "booklet": content.booklet, "deck": content.deck}
    per_doc = build_stamps(content, docs, options)
    return {name: per_doc[kind] for name, kind in DOCUMENT_OF.items()}


class Expected:
    """The stamps this content builds, per paper size, each worked out once (an a4 build is
    compared with an a4 build). Picklable, so the PDF worker gets the ones already computed."""

    def __init__(self, content: ContentSet, options: BuildOptions):
        self.content, self.options = content, options
        self._by_paper: dict[str, dict[str, str]] = {}

    def __call__(self, paper: str | None = None) -> dict[str, str]:
        key = paper or self.options.paper
        if key not in self._by_paper:
            self._by_paper[key] = stamps(self.content, dataclasses.replace(self.options, paper=key))
        return self._by_paper[key]


def render_all(expected: Expected, only: set[str] | None = None) -> dict[str, Rendered]:
    """Render every output (or those in `only`) in memory; the booklet is rendered once and imposed."""
    content, options = expected.content, expected.options
    want = set(OUTPUTS) if only is None else only
    stamp = expected()
    out: dict[str, Rendered] = {}
    if HANDOUT in want:
        from clearfacts.render.handout import render_handout

        out[HANDOUT] = Rendered(HANDOUT, render_handout(content, options, stamp[HANDOUT]), stamp[HANDOUT])
    if want & {BOOKLET, BOOKLET_PRINT}:
        from clearfacts.render.booklet import render_booklet
        from clearfacts.render.impose import impose

        booklet = render_booklet(content, options, stamp[BOOKLET])
        out[BOOKLET] = Rendered(BOOKLET, booklet, stamp[BOOKLET])
        out[BOOKLET_PRINT] = Rendered(BOOKLET_PRINT, impose(booklet, options.paper), stamp[BOOKLET])
    if DECK in want:
        from clearfacts.render.deck import render_deck

        out[DECK] = Rendered(DECK, render_deck(content, options, stamp[DECK]), stamp[DECK])
    return {name: out[name] for name in OUTPUTS if name in out}


@dataclass(frozen=True)
class Produced:
    """Rendered outputs, what their read-back found, and their page or slide counts."""

    rendered: dict[str, Rendered]
    findings: list[Finding]
    units: dict[str, int]


def produce(expected: Expected, only: set[str], check: bool = True, worker: PdfWorker | None = None) -> Produced:
    """Render and (unless `check` is False) verify the outputs in `only`.

    With a running `worker`, the PDFs are made there while this process makes the deck.
    """
    pdfs, deck = only - {DECK}, only & {DECK}
    if worker is None or not worker.running or not pdfs or not deck:
        return _produce(expected, only, check)
    worker.submit((_produce, (expected, pdfs, check)))
    here = _attempt(lambda: _produce(expected, deck, check))
    there = _attempt(worker.result)
    errors = [e for e in (there, here) if isinstance(e, ClearfactsError)]
    if errors:  # report what both processes found, the PDFs' first
        raise type(errors[0])([f for e in errors for f in e.findings])
    assert isinstance(here, Produced) and isinstance(there, Produced)
    rendered = {n: r for n in OUTPUTS for r in (here.rendered.get(n) or there.rendered.get(n),) if r}
    return Produced(rendered, there.findings + here.findings, here.units | there.units)


def _attempt(work: Callable[[], Produced]) -> Produced | ClearfactsError:
    try:
        return work()
    except ClearfactsError as exc:
        return exc


def warm_pdf_stack() -> None:
    """Import what the PDFs need, so the worker is ready by the time the content is read.

    Runs only in the short-lived worker process. pypdf imports `cryptography`, when installed,
    only to decrypt PDFs; this process opens nothing but the booklet it has just rendered, so it
    is spared that import (a tenth of a second of a cold build).
    """
    sys.modules.setdefault("cryptography", None)  # type: ignore[arg-type]
    import pypdfium2  # noqa: F401

    import clearfacts.render.booklet  # noqa: F401
    import clearfacts.render.handout  # noqa: F401
    import clearfacts.render.impose  # noqa: F401
    import clearfacts.verify.check  # noqa: F401
    import clearfacts.verify.extract  # noqa: F401


def _produce(expected: Expected, only: set[str], check: bool) -> Produced:
    rendered = render_all(expected, only)
    if not check:
        return Produced(rendered, [], {})
    findings, extracted = verify(expected, {n: r.data for n, r in rendered.items()})
    return Produced(rendered, findings, {n: e.units for n, e in extracted.items()})


def read_outputs(outputs_dir: Path) -> dict[str, bytes | None]:
    """The built files as they are on disk (None for an absent one)."""
    return {name: (outputs_dir / name).read_bytes() if (outputs_dir / name).is_file() else None for name in OUTPUTS}


def verify(expected: Expected, files: dict[str, bytes | None]):  # noqa: ANN201
    """Read `files` back and check them against the content: (findings, extracted per output)."""
    from clearfacts.verify.check import check_outputs

    return check_outputs(expected.content, expected, files)


def files_to_write(produced: Produced, outputs_dir: Path, verified: bool) -> dict[str, bytes]:
    """The rendered outputs plus the manifest updated for them (an unverified output is dropped
    from the manifest, so `check` reads it back in full)."""
    from clearfacts.manifest import MANIFEST, Entry, digest, manifest_bytes, read_manifest

    entries = read_manifest(outputs_dir)
    for name, r in produced.rendered.items():
        entries.pop(name, None)
        if verified:
            entries[name] = Entry(r.stamp, digest(r.data), produced.units[name])
    return {name: r.data for name, r in produced.rendered.items()} | {MANIFEST: manifest_bytes(entries)}


def needs_render(expected: Expected, outputs_dir: Path) -> set[str]:
    """Outputs whose stamp would change or whose file no longer matches the manifest.

    The booklet and its print version come from one render, so they are redone together.
    """
    from clearfacts.manifest import read_manifest, trusted

    fresh = trusted(read_manifest(outputs_dir), expected(), read_outputs(outputs_dir))
    todo = set(OUTPUTS) - fresh
    if todo & {BOOKLET, BOOKLET_PRINT}:
        todo |= {BOOKLET, BOOKLET_PRINT}
    return todo
