"""The web pages' own links: each page links to itself in every other language the build makes
it in (named in that language, marked with its language for screen readers and search engines),
and to the outputs the build makes, never to a file it does not make (an edition that makes
some outputs only).

The content is the suite's two-language fixture (en-US + es-US), copied and built here; the
pages are read with the standard library's HTML parser, not the templates that wrote them.
"""

from __future__ import annotations

import posixpath
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from clearfacts.formats import formats
from conftest import edit, run

SPANISH = Path(__file__).resolve().parent / "fixtures" / "spanish"
PAGES = [f for f in formats(("en-US", "es-US")) if f.path.endswith(".html")]
OWN_NAMES = {"en-US": "English", "es-US": "Español"}


class Links(HTMLParser):
    """Every `a href` (with its hreflang, lang and text), every `link rel=alternate`, and whether
    an `a` sits in the languages navigation."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict[str, str]] = []
        self.alternates: list[dict[str, str]] = []
        self._nav: list[str] = []
        self._open: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "nav":
            self._nav.append(a.get("class", ""))
        elif tag == "a" and "href" in a:
            self._open = {**a, "text": "", "in_languages": str("languages" in self._nav)}
            self.anchors.append(self._open)
        elif tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav:
            self._nav.pop()
        elif tag == "a":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data


def links_of(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def local(href: str) -> bool:
    return not href.startswith(("#", "https:", "http:", "mailto:", "tel:"))


def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SPANISH, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def test_each_page_links_to_itself_in_the_other_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, monkeypatch)
    result = run("build")
    assert result.exit_code == 0, result.output + result.stderr
    for fmt in PAGES:
        got = links_of(root / fmt.path)
        [twin] = [f for f in PAGES if f.key.partition("@")[0] == fmt.key.partition("@")[0] and f is not fmt]
        switch = [a for a in got.anchors if a["in_languages"] == "True"]
        assert len(switch) == 1, (fmt.path, switch)
        link = switch[0]
        assert (link["hreflang"], link["lang"], link["text"]) == (twin.language, twin.language,
                                                                  OWN_NAMES[twin.language]), fmt.path
        assert posixpath.normpath(posixpath.join(posixpath.dirname(fmt.path), link["href"])) == twin.path
        assert [(a["hreflang"], a["href"]) for a in got.alternates] == [(twin.language, link["href"])], fmt.path
    assert run("check").exit_code == 0


def test_an_edition_links_only_to_the_outputs_it_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`outputs: [handout, web-index]` makes two files per language: the start page used to list
    the booklet, the deck and the other web page too, which were not there. A Spanish-only
    edition's pages have no link to the English ones it does not make."""
    root = project(tmp_path, monkeypatch)
    (root / "editions").mkdir()
    (root / "editions" / "few.yaml").write_text("outputs: [handout, web-index]\n", encoding="utf-8")
    (root / "editions" / "sol.yaml").write_text("languages: [es-US]\n", encoding="utf-8")
    result = run("build", "--all-editions")
    assert result.exit_code == 0, result.output + result.stderr
    for edition in ("few", "sol"):
        folder = root / "dist" / edition
        pages = sorted(folder.rglob("*.html"))
        assert pages, edition
        for page in pages:
            hrefs = [a["href"].split("#")[0] for a in links_of(page).anchors if local(a["href"])]
            missing = [h for h in hrefs if h and not (page.parent / h).resolve().is_file()]
            assert not missing, (page.relative_to(folder), missing)
    few = links_of(root / "dist" / "few" / "web/index.html")
    downloads = sorted(a["href"] for a in few.anchors if local(a["href"]) and a["in_languages"] == "False")
    assert downloads == ["../handouts/red-flags.pdf"]
    assert [a["hreflang"] for a in few.anchors if a["in_languages"] == "True"] == ["es-US"]
    for page in (root / "dist" / "sol").rglob("*.html"):
        got = links_of(page)
        assert not got.alternates and not [a for a in got.anchors if a["in_languages"] == "True"], page
    assert run("check", "--all-editions").exit_code == 0


def test_a_new_language_makes_the_web_pages_stale_and_leaves_the_pdfs(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Which outputs a build makes is part of a page's stamp (it links to them), not a PDF's."""
    root = project(tmp_path, monkeypatch)
    settings = root / "content" / "settings.yaml"
    edit(settings, 'languages: ["en-US", "es-US"]', 'languages: ["en-US"]')
    assert run("build").exit_code == 0
    assert not links_of(root / "web/index.html").alternates
    edit(settings, 'languages: ["en-US"]', 'languages: ["en-US", "es-US"]')
    again = run("build")
    assert again.exit_code == 0, again.output + again.stderr
    assert "up to date handouts/red-flags.pdf" in again.output
    assert "wrote web/index.html" in again.output and "wrote web/es/index.html" in again.output
    assert [a["hreflang"] for a in links_of(root / "web/index.html").alternates] == ["es-US"]
