"""Tamper with a built PDF the way a hostile editor would, so that the figure a reader sees is not
the one the text layer holds, and expect `check` to name the file, the page and what was done:
text made invisible, white, tiny, fully transparent or pushed off the page (`not visible`),
text put in a layer that a viewer may leave out (`has layers`), a script that runs in the
viewer (`runs scripts`), a figure covered by a box or a bar (`covered`), a figure added in an
annotation, as its text or drawn by its own appearance, on screen or on paper only
(`unregistered figure`), a font whose ToUnicode map (or an ActualText) says another figure than
the glyphs show (`altered`). The untampered files must read back exactly as PDFium reads them,
and check clean.

Each tamper edits the built file with pypdf or pikepdf: mostly the content stream of the page (or of
the print file's form XObject) that draws "48.3%", located by its text-showing operator. The
untampered outputs are checked as a clinic that downloaded them would (`built`: no build cache,
`check` reads every file); the tampers are made in the session's project built on this machine
(`here`: its cache vouches for the files left alone, so `check` reads back the tampered one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText, Rectangle
from pypdf.generic import ContentStream, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from clearfacts.formats import by_key
from clearfacts.verify.normalise import normalise
from clearfacts.verify.read_pdf import read_imposed, read_pdf
from conftest import run

HANDOUT, BOOKLET, PRINT = (by_key(k).path for k in ("handout", "booklet", "booklet-print"))
FIGURE = "48.3%"
FACT = "fact trial.control_rate (48.3%)"
LINE = re.compile(rb"\((?:[^()\\]|\\.)*48\.3%(?:[^()\\]|\\.)*\) Tj")  # the Tj that shows the figure
BLOCK = re.compile(rb"BT\b.*?\bET", re.S)
INK = b".101961 .101961 .101961 rg"  # the renderer's body text colour
MARGIN = (358, 300, 394, 318)  # right of the booklet's text column: an annotation there covers nothing

Edit = Callable[[bytes], bytes]


def victim(path: Path) -> int:
    """The 0-based index of the first page whose content shows the figure."""
    reader = PdfReader(path)
    return next(i for i, page in enumerate(reader.pages) if LINE.search(page.get_contents().get_data()))


def figure_box(path: Path, index: int, needle: str = FIGURE) -> tuple[float, float, float, float]:
    """Where PDFium finds `needle` on the page: (left, bottom, right, top)."""
    pdf = pdfium.PdfDocument(path)
    try:
        textpage = pdf[index].get_textpage()
        start, count = textpage.search(needle).get_next()
        boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    finally:
        pdf.close()


def rewrite(path: Path, index: int, edit: Edit) -> None:
    writer = PdfWriter(clone_from=path)
    page = writer.pages[index]
    data = page.get_contents().get_data()
    changed = edit(data)
    assert changed != data
    stream = ContentStream(None, writer)
    stream.set_data(changed)
    page.replace_contents(stream)
    writer.write(path)


def rewrite_form(path: Path, edit: Edit) -> None:
    """Edit the print file's form XObject that draws the figure (a booklet page on a sheet side)."""
    writer = PdfWriter(clone_from=path)
    for page in writer.pages:
        for ref in page["/Resources"]["/XObject"].values():
            form = ref.get_object()
            if LINE.search(form.get_data()):
                form.set_data(edit(form.get_data()))
                writer.write(path)
                return
    raise AssertionError("no form draws the figure")


def in_block(change: Callable[[bytes], bytes]) -> Edit:
    """Change the BT…ET block holding the figure's line."""
    def edit(data: bytes) -> bytes:
        line = LINE.search(data)
        assert line
        block = next(b for b in BLOCK.finditer(data) if b.start() < line.start() < b.end())
        return data[:block.start()] + change(block.group(0)) + data[block.end():]
    return edit


def around_line(before: bytes, after: bytes) -> Callable[[bytes], bytes]:
    return lambda block: LINE.sub(lambda m: before + m.group(0) + after, block, count=1)


def drawn_last(extra: bytes) -> Edit:
    """Draw `extra` in page space just before the folio (the page's last text), so that text it
    adds is not read straight after the page number."""
    def edit(data: bytes) -> bytes:
        at = data.rfind(b"BT")
        return data[:at] + extra + b"\n" + data[at:]
    return edit


def then(*edits: Edit) -> Edit:
    def edit(data: bytes) -> bytes:
        for step in edits:
            data = step(data)
        return data
    return edit


def new_figure(x: float, y: float) -> bytes:
    return b"BT /F2+0 12 Tf 1 0 0 1 %.2f %.2f Tm (84.3%%) Tj ET" % (x, y)


def white_box(box: tuple[float, float, float, float], pad: float = 1.0) -> bytes:
    left, bottom, right, top = box
    return b"q 1 1 1 rg %.2f %.2f %.2f %.2f re f Q " % (left - pad, bottom - pad, right - left + 2 * pad,
                                                         top - bottom + 2 * pad)


def check_fails(*expected: str) -> str:
    result = run("check")
    assert result.exit_code == 1, result.stderr
    for line in expected:
        assert line in result.stderr, result.stderr
    return result.stderr


def test_untampered_outputs_read_back_as_pdfium_reads_them(built: Path) -> None:
    """No false alarm: every page reads exactly as `get_text_bounded` reads it, nothing is hidden
    or covered, and a full `check` with an empty cache passes."""
    for name, reader in ((HANDOUT, read_pdf), (BOOKLET, read_pdf), (PRINT, read_imposed)):
        data = (built / name).read_bytes()
        places = reader(data).places
        assert all(not p.hidden and not p.covered for p in places), name
        pdf = pdfium.PdfDocument(data)
        try:
            if reader is read_pdf:
                plain = [normalise(pdf[n].get_textpage().get_text_bounded()) for n in range(len(pdf))]
                assert [p.text for p in places if p.where.startswith("page ")] == plain, name
            else:
                texts = {p.where: p.text for p in places}
                width = pdf[0].get_size()[0]
                for n in range(len(pdf)):
                    height = pdf[n].get_size()[1]
                    textpage = pdf[n].get_textpage()
                    for slot, side in enumerate(("left", "right")):
                        where = next(w for w in texts if w.endswith(f"(sheet side {n + 1}, {side})"))
                        left = slot * width / 2
                        assert texts[where] == normalise(textpage.get_text_bounded(left, 0, left + width / 2, height))
        finally:
            pdf.close()
    result = run("check")
    assert result.exit_code == 0, result.stderr


def test_invisible_render_mode_hides_the_figure_and_a_new_one_is_drawn(here: Path) -> None:
    index = victim(here / BOOKLET)
    rewrite(here / BOOKLET, index, then(in_block(around_line(b"3 Tr ", b" 0 Tr")), drawn_last(new_figure(200, 560))))
    check_fails(f"{BOOKLET}: page {index + 1}: not visible: {FACT}",
                f"{BOOKLET}: page {index + 1}: unregistered figure '84.3%'")


def test_white_text_on_white_page_is_not_visible(here: Path) -> None:
    index = victim(here / BOOKLET)
    rewrite(here / BOOKLET, index, in_block(around_line(b"1 1 1 rg ", b" " + INK)))
    check_fails(f"{BOOKLET}: page {index + 1}: not visible: {FACT}")


@pytest.mark.parametrize("shrink", [
    pytest.param(lambda block: re.sub(rb"/(\S+) 12 Tf", rb"/\1 1 Tf", block), id="font-size-1pt"),
    pytest.param(lambda block: re.sub(rb"1 0 0 1 (\S+ \S+) Tm", rb".08 0 0 .08 \1 Tm", block, count=1),
                 id="text-matrix-scaled"),
])
def test_tiny_text_is_not_visible(here: Path, shrink: Callable[[bytes], bytes]) -> None:
    index = victim(here / BOOKLET)
    rewrite(here / BOOKLET, index, in_block(shrink))
    check_fails(f"{BOOKLET}: page {index + 1}: not visible: {FACT}")


def test_text_moved_off_the_page_is_not_visible(here: Path) -> None:
    index = victim(here / BOOKLET)
    rewrite(here / BOOKLET, index, in_block(lambda block: re.sub(rb"1 0 0 1 (\S+) \S+ Tm", rb"1 0 0 1 \1 -900 Tm",
                                                                  block, count=1)))
    check_fails(f"{BOOKLET}: page {index + 1}: not visible: {FACT}")


def test_text_clipped_away_is_not_visible(here: Path) -> None:
    index = victim(here / BOOKLET)
    rewrite(here / BOOKLET, index, in_block(lambda block: b"q 0 0 1 1 re W n " + block + b" Q"))
    check_fails(f"{BOOKLET}: page {index + 1}: not visible: {FACT}")


def test_white_box_over_the_figure_and_a_new_one_beside_it(here: Path) -> None:
    index = victim(here / BOOKLET)
    box = figure_box(here / BOOKLET, index)
    rewrite(here / BOOKLET, index, drawn_last(white_box(box) + new_figure(box[2] + 4, box[1])))
    check_fails(f"{BOOKLET}: page {index + 1}: covered: {FACT}",
                f"{BOOKLET}: page {index + 1}: unregistered figure '84.3%'")


def test_white_box_with_a_new_figure_on_top_of_the_old_one(here: Path) -> None:
    """The new figure leaves ink of the text's colour where the old one was: still covered."""
    index = victim(here / BOOKLET)
    box = figure_box(here / BOOKLET, index)
    rewrite(here / BOOKLET, index, drawn_last(white_box(box) + new_figure(box[0], box[1])))
    check_fails(f"{BOOKLET}: page {index + 1}: covered: {FACT}")


def test_bar_in_the_text_colour_over_the_figure(here: Path) -> None:
    index = victim(here / BOOKLET)
    left, bottom, right, top = figure_box(here / BOOKLET, index)
    bar = b"q %s %.2f %.2f %.2f %.2f re f Q" % (INK, left - 1, bottom - 3, right - left + 2, top - bottom + 6)
    rewrite(here / BOOKLET, index, drawn_last(bar))
    check_fails(f"{BOOKLET}: page {index + 1}: covered: {FACT}")


def test_freetext_annotation_adds_an_unregistered_figure(here: Path) -> None:
    index = victim(here / BOOKLET)
    writer = PdfWriter(clone_from=here / BOOKLET)
    writer.add_annotation(index, FreeText(text="84.3%", rect=MARGIN, background_color=None))
    writer.write(here / BOOKLET)
    stderr = check_fails(f"{BOOKLET}: page {index + 1}: unregistered figure '84.3%'")
    assert "covered" not in stderr and "not visible" not in stderr


def test_form_field_showing_a_figure_in_its_box(here: Path) -> None:
    """A text field (a widget annotation) shows its value, drawn by its appearance stream: read
    like a FreeText box's text."""
    import pikepdf

    index = victim(here / BOOKLET)
    with pikepdf.open(here / BOOKLET, allow_overwriting_input=True) as pdf:
        look = pikepdf.Stream(pdf, b"/Tx BMC BT /Helv 12 Tf 0 0 0 rg 2 6 Td (84.3%) Tj ET EMC")
        look.Type, look.Subtype, look.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 80, 20]
        field = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx, T=pikepdf.String("rate"),
            V=pikepdf.String("84.3%"), F=4, Rect=list(MARGIN), AP=pikepdf.Dictionary(N=look)))
        page = pdf.pages[index].obj
        page.Annots = pdf.make_indirect(pikepdf.Array([*page.get("/Annots", []), field]))
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field])  # as a form an editor adds has
        pdf.save(here / BOOKLET)
    check_fails(f"{BOOKLET}: page {index + 1}: unregistered figure '84.3%'")


@pytest.mark.parametrize(("subtype", "flags", "seen"), [
    ("Stamp", 4, "on screen and on paper"),
    ("Stamp", 32 | 4, "on paper only: NoView with Print"),
    ("Square", 4, "a shape's appearance that draws words"),
    ("Widget", 4, "a field whose value is right and whose box shows another"),
])
def test_appearance_that_draws_another_figure_than_its_contents(here: Path, subtype: str, flags: int,
                                                                 seen: str) -> None:
    """A custom stamp (or any annotation) is drawn by its own appearance stream, which may show
    other words than its Contents or value: what it draws is read."""
    import pikepdf

    index = victim(here / BOOKLET)
    with pikepdf.open(here / BOOKLET, allow_overwriting_input=True) as pdf:
        font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
        look = pikepdf.Stream(pdf, b"BT /F1 12 Tf 0 0 0 rg 2 6 Td (84.3%) Tj ET")
        look.Type, look.Subtype, look.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 80, 20]
        look.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        field = {"FT": pikepdf.Name.Tx, "T": pikepdf.String("rate"), "V": pikepdf.String(FIGURE)}
        stamp = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name(f"/{subtype}"), F=flags, Rect=list(MARGIN),
            Contents=pikepdf.String("Approved"), AP=pikepdf.Dictionary(N=look),
            **(field if subtype == "Widget" else {})))
        page = pdf.pages[index].obj
        page.Annots = pdf.make_indirect(pikepdf.Array([*page.get("/Annots", []), stamp]))
        if subtype == "Widget":
            pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[stamp])
        pdf.save(here / BOOKLET)
    check_fails(f"{BOOKLET}: page {index + 1}: unregistered figure '84.3%'")


def test_link_given_an_appearance_that_draws_a_figure(here: Path) -> None:
    """A link has no look of its own in the build, but an editor can give it one, and viewers
    draw it: the words it draws are read, not the link's description."""
    import pikepdf

    with pikepdf.open(here / HANDOUT, allow_overwriting_input=True) as pdf:
        link = next(a for a in pdf.pages[0].obj.Annots if a.Subtype == "/Link")
        left, bottom, right, top = (float(v) for v in link.Rect)
        font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
        look = pikepdf.Stream(pdf, b"BT /F1 12 Tf 0 0 0 rg 2 6 Td (84.3% cured) Tj ET")
        look.Type, look.Subtype, look.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, right - left, top - bottom]
        look.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        link.AP = pikepdf.Dictionary(N=look)
        pdf.save(here / HANDOUT)
    check_fails(f"{HANDOUT}: page 1: unregistered figure '84.3%'")


def _in_a_layer_switched_off(path: Path, index: int, wrap: Callable[[bytes], bytes]) -> None:
    """Declare a layer (optional content group) that viewers start with off, and draw part of
    page `index` in it: `wrap` puts `/OC /Off BDC … EMC` around what it hides."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        layer = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("Notes")))
        pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=[layer], D=pikepdf.Dictionary(OFF=[layer], Order=[layer]))
        page = pdf.pages[index]
        page.contents_coalesce()
        page.obj.Contents = pdf.make_stream(wrap(page.obj.Contents.read_bytes()))
        page.obj.Resources.Properties = pikepdf.Dictionary(Off=layer)
        pdf.save(path)


LAYERS = "the whole file: has layers (optional content)"


def test_figure_in_a_layer_that_is_off(here: Path) -> None:
    """Viewers and printers leave out a layer that is off: the line with the figure is gone from
    the page while its text is still in the file."""
    index = victim(here / BOOKLET)
    _in_a_layer_switched_off(here / BOOKLET, index,
                             lambda data: LINE.sub(lambda m: b"/OC /Off BDC " + m.group(0) + b" EMC", data, count=1))
    check_fails(f"{BOOKLET}: {LAYERS}")


def test_print_page_in_a_layer_that_is_off(here: Path) -> None:
    """The same on the print file, where a whole booklet page (a form) is drawn in the layer."""
    reader = PdfReader(here / PRINT)
    side = next(i for i, page in enumerate(reader.pages) if FIGURE in page.extract_text())
    _in_a_layer_switched_off(here / PRINT, side, lambda data: re.sub(rb"(/P\d+ Do)", rb"/OC /Off BDC \1 EMC", data))
    check_fails(f"{PRINT}: {LAYERS}")


def test_page_form_in_a_layer_through_its_own_dictionary(here: Path) -> None:
    """A form XObject may name its layer in its own dictionary (`/OC`), with no mark in any
    content stream: the file's layers are what is read, so this is caught too."""
    import pikepdf

    reader = PdfReader(here / PRINT)
    side = next(i for i, page in enumerate(reader.pages) if FIGURE in page.extract_text())
    with pikepdf.open(here / PRINT, allow_overwriting_input=True) as pdf:
        layer = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("Notes")))
        pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=[layer], D=pikepdf.Dictionary(OFF=[layer]))
        for form in pdf.pages[side].obj.Resources.XObject.values():
            form.OC = layer
        pdf.save(here / PRINT)
    check_fails(f"{PRINT}: {LAYERS}")


def _with_graphics_state(path: Path, index: int, state: Callable[[object], object]) -> None:
    """Draw the line with the figure on page `index` (and the rest of its text object) under the
    graphics state `state(pdf)` returns, set by `gs` just before it."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[index]
        page.contents_coalesce()
        data = LINE.sub(lambda m: b"/Veil gs " + m.group(0), page.obj.Contents.read_bytes(), count=1)
        page.obj.Contents = pdf.make_stream(data)
        states = page.obj.Resources.get("/ExtGState", pikepdf.Dictionary())
        states.Veil = state(pdf)
        page.obj.Resources.ExtGState = states
        pdf.save(path)


def test_soft_mask_that_takes_the_figure_off_the_page(here: Path) -> None:
    """A luminosity soft mask drawn all black makes what follows fully transparent: the text is
    in the file with its ordinary colour and size, and nobody sees it."""
    import pikepdf

    def black_mask(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        group = pdf.make_stream(b"0 0 0 rg -5000 -5000 10000 10000 re f")
        group.Type, group.Subtype, group.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [-5000, -5000, 5000, 5000]
        group.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)
        return pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, SMask=pikepdf.Dictionary(
            Type=pikepdf.Name.Mask, S=pikepdf.Name.Luminosity, G=group))

    index = victim(here / BOOKLET)
    _with_graphics_state(here / BOOKLET, index, black_mask)
    check_fails(f"{BOOKLET}: page {index + 1}: not visible: {FACT}")


def test_text_made_lighter_with_transparency_is_still_read(here: Path) -> None:
    """No false alarm: text drawn at 60 % opacity is lighter grey, and still plainly seen."""
    import pikepdf

    index = victim(here / BOOKLET)
    _with_graphics_state(here / BOOKLET, index, lambda pdf: pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=0.6))
    result = run("check")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("where", ["OpenAction", "Names"])
def test_a_script_that_runs_in_the_viewer(here: Path, where: str) -> None:
    """A script run when the file opens (or kept among the document's scripts) can fill in a
    field or change what a viewer that runs it shows, after any reading of the file."""
    import pikepdf

    with pikepdf.open(here / BOOKLET, allow_overwriting_input=True) as pdf:
        script = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript,
                                                      JS=pikepdf.String("this.getField('rate').value = '84.3%';")))
        if where == "OpenAction":
            pdf.Root.OpenAction = script
        else:
            pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=[pikepdf.String("fill"), script]))
        pdf.save(here / BOOKLET)
    check_fails(f"{BOOKLET}: the whole file: runs scripts (JavaScript)")


def test_a_bookmark_with_a_figure(here: Path) -> None:
    """A viewer lists the bookmarks beside the pages: one added under a section, saying 84.3%,
    is read like the pages' text."""
    import pikepdf

    with pikepdf.open(here / BOOKLET, allow_overwriting_input=True) as pdf:
        with pdf.open_outline() as outline:
            outline.root[-1].children.append(pikepdf.OutlineItem("Results: 84.3% got better", 5))
        pdf.save(here / BOOKLET)
    check_fails(f"{BOOKLET}: bookmarks: unregistered figure '84.3%'")


def test_a_document_title_with_a_figure(here: Path) -> None:
    """The viewer's title bar shows the document's title: a figure put there is read."""
    import pikepdf

    with pikepdf.open(here / HANDOUT, allow_overwriting_input=True) as pdf:
        pdf.docinfo["/Title"] = "Stem cells: 84.3% of patients helped"
        pdf.save(here / HANDOUT)
    check_fails(f"{HANDOUT}: document title: unregistered figure '84.3%'")


def test_hidden_annotation_is_not_read(here: Path) -> None:
    index = victim(here / BOOKLET)
    writer = PdfWriter(clone_from=here / BOOKLET)
    note = FreeText(text="84.3%", rect=MARGIN, background_color=None)
    note[NameObject("/F")] = NumberObject(2)  # hidden
    writer.add_annotation(index, note)
    writer.write(here / BOOKLET)
    result = run("check")
    assert result.exit_code == 0, result.stderr


def test_opaque_square_annotation_covers_a_figure(here: Path) -> None:
    box = figure_box(here / HANDOUT, 0, "90%")
    writer = PdfWriter(clone_from=here / HANDOUT)
    padded = (box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1)
    writer.add_annotation(0, Rectangle(rect=padded, interior_color="ffffff"))
    writer.write(here / HANDOUT)
    check_fails(f"{HANDOUT}: page 1: covered:")


def test_tounicode_map_that_lies_about_digits(here: Path) -> None:
    """The page shows 84.3% in a copy of the body font whose ToUnicode map swaps 4 and 8, so the
    text layer still reads 48.3%: the glyphs are compared with the bundled font's."""
    index = victim(here / BOOKLET)
    writer = PdfWriter(clone_from=here / BOOKLET)
    page = writer.pages[index]
    fonts = page["/Resources"]["/Font"].get_object()
    font = fonts["/F2+0"].get_object()
    cmap = font["/ToUnicode"].get_object().get_data()
    swapped = (cmap.replace(b"<34> <0034>", b"<34> <XXXX>").replace(b"<38> <0038>", b"<38> <0034>")
               .replace(b"<XXXX>", b"<0038>"))
    assert swapped.count(b"<0034>") == cmap.count(b"<0034>") and swapped != cmap
    lying = DecodedStreamObject()
    lying.set_data(swapped)
    copy = DictionaryObject(dict(font.items()))
    copy[NameObject("/ToUnicode")] = writer._add_object(lying)
    fonts[NameObject("/F9")] = writer._add_object(copy)
    data = page.get_contents().get_data()
    line = LINE.search(data)
    assert line
    shown = b"/F9 12 Tf " + line.group(0).replace(b"48.3%", b"84.3%") + b" /F2+0 12 Tf"
    stream = ContentStream(None, writer)
    stream.set_data(data[:line.start()] + shown + data[line.end():])
    page.replace_contents(stream)
    writer.write(here / BOOKLET)
    assert FIGURE in pdfium.PdfDocument(here / BOOKLET)[index].get_textpage().get_text_bounded()
    check_fails(f"{BOOKLET}: page {index + 1}: altered fact trial.control_rate: found 84.3%, expected 48.3%")


def test_actual_text_that_says_another_figure_than_the_glyphs(here: Path) -> None:
    """The line shows 84.3% but carries an ActualText with the original words, which text
    extraction reads instead of the glyphs: the glyphs are what a person sees."""
    def speak(block: bytes) -> bytes:
        line = LINE.search(block)
        assert line
        words, shown = line.group(0)[:-3], line.group(0).replace(b"48.3%", b"84.3%")
        marked = b"/Span <</ActualText " + words + b">> BDC " + shown + b" EMC"
        return block[:line.start()] + marked + block[line.end():]
    index = victim(here / BOOKLET)
    rewrite(here / BOOKLET, index, in_block(speak))
    assert FIGURE in pdfium.PdfDocument(here / BOOKLET)[index].get_textpage().get_text_bounded()
    check_fails(f"{BOOKLET}: page {index + 1}: altered fact trial.control_rate: found 84.3%, expected 48.3%")


def test_print_file_halves_get_the_same_treatment(here: Path) -> None:
    rewrite_form(here / PRINT, in_block(around_line(b"3 Tr ", b" 0 Tr")))
    stderr = check_fails(f"{PRINT}: page ")
    assert re.search(rf"{re.escape(PRINT)}: page \d+ \(sheet side \d+, (left|right)\): not visible: "
                     rf"{re.escape(FACT)}", stderr), stderr


def test_print_file_figure_under_a_white_box(here: Path) -> None:
    pdf = pdfium.PdfDocument(here / PRINT)
    index = next(n for n in range(len(pdf)) if pdf[n].get_textpage().search(FIGURE).get_next())
    pdf.close()
    box = figure_box(here / PRINT, index)
    rewrite(here / PRINT, index, lambda data: data + b"\n" + white_box(box))
    stderr = check_fails()
    assert re.search(rf"{re.escape(PRINT)}: page \d+ \(sheet side {index + 1}, (left|right)\): covered: "
                     rf"{re.escape(FACT)}", stderr), stderr


def test_a_contents_page_number_that_sends_readers_to_the_wrong_page(here: Path) -> None:
    """The contents page's numbers are not figures, but one changed sends a reader elsewhere: the
    first section's number is made to show the fourth's (each number is a form on page 2)."""
    writer = PdfWriter(clone_from=here / BOOKLET)
    forms = writer.pages[1]["/Resources"]["/XObject"]
    first, fourth = (forms[f"/FormXob.page_of_s{n}"].get_object() for n in (0, 3))
    first.set_data(fourth.get_data())
    writer.write(here / BOOKLET)
    title, page = read_pdf((here / BOOKLET).read_bytes()).outline[0]
    shown = read_pdf((here / BOOKLET).read_bytes()).outline[3][1]
    check_fails(f"{BOOKLET}: page 2: the contents give page {shown} for '{normalise(title)}'; "
                f"it starts on page {page}")
