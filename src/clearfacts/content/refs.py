"""The one place that finds and resolves fact references in prose.

`{trial.patients}` becomes the fact's display form, `{trial.msc_rate:frequency}` its natural
frequency ("about 1 in 10"), `{count:red_flags}` the length of that list,
`{{`/`}}` a literal brace. Whatever is left is checked for typed statistics. Every problem is
collected as a finding with its `file:line` and rule id (see `rules.py`, which decides its
severity later), so one run reports them all.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from clearfacts.content.yaml_reader import Str
from clearfacts.errors import Finding
from clearfacts.figures import find_statistics
from clearfacts.frequencies import SUFFIX, typed_frequencies
from clearfacts.model import Fact, Loc, Text
from clearfacts.numbers import ENGLISH, NumberFormat

REF = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


class Resolver:
    """Resolves prose against the registry and remembers which facts were used."""

    def __init__(self, facts: Mapping[str, Fact], counts: Mapping[str, int], findings: list[Finding],
                 numbers: NumberFormat = ENGLISH):
        """`numbers` is how the prose's language writes numbers, for the statistic rule."""
        self.facts = facts
        self.counts = counts
        self.findings = findings
        self.numbers = numbers
        self.used: set[str] = set()

    def text(self, raw: Str, shown: str) -> Text:
        shown = raw.origin or shown  # a text borrowed from another file is named where it is
        ids: list[str] = []
        stripped: list[str] = []

        def substitute(m: re.Match) -> str:
            token = m.group(0)
            if token in ("{{", "}}"):
                stripped.append(token[0])
                return token[0]
            name = m.group(1).strip()
            stripped.append(" ")
            if name.startswith("count:"):
                list_name = name[len("count:"):].strip()
                if list_name in self.counts:
                    return str(self.counts[list_name])
                self._unknown(raw, shown, f"unknown list '{list_name}' in {{count:…}}", list_name, self.counts,
                              "unknown-list")
                return token
            if name.endswith(SUFFIX) and name[:-len(SUFFIX)].strip() in self.facts:
                return self._frequency(raw, shown, name[:-len(SUFFIX)].strip(), ids) or token
            if name in self.facts:
                ids.append(name)
                self.used.add(name)
                return self.facts[name].display
            self._unknown(raw, shown, f"unknown fact '{name}'", name, self.facts, "unknown-fact")
            return token

        parts = []
        last = 0
        for m in REF.finditer(raw):
            parts.append(raw[last:m.start()])
            stripped.append(raw[last:m.start()])
            parts.append(substitute(m))
            last = m.end()
        parts.append(raw[last:])
        stripped.append(raw[last:])
        resolved = "".join(parts)
        leftover = REF.sub("", raw)
        if "{" in leftover or "}" in leftover:
            self.findings.append(
                Finding(shown, raw.line, "unmatched brace in a fact reference (write {{ or }} for a literal brace)",
                        rule="unmatched-brace")
            )
        for typed, fact in find_statistics("".join(stripped), self.facts, self.numbers):
            hint = f"; it resembles {{{fact.id}}} ({fact.display})" if fact else ""
            self.findings.append(
                Finding(shown, raw.line, f"statistic '{typed}' typed into prose: use a fact reference{hint}",
                        fact.id if fact else None, rule="statistic-in-prose")
            )
        for typed, fact in typed_frequencies("".join(stripped), self.facts):
            self.findings.append(
                Finding(shown, raw.line, f"statistic '{typed}' typed into prose: use a fact reference; it is "
                                         f"{{{fact.id}{SUFFIX}}} ({fact.frequency_form})", fact.id,
                        rule="statistic-in-prose")
            )
        return Text(" ".join(resolved.split()), tuple(dict.fromkeys(ids)), Loc(shown, raw.line))

    def _frequency(self, raw: Str, shown: str, fid: str, ids: list[str]) -> str:
        """`{fact.id:frequency}`: the fact's natural frequency ("about 1 in 10"); "" (and a
        finding) when facts.yaml gives the fact no `frequency`."""
        fact = self.facts[fid]
        if not fact.frequency_form:
            self.findings.append(Finding(shown, raw.line, f"fact '{fid}' has no natural frequency: add frequency: "
                                                          "\"10\" to it in facts.yaml", fid, rule="schema"))
            return ""
        ids.append(fid)
        self.used.add(fid)
        return fact.frequency_form

    def _unknown(self, raw: Str, shown: str, message: str, name: str, known: Mapping, rule: str) -> None:
        close = difflib.get_close_matches(name, list(known), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        self.findings.append(Finding(shown, raw.line, message + hint, name, rule=rule))
