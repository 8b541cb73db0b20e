"""The content in each other language that settings.yaml's `languages` lists.

One registry serves every language: values, sources and review dates are language-free. A fact's
display in another language is made by CLDR from its value and unit (`locales.display`), unless
facts.yaml gives that language's wording under `translations`; a display with words in it
("97 patients") has no CLDR form, so its wording must be given (rule `translation-missing`,
naming the fact's line and the language). The prose is in content/<language>/ (content/es/ for
es-US and es-ES alike), checked item by item against the English files (`translations.py`) and
resolved against that language's facts, with numbers read as that language writes them.

Each language becomes a whole `ContentSet` of its own whose facts carry that language's display
and contradicted_by in their usual fields, so every renderer and check works on it unchanged.
"""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct
from msgspec.structs import replace

from clearfacts.content.documents import Library, library_counts, parse_document, parse_library
from clearfacts.content.facts import Registry, Wording
from clearfacts.content.refs import Resolver
from clearfacts.content.translations import Translation, borrow, merge
from clearfacts.content.yaml_reader import Map, read_yaml
from clearfacts.errors import ContentError, Finding
from clearfacts.frequencies import with_form
from clearfacts.locales import display, language_of, number_format
from clearfacts.model import Document, Fact
from clearfacts.numbers import BadValue, display_problem, parse_value

PROSE = ("library", "handout", "booklet", "deck")  # the files a language translates


class Prose(Struct, frozen=True):
    """One language's prose, parsed: the library's notices, the three documents, the facts it used."""

    facts: dict[str, Fact]
    library: Library
    documents: dict[str, Document]
    used: frozenset[str]


def localised_facts(registry: Registry, language: str, shown: str, fallback: bool,
                    findings: list[Finding]) -> dict[str, Fact]:
    """The registry's facts with `language`'s wording: given under `translations` (for the tag,
    else for its language, "es"), else made by CLDR; a display with words and no wording given is
    a finding at the fact's line (with `fallback`, a warning, and the English display stays)."""
    out = {}
    for fid, fact in registry.facts.items():
        wording = _wording(registry.wording.get(fid, {}), language)
        title = _wording(registry.titles.get(registry.sources.get(fid, ""), {}), language).title
        source = replace(fact.source, title=str(title)) if title else fact.source
        shown_form = _display(fact, wording, language, shown, fallback, findings)
        # The English negations stay: said in a translated output, they are as wrong there.
        said = tuple(dict.fromkeys([*fact.contradicted_by, *map(str, wording.contradicted_by or ())]))
        out[fid] = with_form(replace(fact, display=shown_form, unit=str(wording.unit or fact.unit),
                                                 contradicted_by=said, source=source), language)
    return out


def _wording(by_tag: dict[str, Wording], language: str) -> Wording:
    return by_tag.get(language) or by_tag.get(language_of(language)) or Wording(0)


def _display(fact: Fact, wording: Wording, language: str, shown: str, fallback: bool,
             findings: list[Finding]) -> str:
    try:
        value = parse_value(fact.value)
    except BadValue:
        return fact.display  # facts.py has reported it
    given = wording.display
    if given is not None:
        problem = "it is empty" if not given.strip() else display_problem(value, given, number_format(language))
        if problem:
            findings.append(Finding(shown, given.line, f"the {language} display '{given}' of fact '{fact.id}' does "
                                    f"not show its value '{fact.value}': {problem}", fact.id, rule="fact-display"))
        return str(given)
    made = display(value, fact.unit, fact.display, language)
    if made is not None:
        return made
    words = f"its display '{fact.display}' has words, which only a translator can carry over"
    if fallback:
        findings.append(Finding(shown, fact.loc.line, f"fact '{fact.id}' has no {language} display ({words}): the "
                                f"{language} edition shows the English one", fact.id, rule="translation-fallback"))
    else:
        findings.append(Finding(shown, fact.loc.line, f"fact '{fact.id}' has no {language} display: {words}; add "
                                f"translations: {{{language}: {{display: \"…\"}}}} to it", fact.id,
                                rule="translation-missing"))
    return fact.display


def load_prose(root: Path, name: str, english: dict[str, Map], facts: dict[str, Fact], language: str,
               fallback: bool, findings: list[Finding]) -> Prose:
    """`language`'s prose from content/<language>/, each file merged with its English one (see
    `translations.merge`), resolved against `facts`, numbers read as `language` writes them."""
    folder = language_of(language)
    merged: dict[str, Map] = {}
    for stem in PROSE:
        t = Translation(f"{name}/{stem}.yaml", f"{name}/{folder}/{stem}.yaml", language, fallback)
        path = root / folder / f"{stem}.yaml"
        if not path.exists() and not path.is_symlink():
            merged[stem] = merge(english[stem], None, t, findings)
            continue
        try:
            merged[stem] = merge(english[stem], read_yaml(path, t.translated, within=root), t, findings)
        except ContentError as exc:  # unreadable: its own findings say why; parse the English meanwhile
            findings.extend(exc.findings)
            merged[stem] = borrow(english[stem], t.english)  # type: ignore[assignment]
    shown = {stem: f"{name}/{folder}/{stem}.yaml" for stem in PROSE}
    resolver = Resolver(facts, library_counts(merged["library"]), findings, number_format(language))
    lib = parse_library(merged["library"], shown["library"], resolver, findings)
    docs = {kind: parse_document(merged[kind], shown[kind], kind, lib, resolver, findings)
            for kind in ("handout", "booklet", "deck")}
    return Prose(facts, lib, docs, frozenset(resolver.used))
