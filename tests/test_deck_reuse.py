"""Editions' decks made from the last deck drawn: only the slides that differ are drawn again,
and the file is the one a whole drawing makes, byte for byte, whatever was drawn before it.

The content is the suite's two-language fixture; the editions differ the way clinics do (name,
meeting, paper, a PNG or a JPEG logo, the same logo as another clinic's, a brand colour).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from clearfacts.batch import edition_jobs
from clearfacts.content.editions import Edition
from clearfacts.formats import formats
from clearfacts.options import options_for
from clearfacts.pipeline import Expected, render_formats
from clearfacts.render.pptx import deck
from clearfacts.render.pptx.reuse import KEPT, Package, graft

SPANISH = Path(__file__).resolve().parent / "fixtures" / "spanish"
EDITIONS = {
    "alpha": 'organisation:\n  name: "Alpha Neuropathy Group"\n',
    "beta": 'organisation:\n  name: "Beta Clinic"\nlogo:\n  file: "logos/wide.png"\n  alt: "Beta Clinic logo"\n',
    "gamma": 'organisation:\n  name: "Gamma Clinic"\nlogo:\n  file: "logos/wide.jpg"\n  alt: "Gamma Clinic logo"\n',
    "delta": 'organisation:\n  name: "Delta Clinic"\nlogo:\n  file: "logos/square.png"\n  alt: "Delta logo"\n',
    "epsilon": 'paper: "a4"\norganisation:\n  name: "Epsilon Care"\n  phone: "0113 496 0000"\n',
    "zeta": 'organisation:\n  name: "Zeta Clinic"\nlogo:\n  file: "logos/wide.png"\n  alt: "Zeta Clinic logo"\n',
    "eta": 'organisation:\n  name: "Eta Clinic"\nmeeting:\n  place: "Eta Hall, Room 2"\n  time: "17:30"\n',
    "theta": 'organisation:\n  name: "Theta Clinic"\nbrand_colour: "#7a1f3d"\n',
}


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> list[Edition]:
    root = tmp_path_factory.mktemp("reuse")
    shutil.copytree(SPANISH, root / "content")
    logos = root / "content" / "logos"
    logos.mkdir()
    wide = Image.new("RGB", (300, 100), (31, 78, 121))
    ImageDraw.Draw(wide).rectangle((110, 35, 290, 65), fill="white")
    wide.save(logos / "wide.png")
    wide.save(logos / "wide.jpg", format="JPEG")
    Image.new("RGB", (200, 200), (120, 20, 20)).save(logos / "square.png")
    (root / "editions").mkdir()
    for name, text in EDITIONS.items():
        (root / "editions" / f"{name}.yaml").write_text(text, encoding="utf-8")
    loaded = edition_jobs(root / "content", root / "editions", list(EDITIONS))
    assert all(isinstance(job, Edition) for job in loaded), loaded
    return loaded


def render(edition: Edition, key: str) -> bytes:
    content = edition.content
    table = [f for f in formats(content.languages) if edition.makes(f)]
    expected = Expected(content, options_for(content, None, None), table)
    return render_formats(expected, [f for f in table if f.key == key])[key].data


@pytest.mark.parametrize("key", ["deck", "deck@es-US"])
def test_a_deck_made_from_the_last_one_is_the_deck_drawn_whole(jobs: list[Edition], key: str) -> None:
    KEPT.clear()
    one_after_another = [render(job, key) for job in jobs + jobs[::-1]]
    each_alone = []
    for job in jobs:
        KEPT.clear()
        each_alone.append(render(job, key))
    assert one_after_another == each_alone + each_alone[::-1]


def test_only_the_slides_that_differ_are_drawn_again(jobs: list[Edition], monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[Sequence[int] | None] = []
    draw = deck._draw

    def spy(*args: object) -> bytes:
        drawn.append(args[-1])  # type: ignore[arg-type]
        return draw(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(deck, "_draw", spy)
    KEPT.clear()
    by_name = {job.name: job for job in jobs}
    for name in ("alpha", "eta", "epsilon", "beta", "zeta", "delta", "gamma", "theta"):
        render(by_name[name], "deck")
    # alpha whole; eta (meeting) and epsilon (name, A4) differ from it on the title and closing
    # slides; beta has a logo: whole, then kept for zeta (same logo) and delta (another PNG);
    # gamma's JPEG logo and theta's colour make decks of their own kind.
    assert drawn == [None, [0, 20], [0, 20], None, [0, 20], [0, 20], None, None]


def test_slides_that_own_other_parts_are_not_swapped(jobs: list[Edition]) -> None:
    """A title slide with a logo in place of one without: the picture is a part the kept deck
    does not have, so the deck is drawn whole."""
    by_name = {job.name: job for job in jobs}
    KEPT.clear()
    plain = Package(render(by_name["alpha"], "deck"))
    KEPT.clear()
    with_logo = render(by_name["beta"], "deck")
    title_only = Package(_title_slide_alone(with_logo))
    assert graft(plain, title_only, [0]) is None
    assert graft(Package(with_logo), title_only, [0]) is not None


def _title_slide_alone(data: bytes) -> bytes:
    """The deck with every slide but the first dropped from its slide list (python-pptx drops
    their parts on saving)."""
    from pptx import Presentation

    prs = Presentation(io.BytesIO(data))
    slides = prs.slides.element
    for sld_id in list(slides)[1:]:
        slides.remove(sld_id)
        prs.part.drop_rel(sld_id.rId)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
