"""Click commands only: parse options, call the pipeline, turn errors into exit codes.

Exit codes: 0 ok · 1 a check of built outputs failed · 2 the input cannot be built.
Heavy libraries (reportlab, python-pptx, pypdf) are imported inside the commands that use them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from clearfacts import __version__
from clearfacts.errors import ClearfactsError, Finding

CONTENT = click.option("--content", "content_dir", type=click.Path(path_type=Path), default=Path("content"),
                       show_default=True, help="The content folder (YAML).")
OUTPUTS = click.option("--outputs", "outputs_dir", type=click.Path(path_type=Path), default=Path("."),
                       show_default=True, help="Folder that holds handouts/ and slides/.")
STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 2).")


class Group(click.Group):
    """Formats every ClearfactsError once, as `file:line: message`, and exits with its code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ClearfactsError as exc:
            for finding in exc.findings:
                click.echo(str(finding), err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clearfacts")
def main() -> None:
    """Build support-group handouts and slides from one YAML source of truth, and prove that
    every output states the same facts.

    \b
    Exit codes: 0 ok; 1 a built output is missing, altered or stale;
                2 the input cannot be built (bad YAML, schema, unknown fact, does not fit).
    """


@main.command()
@CONTENT
@OUTPUTS
@click.option("--paper", type=click.Choice(["letter", "a4"]), default=None,
              help="Paper size (default: from settings.yaml).")
@click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A 16:9 .pptx template whose layouts the deck uses.")
@STRICT
def build(content_dir: Path, outputs_dir: Path, paper: str | None, template: Path | None, strict: bool) -> None:
    """Render every output and write it atomically."""
    from clearfacts.build import options_for, render_all
    from clearfacts.output import write_atomically

    content = _load(content_dir, strict)
    rendered = render_all(content, options_for(content, paper, template))
    write_atomically({outputs_dir / r.name: r.data for r in rendered.values()})
    for r in rendered.values():
        click.echo(f"wrote {r.name} ({len(r.data):,} bytes)")


@main.command()
@CONTENT
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@STRICT
def check(content_dir: Path, fmt: str, strict: bool) -> None:
    """Check the content rules (and, with built outputs, that they agree)."""
    from clearfacts.content.folder import content_warnings, load_content

    content = load_content(content_dir)
    warnings = content_warnings(content, dt.date.today())
    if fmt == "json":
        click.echo(json.dumps({"findings": [_as_json(w) for w in warnings]}, indent=2))
    else:
        for w in warnings:
            click.echo(str(w), err=True)
        click.echo(f"content OK: {len(content.facts)} facts, 3 documents, {len(warnings)} warning(s)")
    if strict and warnings:
        sys.exit(2)


@main.command()
@CONTENT
def facts(content_dir: Path) -> None:
    """List each registered fact with its value, source and review date."""
    from clearfacts.content.folder import load_content

    content = load_content(content_dir)
    for fact in content.facts.values():
        click.echo(f"{fact.id}: {fact.display}")
        click.echo(f"    value {fact.value!r}, reviewed {fact.reviewed}, {fact.loc}")
        click.echo(f"    source: {fact.source.title}" + (f" <{fact.source.url}>" if fact.source.url else ""))
        click.echo(f"    where: {fact.source.where}")


def _load(content_dir: Path, strict: bool):  # noqa: ANN202 - ContentSet, imported lazily
    from clearfacts.content.folder import content_warnings, load_content

    content = load_content(content_dir)
    warnings = content_warnings(content, dt.date.today())
    for w in warnings:
        click.echo(str(w), err=True)
    if strict and warnings:
        sys.exit(2)
    return content


def _as_json(finding: Finding) -> dict[str, object]:
    return {"file": finding.path, "line": finding.line, "message": finding.message,
            "fact": finding.fact, "severity": finding.severity}
