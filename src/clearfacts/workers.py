"""Which worker processes a command uses, and when they start.

A command that will render or read PDFs starts its workers before it imports the pipeline: the
fork server then loads the PDF stack (about 0.3 s) while this process loads its own modules and
reads the content, instead of after. Everything here is light (the formats table, the pool, the
cache's signature check), so the CLI calls it first; the pipeline takes the pool from there and
closes it when the command's work is done.

Workers take every stack but the last; this process makes and reads the last one (the deck and
the web pages) meanwhile, so a command starts one worker per core it leaves free (`_spare_cores`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from clearfacts.cache import read_cache
from clearfacts.formats import Format, formats
from clearfacts.pool import Pool


def for_build(outputs_dir: Path) -> Pool | None:
    """Workers for `build`, already starting when an output is missing (there is work for sure);
    otherwise started by the build only once it finds a stale output: a no-op build never waits
    for reportlab."""
    table = formats()
    pool = rendering_pool(table)
    if pool and any(not (outputs_dir / f.path).is_file() for f in table):
        pool.start()
    return pool


def for_build_check() -> Pool | None:
    """Workers for `build --check`, which renders everything: started now."""
    pool = rendering_pool(formats())
    if pool:
        pool.start()
    return pool


def for_check(outputs_dir: Path) -> Pool | None:
    """Workers for `check`, started now when this machine has verified nothing in `outputs_dir`
    (a fresh clone, CI): every file will then be read. Otherwise `check` makes its own if the
    cache leaves PDFs to read."""
    if read_cache(outputs_dir):
        return None
    pool = reading_pool(formats())
    if pool:
        pool.start()
    return pool


def rendering_pool(table: Sequence[Format]) -> Pool | None:
    """Workers that render and read back every stack but the last (none on one core)."""
    others = worker_formats(table)
    if not others:
        return None
    warm = dict.fromkeys(m for f in others for m in f.warm)
    return Pool(_spare_cores(len(families_of(others))), warm)


def reading_pool(table: Sequence[Format]) -> Pool | None:
    """Workers that read back the outputs of every stack but the last (they load only the
    readers), or None when there is nothing for them or one core."""
    others = worker_formats(table)
    if not others:
        return None
    readers = dict.fromkeys(m for f in others for m in (f.read.partition(":")[0], "clearfacts.verify.check"))
    return Pool(_spare_cores(len(others)), readers)


def worker_formats(table: Sequence[Format]) -> list[Format]:
    """The formats of every stack but the last: what worker processes take (none on one core)."""
    stacks = list(dict.fromkeys(f.stack for f in table))[:-1]
    return [f for f in table if f.stack in stacks] if (os.cpu_count() or 1) > 1 else []


def families_of(group: Sequence[Format]) -> list[list[Format]]:
    """Each output with the outputs derived from it, in table order."""
    found: dict[str, list[Format]] = {}
    for fmt in group:
        found.setdefault(fmt.derived_from or fmt.key, []).append(fmt)
    return list(found.values())


def _spare_cores(jobs: int) -> int:
    """One worker per core this process leaves free (at most one per job), since it renders or
    reads its own stack meanwhile. On two cores a second worker made three busy processes, and
    cost more than it gave: a one-language cold build took 0.87 s with two workers and 0.72 s with
    one (30 interleaved pairs), `check` with no cache 0.68 and 0.59 s (20 pairs)."""
    return max(1, min((os.cpu_count() or 1) - 1, jobs))
