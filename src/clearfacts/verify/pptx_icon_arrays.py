"""The deck's icon arrays as its XML shows them (see `icon_arrays`, which checks them): each group
shape of figures (shapes with no text), its alternative text, and how many of its shapes have a
solid fill."""

from __future__ import annotations

from clearfacts.verify.icon_arrays import DrawnArray
from clearfacts.verify.normalise import normalise
from clearfacts.verify.pptx_package import NS, R_ID, Package, tag


def read_pptx_arrays(data: bytes) -> list[DrawnArray]:
    """Every group shape of figures, slide by slide, with its alternative text ("" for none: a
    deck LibreOffice saved keeps no group's) and its shapes' fills."""
    pkg = Package(data)
    presentation = "ppt/presentation.xml"
    rels = pkg.rels(presentation)
    out: list[DrawnArray] = []
    for n, sld in enumerate(pkg.xml(presentation).iterfind("p:sldIdLst/p:sldId", NS), 1):
        part = rels.get(sld.get(R_ID, ""), ("", ""))[1]
        if part not in pkg.names:
            continue
        for group in pkg.xml(part).iter(tag("p:grpSp")):
            props = group.find("p:nvGrpSpPr/p:cNvPr", NS)
            alt = props.get("descr", "") if props is not None else ""
            shapes = group.findall("p:sp", NS)
            figures = len(shapes) > 1 and not any(sp.find(".//a:t", NS) is not None for sp in shapes)
            if shapes and (alt or figures):
                fills = [sp.find("p:spPr/a:solidFill", NS) is not None for sp in shapes]
                out.append(DrawnArray(f"slide {n}", normalise(alt), sum(fills), len(fills)))
    return out
