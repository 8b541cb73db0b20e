"""What a content file may contain: a small field reader that collects every problem with its
line (unknown keys get a "did you mean" hint), plus the settings file. Its findings belong to
the fixed `schema` rule unless a caller names another."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import PurePosixPath

from clearfacts.content.rules import override_problem
from clearfacts.content.yaml_reader import Map, Seq, Str
from clearfacts.errors import Finding
from clearfacts.model import ORGANISATION_LIMITS, Loc, Meeting, NextMeeting, Organisation, Settings

_KIND = {Str: "text", Map: "a mapping", Seq: "a list", type(None): "empty"}
_CONTROL = r"\x00-\x1f\x7f-\x9f"  # a NUL or a line break inside an address breaks PDFs, slides and mail apps
URL = re.compile(rf"^(https?://[^\s<>\"'{_CONTROL}]+|mailto:[^\s<>\"'{_CONTROL}]+)$")
WEB_URL = re.compile(rf"^https?://[^\s<>\"'{_CONTROL}]+$")  # a website: a mail address opens no page
MAX_URL = 2000  # longer addresses are cut off by browsers, mail apps and QR readers: refused early
_EMAIL_PART = rf"[^\s@<>\"'():;,\\{_CONTROL}]+"
EMAIL = re.compile(rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$")
_PRINTED_WEBSITE = re.compile(r"^(?i:https?://)(?i:www\.)?")  # what render/urls.py's short_url leaves off
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|[0-9]{3}))?$")  # es, es-US, zh-Hant-TW


class Fields:
    """Reads the keys of one mapping; problems become findings, never exceptions."""

    def __init__(self, node: object, shown: str, what: str, allowed: tuple[str, ...],
                 findings: list[Finding], line: int | None = None):
        """`line` is where the mapping is named (its key's line), used for missing fields."""
        self.shown = shown
        self.what = what
        self.findings = findings
        if not isinstance(node, Map):
            self.node = Map(getattr(node, "line", line or 1))
            self.header = line or self.node.line
            self.error(self.node.line, f"{what} must be a mapping of keys, not {_kind(node)}")
            return
        self.node = node
        self.header = line or node.line
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else f" (expected one of: {', '.join(allowed)})"
                self.error(node.key_lines[key], f"unknown key '{key}' in {what}{hint}")

    @property
    def line(self) -> int:
        return self.node.line

    def loc(self) -> Loc:
        return Loc(self.shown, self.node.line)

    def error(self, line: int | None, message: str, fact: str | None = None, rule: str = "schema") -> None:
        self.findings.append(Finding(self.shown, line, message, fact, rule=rule))

    def _get(self, key: str, kind: type, required: bool) -> object:
        if key not in self.node or self.node[key] is None:
            if required:
                self.error(self.node.key_lines.get(key, self.header), f"{self.what} is missing required field '{key}'")
            return None
        value = self.node[key]
        if not isinstance(value, kind):
            self.error(self.node.key_lines[key], f"'{key}' in {self.what} must be {_KIND[kind]}, not {_kind(value)}")
            return None
        return value

    def text(self, key: str, required: bool = True) -> Str | None:
        return self._get(key, Str, required)  # type: ignore[return-value]

    def mapping(self, key: str, required: bool = True) -> Map | None:
        return self._get(key, Map, required)  # type: ignore[return-value]

    def seq(self, key: str, required: bool = True) -> Seq | None:
        return self._get(key, Seq, required)  # type: ignore[return-value]

    def texts(self, key: str, required: bool = True) -> list[Str]:
        """A list of text items (a single text is accepted as a list of one)."""
        if key not in self.node or self.node[key] is None:
            self._get(key, Seq, required)
            return []
        line = self.node.key_lines.get(key, self.line)
        return text_list(self.node[key], self.shown, f"'{key}' in {self.what}", self.findings, line)

    def meeting(self, key: str, required: bool = True) -> Str | None:
        """A field of `meeting` or `next_meeting`. Its `date` or `time` is a text shown as written,
        or a date (YYYY-MM-DD) or a time on the 24-hour clock (HH:MM) that each language's deck
        writes its own way (`locales.meeting_date`), which must then exist."""
        raw = self.text(key, required)
        if raw is None or key not in ("date", "time"):
            return raw
        from clearfacts.locales import ISO_DATE, ISO_TIME

        pattern, parse, form = (ISO_DATE, dt.date.fromisoformat, "YYYY-MM-DD") if key == "date" else \
            (ISO_TIME, dt.time.fromisoformat, "HH:MM, 00:00 to 23:59")
        if pattern.fullmatch(raw):
            try:
                parse(raw)
            except ValueError:
                self.error(raw.line, f"'{key}' in {self.what} is no {key} that exists: '{raw}' ({form})")
        return raw

    def date(self, key: str) -> dt.date:
        raw = self.text(key)
        if raw is None:
            return dt.date(1970, 1, 1)
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            self.error(raw.line, f"'{key}' must be a date written YYYY-MM-DD, not '{raw}'")
            return dt.date(1970, 1, 1)

    def url(self, key: str, required: bool = True, web: bool = False) -> str:
        """An http(s) or mailto address (only http(s) with `web`): no spaces or control characters,
        at most MAX_URL long."""
        raw = self.text(key, required)
        if raw is None or (not required and not raw.strip()):  # an optional address left blank
            return ""
        if len(raw) > MAX_URL:
            self.error(raw.line, f"'{key}' is {len(raw):,} characters long; addresses longer than {MAX_URL:,} "
                                 "characters are refused (browsers and QR readers cut them off): link a shorter page")
            return ""
        if not (WEB_URL if web else URL).match(raw):
            kinds = "an http(s)://" if web else "an http(s):// or mailto:"
            self.error(raw.line, f"'{key}' must be {kinds} address, not '{raw}'")
            return ""
        return str(raw)


def text_list(value: object, shown: str, what: str, findings: list[Finding], line: int) -> list[Str]:
    """Text items of a YAML list; anything else becomes a finding."""
    if isinstance(value, Str):
        return [value]
    if not isinstance(value, Seq):
        findings.append(Finding(shown, line, f"{what} must be a list of text, not {_kind(value)}", rule="schema"))
        return []
    out = []
    for item in value:
        if isinstance(item, Str):
            out.append(item)
        else:
            findings.append(Finding(shown, getattr(item, "line", value.line),
                                    f"each item of {what} must be text, not {_kind(item)}", rule="schema"))
    return out


def _kind(value: object) -> str:
    return _KIND.get(type(value), type(value).__name__)


NEXT_MEETING = ("date", "time", "place")  # every field required when `next_meeting` is given


def parse_settings(node: Map, shown: str, findings: list[Finding]) -> Settings:
    f = Fields(node, shown, "settings", ("organisation", "meeting", "paper", "template",
                                         "review_date", "language", "languages", "rules", "next_meeting"), findings)
    org = Fields(f.mapping("organisation"), shown, "organisation", ("name", "phone", "email", "website"),
                 findings, f.node.key_lines.get("organisation", f.line))
    organisation = organisation_from(org)
    meet = Fields(f.mapping("meeting"), shown, "meeting", ("group", "date", "time", "place", "facilitator"),
                  findings, f.node.key_lines.get("meeting", f.line))
    upcoming = f.mapping("next_meeting", required=False)
    nxt = Fields(upcoming, shown, "next_meeting", NEXT_MEETING, findings,
                 f.node.key_lines.get("next_meeting", f.line)) if upcoming is not None else None
    paper = f.text("paper", required=False) or Str("letter", f.line)
    if paper not in ("letter", "a4"):
        f.error(paper.line, f"'paper' must be \"letter\" or \"a4\", not '{paper}'")
    f.mapping("rules", required=False)  # its entries are read by parse_rule_overrides
    f.texts("languages", required=False)  # read by parse_languages; kept out of Settings (see there)
    template = f.text("template", required=False)
    if template and not _inside(template):
        f.error(template.line, f"'template' must be a .pptx file inside the content folder, not '{template}'")
        template = None
    return Settings(
        organisation=organisation,
        meeting=Meeting(*(str(meet.meeting(k) or "") for k in ("group", "date", "time", "place", "facilitator"))),
        paper=str(paper) if paper in ("letter", "a4") else "letter",
        template=str(template) if template else None,
        review_date=f.date("review_date"),
        language=str(f.text("language", required=False) or "en-US"),
        loc=f.loc(),
        lines=tuple((f"{group}.{key}", line) for group, part in (("organisation", org), ("meeting", meet),
                                                                ("next_meeting", nxt)) if part is not None
                    for key, line in part.node.key_lines.items()) + tuple(f.node.key_lines.items()),
        next_meeting=NextMeeting(*(str(nxt.meeting(k) or "") for k in NEXT_MEETING)) if nxt is not None else None,
    )


def parse_languages(node: Map, shown: str, settings: Settings, findings: list[Finding]) -> tuple[str, ...]:
    """settings.yaml's `languages: [en-US, es-US]`, `language` first (the language of the content
    folder's own files; the others' prose is in content/<language>/). Default: `language` alone.
    Kept out of `Settings`, which the build stamps hash: listing a language must not make the
    outputs of the others stale. Each tag must name a CLDR locale (Babel), since its numbers,
    money and dates are written by CLDR's rules."""
    from clearfacts.locales import UnknownLanguage, babel_locale

    raw = node.get("languages")
    if raw is None:
        return (settings.language,)
    line = node.key_lines["languages"]
    listed = [item for item in text_list(raw, shown, "'languages' in settings", [], line) if item.strip()]
    tags: list[str] = []
    for tag in listed:
        problem = None
        if tag in tags:
            problem = f"language '{tag}' is listed twice in 'languages'"
        elif not LANGUAGE_TAG.match(tag):
            problem = f"'{tag}' in 'languages' is not a language tag like en-US or es-US"
        else:
            try:
                babel_locale(tag)
            except UnknownLanguage as exc:
                problem = f"language '{tag}': {exc}"
        if problem:
            findings.append(Finding(shown, tag.line, problem, rule="schema"))
        else:
            tags.append(str(tag))
    if settings.language not in tags:
        findings.append(Finding(shown, line, f"'languages' must list '{settings.language}', the 'language' of the "
                                             "content folder's own files", rule="schema"))
        return (settings.language,)
    return (settings.language, *(tag for tag in tags if tag != settings.language))


def organisation_from(org: Fields) -> Organisation:
    """Who made the handouts: each value within ORGANISATION_LIMITS (the room every layout keeps
    for it), the email a plain address and the website an http(s) one."""
    raw_name = org.text("name")
    name = raw_name if raw_name is not None else Str("", org.header)
    if raw_name is not None and not name.strip():
        org.error(name.line, "organisation 'name' must not be empty: it is printed on every output")
    phone = org.text("phone", required=False) or Str("", org.line)
    email = org.text("email", required=False) or Str("", org.line)
    if email and not EMAIL.match(email):
        org.error(email.line, f"organisation 'email' must be a plain address like name@example.org, not '{email}'")
        email = Str("", email.line)
    website = Str(org.url("website", required=False, web=True), org.node.key_lines.get("website", org.line))
    printed = {"name": name, "phone": phone, "email": email,
               "website": _PRINTED_WEBSITE.sub("", website).rstrip("/")}
    for key, value in printed.items():
        limit = ORGANISATION_LIMITS[key]
        if len(value) > limit:
            counted = " (not counting https:// and www.)" if key == "website" else ""
            org.error(getattr(value, "line", None) or org.node.key_lines.get(key, org.line),
                      f"organisation '{key}' is {len(value)} characters long{counted}; the limit is {limit}, "
                      "the room the handout's contact area keeps for it")
    return Organisation(str(name), str(phone), str(email), str(website))


def parse_rule_overrides(node: Map, shown: str, findings: list[Finding]) -> tuple[tuple[str, str], ...]:
    """settings.yaml's `rules: {list-length: error}`, each checked against the list of rules so a
    misspelt id is an error rather than a change that silently does nothing. Kept out of
    `Settings`: a severity changes no output, so it must not make the built outputs stale."""
    rules = node.get("rules")
    if not isinstance(rules, Map):
        return ()  # absent, or not a mapping (parse_settings reports that)
    out = []
    for rule_id, severity in rules.items():
        if isinstance(severity, Str):
            problem = override_problem(rule_id, severity)
        else:
            problem = f"rule '{rule_id}' must be \"error\", \"warning\" or \"off\", not {_kind(severity)}"
        if problem:
            findings.append(Finding(shown, rules.key_lines[rule_id], problem, rule="schema"))
        else:
            out.append((rule_id, str(severity)))
    return tuple(out)


def _inside(path: str) -> bool:
    p = PurePosixPath(path.replace("\\", "/"))
    return path.endswith(".pptx") and not p.is_absolute() and ".." not in p.parts
