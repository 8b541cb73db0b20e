"""Colours, fills and text properties of a slide as PowerPoint resolves them: theme colours through
the master's colour map, `lumMod`/`tint`/`alpha` modifiers, and a run's size and colour inherited
through list styles (shape → layout → master placeholder → master text styles → presentation).

This is what lets the reader tell whether text can be seen: text below 6 pt, text without a fill,
and text whose colour is (nearly) the colour it sits on are in the file but not on the screen.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterable, Sequence

from lxml import etree
from msgspec import Struct

from clearfacts.verify.pptx_package import NS, tag

MIN_POINTS = 6.0  # smaller text is not readable on a projected slide
MIN_CONTRAST = 1.5  # below this ratio text and what it sits on look the same (white on white is 1.0)
MAX_SQUEEZE = 0.2  # of the size: letters pulled closer than this overlap into a blot (`spc`)
MAX_SHIFT = 0.5  # of the size: sub- and superscripts move a third; further, the text leaves its line (`baseline`)
MAX_GAP_LINES, MAX_GAP_POINTS = 4.0, 144.0  # paragraph spacing beyond both pushes text out of its place
# Fonts whose letters and digits are pictures (Wingdings shows "48.3%" as a row of symbols).
SYMBOL_FONTS = frozenset(("wingdings", "wingdings 2", "wingdings 3", "webdings", "symbol", "zapf dingbats",
                          "zapfdingbats", "marlett", "mt extra", "bookshelf symbol 7", "ms outlook",
                          "segoe mdl2 assets", "segoe fluent icons", "opensymbol"))
OPAQUE = 0.8  # a fill at least this opaque hides what is under it
DEFAULT_POINTS = 18.0  # PowerPoint's size when nothing in the chain sets one

_PRESET = {"black": (0, 0, 0), "white": (1, 1, 1), "red": (1, 0, 0), "green": (0, 0.5, 0), "blue": (0, 0, 1),
           "yellow": (1, 1, 0), "gray": (0.5, 0.5, 0.5), "grey": (0.5, 0.5, 0.5)}
_FILLS = {tag(f"a:{name}") for name in ("noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill")}
_COLOURS = {tag(f"a:{name}") for name in ("srgbClr", "schemeClr", "sysClr", "prstClr", "scrgbClr", "hslClr")}


class Colour(Struct, frozen=True):
    rgb: tuple[float, float, float]  # sRGB, 0..1
    alpha: float = 1.0

    def over(self, under: Colour) -> Colour:
        """This colour painted with its transparency over `under`."""
        a = self.alpha
        return Colour(tuple(a * c + (1 - a) * u for c, u in zip(self.rgb, under.rgb, strict=True)))  # type: ignore[arg-type]


class Fill(Struct, frozen=True):
    """How an area is painted: "none", "solid" (with its colour when known) or "other" (a
    gradient, picture or pattern: opaque, colour unknown)."""

    kind: str
    colour: Colour | None = None

    @property
    def opaque(self) -> bool:
        if self.kind == "other":
            return True
        return self.kind == "solid" and (self.colour is None or self.colour.alpha >= OPAQUE)

    def backdrop(self) -> Colour | None:
        """The colour text on this area sits on, when it is one known colour."""
        return self.colour if self.kind == "solid" and self.opaque else None


NONE = Fill("none")


def contrast(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _luminance(c: Colour) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in c.rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


class Palette:
    """A master's theme colours seen through its colour map (and a slide's or layout's override)."""

    def __init__(self, theme: etree._Element | None, colour_map: dict[str, str]):
        self.scheme: dict[str, Colour] = {}
        self.theme = theme
        scheme = theme.find("a:themeElements/a:clrScheme", NS) if theme is not None else None
        for slot in scheme if scheme is not None else ():
            found = self._plain(next(iter(slot), None))
            if found is not None:
                self.scheme[etree.QName(slot).localname] = found
        self.colour_map = colour_map
        self._fills: dict[etree._Element, Fill | None] = {}  # keyed by element: keeps each proxy alive

    def colour(self, element: etree._Element | None, placeholder: Colour | None = None) -> Colour | None:
        """The colour of a colour element (`a:srgbClr`…) or of the first one inside `element`."""
        if element is None:
            return None
        if element.tag not in _COLOURS:
            element = next((child for child in element if child.tag in _COLOURS), None)
            if element is None:
                return None
        if element.tag == tag("a:schemeClr"):
            name = element.get("val", "")
            base = placeholder if name == "phClr" else self.scheme_colour(name)
        else:
            base = self._plain(element)
        return _modified(base, element) if base is not None else None

    def fill(self, parent: etree._Element | None, placeholder: Colour | None = None) -> Fill | None:
        """The fill set directly in `parent` (an `spPr`, `tcPr`, `bgPr`, `rPr`), None if unset."""
        if parent is None:
            return None
        key = parent if placeholder is None else None
        if key is not None and key in self._fills:
            return self._fills[key]
        element = next((child for child in parent if child.tag in _FILLS), None)
        found = self.fill_element(element, placeholder) if element is not None else None
        if key is not None:
            self._fills[key] = found
        return found

    def fill_element(self, element: etree._Element, placeholder: Colour | None = None) -> Fill:
        kind = etree.QName(element).localname
        if kind in ("noFill", "grpFill"):
            return NONE
        if kind == "solidFill":
            return Fill("solid", self.colour(element, placeholder))
        return Fill("other")

    def style_fill(self, ref: etree._Element | None) -> Fill | None:
        """The fill a shape style (`a:fillRef`) or background reference (`p:bgRef`) points to in
        the theme's fill styles: idx 0 is no fill, 1-999 the fill styles, 1001+ the backgrounds."""
        if ref is None:
            return None
        idx = int(ref.get("idx", "0") or 0)
        if idx == 0:
            return NONE
        colour = self.colour(ref)
        styles = "a:bgFillStyleLst" if idx > 1000 else "a:fillStyleLst"
        found = self.theme.find(f"a:themeElements/a:fmtScheme/{styles}", NS) if self.theme is not None else None
        entries = list(found) if found is not None else []
        position = (idx - 1001) if idx > 1000 else (idx - 1)
        if 0 <= position < len(entries):
            return self.fill_element(entries[position], colour)
        return Fill("solid", colour)

    def scheme_colour(self, name: str) -> Colour | None:
        """A theme colour by its role name ("tx1", "bg1", "accent1")."""
        return self.scheme.get(self.colour_map.get(name, name))

    @staticmethod
    def _plain(element: etree._Element | None) -> Colour | None:
        if element is None:
            return None
        kind = etree.QName(element).localname
        if kind == "srgbClr":
            return _hex(element.get("val", ""))
        if kind == "sysClr":
            return _hex(element.get("lastClr", "") or ("FFFFFF" if element.get("val") == "window" else "000000"))
        if kind == "prstClr":
            rgb = _PRESET.get(element.get("val", "").lower())
            return Colour(rgb) if rgb else None
        if kind == "scrgbClr":
            linear = [int(element.get(k, "0")) / 100000 for k in ("r", "g", "b")]
            return Colour(tuple(_to_srgb(v) for v in linear))  # type: ignore[arg-type]
        if kind == "hslClr":
            h, s, lum = (int(element.get(k, "0")) for k in ("hue", "sat", "lum"))
            return Colour(colorsys.hls_to_rgb(h / 21600000, lum / 100000, s / 100000))
        return None


def _hex(value: str) -> Colour | None:
    try:
        return Colour(tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)))  # type: ignore[arg-type]
    except ValueError:
        return None


def _to_srgb(v: float) -> float:
    v = min(max(v, 0.0), 1.0)
    return 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


def _modified(base: Colour, element: etree._Element) -> Colour:
    """The colour modifiers PowerPoint writes most: luminance, tint, shade and transparency."""
    rgb, alpha = base.rgb, base.alpha
    for mod in element:
        name, val = etree.QName(mod).localname, int(mod.get("val", "0") or 0) / 100000
        if name == "alpha":
            alpha = val
        elif name in ("lumMod", "lumOff"):
            h, lum, s = colorsys.rgb_to_hls(*rgb)
            lum = lum * val if name == "lumMod" else lum + val
            rgb = colorsys.hls_to_rgb(h, min(max(lum, 0.0), 1.0), s)
        elif name == "tint":
            rgb = tuple(c * val + (1 - val) for c in rgb)  # type: ignore[assignment]
        elif name == "shade":
            rgb = tuple(c * val for c in rgb)  # type: ignore[assignment]
    return Colour(rgb, alpha)


class RunLook(Struct, frozen=True):
    """How one run of text is drawn, after inheritance."""

    points: float
    fill: Fill | None  # None: the colour could not be worked out (a table style decides it)
    outlined: bool = False  # an outline, glow or shadow shows the letters whatever their fill
    spacing: float = 0.0  # points added between letters (`spc`; negative pulls them together)
    shift: float = 0.0  # how far the baseline moves, as a fraction of the size (`baseline`)
    pictures: bool = False  # set in a symbol font: the reader sees pictographs, not these characters


def inherited(lists: Sequence[Iterable[etree._Element | None]], level: int) -> list[list[etree._Element]]:
    """For each group of list styles, the run defaults (`a:defRPr`) at a paragraph level (0-8),
    nearest first: what `run_look` falls back on."""
    return [_levels(group, level) for group in lists]


def run_look(props: Sequence[etree._Element | None], groups: Sequence[Sequence[etree._Element]], palette: Palette,
             style_colour: Colour | None, scale: float, inherit_colour: bool = True) -> RunLook:
    """Size and fill of a run: its own `rPr` (and the paragraph's default) first, then the groups
    of inherited defaults (`inherited`: the shape's and its placeholders' list styles, then the
    master's text styles and the presentation's default), then PowerPoint's defaults (18 pt,
    text colour 1). `style_colour`, the shape style's font colour (`p:style/a:fontRef`), comes
    between the first and second group; `scale` is the shape's autofit font scale. With
    `inherit_colour` off (a table whose style colours its text) a colour the run does not set
    itself is left unknown."""
    own = [p for p in props if p is not None]
    chain = own + [c for group in groups for c in group]
    size = next((int(c.get("sz")) / 100 for c in chain if (c.get("sz") or "").isdigit()), DEFAULT_POINTS)
    fill = next((f for c in own if (f := palette.fill(c)) is not None), None)
    if inherit_colour:
        for n, group in enumerate(groups):
            if fill is None and n == 1 and style_colour is not None:
                fill = Fill("solid", style_colour)
            fill = fill or next((f for c in group if (f := palette.fill(c)) is not None), None)
        fill = fill or Fill("solid", style_colour or palette.scheme_colour("tx1"))
    outline = next((c.find("a:ln", NS) for c in chain if c.find("a:ln", NS) is not None), None)
    outlined = outline is not None and (palette.fill(outline) or NONE).kind != "none"
    effects = next((c.find("a:effectLst", NS) for c in chain if c.find("a:effectLst", NS) is not None), None)
    spacing = next((int(c.get("spc")) / 100 for c in chain if _whole(c.get("spc"))), 0.0)
    shift = next((int(c.get("baseline")) / 100000 for c in chain if _whole(c.get("baseline"))), 0.0)
    face = next((f.get("typeface", "") for c in chain if (f := c.find("a:latin", NS)) is not None), "")
    return RunLook(size * scale, fill, outlined or (effects is not None and len(effects) > 0), spacing * scale, shift,
                   face.strip().lower() in SYMBOL_FONTS)


def _whole(value: str | None) -> bool:
    """An attribute holding a whole number (negative ones too)."""
    return value is not None and value.lstrip("-").isdigit()


def displaces(props: etree._Element | None, points: float) -> tuple[bool, bool]:
    """Whether a paragraph's spacing moves text out of its place, off the slide as often as not
    (a slide's text is not clipped to its shape): (spacing before it or between its lines
    moves it and what follows; spacing after it moves what follows). LibreOffice leaves out the
    space before a frame's first paragraph; PowerPoint need not, so that counts too: no one
    sets two inches of it in earnest."""
    if props is None:
        return False, False

    def too_far(name: str) -> bool:
        found = props.find(f"a:{name}", NS)
        if found is None:
            return False
        exact, share = found.find("a:spcPts", NS), found.find("a:spcPct", NS)
        gap = int(exact.get("val", "0")) / 100 if exact is not None and _whole(exact.get("val")) else \
            int(share.get("val", "0")) / 100000 * points if share is not None and _whole(share.get("val")) else 0.0
        return gap > max(MAX_GAP_POINTS, MAX_GAP_LINES * points)

    return too_far("spcBef") or too_far("lnSpc"), too_far("spcAft")


def _levels(styles: Iterable[etree._Element | None], level: int) -> list[etree._Element]:
    found = []
    for style in styles:
        if style is not None:
            found += [style.find(f"a:lvl{level + 1}pPr/a:defRPr", NS), style.find("a:defPPr/a:defRPr", NS)]
    return [f for f in found if f is not None]


def unseen(look: RunLook, backdrop: Colour | None) -> bool:
    """True when a run is in the file but a person cannot see it on the slide (or cannot read
    it: letters piled on each other, moved off their line, or drawn as pictographs)."""
    if look.points < MIN_POINTS or look.spacing < -MAX_SQUEEZE * look.points or abs(look.shift) > MAX_SHIFT or \
            look.pictures:
        return True
    fill = look.fill
    if fill is None or fill.kind == "other":
        return False
    if fill.kind == "none":
        return not look.outlined
    if fill.colour is None:
        return False
    if fill.colour.alpha < 0.1:
        return not look.outlined
    if backdrop is None or look.outlined:
        return False
    return contrast(fill.colour.over(backdrop), backdrop) < MIN_CONTRAST
