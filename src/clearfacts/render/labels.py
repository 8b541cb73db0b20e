"""The words the renderers add by themselves ("Reviewed:", "Contents", "Contact us", a QR code's
alternative text, "(2 of 2)" on a follow-on slide, the web pages' skip links), one table per
language in `labels/<language>.yaml`, all with the same keys.

A renderer takes the language from `content.settings.language` ("es-US" → labels/es.yaml), so
the Spanish edition's outputs carry no English word the content did not write. These tables are
our own files, shipped in the package: they are read once with PyYAML's safe loader, never
through the content loader, and a missing key is a bug (KeyError), not a content error. A
language without a table stops the build naming settings.yaml's line (exit 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from msgspec import Struct

from clearfacts.errors import ContentError, Finding
from clearfacts.locales import language_of
from clearfacts.model import ContentSet

LABEL_DIR = Path(__file__).resolve().parent / "labels"


def available() -> tuple[str, ...]:
    """The languages with a table: "en", "es"."""
    return tuple(sorted(p.stem for p in LABEL_DIR.glob("*.yaml")))


@cache
def table(language: str) -> Mapping[str, str]:
    """One language's labels ("es" or "es-US"); FileNotFoundError when it has none."""
    import yaml

    loaded = yaml.load((LABEL_DIR / f"{language_of(language)}.yaml").read_text(encoding="utf-8"),
                       Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return MappingProxyType({str(key): str(value) for key, value in loaded.items()})


class Labels(Struct, frozen=True):
    """One language's labels: `labels("reviewed", date="20 de noviembre de 2026")`."""

    language: str
    words: Mapping[str, str]

    def __call__(self, key: str, **fields: object) -> str:
        return self.words[key].format(**fields)


def labels_in(language: str) -> Labels:
    """The labels of a language already checked by `labels_for` (a renderer's inner parts)."""
    return Labels(language, table(language))


def labels_for(content: ContentSet) -> Labels:
    """The labels in the content's language, or a ContentError naming settings.yaml's line."""
    language = content.settings.language
    try:
        return labels_in(language)
    except FileNotFoundError:
        settings = content.settings
        lines = dict(settings.lines)
        line = lines.get("languages", lines.get("language", settings.loc.line))
        message = (f"the outputs have no labels in '{language}' (\"Reviewed:\", \"Contents\"…): "
                   f"write them in render/labels/{language_of(language)}.yaml, or use one of: {', '.join(available())}")
        raise ContentError(Finding(settings.loc.path, line, message)) from None
