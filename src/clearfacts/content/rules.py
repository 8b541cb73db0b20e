"""The content rules as one ordered list, and the one place their severities are decided.

Like markdown-it-py's rule chains, each rule is a named entry: an id that every finding carries,
a default severity and a one-line description (`clearfacts check --list-rules` prints them).
Rules that check resolved content run as functions over the loaded model (`checks.py`); rules
that can only fire while a file is read or prose is resolved say where they run, and their
findings carry the same ids. `settings.yaml` may change a rule's severity (`rules:
{list-length: error}`), except for fixed rules: without them the content cannot be built at all.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable

from msgspec import Struct
from msgspec.structs import replace

from clearfacts.content import checks
from clearfacts.errors import Finding
from clearfacts.model import ContentSet

SEVERITIES = ("error", "warning", "off")
Check = Callable[[ContentSet, dt.date], Iterable[Finding]]


class Rule(Struct, frozen=True):
    """One content rule. Exactly one of `check` (a function over the loaded model) and `where`
    (the module that applies it while reading or resolving) is set."""

    id: str
    severity: str  # the default: "error" or "warning"
    description: str
    check: Check | None = None
    where: str = ""
    fixed: bool = False  # settings.yaml cannot change it


_LAYOUT = "verify/layout_rules.py, as each output is read back"

RULES: tuple[Rule, ...] = (
    Rule("yaml", "error", "each file is UTF-8 YAML under 256 KiB: no anchors, aliases, tags or duplicate keys, "
         "no control characters or U+FFFF (typed or written as escapes such as \"\\e\")",
         where="content/yaml_reader.py", fixed=True),
    Rule("invisible-character", "error", "no bidirectional controls or invisible format characters (zero-width "
         "space, U+202E), typed or written as escapes; soft hyphens are allowed",
         where="content/yaml_reader.py", fixed=True),
    Rule("schema", "error", "only known keys, each value of its type (text, list, date, URL), names that exist",
         where="content/schema.py, documents.py, facts.py", fixed=True),
    Rule("fact-display", "error", "a fact's display form shows its value (the check looks for it in outputs)",
         where="content/facts.py", fixed=True),
    Rule("unknown-fact", "error", "a {fact.id} reference or chart fact names a fact in facts.yaml",
         where="content/refs.py, documents.py", fixed=True),
    Rule("unknown-list", "error", "a {count:NAME} reference names a list, terms, table or 'faqs' in library.yaml",
         where="content/refs.py", fixed=True),
    Rule("unmatched-brace", "error", "each { or } in prose belongs to a reference (write {{ or }} for a brace)",
         where="content/refs.py", fixed=True),
    Rule("statistic-in-prose", "error", "no statistic typed into prose (48%, $5000, 10.3, 97 patients, a fact's "
         "'5 in 10'): use a fact reference", where="content/refs.py"),
    Rule("translation-missing", "error", "every block, list item, FAQ, slide and note of the content's own files "
         "is in each other language's files (content/es/…), and a fact whose display has words has that "
         "language's wording in facts.yaml", where="content/translations.py, languages.py", fixed=True),
    Rule("translation-fallback", "warning", "with --allow-fallback, what a translation lacks shows the English "
         "text (the same items as translation-missing)", where="content/translations.py, languages.py"),
    Rule("claim-contradicted", "error", "no text says what a claim fact lists under 'contradicted_by' "
         "(\"is FDA-approved for\")", checks.claim_contradicted, fixed=True),
    Rule("list-length", "warning", f"a list in the handout or booklet has at most {checks.MAX_LIST} items",
         checks.list_length),
    Rule("slide-bullets", "warning", f"a list on a slide has at most {checks.MAX_SLIDE_BULLETS} bullets",
         checks.slide_bullets),
    Rule("slide-continued", "warning", "a slide's body fits the template's body area (else it goes on over "
         "follow-on slides titled '(2 of 2)')", where="verify/expect.py, after the deck is laid out"),
    Rule("slide-title", "error", "every slide has a title", checks.slide_title),
    Rule("unique-slide-titles", "error", "no two slides share a title (the outline and screen readers list them)",
         checks.unique_slide_titles),
    Rule("unused-fact", "warning", "every fact in facts.yaml is used by some output", checks.unused_fact),
    Rule("review-age", "warning", "every fact was reviewed in the last 3 years", checks.review_age),
    Rule("review-date-unchanged", "error", "a fact whose value changed (clearfacts diff) has a later 'reviewed' "
         "date: a changed number is checked against its source again", where="review/changes.py, by clearfacts diff"),
    Rule("example-values", "warning", "settings.yaml holds no example values ('Example', 555-01xx numbers)",
         checks.example_values),
    Rule("next-meeting-elsewhere", "warning", "an edition that sets its own meeting place or group also sets its "
         "own next meeting (or none), so its closing slide never announces another group's",
         checks.next_meeting_elsewhere),
    # Layout, measured on the built files as they are read back.
    Rule("text-size", "warning", "no text under the output's floor: handout and booklet 12 pt (running heads, "
         "folios and the footer 10 pt), large print 18 pt (its footer 14 pt), slides 24 pt (tables 20 pt, "
         "slide numbers and footers 12 pt)", where=_LAYOUT),
    Rule("line-length", "warning", "no printed line of running text in the handouts or booklet is longer than "
         "75 characters", where=_LAYOUT),
    Rule("qr-size", "warning", "the QR codes of one output print at one size (within 0.5 pt), on paper at least "
         "2 cm across", where=_LAYOUT),
    Rule("link-broken", "warning", "a link's text that runs over two lines breaks between words, after a "
         "slash or before a hyphen; never inside a word, and no line ends with a hyphen", where=_LAYOUT),
    Rule("page-space", "warning", "no page of the handouts or booklet is more than 25% empty, except before a "
         "new part, the last page, covers and blank pages that pad the booklet", where=_LAYOUT),
)
BY_ID = {rule.id: rule for rule in RULES}


def override_problem(rule_id: str, severity: str) -> str | None:
    """Why `rules: {rule_id: severity}` in settings.yaml cannot be honoured, or None if it can."""
    rule = BY_ID.get(rule_id)
    if rule is None:
        return f"unknown rule '{rule_id}' in 'rules'{_hint(rule_id, BY_ID, 'clearfacts check --list-rules')}"
    if severity not in SEVERITIES:
        return (f"rule '{rule_id}' must be \"error\", \"warning\" or \"off\", not '{severity}'"
                f"{_hint(severity, SEVERITIES, '')}")
    if rule.fixed and severity != rule.severity:
        return f"rule '{rule_id}' is fixed at {rule.severity}: content that breaks it cannot be built"
    return None


class Rulebook:
    """Each rule's severity for one content set: the defaults with settings.yaml's changes.

    The only place a finding's severity is set from its rule, so the severity printed, the exit
    code and `--list-rules` can never disagree.
    """

    def __init__(self, overrides: Iterable[tuple[str, str]] = ()):
        self.severity = {rule.id: rule.severity for rule in RULES}
        for rule_id, severity in overrides:
            if override_problem(rule_id, severity) is None:
                self.severity[rule_id] = severity

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings with their rule's severity; those of rules turned off are dropped.
        A finding naming an unknown rule is a bug here, so it raises KeyError."""
        out = []
        for finding in findings:
            severity = self.severity[finding.rule] if finding.rule else finding.severity
            if severity != "off":
                out.append(finding if severity == finding.severity else replace(finding, severity=severity))
        return out

    def run(self, content: ContentSet, today: dt.date, severity: str) -> list[Finding]:
        """Run the model rules whose severity is `severity`: errors while loading, warnings after,
        so each rule runs once per command."""
        found: list[Finding] = []
        for rule in RULES:
            if rule.check is not None and self.severity[rule.id] == severity:
                found.extend(rule.check(content, today))
        return self.apply(found)


class Loaded(ContentSet, frozen=True):
    """A content set as the loader returns it, with what its rules need later: the severities
    settings.yaml changed, and the warnings found while reading (a typed statistic whose rule a
    clinic made a warning cannot be found again in the resolved model). Neither is part of any
    output, so neither is in the build stamps, which hash the settings, facts and documents."""

    rules: tuple[tuple[str, str], ...] = ()  # ("list-length", "error")
    warnings: tuple[Finding, ...] = ()


def rule_lines() -> list[str]:
    """One line per rule for `--list-rules`: id, default severity, description."""
    width = max(len(rule.id) for rule in RULES)
    return [f"{rule.id:<{width}}  {rule.severity + (' (fixed)' if rule.fixed else ''):<15}  {rule.description}"
            for rule in RULES]


def _hint(typed: str, known: Iterable[str], otherwise: str) -> str:
    close = difflib.get_close_matches(typed, list(known), n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (see {otherwise})" if otherwise else ""
