"""The deck's icon arrays as its XML shows them (see `icon_arrays`, which checks them): each group
shape with alternative text, and how many of its shapes have a solid fill."""

from __future__ import annotations

from clearfacts.verify.icon_arrays import DrawnArray
from clearfacts.verify.normalise import normalise
from clearfacts.verify.pptx_package import NS, R_ID, Package, tag


def read_pptx_arrays(data: bytes) -> list[DrawnArray]:
    """Every group shape with alternative text, slide by slide, and its shapes' fills."""
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
            if alt and shapes:
                fills = [sp.find("p:spPr/a:solidFill", NS) is not None for sp in shapes]
                out.append(DrawnArray(f"slide {n}", normalise(alt), sum(fills), len(fills)))
    return out
