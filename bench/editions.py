"""Editions at scale: N editions of the bundled content in every language it has (English and
Spanish: the scenario the editions issue sets), every output, verified, cold (empty build cache,
empty dist/), timed as one whole `clearfacts build --all-editions` process.

    python bench/editions.py [--editions 30] [--runs 3] [--jobs N] [--one-language] [--json PATH]

Reports editions per second (median of the runs); exit 1 when under the target (6/s).
"""

from __future__ import annotations

import argparse
import json
import os
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


def edition(i: int) -> str:
    paper = "a4" if i % 3 == 0 else "letter"
    return (f'organisation:\n  name: "Clinic {i:02d} Neuropathy Group"\n  phone: "(207) 555-{2800 + i}"\n'
            f'  email: "group{i:02d}@clinic{i:02d}.org"\n  website: "https://clinic{i:02d}.org"\n'
            f'meeting:\n  place: "Clinic {i:02d}, Room {i % 7 + 1}"\n  facilitator: "Facilitator {i:02d}"\n'
            f'next_meeting:\n  date: "Thursday, February 11, 2027"\n  time: "6:30 pm"\n'
            f'  place: "Clinic {i:02d}, Room {i % 7 + 1}"\n'
            f"paper: {paper}\n")


def run_once(count: int, jobs: int | None, one_language: bool) -> tuple[float, int]:
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
    samples = [run_once(args.editions, args.jobs, args.one_language) for _ in range(args.runs)]
    times = [s for s, _ in samples]
    rate = args.editions / statistics.median(times)
    result = {"editions": args.editions, "languages": 1 if args.one_language else "all", "files": samples[0][1],
              "cores": os.cpu_count(),
              "seconds": {"median": statistics.median(times), "min": min(times), "max": max(times)},
              "editions_per_second": rate, "target": TARGET}
    print(f"{args.editions} editions, {samples[0][1]} files, all verified, cold, on {os.cpu_count()} cores: "
          f"median {statistics.median(times):.1f} s (min {min(times):.1f}, max {max(times):.1f}) "
          f"= {rate:.2f} editions/s (target ≥ {TARGET:g}/s)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    sys.exit(0 if rate >= TARGET else 1)


if __name__ == "__main__":
    main()
