"""The few error types. Each carries a location and a one-line message; `cli.py` formats them
once and maps them to exit codes, so nothing below the CLI prints or exits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One problem at one place: `content/faq.yaml:42: unknown fact 'cost.rnge'`."""

    path: str
    line: int | None
    message: str
    fact: str | None = None
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        separator = " " if self.message.startswith("is ") else ": "  # "slides/x.pptx is stale: …"
        return f"{where}{separator}{prefix}{self.message}"


class ClearfactsError(Exception):
    """Base error; `exit_code` is what the CLI returns for it."""

    exit_code = 2

    def __init__(self, findings: list[Finding] | Finding):
        self.findings = findings if isinstance(findings, list) else [findings]
        super().__init__("\n".join(str(f) for f in self.findings))


class ContentError(ClearfactsError):
    """The input cannot be built: bad YAML, bad schema, unknown fact, content that does not fit."""

    exit_code = 2


class CheckFailed(ClearfactsError):
    """A built output is missing a fact, shows an altered one, or is stale."""

    exit_code = 1


def content_error(path: str, line: int | None, message: str, fact: str | None = None) -> ContentError:
    return ContentError(Finding(path, line, message, fact))
