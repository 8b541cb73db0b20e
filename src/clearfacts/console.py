"""The console script's first module, kept to the standard library: importing the commands
(Click and every option) takes tenths of a second on a busy machine, and Ctrl-C in that time
must still be one line and exit 130, not a traceback from inside Click's decorators. Nothing
has been read or written yet, so the outputs on disk are unchanged."""

from __future__ import annotations

import sys

from clearfacts import interrupts


def run() -> None:
    """Import the commands, then run them. An interrupt a command does not handle itself (while
    the commands load, while Click reads the options, just as a command returns) ends the way a
    command's interrupt does: this is the one place that says so outside a command."""
    try:
        from clearfacts import cli

        cli.run()
    except KeyboardInterrupt:
        sys.stderr.write(interrupts.MESSAGE + "\n")
        sys.exit(interrupts.EXIT_CODE)
