"""A claim fact lists the phrases that would say its opposite: the content may never say them,
and an output that does (a careless or hostile edit of a note or slide) fails the check."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Pt

from conftest import edit, line_of, run


@pytest.mark.parametrize("approved", ["FDA-approved", "FDA approved"])  # as listed, and without its hyphen
def test_content_that_contradicts_a_claim_is_refused_with_its_line(project: Path, approved: str) -> None:
    path = project / "content/library.yaml"
    edit(path, "The clinic promises results or says there is no risk.",
         f"The clinic says stem cell therapy is {approved} for neuropathy.")
    result = run("build")
    assert result.exit_code == 2
    line = line_of(path, f"is {approved} for neuropathy.")
    assert re.search(rf"content/library\.yaml:{line}: .*contradicts the claim fda\.neuropathy.*\[claim-contradicted\]",
                     result.stderr), result.stderr


def test_a_note_edited_to_say_the_opposite_fails_the_check(here: Path) -> None:
    deck = here / "slides/support-group.pptx"  # just built on this machine, as `here` always is
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


def _rewrite_zip(path: Path, prefix: str, old: bytes, new: bytes) -> str:
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    changed = ""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if not changed and info.filename.startswith(prefix) and old in data:
                data, changed = data.replace(old, new, 1), info.filename
            target.writestr(info, data)
    assert changed, old
    path.write_bytes(out.getvalue())
    return changed


def _other_build(project: Path, tmp_path: Path, file: str, old: str, new: str) -> Path:
    """The same content with one edit, built elsewhere: its outputs are what a careless or
    hostile edit of ours would look like, drawn by the same renderer."""
    other = tmp_path / "other"
    shutil.copytree(project / "content", other / "content")
    edit(other / "content" / file, old, new)
    # --no-verify: this build only makes the tampered file; reading it back is the test's `check`
    assert run("build", "--content", str(other / "content"), "--outputs", str(other), "--no-verify").exit_code == 0
    return other


def test_a_negation_dropped_on_the_handout_is_a_changed_sentence(here: Path, tmp_path: Path) -> None:
    other = _other_build(here, tmp_path, "library.yaml", "FDA-approved. It is not.", "FDA-approved. It is.")
    shutil.copy(other / "handouts/red-flags.pdf", here / "handouts/red-flags.pdf")
    result = run("check")
    assert result.exit_code == 1
    assert "handouts/red-flags.pdf: changed: 'It is not.' not found" in result.stderr, result.stderr


def test_one_copy_of_a_repeated_sentence_changed_is_caught(here: Path, tmp_path: Path) -> None:
    """The booklet says "In the control group, 48.3% did." twice; one copy says 84.3%."""
    facts = here / "content/facts.yaml"
    text = facts.read_text()
    start = text.index("  trial.control_rate:")
    following = re.compile(r"\n  [a-z]").search(text, start + 10)  # the next fact's key
    end = following.start() if following else len(text)
    twin = text[start:end].replace("trial.control_rate:", "trial.control_rate_other:").replace('"48.3', '"84.3')
    facts.write_text(text[:end] + "\n" + twin.rstrip("\n") + "\n" + text[end:])
    other = tmp_path / "other"
    shutil.copytree(here / "content", other / "content")
    edit(other / "content/library.yaml", "In the control group, {trial.control_rate} did.",
         "In the control group, {trial.control_rate_other} did.")
    facts.write_text(text)
    assert run("build", "--content", str(other / "content"), "--outputs", str(other), "--no-verify").exit_code == 0
    shutil.copy(other / "handouts/faq-booklet.pdf", here / "handouts/faq-booklet.pdf")
    result = run("check")
    assert result.exit_code == 1
    assert re.search(r"handouts/faq-booklet\.pdf: page \d+: (altered fact trial\.control_rate: found 84\.3%|"
                     r"unregistered figure '84\.3%')", result.stderr), result.stderr


def test_words_around_a_figure_changed_on_a_slide_and_in_the_notes(here: Path) -> None:
    deck = here / "slides/support-group.pptx"
    _rewrite_zip(deck, "ppt/slides/slide", b"of the MSC group", b"of the control group")
    _rewrite_zip(deck, "ppt/notesSlides/", b"is not FDA-approved", b"is FDA-approved")
    result = run("check")
    assert result.exit_code == 1
    assert re.search(r"slides/support-group\.pptx: slide \d+: changed: 'Over 8 years, 10\.3% of the MSC group got "
                     r"DPN\.' not found", result.stderr), result.stderr
    assert re.search(r"slides/support-group\.pptx: slide \d+ notes: changed: 'PRP is in use but is not "
                     r"FDA-approved for neuropathy\.' not found", result.stderr), result.stderr


@pytest.mark.parametrize("said", ["Good news: it is now FDA approved!",
                                  "Stem Cell Therapy is FDA–Approved for\nneuropathy"])
def test_a_text_box_with_a_claims_negation_unhyphenated_fails_the_check(here: Path, said: str) -> None:
    """A facilitator's own text box may say what they like, but not the opposite of a claim, however
    it is hyphenated, dashed, broken or capitalised; here on a slide, and on the layout under it
    (where it shows on every slide that uses that layout)."""
    deck_path = here / "slides/support-group.pptx"
    original = deck_path.read_bytes()
    for on_layout in (False, True):
        deck = Presentation(io.BytesIO(original))
        slide = deck.slides[3]
        box = slide.shapes.add_textbox(Pt(40), Pt(40), Pt(500), Pt(60))
        box.text_frame.text = said
        if on_layout:
            element = box._element
            element.getparent().remove(element)
            slide.slide_layout.shapes._spTree.append(element)  # python-pptx adds shapes to slides only
        deck.save(str(deck_path))
        result = run("check")
        assert result.exit_code == 1, result.stderr
        assert re.search(r"slides/support-group\.pptx: slide 4: contradicts claim fda\.neuropathy", result.stderr), \
            result.stderr
