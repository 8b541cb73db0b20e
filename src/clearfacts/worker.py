"""A second process for the PDFs, forked as soon as a build starts.

It imports the PDF stack (reportlab, pypdf, PDFium) while this process is still reading the
content, then renders and verifies the handout and booklet while this process does the deck.
On a two-core laptop that roughly halves a cold build. Where fork does not exist, or when there
is nothing to render, the work simply happens here.
"""

from __future__ import annotations

import os
import pickle
import signal
import traceback
from typing import Any


class PdfWorker:
    """Started with `start()`; given one job with `submit()`, or released with `close()`."""

    def __init__(self) -> None:
        self.pid = 0
        self._jobs: Any = None
        self._results: Any = None

    def start(self) -> PdfWorker:
        if not hasattr(os, "fork"):
            return self
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: it never returns from here
            os.close(job_write)
            os.close(result_read)
            _serve(job_read, result_write)
        os.close(job_read)
        os.close(result_write)
        self.pid = pid
        self._jobs = os.fdopen(job_write, "wb")
        self._results = os.fdopen(result_read, "rb")
        return self

    @property
    def running(self) -> bool:
        return self.pid != 0

    def submit(self, job: tuple) -> None:
        pickle.dump(job, self._jobs, protocol=pickle.HIGHEST_PROTOCOL)
        self._jobs.close()

    def result(self) -> Any:  # noqa: ANN401 - whatever the job returned
        """The job's return value; an error raised there is raised here."""
        try:
            status, value = pickle.load(self._results)
        except EOFError:
            raise RuntimeError("the PDF worker process died") from None
        finally:
            self.close()
        if status == "crash":
            raise RuntimeError(f"the PDF worker failed:\n{value}")
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        """Release the worker and reap it; one that never got a job is stopped at once."""
        if not self.running:
            return
        if not self._jobs.closed:  # no job: do not wait for its imports to finish
            os.kill(self.pid, signal.SIGKILL)
        for stream in (self._jobs, self._results):
            if not stream.closed:
                stream.close()
        os.waitpid(self.pid, 0)
        self.pid = 0


def _serve(job_read: int, result_write: int) -> None:
    status, value = "ok", None
    try:
        from clearfacts.build import warm_pdf_stack

        warm_pdf_stack()
        with os.fdopen(job_read, "rb") as jobs:
            function, args = pickle.load(jobs)
        value = function(*args)
    except EOFError:  # the parent went away without a job
        os._exit(0)
    except Exception as exc:  # noqa: BLE001 - every failure is handed to the parent
        from clearfacts.errors import ClearfactsError

        status, value = ("error", exc) if isinstance(exc, ClearfactsError) else ("crash", traceback.format_exc())
    try:
        with os.fdopen(result_write, "wb") as results:
            pickle.dump((status, value), results, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0)  # never run the parent's exit handlers or flush its buffers
