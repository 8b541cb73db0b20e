"""Ctrl-C during a build, as a person at a terminal does it: one line, exit 130, and the
outputs on disk exactly as they were (or, if the build had already finished, the new set)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import edit

CLI = str(Path(sys.executable).parent / "clearfacts")


def _outputs(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and p.parts[len(root.parts)] in ("handouts", "slides")}


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], cwd=root, capture_output=True, text=True, timeout=60, env=os.environ.copy())


@pytest.mark.slow
def test_ctrl_c_leaves_the_previous_outputs_or_the_new_set(project: Path) -> None:
    assert _run(project, "build").returncode == 0
    interrupted = 0
    for round_, delay in enumerate((0.25, 0.4, 0.55, 0.7, 0.85, 1.0, 1.2)):  # after start-up
        before = _outputs(project)
        marks = "!" * round_
        edit(project / "content/handout.yaml", f"Read this first{marks}.", f"Read this first{marks}!.")
        proc = subprocess.Popen([CLI, "build"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=os.environ.copy())
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        lines = [line for line in err.splitlines() if "warning" not in line]
        assert not list(project.rglob("*.tmp")), f"temp files left after {delay} s"
        if proc.returncode == 130:
            interrupted += 1
            assert lines == ["interrupted; outputs on disk unchanged"], err
            assert _outputs(project) == before
            assert _run(project, "build").returncode == 0  # the next build makes the new set
        else:
            assert proc.returncode == 0, err
        assert _run(project, "check").returncode == 0
    assert interrupted, "no build was still running when interrupted"


def _moment(name: str) -> tuple[object, str]:
    """Where `test_ctrl_c_after_the_new_set_is_on_disk_keeps_it_and_exits_0` presses Ctrl-C."""
    from concurrent.futures import ThreadPoolExecutor

    from clearfacts import pipeline

    return {"while it remembers what it wrote": (pipeline, "_record"),
            # inside the pool's own hold (Pool.close), which the build's hold encloses
            "while its workers stop": (ThreadPoolExecutor, "shutdown")}[name]


@pytest.mark.pool  # a build with its worker processes, as on a machine with two cores or more
@pytest.mark.parametrize("moment", ["while it remembers what it wrote", "while its workers stop"])
def test_ctrl_c_after_the_new_set_is_on_disk_keeps_it_and_exits_0(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  moment: str) -> None:
    """Ctrl-C just as the new set goes to disk, or after it while the build stops its workers,
    comes too late to stop it: the build finishes and says what it wrote, exit 0, and never
    claims the outputs were left unchanged. The command's signal handling is as it was after."""
    from click.testing import CliRunner

    from clearfacts.cli import main

    monkeypatch.chdir(project)
    edit(project / "content/handout.yaml", "Read this first.", "Read this first!.")
    owner, name = _moment(moment)
    original = getattr(owner, name)
    pressed_at: list[str] = []

    def pressed(*args: object, **kwargs: object) -> object:
        if not pressed_at:
            pressed_at.append(moment)
            os.kill(os.getpid(), signal.SIGINT)
        return original(*args, **kwargs)  # type: ignore[operator]

    monkeypatch.setattr(owner, name, pressed)
    handler = signal.getsignal(signal.SIGINT)
    result = CliRunner().invoke(main, ["build"], catch_exceptions=False)
    assert pressed_at == [moment]
    assert result.exit_code == 0, result.output
    assert "interrupted" not in result.output and "wrote handouts/red-flags.pdf" in result.output
    assert signal.getsignal(signal.SIGINT) is handler
    assert _run(project, "check").returncode == 0  # the new set, complete and verified


_CTRL_C_WHILE_IMPORTING = """
import os, signal, sys
class CtrlC:  # presses Ctrl-C as Click starts to load, as on a busy machine a person can
    def find_spec(self, name, path=None, target=None):
        if name == "click":
            os.kill(os.getpid(), signal.SIGINT)
sys.meta_path.insert(0, CtrlC())
sys.argv = ["clearfacts", "build"]
from clearfacts.console import run
run()
"""


def test_ctrl_c_while_the_commands_load_is_one_line_and_exit_130(project: Path) -> None:
    """Loading the commands takes tenths of a second on a busy machine; a person who presses
    Ctrl-C then gets the same one line as during a build, not a traceback from inside Click."""
    before = _outputs(project)
    result = subprocess.run([sys.executable, "-c", _CTRL_C_WHILE_IMPORTING], cwd=project, capture_output=True,
                            text=True, timeout=60)
    assert (result.returncode, result.stderr) == (130, "interrupted; outputs on disk unchanged\n")
    assert _outputs(project) == before


def _alive(pid: int) -> bool:
    """A process that exists and has not ended (an orphan's zombie waits for init to reap it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        kids = [child for child, parent in parents.items() if parent == pid]
        found.update(kids)
        todo += kids
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc (Linux)")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_build_killed_outright_leaves_no_process_behind(project: Path, how: signal.Signals) -> None:
    """A build ended from outside, mid-way: SIGTERM (`kill`, `timeout`, a CI job's time limit;
    SIGHUP, a closed terminal, takes the same path) is an interrupt like Ctrl-C: one line, exit
    130, the outputs on disk as they were. SIGKILL cannot be caught: then the workers end with the
    build, and the fork server and resource tracker with them, rather than wait for work for
    ever, each holding tens of megabytes."""
    assert _run(project, "build").returncode == 0
    before = _outputs(project)
    edit(project / "content/handout.yaml", "Read this first.", "Read this first!")  # new bytes to write
    proc = subprocess.Popen([CLI, "build", "--force"], cwd=project, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    deadline = time.monotonic() + 30
    helpers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        helpers |= _descendants(proc.pid)
        if any(_descendants(child) for child in helpers):  # a worker, forked by the fork server
            break
        time.sleep(0.02)
    proc.send_signal(how)
    _, err = proc.communicate(timeout=60)
    assert helpers, "the build started no worker processes before it ended"
    if how == signal.SIGTERM:
        assert proc.returncode == 130, err
        assert [line for line in err.splitlines() if "warning" not in line] == \
            ["interrupted; outputs on disk unchanged"]
    else:
        assert proc.returncode == -signal.SIGKILL
    assert _outputs(project) == before
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(pid) for pid in helpers):
        time.sleep(0.1)
    assert not [pid for pid in helpers if _alive(pid)]
