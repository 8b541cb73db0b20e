"""`clearfacts diff`: the content at one revision against another (or the working tree), and
where each change lands in the built outputs.

It never renders: the old revision's content is read through git and loaded with the
pipeline's loader, and "where" comes from the new side's built files read back (on disk for the
working tree, from git for a revision), so it answers in a fraction of a second. An output that
is absent is "(not built)"; one built from other content is marked stale.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from msgspec import Struct
from msgspec.structs import replace

from clearfacts import pipeline
from clearfacts.content.editions import Edition, load_edition
from clearfacts.errors import ContentError, Finding
from clearfacts.formats import Format, formats
from clearfacts.model import ContentSet, Loc
from clearfacts.options import options_for
from clearfacts.review.changes import Changes, compare
from clearfacts.review.git import WORKING_TREE, Repo, Revision, repo_of
from clearfacts.review.reach import Reach, Side, reach, reached_outputs, read_side


class Review(Struct, frozen=True):
    """What `diff` reports: the two sides, the changes, where each lands on the new side, and
    the findings (errors and warnings, by the rules' severities in the new settings.yaml)."""

    old_label: str
    new_label: str
    changes: Changes
    reach: Reach
    outputs: dict[str, str]  # output path → "built" | "stale" | "not built" | "unaffected" on the new side
    errors: list[Finding]
    warnings: list[Finding]


class Sides(Struct, frozen=True):
    """Both sides loaded (inside `open_sides`, while an old revision's files still exist); for
    an edition, each side's content with the edition laid over it, and the outputs it makes."""

    repo: Repo
    old_rev: Revision
    new_rev: Revision | None
    old: ContentSet
    new: ContentSet
    makes: Callable[[Format], bool] | None = None  # the edition's choice of outputs; None: all

    @property
    def new_label(self) -> str:
        return self.new_rev.label if self.new_rev else WORKING_TREE

    def table(self) -> tuple[Format, ...]:
        """The new side's outputs, in every language it makes (a translation's change lands in its own)."""
        return tuple(f for f in formats(self.new.languages) if self.makes is None or self.makes(f))


@contextmanager
def open_sides(content_dir: Path, rev: str | None, to: str | None,
               edition: tuple[Path, str] | None = None) -> Iterator[Sides]:
    """The content at `rev` (default HEAD) and at `to` (default: the working tree); with
    `edition` (its folder and name), that edition of it on each side."""
    from clearfacts.content.loader import shown_root

    shown = shown_root(content_dir)
    repo = repo_of(content_dir, shown)
    old_rev = repo.resolve(rev or "HEAD")
    new_rev = repo.resolve(to) if to else None
    with tempfile.TemporaryDirectory(prefix="clearfacts-diff-") as tmp:
        old = _load_at(repo, old_rev, content_dir, Path(tmp) / "old")
        new = _load_at(repo, new_rev, content_dir, Path(tmp) / "new") if new_rev else pipeline.load(content_dir)
        if edition is None:
            yield Sides(repo, old_rev, new_rev, old, new)
            return
        was = _edition_at(repo, old_rev, old, content_dir, edition, Path(tmp) / "old")
        now = _edition_at(repo, new_rev, new, content_dir, edition, Path(tmp) / "new") if new_rev else \
            load_edition(new, *edition, content_dir)
        yield Sides(repo, old_rev, new_rev, was.content, now.content, now.makes)


def _edition_at(repo: Repo, rev: Revision, content: ContentSet, content_dir: Path, edition: tuple[Path, str],
                scratch: Path) -> Edition:
    """The edition as it was at `rev`, laid over that revision's content (loaded into `scratch`)."""
    folder, name = edition
    where = repo.relative(folder)
    files = repo.files_under(rev, where) if where is not None else []
    if f"{where}/{name}.yaml".lstrip("/") not in files:
        raise ContentError(Finding(f"{rev.name}:{where or '.'}/{name}.yaml", None,
                                   f"{rev.label} has no edition '{name}' to compare with"))
    return load_edition(content, repo.content_at(rev, folder, scratch), name,
                        scratch / (repo.relative(content_dir) or ""))


def _load_at(repo: Repo, rev: Revision, content_dir: Path, scratch: Path) -> ContentSet:
    """The content at `rev`; its errors name the revision ("HEAD~1:content/facts.yaml:12")."""
    from clearfacts.content.loader import shown_root

    folder = repo.content_at(rev, content_dir, scratch)
    tmp, named = shown_root(folder), f"{rev.name}:{repo.relative(content_dir) or '.'}"

    def relabel(path: str) -> str:
        return named + path[len(tmp):] if path.startswith(tmp) else path

    try:
        content = pipeline.load(folder)
    except ContentError as exc:
        raise ContentError([replace(f, path=relabel(f.path), message=f"{f.message} (in {rev.label})")
                            for f in exc.findings]) from None
    # The facts' locations name the revision, not the scratch folder (a removed fact is shown where it was).
    facts = {k: replace(f, loc=Loc(relabel(f.loc.path), f.loc.line)) for k, f in content.facts.items()}
    return replace(content, facts=facts)


def new_side(sides: Sides, outputs_dir: Path, table: tuple[Format, ...], changes: Changes) -> Side:
    """The new side's built outputs that `changes` can reach, read back: from disk for the
    working tree, from git for a revision (outputs outside the repository are then not built)."""
    if sides.new_rev is None:
        files = pipeline.read_outputs(outputs_dir, table)
    else:
        folder = sides.repo.relative(outputs_dir)
        at = sides.repo.read(sides.new_rev, [_join(folder, f.path) for f in table]) if folder is not None else {}
        files = {f.path: at.get(_join(folder or "", f.path)) for f in table}
    expected = pipeline.Expected(sides.new, options_for(sides.new, None, None), table)
    wanted = reached_outputs(changes, table, sides.old, sides.new)
    return read_side(sides.new, files, table, expected.by_path, wanted)


def _join(folder: str, path: str) -> str:
    return f"{folder}/{path}" if folder else path


def review(content_dir: Path, outputs_dir: Path, rev: str | None, to: str | None,
           edition: tuple[Path, str] | None = None) -> Review:
    """Compare the content at `rev` with `to` (default: the working tree), or one edition of it,
    and say where each change lands in the outputs built from the new side (the edition's in
    `outputs_dir`)."""
    with open_sides(content_dir, rev, to, edition) as sides:
        table = sides.table()
        changes = compare(sides.old, sides.new)
        side = new_side(sides, outputs_dir, table, changes)
        errors, warnings = pipeline.split_findings(sides.new, changes.findings)
        states = {f.path: side.state(f.path) for f in table}
        label = f"{sides.new_label}, edition {edition[1]} (outputs in {outputs_dir})" if edition else sides.new_label
        return Review(sides.old_rev.label, label, changes, reach(changes, side, sides.old), states, errors, warnings)
