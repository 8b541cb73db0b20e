"""A claim fact lists the phrases that would say its opposite: the content may never say them,
and an output that does (a careless or hostile edit of a note or slide) fails the check."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from conftest import edit, line_of, run


def test_content_that_contradicts_a_claim_is_refused_with_its_line(project: Path) -> None:
    path = project / "content/library.yaml"
    edit(path, "The clinic promises results or says there is no risk.",
         "The clinic says stem cell therapy is FDA-approved for neuropathy.")
    result = run("build")
    assert result.exit_code == 2
    line = line_of(path, "is FDA-approved for neuropathy.")
    assert re.search(rf"content/library\.yaml:{line}: .*contradicts the claim fda\.neuropathy.*\[claim-contradicted\]",
                     result.stderr), result.stderr


def test_a_note_edited_to_say_the_opposite_fails_the_check(project: Path) -> None:
    assert run("build").exit_code == 0
    deck = project / "slides/support-group.pptx"
    source = zipfile.ZipFile(io.BytesIO(deck.read_bytes()))
    out = io.BytesIO()
    changed = ""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if not changed and info.filename.startswith("ppt/notesSlides/") and b"is not FDA-approved" in data:
                data = data.replace(b"PRP is in use but is not FDA-approved",
                                    b"PRP is in use. Stem cell therapy is now FDA-approved", 1)
                changed = info.filename
            target.writestr(info, data)
    assert changed
    deck.write_bytes(out.getvalue())
    result = run("check")
    assert result.exit_code == 1
    assert re.search(r"slides/support-group\.pptx: slide \d+ notes: contradicts claim fda\.neuropathy: "
                     r"'is now FDA-approved'", result.stderr), result.stderr
