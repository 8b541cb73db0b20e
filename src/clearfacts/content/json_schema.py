"""JSON Schemas (draft 2020-12) of the six content files and of an edition file, for editors and CI.

The loader (`schema.py`, `facts.py`, `documents.py`) stays the authority: it keeps line numbers,
resolves references across files and knows names that only exist in another file (a fact's
source, a list a block names). These schemas describe what each file may hold on its own, so an
editor running the YAML language server completes keys, shows each field's description and
underlines an unknown key or a missing field while it is typed. They are written to match the
loader field by field: required where it requires, `null` allowed where it means to treat an empty
value as absent (it does with PyYAML's pure-Python parser; with libyaml, yaml_reader.py reads an
empty value as text today, see tests/test_init.py), unknown keys refused (`additionalProperties:
false`), and an empty list or blank text refused where the loader refuses it. Limits the loader
measures (lengths that keep a layout, a row's cell count) and names in other files are left to
it. One deliberate difference: every value is typed as a string, as docs/content-format.md
asks, so an editor flags an unquoted `1.10` or `NO` that YAML would turn into a number or a boolean.

Patterns and names come from the loader's own constants where it has them (fact ids, URLs, list
slices, block kinds, rule ids), so the two cannot drift apart silently; `tests/test_init.py`
checks that the schemas and the loader agree on the bundled content and on mutations of it.
"""

from __future__ import annotations

import json
from pathlib import Path

from clearfacts.content.documents import _BLOCK_KINDS, _NOTICES, _SLICE
from clearfacts.content.editions import ALLOWED, HEX
from clearfacts.content.facts import FACT_ID
from clearfacts.content.loader import FILES
from clearfacts.content.rules import RULES, SEVERITIES
from clearfacts.content.schema import LANGUAGE_TAG, NEXT_MEETING, URL, WEB_URL
from clearfacts.errors import ClearfactsError, Finding
from clearfacts.formats import formats

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SUFFIX = ".schema.json"
DEFAULT_DIR = "schema"  # beside content/: the modeline in each content file is ../schema/<file>.schema.json
# The loader's URL rule in ECMA-262 syntax (what JSON Schema validators and editors use): in its
# unicode mode an escaped quote that Python accepts is a syntax error.
_URL = URL.pattern.replace('\\"', '"')
_WEB_URL = WEB_URL.pattern.replace('\\"', '"')
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_NOT_BLANK = r"\S"
_OUTSIDE = r"^[/\\]|(^|[/\\])\.\.([/\\]|$)"  # an absolute path, or one that climbs out with ..
Schema = dict[str, object]


def modeline(stem: str, schema_dir: str = f"../{DEFAULT_DIR}") -> str:
    """The first line of a content file: where the YAML language server finds its schema."""
    return f"# yaml-language-server: $schema={schema_dir}/{stem}{SUFFIX}"


# --- building blocks --------------------------------------------------------------------------

def text(description: str, **extra: object) -> Schema:
    """A scalar the loader keeps as typed text: quote it in YAML."""
    return {"type": "string", "description": description, **extra}


def texts(description: str, at_least: int = 0) -> Schema:
    """A list of text items; the loader also takes a single text as a list of one."""
    listed: Schema = {"type": "array", "items": {"type": "string"}}
    if at_least:
        listed["minItems"] = at_least
    return {"description": description, "anyOf": [{"type": "string"}, listed]}


def printed(description: str) -> Schema:
    """Text that must print something: the loader refuses it blank."""
    return text(description, pattern=_NOT_BLANK)


def date(description: str) -> Schema:
    return text(description + " Written YYYY-MM-DD.", pattern=_DATE, format="date")


def url(description: str) -> Schema:
    return text(description + " An http(s):// or mailto: address.", pattern=_URL)


def web_url(description: str) -> Schema:
    return text(description + " An http(s):// address.", pattern=_WEB_URL)


def one_of(description: str, values: tuple[str, ...]) -> Schema:
    return text(description, enum=list(values))


def record(description: str, required: dict[str, Schema], optional: dict[str, Schema] | None = None,
           *, nullable: bool = True) -> Schema:
    """A mapping with known keys only. An optional field may be left empty (`subtitle:`), which
    the loader reads as absent, unless `nullable` is false; a required one may not."""
    widen = _nullable if nullable else dict
    properties = dict(required) | {k: widen(v) for k, v in (optional or {}).items()}
    out: Schema = {"type": "object", "description": description, "properties": properties,
                   "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


def named(description: str, item: Schema, names: Schema | None = None) -> Schema:
    """A mapping whose keys are names the writer chooses (a list, a source, a fact id)."""
    out: Schema = {"type": "object", "description": description, "additionalProperties": item}
    if names:
        out["propertyNames"] = names
    return out


def _translations(description: str, fields: dict[str, Schema]) -> Schema:
    """By language tag ("es-US", or "es" for every Spanish): that language's wording."""
    return named(description, record("The wording in one language.", {}, fields), {"pattern": LANGUAGE_TAG.pattern})


def _nullable(schema: Schema) -> Schema:
    if schema.get("type") == "string" and "anyOf" not in schema:
        widened = dict(schema, type=["string", "null"])
        if "enum" in schema:
            widened["enum"] = [*schema["enum"], None]  # type: ignore[misc]
        return widened
    if schema.get("type") in ("object", "array"):
        return dict(schema, type=[schema["type"], "null"])
    return dict(schema, anyOf=[*schema["anyOf"], {"type": "null"}])  # type: ignore[misc]


def _file(stem: str, description: str, body: Schema) -> Schema:
    return {"$schema": DRAFT, "title": f"clearfacts {stem}.yaml", **body, "description": description}


# --- the six files ----------------------------------------------------------------------------

def facts_schema() -> Schema:
    fact = record(
        "One fact: written once here, shown wherever prose names it as {id}.",
        required={
            "value": text("The raw value, e.g. \"48.3\"; a number in it must also appear in `display`."),
            "display": text("Exactly what readers see, e.g. \"48.3%\"."),
            "source": text("The id of a source under `sources`."),
            "where": text("Which part of the source states it, e.g. \"Research section, paragraph 3\"."),
            "reviewed": date("When a person last checked it against the source."),
        },
        optional={
            "unit": text("The unit noun where the number has one (\"patients\", \"percent\"): a number typed "
                         "into prose before this noun is refused as a statistic."),
            "note": text("Caveats, or conflicts in the source."),
            "previous": texts("Older display forms: an output that still shows one is flagged."),
            "frequency": one_of("For a percentage: the denominator of its natural frequency, shown in prose as "
                                "{id:frequency} (\"about 1 in 10\") and drawn by an `icons` block.", ("10", "100")),
            "contradicted_by": texts("Phrases that say the opposite of this claim (\"is FDA-approved for "
                                     "neuropathy\"): no content may say them; an output that does fails."),
            "translations": _translations("This fact's wording in another language of settings.yaml's "
                                          "`languages`. Without it, the display is made from the value and "
                                          "unit by CLDR; a display with words needs one.", {
                "display": text("What readers of that language see, e.g. \"97 pacientes\"; it must show the value."),
                "unit": text("The unit noun in that language (\"pacientes\"), for the statistic rule."),
                "contradicted_by": texts("That language's phrases that say the opposite of this claim."),
            }),
        })
    source = record("Where facts come from.", required={"title": text("The source's title.")},
                    optional={"url": text("Its public address; \"\" when it has none.",
                                          pattern=f"^$|{_URL}"),
                              "translations": _translations("The source's title in another language.",
                                                            {"title": text("The title in that language.")})})
    return _file("facts", "The fact registry: every figure and key claim, once, with its source.", record("", {
        "sources": named("Sources by id; each fact names one.", source),
        "facts": named("Facts by id: lower case, dots and underscores, e.g. trial.control_rate.", fact,
                       {"pattern": FACT_ID.pattern}),
    }))


def settings_schema() -> Schema:
    organisation = record("Who hands the outputs out: printed on every output.",
                          required={"name": printed("The organisation's name.")},
                          optional={"phone": text("A phone number readers can call."),
                                    "email": text("An email address."),
                                    "website": web_url("The organisation's website.")})
    meeting = record("The meeting the deck is for: shown on the title slide.", required={
        "group": text("The group's name: the first line under the deck's subtitle."),
        "date": text("The meeting's date: YYYY-MM-DD (e.g. \"2027-01-14\"), which each language's deck writes "
                     "its own way, or a text shown as written."),
        "time": text("The meeting's time: HH:MM on the 24-hour clock (e.g. \"18:30\"), which each language's "
                     "deck writes its own way, or a text shown as written."),
        "place": text("Where the group meets."),
        "facilitator": text("Who leads the meeting: shown as \"Facilitator: …\"."),
    })
    next_meeting = record("Optional: the group's next meeting, announced on the deck's closing slide (without it, "
                          "the slide says nothing about a next meeting).", required={
        "date": text("The date: YYYY-MM-DD (e.g. \"2027-02-11\"), which each language's deck writes its own "
                     "way, or a text shown as written."),
        "time": text("The time: HH:MM on the 24-hour clock (e.g. \"18:30\"), or a text shown as written."),
        "place": text("Where the group will meet."),
    })
    template = {"description": "A .pptx template inside the content folder whose layouts the deck uses; "
                               "\"\" for the built-in look.",
                "anyOf": [{"const": ""}, {"type": "string", "pattern": r"\.pptx$", "not": {"pattern": _OUTSIDE}}]}
    rules = record("Change a rule's severity (see `clearfacts check --list-rules`).", {}, {
        rule.id: one_of(f"{rule.description} (default: {rule.severity}"
                        + ("; fixed: content that breaks it cannot be built)." if rule.fixed else ")."),
                        (rule.severity,) if rule.fixed else SEVERITIES)
        for rule in RULES}, nullable=False)
    return _file("settings", "Settings each clinic edits: who it is, when the group meets, how to print.", record(
        "",
        required={"organisation": organisation, "meeting": meeting,
                  "review_date": date("Printed as \"Reviewed:\" on every output.")},
        optional={"paper": one_of("Paper size of the handout (default \"letter\").", ("letter", "a4")),
                  "template": template,
                  "next_meeting": next_meeting,
                  "language": text("The outputs' language as a BCP 47 tag (default \"en-US\")."),
                  "languages": texts("Every language the content is written in, `language` among them (default: "
                                     "`language` alone). The others' prose is in a folder named by the language "
                                     "part of the tag: content/es/ for es-US.", at_least=1),
                  "rules": rules}))


def library_schema() -> Schema:
    term = record("A term and its definition.", {"term": text("The term."), "text": text("What it means.")})
    table = record("A table: a header row and rows of as many cells.", {
        "columns": texts("The header cells.", at_least=1),
        "rows": {"type": "array", "description": "Each row: as many cells as there are columns.",
                 "items": texts("The cells of one row."), "minItems": 1},
    })
    faq = record("A question with its answer.", {
        "id": text("A unique id, used by a `faqs:` block that picks questions."),
        "question": text("The question, as readers would ask it."),
        "answer": texts("The answer: one text per paragraph."),
    })
    link = record("A link; printed with its address, and as a QR code when `qr` is \"yes\".",
                  required={"label": text("What the link leads to."), "url": url("The address.")},
                  optional={"qr": one_of("\"yes\" to print a QR code for it.", ("yes", "no")),
                            "display": printed("What paper prints instead of a long address, short enough to "
                                               "type or search (e.g. fda.gov: search 'regenerative medicine'); "
                                               "the QR code and the link still lead to `url`.")})
    notices = record("Lines every output carries in its own place (footer, back page, last slide).", {
        "disclaimer": printed("Not medical advice: talk to your doctor."),
        "endorsement": printed("A trial listing is not an endorsement."),
        "source_line": printed("A short source line for footers."),
    })
    return _file("library", "Prose used by more than one output. {count:NAME} in prose gives the number of "
                            "items of a list, terms or table (rows) here, or {count:faqs} the number of FAQs.",
                 record("", required={"notices": notices}, optional={
                     "lists": named("Bullet lists by name; each item one short full sentence.",
                                    texts("The list's items.", at_least=1)),
                     "terms": named("Definition lists by name.", {"type": "array", "items": term, "minItems": 1}),
                     "tables": named("Tables by name.", table),
                     "faqs": {"type": "array", "description": "Frequently asked questions.", "items": faq},
                     "links": named("Links by name.", link),
                 }))


def _block(booklet: bool = False) -> Schema:
    list_forms: list[Schema] = [{"type": "array", "items": {"type": "string"}, "minItems": 1},
                                {"type": "string", "pattern": _SLICE.pattern}]
    kinds: dict[str, Schema] = {
        "text": printed("A paragraph."),
        "callout": printed("An emphasised paragraph."),
        "notice": one_of("A notice from library.yaml, never retyped.", _NOTICES),
        "bullets": {"description": "A list written here, or a list from library.yaml by name, "
                                   "or items of it: \"red_flags[1-4]\".", "anyOf": list_forms},
        "checklist": {"description": "A list a reader ticks off (red flags): printed with an empty box per "
                                     "item. Written like `bullets`.", "anyOf": list_forms},
        "steps": {"description": "Steps done in order: printed numbered. Written like `bullets`.",
                  "anyOf": list_forms},
        "terms": text("A definition list from library.yaml, by name, or items of it: \"cell_types[1-2]\"."),
        "table": text("A table from library.yaml, by name."),
        "faqs": texts("The FAQs from library.yaml: \"all\", or ids.", at_least=1),
        "links": texts("Links from library.yaml, by name.", at_least=1),
        "chart": record("A column chart of registry facts: one category per fact.", {
            "title": text("The chart's title."),
            "series": text("What the columns measure."),
            "categories": texts("The column labels."),
            "facts": texts("Fact ids, each with one number as its value."),
        }),
        "icons": record("An icon array: per fact, a row of 10 (or 10 rows of 10) figures of people, its natural "
                        "frequency filled; each label is also the array's alternative text.", {
            "facts": texts("Fact ids, each with a `frequency` in facts.yaml (all the same).", at_least=1),
            "labels": texts("One per fact, stating its frequency: \"Got MSC treatment: "
                            "{trial.msc_rate:frequency} got DPN\"."),
            "caption": text("Printed under the figures: what they show."),
        }),
        "contrast": record("Booklet and deck only: two panels side by side, what is approved (with a check mark) "
                           "and what is not (with a cross); the titles say it in words, the marks and tints only "
                           "repeat them.", {
            "yes_title": printed("The left panel's title: \"Approved by the FDA\"."),
            "yes": texts("The left panel's short items.", at_least=1),
            "no_title": printed("The right panel's title: \"Not approved by the FDA\"."),
            "no": texts("The right panel's short items.", at_least=1),
        }),
    }
    assert tuple(kinds) == _BLOCK_KINDS, "describe every block kind the loader accepts"
    block: Schema = {"type": "object", "description": "One block: exactly one of " + ", ".join(_BLOCK_KINDS) + ".",
                     "properties": kinds, "additionalProperties": False, "minProperties": 1, "maxProperties": 1}
    if booklet:  # a table may say, under it, how to read it
        kinds["guide"] = printed("With a `table`: one line printed under it on how to read it "
                                 "(\"Read across each row: …\").")
        block.update({"maxProperties": 2, "dependentRequired": {"guide": ["table"]},
                      "if": {"required": ["guide"]}, "else": {"maxProperties": 1}})
    return block


def document_schema(kind: str) -> Schema:
    """The handout, booklet and deck share one shape; only the deck has (and needs) notes."""
    section_fields = {"id": text("Unique in this file."), "title": text("The section's heading.")}
    if kind == "deck":
        section_fields["notes"] = text("Speaker notes for this slide.")
        what = ("One slide. The first is the title slide: it shows the deck's title and subtitle and the "
                "meeting details from settings.yaml, its own title and blocks are not shown, and its notes "
                "are the title slide's notes.")
    else:
        what = "One section: a heading and its blocks."
    booklet = kind == "booklet"
    blocks = {"type": "array", "description": "What the section shows, in order.", "items": {"$ref": "#/$defs/block"}}
    section_optional: dict[str, Schema] = {"blocks": blocks}
    if booklet:
        section_optional["new_page"] = one_of("\"yes\": the section opens a new part of the booklet on a fresh "
                                              "page (the page before may end short).", ("yes", "no"))
    section = record(what, section_fields, section_optional)
    described = {"handout": "The one-page handout.", "booklet": "The booklet.",
                 "deck": "The slides, one section per slide, with speaker notes."}
    body = record("", required={"title": text("The document's title."),
                                "sections": {"type": "array", "description": "The sections, in order.",
                                             "items": section, "minItems": 1}},
                  optional={"subtitle": text("Shown under the title."),
                            **({"key_message": text("The one message readers must take away, boxed on the "
                                                       "cover.")} if booklet else {})})
    return _file(kind, described[kind], {**body, "$defs": {"block": _block(booklet)}})


def _one_or_list(description: str, item: dict[str, object]) -> Schema:
    """One item, or a list of at least one (the loader reads one text as a list of one)."""
    one: Schema = {"type": "string", **item}
    return {"description": description, "anyOf": [one, {"type": "array", "items": one, "minItems": 1}]}


def edition_schema() -> Schema:
    """editions/<name>.yaml: settings a clinic lays over settings.yaml, every key optional."""
    organisation = record("Any of the organisation's fields; the rest come from settings.yaml.", {}, {
        "name": printed("The organisation's name."), "phone": text("A phone number readers can call."),
        "email": text("An email address."), "website": web_url("The organisation's website.")})
    meeting = record("Any of the meeting's fields; the rest come from settings.yaml.", {}, {
        key: text(f"The meeting's {key}.") for key in ("group", "date", "time", "place", "facilitator")})
    next_meeting = record("This edition's next meeting, announced on the deck's closing slide (every field), or "
                          "empty (null) to announce none; without the key, settings.yaml's.",
                          {key: text(f"The next meeting's {key}.") for key in NEXT_MEETING})
    keys = [f.key for f in formats()]
    fields: dict[str, Schema] = {
        "organisation": organisation,
        "meeting": meeting,
        "next_meeting": next_meeting,
        "paper": one_of("Paper size for this edition.", ("letter", "a4")),
        "outputs": _one_or_list("The outputs to make (default: every output).", {"enum": keys}),
        "languages": _one_or_list("The languages to make them in: some of settings.yaml's `languages` "
                                  "(default: all of them).", {"pattern": LANGUAGE_TAG.pattern}),
        "brand_colour": text("Headings, rules and the deck's title and accent bar in this colour, #rrggbb, at "
                             "least 7:1 against white.", pattern=HEX.pattern),
        "logo": record("A PNG or JPEG inside the content folder (at most 2 MB), on the handouts, the booklet's "
                       "cover and the title slide.", {"file": text("Its path inside the content folder.",
                                                                   **{"not": {"pattern": _OUTSIDE}}),
                                                       "alt": printed("What a screen reader says for it.")}),
    }
    assert tuple(fields) == ALLOWED, "describe every key an edition may set"
    return _file("edition", "One clinic's edition: values laid over settings.yaml; facts and prose are shared.",
                 record("", {}, fields))


def schemas() -> dict[str, Schema]:
    """File name → schema, for each content file and the edition file."""
    made = {"facts": facts_schema(), "settings": settings_schema(), "library": library_schema(),
            **{kind: document_schema(kind) for kind in ("handout", "booklet", "deck")}}
    return {f"{stem}{SUFFIX}": made[stem] for stem in FILES} | {f"edition{SUFFIX}": edition_schema()}


def dumps(schema: Schema) -> str:
    """Byte-stable JSON: sorted keys, two-space indent, a final newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write every schema into `out` (created if needed); returns the paths written."""
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas().items():
            path = out / name
            path.write_text(dumps(schema), encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise ClearfactsError(Finding(str(out), None, f"cannot write the schemas: {exc.strerror}")) from None
    return written
