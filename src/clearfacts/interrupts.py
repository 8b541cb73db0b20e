"""What interrupts a command: Ctrl-C, and the termination a closed terminal (SIGHUP), a CI job's
time limit, `timeout` or `kill` (SIGTERM) sends. Python turns only Ctrl-C into an exception; the
others would end the process wherever it is, between two renames of an output set or with its
worker pool still open. Made into the same KeyboardInterrupt, each takes Ctrl-C's path: the
renames roll back, the pool closes, one line, exit 130."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

EXIT_CODE = 130
MESSAGE = "interrupted; outputs on disk unchanged"

# Ctrl-C first; SIGHUP does not exist on Windows.
INTERRUPTS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _interrupt(number: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def as_ctrl_c() -> None:
    """Make every interrupting signal raise KeyboardInterrupt in this process (the console
    script's, as a command starts)."""
    for number in INTERRUPTS[1:]:
        signal.signal(number, _interrupt)


def ignore() -> None:
    """Ignore them all: the command is over, and a signal now would only interrupt the
    interpreter's own clean-up."""
    for number in INTERRUPTS:
        signal.signal(number, signal.SIG_IGN)


@contextmanager
def held() -> Iterator[list[int]]:
    """Interrupting signals that arrive in the block are noted (in the list it yields), not acted
    on, and the previous handlers are put back after it; what a noted one means is the caller's
    to decide. Python handles signals in the main thread only: elsewhere this holds nothing."""
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    previous = {number: signal.signal(number, lambda number, _frame: caught.append(number)) for number in INTERRUPTS}
    try:
        yield caught
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def deliver(caught: list[int]) -> None:
    """Send the first interrupt `held` noted again, now that the handlers from before the block
    are back: where nothing else holds interrupts it acts as it would have (Ctrl-C raises
    KeyboardInterrupt); inside an outer `held` block it is noted there, and that block's owner
    decides (a build whose new set is already on disk drops it). Raising KeyboardInterrupt here
    instead would overrule the outer block: "interrupted; outputs on disk unchanged" after the
    set had been written."""
    if caught:
        signal.raise_signal(caught[0])
