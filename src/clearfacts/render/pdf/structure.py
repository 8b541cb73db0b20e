"""Tagged PDF, file side: the structure tree the drawing recorded (`tags.Tagger`), written into
reportlab's PDF with pikepdf, with what makes the file a tagged, PDF/UA-identified document.

reportlab marks content (`addLiteral`) but has no public way to add a StructTreeRoot, page
/StructParents and /Tabs, or an annotation's /StructParent; doing it through its object layer
would take a dozen private names. pikepdf (qpdf) edits the finished file through a public API in
a few milliseconds, copies every existing stream untouched (no decoding, no re-compression) and
writes the same bytes for the same input (`deterministic_id`).
"""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
from msgspec import Struct
from pikepdf import Array, Dictionary, Name

from clearfacts.render.pdf.tags import Annot, Mark, Node, Tagger


class About(Struct, frozen=True):
    """What the XMP metadata says (the same as the Info dictionary reportlab wrote)."""

    title: str
    author: str
    subject: str
    keywords: str
    lang: str
    when: dt.datetime


def finish(data: bytes, tagger: Tagger, about: About) -> bytes:
    """reportlab's PDF with the structure tree, ParentTree, MarkInfo, Tabs and XMP added."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = [page.obj for page in pdf.pages]
        refs = {id(node): pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.role)))
                for node in tagger.root.nodes()}
        annots = [_annots(page) for page in pages]
        for node in tagger.root.nodes():
            _element(refs[id(node)], node, refs, pages, annots)
        doc = refs[id(tagger.root)]
        root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([doc])))
        doc.P = root
        nums = Array()
        for index, (page, marks) in enumerate(zip(pages, tagger.pages, strict=True)):
            page.StructParents = index
            page.Tabs = Name.S
            nums.extend([index, pdf.make_indirect(Array([refs[id(node)] for node in marks]))])
        key = len(pages)
        for node, annot in zip(tagger.annot_nodes, (a for page in tagger.annots for a in page), strict=True):
            obj = annots[annot.page][annot.index]
            obj.StructParent = key
            obj.Contents = pikepdf.String(annot.contents)
            nums.extend([key, refs[id(node)]])
            key += 1
        root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
        root.ParentTreeNextKey = key
        catalog = pdf.Root
        catalog.StructTreeRoot = root
        catalog.MarkInfo = Dictionary(Marked=True)
        catalog.Lang = pikepdf.String(about.lang)
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        catalog.Metadata = pdf.make_stream(_xmp(about), Type=Name.Metadata, Subtype=Name.XML)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _annots(page: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    return list(page.get("/Annots", Array()))


def _element(ref: pikepdf.Dictionary, node: Node, refs: dict[int, pikepdf.Dictionary],
             pages: list[pikepdf.Dictionary], annots: list[list[pikepdf.Dictionary]]) -> None:
    """Fill one StructElem: parent, page, kids (MCIDs on its own page as numbers, others as
    marked-content references, annotations as object references), Alt and Scope."""
    if node.parent is not None:
        ref.P = refs[id(node.parent)]
    home = next((k.page for k in node.kids if isinstance(k, Mark | Annot)), None)
    if home is not None:
        ref.Pg = pages[home]
    kids = Array()
    for kid in node.kids:
        if isinstance(kid, Node):
            kids.append(refs[id(kid)])
        elif isinstance(kid, Mark):
            kids.append(kid.mcid if kid.page == home else Dictionary(Type=Name.MCR, Pg=pages[kid.page], MCID=kid.mcid))
        else:
            kids.append(Dictionary(Type=Name.OBJR, Pg=pages[kid.page], Obj=annots[kid.page][kid.index]))
    ref.K = kids
    if node.alt:
        ref.Alt = pikepdf.String(node.alt)
    if node.scope:
        ref.A = Dictionary(O=Name.Table, Scope=Name("/" + node.scope))


def _xmp(about: About) -> bytes:
    """dc:title (what a viewer shows with DisplayDocTitle), the PDF/UA-1 identification, and the
    Info dictionary's other fields, dated from the build options, never the clock."""
    when = about.when.strftime("%Y-%m-%dT%H:%M:%S") + ("Z" if about.when.utcoffset() is None else
                                                        about.when.strftime("%z")[:3] + ":" +
                                                        about.when.strftime("%z")[3:])
    e = _escape
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(about.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e(about.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(about.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{e(about.lang)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{e(about.keywords)}</pdf:Keywords>
   <pdf:Producer>clearfacts (reportlab)</pdf:Producer>
   <xmp:CreatorTool>clearfacts</xmp:CreatorTool>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
