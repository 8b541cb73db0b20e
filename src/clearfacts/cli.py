"""Click commands only: parse options, call the pipeline, turn errors into exit codes.

Exit codes: 0 ok · 1 a check of built outputs failed · 2 the input cannot be built.
Heavy libraries (reportlab, python-pptx, pypdf) are imported inside the commands that use them.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from clearfacts import __version__
from clearfacts.errors import ClearfactsError, Finding

CONTENT = click.option("--content", "content_dir", type=click.Path(path_type=Path), default=Path("content"),
                       show_default=True, help="The content folder (YAML).")
OUTPUTS = click.option("--outputs", "outputs_dir", type=click.Path(path_type=Path), default=Path("."),
                       show_default=True, help="Folder that holds handouts/ and slides/.")
STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")


class Group(click.Group):
    """Formats every ClearfactsError once, as `file:line: message`, and exits with its code.

    The cycle collector is paused while a command runs: a command is one short pass that frees
    little, and collecting through the import of four libraries costs a tenth of a cold build.
    """

    def invoke(self, ctx: click.Context) -> object:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return super().invoke(ctx)
        except ClearfactsError as exc:
            for finding in exc.findings:
                click.echo(str(finding), err=True)
            ctx.exit(exc.exit_code)
        finally:
            if collecting:
                gc.enable()


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clearfacts")
def main() -> None:
    """Build support-group handouts and slides from one YAML source of truth, and prove that
    every output states the same facts.

    \b
    Exit codes: 0 ok; 1 a built output is missing, altered or stale;
                2 the input cannot be built (bad YAML, schema, unknown fact, does not fit).
    """


def run() -> None:
    """The console script: `main`, then an exit that skips Python's last full collection.

    A build leaves the objects of four libraries behind, and with the collector paused they are
    all still tracked; the interpreter would sweep them just before the process returns its
    memory anyway (a tenth of a cold build). Frozen, they are skipped; atexit handlers, flushing
    and closing files still happen as usual.
    """
    try:
        main()
    finally:
        gc.freeze()


PAPER = click.option("--paper", type=click.Choice(["letter", "a4"]), default=None,
                     help="Paper size (default: from settings.yaml).")
TEMPLATE = click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                        help="A 16:9 .pptx template whose layouts the deck uses.")


@main.command()
@CONTENT
@OUTPUTS
@PAPER
@TEMPLATE
@click.option("--check", "check_only", is_flag=True,
              help="Build in memory and compare with the files on disk; write nothing (exit 1 if any differ).")
@click.option("--force", is_flag=True, help="Render every output even when nothing changed.")
@click.option("--no-verify", is_flag=True, help="Skip reading the rendered files back before writing them.")
@STRICT
def build(content_dir: Path, outputs_dir: Path, paper: str | None, template: Path | None, check_only: bool,
          force: bool, no_verify: bool, strict: bool) -> None:
    """Render the outputs that changed, verify them in memory, then write them atomically."""
    from clearfacts.build import OUTPUTS, Expected, files_to_write, needs_render, options_for, produce
    from clearfacts.errors import CheckFailed
    from clearfacts.output import write_atomically
    from clearfacts.worker import PdfWorker

    worker = PdfWorker().start()  # warms up the PDF stack while the content is read
    try:
        content = _load(content_dir, strict)
        expected = Expected(content, options_for(content, paper, template))
        todo = set(OUTPUTS) if force or check_only else needs_render(expected, outputs_dir)
        if not todo:
            click.echo(f"all {len(OUTPUTS)} outputs are up to date (use --force to rebuild)")
            return
        produced = produce(expected, todo, check=not no_verify, worker=worker)
    finally:
        worker.close()
    if produced.findings:
        raise CheckFailed(produced.findings)
    files = files_to_write(produced, outputs_dir, verified=not no_verify)
    if check_only:
        differ = [n for n, data in files.items() if _read(outputs_dir / n) != data]
        if differ:
            raise CheckFailed([Finding(n, None, "differs from what the content builds; run clearfacts build")
                               for n in differ])
        click.echo(f"all {len(produced.rendered)} outputs match the content")
        return
    write_atomically({outputs_dir / name: data for name, data in files.items()})
    for name, r in produced.rendered.items():
        units = produced.units.get(name)
        kind = ("slide" if name.endswith(".pptx") else "page") + ("" if units == 1 else "s")
        count = f"{units} {kind}, " if units else ""
        click.echo(f"wrote {outputs_dir / name} ({count}{len(r.data):,} bytes)")


@main.command()
@CONTENT
@OUTPUTS
@TEMPLATE
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@STRICT
def check(content_dir: Path, outputs_dir: Path, template: Path | None, fmt: str, strict: bool) -> None:
    """Check the content rules and that every built output carries its facts, unaltered and current.

    Files whose bytes are exactly what a verified build recorded in the manifest are not read again.
    """
    from clearfacts.build import Expected, options_for, read_outputs
    from clearfacts.errors import ContentError
    from clearfacts.manifest import read_manifest, trusted
    from clearfacts.verify.check import check_outputs

    try:
        content = _load(content_dir, strict=False, quiet=True)
    except ContentError as exc:
        if fmt == "text":
            raise
        _report(exc.findings, fmt)
        sys.exit(exc.exit_code)
    warnings = _warnings(content)
    expected = Expected(content, options_for(content, None, template))
    files = read_outputs(outputs_dir)
    entries = read_manifest(outputs_dir)
    skip = trusted(entries, expected(_paper_of(entries)), files)
    findings, _ = check_outputs(content, expected, {n: d for n, d in files.items() if n not in skip})
    _report(findings + warnings, fmt)
    if fmt == "text":
        status = "OK" if not findings else f"{len(findings)} problem(s)"
        click.echo(f"{status}: {len(content.facts)} facts checked in {len(files)} outputs, {len(warnings)} warning(s)")
    if findings or (strict and warnings):
        sys.exit(1)


@main.command()
@CONTENT
@OUTPUTS
def facts(content_dir: Path, outputs_dir: Path) -> None:
    """List each fact: value, source, review date, and where each built output shows it."""
    from clearfacts.build import read_outputs
    from clearfacts.verify.extract import extract
    from clearfacts.verify.matrix import fact_matrix

    content = _load(content_dir, strict=False, quiet=True)
    files = read_outputs(outputs_dir)
    matrix = fact_matrix(content, {n: extract(n, d) for n, d in files.items() if d is not None})
    for fact in content.facts.values():
        click.echo(f"{fact.id}: {fact.display}")
        click.echo(f"    value {fact.value!r}, reviewed {fact.reviewed}, {fact.loc}")
        click.echo(f"    source: {fact.source.title}" + (f" <{fact.source.url}>" if fact.source.url else ""))
        click.echo(f"    where: {fact.source.where}")
        for name, data in files.items():
            places = matrix[fact.id].get(name) if data is not None else None
            shown = ", ".join(places) if places else ("(not built)" if data is None else "-")
            click.echo(f"    {name}: {shown}")


def _load(content_dir: Path, strict: bool, quiet: bool = False):  # noqa: ANN202 - ContentSet, imported lazily
    """Load the content; warnings are printed (and with --strict, refuse the build)."""
    from clearfacts.content.folder import load_content

    content = load_content(content_dir)
    if not quiet:
        warnings = _warnings(content)
        for w in warnings:
            click.echo(str(w), err=True)
        if strict and warnings:
            sys.exit(1)
    return content


def _warnings(content) -> list[Finding]:  # noqa: ANN001 - ContentSet, imported lazily
    import datetime as dt

    from clearfacts.content.folder import content_warnings

    return content_warnings(content, dt.date.today())


def _report(findings: list[Finding], fmt: str) -> None:
    if fmt == "json":
        import json

        click.echo(json.dumps({"findings": [_as_json(f) for f in findings]}, indent=2))
    elif fmt == "github":
        for f in findings:
            level = "warning" if f.severity == "warning" else "error"
            line = f",line={f.line}" if f.line else ""
            click.echo(f"::{level} file={f.path}{line}::{f.message}")
    else:
        for f in findings:
            click.echo(str(f), err=True)


def _paper_of(entries: dict) -> str | None:
    from clearfacts.output import stamp_paper

    papers = {stamp_paper(e.stamp) for e in entries.values()}
    return papers.pop() if len(papers) == 1 else None


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _as_json(finding: Finding) -> dict[str, object]:
    return {"file": finding.path, "line": finding.line, "message": finding.message,
            "fact": finding.fact, "severity": finding.severity}
