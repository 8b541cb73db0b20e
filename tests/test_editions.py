"""Editions: settings overlays in editions/<name>.yaml, built into dist/<name>/, checked one by
one, refused one by one, and split into stable shards for a CI matrix."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image

from clearfacts.content.editions import shard
from clearfacts.formats import formats
from conftest import BUNDLED, run

ALL = tuple(f.path for f in formats())

EDITIONS = {
    "north": """\
organisation:
  name: "North Valley Neuropathy Group"
  phone: "(207) 555-2841"
  email: "hello@northvalley.org"
  website: "https://northvalley.org"
meeting:
  place: "North Valley Clinic, Room 4"
""",
    "paris": """\
paper: a4
outputs: [handout, booklet, booklet-print, deck]
""",
    "leeds": """\
organisation:
  name: "Leeds Neuropathy Circle"
  phone: "0113 496 0000"
  email: "circle@leeds-np.org.uk"
meeting:
  facilitator: "Dr A. Patel"
  date: "Tuesday, 2 February 2027"
""",
}


def make_editions(root: Path) -> Path:
    """The suite's content in root/content and the three editions above in root/editions."""
    shutil.copytree(BUNDLED, root / "content")
    folder = root / "editions"
    folder.mkdir()
    for name, text in EDITIONS.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def editions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_editions(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".clearfacts.lock"}


def bump_a_percentage(deck: Path) -> str:
    """Change one digit of a percentage on a slide, as a hand edit would."""
    with zipfile.ZipFile(deck) as z:
        items = {i.filename: z.read(i) for i in z.infolist()}
    for name in sorted(items):
        if re.fullmatch(r"ppt/slides/slide\d+\.xml", name):
            text = items[name].decode()
            m = re.search(r"<a:t>[^<]*?(\d+)%", text)
            if m:
                old = m.group(1)
                new = old[:-1] + str((int(old[-1]) + 1) % 10)
                items[name] = (text[:m.start(1)] + new + text[m.end(1):]).encode()
                with zipfile.ZipFile(deck, "w", zipfile.ZIP_DEFLATED) as z:
                    for n, data in items.items():
                        z.writestr(n, data)
                return f"{new}%"
    raise AssertionError("no percentage on any slide")


@pytest.mark.slow
def test_editions_build_check_and_a_tampered_deck_is_reported_for_its_edition_alone(editions: Path) -> None:
    result = run("build", "--all-editions", "--jobs", "2")
    assert result.exit_code == 0, result.output + result.stderr
    dist = editions / "dist"
    assert sorted(p.name for p in dist.iterdir()) == ["leeds", "north", "paris"]
    for name in ("leeds", "north"):
        assert sorted(files_under(dist / name)) == sorted(ALL)
    paris = sorted(files_under(dist / "paris"))
    assert paris == sorted(["handouts/red-flags.pdf", "handouts/faq-booklet.pdf", "handouts/faq-booklet-print.pdf",
                            "slides/support-group.pptx"])
    assert "edition north: ok" in result.output and "3 of 3 edition(s) ok" in result.output
    # each edition prints its own settings; facts and prose are the content's
    assert b"North Valley" in (dist / "north" / "web/index.html").read_bytes()
    assert b"North Valley" not in (dist / "leeds" / "web/index.html").read_bytes()
    assert b"Leeds Neuropathy Circle" in (dist / "leeds" / "web/index.html").read_bytes()
    from pypdf import PdfReader

    box = PdfReader(dist / "paris" / "handouts/red-flags.pdf").pages[0].mediabox
    assert round(float(box.width)) == 595  # A4
    box = PdfReader(dist / "north" / "handouts/red-flags.pdf").pages[0].mediabox
    assert round(float(box.width)) == 612  # letter

    # an unchanged edition writes nothing (the cache is kept per outputs folder)
    before = {n: (p.stat().st_mtime_ns, p.read_bytes()) for n, p in
              ((n, dist / n) for n in (f"{e}/{a}" for e in ("leeds", "north") for a in ALL))}
    again = run("build", "--all-editions")
    assert again.exit_code == 0, again.output + again.stderr
    assert "wrote" not in again.output
    assert before == {n: ((dist / n).stat().st_mtime_ns, (dist / n).read_bytes()) for n in before}

    assert run("check", "--all-editions").exit_code == 0
    assert run("build", "--check", "--all-editions").exit_code == 0

    bumped = bump_a_percentage(dist / "north" / "slides/support-group.pptx")
    checked = run("check", "--all-editions")
    assert checked.exit_code == 1
    assert "edition north: failed the check" in checked.output
    assert "edition leeds: ok" in checked.output and "edition paris: ok" in checked.output
    altered = [ln for ln in checked.stderr.splitlines() if f"found {bumped}" in ln]
    assert altered and all(ln.strip().startswith("dist/north/slides/support-group.pptx") for ln in altered)
    assert "dist/leeds" not in checked.stderr and "dist/paris" not in checked.stderr
    compared = run("build", "--check", "--edition", "north", "--edition", "leeds")
    assert compared.exit_code == 1
    assert "edition north: failed the check" in compared.output and "edition leeds: ok" in compared.output


HOSTILE = {
    "facts": ("facts:\n  x: 1\n", 1, "an edition cannot set 'facts'"),
    "prose": ("organisation:\n  name: \"Fine Clinic\"\nhandout:\n  title: \"mine\"\n", 3,
              "an edition cannot set 'handout'"),
    "typo": ("organisation:\n  nmae: \"Typo Clinic\"\n", 2, "did you mean 'name'"),
    "long": ("organisation:\n  name: \"" + "N" * 61 + "\"\n", 2, "the limit is 60"),
    "badmail": ("organisation:\n  email: \"not an address\"\n", 2, "plain address"),
    "paper": ("paper: legal\n", 1, "'paper' must be"),
    "unknown-output": ("outputs: [handout, poster]\n", 1, "unknown output 'poster'"),
    "half-a-meeting": ('next_meeting:\n  date: "Monday, March 1, 2027"\n  place: "Hill Clinic"\n', 1,
                       "next_meeting is missing required field 'time'"),
}


Hostile = tuple[Path, Result, dict[str, tuple[str, int, str]]]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """One `build --all-editions` of the three editions above beside every hostile edition of the
    two tests below (settings an edition may not set or gets wrong; logos and colours): the
    project, what the build said, and the hostile logo editions."""
    root = make_editions(tmp_path_factory.mktemp("hostile"))
    logos = _hostile_logo_editions(root)
    for name, (text, _, _) in {**HOSTILE, **logos}.items():
        (root / "editions" / f"{name}.yaml").write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("hostile-cache")))
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        result = run("build", "--all-editions")
    return root, result, logos


def test_hostile_editions_are_refused_by_line_and_the_others_still_build(hostile: Hostile) -> None:
    editions, result, _ = hostile
    assert result.exit_code == 2
    for name, (_, line, message) in HOSTILE.items():
        found = [ln for ln in result.stderr.splitlines() if f"editions/{name}.yaml:{line}:" in ln]
        assert found and message in found[0], (name, result.stderr)
        assert f"edition {name}: cannot be built" in result.output
        assert not (editions / "dist" / name).exists()
    for name in EDITIONS:
        assert f"edition {name}: ok" in result.output
        assert (editions / "dist" / name / "slides/support-group.pptx").is_file()


def test_an_unknown_edition_name_is_refused(editions: Path) -> None:
    result = run("build", "--edition", "nowhere")
    assert result.exit_code == 2
    assert "no edition 'nowhere'" in result.stderr
    assert not (editions / "dist").exists()


def test_outputs_and_editions_folders_can_be_given(editions: Path) -> None:
    (editions / "editions").rename(editions / "elsewhere")
    result = run("build", "--editions", "elsewhere", "--edition", "paris", "--outputs", "out", "--jobs", "1")
    assert result.exit_code == 0, result.output + result.stderr
    assert (editions / "out" / "paris" / "handouts/red-flags.pdf").is_file()


@pytest.mark.slow
def test_shards_split_the_editions_stably_and_together_build_each_once(editions: Path) -> None:
    folder = editions / "editions"
    for extra in ("delta", "echo"):
        (folder / f"{extra}.yaml").write_text("outputs: [web-index]\n", encoding="utf-8")
    names = sorted([*EDITIONS, "delta", "echo"])
    slices = [shard(names, k, 3) for k in (1, 2, 3)]
    assert sorted(n for s in slices for n in s) == names
    assert slices == [shard(list(reversed(names)), k, 3) for k in (1, 2, 3)]  # order given does not matter
    built: list[str] = []
    for k in (1, 2, 3):
        result = run("build", "--all-editions", "--shard", f"{k}/3")
        assert result.exit_code == 0, result.output + result.stderr
        now = re.findall(r"^edition (\S+): ok$", result.output, re.M)
        assert now == slices[k - 1]
        built += now
    assert sorted(built) == names
    assert sorted(p.name for p in (editions / "dist").iterdir()) == names
    assert run("build", "--all-editions", "--shard", "4/3").exit_code == 2


def make_logo(path: Path, size: tuple[int, int] = (120, 60)) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (31, 78, 121)).save(path, format="PNG")


@pytest.mark.slow
def test_an_edition_with_a_logo_and_a_brand_colour_builds_and_its_logo_is_in_the_stamp(editions: Path) -> None:
    from clearfacts import batch
    from clearfacts.content.editions import contrast

    make_logo(editions / "content" / "logos" / "north.png")
    with (editions / "editions" / "north.yaml").open("a", encoding="utf-8") as fh:
        fh.write('brand_colour: "#1F4E79"\nlogo:\n  file: logos/north.png\n  alt: "North Valley logo"\n')
    assert contrast("#1f4e79") >= 7
    result = run("build", "--edition", "north", "--edition", "leeds")
    assert result.exit_code == 0, result.output + result.stderr
    deck = editions / "dist" / "north" / "slides/support-group.pptx"
    first = deck.read_bytes()
    [north] = [e for e in batch.edition_jobs(Path("content"), Path("editions"), ["north"])]
    assert north.content.settings.brand.accent == "#1f4e79"
    assert north.content.settings.brand.logo_alt == "North Valley logo"
    # a new logo (same name) makes the edition stale: it is rebuilt, and only it
    make_logo(editions / "content" / "logos" / "north.png", (121, 60))
    again = run("build", "--edition", "north", "--edition", "leeds")
    assert again.exit_code == 0, again.output + again.stderr
    assert f"wrote {Path('dist/north/slides/support-group.pptx')}" in again.output
    assert "wrote dist/leeds" not in again.output
    assert deck.read_bytes() != first


def _hostile_logo_editions(root: Path) -> dict[str, tuple[str, int, str]]:
    content = root / "content"
    outside = root / "outside.png"
    make_logo(outside)
    (content / "logos").mkdir()
    (content / "logos" / "out.png").symlink_to(outside)
    big = content / "logos" / "big.png"
    make_logo(big)
    with big.open("ab") as fh:
        fh.write(b"\0" * (3 * 1024 * 1024))
    (content / "logos" / "text.png").write_text("this is not an image\n", encoding="utf-8")
    Image.new("1", (10_000, 10_000)).save(content / "logos" / "bomb.png")  # 100 megapixels in some 12 KB
    Image.new("RGB", (5_000, 10)).save(content / "logos" / "wide.png")
    logo = 'organisation:\n  name: "Hostile Clinic"\nlogo:\n  file: "{}"\n  alt: "logo"\n'
    return {
        "passwd": (logo.format("../../etc/passwd"), 4, "must be a path inside the content folder"),
        "symlink": (logo.format("logos/out.png"), 4, "leads outside the content folder"),
        "big": (logo.format("logos/big.png"), 4, "the limit is 2 MB"),
        "text": (logo.format("logos/text.png"), 4, "is not a valid PNG or JPEG image"),
        "bomb": (logo.format("logos/bomb.png"), 4, "has over 89 million pixels; the limit is 4,000 × 4,000"),
        "wide": (logo.format("logos/wide.png"), 4, "is 5,000 × 10 pixels; the limit is 4,000 × 4,000"),
        "pale": ('organisation:\n  name: "Pale Clinic"\nbrand_colour: "#949494"\n', 3, "3.0:1 contrast with white"),
    }


def test_hostile_logos_and_pale_colours_are_refused_by_line(hostile: Hostile) -> None:
    editions, result, logos = hostile
    assert result.exit_code == 2
    for name, (_, line, message) in logos.items():
        found = [ln for ln in result.stderr.splitlines() if f"editions/{name}.yaml:{line}:" in ln]
        assert found and message in found[0], (name, result.stderr)
        assert f"edition {name}: cannot be built" in result.output
        assert not (editions / "dist" / name).exists()
    assert "root:" not in result.stderr  # nothing of /etc/passwd reaches a message
    assert "Warning" not in result.stderr  # Pillow's decompression-bomb warning is the refusal, not printed
    for name in EDITIONS:
        assert f"edition {name}: ok" in result.output


@pytest.mark.slow
def test_ctrl_c_keeps_finished_editions_and_leaves_the_rest_untouched(editions: Path, cache_home: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    for i in range(6):
        (editions / "editions" / f"extra{i}.yaml").write_text(f'meeting:\n  place: "Room {i}"\n', encoding="utf-8")
    cli = str(Path(sys.executable).parent / "clearfacts")
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    proc = subprocess.Popen([cli, "build", "--all-editions", "--jobs", "2"], cwd=editions, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    first = proc.stderr.readline()  # "[1/9] name: ok" once the first edition is written
    assert "ok" in first, first
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, out + err
    assert "interrupted" in err
    said = re.search(r"interrupted: (\d+) of 9 edition\(s\) finished \(([^)]*)\)", err)
    assert said, err
    dist = editions / "dist"
    names = sorted(p.name for p in dist.iterdir())
    finished = [n for n in names if sorted(files_under(dist / n))]
    assert finished and len(finished) < 9
    assert said.group(2).split(", ") == finished  # what it says it finished is what is on disk
    for name in finished:  # each one whole: every output, and it checks
        assert sorted(files_under(dist / name)) == sorted(ALL)
    result = run("check", *(arg for name in finished for arg in ("--edition", name)))
    assert result.exit_code == 0, result.output + result.stderr
    for name in names:
        assert not [p for p in (dist / name).rglob("*") if ".tmp" in p.name or p.name.startswith(".clearfacts-")]


NEXT_MEETING = ('next_meeting:\n  date: "Thursday, February 11, 2027"\n  time: "6:30 pm"\n'
                '  place: "Example Community Library, Room 2"\n')
DECK_ONLY = "outputs: [deck]\nlanguages: [en-US]\n"
NEXT_EDITIONS = {
    "own": DECK_ONLY + 'meeting:\n  place: "Hill Clinic, Room 1"\nnext_meeting:\n  date: "Monday, March 1, 2027"\n'
                       '  time: "5 pm"\n  place: "Hill Clinic, Room 1"\n',
    "none": DECK_ONLY + 'meeting:\n  place: "Dale Clinic, Hall A"\nnext_meeting:\n',
    "same-group": DECK_ONLY + "paper: a4\n",
    "forgot": DECK_ONLY + 'organisation:\n  name: "Fen Neuropathy Group"\nmeeting:\n  place: "Fen Clinic, Hall B"\n',
}


def closing_slide(deck: Path) -> str:
    from pptx import Presentation

    slide = list(Presentation(str(deck)).slides)[-1]
    return " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_each_edition_announces_its_own_next_meeting_none_or_is_warned(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A clinic's closing slide must not send its group to another group's room."""
    make_editions(tmp_path)
    settings = tmp_path / "content" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + NEXT_MEETING, encoding="utf-8")
    shutil.rmtree(tmp_path / "editions")
    (tmp_path / "editions").mkdir()
    for name, text in NEXT_EDITIONS.items():
        (tmp_path / "editions" / f"{name}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("build", "--all-editions")
    assert result.exit_code == 0, result.output + result.stderr
    slide = {name: closing_slide(tmp_path / "dist" / name / "slides/support-group.pptx") for name in NEXT_EDITIONS}
    assert "Monday, March 1, 2027" in slide["own"] and "Example Community Library" not in slide["own"]
    assert "Next meeting" not in slide["none"] and "February 11" not in slide["none"]
    assert "Thursday, February 11, 2027" in slide["same-group"]  # the same group on other paper: the content's
    assert "Thursday, February 11, 2027" in slide["forgot"]  # built as written, and warned:
    checked = run("check", "--all-editions")
    assert checked.exit_code == 0
    warned = [ln for ln in checked.stderr.splitlines() if "[next-meeting-elsewhere]" in ln]
    assert len(warned) == 1 and warned[0].strip().startswith("editions/forgot.yaml:6: warning: "), warned
    assert "Thursday, February 11, 2027, Example Community Library, Room 2" in warned[0]
    # an edition's next meeting is part of its deck's stamp: a new date makes that deck stale
    own = tmp_path / "editions" / "own.yaml"
    own.write_text(own.read_text(encoding="utf-8").replace("March 1", "March 8"), encoding="utf-8")
    stale = run("check", "--edition", "own")
    assert stale.exit_code == 1 and "stale" in stale.output + stale.stderr
