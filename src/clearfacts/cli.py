"""Click commands only: parse options, call the pipeline, print what it returns, and turn
errors into exit codes in one place.

Exit codes: 0 ok · 1 a check of built outputs failed · 2 the input cannot be built ·
130 interrupted. Nothing heavier than click is imported until a command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from clearfacts import __version__, interrupts

if TYPE_CHECKING:
    from clearfacts.errors import Finding

CONTENT = click.option("--content", "content_dir", type=click.Path(path_type=Path), default=Path("content"),
                       show_default=True, help="The content folder (YAML).")
OUTPUTS = click.option("--outputs", "outputs_dir", type=click.Path(path_type=Path), default=Path("."),
                       show_default=True, help="Folder that holds handouts/ and slides/.")
STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
FALLBACK = click.option("--allow-fallback", is_flag=True,
                        help="Where a translation lacks a block, item or note, use the first language's text "
                             "and warn (default: refuse, exit 2).")
PAPER = click.option("--paper", type=click.Choice(["letter", "a4"]), default=None,
                     help="Paper size (default: from settings.yaml).")
def _editions(command):  # noqa: ANN001, ANN202 - a decorator stack
    """The options that pick editions (editions/<name>.yaml beside the content folder)."""
    for option in reversed((
        click.option("--edition", "edition_names", multiple=True, metavar="NAME",
                     help="Build this edition (editions/NAME.yaml) into dist/NAME/; repeatable."),
        click.option("--all-editions", is_flag=True, help="Every edition in the editions folder."),
        click.option("--editions", "editions_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="The editions folder (default: editions/ beside the content folder)."),
        click.option("--shard", default=None, metavar="K/N",
                     help="Only the K-th of N stable slices of the editions (for a CI matrix)."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                     help="Editions built at once (default: all cores)."),
    )):
        command = option(command)
    return command


TEMPLATE = click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                        help="A 16:9 .pptx template whose layouts the deck uses.")


class Group(click.Group):
    """Formats every ClearfactsError once, as `file:line: message`, and exits with its code;
    an interrupt is one line and exit 130 (the pipeline has already put the outputs back)."""

    def invoke(self, ctx: click.Context) -> object:
        from clearfacts.errors import ClearfactsError  # with a command: its records load msgspec

        try:
            return super().invoke(ctx)
        except ClearfactsError as exc:
            for finding in exc.findings:
                click.echo(str(finding), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(interrupts.MESSAGE, err=True)
            ctx.exit(interrupts.EXIT_CODE)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clearfacts")
def main() -> None:
    """Build support-group handouts and slides from one YAML source of truth, and prove that
    every output states the same facts.

    \b
    Exit codes: 0 ok; 1 a built output is missing, altered or stale;
                2 the input cannot be built (bad YAML, schema, unknown fact, does not fit);
                130 interrupted (outputs on disk unchanged).
    """


def run() -> None:
    """The commands, as the console script runs them (`console.run`, which also turns an
    interrupt outside a command, while Click reads the options or just as a command returns,
    into the same one line and exit 130)."""
    interrupts.as_ctrl_c()  # SIGTERM and SIGHUP too: see interrupts.py
    try:
        main()
    finally:
        # The command is over (its outputs written or left as they were): an interrupt now would
        # only interrupt the interpreter's own clean-up and end the process by the signal.
        interrupts.ignore()


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
@FALLBACK
@_editions
@click.pass_context
def build(ctx: click.Context, content_dir: Path, outputs_dir: Path, paper: str | None, template: Path | None,
          check_only: bool, force: bool, no_verify: bool, strict: bool, allow_fallback: bool,
          edition_names: tuple[str, ...],
          all_editions: bool, editions_dir: Path | None, shard: str | None, jobs: int | None) -> None:
    """Render the outputs that changed, verify them in memory, then write them as one set.
    With --edition or --all-editions, each edition is built into dist/<edition>/."""
    from contextlib import ExitStack

    if edition_names or all_editions or shard:
        mode = "build-check" if check_only else "build"
        _run_editions(ctx, mode, content_dir, outputs_dir, paper, template, strict, force, not no_verify,
                      edition_names, all_editions, editions_dir, shard, jobs)
        return
    from clearfacts import workers

    # The workers start before the pipeline is imported: the PDF stack loads there meanwhile.
    pool = workers.for_build_check() if check_only else workers.for_build(outputs_dir)
    from clearfacts import pipeline

    gate = pipeline.Gate(strict, _print_findings if strict else _summarise_warnings, allow_fallback)
    if check_only:
        count, assumed = pipeline.build_check(content_dir, outputs_dir, paper, template, gate, pool)
        click.echo(f"all {count} outputs match the content ({assumed} paper)")
        return
    # Once the new set is written the build is done: an interrupt from then on is held to the end
    # of the command (`done`) and dropped, since "outputs unchanged" would no longer be true.
    with ExitStack() as done:
        result = pipeline.build(content_dir, outputs_dir, paper, template, gate, pool, force=force,
                                verify=not no_verify, waiting=lambda message: click.echo(message, err=True), hold=done)
        for path in result.up_to_date:
            click.echo(f"up to date {outputs_dir / path}")
        for rendered, units in result.written:
            unit = rendered.fmt.unit + ("" if units == 1 else "s")
            count = f"{units} {unit}, " if units else ""
            click.echo(f"wrote {outputs_dir / rendered.fmt.path} ({count}{len(rendered.data):,} bytes)")


@main.command()
@CONTENT
@OUTPUTS
@TEMPLATE
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@STRICT
@FALLBACK
@click.option("--list-rules", is_flag=True, help="List the content rules (id, default severity, what each checks).")
@_editions
@click.pass_context
def check(ctx: click.Context, content_dir: Path, outputs_dir: Path, template: Path | None, fmt: str, strict: bool,
          allow_fallback: bool, list_rules: bool, edition_names: tuple[str, ...], all_editions: bool,
          editions_dir: Path | None, shard: str | None, jobs: int | None) -> None:
    """Check the content rules and that every built output carries its facts, unaltered and current."""
    if edition_names or all_editions or shard:
        if fmt != "text":
            raise click.UsageError("--format json and github are not available with editions yet")
        _run_editions(ctx, "check", content_dir, outputs_dir, None, template, strict, False, True,
                      edition_names, all_editions, editions_dir, shard, jobs)
        return
    if list_rules:
        from clearfacts.content.rules import rule_lines

        click.echo("\n".join(rule_lines()))
        return
    from clearfacts import workers

    pool = workers.for_check(outputs_dir)  # before the pipeline is imported, as for `build`
    from clearfacts import pipeline
    from clearfacts.errors import ContentError

    try:
        content, result = pipeline.check_folder(content_dir, outputs_dir, template, pool, allow_fallback)
    except ContentError as exc:
        if fmt == "text":
            raise
        _report(exc.findings, fmt)
        sys.exit(exc.exit_code)
    warnings = pipeline.warnings(content) + result.warnings
    _report(result.findings + warnings, fmt)
    if fmt == "text":
        status = "OK" if not result.findings else f"{len(result.findings)} problem(s)"
        per = f" ({', '.join(f'{n} {lang}' for lang, n in result.languages.items())})" \
            if len(result.languages) > 1 else ""
        click.echo(f"{status}: {result.facts} facts checked in {result.outputs} outputs{per}, "
                   f"{len(warnings)} warning(s)")
    if result.findings or (strict and warnings):
        sys.exit(1)


@main.command()
@CONTENT
@OUTPUTS
def facts(content_dir: Path, outputs_dir: Path) -> None:
    """List each fact: value, source, review date, and where each built output shows it."""
    from clearfacts import pipeline

    content = pipeline.load(content_dir)
    matrix, present = pipeline.where_facts_are(content, outputs_dir)
    for fact in content.facts.values():
        click.echo(f"{fact.id}: {fact.display}")
        click.echo(f"    value {fact.value!r}, reviewed {fact.reviewed}, {fact.loc}")
        click.echo(f"    source: {fact.source.title}" + (f" <{fact.source.url}>" if fact.source.url else ""))
        click.echo(f"    where: {fact.source.where}")
        for path, built in present.items():
            places = matrix[fact.id].get(path)
            shown = ", ".join(places) if places else ("-" if built else "(not built)")
            click.echo(f"    {path}: {shown}")


def _run_editions(ctx: click.Context, mode: str, content_dir: Path, outputs_dir: Path, paper: str | None,
                  template: Path | None, strict: bool, force: bool, verify: bool, names: tuple[str, ...],
                  all_editions: bool, editions_dir: Path | None, shard: str | None, jobs: int | None) -> None:
    """Build, compare or check editions; a summary line per edition, exit with the worst code."""
    import os

    from clearfacts import batch
    from clearfacts.content.editions import check_names, edition_names, editions_dir_for
    from clearfacts.content.editions import shard as slice_of

    folder = editions_dir or editions_dir_for(content_dir)
    if ctx.get_parameter_source("outputs_dir") == click.core.ParameterSource.DEFAULT:
        outputs_dir = Path("dist")
    if names:
        check_names(list(names), folder)
    picked = list(dict.fromkeys(names)) if names else edition_names(folder)
    if not picked:
        raise click.UsageError(f"no editions in {folder} (editions/<name>.yaml)")
    if shard:
        k, n = _parse_shard(shard)
        picked = slice_of(picked, k, n)
        if not picked:
            click.echo(f"shard {shard}: no editions", err=True)
            return
    todo = batch.edition_jobs(content_dir, folder, picked)
    workers = jobs or os.cpu_count() or 1
    lines: list[str] = []
    try:
        if sys.stderr.isatty():
            with click.progressbar(length=len(todo), label="editions", file=sys.stderr) as bar:
                def tick(outcome: batch.EditionOutcome) -> None:
                    lines.append(outcome.name)
                    bar.update(1)

                outcomes = batch.run_editions(todo, outputs_dir, paper, template, mode, strict=strict,
                                                 force=force, verify=verify, workers=workers, done=tick)
        else:
            def one_line(outcome: batch.EditionOutcome) -> None:
                lines.append(outcome.name)
                click.echo(f"[{len(lines)}/{len(todo)}] {outcome.name}: {_STATUS[outcome.code]}", err=True)

            outcomes = batch.run_editions(todo, outputs_dir, paper, template, mode, strict=strict, force=force,
                                             verify=verify, workers=workers, done=one_line)
    except KeyboardInterrupt:
        click.echo(f"interrupted: {len(lines)} of {len(todo)} edition(s) finished ({', '.join(sorted(lines))}); "
                   "the others' outputs on disk unchanged", err=True)
        ctx.exit(interrupts.EXIT_CODE)
    outcomes.sort(key=lambda o: o.name)
    for outcome in outcomes:
        click.echo(f"edition {outcome.name}: {_STATUS[outcome.code]}")
        for line in outcome.outputs:
            click.echo(f"    {line}")
        for problem in outcome.problems + (outcome.warnings if mode == "check" or strict else []):
            click.echo(f"    {problem}", err=True)
        if outcome.warnings and not (mode == "check" or strict):
            click.echo(f"    {len(outcome.warnings)} warning(s): run clearfacts check --edition {outcome.name} "
                       "to see them", err=True)
    worst = max(o.code for o in outcomes)
    failed = sum(o.code != 0 for o in outcomes)
    click.echo(f"{len(outcomes) - failed} of {len(outcomes)} edition(s) ok")
    if worst:
        sys.exit(worst)


_STATUS = {0: "ok", 1: "failed the check", 2: "cannot be built"}


def _parse_shard(text: str) -> tuple[int, int]:
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise click.BadParameter(f"'{text}' is not K/N with 1 <= K <= N", param_hint="--shard")
    return int(k), int(n)


def _summarise_warnings(findings: list[Finding]) -> None:
    """One line before a build: `clearfacts check` lists them, a build shows what it made."""
    if findings:
        from collections import Counter

        kinds = ", ".join(f"{rule} ×{n}" for rule, n in Counter(f.rule or "other" for f in findings).items())
        click.echo(f"{len(findings)} warning(s) in the content ({kinds}): run clearfacts check to see them", err=True)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path), default=Path("content"),
                required=False)
def init(directory: Path) -> None:
    """Start a new topic: write a small, commented content set into DIRECTORY (default: content),
    which must be new or empty. It builds at once; its example settings are reported until replaced."""
    import datetime as dt

    from clearfacts.content.json_schema import DEFAULT_DIR
    from clearfacts.content.scaffold import scaffold

    for path in scaffold(directory, dt.date.today()):
        click.echo(f"wrote {path}")
    content = "" if directory == Path("content") else f" --content {directory}"
    click.echo(f"next: replace the example values (clearfacts check{content} lists them), "
               f"then run clearfacts build{content}")
    click.echo(f"editor completion: clearfacts schema --out {directory.parent / DEFAULT_DIR}")


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("schema"),
              show_default=True, help="Folder to write the schemas into (content files point to ../schema/).")
def schema(out_dir: Path) -> None:
    """Write a JSON Schema for each content file, for editors (the files' yaml-language-server
    line points to them) and for CI (e.g. check-jsonschema)."""
    from clearfacts.content.json_schema import write_schemas

    for path in write_schemas(out_dir):
        click.echo(f"wrote {path}")


def _print_findings(findings: list[Finding]) -> None:
    for finding in findings:
        click.echo(str(finding), err=True)


def _report(findings: list[Finding], fmt: str) -> None:
    if fmt == "json":
        import json

        click.echo(json.dumps({"findings": [f.as_json() for f in findings]}, indent=2))
    elif fmt == "github":
        for f in findings:
            level = "warning" if f.severity == "warning" else "error"
            line = f",line={f.line}" if f.line else ""
            title = f",title={f.rule}" if f.rule else ""
            click.echo(f"::{level} file={f.path}{line}{title}::{f.message}")
    else:
        for f in findings:
            click.echo(str(f), err=True)


@main.command()
@click.argument("rev", required=False, metavar="[REV]")
@click.option("--to", "to", metavar="REV", default=None,
              help="Compare with this revision instead of the working tree.")
@CONTENT
@OUTPUTS
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="markdown: a table for a pull-request comment or $GITHUB_STEP_SUMMARY.")
@click.option("--edition", "edition_name", metavar="NAME", default=None,
              help="Compare this edition (editions/NAME.yaml laid over the content), built in dist/NAME/.")
@click.option("--editions", "editions_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The editions folder (default: editions/ beside the content folder).")
@click.pass_context
def diff(ctx: click.Context, rev: str | None, to: str | None, content_dir: Path, outputs_dir: Path, fmt: str,
         edition_name: str | None, editions_dir: Path | None) -> None:
    """What changed in the content since REV (default HEAD, the last commit) and where it lands.

    Lists facts added, removed or changed (value, display, source, review date), prose changed
    (by document, section and block) and settings, each with the outputs and pages or slides
    that show it, read from the built files (nothing is rendered). A fact whose value changed
    while its review date did not is an error [review-date-unchanged]: exit 1. With --edition,
    the edition's settings are compared too, and its outputs in dist/NAME/ are read.
    """
    from clearfacts.review import report
    from clearfacts.review.diff import review

    edition = None
    if edition_name:
        from clearfacts.content.editions import editions_dir_for

        edition = (editions_dir or editions_dir_for(content_dir), edition_name)
        if ctx.get_parameter_source("outputs_dir") == click.core.ParameterSource.DEFAULT:
            outputs_dir = Path("dist")
        outputs_dir = outputs_dir / edition_name
    result = review(content_dir, outputs_dir, rev, to, edition)
    if fmt == "json":
        click.echo(report.as_json(result))
    elif fmt == "markdown":
        click.echo(report.as_markdown(result), nl=False)
    else:
        click.echo(report.as_text(result))
        _print_findings(result.errors + result.warnings)
        click.echo(report.summary(result))
    if result.errors:
        sys.exit(1)


@main.command()
@CONTENT
@OUTPUTS
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("previews"),
              show_default=True, help="Folder for the pictures.")
@click.option("--changed-since", "since", metavar="REV", default=None,
              help="Only the pages and slides the changes since REV reach, each as a before/after pair.")
@click.option("--no-slides", is_flag=True, help="Leave out the deck (its slides are drawn by LibreOffice, "
                                                "which takes a few seconds).")
def preview(content_dir: Path, outputs_dir: Path, out_dir: Path, since: str | None, no_slides: bool) -> None:
    """Draw every page and slide of the built outputs as PNG, with one contact sheet per output
    (PDFs with PDFium, slides through LibreOffice when it is installed)."""
    from clearfacts.review.preview import preview_all, preview_changes

    if since:
        result = preview_changes(content_dir, outputs_dir, out_dir, since, not no_slides)
    else:
        result = preview_all(content_dir, outputs_dir, out_dir, not no_slides)
    for line in result.skipped:
        click.echo(line, err=True)
    for path in result.written:
        click.echo(f"wrote {path}")
    if result.note:
        click.echo(result.note)
