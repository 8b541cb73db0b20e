"""What a PDF declares, beyond its pages' content, that changes what a reader sees or where a
viewer takes them: layers, scripts and actions nobody clicks. clearfacts makes none of them, so a
file that has one was edited, and the check says so instead of guessing what a viewer will do.

- Layers (optional content) are parts of a page that a viewer, a printer or the reader's own
  switch may leave out; whether a file has them is said once, in its catalog (`/OCProperties`):
  without it, viewers draw everything, whatever the content streams mark.
- Scripts (JavaScript: run when the file opens, a page shows or a field is touched) can fill a
  form field or change what is drawn in a viewer that runs them, after any reading of the file.
- Actions a viewer performs by itself, or from a bookmark: on opening the file (`/OpenAction`
  other than showing one of its pages), on a page or field event (`/AA`), from a bookmark or an
  annotation that is not a link (a link's own address is checked with the others: `links.py`).
  Any of them can open a web site or a program while the reader reads the right words.

PDFium shows neither the catalog nor the actions, so they are read with pikepdf (qpdf), which
sees every object wherever the file keeps it, object streams included.
"""

from __future__ import annotations

import io

import pikepdf

WHOLE = "the whole file"
LAYERS = ("has layers (optional content), which a viewer or printer may leave out, so what a reader sees cannot be "
          "vouched for; clearfacts makes none: rebuild it")
SCRIPTS = ("runs scripts (JavaScript), which can change what a viewer shows after the file is read; clearfacts "
           "writes none: rebuild it")
ACTS = "{what} ({kinds}), which clearfacts never writes: rebuild it"


def declared_problems(data: bytes) -> list[tuple[str, str]]:
    """The problems to report for a file that declares layers or scripts (or cannot be opened to
    rule them out)."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            found = [LAYERS] if "/OCProperties" in pdf.Root else []
            # a JavaScript action, or a name tree of document scripts
            if any(isinstance(obj, pikepdf.Dictionary) and (obj.get("/S") == pikepdf.Name.JavaScript
                                                            or "/JS" in obj or "/JavaScript" in obj)
                   for obj in pdf.objects):
                found.append(SCRIPTS)
            found += [ACTS.format(what=what, kinds=", ".join(sorted(kinds))) for what, kinds in _actions(pdf).items()]
            return [(WHOLE, problem) for problem in found]
    except pikepdf.PdfError:
        return [(WHOLE, "its structure cannot be read to rule out layers and scripts; rebuild it")]


def _actions(pdf: object) -> dict[str, set[str]]:
    """What the file does with no link clicked: when → the kinds of action ("URI", "Launch")."""
    found: dict[str, set[str]] = {}

    def note(what: str, action: object) -> None:
        kind = action.get("/S") if isinstance(action, pikepdf.Dictionary) else None
        if kind is not None and kind != pikepdf.Name.GoTo:
            found.setdefault(what, set()).add(str(kind).lstrip("/"))

    note("opens something as the file opens", pdf.Root.get("/OpenAction"))
    events = [pdf.Root, *(page.obj for page in pdf.pages)]
    events += [a for page in pdf.pages for a in page.obj.get("/Annots", []) if isinstance(a, pikepdf.Dictionary)]
    for holder in events:
        additional = holder.get("/AA")
        for action in additional.values() if isinstance(additional, pikepdf.Dictionary) else ():
            note("acts by itself when a page shows or a field is touched", action)
        if holder.get("/Subtype") not in (None, pikepdf.Name.Link):
            note("acts when an annotation that is not a link is touched", holder.get("/A"))
    item = pdf.Root.get("/Outlines", {}).get("/First") if "/Outlines" in pdf.Root else None
    todo, seen = [item], set()
    while todo:
        item = todo.pop()
        if not isinstance(item, pikepdf.Dictionary) or item.objgen in seen:
            continue
        seen.add(item.objgen)
        note("a bookmark does something else than open a page", item.get("/A"))
        todo += [item.get("/First"), item.get("/Next")]
    return found
