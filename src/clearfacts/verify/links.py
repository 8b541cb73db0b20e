"""Where an output's links lead: only to addresses the content gives.

A link is the one part of a file a reader acts on without reading it: a hijacked "ClinicalTrials.gov"
that opens a clinic's sales page keeps its label, so no text check sees it. Every link target a
reader found (PDF link annotations, the deck's external relationships, a web page's `href`s) must
be one the content gives: a link of a document, the organisation's email (`mailto:`), phone
(`tel:`) or website; a web page may also link to its own sections and to another output of the
content (the start page's downloads, the same page in another language). Any other target, and
any PDF link that launches or opens a file, is a finding at its page or slide.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit, urlunsplit

from clearfacts.errors import Finding
from clearfacts.formats import Format, formats
from clearfacts.model import ContentSet, Links
from clearfacts.verify.extracted import Extracted


def unexpected_links(fmt: Format, content: ContentSet, got: Extracted) -> list[Finding]:
    """A finding for each link in `got` that leads where the content does not."""
    given = given_addresses(content)
    outputs = {f.path for f in formats(content.all_languages())}
    findings = []
    for where, target in dict.fromkeys(got.links):
        if _comparable(target) in given or _own(fmt, target, outputs):
            continue
        shown = target if len(target) <= 100 else target[:99] + "…"
        what = shown if shown.startswith("(") else f"links to {shown}, an address the content does not give"
        findings.append(Finding(fmt.path, None, f"{where}: {what}"))
    return findings


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
