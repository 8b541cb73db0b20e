"""Editions at scale: N editions of the bundled content in every language it has (English and
Spanish: the scenario the editions issue sets), every output, verified, cold (empty build cache,
empty dist/), timed as one whole `clearfacts build --all-editions` process.

    python bench/editions.py [--editions 30] [--runs 3] [--jobs N] [--one-language] [--json PATH]

Reports editions per second (median of the runs) and the largest peak memory of any one process
of the run (the CLI, the fork server or a worker); exit 1 when under a target (6/s, 150 MB).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).parent / "clearfacts")
TARGET = 6.0  # editions per second on two cores
PEAK_MB = 150  # largest resident memory of one process (each worker's, the CLI's)


def edition(i: int) -> str:
    paper = "a4" if i % 3 == 0 else "letter"
    return (f'organisation:\n  name: "Clinic {i:02d} Neuropathy Group"\n  phone: "(207) 555-{2800 + i}"\n'
            f'  email: "group{i:02d}@clinic{i:02d}.org"\n  website: "https://clinic{i:02d}.org"\n'
            f'meeting:\n  place: "Clinic {i:02d}, Room {i % 7 + 1}"\n  facilitator: "Facilitator {i:02d}"\n'
            f'next_meeting:\n  date: "Thursday, February 11, 2027"\n  time: "6:30 pm"\n'
            f'  place: "Clinic {i:02d}, Room {i % 7 + 1}"\n'
            f"paper: {paper}\n")


def adopt_orphans() -> None:
    """Make this process the one that reaps its descendants once their parent has gone (Linux's
    "child subreaper"): the fork server outlives the CLI by a few milliseconds, and only a
    reaped process's peak memory reaches `RUSAGE_CHILDREN`."""
    PR_SET_CHILD_SUBREAPER = 36
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def reap(deadline: float = 10.0) -> None:
    """Wait for every descendant adopted by `adopt_orphans` to end (they end once the CLI has)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            time.sleep(0.01)


def run_once(count: int, jobs: int | None, one_language: bool) -> tuple[float, int]:
    """(seconds, files written) of one cold `build --all-editions`."""
    with tempfile.TemporaryDirectory(prefix="clearfacts-editions-") as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "content", root / "content")
        (root / "editions").mkdir()
        only = "languages: [en-US]\n" if one_language else ""
        for i in range(1, count + 1):
            (root / "editions" / f"clinic-{i:02d}.yaml").write_text(edition(i) + only, encoding="utf-8")
        env = dict(os.environ, XDG_CACHE_HOME=str(root / "cache"))
        env.pop("SOURCE_DATE_EPOCH", None)
        argv = [CLI, "build", "--all-editions"] + (["--jobs", str(jobs)] if jobs else [])
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        reap()
        if done.returncode != 0:
            sys.exit(f"build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        files = sum(1 for p in (root / "dist").rglob("*") if p.is_file() and p.name != ".clearfacts.lock")
        return seconds, files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--editions", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--one-language", action="store_true", help="each edition in English only")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    adopt_orphans()
    samples = [run_once(args.editions, args.jobs, args.one_language) for _ in range(args.runs)]
    times = [s for s, _ in samples]
    rate = args.editions / statistics.median(times)
    # Linux passes each reaped process's peak up to its reaper's children's figure: the workers'
    # (reaped by the fork server), the CLI's and the fork server's (reaped here, see
    # `adopt_orphans`). This process has no other children: this is the largest of them all.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {"editions": args.editions, "languages": 1 if args.one_language else "all", "files": samples[0][1],
              "cores": os.cpu_count(),
              "seconds": {"median": statistics.median(times), "min": min(times), "max": max(times)},
              "editions_per_second": rate, "target": TARGET, "peak_mb_one_process": round(peak, 1),
              "peak_target_mb": PEAK_MB}
    print(f"{args.editions} editions, {samples[0][1]} files, all verified, cold, on {os.cpu_count()} cores: "
          f"median {statistics.median(times):.1f} s (min {min(times):.1f}, max {max(times):.1f}) "
          f"= {rate:.2f} editions/s (target ≥ {TARGET:g}/s); largest process {peak:.0f} MB (target ≤ {PEAK_MB} MB)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    sys.exit(0 if rate >= TARGET and peak <= PEAK_MB else 1)


if __name__ == "__main__":
    main()
