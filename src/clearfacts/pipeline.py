"""The pipeline: content folder → model → rendered bytes per format → read back and verified →
files on disk, all or nothing. `build`, `check` and `facts` live here, side by side, over the
formats table; the CLI only parses options and prints what these return.

Renderers and readers are imported through the table when a format is made or read, so
`clearfacts --help` never loads reportlab or python-pptx.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import BrokenExecutor, Future
from contextlib import ExitStack
from pathlib import Path
from typing import TypeVar

import msgspec
from msgspec import Struct
from msgspec.structs import asdict, replace

from clearfacts.cache import Entry, digest, read_cache, trusted, write_cache
from clearfacts.errors import CheckFailed, ClearfactsError, ContentError, Finding
from clearfacts.files import build_lock, replace_all
from clearfacts.formats import Format, Prepared, formats
from clearfacts.interrupts import deliver, held
from clearfacts.model import ContentSet
from clearfacts.options import BuildOptions, options_for
from clearfacts.pool import Pool
from clearfacts.stamps import expected_stamps, stamp_paper
from clearfacts.verify.extracted import Extracted
from clearfacts.workers import families_of, reading_pool, worker_formats

T = TypeVar("T")
R = TypeVar("R")


class Expected:
    """The stamps this content builds, per paper size, each worked out once (an a4 build is
    compared with an a4 build). Picklable, so a worker gets the ones already computed."""

    def __init__(self, content: ContentSet, options: BuildOptions, table: Sequence[Format]):
        self.content, self.formats = content, tuple(table)
        self.options = replace(options, outputs=tuple(f.path for f in table))
        self._by_paper: dict[str, dict[str, str]] = {}

    def __call__(self, paper: str | None = None) -> dict[str, str]:
        key = paper or self.options.paper
        if key not in self._by_paper:
            options = replace(self.options, paper=key)
            self._by_paper[key] = expected_stamps(self.content, options, self.formats)
        return self._by_paper[key]

    def by_path(self, paper: str | None = None) -> dict[str, str]:
        stamps = self(paper)
        return {f.path: stamps[f.key] for f in self.formats}


class Rendered(Struct, frozen=True):
    """One output in memory: its format, bytes and the stamp it carries."""

    fmt: Format
    data: bytes
    stamp: str


class Produced(Struct, frozen=True):
    """Rendered outputs (by format key), what their read-back found, and their unit counts."""

    rendered: dict[str, Rendered]
    findings: list[Finding]
    units: dict[str, int]


class BuildResult(Struct, frozen=True):
    written: list[tuple[Rendered, int | None]]  # each output with its page or slide count
    up_to_date: list[str]  # outputs left as they were


class CheckResult(Struct, frozen=True):
    findings: list[Finding]
    warnings: list[Finding]  # from the read-back; the content's own come from `warnings()`
    facts: int
    outputs: int
    languages: dict[str, int] = msgspec.field(default_factory=dict)  # outputs checked per language


def load(content_dir: Path, allow_fallback: bool = False) -> ContentSet:
    """The content set, or a ContentError listing every problem (exit 2); with `allow_fallback`
    a translation's missing text is the first language's, with a warning."""
    from clearfacts.content.loader import load_content

    return load_content(content_dir, allow_fallback=allow_fallback)


def warnings(content: ContentSet) -> list[Finding]:
    """What a reviewer should fix that does not stop a build (an unused fact, an old review)."""
    from clearfacts.content.loader import content_warnings

    return content_warnings(content, dt.date.today())


def split_findings(content: ContentSet, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) of the read-back, each finding with its rule's severity for this content."""
    from clearfacts.content.rules import Rulebook

    settled = Rulebook(getattr(content, "rules", ())).apply(findings)
    return [f for f in settled if f.severity != "warning"], [f for f in settled if f.severity == "warning"]


class Gate(Struct, frozen=True):
    """What a build does with the content's warnings: hand them to `report`, and with `strict`
    refuse to go on (exit 1)."""

    strict: bool
    report: Callable[[list[Finding]], None]
    allow_fallback: bool = False

    def settle(self, content: ContentSet, findings: list[Finding]) -> None:
        """What the read-back found: its warnings (a deck that had to continue a slide) go to
        `report`, with their rule's severity from settings.yaml; any error stops the build."""
        errors, notes = split_findings(content, findings)
        self.report(notes)
        if errors or (self.strict and notes):
            raise CheckFailed(errors or [Finding(content.root, None, f"{len(notes)} warning(s), and --strict is on")])

    def load(self, content_dir: Path) -> ContentSet:
        content = load(content_dir, self.allow_fallback)
        found = warnings(content)
        self.report(found)
        if self.strict and found:
            raise CheckFailed(Finding(content.root, None, f"{len(found)} warning(s), and --strict is on"))
        return content


def render_formats(expected: Expected, todo: Sequence[Format]) -> dict[str, Rendered]:
    """Render the formats in `todo` (in table order); a derived format is made from its
    parent's bytes, which are rendered once for both."""
    content, options = expected.content, expected.options
    stamps = expected()
    made: dict[str, bytes] = {}
    out: dict[str, Rendered] = {}
    wanted = {f.key for f in todo}
    keys = wanted | {f.derived_from for f in todo if f.derived_from}
    for fmt in (f for f in expected.formats if f.key in keys):
        try:
            if fmt.derived_from:
                data = fmt.renderer()(made[fmt.derived_from], options)
            else:
                data = fmt.renderer()(fmt.content_of(content), options, stamps[fmt.key])
        except ClearfactsError:
            raise
        except Exception as exc:  # noqa: BLE001 - a renderer bug: one line for the user, never a traceback
            message = f"could not be made ({type(exc).__name__}: {str(exc)[:200]}); please report this as a bug"
            raise ContentError(Finding(fmt.path, None, message)) from None
        made[fmt.key] = data
        if fmt.key in wanted:
            out[fmt.key] = Rendered(fmt, data, stamps[fmt.key])
    return out


def verify_one(fmt: Format, expected: Expected, data: bytes | None) -> tuple[list[Finding], Extracted | None]:
    """Read one output back with its format's reader and check it against the content."""
    from clearfacts.verify.check import check_output

    return check_output(fmt, fmt.content_of(expected.content), data, expected)


def produce_here(expected: Expected, todo: Sequence[Format], verify: Collection[str],
                 prepared: Sequence[Prepared] = ()) -> Produced:
    """Render the formats in `todo` and read back those whose keys are in `verify`, in this
    process, after adopting what the parent `prepared` for them (see `Format.prepare`)."""
    for item in prepared:
        item.adopt()
    rendered = render_formats(expected, todo)
    findings: list[Finding] = []
    units: dict[str, int] = {}
    for key, r in rendered.items():
        if key in verify:
            found, got = verify_one(r.fmt, expected, r.data)
            findings.extend(found)
            if got is not None:
                units[key] = got.units
    return Produced(rendered, findings, units)


def produce(expected: Expected, todo: Sequence[Format], verify: Collection[str], pool: Pool | None) -> Produced:
    """Render `todo` and read back the formats whose keys are in `verify`: with a pool, the last
    stack here and every other stack's outputs in the workers while this process makes the deck.
    There, each output is rendered in a job with those derived from it (the booklet and its print
    file), and each is read back in a job of its own, taken by whichever worker is free: the
    booklet's long read-back does not wait behind its print file's on the worker that rendered
    both."""
    groups: dict[str, list[Format]] = {}
    for fmt in todo:
        groups.setdefault(fmt.stack if pool else "", []).append(fmt)
    *elsewhere, here = list(groups.values()) or [[]]
    jobs: list[tuple[list[Format], Future[Produced]]] = []
    families = [family for group in elsewhere for family in families_of(group)]
    prepared = _prepared(expected, [fmt for family in families for fmt in family])
    for family in families:
        assert pool is not None  # only a pool makes more than one group
        made = pool.submit(produce_here, expected, family, (), [prepared[f.prepare, f.language]
                                                                for f in family if f.prepare])
        jobs.append((family, made))
        jobs += [([fmt], pool.then(made, verify_produced, expected, fmt.key)) for fmt in family if fmt.key in verify]
    # Each output here in an attempt of its own, as in the workers: a build that fails says what
    # is wrong with every output, on one core too, not only with the first.
    results = [_attempt(functools.partial(produce_here, expected, family, verify)) for family in families_of(here)]
    results += _gathered(jobs, "the worker process making it died; outputs on disk unchanged",
                         lambda job: _attempt(job.result))
    errors = [r for r in results if isinstance(r, ClearfactsError)]
    if errors:  # report what every process found
        raise type(errors[0])(list(dict.fromkeys(f for e in errors for f in e.findings)))
    done = [r for r in results if isinstance(r, Produced)]
    rendered = {f.key: r.rendered[f.key] for f in expected.formats for r in done if f.key in r.rendered}
    return Produced(rendered, [f for r in done for f in r.findings], {k: v for r in done for k, v in r.units.items()})


def _prepared(expected: Expected, todo: Sequence[Format]) -> dict[tuple[str, str], Prepared]:
    """What each format's `prepare` makes for its language's content, once per build."""
    out: dict[tuple[str, str], Prepared] = {}
    for fmt in todo:
        key = (fmt.prepare, fmt.language)
        preparer = fmt.preparer()
        if preparer is not None and key not in out:
            out[key] = preparer(fmt.content_of(expected.content))
    return out


def verify_produced(made: Produced, expected: Expected, key: str) -> Produced:
    """Read back one output another job rendered; what it found, and its page or slide count."""
    r = made.rendered[key]
    found, got = verify_one(r.fmt, expected, r.data)
    return Produced({}, found, {key: got.units} if got is not None else {})


def _attempt(work: Callable[[], Produced]) -> Produced | ClearfactsError:
    try:
        return work()
    except ClearfactsError as exc:
        return exc


def read_outputs(outputs_dir: Path, table: Sequence[Format]) -> dict[str, bytes | None]:
    """The built files as they are on disk, by path (None for an absent one)."""
    return {f.path: _read(outputs_dir / f.path) for f in table}


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _needs_render(expected: Expected, outputs_dir: Path) -> list[Format]:
    """Formats whose stamp would change or whose file is not what this machine verified; a
    derived format and its parent come from one render, so they are redone together."""
    table = expected.formats
    fresh = trusted(read_cache(outputs_dir), expected.by_path(), read_outputs(outputs_dir, table))
    todo = {f.key for f in table if f.path not in fresh}
    for f in table:
        if f.derived_from and (f.key in todo or f.derived_from in todo):
            todo |= {f.key, f.derived_from}
    return [f for f in table if f.key in todo]


def build(content_dir: Path, outputs_dir: Path, paper: str | None, template: Path | None, gate: Gate,
          pool: Pool | None, *, force: bool, verify: bool, waiting: Callable[[str], None],
          hold: ExitStack | None = None) -> BuildResult:
    """Render what changed, verify it in memory, then replace the files as one set (`hold`:
    see `build_content`), with the workers of `workers.for_build`, closed here when done."""
    try:
        content = gate.load(content_dir)
        return build_content(content, outputs_dir, paper, template, gate, formats(content.languages), pool,
                             force=force, verify=verify, waiting=waiting, hold=hold)
    finally:
        if pool:
            pool.close()


def build_content(content: ContentSet, outputs_dir: Path, paper: str | None, template: Path | None, gate: Gate,
                  table: Sequence[Format], pool: Pool | None, *, force: bool, verify: bool,
                  waiting: Callable[[str], None], hold: ExitStack | None = None) -> BuildResult:
    """`build` for a content set already loaded (an edition's), making the formats in `table`.

    Writing the new set and remembering it is one step interrupts are held for: once the set is
    on disk, "outputs unchanged" would be untrue. With `hold` (the command's), the holding moves
    onto it as the set is written, with no moment between, and lasts until the command closes it
    (stopping the workers, reporting what was written): the build is done, and an interrupt then
    is the command's to drop. Without it, an interrupt that came meanwhile is delivered as the
    set is written, so a run of many editions stops with this one complete."""
    expected = Expected(content, options_for(content, paper, template), table)
    with build_lock(outputs_dir, waiting):
        todo = list(table) if force else _needs_render(expected, outputs_dir)
        if not todo:
            return BuildResult([], [f.path for f in table])
        if pool:
            pool.start()  # the workers import the PDF stack while this process starts on the deck
        produced = produce(expected, todo, {f.key for f in todo} if verify else (), pool)
        gate.settle(content, produced.findings)
        with ExitStack() as writing:
            caught = writing.enter_context(held())
            replace_all({outputs_dir / r.fmt.path: r.data for r in produced.rendered.values()})
            _record(outputs_dir, produced, verify)
            if hold is not None:
                hold.enter_context(writing.pop_all())
        if hold is None:
            deliver(caught)
    return BuildResult([(r, produced.units.get(k)) for k, r in produced.rendered.items()],
                       [f.path for f in table if f.key not in produced.rendered])


def _record(outputs_dir: Path, produced: Produced, verified: bool) -> None:
    """Remember what was verified; an unverified output is forgotten, so `check` reads it in full."""
    entries = read_cache(outputs_dir)
    for key, r in produced.rendered.items():
        entries.pop(r.fmt.path, None)
        if verified:
            notes = tuple(asdict(f) for f in produced.findings if f.path == r.fmt.path)
            entries[r.fmt.path] = Entry(r.stamp, digest(r.data), produced.units[key], notes)
    write_cache(outputs_dir, entries)


def build_check(content_dir: Path, outputs_dir: Path, paper: str | None, template: Path | None,
                gate: Gate, pool: Pool | None) -> tuple[int, str]:
    """Build everything in memory and compare with the files on disk: CheckFailed listing every
    file that differs; otherwise the number of outputs compared and the paper size assumed (the
    one this machine last built these outputs on, like `check`, unless `--paper` is given). With
    the workers of `workers.for_build_check`, closed here when done."""
    try:
        content = gate.load(content_dir)
        return build_check_content(content, outputs_dir, paper, template, gate, formats(content.languages), pool)
    finally:
        if pool:
            pool.close()


def build_check_content(content: ContentSet, outputs_dir: Path, paper: str | None, template: Path | None,
                        gate: Gate, table: Sequence[Format], pool: Pool | None) -> tuple[int, str]:
    """`build_check` for a content set already loaded, over the formats in `table`. Everything is
    rendered; a file is read back unless this machine's signed cache says a build here verified
    exactly its bytes (as `check` does): if what the content builds is those bytes, its read-back
    would find what the build's did, and the notes it recorded are reported again; if not, the
    file differs."""
    expected = Expected(content, options_for(content, paper or _built_paper(outputs_dir), template), table)
    entries = read_cache(outputs_dir)
    skip = trusted(entries, expected.by_path(), read_outputs(outputs_dir, table))
    produced = produce(expected, table, {f.key for f in table if f.path not in skip}, pool)
    noted = [finding for f in table if f.path in skip for finding in _noted(entries[f.path])]
    gate.settle(content, produced.findings + noted)
    differ = [r.fmt.path for r in produced.rendered.values() if _read(outputs_dir / r.fmt.path) != r.data]
    assumed = expected.options.paper
    if differ:
        shown = [p if outputs_dir == Path(".") else str(outputs_dir / p) for p in differ]
        raise CheckFailed([Finding(p, None, f"differs from what the content builds on {assumed} paper; "
                                            "run clearfacts build") for p in shown])
    return len(produced.rendered), assumed


def _built_paper(outputs_dir: Path) -> str | None:
    """The paper size of this machine's last verified build of these outputs, if they agree."""
    papers = {stamp_paper(e.stamp) for e in read_cache(outputs_dir).values()}
    return papers.pop() if len(papers) == 1 else None


def check_folder(content_dir: Path, outputs_dir: Path, template: Path | None, pool: Pool | None,
                 allow_fallback: bool = False) -> tuple[ContentSet, CheckResult]:
    """`check` from the content folder, with the workers of `workers.for_check` (already loading
    their readers while the content is read, when every file will be read), closed here."""
    try:
        content = load(content_dir, allow_fallback)
        return content, check(content, outputs_dir, template, pool=pool, workers=True)
    finally:
        if pool:
            pool.close()


def check(content: ContentSet, outputs_dir: Path, template: Path | None,
          table: Sequence[Format] | None = None, pool: Pool | None = None, workers: bool = False) -> CheckResult:
    """Read every built output back and check it against the content. A file is skipped only
    when this machine's own signed cache says a build here verified exactly these bytes. `pool`,
    if given, reads the outputs of every stack but the last; with `workers` and no pool, one is
    made when there are such outputs to read (not inside an edition's worker, which has none)."""
    table = tuple(table) if table is not None else formats(content.languages)
    expected = Expected(content, options_for(content, None, template), table)
    files = read_outputs(outputs_dir, table)
    entries = read_cache(outputs_dir)
    skip = trusted(entries, expected.by_path(_built_paper(outputs_dir)), files)
    todo = [fmt for fmt in table if fmt.path not in skip]
    own = reading_pool(todo) if pool is None and workers else None
    try:
        found = _read_back(expected, todo, files, pool or own)
    finally:
        if own:
            own.close()
    findings: list[Finding] = []
    for fmt in table:
        if fmt.path in skip:  # what the build's read-back noted, as if read again
            findings.extend(_noted(entries[fmt.path]))
        else:
            findings.extend(found[fmt.key])
    errors, notes = split_findings(content, findings)
    languages: dict[str, int] = {}
    for fmt in table:
        language = fmt.language or content.settings.language
        languages[language] = languages.get(language, 0) + 1
    return CheckResult(errors, notes, len(content.facts), len(table), languages)


def _noted(entry: Entry) -> list[Finding]:
    """What the read-back of a verified build noted about a file, as findings again: reported
    when the file is not read a second time."""
    return [Finding(**note) for note in entry.notes]  # type: ignore[arg-type]


def _read_back(expected: Expected, todo: Sequence[Format], files: dict[str, bytes | None],
               pool: Pool | None) -> dict[str, list[Finding]]:
    """What reading back each output of `todo` found, by format key: with a pool, the last
    stack's outputs (the deck and web pages) are read here while the workers take the others, one
    file a job, the largest first so that no long file is left for the end."""
    elsewhere = sorted(worker_formats(todo), key=lambda f: -len(files[f.path] or b"")) if pool else []
    jobs = [([f], pool.submit(read_back_one, f, expected, files[f.path])) for f in elsewhere] if pool else []
    found = {f.key: verify_one(f, expected, files[f.path])[0] for f in todo if f not in elsewhere}
    results = _gathered(jobs, "the worker process reading it died", lambda job: job.result())
    return found | {f.key: result for f, result in zip(elsewhere, results, strict=True)}


def _gathered(jobs: Sequence[tuple[Sequence[Format], Future[T]]], died: str,
              result: Callable[[Future[T]], R]) -> list[R]:
    """Each job's `result`, in order; if a worker process died (a broken pool fails every job it
    had not finished), one line naming the outputs of those jobs, exit 2."""
    out: list[R] = []
    lost: list[Format] = []
    for group, job in jobs:
        try:
            out.append(result(job))
        except BrokenExecutor:
            lost.extend(group)
    if lost:
        raise ContentError(Finding(", ".join(dict.fromkeys(f.path for f in lost)), None, died))
    return out


def read_back_one(fmt: Format, expected: Expected, data: bytes | None) -> list[Finding]:
    """`verify_one` in a worker: only the findings travel back (what was read stays there)."""
    return verify_one(fmt, expected, data)[0]


def where_facts_are(content: ContentSet, outputs_dir: Path) -> tuple[dict[str, dict[str, list[str]]], dict[str, bool]]:
    """fact id → output path → places that show it; and which outputs exist."""
    from clearfacts.verify.matrix import fact_matrix

    table = formats(content.languages)
    files = read_outputs(outputs_dir, table)
    extracted = {f.path: (f.content_of(content), f.reader()(data))
                 for f in table if (data := files[f.path]) is not None}
    return fact_matrix(content, extracted), {f.path: files[f.path] is not None for f in table}


# Editions ------------------------------------------------------------------------------------
