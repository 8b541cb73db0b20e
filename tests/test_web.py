"""The web edition: three self-contained pages, read back and checked like the PDFs, safe by
construction, and (marked slow) opened in a real browser with axe-core.

The pages are parsed here with the standard library's parser, apart from the reader under test,
and asserted on what a visitor meets: headings, lists, links, the chart and its table, the
notices, and nothing that runs or fetches.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from clearfacts.content.loader import load_content
from clearfacts.formats import by_key
from clearfacts.model import Bullets
from conftest import BUNDLED, OUTPUTS, ROOT, Site, build_site, edit, in_place, line_of, run

HANDOUT, BOOKLET, INDEX = (by_key(k).path for k in ("web-handout", "web-booklet", "web-index"))
PAGES = (HANDOUT, BOOKLET, INDEX)
CHART = """      - chart:
          title: "Who went on to get DPN"
          series: "Developed neuropathy"
          categories: ["Got MSC treatment", "Control group"]
          facts: ["trial.msc_rate", "trial.control_rate"]
"""
RESEARCH = "What the research shows"


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: list[str] = field(default_factory=list)


class Page(HTMLParser):
    """A page as a flat list of elements, each with the text directly and deeply inside it."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "base", "col", "embed", "track"}

    def __init__(self, data: bytes) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.feed(data.decode("utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text.append(data)

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def text(self, element: Element) -> str:
        """Its text, each piece apart (a table cell does not run into the next)."""
        return " ".join(" ".join(element.text).split())


def page(root: Path, name: str) -> Page:
    return Page((root / name).read_bytes())


def add_chart(content: Path) -> None:
    edit(content / "booklet.yaml", '      - text: "The most striking single trial',
         CHART + '      - text: "The most striking single trial')


@pytest.fixture(scope="module")
def charted_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The suite's content with the trial chart added to the booklet's research section, built once."""
    return build_site(tmp_path_factory, "charted", prepare=add_chart)


@pytest.fixture(scope="module")
def charted(charted_site: Site) -> Path:
    """The charted project (read-only)."""
    return charted_site.root


@pytest.fixture
def charted_here(charted_site: Site, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The charted project as built on this machine (its cache vouches for the files a test leaves
    alone, so `check` reads back only what it changed), the working directory set to it; put back
    afterwards."""
    with in_place(charted_site, monkeypatch) as root:
        yield root


@pytest.fixture
def copy(charted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch copy of the charted project (content and outputs) with no build cache vouching
    for them, so `check` reads every file; the working directory set to it."""
    shutil.copytree(charted / "content", tmp_path / "content")
    for name in OUTPUTS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(charted / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def tamper(path: Path, old: str, new: str, within: str = "") -> None:
    """Replace the first `old` (after the heading `within`, when given) in a built file."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f">{within}</h") if within else 0
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


def named(name: str, where: str, message: str) -> str:
    """A finding's text as a regular expression: `where` ("section 4", "section 4 chart") may
    carry the section's title after its number."""
    unit, _, rest = where.partition(" chart")
    return (rf"{re.escape(name)}: {re.escape(unit)}(?: \"[^\"]*\")?{re.escape(' chart' if _ else '')}"
            rf"{re.escape(rest)}: {re.escape(message)}")


def section_number(root: Path, name: str, title: str) -> int:
    """The position of the section headed `title` among the page's sections (1-based)."""
    html = (root / name).read_text(encoding="utf-8")
    return html[:html.index(f">{title}</h2>")].count("<section") or 1


# --- build, check, facts --------------------------------------------------------------------------

def test_build_writes_the_three_pages_and_check_and_facts_see_their_sections(site: Site, here: Path) -> None:
    built = site.build  # the session's `clearfacts build` of the suite's content in a new project
    assert built.exit_code == 0, built.output
    for name in (HANDOUT, BOOKLET, INDEX):
        sections = (here / name).read_text(encoding="utf-8").count("<section")  # one per content section
        assert sections >= 5
        assert re.search(rf"wrote {re.escape(name)} \({sections} sections, [\d,]+ bytes\)", built.stdout), built.stdout
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    assert f"in {len(OUTPUTS)} outputs" in checked.stdout
    facts = run("facts")
    assert re.search(rf"{re.escape(BOOKLET)}: section \d+, section \d+", facts.stdout), facts.stdout
    assert re.search(rf"{re.escape(HANDOUT)}: section \d", facts.stdout), facts.stdout


@pytest.mark.slow
def test_web_rebuilds_are_byte_identical(project: Path, pristine: Path) -> None:
    assert run("build", "--force").exit_code == 0
    assert all((project / name).read_bytes() == (pristine / name).read_bytes() for name in PAGES)
    assert run("build", "--force").exit_code == 0
    assert all((project / name).read_bytes() == (pristine / name).read_bytes() for name in PAGES)


# --- what the markup says -------------------------------------------------------------------------

def test_pages_are_semantic_and_accessible(pristine: Path) -> None:
    for name in PAGES:
        p = page(pristine, name)
        assert p.all("html")[0].attrs["lang"] == "en-US"
        assert len(p.all("h1")) == 1, name
        levels = [int(e.tag[1]) for e in p.elements if re.fullmatch(r"h[1-6]", e.tag)]
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (name, levels)
        assert all(th.attrs.get("scope") in ("col", "row") for th in p.all("th")), name
        assert all(p.text(a) and not p.text(a).startswith(("http", "www.")) for a in p.all("a")), name
        assert any(m.attrs.get("name") == "viewport" for m in p.all("meta"))
    booklet = page(pristine, BOOKLET)
    nav = booklet.text(booklet.all("nav")[0])
    ids = {e.attrs["id"] for e in booklet.elements if "id" in e.attrs}
    for section in booklet.all("section"):
        title = booklet.text(next(e for e in booklet.elements[booklet.elements.index(section):] if e.tag == "h2"))
        assert title in nav
    assert all(a.attrs["href"][1:] in ids for a in booklet.all("a") if a.attrs["href"].startswith("#"))
    assert len(booklet.all("dl")) >= 2 and len(booklet.all("ul")) >= 5
    handout = page(pristine, HANDOUT)
    assert len(handout.all("li")) >= 7
    fda = next(a for a in handout.all("a") if "fda.gov" in a.attrs["href"])
    assert handout.text(fda) == "FDA: stem cell and regenerative products"


def test_steps_are_numbered_and_a_checklist_has_boxes_to_tick_as_on_paper(pristine: Path) -> None:
    """The handout's steps are an ordered list (a screen reader says "1 of 3") and its red flags
    a list marked with empty boxes, as the PDF prints them; plain lists stay plain."""
    lists = {b.style: b for s in load_content(BUNDLED).handout.sections for b in s.blocks if isinstance(b, Bullets)}
    handout = page(pristine, HANDOUT)
    steps = handout.all("ol")
    assert len(steps) == 1 and handout.text(steps[0]) == " ".join(item.text for item in lists["steps"].items)
    ticks = [u for u in handout.all("ul") if u.attrs.get("class") == "checklist"]
    assert len(ticks) == 1 and handout.text(ticks[0]) == " ".join(item.text for item in lists["checklist"].items)
    style = (pristine / HANDOUT).read_text(encoding="utf-8")
    assert re.search(r'ul\.checklist \{ list-style-type: "\\2610', style)


def test_the_chart_is_an_svg_image_with_every_value_in_its_description_and_a_table(charted: Path) -> None:
    p = page(charted, BOOKLET)
    svg = p.all("svg")[0]
    assert svg.attrs["role"] == "img"
    labelled = svg.attrs["aria-labelledby"].split()
    ids = {e.attrs.get("id"): e for e in p.elements}
    assert [ids[i].tag for i in labelled] == ["title", "desc"]
    desc = p.text(ids[labelled[1]])
    assert desc == "Developed neuropathy. Got MSC treatment: 10.3%. Control group: 48.3%."
    details = p.all("details")[0]
    assert "Got MSC treatment 10.3%" in p.text(details) and "Control group 48.3%" in p.text(details)
    assert section_number(charted, BOOKLET, RESEARCH) == 4


def test_review_date_notices_and_contacts_appear_as_in_the_pdfs(pristine: Path) -> None:
    for name in PAGES:
        p = page(pristine, name)
        text = p.text(p.all("body")[0])
        assert "Reviewed: November 20, 2026" in text, name
        assert "This is not medical advice, so please talk with your doctor" in text, name
        assert "Being listed on ClinicalTrials.gov does not mean a study is endorsed" in text, name
        assert "Sources: FDA consumer advice; ClinicalTrials.gov" in text, name
        assert "Example Neuropathy Support Group" in text, name
        hrefs = {a.attrs["href"] for a in p.all("a")}
        assert {"tel:5550100", "mailto:info@example.org", "https://example.org"} <= hrefs, name


def test_the_start_page_links_every_other_output_with_its_review_date(pristine: Path) -> None:
    p = page(pristine, INDEX)
    nav = p.text(p.all("nav")[0])
    assert nav.count("reviewed November 20, 2026") == 3
    links = [a.attrs["href"] for a in p.all("a") if not a.attrs["href"].startswith(("#", "https:", "mailto:", "tel:"))]
    targets = {os.path.normpath(os.path.join("web", href)) for href in links}
    assert targets == set(OUTPUTS) - {INDEX}
    assert all((pristine / t).is_file() for t in targets)


def test_no_script_no_request_and_only_safe_links(pristine: Path) -> None:
    """A Content-Security-Policy that forbids scripts and allows the page's own style sheet by
    its hash; no element that runs or fetches anything; links only https, mailto, tel or local."""
    for name in PAGES:
        data = (pristine / name).read_bytes()
        p = Page(data)
        assert not p.all("script") and b"<script" not in data.lower(), name
        assert not any(k.startswith("on") for e in p.elements for k in e.attrs), name
        assert not any(k in ("src", "srcset", "action", "formaction") for e in p.elements for k in e.attrs), name
        assert not p.all("link") and not p.all("iframe") and not p.all("img"), name
        policy = next(m.attrs["content"] for m in p.all("meta") if m.attrs.get("http-equiv") ==
                      "Content-Security-Policy")
        assert "default-src 'none'" in policy and "script-src" not in policy
        css = "".join(p.all("style")[0].text)
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        assert f"style-src 'sha256-{digest}'" in policy
        assert re.findall(r"url\(([^)]*)\)", css) and all(u.startswith("data:font/ttf;base64,")
                                                          for u in re.findall(r"url\(([^)]*)\)", css))
        for a in p.all("a"):
            href = a.attrs["href"]
            assert href.startswith(("https://", "mailto:", "tel:", "#")) or not re.match(r"[a-z]+:", href), href


# --- verified like the PDFs -----------------------------------------------------------------------

def test_clean_pages_pass_check(copy: Path) -> None:
    assert run("check").exit_code == 0


def test_digit_changed_in_a_paragraph_names_the_file_and_section(charted_here: Path) -> None:
    tamper(charted_here / BOOKLET, "In the control group, 48.3% did.", "In the control group, 84.3% did.", RESEARCH)
    checked = run("check")
    assert checked.exit_code == 1
    n = section_number(charted_here, BOOKLET, RESEARCH)
    assert re.search(named(BOOKLET, f"section {n}", "altered fact trial.control_rate: found 84.3%, expected 48.3%"),
                     checked.stderr), checked.stderr


def test_figure_written_another_way_is_inconsistent(charted_here: Path) -> None:
    tamper(charted_here / BOOKLET, "In the control group, 48.3% did.", "In the control group, 48.30% did.", RESEARCH)
    checked = run("check")
    assert checked.exit_code == 1
    n = section_number(charted_here, BOOKLET, RESEARCH)
    assert re.search(named(BOOKLET, f"section {n}", "inconsistent fact trial.control_rate: found 48.30%, expected "
                                                     "48.3%"), checked.stderr), checked.stderr


def test_digit_changed_in_the_charts_description(charted_here: Path) -> None:
    tamper(charted_here / BOOKLET, "Control group: 48.3%.</desc>", "Control group: 43.3%.</desc>")
    checked = run("check")
    assert checked.exit_code == 1
    n = section_number(charted_here, BOOKLET, RESEARCH)
    assert re.search(named(BOOKLET, f"section {n} chart", "its description says 43.3% for 'Control group', its bar "
                                                           "48.3%"), checked.stderr), checked.stderr


def test_value_swapped_for_another_registered_one_in_the_description(charted_here: Path) -> None:
    """10.3% is a registered figure, so only the chart's own consistency can catch it."""
    tamper(charted_here / BOOKLET, "Control group: 48.3%.</desc>", "Control group: 10.3%.</desc>")
    checked = run("check")
    assert checked.exit_code == 1
    assert "chart: its description says 10.3% for 'Control group', its bar 48.3%" in checked.stderr


def test_digit_changed_in_the_charts_data_table(charted_here: Path) -> None:
    tamper(charted_here / BOOKLET, "<td>48.3%</td>", "<td>49.3%</td>")
    checked = run("check")
    assert checked.exit_code == 1
    n = section_number(charted_here, BOOKLET, RESEARCH)
    assert re.search(named(BOOKLET, f"section {n} chart", "its data table says 49.3% for 'Control group'"),
                     checked.stderr), checked.stderr


def test_digit_changed_in_a_bar_label(charted_here: Path) -> None:
    tamper(charted_here / BOOKLET, ">48.3%</text>", ">58.3%</text>")
    checked = run("check")
    assert checked.exit_code == 1
    assert "chart: altered fact trial.control_rate: chart shows 58.3, expected 48.3" in checked.stderr


def test_a_bar_label_moved_off_the_chart(charted_here: Path) -> None:
    """SVG text placed outside the picture's viewBox is not drawn: the bar's label is gone."""
    html = (charted_here / BOOKLET).read_text(encoding="utf-8")
    label = re.search(r'(<text class="value[^"]*" x=")([^"]+)("[^>]*>48\.3%</text>)', html)
    assert label is not None
    (charted_here / BOOKLET).write_text(html.replace(label.group(0), label.group(1) + "-5000" + label.group(3)),
                                        encoding="utf-8")
    checked = run("check")
    assert checked.exit_code == 1
    assert "chart: its label '48.3%' is placed outside the chart, where no one sees it" in checked.stderr, \
        checked.stderr


def test_a_hidden_sentence_is_named_not_visible(charted_here: Path) -> None:
    tamper(charted_here / HANDOUT, '<p class="callout">', '<p class="callout" hidden>')
    checked = run("check")
    assert checked.exit_code == 1
    assert re.search(named(HANDOUT, "section 1", "not visible: fact "), checked.stderr), checked.stderr


def test_a_sentence_folded_into_a_closed_details_is_named_not_visible(charted_here: Path) -> None:
    """Wrapped in a closed <details>, the key fact shows only once a reader opens it: not seen."""
    tamper(charted_here / HANDOUT, '<p class="callout">', '<details><summary>More</summary><p class="callout">')
    checked = run("check")
    assert checked.exit_code == 1
    assert re.search(named(HANDOUT, "section 1", "not visible: fact "), checked.stderr), checked.stderr


def test_a_figure_added_to_the_start_page_is_unregistered(charted_here: Path) -> None:
    last = (charted_here / INDEX).read_text(encoding="utf-8").count("<section")  # the text lands in the last one
    tamper(charted_here / INDEX, "</main>", "<p>Only 12% of clinics are honest.</p></main>")
    checked = run("check")
    assert checked.exit_code == 1
    assert re.search(named(INDEX, f"section {last}", "unregistered figure '12%'"), checked.stderr), checked.stderr


@pytest.mark.parametrize("added, said", [
    ("<noscript><p>Only 12% of clinics are honest.</p></noscript>", "unregistered figure '12%'"),
    ('<input value="Only 12% of clinics are honest.">', "unregistered figure '12%'"),
    ('<input placeholder="Only 12% of clinics are honest.">', "unregistered figure '12%'"),
    ('<iframe srcdoc="Only 12% of clinics are honest."></iframe>', "embeds another document (<iframe>)"),
    ('<object data="data:text/html,Only 12% of clinics are honest."></object>', "embeds another document (<object>)"),
])
def test_text_a_browser_shows_outside_paragraphs_is_read(charted_here: Path, added: str, said: str) -> None:
    """A page with scripts turned off shows <noscript>; a text box shows its value or placeholder;
    an embedded document shows text this reader cannot see into, so it is a finding in itself."""
    last = (charted_here / INDEX).read_text(encoding="utf-8").count("<section")  # the text lands in the last one
    tamper(charted_here / INDEX, "</main>", f"{added}</main>")
    checked = run("check")
    assert checked.exit_code == 1
    assert re.search(named(INDEX, f"section {last}", said), checked.stderr), checked.stderr


def test_a_policy_loosened_to_style_a_figure_white(charted_here: Path) -> None:
    """Let inline styles apply, then paint the key fact white: the page no longer carries the
    policy that allows only clearfacts' style sheet, so what it shows cannot be vouched for."""
    tamper(charted_here / HANDOUT, "style-src &#39;", "style-src &#39;unsafe-inline&#39; &#39;")
    tamper(charted_here / HANDOUT, '<p class="callout">', '<p class="callout" style="color:#fff">')
    checked = run("check")
    assert checked.exit_code == 1
    assert f"{HANDOUT}: its styles are not clearfacts' own" in checked.stderr, checked.stderr


def test_a_page_without_its_policy(charted_here: Path) -> None:
    html = (charted_here / HANDOUT).read_text(encoding="utf-8")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', html)
    assert policy is not None
    (charted_here / HANDOUT).write_text(html.replace(policy.group(0), ""), encoding="utf-8")
    checked = run("check")
    assert checked.exit_code == 1
    assert f"{HANDOUT}: its styles are not clearfacts' own" in checked.stderr, checked.stderr


@pytest.mark.parametrize("name, old, new, said", [
    (HANDOUT, '<p class="callout">', '<p class="callout"><font color="#ffffff">', "<font>"),
    (BOOKLET, ">48.3%</text>", ' fill="#fff">48.3%</text>', "<text fill>"),
    (BOOKLET, "48.3% did", '<bdo dir="rtl">48</bdo>.3% did', "<bdo>"),  # shows 84.3%
], ids=["font colour", "svg fill", "digits reversed"])
def test_styling_written_into_the_markup_is_a_problem(charted_here: Path, name: str, old: str, new: str,
                                                      said: str) -> None:
    """Old HTML colour attributes and SVG presentation attributes apply whatever the policy says;
    the pages use none, so one added is named, with the section it is in."""
    if old.startswith(">"):
        html = (charted_here / name).read_text(encoding="utf-8")
        at = html.index(old)
        (charted_here / name).write_text(html[:at] + new + html[at + len(old):], encoding="utf-8")
    else:
        tamper(charted_here / name, old, new)
    checked = run("check")
    assert checked.exit_code == 1
    assert f"styles its words with {said}" in checked.stderr, checked.stderr


def test_content_changed_without_a_rebuild_is_stale(copy: Path) -> None:
    edit(copy / "content/booklet.yaml", "Read it at your own pace.", "Read it slowly, at your own pace.")
    checked = run("check")
    assert checked.exit_code == 1
    assert f"{BOOKLET} is stale: built from older content; run clearfacts build" in checked.stderr
    assert f"{HANDOUT} is stale" not in checked.stderr


def test_an_absent_page_is_reported(charted_here: Path) -> None:
    (charted_here / INDEX).unlink()
    checked = run("check")
    assert checked.exit_code == 1
    assert f"{INDEX}: missing: run clearfacts build" in checked.stderr


# --- safe by construction -------------------------------------------------------------------------

PLANTED = '<script>alert(1)</script> <img src=x onerror=alert(1)> <a href=\\"javascript:alert(1)\\">Win</a>'


def test_markup_planted_in_content_is_shown_as_text(here: Path) -> None:
    edit(here / "content/booklet.yaml", "Read it at your own pace.", f"Read it at your own pace. {PLANTED}")
    built = run("build")  # `here`: built on this machine before the edit
    assert built.exit_code == 0, built.output
    assert f"wrote {BOOKLET}" in built.stdout
    assert run("check").exit_code == 0
    data = (here / BOOKLET).read_bytes()
    p = Page(data)
    assert not p.all("script") and not p.all("img") and b"<script" not in data
    assert not any(a.attrs["href"].startswith("javascript") for a in p.all("a"))
    shown = p.text(p.all("main")[0])
    assert '<script>alert(1)</script> <img src=x onerror=alert(1)> <a href="javascript:alert(1)">Win</a>' in shown


def test_a_javascript_link_is_refused_at_load_with_its_line(project: Path) -> None:
    library = project / "content/library.yaml"
    edit(library, 'url: "https://clinicaltrials.gov/study/NCT05507697"', 'url: "javascript:alert(1)"')
    built = run("build")
    assert built.exit_code == 2
    assert f"content/library.yaml:{line_of(library, 'javascript:')}:" in built.stderr


def test_a_plain_http_link_is_refused_for_the_web_with_its_line(project: Path) -> None:
    library = project / "content/library.yaml"
    edit(library, 'url: "https://clinicaltrials.gov/study/NCT05507697"', 'url: "http://clinicaltrials.gov/study/x"')
    built = run("build")
    assert built.exit_code == 2
    line = line_of(library, "http://clinicaltrials.gov/study/x")
    assert (f"content/library.yaml:{line}: the web edition links only to https:, mailto: and tel: addresses, "
            "not 'http://clinicaltrials.gov/study/x'") in built.stderr, built.stderr
    assert not (project / "web").exists() and not (project / "handouts").exists()


@pytest.mark.slow  # plain http for the web: the link case above
def test_a_plain_http_website_in_the_settings_is_refused_with_its_line(project: Path) -> None:
    settings = project / "content/settings.yaml"
    edit(settings, 'website: "https://example.org"', 'website: "http://example.org"')
    built = run("build")
    assert built.exit_code == 2
    assert f"content/settings.yaml:{line_of(settings, 'http://example.org')}: the web edition links" in built.stderr


# --- in a real browser ----------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (320, 375, 1280)


def _axe_core() -> Path | None:
    """axe-core's script: $AXE_CORE, else the npm package in this repository or installed globally."""
    if os.environ.get("AXE_CORE"):
        given = Path(os.environ["AXE_CORE"])
        return given if given.is_file() else None
    for args in (["npm", "root"], ["npm", "root", "--global"]):
        try:
            found = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            continue
        script = Path(found) / "axe-core" / "axe.min.js"
        if found and script.is_file():
            return script
    return None


def _browser_or_skip() -> Path:
    """Fail under CI (which installs both), skip with the reason elsewhere."""
    axe = _axe_core()
    missing = [fix for fix, ok in ((f"chromium at {CHROMIUM} (apt-get install chromium)", Path(CHROMIUM).is_file()),
                                   ("axe-core (npm install --global axe-core, or set AXE_CORE)", axe is not None))
               if not ok]
    if missing:
        reason = f"the browser test needs {' and '.join(missing)}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    assert axe is not None
    return axe


_MEASURE = """() => {
  const root = document.documentElement;
  const body = parseFloat(getComputedStyle(document.querySelector('main p')).fontSize);
  let widest = 0;  // the most characters on one line of running text
  for (const block of document.querySelectorAll('main p, main li, main dd')) {
    const perLine = new Map();
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        const line = Math.round(box.bottom);
        if (box.width || box.height) perLine.set(line, (perLine.get(line) || 0) + 1);
      }
    }
    for (const count of perLine.values()) widest = Math.max(widest, count);
  }
  const small = [...document.querySelectorAll('body *')].filter(e => e.closest('svg') === null &&
    [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) &&
    parseFloat(getComputedStyle(e).fontSize) < 18).map(e => e.tagName);
  return {overflow: root.scrollWidth - root.clientWidth, body, widest, small,
          font: document.fonts.check('20px "Atkinson Hyperlegible"'),
          family: getComputedStyle(document.body).fontFamily};
}"""
_SCRIPT_RUNS = """() => { const s = document.createElement('script'); s.textContent = 'window.ran = true';
  document.head.append(s); return window.ran === true; }"""


@pytest.mark.slow
def test_pages_in_headless_chromium_pass_axe_and_fit_narrow_screens(charted: Path, tmp_path: Path) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation (and no text under 7:1 contrast); no page scrolls
    sideways at 320, 375 or 1280 px; text is ≥ 18 px and lines stay under about 70 characters;
    the page fetches nothing and runs no script. Screenshots go to $CLEARFACTS_SCREENSHOTS."""
    axe = _browser_or_skip().read_text(encoding="utf-8")
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("CLEARFACTS_SCREENSHOTS", tmp_path / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name in PAGES:
                url = (charted / name).resolve().as_uri()
                strict = browser.new_context(viewport={"width": 1280, "height": 900})
                tab = strict.new_page()
                requests: list[str] = []
                tab.on("request", lambda r, seen=requests: seen.append(r.url))
                tab.goto(url)
                assert not tab.evaluate(_SCRIPT_RUNS), f"{name}: a script ran despite the page's policy"
                assert all(u == url or u.startswith("data:") for u in requests), requests
                strict.close()
                for width in WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
                    tab = context.new_page()
                    tab.goto(url)
                    tab.evaluate("document.fonts.ready.then(() => true)")
                    got = tab.evaluate(_MEASURE)
                    assert got["overflow"] <= 0, f"{name} scrolls sideways at {width} px by {got['overflow']} px"
                    assert got["font"] and "Atkinson Hyperlegible" in got["family"], got
                    assert got["body"] >= 18 and not got["small"], (name, width, got)
                    if width == 1280:
                        assert got["widest"] <= 72, f"{name}: lines of {got['widest']:.0f} characters"
                    if width in (375, 1280):
                        tab.screenshot(path=str(shots / f"{Path(name).stem}-{width}.png"), full_page=True)
                        tab.add_script_tag(content=axe)
                        result = tab.evaluate(f"axe.run(document, {{runOnly: {{type: 'tag', values: {WCAG_AA}}}}})")
                        assert result["violations"] == [], _violations(name, width, result)
                        enhanced = tab.evaluate("axe.run(document, {runOnly: ['color-contrast-enhanced']})")
                        assert enhanced["violations"] == [], _violations(name, width, enhanced)
                        assert result["passes"], "axe-core ran no rule"
                    context.close()
        finally:
            browser.close()
    assert len(list(shots.glob("*.png"))) == 2 * len(PAGES)


def _violations(name: str, width: int, result: dict) -> str:
    return f"{name} at {width} px: " + "; ".join(
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in result["violations"])
