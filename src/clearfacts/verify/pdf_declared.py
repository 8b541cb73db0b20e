"""What a PDF declares, beyond its pages' content, that changes what a reader sees: layers and
scripts. clearfacts makes neither, so a file that has one was edited, and the check says so
instead of guessing what a viewer will show.

- Layers (optional content) are parts of a page that a viewer, a printer or the reader's own
  switch may leave out; whether a file has them is said once, in its catalog (`/OCProperties`):
  without it, viewers draw everything, whatever the content streams mark.
- Scripts (JavaScript: run when the file opens, a page shows or a field is touched) can fill a
  form field or change what is drawn in a viewer that runs them, after any reading of the file.

PDFium shows neither the catalog nor the actions, so they are read with pikepdf (qpdf), which
sees every object wherever the file keeps it, object streams included.
"""

from __future__ import annotations

import io

WHOLE = "the whole file"
LAYERS = ("has layers (optional content), which a viewer or printer may leave out, so what a reader sees cannot be "
          "vouched for; clearfacts makes none: rebuild it")
SCRIPTS = ("runs scripts (JavaScript), which can change what a viewer shows after the file is read; clearfacts "
           "writes none: rebuild it")


def declared_problems(data: bytes) -> list[tuple[str, str]]:
    """The problems to report for a file that declares layers or scripts (or cannot be opened to
    rule them out)."""
    import pikepdf  # only here: reading a PDF back otherwise needs PDFium alone

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            found = [LAYERS] if "/OCProperties" in pdf.Root else []
            # a JavaScript action, or a name tree of document scripts
            if any(isinstance(obj, pikepdf.Dictionary) and (obj.get("/S") == pikepdf.Name.JavaScript
                                                            or "/JS" in obj or "/JavaScript" in obj)
                   for obj in pdf.objects):
                found.append(SCRIPTS)
            return [(WHOLE, problem) for problem in found]
    except pikepdf.PdfError:
        return [(WHOLE, "its structure cannot be read to rule out layers and scripts; rebuild it")]
