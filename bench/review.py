"""Speed budget for the review commands, measured as users meet them: whole processes.

`clearfacts diff` runs in pull-request jobs and by hand before a commit, so it must answer at
once; `clearfacts preview` draws every page for the CI artifact. In a temp git repository with a
copy of the bundled content (built, committed, then `trial.control_rate` and its review date
changed and rebuilt, as an editor would), each command runs as a fresh process N times after
one untimed warm-up (the same helpers as bench/bench.py):

    python bench/review.py [--runs N] [--json PATH]

Targets: `diff` ≤ 0.5 s; `preview --no-slides` (every page of every PDF, contact sheets) ≤ 3 s.
The before/after preview, the preview with slides (LibreOffice, when installed) and `clearfacts
facts` (which reads the outputs back as `diff` does: a yardstick on a shared machine) are
reported without a target. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import CLI, ROOT, Sample, machine, series, summary

TARGETS = {"diff": 0.5, "diff --format markdown": 0.5, "preview --no-slides": 3.0}


def git(work: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false",
                    *args], cwd=work, check=True, capture_output=True)


def change_control_rate(content: Path) -> None:
    """Change trial.control_rate's value, display form and review date, as an editor would."""
    facts = content / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    start = text.index("  trial.control_rate:")
    end = text.index("\n\n", start)
    record = text[start:end]
    record = record.replace('value: "48.3"', 'value: "45.1"').replace('display: "48.3%"', 'display: "45.1%"')
    record = re.sub(r'reviewed: "[^"]+"', 'reviewed: "2026-12-01"', record)
    facts.write_text(text[:start] + record + text[end:], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "review-results.json",
                        help="where to write figures")
    args = parser.parse_args()
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as bench.py: the warm-up writes the bytecode cache
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="clearfacts-bench-review-") as tmp:
        work = Path(tmp) / "repo"
        work.mkdir()
        shutil.copytree(ROOT / "content", work / "content")
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        subprocess.run([CLI, "build"], cwd=work, check=True, capture_output=True)
        git(work, "init", "-q")
        git(work, "add", "-A")
        git(work, "commit", "-q", "-m", "bundled content")
        change_control_rate(work / "content")
        subprocess.run([CLI, "build"], cwd=work, check=True, capture_output=True)

        def run(name: str, argv: list[str], runs: int = args.runs) -> list[Sample]:
            samples = series(runs, argv, work)
            results[name] = summary(samples)
            return samples

        run("diff", [CLI, "diff"])
        # The yardstick on a busy machine: `facts` reads every output back, as diff does the ones a change reaches.
        run("facts (yardstick)", [CLI, "facts"])
        run("diff --format markdown", [CLI, "diff", "--format", "markdown"])
        run("preview --no-slides", [CLI, "preview", "--no-slides", "--out", str(Path(tmp) / "all")])
        run("preview --changed-since HEAD --no-slides",
            [CLI, "preview", "--changed-since", "HEAD", "--no-slides", "--out", str(Path(tmp) / "changed")])
        if shutil.which("soffice") or shutil.which("libreoffice"):
            run("preview (with slides, LibreOffice)", [CLI, "preview", "--out", str(Path(tmp) / "slides")],
                runs=min(args.runs, 3))
        pages = len(list((Path(tmp) / "all").rglob("*.png")))

    print(f"clearfacts review speed: {args.runs} runs each, {machine()['cpu_model']}, {os.cpu_count()} CPUs")
    header = ("name", "median s", "min", "max", "target", "result")
    rows = []
    for name, r in results.items():
        limit = TARGETS.get(name)
        passed = None if limit is None else float(r["median"]) <= limit  # type: ignore[arg-type]
        rows.append((name, f"{r['median']:.3f}", f"{r['min']:.3f}", f"{r['max']:.3f}",
                     f"≤ {limit} s" if limit else "-", "-" if passed is None else ("pass" if passed else "FAIL")))
    widths = [max(len(str(row[i])) for row in [*rows, header]) for i in range(6)]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    print(f"preview --no-slides wrote {pages} PNG files")
    passed = all(row[5] != "FAIL" for row in rows)
    report = {"machine": machine(), "runs_per_command": args.runs, "results": results, "targets_s": TARGETS,
              "preview_files": pages, "passed": passed}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"figures written to {args.json}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
