"""Reads a web page back with the standard library's HTML parser (Jinja2 and MarkupSafe wrote
it): the text a visitor sees and a screen reader speaks, one location per section.

Locations, in the terms the checks use (`section` is the format's unit):

- `section N`: the N-th top-level `<section>`, titled by its first heading. Like a deck's title
  slide, `section 1` also holds the page's opening (its `<header>`, with the `h1` as the title).
- `section N chart`: a `<figure>` holding an inline SVG inside section N: the SVG's `title`,
  `desc` and drawn text and the figure's data table, with the values each of them states.
- `page contents` (`<nav>`), `page footer` (`<footer>`), `page head` (the `<title>` a browser
  tab and a screen reader announce), `page body` (anything else), `page styles` (text a style
  sheet writes with `content:`).

Only visible text counts: what sits in `hidden`, `<template>`, `<script>`, an unopened
`<dialog>` or a closed `<details>` (all but its `<summary>`; a chart's own table of values is the
exception, since its SVG shows the same values), SVG text placed outside its picture, or
matches a style rule that hides it (`display: none`, `visibility: hidden`, zero opacity or font
size) goes to `hidden`.
`<noscript>` counts as shown (a browser with scripts turned off shows it), and so do a text
field's `value` and `placeholder`. A style sheet or `style` attribute counts only where the
page's own Content-Security-Policy lets a browser apply it.
Alternative text (`alt`, `aria-label`, `title` attributes, an SVG's `title` and `desc`) is text:
a screen reader reads it. A document embedded in the page (`<iframe>`, `<object>`, `<embed>`) is
a problem in itself: its text cannot be read from here, and the pages embed none. So is styling
written into the markup (`<font color>`, an SVG `fill`), which no style policy stops. Colour and
position are not judged here: `check` asks that the page still carry clearfacts' own
Content-Security-Policy (`Format.house_style`), which lets only clearfacts' style sheet apply,
and the browser test runs axe-core.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from msgspec import Struct, field

from clearfacts.numbers import numbers_in
from clearfacts.stamps import STAMP_PREFIX
from clearfacts.verify.extracted import ChartValues, Extracted, Place, find_stamp
from clearfacts.verify.normalise import normalise

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})
_BLOCK = frozenset({"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog", "div",
                    "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
                    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
                    "th", "thead", "tr", "ul", "title", "desc", "text", "tspan"})
_UNSEEN = frozenset(("script", "style", "template"))
_EMBEDS = frozenset(("iframe", "object", "embed", "frame", "frameset", "portal", "fencedframe"))
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_TEXT_ATTRIBUTES = ("alt", "aria-label", "title")
_FIELD_TEXT = ("value", "placeholder")  # what an <input> shows in its box
# Styling written into the markup, which browsers apply whatever the style policy says:
# HTML's old presentational attributes, SVG's presentation attributes that change how, or
# whether, words show, and a direction (`<bdo dir=rtl>48</bdo>` shows "84"). The pages use none.
_STYLING_TAGS = frozenset(("font", "basefont", "marquee", "blink", "bdo"))
_PRESENTATION = frozenset(("color", "bgcolor", "text", "background", "fill", "fill-opacity", "opacity", "visibility",
                           "display", "font-size", "transform", "clip-path", "mask", "filter", "stroke",
                           "stroke-opacity", "textLength", "lengthAdjust"))
_HIDES = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|content-visibility\s*:"
                    r"\s*hidden|opacity\s*:\s*0*\.?0*\s*(?:!important\s*)?(?:;|$)|font-size\s*:\s*0+(?:\.0*)?"
                    r"[a-z%]*\s*(?:!important\s*)?(?:;|$))", re.I)
_STATEFUL = re.compile(r":(?:hover|focus|focus-within|focus-visible|active|target|checked|visited|"
                       r"(?:-webkit-|-moz-)?autofill)|::?(?:before|after|marker|placeholder|selection)", re.I)
_COMPOUND = re.compile(r"([a-zA-Z][\w-]*|\*)|#([\w-]+)|\.([\w-]+)|\[\s*([\w-]+)\s*(?:[~|^$*]?=\s*[\"']?([^\"'\]]*)"
                       r"[\"']?\s*)?\]|(:{1,2}[\w-]+(?:\([^)]*\))?)")
_DATA_URL = re.compile(r"url\(\s*[\"']?data:[^)]*\)", re.I)
_CONTENT = re.compile(r"(?<![\w-])content\s*:\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')", re.I)


class _Node(Struct):
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)


class _Tree(HTMLParser):
    """The document as nested nodes: end tags close the nearest open element of their name (so
    an unclosed `<p>` or `<li>` never swallows the rest of the page)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#document", {})
        self.open: list[_Node] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in reversed(attrs)})  # the first of a repeated attribute wins
        self.open[-1].children.append(node)
        if tag not in _VOID:
            self.open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(_Node(tag, {k: v or "" for k, v in reversed(attrs)}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def read_html(data: bytes) -> Extracted:
    """One place per section (and chart), then the page's navigation, footer, head and the rest."""
    tree = _Tree()
    tree.feed(data.decode("utf-8", errors="replace"))
    tree.close()
    nodes = list(_elements(tree.root))
    head = [n for n in nodes if n.tag == "meta"]
    policies = [n.attrs.get("content", "") for n in head if n.attrs.get("http-equiv", "").lower()
                == "content-security-policy"]
    stamp = next((find_stamp(n.attrs.get("content", ""), STAMP_PREFIX) for n in head
                  if n.attrs.get("name") == "clearfacts-stamp"), "")
    sheets = [_text(n) for n in nodes if n.tag == "style" and _style_allowed(policies, _text(n), n.attrs)]
    rules = _Rules(sheets, inline=_attributes_allowed(policies))
    reader = _Reader(rules)
    reader.walk(tree.root, _State())
    places = reader.places()
    generated = normalise(" ".join(rules.generated))
    if generated:
        places.append(Place("page styles", generated))
    # A refresh sends the reader on by itself (no policy stops it): whatever the page says, they
    # end up elsewhere, or on the same words again and again.
    reader.problems += [("page head", "the page moves its reader on by itself (meta refresh "
                                      f"'{n.attrs.get('content', '')}')")
                        for n in head if n.attrs.get("http-equiv", "").strip().lower() == "refresh"]
    return Extracted(places, stamp, reader.sections, reader.problems, policies=tuple(policies),
                     links=tuple(("page", target) for n in nodes for target in _targets(n)))


def _targets(node: _Node) -> list[str]:
    """Where an element leads a reader who follows it: a link's address (HTML's or SVG's), or an
    alternate page's. Nothing else on a page is fetched: its policy allows no other request."""
    if node.tag not in ("a", "area", "link"):
        return []
    return [value.strip() for name in ("href", "xlink:href") if (value := node.attrs.get(name)) is not None]


def _view_box(value: str) -> tuple[float, float, float, float] | None:
    """An SVG's viewBox as (left, top, right, bottom), None when it has none that parses."""
    numbers = _numbers(value)
    if len(numbers) != 4:
        return None
    left, top, width, height = numbers
    return left, top, left + width, top + height


def _off_canvas(node: _Node, canvas: tuple[float, float, float, float] | None) -> bool:
    """SVG text placed (`x`, `y`, or moved by `dx`, `dy`) outside the picture it is drawn in."""
    if canvas is None:
        return False
    left, top, right, bottom = canvas
    xs, ys = _numbers(node.attrs.get("x", "")), _numbers(node.attrs.get("y", ""))
    dxs, dys = _numbers(node.attrs.get("dx", "")), _numbers(node.attrs.get("dy", ""))
    width, height = right - left, bottom - top
    return any(not left <= x <= right for x in xs) or any(not top <= y <= bottom for y in ys) or \
        abs(sum(dxs)) > width or abs(sum(dys)) > height


def _numbers(value: str) -> list[float]:
    try:
        return [float(n) for n in re.split(r"[\s,]+", value.strip()) if n]
    except ValueError:
        return []


def _presentation(node: _Node) -> str:
    """How the element styles its words outside any style sheet (a `<font color>`, an SVG
    `fill`), which the page's Content-Security-Policy cannot stop: "" when it does not."""
    if node.tag in _STYLING_TAGS:
        return f"<{node.tag}>"
    if "dir" in node.attrs and node.tag != "html":  # a page's own direction is its language's
        return f"<{node.tag} dir>"
    named = sorted(_PRESENTATION.intersection(node.attrs))
    return f"<{node.tag} {named[0]}>" if named else ""


def _elements(node: _Node) -> Iterator[_Node]:
    """Every element under `node`, in document order."""
    for child in node.children:
        if isinstance(child, _Node):
            yield child
            yield from _elements(child)


def _text(node: _Node) -> str:
    return "".join(c if isinstance(c, str) else _text(c) for c in node.children)


class _State(Struct, frozen=True):
    """Where the walk is: which place its text goes to, and whether a person can see it."""

    region: str = "page body"
    hidden: bool = False
    section: int = 0  # the top-level section the walk is inside (0: none)
    chart: bool = False
    folded: bool = False  # right inside a closed <details>: only its <summary> shows until opened
    canvas: tuple[float, float, float, float] | None = None  # the SVG's viewBox it is drawn in


class _Collected(Struct):
    text: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    title: str = ""
    figures: list[_Node] = field(default_factory=list)


class _Reader:
    """Walks the tree once, sending each piece of text to its place."""

    def __init__(self, rules: _Rules):
        self.rules = rules
        self.sections = 0
        self.collected: dict[str, _Collected] = {}
        self.h1 = ""
        self.problems: list[tuple[str, str]] = []

    def _at(self, region: str) -> _Collected:
        return self.collected.setdefault(region, _Collected())

    def walk(self, node: _Node, state: _State) -> None:
        for child in node.children:
            if isinstance(child, str):
                self._add(state, child)
                continue
            inner = self._enter(child, state)
            if inner is None:
                continue
            field_box = child.tag == "input" and child.attrs.get("type", "").lower() != "hidden"
            shown = _TEXT_ATTRIBUTES + (_FIELD_TEXT if field_box else ())
            for name in shown:
                if child.attrs.get(name, "").strip():
                    self._add(inner, f" {child.attrs[name]} ")
            styled = _presentation(child)
            if styled and not inner.hidden:
                where = f"section {max(self.sections, 1)}" if inner.region == "main" else inner.region
                self.problems.append((where, f"styles its words with {styled}, which clearfacts pages do not use "
                                             "and this check cannot judge (their colour, size or place)"))
            if child.tag in _EMBEDS and not inner.hidden:
                where = f"section {max(self.sections, 1)}" if inner.region == "main" else inner.region
                self.problems.append((where, f"embeds another document (<{child.tag}>), whose text this check "
                                             "cannot read; clearfacts pages embed none"))
            block = child.tag in _BLOCK
            if block:
                self._add(inner, "\n")
            self.walk(child, inner)
            if block:
                self._add(inner, "\n")
            if child.tag in _HEADINGS and not inner.hidden:
                self._title(child, inner)

    def _enter(self, node: _Node, state: _State) -> _State | None:
        """The state inside `node`, or None for what is never shown (the head but its title)."""
        tag = node.tag
        if tag in ("meta", "link", "base", "style", "script"):
            return None  # page furniture, not text (style sheets are read apart)
        if tag == "head":
            return _State("page head", True)
        if tag == "title" and state.region == "page head":
            return _State("page head", False)
        hidden = state.hidden or tag in _UNSEEN or "hidden" in node.attrs or self.rules.hides(node) or (
            tag == "dialog" and "open" not in node.attrs) or (state.folded and tag != "summary") or (
            tag in ("text", "tspan") and _off_canvas(node, state.canvas))
        region, section, chart = state.region, state.section, state.chart
        if tag == "section" and not section:
            self.sections += 1
            section = self.sections
            region = f"section {section}"
        elif tag == "header" and not section:
            region = "section 1"
        elif tag == "main" and not section:
            region = "main"  # between sections: read with the section it follows
        elif tag == "nav" and not section:
            region = "page contents"
        elif tag == "footer" and not section:
            region = "page footer"
        elif tag == "figure" and section and not chart and any(n.tag == "svg" for n in _elements(node)):
            region, chart = f"section {section} chart", True
            self._at(region).figures.append(node)
        # A chart's own table of values folds away under its SVG, which shows the same values.
        folded = tag == "details" and "open" not in node.attrs and not chart
        canvas = _view_box(node.attrs.get("viewbox", "")) if tag == "svg" else state.canvas
        return _State(region, hidden, section, chart, folded, canvas)

    def _add(self, state: _State, text: str) -> None:
        region = f"section {max(self.sections, 1)}" if state.region == "main" else state.region
        place = self._at(region)
        (place.hidden if state.hidden or state.folded else place.text).append(text)

    def _title(self, heading: _Node, state: _State) -> None:
        text = normalise(_text(heading))
        if heading.tag == "h1" and not self.h1 and not state.section:
            self.h1 = text
        elif state.section and not state.chart and not self._at(state.region).title:
            self._at(state.region).title = text

    def places(self) -> list[Place]:
        out = []
        for n in range(1, max(self.sections, 1) + 1):
            got = self._at(f"section {n}")
            title = self.h1 if n == 1 and self.h1 else got.title
            out.append(Place(f"section {n}", _joined(got.text), title=title, hidden=_joined(got.hidden)))
            chart = self.collected.get(f"section {n} chart")
            if chart:
                out.append(Place(f"section {n} chart", _joined(chart.text), _charts(chart.figures),
                                 hidden=_joined(chart.hidden)))
        for where in ("page contents", "page footer", "page head", "page body"):
            got = self.collected.get(where)
            if got and (_joined(got.text) or _joined(got.hidden)):
                out.append(Place(where, _joined(got.text), hidden=_joined(got.hidden)))
        return out


def _joined(parts: list[str]) -> str:
    return normalise("".join(parts))


# --- charts -------------------------------------------------------------------------------------

def _charts(figures: list[_Node]) -> tuple[ChartValues, ...]:
    """The section's first chart as its bars' labels show it. Its `desc` (what a screen reader
    speaks) and its data table must state the same value for every category: where they do not,
    or leave one out, that is a problem of the chart, said as found."""
    if not figures:
        return ()
    nodes = list(_elements(figures[0]))
    canvas = next((_view_box(n.attrs.get("viewbox", "")) for n in nodes if n.tag == "svg"), None)
    drawn = [(n.attrs.get("class", "").split(), normalise(_text(n)), _off_canvas(n, canvas))
             for n in nodes if n.tag == "text"]
    bars = list(zip([t for c, t, _ in drawn if "category" in c], [t for c, t, _ in drawn if "value" in c],
                    strict=False))
    gone = [t for c, t, off in drawn if off]
    desc = next((normalise(_text(n)) for n in nodes if n.tag == "desc"), "")
    said = [s.split(": ", 1) for s in re.split(r"(?<=\.)\s+", desc)[1:] if ": " in s]
    cells = [[normalise(_text(c)) for c in row.children if isinstance(c, _Node) and c.tag in ("th", "td")]
             for row in (n for n in nodes if n.tag == "tr")]
    problems = [] if bars else ["its bars have no value labels, so no one can read the values"]
    problems += [f"its label '{t}' is placed outside the chart, where no one sees it" for t in gone]
    for name, pairs in (("description", [(c, v.rstrip(".")) for c, v in said]),
                        ("data table", [(r[0], r[1]) for r in cells if len(r) == 2 and r[0]])):
        stated = dict(pairs)
        for category, label in bars:
            if category not in stated:
                problems.append(f"its {name} does not state '{category}' ({label} on its bar)")
            elif stated[category] != label:
                problems.append(f"its {name} says {stated[category]} for '{category}', its bar {label}")
    values = tuple((numbers_in(label) or (float("nan"),))[0] for _, label in bars)
    percent = bool(bars) and all(label.endswith("%") for _, label in bars)
    return (ChartValues(tuple(c for c, _ in bars), values, '0.0"%"' if percent else "General", tuple(problems)),)


# --- style sheets and the page's Content-Security-Policy -----------------------------------------

def _directive(policy: str, *names: str) -> list[str] | None:
    """The sources of the first of `names` the policy sets (CSP's fallback order)."""
    found = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found.setdefault(words[0].lower(), words[1:])
    return next((found[n] for n in names if n in found), None)


def _permits(sources: list[str] | None, content: str, nonce: str = "") -> bool:
    if sources is None:
        return True
    lowered = [s.lower() for s in sources]
    keyed = [s for s in sources if s.lower().startswith(("'sha256-", "'sha384-", "'sha512-", "'nonce-"))]
    for source in keyed:
        kind, _, value = source.strip("'").partition("-")
        if kind == "nonce" and nonce and value == nonce:
            return True
        if kind != "nonce" and value == base64.b64encode(hashlib.new(kind, content.encode()).digest()).decode():
            return True
    return "'unsafe-inline'" in lowered and not keyed


def _style_allowed(policies: list[str], css: str, attrs: dict[str, str]) -> bool:
    """Would a browser apply this `<style>` element under every policy of the page?"""
    return all(_permits(_directive(p, "style-src-elem", "style-src", "default-src"), css, attrs.get("nonce", ""))
               for p in policies)


def _attributes_allowed(policies: list[str]) -> bool:
    return all(_permits(_directive(p, "style-src-attr", "style-src", "default-src"), "\0") for p in policies)


class _Rules:
    """The style rules that hide elements, from the style sheets a browser would apply."""

    def __init__(self, sheets: list[str], inline: bool):
        self.inline = inline
        self.hiding: list[list[tuple[str, str, str]]] = []  # per selector: (kind, name, value) parts
        self.generated: list[str] = []
        for sheet in sheets:
            self._read(_DATA_URL.sub("url()", re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)))

    def _read(self, css: str) -> None:
        for prelude, body in _blocks(css):
            if prelude.startswith("@"):
                rule = prelude.lower()
                if rule.startswith(("@media", "@supports", "@layer", "@container")) and not _print_only(rule):
                    self._read(body)
                continue
            self.generated.extend(m.group(1)[1:-1].replace("\\", "") for m in _CONTENT.finditer(body)
                                  if m.group(1)[1:-1].strip())
            if _HIDES.search(body):
                self.hiding.extend(p for s in prelude.split(",") if (p := _compound(s)) is not None)

    def hides(self, node: _Node) -> bool:
        if self.inline and _HIDES.search(node.attrs.get("style", "")):
            return True
        return any(all(_matches(node, part) for part in parts) for parts in self.hiding)


def _blocks(css: str) -> list[tuple[str, str]]:
    """Top-level `prelude { body }` pairs, braces matched."""
    out, depth, start, prelude = [], 0, 0, ""
    for i, ch in enumerate(css):
        if ch == "{":
            if depth == 0:
                prelude, start = css[start:i].strip(), i + 1
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                out.append((prelude, css[start:i]))
                start = i + 1
        elif ch == ";" and depth == 0:
            start = i + 1  # a statement such as @import or @charset
    return out


def _print_only(rule: str) -> bool:
    return "print" in rule and not re.search(r"\b(screen|all)\b", rule)


def _compound(selector: str) -> list[tuple[str, str, str]] | None:
    """The last compound of a selector as (kind, name, value) tests; None for a state a page
    is not in when read (`:hover`, `:focus`) or for generated content (`::before`)."""
    selector = selector.strip()
    if not selector or _STATEFUL.search(selector):
        return None
    last = re.split(r"\s*[>+~]\s*|\s+", selector)[-1]
    parts = []
    for tag, ident, cls, attr, value, _pseudo in _COMPOUND.findall(last):
        if tag and tag != "*":
            parts.append(("tag", tag.lower(), ""))
        elif ident:
            parts.append(("id", ident, ""))
        elif cls:
            parts.append(("class", cls, ""))
        elif attr:
            parts.append(("attr", attr.lower(), value))
    return parts


def _matches(node: _Node, part: tuple[str, str, str]) -> bool:
    kind, name, value = part
    if kind == "tag":
        return node.tag == name
    if kind == "id":
        return node.attrs.get("id") == name
    if kind == "class":
        return name in node.attrs.get("class", "").split()
    return name in node.attrs and (not value or value in node.attrs[name])
