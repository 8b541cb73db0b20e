"""Tagged PDF, drawing side: marked content around what each block draws, and the structure tree
those marks belong to, built in the order the blocks are drawn.

Every page starts inside an `/Artifact BMC` sequence. A block that carries a tag (a `TaggedPara`,
a `Marked` flowable, or a `with mark(...)` around a few canvas calls) closes it, draws inside
`/P <</MCID n>> BDC … EMC`, and reopens it. So whatever no block claims (running heads, folios,
rules, table grids, tinted panels, spacing) is an artifact without being listed anywhere, and
nothing on a page can be both or neither.

A tag names its place in the tree as a path of (role, key) steps from the Document, e.g.
`(("L", "s2b1"), ("LI", "3"))`: the nodes are made the first time a path is drawn, so the tree's
order is the drawing order, which in these single-flow layouts is the logical order. A split
paragraph carries its path onto the next page (one element, two marks); a flowable drawn a
second time (a table's header row repeated on a new page) is drawn as an artifact.

Scratch layouts use a plain Canvas: flowables draw untagged there and record nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from msgspec import Struct, field
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as _Paragraph

from clearfacts.render.pdf.compat_reportlab import SpacedLines

Step = tuple[str, str]  # (structure role, key unique among its siblings)
Path = tuple[Step, ...]


class Mark(Struct, frozen=True):
    """One marked-content sequence: page index (0-based) and its MCID there."""

    page: int
    mcid: int


class Annot(Struct, frozen=True):
    """A link annotation, by page and its position in the page's /Annots."""

    page: int
    index: int
    contents: str


class Node(Struct, eq=False):
    """One structure element; `kids` are Nodes, Marks and Annots, in reading order."""

    role: str
    parent: Node | None = None
    kids: list[Node | Mark | Annot] = field(default_factory=list)
    alt: str = ""
    scope: str = ""  # TH: "Column" or "Row"
    _index: dict[str, Node] = field(default_factory=dict)

    def child(self, role: str, key: str, **attrs: str) -> Node:
        found = self._index.get(key)
        if found is None:
            found = Node(role, self, **attrs)
            self._index[key] = found
            self.kids.append(found)
        return found

    def kid(self, key: str) -> Node | None:
        return self._index.get(key)

    def nodes(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.nodes()


class Tag(Struct, frozen=True):
    """Where a flowable belongs: its path, and attributes for its own (last) element."""

    path: Path
    alt: str = ""
    scope: str = ""


class Tagger:
    """The structure of one document as it is drawn: the tree, and per page which element each
    MCID and each link annotation belongs to (the ParentTree's contents)."""

    def __init__(self) -> None:
        self.root = Node("Document")
        self.pages: list[list[Node]] = []  # page → MCID → element
        self.annots: list[list[Annot]] = []
        self.annot_nodes: list[Node] = []  # in the order of `annots`, flattened
        self.current: Node | None = None
        self._artifact = False
        # drawn flowables by id, kept alive: a freed one's id may be reused by a new flowable (a
        # paragraph's part after a page break), which must not pass for drawn before
        self._drawn: dict[int, object] = {}
        self._label_then: Node | None = None  # a list item's body, after its label is drawn
        self.titles: dict[str, str] = {}  # an internal link's destination → what a reader hears

    def node(self, tag: Tag) -> Node:
        node = self.root
        for depth, (role, key) in enumerate(tag.path):
            last = depth == len(tag.path) - 1
            node = node.child(role, key, **({"alt": tag.alt, "scope": tag.scope} if last else {}))
        return node

    def page_begin(self, canv: Canvas) -> None:
        self.pages.append([])
        self.annots.append([])
        canv.addLiteral("/Artifact BMC")
        self._artifact = True

    def page_end(self, canv: Canvas) -> None:
        if self._artifact:
            canv.addLiteral("EMC")
            self._artifact = False

    def begin(self, canv: Canvas, node: Node) -> None:
        if self._artifact:
            canv.addLiteral("EMC")
            self._artifact = False
        page = len(self.pages) - 1
        mcid = len(self.pages[page])
        self.pages[page].append(node)
        node.kids.append(Mark(page, mcid))
        canv.addLiteral(f"/{node.role} <</MCID {mcid}>> BDC")
        self.current = node

    def end(self, canv: Canvas) -> None:
        canv.addLiteral("EMC")
        canv.addLiteral("/Artifact BMC")
        self._artifact = True
        self.current = None
        self._label_then = None

    def first_time(self, flowable: object) -> bool:
        """False for a flowable drawn before (a repeated header row): draw it as an artifact."""
        if id(flowable) in self._drawn:
            return False
        self._drawn[id(flowable)] = flowable
        return True

    def text_drawn(self, canv: Canvas) -> None:
        """After a text object: a list item's label is done, its body begins."""
        if self._label_then is not None:
            body, self._label_then = self._label_then, None
            canv.addLiteral("EMC")
            page = len(self.pages) - 1
            mcid = len(self.pages[page])
            self.pages[page].append(body)
            body.kids.append(Mark(page, mcid))
            canv.addLiteral(f"/{body.role} <</MCID {mcid}>> BDC")
            self.current = body

    def link(self, contents: str) -> None:
        """A link annotation made while `current` is drawn: it belongs to the nearest Link
        element, or to a new Link inside the current element."""
        node = self.current
        while node is not None and node.role != "Link":
            node = node.parent
        if node is None:
            holder = self.current or self.root
            node = holder.child("Link", f"link{len(holder.kids)}")
        page = len(self.annots) - 1
        annot = Annot(page, len(self.annots[page]), contents)
        self.annots[page].append(annot)
        self.annot_nodes.append(node)
        node.kids.append(annot)


class TaggedCanvas(Canvas):
    """A canvas that knows the document's Tagger: link annotations join the structure, and a
    list item's bullet (its first text object) becomes its label."""

    def __init__(self, *args: object, tagger: Tagger, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.tagger = tagger

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self.tagger.page_end(self)
        super().showPage()

    def beginText(self, x: float = 0, y: float = 0, direction: str | None = None) -> SpacedLines:  # noqa: N802
        """Text objects whose wrapped lines end in a space (see `SpacedLines`)."""
        return SpacedLines(self, x, y, direction=direction)

    def drawText(self, aTextObject: object) -> None:  # noqa: N802, N803 - reportlab's names
        super().drawText(aTextObject)
        self.tagger.text_drawn(self)

    def linkURL(self, url: str, rect: object, *args: object, **kwargs: object) -> None:  # noqa: N802
        self.tagger.link(f"Link to {url}")
        super().linkURL(url, rect, *args, **kwargs)

    def linkRect(self, contents: str, destinationname: str, *args: object, **kwargs: object) -> None:  # noqa: N802
        self.tagger.link(f"Go to {self.tagger.titles.get(destinationname, destinationname)}")
        super().linkRect(contents, destinationname, *args, **kwargs)


def tagger_of(canv: object) -> Tagger | None:
    return canv.tagger if isinstance(canv, TaggedCanvas) else None


@contextmanager
def mark(canv: object, tag: Tag | None, flowable: object = None) -> Iterator[None]:
    """Draw the body of the `with` as the element `tag` names (or untagged on a scratch canvas)."""
    tagger = tagger_of(canv)
    if tagger is None or tag is None or (flowable is not None and not tagger.first_time(flowable)):
        yield
        return
    node = tagger.node(tag)
    if node.role == "LI":  # a bullet: label first, then the body (see TaggedCanvas.drawText)
        # An item drawn without a bullet (a checklist's tick box is an artifact) has no label:
        # an empty Lbl would only be an element a screen reader stops at to say nothing.
        labelled = getattr(flowable, "bulletText", None) and node.kid("label") is None  # not on a second piece
        label = node.child("Lbl", "label") if labelled else None
        body = node.child("LBody", "body")
        if label is not None:
            tagger.begin(canv, label)  # type: ignore[arg-type]
            tagger._label_then = body  # noqa: SLF001 - same module
        else:
            tagger.begin(canv, body)  # type: ignore[arg-type]
    else:
        tagger.begin(canv, node)  # type: ignore[arg-type]
    try:
        yield
    finally:
        tagger.end(canv)  # type: ignore[arg-type]


class TaggedPara(_Paragraph):
    """A platypus Paragraph that draws inside its element's marked content; the parts it splits
    into (across a page break) keep its element."""

    tag: Tag | None = None

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        with mark(canvas, self.tag, self):
            super().drawOn(canvas, x, y, _sW)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.tag = self.tag
        return parts


def para(text: str, style: object, tag: Tag | None, **kwargs: object) -> TaggedPara:
    p = TaggedPara(text, style, **kwargs)
    p.tag = tag
    return p


class Marked(Flowable):
    """Any flowable that does not split (a QR code), drawn inside its element."""

    def __init__(self, inner: Flowable, tag: Tag):
        super().__init__()
        self.inner = inner
        self.tag = tag

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = self.inner.wrap(availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        with mark(canvas, self.tag, self):
            self.inner.drawOn(canvas, x, y, _sW)
