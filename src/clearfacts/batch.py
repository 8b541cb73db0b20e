"""Many clinics' editions of one content set, built, checked or compared in one run: each
edition a job on the pipeline's process pool, every edition's files still read back in full.

Kept apart from `pipeline` (one content set, one outputs folder), which it drives."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import msgspec
from msgspec import Struct
from msgspec.structs import replace

from clearfacts.errors import CheckFailed, ClearfactsError, Finding
from clearfacts.formats import Format, formats
from clearfacts.pipeline import Gate, build_check_content, build_content, check, load, warnings
from clearfacts.pool import Pool
from clearfacts.workers import rendering_pool


class EditionOutcome(Struct, frozen=True):
    """What one edition's build or check came to: exit code (0, 1, 2), one line per output,
    the problems found (as `file:line: message`) and how many warnings."""

    name: str
    code: int
    outputs: list[str]
    problems: list[str]
    warnings: list[str] = msgspec.field(default_factory=list)


def edition_jobs(content_dir: Path, editions_dir: Path, names: Sequence[str]) -> list:
    """Each named edition laid over the content (loaded once), or the outcome of one that is
    refused (exit 2: nothing is built for it, the others still are)."""
    from clearfacts.content.editions import load_edition

    base = load(content_dir)  # its warnings are each edition's, reported with the edition
    out: list = []
    for name in names:
        try:
            out.append(load_edition(base, editions_dir, name, content_dir))
        except ClearfactsError as exc:
            out.append(EditionOutcome(name, exc.exit_code, [], [str(f) for f in exc.findings]))
    return out


def run_editions(jobs_or_outcomes: Sequence, outputs_dir: Path, paper: str | None, template: Path | None,
                 mode: str, *, strict: bool, force: bool, verify: bool, workers: int,
                 done: Callable[[EditionOutcome], None]) -> list[EditionOutcome]:
    """Build (`mode` "build"), compare (`"build-check"`) or check (`"check"`) every edition into
    `outputs_dir/<name>`: one worker process renders and verifies one whole edition, and the
    workers are reused for all of them (each imports the PDF and deck stacks once). One failing
    edition does not stop the others. On Ctrl-C, editions not yet started are dropped, those
    under way finish (each writes its set all or nothing), and the interrupt is raised again."""
    outcomes: list[EditionOutcome] = []
    todo = []
    for item in jobs_or_outcomes:
        if isinstance(item, EditionOutcome):
            outcomes.append(item)
            done(item)
        else:
            todo.append(item)
    args = (outputs_dir, paper, template, mode, strict, force, verify)
    if workers < 2 or len(todo) < 2:
        for edition in todo:
            outcome = edition_work(edition, *args, True)
            outcomes.append(outcome)
            done(outcome)
        return outcomes
    table = formats()
    pool = Pool(min(workers, len(todo)), dict.fromkeys(m for f in table for m in f.warm))
    try:
        from concurrent.futures import as_completed

        futures = {pool.submit(edition_work, edition, *args, False): edition for edition in todo}
        reported: set[object] = set()
        try:
            for future in as_completed(futures):
                reported.add(future)
                outcomes.append(_outcome(future, futures[future].name))
                done(outcomes[-1])
        except KeyboardInterrupt:
            pool.close()  # drops editions not started; those under way finish, each all or nothing
            for future in futures:
                if future not in reported and future.done() and not future.cancelled():
                    outcomes.append(_outcome(future, futures[future].name))
                    done(outcomes[-1])
            raise
    finally:
        pool.close()
    return outcomes


def _outcome(future: object, name: str) -> EditionOutcome:
    try:
        return future.result()  # type: ignore[attr-defined]
    except BrokenProcessPool:
        # The edition's worker writes its set itself, all or nothing: it died before (the set on
        # disk is the previous one) or, on a signal held while it wrote, just after.
        return EditionOutcome(name, 2, [], [f"{name}: the worker process making it died; its outputs on disk are the "
                                            "previous set, or the whole new one if it died just after writing it"])


def edition_work(edition, outputs_dir: Path, paper: str | None, template: Path | None, mode: str,
                 strict: bool, force: bool, verify: bool, stacks: bool) -> EditionOutcome:
    """One whole edition, in this process (a worker's, or the CLI's with `stacks` for its own
    per-stack pool)."""
    where = outputs_dir / edition.name
    noted: list[Finding] = []
    gate = Gate(strict, noted.extend)
    content = edition.content
    table = [f for f in formats(content.languages) if edition.makes(f)]
    try:
        if mode == "check":
            result = check(content, where, template, table)
            found = warnings(content) + result.warnings
            code = 1 if result.findings or (strict and found) else 0
            status = "OK" if not result.findings else f"{len(result.findings)} problem(s)"
            return EditionOutcome(edition.name, code, [f"{status}: {result.facts} facts checked in "
                                                       f"{result.outputs} outputs"],
                                  [str(_under(where, f, table)) for f in result.findings], [str(f) for f in found])
        found = warnings(content)
        noted.extend(found)
        if strict and found:
            raise CheckFailed(Finding(edition.shown, None, f"{len(found)} warning(s), and --strict is on"))
        pool = rendering_pool(table) if stacks else None
        try:
            if mode == "build-check":
                count, assumed = build_check_content(content, where, paper, template, gate, table, pool)
                lines = [f"all {count} outputs match the content ({assumed} paper)"]
            else:
                built = build_content(content, where, paper, template, gate, table, pool, force=force, verify=verify,
                                      waiting=lambda message: None)
                lines = [f"up to date {where / p}" for p in built.up_to_date]
                lines += [f"wrote {where / r.fmt.path} ({units or '?'} {r.fmt.unit}{'' if units == 1 else 's'}, "
                          f"{len(r.data):,} bytes)" for r, units in built.written]
        finally:
            if pool:
                pool.close()
    except ClearfactsError as exc:
        return EditionOutcome(edition.name, exc.exit_code, [], [str(_under(where, f, table)) for f in exc.findings],
                              [str(f) for f in noted])
    return EditionOutcome(edition.name, 0, lines, [], [str(f) for f in noted])


def _under(where: Path, finding: Finding, table: Sequence[Format]) -> Finding:
    """A finding about an output, named by its path in the edition's folder."""
    if finding.path in {f.path for f in table}:
        return replace(finding, path=str(where / finding.path))
    return finding
