"""Where an output's links and QR codes lead: only to addresses the content gives.

A link is the one part of a file a reader acts on without reading it: a hijacked "ClinicalTrials.gov"
that opens a clinic's sales page keeps its label, so no text check sees it. Every link target a
reader found (PDF link annotations, the deck's external relationships, a web page's `href`s) must
be one the content gives: a link of a document, the organisation's email (`mailto:`), phone
(`tel:`) or website; a web page may also link to its own sections and to another output of the
content (the start page's downloads, the same page in another language). Any other target, and
any PDF link that launches or opens a file, is a finding at its page or slide. A PDF link also
opens the address whose words it lies on: "clinicaltrials.gov" that opens the FDA's page (another
address the content gives) is a finding too.

A QR code is a link a phone follows: each one the readers scanned (`qr_scan`) must lead to an
address the content gives and, where a link lies on it, to the same address as that link; a code
that does not scan is a finding too.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit, urlunsplit

from clearfacts.errors import Finding
from clearfacts.formats import Format, formats
from clearfacts.model import ContentSet, Links
from clearfacts.verify.extracted import Extracted
from clearfacts.verify.page_measures import PageLayout


def unexpected_links(fmt: Format, content: ContentSet, got: Extracted) -> list[Finding]:
    """A finding for each link in `got` that leads where the content does not."""
    given = given_addresses(content)
    outputs = {f.path for f in formats(content.all_languages())}
    findings = []
    for where, target in dict.fromkeys(got.links):
        if _comparable(target) in given or _own(fmt, target, outputs):
            continue
        shown = _shown(target)
        what = shown if shown.startswith("(") else f"links to {shown}, an address the content does not give"
        findings.append(Finding(fmt.path, None, f"{where}: {what}"))
    return findings


def misleading_codes(fmt: Format, content: ContentSet, got: Extracted) -> list[Finding]:
    """A finding for each QR code in `got` (`qr_scan`) that does not scan, that leads where the
    content does not, or that leads elsewhere than the link a click on it opens: a swapped code
    keeps every word and link of the page around it."""
    given = given_addresses(content)
    findings = []
    for code in dict.fromkeys(got.codes):
        if code.text is None:
            what = "a QR code that does not scan (covered, damaged or not a code)"
        elif _comparable(code.text) not in given:
            what = f"a QR code leads to {_shown(code.text)}, an address the content does not give"
        elif code.link is not None and _comparable(code.link) != _comparable(code.text):
            what = f"a QR code leads to {_shown(code.text)}, but a click on it opens {_shown(code.link)}"
        else:
            continue
        findings.append(Finding(fmt.path, None, f"{code.where}: {what}"))
    return findings


def mislabelled_links(fmt: Format, content: ContentSet, got: Extracted) -> list[Finding]:
    """A finding for each PDF link whose printed words belong to one of the content's addresses
    but which opens another of them: "clinicaltrials.gov" that opens the FDA's page leads to an
    address the content gives, so `unexpected_links` passes it. A link's words are those printed
    under it (a long address wraps over several links, each with part of the words), and belong
    to an address when they are part of how the content writes it (its label, its display form,
    the address itself)."""
    owners = _written_forms(content)
    findings = []
    for n, page in enumerate(got.layout, 1):
        for link in page.links if isinstance(page, PageLayout) else ():
            words = _plain(link.text)
            target = _comparable(link.target) if link.target else ""
            named = {url for forms, url in owners if words and any(words in form for form in forms)}
            if target and named and target not in named:
                findings.append(Finding(fmt.path, None, f"page {n}: the link on '{words}' opens {_shown(link.target)}, "
                                                        "the address of another of the content's links"))
    return list(dict.fromkeys(findings))


def _written_forms(content: ContentSet) -> list[tuple[tuple[str, ...], str]]:
    """How the content writes each of its addresses, each with the address as `_comparable` writes it."""
    out = []
    for document in content.documents():
        for section in document.sections:
            for block in section.blocks:
                if isinstance(block, Links):
                    out += [(_forms(link.url, link.label.text, link.display.text if link.display else ""),
                             _comparable(link.url)) for link in block.items]
    org = content.settings.organisation
    out += [(_forms(url, shown), _comparable(url)) for url, shown in
            ((org.mail_link, org.email), (org.phone_link, org.phone), (org.website, org.website)) if url]
    return out


def _forms(url: str, *written: str) -> tuple[str, ...]:
    bare = re.sub(r"^[a-z]+:(//)?(www\.)?", "", url.lower()).rstrip("/")
    return tuple(form for form in (_plain(url), bare, *(_plain(w) for w in written)) if form)


def _plain(text: str) -> str:
    """Words as compared: lower case, spaces collapsed, without the punctuation that ends a line."""
    return " ".join(text.lower().split()).strip(" ,;:.")


def _shown(url: str) -> str:
    return url if len(url) <= 100 else url[:99] + "…"


def given_addresses(content: ContentSet) -> set[str]:
    """Every address the content gives, as `_comparable` writes it."""
    urls = [link.url for document in content.documents() for section in document.sections
            for block in section.blocks if isinstance(block, Links) for link in block.items]
    org = content.settings.organisation
    urls += [url for url in (org.mail_link, org.phone_link, org.website) if url]
    return {_comparable(url) for url in urls}


def _own(fmt: Format, target: str, outputs: set[str]) -> bool:
    """A web page's link to one of its own sections or to another output of the content."""
    if not fmt.links_outputs or urlsplit(target).scheme:
        return False
    path = target.split("#", 1)[0]
    if not path:
        return True
    return posixpath.normpath(posixpath.join(posixpath.dirname(fmt.path), unquote(path))) in outputs


def _comparable(url: str) -> str:
    """An address as compared: percent-escapes decoded, scheme and host in lower case, a bare
    "/" path dropped ("https://ClinicalTrials.gov/" is "https://clinicaltrials.gov")."""
    parts = urlsplit(unquote(url.strip()))
    path = "" if parts.path == "/" else parts.path
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, parts.fragment))
