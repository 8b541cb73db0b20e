"""Read a whole content folder into one validated `ContentSet`, or fail with every finding."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from clearfacts.content.documents import library_counts, parse_document, parse_library
from clearfacts.content.facts import parse_facts
from clearfacts.content.refs import Resolver
from clearfacts.content.schema import parse_settings
from clearfacts.content.yaml_reader import Map, read_yaml
from clearfacts.errors import ContentError, Finding
from clearfacts.model import ContentSet, Settings

FILES = ("facts", "settings", "library", "handout", "booklet", "deck")
STALE_AFTER_DAYS = 3 * 365
_EXAMPLE = re.compile(r"example|555-01\d\d", re.IGNORECASE)


def shown_root(root: Path) -> str:
    """How the folder is named in messages: relative to the working directory when inside it."""
    relative = Path(os.path.relpath(root)).as_posix()
    return root.as_posix() if relative.startswith("..") else relative


def load_content(root: Path) -> ContentSet:
    """Everything a build needs, or a `ContentError` listing every problem found."""
    name = shown_root(root)
    if not root.is_dir():
        raise ContentError(Finding(name, None, "content folder not found (give one with --content DIR)"))
    nodes: dict[str, Map] = {}
    findings: list[Finding] = []
    for stem in FILES:
        try:
            nodes[stem] = read_yaml(root / f"{stem}.yaml", f"{name}/{stem}.yaml")
        except ContentError as exc:
            findings.extend(exc.findings)
    if findings:
        raise ContentError(findings)
    shown = {stem: f"{name}/{stem}.yaml" for stem in FILES}
    facts = parse_facts(nodes["facts"], shown["facts"], findings)
    settings = parse_settings(nodes["settings"], shown["settings"], findings)
    _check_template(root, settings, shown["settings"], findings)
    resolver = Resolver(facts, library_counts(nodes["library"]), findings)
    lib = parse_library(nodes["library"], shown["library"], resolver, findings)
    docs = {kind: parse_document(nodes[kind], shown[kind], kind, lib, resolver, findings)
            for kind in ("handout", "booklet", "deck")}
    if findings:
        raise ContentError(findings)
    return ContentSet(facts, settings, lib.notices, docs["handout"], docs["booklet"], docs["deck"],
                      root=name, used=frozenset(resolver.used))


def content_warnings(content: ContentSet, today: dt.date) -> list[Finding]:
    """Things a reviewer should fix that do not stop a build (errors with --strict)."""
    out = []
    for fact in content.facts.values():
        if fact.id not in content.used:
            out.append(Finding(fact.loc.path, fact.loc.line, f"fact '{fact.id}' is not used by any output",
                               fact.id, "warning"))
        if (today - fact.reviewed).days > STALE_AFTER_DAYS:
            out.append(Finding(fact.loc.path, fact.loc.line,
                               f"fact '{fact.id}' was last reviewed {fact.reviewed}, over 3 years ago",
                               fact.id, "warning"))
    s = content.settings
    lines = dict(s.lines)
    for field, value in _settings_values(s):
        if _EXAMPLE.search(value):
            out.append(Finding(s.loc.path, lines.get(field), f"'{field}' still holds an example value: '{value}'",
                               severity="warning"))
    return out


def _settings_values(s: Settings) -> list[tuple[str, str]]:
    pairs = [(f"organisation.{k}", v) for k, v in vars(s.organisation).items()]
    return pairs + [(f"meeting.{k}", v) for k, v in vars(s.meeting).items()]


def _check_template(root: Path, settings: Settings, shown: str, findings: list[Finding]) -> None:
    if not settings.template:
        return
    path = (root / settings.template).resolve()
    if not path.is_relative_to(root.resolve()):
        message = f"template '{settings.template}' leads outside the content folder"
    elif not path.is_file():
        message = f"template '{settings.template}' not found in the content folder"
    else:
        return
    findings.append(Finding(shown, dict(settings.lines).get("template", settings.loc.line), message))
