"""Editions: `editions/<name>.yaml` overlays the settings of one content set for one clinic
(its name, contacts, website, meeting and next meeting, paper, which outputs to make and in which of the
content's languages, a brand colour and a logo). Facts and prose are
shared and can never be overridden by an edition: an unknown or forbidden key is an error
naming its line. Every value an edition sets is read by the same field readers as
settings.yaml, so it meets the same limits with the same `file:line` messages.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import warnings
from pathlib import Path, PurePosixPath

import msgspec
from msgspec.structs import asdict, replace

from clearfacts.content.loader import shown_root
from clearfacts.content.schema import NEXT_MEETING, Fields, organisation_from, text_list
from clearfacts.content.yaml_reader import Map, Str, read_yaml
from clearfacts.errors import ContentError, Finding
from clearfacts.formats import Format, formats
from clearfacts.model import Brand, ContentSet, Meeting, NextMeeting, Settings

ALLOWED = ("organisation", "meeting", "next_meeting", "paper", "outputs", "languages", "brand_colour", "logo")
MIN_CONTRAST = 7.0  # WCAG AAA for body text: text in the colour on white, and white text on it
MAX_LOGO = 2 * 1024 * 1024  # bytes
MAX_LOGO_SIDE = 4000  # pixels: a logo's box is a few centimetres; more is a mistake or a pixel bomb
NOT_AN_IMAGE = "is not a valid PNG or JPEG image"
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
# What an edition can never change: the shared facts and prose, and settings that are not a
# clinic's own (the rules' severities, the review date, the language of the prose).
FORBIDDEN = ("facts", "library", "handout", "booklet", "deck", "rules", "review_date", "language", "template",
             "notices")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class Edition(msgspec.Struct, frozen=True):
    """One clinic's edition: its content set (shared facts and prose, its own settings), the
    keys of the outputs it makes (all of them unless the edition lists some) and the languages
    it makes them in (every language of the content unless it lists some)."""

    name: str
    content: ContentSet
    outputs: tuple[str, ...]
    shown: str
    languages: tuple[str, ...] = ()

    def makes(self, fmt: Format) -> bool:
        """Whether this edition makes the output `fmt` (one entry of `formats(languages)`)."""
        return fmt.table_key() in self.outputs and (not self.languages or fmt.language in self.languages)


def editions_dir_for(content_dir: Path) -> Path:
    """The default: `editions/` beside the content folder."""
    return content_dir.resolve().parent / "editions"


def edition_names(folder: Path) -> list[str]:
    """Every edition in the folder, sorted (a stable order for shards)."""
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml") if NAME.match(p.stem))


def shard(names: list[str], k: int, n: int) -> list[str]:
    """The K-th (1-based) of N stable slices: round-robin over the sorted names."""
    return [name for i, name in enumerate(sorted(names)) if i % n == k - 1]


def load_edition(content: ContentSet, folder: Path, name: str, content_dir: Path | None = None) -> Edition:
    """The content set with the edition's settings laid over it, or a ContentError listing every
    problem in the edition file (exit 2)."""
    shown = f"{shown_root(folder)}/{name}.yaml"
    path = folder / f"{name}.yaml"
    if not NAME.match(name) or not path.is_file():
        known = ", ".join(edition_names(folder)) or "none"
        raise ContentError(Finding(shown, None, f"no edition '{name}' in {shown_root(folder)} (editions: {known})",
                                   rule="schema"))
    node = read_yaml(path, shown, within=folder)
    findings: list[Finding] = []
    settings = overlay(content.settings, node, shown, findings)
    brand = _brand(node, shown, Path(content.root) if content_dir is None else content_dir, findings)
    if brand is not None:
        settings = replace(settings, brand=brand)
    outputs = _outputs(node, shown, findings)
    languages = _languages(node, shown, content.languages, findings)
    if findings:
        raise ContentError(findings)
    return Edition(name, replace(content, settings=settings), outputs, shown, languages)


def overlay(base: Settings, node: Map, shown: str, findings: list[Finding]) -> Settings:
    """`base` with the edition's values; each checked as settings.yaml checks its own."""
    for key in node:
        if key in FORBIDDEN:
            findings.append(Finding(shown, node.key_lines[key], f"an edition cannot set '{key}': facts, prose and "
                                    f"shared settings come from the content folder (an edition may set "
                                    f"{', '.join(ALLOWED)})", rule="schema"))
    allowed = tuple(k for k in node if k in FORBIDDEN) + ALLOWED  # reported above, not twice
    f = Fields(node, shown, "edition", allowed, findings)
    lines: dict[str, int] = {}
    organisation = base.organisation
    org_node = f.mapping("organisation", required=False)
    if org_node is not None:
        merged = Map(org_node.line)
        for key, value in asdict(base.organisation).items():
            merged[key] = Str(value, org_node.line)
        merged.update(org_node)
        merged.key_lines = dict(org_node.key_lines)
        org = Fields(merged, shown, "organisation", ("name", "phone", "email", "website"), findings,
                     node.key_lines.get("organisation"))
        organisation = organisation_from(org)
        lines.update({f"organisation.{k}": line for k, line in org_node.key_lines.items()})
    meeting = base.meeting
    meet_node = f.mapping("meeting", required=False)
    if meet_node is not None:
        meet = Fields(meet_node, shown, "meeting", ("group", "date", "time", "place", "facilitator"), findings)
        meeting = Meeting(*(str(meet.meeting(k, required=False) or getattr(base.meeting, k))
                            for k in ("group", "date", "time", "place", "facilitator")))
        lines.update({f"meeting.{k}": line for k, line in meet_node.key_lines.items()})
    next_meeting = base.next_meeting
    if "next_meeting" in node:  # the edition's own, or none (`next_meeting: null`): never half of each
        upcoming = f.mapping("next_meeting", required=False)
        nxt = Fields(upcoming, shown, "next_meeting", NEXT_MEETING, findings,
                     node.key_lines["next_meeting"]) if upcoming is not None else None
        next_meeting = NextMeeting(*(str(nxt.meeting(k) or "") for k in NEXT_MEETING)) if nxt is not None else None
        if nxt is not None:
            lines.update({f"next_meeting.{k}": line for k, line in nxt.node.key_lines.items()})
    paper = base.paper
    raw_paper = f.text("paper", required=False)
    if raw_paper is not None:
        if raw_paper in ("letter", "a4"):
            paper = str(raw_paper)
        else:
            f.error(raw_paper.line, f"'paper' must be \"letter\" or \"a4\", not '{raw_paper}'")
    lines.update({k: line for k, line in node.key_lines.items() if k in ALLOWED})
    return replace(base, organisation=organisation, meeting=meeting, next_meeting=next_meeting, paper=paper,
                               loc=f.loc(), lines=tuple(lines.items()))


def _outputs(node: Map, shown: str, findings: list[Finding]) -> tuple[str, ...]:
    keys = [f.key for f in formats()]
    if "outputs" not in node or node["outputs"] is None:
        return tuple(keys)
    items = text_list(node["outputs"], shown, "'outputs' in edition", findings, node.key_lines["outputs"])
    for item in items:
        if item not in keys:
            findings.append(Finding(shown, item.line, f"unknown output '{item}' (outputs: {', '.join(keys)})",
                                    rule="schema"))
    if not items:
        findings.append(Finding(shown, node.key_lines["outputs"], "'outputs' must name at least one output",
                                rule="schema"))
    return tuple(k for k in keys if k in items)


def _languages(node: Map, shown: str, known: tuple[str, ...], findings: list[Finding]) -> tuple[str, ...]:
    """`languages: [es-US]`: some of the content's languages (settings.yaml's `languages`), for
    an edition in fewer of them; every one when the key is absent."""
    if "languages" not in node or node["languages"] is None:
        return known
    items = text_list(node["languages"], shown, "'languages' in edition", findings, node.key_lines["languages"])
    for item in items:
        if item not in known:
            findings.append(Finding(shown, item.line, f"the content has no language '{item}' (languages of the "
                                    f"content: {', '.join(known)}; add it to settings.yaml's 'languages' "
                                    "with its prose first)", rule="schema"))
    if not items:
        findings.append(Finding(shown, node.key_lines["languages"], "'languages' must name at least one language",
                                rule="schema"))
    return tuple(k for k in known if k in items)


def check_names(names: list[str], folder: Path) -> None:
    """Every name given with --edition must be an edition file (exit 2 otherwise)."""
    known = edition_names(folder)
    missing = [n for n in names if n not in known]
    if missing:
        listed = ", ".join(known) or "none"
        raise ContentError([Finding(f"{shown_root(folder)}/{n}.yaml", None,
                                    f"no edition '{n}' (editions: {listed})", rule="schema") for n in missing])


def contrast(colour: str) -> float:
    """WCAG contrast ratio of #rrggbb against white (the same both ways round)."""
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def _brand(node: Map, shown: str, content_dir: Path, findings: list[Finding]) -> Brand | None:
    """`brand_colour: "#1f4e79"` and `logo: {file: logos/clinic.png, alt: "…"}`, each refused
    with its line when it cannot be shown safely."""
    if "brand_colour" not in node and "logo" not in node:
        return None
    accent = ""
    colour = node.get("brand_colour")
    if colour is not None:
        line = node.key_lines["brand_colour"]
        if not isinstance(colour, Str) or not HEX.match(colour):
            findings.append(Finding(shown, line, f"'brand_colour' must be a colour written #rrggbb, not '{colour}'",
                                    rule="schema"))
        elif (ratio := contrast(colour)) < MIN_CONTRAST:
            findings.append(Finding(shown, line, f"brand colour '{colour}' has {ratio:.1f}:1 contrast with white; "
                                    f"text in it on white and white text on it need at least {MIN_CONTRAST:.0f}:1 "
                                    "(choose a darker colour)", rule="schema"))
        else:
            accent = str(colour).lower()
    logo = alt = sha = ""
    data: bytes | None = None
    if "logo" in node:
        f = Fields(node["logo"], shown, "logo", ("file", "alt"), findings, node.key_lines["logo"])
        file, text = f.text("file"), f.text("alt")
        if text is not None and not text.strip():
            f.error(text.line, "logo 'alt' must describe the logo for screen readers")
        if file is not None:
            data = _logo_bytes(file, content_dir, shown, findings)
            if data is not None:
                logo, sha = PurePosixPath(file.replace("\\", "/")).as_posix(), hashlib.sha256(data).hexdigest()
        alt = str(text or "")
    return Brand(accent, logo, alt, sha, data or b"")


def _logo_bytes(file: Str, content_dir: Path, shown: str, findings: list[Finding]) -> bytes | None:
    """The logo's bytes: a PNG or JPEG inside the content folder (no link out of it), at most
    MAX_LOGO bytes, that an image library can read. None after a finding."""
    def refuse(message: str) -> None:
        findings.append(Finding(shown, file.line, f"logo '{file}' {message}", rule="schema"))

    rel = PurePosixPath(file.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or not file.strip():
        return refuse("must be a path inside the content folder")
    root = content_dir.resolve()
    path = Path(os.path.realpath(content_dir / rel))
    if not path.is_relative_to(root):
        return refuse("leads outside the content folder (a link out of it is refused)")
    if not path.is_file():
        return refuse("not found in the content folder")
    size = path.stat().st_size
    if size > MAX_LOGO:
        return refuse(f"is {size:,} bytes; the limit is {MAX_LOGO // (1024 * 1024)} MB")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(MAX_LOGO + 1)
    except OSError:
        return refuse("cannot be read")
    if len(data) > MAX_LOGO:
        return refuse(f"is over {MAX_LOGO // (1024 * 1024)} MB")
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        return refuse(NOT_AN_IMAGE)
    problem = _image_problem(data)
    return refuse(problem) if problem else data



def _image_problem(data: bytes) -> str | None:
    """Why these bytes are not a logo we embed, or None. The size comes from the header, before a
    pixel is decoded: a 10,000 × 10,000 PNG can be a 100 KB file. Pillow's own decompression-bomb
    warning (at 89 million pixels) is turned into that refusal here, not printed on the terminal."""
    from PIL import Image

    limit = f"the limit is {MAX_LOGO_SIDE:,} × {MAX_LOGO_SIDE:,} (a logo prints a few centimetres wide): scale it down"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in ("PNG", "JPEG"):
                    return NOT_AN_IMAGE
                if not (0 < image.width <= MAX_LOGO_SIDE and 0 < image.height <= MAX_LOGO_SIDE):
                    return f"is {image.width:,} × {image.height:,} pixels; {limit}"
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return f"has over 89 million pixels; {limit}"
    except Exception:  # noqa: BLE001 - any failure to decode means "not an image"
        return NOT_AN_IMAGE
    return None
