"""Shapes a slide show does not let the audience see, though the slide shows them when edited or
printed: a shape that leaves with an exit effect as the slide opens (the first group of effects
starts with the slide, not on a click), or that a motion path carries off then (to wherever it
leads), or whose colour or opacity an emphasis effect changes then (to the background's, or to
nothing), and a shape that enters only when the presenter clicks one particular shape (a
trigger: an interactive sequence, which a run through the slides never plays). Their text is
read as hidden, like a hidden shape's.

Effects started by a click in the main sequence are left alone: each click plays the next one,
so what they bring in is seen, and what they take away was seen first. The build makes no
animations; these come from an edit in PowerPoint or LibreOffice.
"""

from __future__ import annotations

from lxml import etree

from clearfacts.verify.pptx_package import NS, tag

_EFFECT = "p:cTn[@presetClass]"
_RECOLOURS = frozenset(("style.opacity", "style.color", "fillcolor", "fill.opacity", "stroke.color", "ppt_c"))


def vanishing(slide: etree._Element) -> set[str]:
    """The ids (`p:cNvPr/@id`) of the shapes the slide show keeps from the audience."""
    timing = slide.find("p:timing", NS)
    if timing is None:
        return set()
    out: set[str] = set()
    for effect in timing.iterfind(f".//{_EFFECT}", NS):
        kind = effect.get("presetClass")
        sequence = _sequence_of(effect)
        if sequence == "interactiveSeq" and kind == "entr" or (
                sequence == "mainSeq" and (kind in ("exit", "path") or kind == "emph" and _recolours(effect))
                and _starts_with_the_slide(effect)):
            out |= {target.get("spid", "") for target in effect.iterfind(".//p:spTgt", NS)}
    return out


def _recolours(effect: etree._Element) -> bool:
    """An emphasis that changes the shape's colour or opacity (Transparency, Font Color, Fill
    Color). It may end in the background's colour or in none; which one is not worked out
    here, so such an effect at the slide's start is not vouched for."""
    if effect.find(".//p:animClr", NS) is not None:
        return True
    return any((name.text or "").strip() in _RECOLOURS for name in effect.iterfind(".//p:attrName", NS))


def _sequence_of(effect: etree._Element) -> str:
    """"mainSeq" (played click by click) or "interactiveSeq" (played when a shape is clicked)."""
    for ancestor in effect.iterancestors(tag("p:seq")):
        node = ancestor.find("p:cTn", NS)
        return node.get("nodeType", "") if node is not None else ""
    return ""


def _starts_with_the_slide(effect: etree._Element) -> bool:
    """Whether the effect's click group (a `p:par` right under the main sequence) begins when the
    sequence does, with no click. A group that waits for a click has the one condition
    `delay="indefinite"`; one whose first effect starts "With Previous" or "After Previous" adds
    `evt="onBegin"` (PowerPoint) or has a plain delay (`delay="0"`: LibreOffice), or no
    condition at all."""
    group = None
    for ancestor in effect.iterancestors(tag("p:par")):
        holder = ancestor.getparent()
        sequence = holder.getparent() if holder is not None else None
        if sequence is not None and sequence.get("nodeType") == "mainSeq":
            group = ancestor
            break
    if group is None:
        return False
    conditions = group.findall("p:cTn/p:stCondLst/p:cond", NS)
    return not conditions or any(c.get("evt") == "onBegin" or (c.get("evt") is None and c.get("delay") != "indefinite")
                                 for c in conditions)


# Reading speed for a slide that moves on by itself: 200 words a minute, a little slow for adults
# and fast for many of the readers this material is for.
SECONDS_PER_WORD = 0.3


def advances_after(slide: etree._Element) -> float | None:
    """Seconds after which the slide show moves on from this slide by itself (its transition's
    `advTm`; PowerPoint may wrap the transition in `mc:AlternateContent`, so the shortest any
    choice sets), or None when only the presenter moves it on."""
    times = [int(t.get("advTm", "")) for t in slide.iterfind(".//p:transition", NS)
             if t.get("advTm", "").isdigit()]
    return min(times) / 1000 if times else None


def too_soon(slide: etree._Element, words: int) -> float | None:
    """The time a slide stays up when that is too short to read its `words` words (a show that
    flicks past a slide hides it as surely as its hidden flag), else None."""
    after = advances_after(slide)
    return after if after is not None and after < words * SECONDS_PER_WORD else None
