"""The few error types. Each carries a location and a one-line message; `cli.py` formats them
once and maps them to exit codes, so nothing below the CLI prints or exits."""

from __future__ import annotations

import unicodedata

from msgspec import Struct
from msgspec.structs import force_setattr


class Finding(Struct, frozen=True):
    """One problem at one place: `content/faq.yaml:42: unknown fact 'cost.rnge' [unknown-fact]`.

    `rule` is the id of the content rule that found it (see `clearfacts check --list-rules`), so a
    reader can look the rule up or change its severity in settings.yaml; output checks have none.
    """

    path: str
    line: int | None
    message: str
    fact: str | None = None
    severity: str = "error"  # "error" | "warning"
    rule: str | None = None

    def __post_init__(self) -> None:
        # Messages quote what people typed: keep them one line and free of terminal escapes.
        force_setattr(self, "path", one_line(self.path))
        force_setattr(self, "message", one_line(self.message))

    def as_json(self) -> dict[str, object]:
        """The shape every JSON report uses (`check --format json`, `diff --format json`)."""
        return {"file": self.path, "line": self.line, "message": self.message, "fact": self.fact,
                "severity": self.severity, "rule": self.rule}

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        separator = " " if self.message.startswith("is ") else ": "  # "slides/x.pptx is stale: …"
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{where}{separator}{prefix}{self.message}{rule}"


def one_line(text: str) -> str:
    """Control characters and line breaks shown as escapes (\\n, \\x1b, \\u2028), never acted on."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch == " " or unicodedata.category(ch)[0] not in "CZ" or unicodedata.category(ch) == "Zs"
        else ascii(ch)[1:-1] for ch in text
    )


class ClearfactsError(Exception):
    """Base error; `exit_code` is what the CLI returns for it."""

    exit_code = 2

    def __init__(self, findings: list[Finding] | Finding):
        self.findings = findings if isinstance(findings, list) else [findings]
        super().__init__("\n".join(str(f) for f in self.findings))

    def __reduce__(self) -> tuple[type, tuple[list[Finding]]]:
        """Picklable with its findings, so an error raised in a worker process arrives whole."""
        return (type(self), (self.findings,))


class ContentError(ClearfactsError):
    """The input cannot be built: bad YAML, bad schema, unknown fact, content that does not fit."""

    exit_code = 2


class CheckFailed(ClearfactsError):
    """A built output is missing a fact, shows an altered one, or is stale."""

    exit_code = 1


def content_error(path: str, line: int | None, message: str, fact: str | None = None) -> ContentError:
    return ContentError(Finding(path, line, message, fact))
