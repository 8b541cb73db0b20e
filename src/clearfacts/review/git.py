"""Old revisions of the content, read through git.

`diff` and `preview --changed-since` compare the content as it was at a commit with the content
as it is (or at another commit). git is asked for as little as possible, in as few processes
as possible: the repository root, the commit a revision names, the files under the content
folder at that commit (`ls-tree`), then every blob at once (`cat-file --batch`). The files are
written into a temporary folder and loaded with the pipeline's own loader, so an old revision is
judged by exactly the rules the working tree is.

Every failure is a ContentError (exit 2) naming what went wrong: no git, not a repository, an
unknown revision, a revision without the content folder.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from msgspec import Struct

from clearfacts.errors import ContentError, Finding

WORKING_TREE = "working tree"


class Revision(Struct, frozen=True):
    """A commit as the user named it ("HEAD~1") and as git knows it."""

    name: str
    commit: str

    @property
    def label(self) -> str:
        """"HEAD~1 (3f2a9c1)"; a commit named by its hash is shown once, 12 digits long."""
        return self.commit[:12] if self.commit.startswith(self.name.lower()) else f"{self.name} ({self.commit[:7]})"


class Repo(Struct, frozen=True):
    """The git repository that holds a content folder; `shown` names that folder in messages."""

    root: Path
    shown: str

    def relative(self, path: Path) -> str | None:
        """`path` inside the repository, as git spells it ("" for the root), or None outside it."""
        try:
            rel = path.resolve().relative_to(self.root)
        except ValueError:
            return None
        return PurePosixPath(*rel.parts).as_posix() if rel.parts else ""

    def resolve(self, name: str) -> Revision:
        """The commit `name` refers to, or exit 2 saying it is unknown."""
        if not name or name.startswith("-"):
            raise self._error(f"unknown revision '{name}': give a commit, branch or tag (e.g. HEAD~1)")
        done = self._git("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False)
        if done.returncode != 0:
            raise self._error(f"unknown revision '{name}' in the git repository at {self.root}")
        return Revision(name, done.stdout.decode().strip())

    def files_under(self, rev: Revision, folder: str) -> list[str]:
        """Every file under `folder` at `rev`, as repository paths."""
        args = ("ls-tree", "-r", "-z", "--name-only", "--full-tree", rev.commit, "--", folder or ".")
        listed = self._git(*args).stdout.decode("utf-8", "surrogateescape")
        return [p for p in listed.split("\0") if p]

    def read(self, rev: Revision, paths: Iterable[str]) -> dict[str, bytes | None]:
        """Each path's bytes at `rev` (None where it does not exist), from one git process."""
        wanted = list(dict.fromkeys(paths))
        if not wanted:
            return {}
        request = "".join(f"{rev.commit}:{p}\n" for p in wanted).encode("utf-8", "surrogateescape")
        out = self._git("cat-file", "--batch", stdin=request).stdout
        found: dict[str, bytes | None] = {}
        at = 0
        for path in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            at = end + 1
            found[path] = None
            if header[-1:] in ([b"missing"], [b"ambiguous"]):  # "<name> missing": no such file there
                continue
            size = int(header[-1])  # "<oid> <type> <size>", then the object and a newline
            if header[-2:-1] == [b"blob"]:
                found[path] = out[at:at + size]
            at += size + 1  # a tree where a file was expected is skipped
        return found

    def content_at(self, rev: Revision, content_dir: Path, scratch: Path) -> Path:
        """The content folder as it was at `rev`, written under `scratch` at its path in the
        repository, so a template named in settings.yaml is found where it was."""
        folder = self.relative(content_dir)
        if folder is None:
            raise self._error(f"the content folder is outside the git repository at {self.root}")
        files = self.files_under(rev, folder)
        if not files:
            raise self._error(f"{rev.label} has no content folder '{folder or '.'}'")
        target = scratch / folder if folder else scratch
        for path, data in self.read(rev, files).items():
            if data is None:  # a submodule or symbolic link: not content
                continue
            dest = scratch / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        return target

    def _git(self, *args: str, stdin: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        done = run_git(self.root, args, stdin)
        if check and done.returncode != 0:
            raise self._error(f"git {args[0]} failed: {_first_line(done.stderr)}")
        return done

    def _error(self, message: str) -> ContentError:
        return ContentError(Finding(self.shown, None, message))


def repo_of(content_dir: Path, shown: str) -> Repo:
    """The repository the content folder is in (exit 2 outside one, or without git)."""
    start = content_dir if content_dir.is_dir() else content_dir.parent
    done = run_git(start if start.is_dir() else Path.cwd(), ("rev-parse", "--show-toplevel"), None)
    if done.returncode != 0:
        raise ContentError(Finding(shown, None, "not in a git repository: clearfacts diff compares revisions "
                                                f"of the content with git ({_first_line(done.stderr)})"))
    return Repo(Path(done.stdout.decode().strip()).resolve(), shown)


def run_git(cwd: Path, args: Iterable[str], stdin: bytes | None) -> subprocess.CompletedProcess[bytes]:
    """One git process, its messages in English (they are quoted in ours), never prompting."""
    env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0")
    try:
        return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, input=stdin,
                              capture_output=True, env=env, check=False, timeout=120)
    except FileNotFoundError:
        raise ContentError(Finding(str(cwd), None, "git is not installed: clearfacts reads old revisions "
                                                   "of the content with git")) from None


def _first_line(stderr: bytes) -> str:
    lines = stderr.decode(errors="replace").strip().splitlines()
    return lines[0] if lines else "no message"
