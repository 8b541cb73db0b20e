"""Registry × read-back → findings, one output at a time.

What a reader sees is checked in four ways, each a rule in `CHECKS`: every sentence of the
content where it belongs and as often as the content says it (so an altered figure, a changed
claim or a hidden copy is named at its page or slide); every figure accounted for (nothing added
that the registry does not hold); every chart as displayed; no stale value of a fact anywhere.
What a reader follows is checked too: every link leads to an address the content gives.
Expected locations come from the model, never from a renderer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from msgspec.structs import replace

from clearfacts.claims import claim_words, negations
from clearfacts.errors import Finding
from clearfacts.formats import Format
from clearfacts.frequencies import stale_forms
from clearfacts.model import Chart, ContentSet, Document
from clearfacts.stamps import stamp_paper, stamp_parts
from clearfacts.verify.accounting import unregistered_figures
from clearfacts.verify.charts import check_paper_chart, check_slide_chart
from clearfacts.verify.expect import continued, expected_sentences, match_slides, with_continuations
from clearfacts.verify.extracted import Extracted, Place
from clearfacts.verify.icon_arrays import check_icon_arrays, has_arrays
from clearfacts.verify.layout_rules import layout_findings
from clearfacts.verify.links import mislabelled_links, misleading_codes, unexpected_links
from clearfacts.verify.normalise import normalise
from clearfacts.verify.picture_words import logo_ids, picture_words
from clearfacts.verify.sentences import check_sentences, check_tagged
from clearfacts.verify.text import contains


def check_output(fmt: Format, content: ContentSet, data: bytes | None,
                 stamps: Callable[[str | None], Mapping[str, str]]) -> tuple[list[Finding], Extracted | None]:
    """Read one output back with its format's reader and check it: (findings, what was read).

    `stamps(paper)` gives the stamps this content builds for a paper size: an output built with
    `--paper a4` is compared with the a4 build, not called stale.
    """
    if data is None:
        return [Finding(fmt.path, None, "missing: run clearfacts build")], None
    try:
        got: Extracted = fmt.reader()(data)  # type: ignore[assignment]
    except Exception as exc:  # noqa: BLE001 - any reader failure means the file is damaged
        return [Finding(fmt.path, None, f"cannot be read ({type(exc).__name__}); run clearfacts build")], None
    findings = _stamp_findings(fmt.path, got.stamp, stamps(stamp_paper(got.stamp))[fmt.key])
    findings.extend(_style_findings(fmt, got))
    _read_pictures(content, got)
    findings.extend(check_document(fmt, content, got))
    return findings, got


def _read_pictures(content: ContentSet, got: Extracted) -> None:
    """The words of each picture the build did not make (any but an edition's logo) join what
    the file says, at "slide 3 picture", so every check reads them; a picture whose words cannot
    be read is a problem of the file, since a figure in it would pass unseen."""
    logo = logo_ids(content.settings.brand.logo_data if content.settings.brand else b"")
    for picture in got.pictures:
        if logo.intersection(picture.ids):
            continue
        words = picture_words(picture.image, content.settings.language)
        if words is None:
            got.problems.append((picture.where, "shows a picture clearfacts did not put there and cannot read "
                                                "(install Tesseract to read its words), so a figure in it would "
                                                "pass unchecked"))
        elif words.strip():
            got.places.append(Place(f"{picture.where} picture", normalise(words)))


def _style_findings(fmt: Format, got: Extracted) -> list[Finding]:
    """A web page must still carry the one policy that lets only clearfacts' style sheet apply."""
    expected = fmt.house_policy()
    if expected is None or got.policies == (expected,):
        return []
    return [Finding(fmt.path, None, "its styles are not clearfacts' own (the Content-Security-Policy that allows "
                                    "only them was changed or removed), so the colour and place of its words "
                                    "cannot be vouched for; run clearfacts build")]


def _stamp_findings(name: str, found: str, expected: str) -> list[Finding]:
    if found == expected:
        return []
    parts = stamp_parts(found)
    if parts is None:
        return [Finding(name, None, "has no build stamp: not built by clearfacts; run clearfacts build")]
    if parts[0] == stamp_parts(expected)[0]:
        return [Finding(name, None, "is stale: built with other library versions; run clearfacts build")]
    return [Finding(name, None, "is stale: built from older content; run clearfacts build")]


Check = Callable[[Format, ContentSet, Document, Extracted, Mapping[int, int]], list[Finding]]


def _sentences(fmt: Format, content: ContentSet, document: Document, got: Extracted,
               slides: Mapping[int, int]) -> list[Finding]:
    expected = expected_sentences(fmt, document, content.facts, slides)
    notes = continued(fmt, document, got, slides)
    return notes + check_sentences(fmt.path, expected, with_continuations(fmt, got, slides))


def _figures(fmt: Format, content: ContentSet, document: Document, got: Extracted,
             slides: Mapping[int, int]) -> list[Finding]:
    return unregistered_figures(fmt.path, content, document, got)


def _charts(fmt: Format, content: ContentSet, document: Document, got: Extracted,
            slides: Mapping[int, int]) -> list[Finding]:
    places = {p.where: p for p in got.places}
    findings: list[Finding] = []
    for index, section in enumerate(document.sections, 1):
        for block in section.blocks:
            if not isinstance(block, Chart):
                continue
            if not fmt.section_per_unit:
                findings.extend(check_paper_chart(fmt.path, block, got))
            elif index in slides:
                findings.extend(check_slide_chart(fmt.path, f"{fmt.unit} {slides[index]} chart", block, places))
    return findings


def _stale(fmt: Format, content: ContentSet, document: Document, got: Extracted,
           slides: Mapping[int, int]) -> list[Finding]:
    language = content.settings.language
    return [Finding(fmt.path, None, f"{place.where}: stale value {old} of fact {fact.id} (now {fact.display})",
                    fact.id)
            for fact in content.facts.values()
            for old in (*fact.previous, *stale_forms(fact, content.facts, language))
            for place in got.places if contains(place.text, normalise(old))]


def _claims(fmt: Format, content: ContentSet, document: Document, got: Extracted,
            slides: Mapping[int, int]) -> list[Finding]:
    """A claim's negation ("stem-cell therapy is FDA-approved for") seen anywhere in the output,
    hyphenated or not (`claims.claim_words`)."""
    phrases = negations(content.facts)
    if not phrases:
        return []
    said = [(place, claim_words(place.text)) for place in got.places]
    return [Finding(fmt.path, None, f"{place.where}: contradicts claim {fact.id}: '{phrase}'", fact.id)
            for fact, phrase, words in phrases for place, text in said if words in text]


def _contents(fmt: Format, content: ContentSet, document: Document, got: Extracted,
              slides: Mapping[int, int]) -> list[Finding]:
    """A contents page sends a reader to a page: in a file with an outline, each section's
    bookmark must open a page that shows the section's title, and on a page that lists the
    sections each with a number (at least half of them: a heading followed by a paragraph that
    starts with a figure is not a contents page), each number must be that page. Bare page
    numbers are not figures, so no other rule would see one changed."""
    if not got.outline:
        return []
    opens = {normalise(title): page for title, page in got.outline}
    findings = []
    for section in document.sections:
        title = normalise(section.title.text)
        page = opens.get(title)
        if page is None:
            findings.append(Finding(fmt.path, None, f"the outline has no bookmark for section '{title}'"))
        elif page > len(got.places) or not contains(got.places[page - 1].text, title):
            findings.append(Finding(fmt.path, None, f"the bookmark for '{title}' opens {fmt.unit} {page}, "
                                                    "which does not show that section"))
    for place in got.places:
        listed = [(title, int(given.group(1))) for title in opens
                  for given in re.finditer(rf"{re.escape(title)} ?(\d+)\b", place.text)]
        if 2 * len({title for title, _ in listed}) < len(opens):
            continue
        findings += [Finding(fmt.path, None, f"{place.where}: the contents give {fmt.unit} {number} for "
                                             f"'{title}'; it starts on {fmt.unit} {opens[title]}")
                     for title, number in listed if number != opens[title]]
    return findings


def _structure(fmt: Format, content: ContentSet, document: Document, got: Extracted,
               slides: Mapping[int, int]) -> list[Finding]:
    """What the reader found wrong with the file's structure: text a screen reader skips (neither
    tagged nor an artifact), a figure without alternative text, headings that skip a level; and
    in a tagged file, each fact's sentence inside a block a screen reader reads."""
    findings = [Finding(fmt.path, None, f"{where}: {message}") for where, message in got.all_problems()]
    tagged = got.tagged()
    if tagged is not None:
        findings += check_tagged(fmt.path, expected_sentences(fmt, document, content.facts, slides), got, tagged)
    return findings


def _icon_arrays(fmt: Format, content: ContentSet, document: Document, got: Extracted,
                 slides: Mapping[int, int]) -> list[Finding]:
    """Each icon array's alternative text and filled figures, as the file draws them."""
    if got.icon_arrays is None or not has_arrays(document):
        return []
    return check_icon_arrays(fmt.path, document, got.icon_arrays())


def _links(fmt: Format, content: ContentSet, document: Document, got: Extracted,
           slides: Mapping[int, int]) -> list[Finding]:
    """Every link leads where the content says (`links.py`): a hijacked link keeps its label."""
    return unexpected_links(fmt, content, got) + mislabelled_links(fmt, content, got)


def _codes(fmt: Format, content: ContentSet, document: Document, got: Extracted,
           slides: Mapping[int, int]) -> list[Finding]:
    """Every QR code scans, to an address the content gives and the link on it opens
    (`links.py`): a swapped code keeps every word around it."""
    return misleading_codes(fmt, content, got)


def _layout(fmt: Format, content: ContentSet, document: Document, got: Extracted,
            slides: Mapping[int, int]) -> list[Finding]:
    """Type sizes, line lengths, QR codes, links and empty pages, each a rule of its own
    (`layout_rules.py`: text-size, line-length, qr-size, link-broken, page-space)."""
    return layout_findings(fmt.key, fmt.path, document, got)


CHECKS: tuple[tuple[str, Check], ...] = (
    ("sentences", _sentences),
    ("figures", _figures),
    ("charts", _charts),
    ("icon arrays", _icon_arrays),
    ("stale", _stale),
    ("claims", _claims),
    ("contents", _contents),
    ("structure", _structure),
    ("links", _links),
    ("codes", _codes),
    ("layout", _layout),
)


def check_document(fmt: Format, content: ContentSet, got: Extracted) -> list[Finding]:
    """Every rule of `CHECKS` over one output's read-back, duplicates said once."""
    document: Document = getattr(content, fmt.document)
    slides, findings = match_slides(fmt, document, got)
    for _name, rule in CHECKS:
        findings.extend(rule(fmt, content, document, got, slides))
    unique = list(dict.fromkeys(findings))
    return [_titled(f, got) for f in unique] if fmt.unit == "section" else unique


def _titled(finding: Finding, got: Extracted) -> Finding:
    """A web page's sections have no numbers a reader sees: name them by their heading too."""
    titles = {p.where: p.title for p in got.places if p.title}
    found = re.match(r"(section \d+)(?=[ :])", finding.message)
    if not found or found.group(1) not in titles:
        return finding
    message = f'{found.group(1)} "{titles[found.group(1)]}"{finding.message[found.end():]}'
    return replace(finding, message=message)
