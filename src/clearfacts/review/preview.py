"""`clearfacts preview`: every page and slide as a PNG with a contact sheet per output, or, with
`--changed-since REV`, only the pages and slides a change reaches, each as a before/after pair.

File names are fixed by output and number (`handout/page-01.png`, `deck-sheet.png`,
`changed/booklet-page-04.png`), so two runs over the same files write the same names and a CI
artifact is easy to browse. Earlier pictures of an output are removed before its new ones are
written, so a booklet that lost a page does not keep a picture of it.

The "before" side is the old revision's content rendered in memory with the pipeline; the
"after" side is the built files on disk when they are current, otherwise the working tree's
content rendered in memory too. Which pages a change reaches comes from `reach` on both sides
(a figure that moved from page 4 to page 5 shows pages 4 and 5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from msgspec import Struct, field
from PIL import Image

from clearfacts import pipeline
from clearfacts.formats import Format, formats
from clearfacts.options import options_for
from clearfacts.review.changes import Changes, compare
from clearfacts.review.diff import Sides, new_side, open_sides
from clearfacts.review.pictures import Slides, Writer, page_count, render_pages
from clearfacts.review.reach import Landing, Reach, Side, reach, reached_outputs, read_side
from clearfacts.review.sheets import before_after, contact_sheet

CHANGED = "changed"
_SHEET_SIDE = re.compile(r"\(sheet side (\d+)")  # the imposed booklet's places: "page 4 (sheet side 4, left)"
_UNIT = re.compile(r"^(?:page|slide) (\d+)\b")


class Previewed(Struct):
    """What a preview wrote, and one line for each output it could not show and why."""

    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    note: str = ""


def kind(fmt: Format) -> str | None:
    """"pdf", "deck" or None (a web page reflows to its window: there is no page to picture)."""
    return {".pdf": "pdf", ".pptx": "deck"}.get(Path(fmt.path).suffix.lower())


def _web_line(paths: Sequence[str]) -> list[str]:
    if not paths:
        return []
    return [f"{', '.join(paths)}: not previewed: web pages reflow to the reader's window; open them in a browser"]


def _names(fmt: Format, numbers: Iterable[int], total: int) -> dict[int, str]:
    width = max(2, len(str(total)))
    return {n: f"{fmt.unit}-{n:0{width}d}" for n in numbers}


def _clear(folder: Path, pattern: str) -> None:
    """Remove this command's earlier pictures (only names it writes) from `folder`."""
    if folder.is_dir():
        for old in folder.glob(pattern):
            if old.is_file():
                old.unlink()


def preview_all(content_dir: Path, outputs_dir: Path, out_dir: Path, slides: bool) -> Previewed:
    """Every page of every built PDF, and every slide when LibreOffice can draw them, in each
    language the content is written in."""
    table = formats(pipeline.load(content_dir).languages)
    files = pipeline.read_outputs(outputs_dir, table)
    result = Previewed(skipped=_web_line([f.path for f in table if kind(f) is None]))
    decks = {f.path: data for f in table if kind(f) == "deck" and (data := files[f.path]) is not None}
    converting = Slides(decks).start() if slides and decks else None
    writer = Writer()
    try:
        for fmt in table:
            if kind(fmt) is None:
                continue
            data = files[fmt.path]
            if data is None:
                result.skipped.append(f"{fmt.path}: not previewed: not built (run clearfacts build)")
            elif kind(fmt) == "pdf":
                _write_output(fmt, render_pages(data), out_dir, writer)
        pdfs = converting.finish() if converting else {}
        for fmt in (f for f in table if f.path in decks):
            if fmt.path in pdfs:
                _write_output(fmt, render_pages(pdfs[fmt.path]), out_dir, writer)
            else:
                reason = converting.reason if converting else "skipped: --no-slides"
                result.skipped.append(f"{fmt.path}: {reason}")
    finally:
        writer.close()
    result.written = writer.written
    return result


def _write_output(fmt: Format, pages: Mapping[int, Image.Image], out_dir: Path, writer: Writer) -> None:
    folder = out_dir / _name(fmt)
    _clear(folder, f"{fmt.unit}-*.png")
    names = _names(fmt, pages, len(pages))
    for n, image in pages.items():
        writer.save(image, folder / f"{names[n]}.png")
    plural = fmt.unit + ("" if len(pages) == 1 else "s")
    sheet = contact_sheet(f"{fmt.path}: {len(pages)} {plural}", [(f"{fmt.unit} {n}", pages[n]) for n in pages],
                          columns=4 if fmt.unit == "page" else 3)
    writer.save(sheet, out_dir / f"{_name(fmt)}-sheet.png")


def _name(fmt: Format) -> str:
    """What an output's pictures are named after: its key, a translation's language after a
    hyphen ("handout", "handout-es-US")."""
    return "-".join(filter(None, (fmt.table_key(), fmt.translation())))


def preview_changes(content_dir: Path, outputs_dir: Path, out_dir: Path, since: str, slides: bool) -> Previewed:
    """Before/after pairs of the pages and slides the changes since `since` reach."""
    folder = out_dir / CHANGED
    with open_sides(content_dir, since, None) as sides:
        table = sides.table()
        pictured = tuple(f for f in table if kind(f))
        changes = compare(sides.old, sides.new)
        for unit in {f.unit for f in pictured}:
            _clear(folder, f"*-{unit}-*.png")
        if not changes:
            return Previewed(note=f"no change to facts, prose or settings since {sides.old_rev.label}")
        after_side = _after(sides, changes, outputs_dir, table, pictured)
        before_side = _before(sides, changes, table, pictured, _paper(after_side.side))
        after_reach = reach(changes, after_side.side, sides.old)
        reached = _units(changes, after_side, after_reach, pictured)
        for path, units in _units(changes, before_side, reach(changes, before_side.side, sides.new, before=True),
                                  pictured).items():
            for n, why in units.items():
                known = reached.setdefault(path, {}).setdefault(n, [])
                known.extend(w for w in why if w not in known)
        result = Previewed(skipped=_web_line(_web_reached(after_reach, table)))
        labels = (f"before: {sides.old_rev.label}", f"after: {sides.new_label}")
        _pairs(pictured, reached, before_side.files, after_side.files, labels, folder, slides, result)
        if not result.written and not result.skipped:
            result.note = f"the changes since {sides.old_rev.label} reach no page or slide"
        return result


class _Built(Struct, frozen=True):
    """One side's bytes, read back."""

    side: Side
    files: dict[str, bytes]


def _after(sides: Sides, changes: Changes, outputs_dir: Path, table: tuple[Format, ...],
           pictured: tuple[Format, ...]) -> _Built:
    """The built files where they are current; those the changes reach but that are missing
    or stale are rendered from the working tree."""
    side = new_side(sides, outputs_dir, table, changes)
    wanted = reached_outputs(changes, table, sides.old, sides.new)
    disk = pipeline.read_outputs(outputs_dir, pictured)
    redo = [f for f in pictured if f.path in wanted and side.state(f.path) in ("not built", "stale")]
    if redo:
        expected = pipeline.Expected(sides.new, options_for(sides.new, _paper(side), None), table)
        disk.update({r.fmt.path: r.data for r in pipeline.render_formats(expected, redo).values()})
        files = {**pipeline.read_outputs(outputs_dir, table), **disk}
        side = read_side(sides.new, files, table, expected.by_path, wanted)  # a web page may still be stale
    return _Built(side, {path: data for path, data in disk.items() if data is not None and path in wanted})


def _before(sides: Sides, changes: Changes, table: tuple[Format, ...], pictured: tuple[Format, ...],
            paper: str | None) -> _Built:
    """The old revision's outputs the changes reach, rendered in memory."""
    wanted = reached_outputs(changes, table, sides.old, sides.new)
    todo = [f for f in pictured if f.path in wanted]
    expected = pipeline.Expected(sides.old, options_for(sides.old, paper, None), pictured)
    files = {r.fmt.path: r.data for r in pipeline.render_formats(expected, todo).values()}
    return _Built(read_side(sides.old, files, pictured, None), files)


def _paper(side: Side) -> str | None:
    """The paper the built outputs were made for, so both sides are drawn alike."""
    from clearfacts.stamps import stamp_paper

    return next((p for got in side.extracted.values() if (p := stamp_paper(got.stamp))), None)


def _units(changes: Changes, built: _Built, where: Reach,
           pictured: tuple[Format, ...]) -> dict[str, dict[int, list[str]]]:
    """Output path → page or slide number → the changes shown there."""
    names = [c.id for c in changes.facts] + [" ".join(filter(None, (c.document, c.language, c.section, c.part)))
                                             for c in changes.prose] + [c.name for c in changes.settings]
    paths = {f.path for f in pictured}
    found: dict[str, dict[int, list[str]]] = {}
    for name, landings in zip(names, [*where.facts, *where.prose, *where.settings], strict=True):
        for landing in landings:
            if landing.path not in paths or landing.path not in built.files:
                continue
            for n in _numbers(landing, built):
                why = found.setdefault(landing.path, {}).setdefault(n, [])
                if name not in why:
                    why.append(name)
    return found


def _numbers(landing: Landing, built: _Built) -> list[int]:
    """The PDF page or slide numbers a landing names (every one when it reaches everywhere)."""
    if landing.everywhere:
        return list(range(1, built.side.extracted[landing.path].units + 1))
    numbers = []
    for place in landing.places:
        match = _SHEET_SIDE.search(place) or _UNIT.match(place)
        if match and int(match.group(1)) not in numbers:
            numbers.append(int(match.group(1)))
    return numbers


def _web_reached(where: Reach, table: tuple[Format, ...]) -> list[str]:
    """The web pages a change reaches (they are listed, not pictured)."""
    web = [f.path for f in table if kind(f) is None]
    landed = {x.path for group in [*where.facts, *where.prose, *where.settings] for x in group
              if x.places or x.everywhere}
    return [path for path in web if path in landed]


def _pairs(pictured: tuple[Format, ...], reached: dict[str, dict[int, list[str]]], before: dict[str, bytes],
           after: dict[str, bytes], labels: tuple[str, str], folder: Path, slides: bool, result: Previewed) -> None:
    decks = [f for f in pictured if kind(f) == "deck" and reached.get(f.path)]
    converting = None
    if decks and slides:
        converting = Slides({f"{side}:{f.path}": files[f.path] for f in decks
                             for side, files in (("before", before), ("after", after)) if f.path in files}).start()
    writer = Writer()
    try:
        for fmt in (f for f in pictured if kind(f) == "pdf" and reached.get(f.path)):
            _write_pairs(fmt, reached[fmt.path], before.get(fmt.path), after.get(fmt.path), labels, folder, writer)
        pdfs = converting.finish() if converting else {}
        for fmt in decks:
            if f"after:{fmt.path}" in pdfs:
                _write_pairs(fmt, reached[fmt.path], pdfs.get(f"before:{fmt.path}"), pdfs[f"after:{fmt.path}"],
                             labels, folder, writer)
            else:
                reason = converting.reason if converting else "skipped: --no-slides"
                shown = ", ".join(str(n) for n in sorted(reached[fmt.path]))
                result.skipped.append(f"{fmt.path}: {fmt.unit}s {shown} changed; {reason}")
    finally:
        writer.close()
    result.written.extend(writer.written)


def _write_pairs(fmt: Format, units: dict[int, list[str]], before: bytes | None, after: bytes | None,
                 labels: tuple[str, str], folder: Path, writer: Writer) -> None:
    numbers = sorted(units)
    old = render_pages(before, numbers) if before else {}
    new = render_pages(after, numbers) if after else {}
    total = max(page_count(after) if after else 0, max(numbers))
    names = _names(fmt, numbers, total)
    for n in numbers:
        if n not in old and n not in new:
            continue
        title = f"{fmt.path}, {fmt.unit} {n}: {', '.join(units[n])}"
        writer.save(before_after(_short(title), labels, old.get(n), new.get(n)),
                    folder / f"{_name(fmt)}-{names[n]}.png")


def _short(title: str, limit: int = 110) -> str:
    return title if len(title) <= limit else title[:limit - 1] + "…"
