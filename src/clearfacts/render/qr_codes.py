"""QR codes for print, as grids of modules (segno encodes them; `render/qr.py` draws them).

Encoding a code means scoring each of its eight masks, which takes a few hundredths of a second
for a long address: the handout, its large print and the booklet print the same codes, in worker
processes of their own. So a build encodes them once, in the parent, before the workers start
(`encode_for`), and hands them over (`Encoded.adopt`) with each address's smallest version, which
sizes the codes; a code not handed over is encoded where it is drawn, as before. segno is imported
only to encode: a worker given every code never loads it (nor the web modules its writers bring,
some 15 ms of the fork server's start). Nothing here imports a PDF library: the parent process
never loads one.
"""

from __future__ import annotations

from collections.abc import Iterable

from msgspec import Struct

from clearfacts.model import ContentSet, Links

LEVEL = "m"  # at least 15% of the code may be smudged and it still reads (segno raises it when free)

Matrix = tuple[tuple[bool, ...], ...]
_made: dict[tuple[str, int], Matrix] = {}  # (address, QR version) → its dark modules
_versions: dict[str, int] = {}  # address → the smallest QR version that holds it


def version(url: str) -> int:
    """The smallest QR version that holds `url`. It depends on the data alone, so the code is
    made with a fixed mask: choosing the best of eight masks is most of an encoding's time, and
    this code is never drawn."""
    if url not in _versions:
        import segno

        _versions[url] = segno.make_qr(url, error=LEVEL, mask=0).version
    return _versions[url]


def matched_version(urls: Iterable[str]) -> int:
    """The version every code printed together is drawn at: the one the longest address needs."""
    return max(version(url) for url in urls)


def matrix(url: str, at: int) -> Matrix:
    """The code's dark modules at QR version `at`, row by row from the top. A version larger than
    the address needs gives a bigger grid (segno spends the room on error correction), so codes
    printed together can share one module size."""
    key = (url, at)
    if key not in _made:
        import segno

        code = segno.make_qr(url, error=LEVEL, version=at)
        _made[key] = tuple(tuple(bool(dark) for dark in row) for row in code.matrix)
    return _made[key]


class Encoded(Struct, frozen=True):
    """Codes encoded in one process for others: a worker adopts them instead of encoding again."""

    codes: tuple[tuple[str, int, Matrix], ...]
    versions: tuple[tuple[str, int], ...] = ()  # each address's smallest version (`version`)

    def adopt(self) -> None:
        for url, at, grid in self.codes:
            _made.setdefault((url, at), grid)
        for url, smallest in self.versions:
            _versions.setdefault(url, smallest)


def encode_for(content: ContentSet) -> Encoded:
    """Every code the content's printed documents draw, at the version they draw it: a links
    block's codes share one version, and so do all of a document's (the booklet's)."""
    wanted: set[tuple[str, int]] = set()
    for document in (content.handout, content.booklet):
        blocks = [[link.url for link in block.items if link.qr] for section in document.sections
                  for block in section.blocks if isinstance(block, Links)]
        groups = [urls for urls in blocks if urls]
        if groups:
            groups.append([url for urls in groups for url in urls])
        wanted |= {(url, at) for urls in groups for at in [matched_version(urls)] for url in urls}
    urls = sorted({url for url, _ in wanted})
    return Encoded(tuple((url, at, matrix(url, at)) for url, at in sorted(wanted)),
                   tuple((url, version(url)) for url in urls))
