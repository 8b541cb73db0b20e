"""A strict YAML reader that keeps a line number on every value.

PyYAML's own constructors would turn `1.10` into 1.1 and `NO` into False, and forget where each
value came from. We compose the node tree with the safe loader and build our own values:
every scalar stays the exact text that was typed (a `Str` with its line), mappings reject
duplicate keys, and anchors/aliases are refused before anything is expanded (billion laughs).

Invisible format characters are refused before parsing, anywhere in the file (comments too):
a right-to-left override makes "\u202e%84\u202c" show as "48%", and a zero-width space splits a
figure so no check sees it (rule `invisible-character`). The soft hyphen (U+00AD) stays allowed:
it is a line-break hint the renderers and the read-back already handle, and shows as "-" when it
breaks. A byte-order mark is allowed only as the file's first character.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

import yaml

from clearfacts.errors import ContentError, Finding
from clearfacts.numbers import BIDI_CONTROLS, INVISIBLE, SOFT_HYPHEN

MAX_BYTES = 256 * 1024
MAX_DEPTH = 40
_NULLS = {"", "~", "null", "Null", "NULL"}
MAX_INVISIBLE_LINES = 10  # lines reported per file; the rest are counted
# What PyYAML refuses when typed (control characters, U+FFFE and U+FFFF), and the carriage return
# and next line, which a typed file turns into line breaks: none of these may come from an escape.
_UNPRINTABLE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Str(str):
    """A scalar as typed, with its 1-based line. `origin` names another file it was taken from
    (a translation missing a text borrows the English one: messages must name where it is)."""

    line: int
    origin: str | None = None

    def __new__(cls, value: str, line: int) -> Str:
        obj = super().__new__(cls, value)
        obj.line = line
        return obj


class Map(dict):
    """A mapping with its own line and the line of each key."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class Seq(list):
    """A sequence with its own line."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line


# libyaml's parser when present (about ten times faster); the pure-Python one otherwise.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_anchors(text: str) -> None:
    """Scan the event stream first, so an alias bomb is refused before any node is built. An
    anchor is written with "&" and an alias with "*": a file with neither has none to find."""
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (&, *) are not allowed", problem_mark=event.start_mark
            )


def read_yaml(path: Path, shown: str, within: Path | None = None) -> Map:
    """Read one content file; `shown` is the name used in messages (`content/facts.yaml`). With
    `within` (the content folder), a file that is a link leading out of that folder is refused
    before it is opened: its target's lines must never reach a message."""
    if within is None:
        raw = _read_regular_file(path, shown)
    else:
        raw = _read_regular_file(_inside(path, shown, within), shown, getattr(os, "O_NOFOLLOW", 0))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise _refused(shown, line, "file is not UTF-8 text (save it as UTF-8)") from None
    _refuse_invisible(text, shown)
    try:
        _refuse_anchors(text)
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = (exc.problem or exc.context or "syntax error").strip()
        raise _refused(shown, line, f"invalid YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else 1
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        raise _refused(shown, line, f"invalid YAML: character U+{code:04X} is not allowed") from None
    except (yaml.YAMLError, RecursionError):
        raise _refused(shown, 1, "invalid YAML: cannot be parsed") from None
    if node is None:
        raise _refused(shown, 1, "file is empty")
    escaped: list[Finding] = []
    value = _build(node, shown, 0, escaped)
    if escaped:
        raise ContentError(_capped(escaped, "{} more strings with such escapes"))
    if not isinstance(value, Map):
        raise _refused(shown, node.start_mark.line + 1, "expected a mapping of keys")
    return value


def _refuse_invisible(text: str, shown: str) -> None:
    """Every line holding a bidirectional control or another invisible format character (Unicode
    category Cf), as findings of the fixed `invisible-character` rule."""
    by_line: dict[int, list[str]] = {}
    line, counted = 1, 0
    for m in INVISIBLE.finditer(text):
        ch = m.group(0)
        if ch == SOFT_HYPHEN or (ch == "\ufeff" and m.start() == 0):
            continue
        line += text.count("\n", counted, m.start())
        counted = m.start()
        found = by_line.setdefault(line, [])
        if ch not in found:
            found.append(ch)
    if not by_line:
        return
    raise ContentError(_capped([Finding(shown, line, _invisible_message(chars), rule="invisible-character")
                                for line, chars in by_line.items()], "invisible characters on {} more lines"))


def _capped(findings: list[Finding], rest: str) -> list[Finding]:
    """The first MAX_INVISIBLE_LINES findings, and the others counted in one (`rest` names them,
    "{}" their number), at the first of them: a file full of them does not fill the screen."""
    if len(findings) <= MAX_INVISIBLE_LINES:
        return findings
    first, more = findings[:MAX_INVISIBLE_LINES], findings[MAX_INVISIBLE_LINES:]
    return [*first, Finding(more[0].path, more[0].line, rest.format(len(more)) + " (first shown)", rule=more[0].rule)]


def _escaped_problem(value: str, shown: str, line: int) -> Finding | None:
    """A double-quoted scalar's escapes ("\\u202e", "\\e", "\\x07", "\\0") can make characters the
    file itself may not hold: PyYAML refuses a typed control character, and `_refuse_invisible`
    a typed format character. Written as escapes, they would reach the outputs, where a control
    character or U+FFFF breaks the deck's XML and a bidirectional control reorders a figure; so
    they are refused at the scalar's line the same way (tab and line break stay allowed)."""
    invisible = list(dict.fromkeys(ch for ch in INVISIBLE.findall(value) if ch != SOFT_HYPHEN))
    if invisible:
        return Finding(shown, line, _invisible_message(invisible), rule="invisible-character")
    controls = list(dict.fromkeys(_UNPRINTABLE.findall(value)))
    if controls:
        names = ", ".join(f"U+{ord(ch):04X}" for ch in controls[:3])
        return Finding(shown, line, f"unprintable character {names}, written as an escape (such as \"\\e\" or "
                                    f"\"\\x07\"): no font draws it and it breaks the outputs; delete it", rule="yaml")
    return None


def _invisible_message(chars: list[str]) -> str:
    names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'FORMAT CHARACTER')}" for ch in chars[:3])
    names += f" and {len(chars) - 3} more" if len(chars) > 3 else ""
    if any(ch in BIDI_CONTROLS for ch in chars):
        why = "a bidirectional control reorders what readers see (\"%84\" can show as \"48%\")"
    else:
        why = "an invisible character hides inside words and figures"
    return f"invisible character {names}: {why}; delete it"


def _refused(shown: str, line: int | None, message: str) -> ContentError:
    """A file that cannot be read as content: the fixed `yaml` rule, whatever the settings say."""
    return ContentError(Finding(shown, line, message, rule="yaml"))


def _inside(path: Path, shown: str, within: Path) -> Path:
    """The file a content path leads to, when it stays in the content folder: a symlink may point
    at another file of the set, never at `/etc/hostname` or a sibling project. The resolved path
    is what gets opened (without following a link swapped in meanwhile)."""
    try:
        target = path.resolve()
        inside = target.is_relative_to(within.resolve())
    except (OSError, RuntimeError):  # a link loop
        raise _refused(shown, None, "cannot read file: its links lead round in a loop") from None
    if not inside:
        raise _refused(shown, None, "is a link that leads outside the content folder; copy the file in instead")
    return target


def _read_regular_file(path: Path, shown: str, flags: int = 0) -> bytes:
    """At most MAX_BYTES of a regular file: a folder, device or pipe is refused, never read (a
    pipe is opened without waiting for a writer, then refused by its type)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | flags)
    except OSError as exc:
        raise _refused(shown, None, f"cannot read file: {exc.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise _refused(shown, None, "not a regular file (a folder, device or pipe cannot be content)")
    with os.fdopen(fd, "rb") as fh:
        if info.st_size > MAX_BYTES:
            raise _refused(shown, 1, f"file is {info.st_size:,} bytes; the limit is {MAX_BYTES:,} bytes")
        raw = fh.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise _refused(shown, 1, f"file is over the limit of {MAX_BYTES:,} bytes")
    return raw


def _build(node: yaml.Node, shown: str, depth: int, escaped: list[Finding]) -> Str | Map | Seq | None:
    """The node as Str, Map and Seq with their lines; what a double-quoted scalar's escapes made
    that the file could not hold as typed goes into `escaped` (see `_escaped_problem`)."""
    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise _refused(shown, line, f"nested more than {MAX_DEPTH} levels deep")
    if not node.tag.startswith("tag:yaml.org,2002:"):
        raise _refused(shown, line, f"YAML tag {node.tag!r} is not allowed")
    if isinstance(node, yaml.ScalarNode):
        if not node.style and node.value in _NULLS:  # libyaml gives plain scalars the style "", PyYAML None
            return None
        if node.style == '"' and (problem := _escaped_problem(node.value, shown, line)):
            escaped.append(problem)
        return Str(node.value, line)
    if isinstance(node, yaml.SequenceNode):
        seq = Seq(line)
        seq.extend(_build(item, shown, depth + 1, escaped) for item in node.value)
        return seq
    mapping = Map(line)
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise _refused(shown, key_line, "a key must be plain text")
        key = key_node.value
        if key in mapping:
            raise _refused(shown, key_line, f"duplicate key '{key}' (first at line {mapping.key_lines[key]})")
        mapping.key_lines[key] = key_line
        mapping[key] = _build(value_node, shown, depth + 1, escaped)
    return mapping
