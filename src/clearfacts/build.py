"""The pipeline: content set → rendered bytes per output → (verified) → files on disk.

Kept apart from the CLI so tests and the benchmark can drive it in-process. Renderers are
imported here, not at CLI start-up, so `clearfacts --help` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clearfacts.model import ContentSet
from clearfacts.output import BuildOptions, build_stamp, build_time

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
    per_doc = {kind: build_stamp(content, doc, options) for kind, doc in docs.items()}
    return {name: per_doc[kind] for name, kind in DOCUMENT_OF.items()}


def render_all(content: ContentSet, options: BuildOptions, only: set[str] | None = None) -> dict[str, Rendered]:
    """Render every output (or those in `only`) in memory; the booklet is rendered once and imposed."""
    from clearfacts.render.booklet import render_booklet
    from clearfacts.render.deck import render_deck
    from clearfacts.render.handout import render_handout
    from clearfacts.render.impose import impose

    want = set(OUTPUTS) if only is None else only
    stamp = stamps(content, options)
    out: dict[str, Rendered] = {}
    if HANDOUT in want:
        out[HANDOUT] = Rendered(HANDOUT, render_handout(content, options, stamp[HANDOUT]), stamp[HANDOUT])
    if want & {BOOKLET, BOOKLET_PRINT}:
        booklet = render_booklet(content, options, stamp[BOOKLET])
        out[BOOKLET] = Rendered(BOOKLET, booklet, stamp[BOOKLET])
        out[BOOKLET_PRINT] = Rendered(BOOKLET_PRINT, impose(booklet, options.paper), stamp[BOOKLET])
    if DECK in want:
        out[DECK] = Rendered(DECK, render_deck(content, options, stamp[DECK]), stamp[DECK])
    return {name: out[name] for name in OUTPUTS if name in out}


def read_outputs(outputs_dir: Path) -> dict[str, bytes | None]:
    """The built files as they are on disk (None for an absent one)."""
    return {name: (outputs_dir / name).read_bytes() if (outputs_dir / name).is_file() else None for name in OUTPUTS}


def stamps_for(content: ContentSet, options: BuildOptions):  # noqa: ANN201 - a cached Callable
    """Expected stamps by paper size (an a4 build is compared with an a4 build)."""
    cache: dict[str, dict[str, str]] = {}

    def expected(paper: str | None) -> dict[str, str]:
        key = paper or options.paper
        if key not in cache:
            cache[key] = stamps(content, BuildOptions(key, options.template, options.when))
        return cache[key]

    return expected


def verify(content: ContentSet, options: BuildOptions, files: dict[str, bytes | None]):  # noqa: ANN201
    """Read `files` back and check them against the content: (findings, extracted per output)."""
    from clearfacts.verify.check import check_outputs

    return check_outputs(content, stamps_for(content, options), files)


def needs_render(content: ContentSet, options: BuildOptions, outputs_dir: Path) -> set[str]:
    """Outputs whose stamp would change or whose file no longer matches the manifest.

    The booklet and its print version come from one render, so they are redone together.
    """
    from clearfacts.manifest import read_manifest, trusted

    fresh = trusted(read_manifest(outputs_dir), stamps(content, options), read_outputs(outputs_dir))
    todo = set(OUTPUTS) - fresh
    if todo & {BOOKLET, BOOKLET_PRINT}:
        todo |= {BOOKLET, BOOKLET_PRINT}
    return todo
