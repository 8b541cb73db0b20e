"""Read a whole content folder into one validated `ContentSet`, or fail with every finding."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from clearfacts.content.documents import library_counts, parse_document, parse_library
from clearfacts.content.facts import parse_facts
from clearfacts.content.refs import Resolver
from clearfacts.content.rules import Loaded, Rulebook
from clearfacts.content.schema import parse_rule_overrides, parse_settings
from clearfacts.content.yaml_reader import Map, read_yaml
from clearfacts.errors import ContentError, Finding
from clearfacts.model import ContentSet, Settings

FILES = ("facts", "settings", "library", "handout", "booklet", "deck")


def shown_root(root: Path) -> str:
    """How the folder is named in messages: relative to the working directory when inside it."""
    relative = Path(os.path.relpath(root)).as_posix()
    return root.as_posix() if relative.startswith("..") else relative


def load_content(root: Path, today: dt.date | None = None) -> ContentSet:
    """Everything a build needs, or a `ContentError` listing every error found. Each finding
    takes its severity from the rules (`rules.py`, changed by settings.yaml): errors stop the
    load, warnings ride along on the result for `content_warnings`."""
    name = shown_root(root)
    if not root.is_dir():
        raise ContentError(Finding(name, None, "content folder not found (give one with --content DIR)",
                                   rule="yaml"))
    nodes: dict[str, Map] = {}
    findings: list[Finding] = []
    for stem in FILES:
        try:
            nodes[stem] = read_yaml(root / f"{stem}.yaml", f"{name}/{stem}.yaml", within=root)
        except ContentError as exc:
            findings.extend(exc.findings)
    if findings:
        raise ContentError(findings)
    shown = {stem: f"{name}/{stem}.yaml" for stem in FILES}
    facts = parse_facts(nodes["facts"], shown["facts"], findings)
    settings = parse_settings(nodes["settings"], shown["settings"], findings)
    overrides = parse_rule_overrides(nodes["settings"], shown["settings"], findings)
    _check_template(root, settings, shown["settings"], findings)
    resolver = Resolver(facts, library_counts(nodes["library"]), findings)
    lib = parse_library(nodes["library"], shown["library"], resolver, findings)
    docs = {kind: parse_document(nodes[kind], shown[kind], kind, lib, resolver, findings)
            for kind in ("handout", "booklet", "deck")}
    book = Rulebook(overrides)
    found = book.apply(findings)
    _raise_errors(found)
    content = Loaded(facts, settings, lib.notices, docs["handout"], docs["booklet"], docs["deck"],
                     root=name, used=frozenset(resolver.used), rules=overrides, warnings=tuple(found))
    _raise_errors(book.run(content, today or dt.date.today(), "error"))
    return content


def content_warnings(content: ContentSet, today: dt.date) -> list[Finding]:
    """Things a reviewer should fix that do not stop a build (errors with --strict): those found
    while loading, then the model rules whose severity is "warning"."""
    if not isinstance(content, Loaded):  # a model made by hand: the default severities
        return Rulebook().run(content, today, "warning")
    return list(content.warnings) + Rulebook(content.rules).run(content, today, "warning")


def _raise_errors(findings: list[Finding]) -> None:
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise ContentError(errors)


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
    findings.append(Finding(shown, dict(settings.lines).get("template", settings.loc.line), message, rule="schema"))
