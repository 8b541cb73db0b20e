"""Worker processes for the pipeline: the PDFs render in one while the deck renders in another,
and later many editions' builds share the same workers.

A `concurrent.futures` pool with an explicit start method that exists on Linux, macOS and
Windows (forkserver where the platform has it, spawn elsewhere), so a build behaves the same
everywhere and a worker never inherits half of the parent's state. Workers ignore Ctrl-C: the
parent alone decides what an interrupt means (one message, outputs untouched), so it is never
reported twice; a parent that is killed outright takes its workers with it (`_watch_parent`).
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, TypeVar

from clearfacts.interrupts import deliver, held

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.connection import Connection

T = TypeVar("T")


class Pool:
    """Started on first use; `warm` names modules each worker imports as it starts, so the
    libraries load while the parent is still reading the content.

    Starting a worker waits until the fork server has imported `warm` (it forks the worker only
    then), and a submit made meanwhile would wait behind it; so starting and submitting are
    handed to one thread of their own, and this process goes on (the deck renders here while the
    PDF stack loads there).

    Nothing of multiprocessing is imported until the first start: a build with nothing to make
    (the no-op build) never pays for it."""

    def __init__(self, workers: int, warm: Iterable[str] = ()):
        self._warm = tuple(warm)
        self._executor: ProcessPoolExecutor | None = None
        self._lifeline: tuple[Connection, ...] = ()  # both ends, while the pool runs: see `_watch_parent`
        self._hand = ThreadPoolExecutor(1, thread_name_prefix="clearfacts-pool")
        self.workers = workers

    def start(self) -> None:
        """Start the workers now (they warm up while the caller does other work); once."""
        if self._executor is not None:
            return
        self._executor, self._lifeline = _executor(self.workers, self._warm)
        for _ in range(self.workers):
            self._hand.submit(self._executor.submit, _nothing)

    def submit(self, work: Callable[..., T], *args: object) -> Future[T]:
        """`work(*args)` in a worker; returns at once, even while the workers still start."""
        self.start()
        executor = self._executor
        assert executor is not None  # started just above
        outer: Future[T] = Future()

        def hand_over() -> None:
            try:
                inner = executor.submit(work, *args)
            except BaseException as exc:  # noqa: BLE001 - a broken pool: the caller's result() raises it
                outer.set_exception(exc)
                return
            inner.add_done_callback(lambda done: _settle(outer, done))

        self._hand.submit(hand_over)
        return outer

    def then(self, first: Future[T], work: Callable[..., object], *args: object) -> Future[object]:
        """`work(result of first, *args)` in a worker once `first` has its result: a job that needs
        another's output goes to whichever worker is free then, not to the one that made it. If
        `first` fails, so does this, with the same exception."""
        outer: Future[object] = Future()

        def chain(done: Future[T]) -> None:
            if done.cancelled() or done.exception() is not None:
                _settle(outer, done)  # type: ignore[arg-type]
                return
            try:
                inner = self.submit(work, done.result(), *args)
            except RuntimeError as exc:  # the pool was closed meanwhile (an interrupt)
                outer.set_exception(exc)
                return
            inner.add_done_callback(lambda settled: _settle(outer, settled))

        first.add_done_callback(chain)
        return outer

    def close(self) -> None:
        """Stop the workers, waiting for them to exit; work not yet started is dropped."""
        with _interrupt_after():
            self._hand.shutdown(wait=True)
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
            for end in self._lifeline:  # after the workers have gone: closing it first would end them
                end.close()
            self._lifeline = ()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _executor(workers: int, warm: tuple[str, ...]) -> tuple[ProcessPoolExecutor, tuple[Connection, Connection]]:
    """A process pool whose start method exists on Linux, macOS and Windows, and the two ends of
    the workers' lifeline (see `_watch_parent`): each worker gets a copy of the reading end as it
    starts, so this process keeps both until the pool is closed."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        # The fork server imports the libraries once; every worker is then forked from it
        # warm, so a process that builds many times (editions, the test suite) pays the
        # imports once. It only takes effect before the server's first start. "__main__" (the
        # standard library's default, kept) is the script that started this process: imported
        # once there, rather than by every worker as it starts (the console script imports the CLI).
        context.set_forkserver_preload(["__main__", *warm])
    lifeline = context.Pipe(duplex=False)  # (reading end, writing end); nothing is ever written
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                   initargs=(warm, lifeline[0]))
    return executor, lifeline


def _settle(outer: Future[T], done: Future[T]) -> None:
    """Give `outer` what the worker's future ended with."""
    if done.cancelled():
        outer.cancel()
    elif done.exception() is not None:
        outer.set_exception(done.exception())
    else:
        outer.set_result(done.result())


@contextmanager
def _interrupt_after() -> Iterator[None]:
    """An interrupt (Ctrl-C, or another of `interrupts.INTERRUPTS`) waits until the pool's own
    bookkeeping is done: a worker being started, or being waited for, while this process leaves
    would die half-made and print a traceback of its own. The interrupt is delivered as soon as
    the block ends, to whatever handles it then (see `interrupts.deliver`)."""
    with held() as caught:
        yield
    deliver(caught)


def _start_worker(warm: tuple[str, ...], lifeline: Connection) -> None:
    """Ignore Ctrl-C (see the module's docstring), watch the parent (`_watch_parent`), import
    `warm`, then freeze what is there.

    A worker's heap is mostly the libraries it imported, which never become garbage; without the
    freeze, the first full collection walks all of it (26 to 64 ms per worker in a cold build,
    timed with `gc.callbacks`) and writes to every page it walks, which the fork server shared.
    Frozen objects are left out of collections in this worker process only; everything a job
    allocates afterwards is collected as usual."""
    # A terminal's Ctrl-C reaches the whole process group. SIGTERM stays deadly: it is how the
    # executor ends the other workers when one has died.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(lifeline,), name="clearfacts-lifeline", daemon=True).start()
    for module in warm:
        importlib.import_module(module)
    gc.freeze()


def _watch_parent(lifeline: Connection) -> None:
    """End this worker when the process that started the pool is gone without closing it (killed
    with SIGKILL, which no program can catch, or by a signal it does not handle): otherwise the
    worker waits for work forever, since it holds both ends of its own job queue, and it keeps
    the fork server and the resource tracker alive with it. The parent writes nothing to the
    lifeline; the read ends when its last writer, the parent's end, closes: at `Pool.close`
    (after the workers have exited) or at the parent's death."""
    with suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(1)


def _nothing() -> None:
    return None
