"""`clearfacts init`: a new topic's content folder, small enough to read in a minute and complete
enough to build at once.

The six files are templates shipped in `templates/`, each with a comment header saying what the
file is for and the yaml-language-server modeline that points editors at `clearfacts schema`'s
output. Their example settings contain "Example" and 555-01xx numbers on purpose: the
`example-values` rule then lists every placeholder a clinic still has to replace. The review
dates are the day the folder is made.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from clearfacts.content.loader import FILES
from clearfacts.errors import ClearfactsError, Finding

TODAY = "@TODAY@"  # replaced by the date the folder is made


def template(stem: str) -> str:
    """The text of one template file, as shipped."""
    return (resources.files("clearfacts.content") / "templates" / f"{stem}.yaml").read_text(encoding="utf-8")


def scaffold(target: Path, today: dt.date) -> list[Path]:
    """Write the six content files into `target`, which must be new or empty; returns them.

    An existing non-empty folder is refused before anything is written: `init` must never mix
    its examples into a clinic's content or overwrite it."""
    written = []
    try:
        if target.exists() and not (target.is_dir() and not any(target.iterdir())):
            raise ClearfactsError(Finding(str(target), None, "already exists and is not empty: "
                                          "give a new or empty folder to clearfacts init"))
        target.mkdir(parents=True, exist_ok=True)
        for stem in FILES:
            path = target / f"{stem}.yaml"
            with path.open("x", encoding="utf-8") as fh:  # "x": never overwrite a file that appeared meanwhile
                fh.write(template(stem).replace(TODAY, today.isoformat()))
            written.append(path)
    except OSError as exc:
        where = exc.filename or target
        raise ClearfactsError(Finding(str(where), None, f"cannot write the content folder: {exc.strerror}")) from None
    return written
