"""Read a whole content folder into one validated `ContentSet`, or fail with every finding."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from msgspec.structs import replace

from clearfacts.content.documents import library_counts, parse_document, parse_library
from clearfacts.content.facts import Registry, parse_registry
from clearfacts.content.languages import Prose, load_prose, localised_facts
from clearfacts.content.refs import Resolver
from clearfacts.content.rules import Loaded, Rulebook
from clearfacts.content.schema import parse_languages, parse_rule_overrides, parse_settings
from clearfacts.content.yaml_reader import Map, read_yaml
from clearfacts.errors import ContentError, Finding
from clearfacts.model import ContentSet, Settings

FILES = ("facts", "settings", "library", "handout", "booklet", "deck")


def shown_root(root: Path) -> str:
    """How the folder is named in messages: relative to the working directory when inside it."""
    relative = Path(os.path.relpath(root)).as_posix()
    return root.as_posix() if relative.startswith("..") else relative


def load_content(root: Path, today: dt.date | None = None, *, allow_fallback: bool = False) -> ContentSet:
    """Everything a build needs, or a `ContentError` listing every error found. Each finding
    takes its severity from the rules (`rules.py`, changed by settings.yaml): errors stop the
    load, warnings ride along on the result for `content_warnings`.

    The result is the content in settings.yaml's `language`; with `languages`, each other one is
    loaded as well (`content.in_language("es-US")`) and its errors stop the load too. With
    `allow_fallback`, an item a translation lacks shows its English text instead, a warning."""
    name = shown_root(root)
    nodes = _read_files(root, name)
    findings: list[Finding] = []
    shown = {stem: f"{name}/{stem}.yaml" for stem in FILES}
    registry = parse_registry(nodes["facts"], shown["facts"], findings)
    facts = registry.facts
    settings = parse_settings(nodes["settings"], shown["settings"], findings)
    languages = parse_languages(nodes["settings"], shown["settings"], settings, findings)
    overrides = parse_rule_overrides(nodes["settings"], shown["settings"], findings)
    _check_template(root, settings, shown["settings"], findings)
    resolver = Resolver(facts, library_counts(nodes["library"]), findings)
    lib = parse_library(nodes["library"], shown["library"], resolver, findings)
    docs = {kind: parse_document(nodes[kind], shown[kind], kind, lib, resolver, findings)
            for kind in ("handout", "booklet", "deck")}
    book = Rulebook(overrides)
    found = book.apply(findings)
    prose = {language: _language(root, name, nodes, registry, language, allow_fallback, book)
             for language in languages[1:]}
    _raise_errors(found + [f for _, there in prose.values() for f in there])
    used = frozenset(resolver.used).union(*(p.used for p, _ in prose.values()))
    translations = {language: Loaded(p.facts, replace(settings, language=language), p.library.notices,
                                     p.documents["handout"], p.documents["booklet"], p.documents["deck"],
                                     root=name, used=used, rules=overrides, warnings=tuple(there))
                    for language, (p, there) in prose.items()}
    content = Loaded(facts, settings, lib.notices, docs["handout"], docs["booklet"], docs["deck"], root=name,
                     used=used, rules=overrides, warnings=tuple(found), translations=translations)
    day = today or dt.date.today()
    _raise_errors([f for one in content.languages for f in book.run(content.in_language(one), day, "error")])
    return content


def _read_files(root: Path, name: str) -> dict[str, Map]:
    """The six files of the content folder, or a ContentError naming each one that cannot be read."""
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
    return nodes


def _language(root: Path, name: str, nodes: dict[str, Map], registry: Registry, language: str, fallback: bool,
              book: Rulebook) -> tuple[Prose, list[Finding]]:
    """One other language's facts and prose, with what was found in them at their severities."""
    found: list[Finding] = []
    facts = localised_facts(registry, language, f"{name}/facts.yaml", fallback, found)
    prose = load_prose(root, name, nodes, facts, language, fallback, found)
    return prose, book.apply(found)


def content_warnings(content: ContentSet, today: dt.date) -> list[Finding]:
    """Things a reviewer should fix that do not stop a build (errors with --strict): those found
    while loading, then the model rules whose severity is "warning"; for every language of the
    content, each warning once (a fact's age is the same in every language)."""
    if not isinstance(content, Loaded):  # a model made by hand: the default severities
        return Rulebook().run(content, today, "warning")
    found: dict[Finding, None] = {}
    for one in (content, *content.translations.values()):
        if isinstance(one, Loaded):
            found.update(dict.fromkeys([*one.warnings, *Rulebook(one.rules).run(one, today, "warning")]))
    return list(found)


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
