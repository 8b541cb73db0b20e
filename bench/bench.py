"""Speed budget for clearfacts, measured the way users meet it: whole processes.

A facilitator runs `clearfacts build` by hand and CI runs `build --check` and `check` on every
push, so start-up, imports and file writes count as much as rendering. Each command runs as a
fresh process through the installed console script, in a temp copy of the content (the repo's
outputs are never touched), N times after one untimed warm-up; we report median, min and max,
the peak RSS of a cold build, and pandoc turning an equivalent deck into PPTX as a yardstick.
With `--yardstick`, each cold build is paired with the peer yardstick and with the import floor:
the libraries a build needs, loaded and nothing else (`FLOOR`), which no build can beat.

    python bench/bench.py [--runs N] [--json PATH]

Exit status 1 when a target is missed, so CI can hold the budget.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from clearfacts.content.loader import load_content
from clearfacts.formats import formats
from clearfacts.model import block_texts

ROOT = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).parent / "clearfacts")
Sample = tuple[float, float]  # (seconds, peak RSS in MB)


def timed(argv: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> Sample:
    """Run one process to the end; wall time and its own peak RSS (from wait4, Linux KiB)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok:
            err.seek(0)
            sys.exit(f"{' '.join(argv)} exited {proc.returncode}:\n{err.read().decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024


def series(runs: int, argv: list[str], cwd: Path, before: Callable[[], None] = lambda: None,
           after: Callable[[], None] = lambda: None) -> list[Sample]:
    """One untimed warm-up (page cache, .pyc files), then `runs` timed runs."""
    samples = []
    for i in range(runs + 1):
        before()
        sample = timed(argv, cwd)
        after()
        if i:
            samples.append(sample)
    return samples


def summary(samples: list[Sample]) -> dict[str, object]:
    seconds = [s for s, _ in samples]
    return {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds), "runs": seconds}


def files_state(work: Path) -> dict[str, tuple[int, int, int]]:
    """Inode, mtime and size of every output-side file: any write (even in place) changes one."""
    found = [p for d in {Path(f.path).parts[0] for f in formats()} for p in (work / d).rglob("*")]
    return {str(p.relative_to(work)): (st.st_ino, st.st_mtime_ns, st.st_size)
            for p in found if p.is_file() for st in [p.stat()]}


def deck_markdown(content_dir: Path) -> str:
    """The deck as pandoc markdown: a title slide from metadata, then `# title` + bullets + notes."""
    deck = load_content(content_dir).deck
    lines = [f"% {deck.title}", f"% {deck.subtitle or ''}", ""]
    for section in deck.sections[1:]:  # the first section is the title slide
        lines += [f"# {section.title}", ""]
        lines += [f"- {text}" for block in section.blocks for text in block_texts(block)]
        if section.notes:
            lines += ["", "::: notes", str(section.notes), ":::"]
        lines.append("")
    return "\n".join(lines)


def pandoc_command() -> list[str] | None:
    if shutil.which("pandoc"):
        return ["pandoc", "deck.md", "-o", "deck.pptx"]
    try:
        import pypandoc  # type: ignore[import-not-found]  # pypandoc-binary bundles pandoc
    except ImportError:
        return None
    return [pypandoc.get_pandoc_path(), "deck.md", "-o", "deck.pptx"]


# The libraries a one-language build cannot do without, loaded by two interpreters side by side as
# a build's two processes load them (the PDF stack in the worker; Click, PyYAML, python-pptx and
# Jinja2 in the CLI): no content read, nothing made or checked. What this takes is the least any
# build on these libraries can take on two cores, timed beside the yardstick in each pair.
FLOOR = ("import reportlab.platypus, pikepdf, pypdfium2", "import click, yaml, pptx, jinja2")


def floor_command() -> list[str]:
    both = " & ".join(f"'{sys.executable}' -c '{line}'" for line in FLOOR)
    return ["sh", "-c", f"{both} & wait"]


def yardstick_pairs(args: argparse.Namespace, work: Path,
                    clean: Callable[[], None]) -> list[tuple[float, float, float]]:
    """A cold build, the yardstick and the import floor (`FLOOR`) in turn, one untimed round
    first: (build s, yardstick s, floor s) per round, so the ratios hold while the machine's speed
    drifts."""
    pandoc = pandoc_command()
    if pandoc is None:
        sys.exit("--yardstick needs pandoc (pip install '.[bench]')")
    out = work / "yardstick"
    out.mkdir(exist_ok=True)
    script = ["sh", str(args.yardstick / "all.sh"), args.yardstick_python, pandoc[0], str(out)]
    pairs = []
    for i in range(args.runs + 1):
        clean()
        a, _ = timed([CLI, "build"], work)
        b, _ = timed(script, work)
        c, _ = timed(floor_command(), work)
        if i:
            pairs.append((a, b, c))
    return pairs


def first_language_only(settings: Path) -> None:
    """Keep only the content's own language in `languages` (the speed target is per language)."""
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^languages:.*$", "", text), encoding="utf-8")


def machine() -> dict[str, object]:
    cpuinfo = Path("/proc/cpuinfo")
    models = [line.split(":", 1)[1].strip() for line in
              (cpuinfo.read_text().splitlines() if cpuinfo.exists() else []) if line.startswith("model name")]
    return {"platform": platform.platform(), "python": platform.python_version(),
            "cpu_count": os.cpu_count(), "cpu_model": models[0] if models else platform.processor() or "unknown"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json", help="where to write figures")
    parser.add_argument("--yardstick", type=Path, default=None,
                        help="a folder holding the peer yardstick's all.sh (pandoc + Typst making the same three "
                             "documents and checking nothing): a cold build is timed against it pair by pair")
    parser.add_argument("--yardstick-python", default=sys.executable, help="a Python with typst, for all.sh")
    args = parser.parse_args()
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    # Python caches compiled modules unless told not to; where this is set (some CI images and
    # sandboxes), an editable install would recompile all of clearfacts on every run, which is
    # not what the tool costs. The warm-up run writes the cache.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="clearfacts-bench-") as tmp:
        work = Path(tmp) / "project"
        single = Path(tmp) / "one-language"  # the same content with its first language only
        cache = Path(tmp) / "cache"  # the build cache, outside the project (inside it, it is never used)
        shutil.copytree(ROOT / "content", work / "content")
        shutil.copytree(ROOT / "content", single / "content")
        first_language_only(single / "content" / "settings.yaml")
        os.environ["XDG_CACHE_HOME"] = str(cache)
        table = formats(load_content(work / "content").languages)

        def cleaner(root: Path) -> Callable[[], None]:
            def clean() -> None:
                for fmt in table:
                    (root / fmt.path).unlink(missing_ok=True)
                shutil.rmtree(cache, ignore_errors=True)
            return clean

        # One language first: cleaning empties the shared cache, so the whole project's cold builds
        # come last, before the runs that rely on its cache (check, no-op).
        cold_one = series(args.runs, [CLI, "build"], single, before=cleaner(single))
        # the yardstick makes one language's documents: it is paired with a one-language build
        pairs = yardstick_pairs(args, single, cleaner(single)) if args.yardstick else None
        cold = series(args.runs, [CLI, "build"], work, before=cleaner(work))
        check = series(args.runs, [CLI, "check"], work)
        build_check = series(args.runs, [CLI, "build", "--check"], work)
        help_ = series(args.runs, [CLI, "--help"], work)
        wrote: list[bool] = []
        state: dict[str, tuple[int, int, int]] = {}

        def snap() -> None:
            state.clear()
            state.update(files_state(work))

        noop = series(args.runs, [CLI, "build"], work, before=snap,
                      after=lambda: wrote.append(files_state(work) != state))
        # check with no cache: every output read back in full (a fresh clone, CI)
        full_check = series(args.runs, [CLI, "check"], work,
                            before=lambda: shutil.rmtree(cache / "clearfacts" / "builds", ignore_errors=True))
        (work / "deck.md").write_text(deck_markdown(work / "content"), encoding="utf-8")
        pandoc_argv = pandoc_command()
        pandoc = series(args.runs, pandoc_argv, work) if pandoc_argv else None

    results = {"cold build, one language": summary(cold_one), f"cold build, {len(table)} outputs": summary(cold),
               "check": summary(check), "check, no cache": summary(full_check),
               "build --check": summary(build_check), "--help": summary(help_), "no-op build": summary(noop)}
    if pairs:
        results["yardstick (pandoc + Typst)"] = summary([(b, 0.0) for _, b, _ in pairs])
        results["import floor (the libraries alone, two processes)"] = summary([(c, 0.0) for *_, c in pairs])
    if pandoc:
        results["pandoc deck.md → pptx"] = summary(pandoc)
    med = {name: float(r["median"]) for name, r in results.items()}  # type: ignore[arg-type]
    peak = max(rss for _, rss in cold)
    ratio = med["cold build, one language"] / med["pandoc deck.md → pptx"] if pandoc else None
    wrote_files = any(wrote)
    # (row name, figure shown, min, max, target text, pass)
    rows: list[tuple[str, str, str, str, str, bool | None]] = []
    targets = {"cold build, one language": 0.8, "check": 0.4, "check, no cache": 0.8, "--help": 0.12,
               "no-op build": 0.3}
    for name, r in results.items():
        limit = targets.get(name)
        rows.append((name, f"{r['median']:.3f}", f"{r['min']:.3f}", f"{r['max']:.3f}",
                     f"≤ {limit} s" if limit else "-", med[name] <= limit if limit else None))
    rows.append(("cold build (one language) / pandoc", f"{ratio:.1f}×" if ratio else "pandoc not installed", "", "",
                 "≤ 7×", ratio <= 7 if ratio else None))
    if pairs:
        ratios = sorted(a / b for a, b, _ in pairs)
        paired = statistics.median(ratios)
        rows.append(("cold build (one language) / yardstick, pair by pair", f"{paired:.2f}×", f"{ratios[0]:.2f}",
                     f"{ratios[-1]:.2f}", "≤ 0.8×", paired <= 0.8))
        floors = sorted(c / b for _, b, c in pairs)
        rows.append(("import floor / yardstick, pair by pair", f"{statistics.median(floors):.2f}×",
                     f"{floors[0]:.2f}", f"{floors[-1]:.2f}", "-", None))
    rows.append(("no-op build wrote files", "yes" if wrote_files else "no", "", "", "no", not wrote_files))
    rows.append(("peak RSS, cold build", f"{peak:.0f} MB", "", "", "≤ 150 MB", peak <= 150))

    print(f"clearfacts speed budget: {args.runs} runs each, {machine()['cpu_model']}, {os.cpu_count()} CPUs")
    header = ("name", "median s", "min", "max", "target", "result")
    widths = [max(len(str(row[i])) for row in [*rows, header]) for i in range(5)]
    print("  ".join(h.ljust(w) for h, w in zip(header, [*widths, 6], strict=True)))
    for *cells, passed in rows:
        verdict = "-" if passed is None else ("pass" if passed else "FAIL")
        print("  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + "  " + verdict)

    report = {"machine": machine(), "runs_per_command": args.runs, "results": results,
              "targets_s": targets, "peak_rss_mb": peak, "cold_over_pandoc": ratio,
              "pandoc": "installed" if pandoc else "pandoc not installed", "noop_wrote_files": wrote_files,
              "passed": all(p is not False for *_, p in rows)}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"figures written to {args.json}")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
