"""Starting and stopping our own servers (hub, district) as real processes on loopback.

Every server goes through `launch`, so none outlives the test that started it, whatever the
outcome: each runs in a process group of its own (its children go with it), is registered
until stopped, and is killed by the kernel if the test process itself dies (PR_SET_PDEATHSIG,
even on SIGKILL). `tests/conftest.py` stops what a test left running and says which test.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path

import httpx
import pytest

from kiosk.clock import CLOCK_START_ENV

#: The moment every office started by the tests opens at: Monday 16 March 2026, 09:00 in
#: Vietnam, a working day far from any holiday. Servers and screens under test take "now" from
#: here (running on in real time), so no test depends on the day or the hour it runs.
CLOCK_START = "2026-03-16T09:00:00+07:00"

#: Servers started and not yet stopped, by pid.
running: dict[int, subprocess.Popen[bytes]] = {}

#: util-linux's setpriv sets PR_SET_PDEATHSIG and then execs the server: the kernel kills the
#: server when the test process dies, even by SIGKILL. (A preexec_fn would run Python between
#: fork and exec in a process that has threads, which can deadlock.)
_SETPRIV = shutil.which("setpriv")
DIES_WITH_TEST_PROCESS = _SETPRIV is not None and sys.platform.startswith("linux")


def clock_env(start: str = CLOCK_START) -> dict[str, str]:
    """The environment of a process that runs on the tests' office clock."""
    return {**os.environ, CLOCK_START_ENV: start}


def launch(
    args: Sequence[str],
    *,
    log_file: Path | None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start a server process that cannot be orphaned; its output is appended to `log_file`
    (None: thrown away)."""
    command = list(args)
    if DIES_WITH_TEST_PROCESS:
        command = [str(_SETPRIV), "--pdeathsig", "KILL", "--", *command]
    log = log_file.open("ab") if log_file is not None else open(os.devnull, "wb")  # noqa: SIM115
    try:
        process = subprocess.Popen(
            command,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        log.close()
    running[process.pid] = process
    return process


def alive(pid: int) -> bool:
    """Is there a process `pid` that is not a zombie?"""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(
    process: subprocess.Popen[bytes], url: str, log_file: Path, what: str, timeout: float
) -> None:
    """Return once `url`/api/health answers 200; fail with the process's output if it exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            running.pop(process.pid, None)
            output = log_file.read_text(errors="replace")
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{url}/api/health", timeout=0.5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    kill(process)  # never leave a server that did not come up running
    output = log_file.read_text(errors="replace")
    raise RuntimeError(f"{what} did not answer in {timeout:.0f} s:\n{output}")


def kill(process: subprocess.Popen[bytes] | None) -> None:
    """SIGKILL to the server and its process group: no shutdown code runs, as when the power
    goes."""
    if process is None:
        return
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    with contextlib.suppress(ProcessLookupError, PermissionError):  # its group is gone too
        os.killpg(process.pid, signal.SIGKILL)
    running.pop(process.pid, None)


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM and wait; SIGKILL if it does not stop in 10 s."""
    if process is None:
        return
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
    kill(process)


def stop_all(keep: Collection[int] = ()) -> list[str]:
    """Kill every server still registered but those in `keep`; the command lines of those that
    were still running."""
    left = []
    for pid, process in list(running.items()):
        if pid in keep:
            continue
        if process.poll() is None:
            left.append(" ".join(map(str, process.args)))  # type: ignore[arg-type]
        kill(process)
    return left


# --- as a pytest plugin (imported by tests/conftest.py; `-p serverproc` elsewhere) ---------------


@pytest.fixture(autouse=True)
def no_server_outlives_its_test() -> Iterator[None]:
    """A server a test started is gone when the test ends, passed or not; one left running is
    killed here and fails the test's teardown, so the fixture that forgot it gets fixed. Servers
    of wider-scoped fixtures, set up before this one, are kept."""
    kept = set(running)
    yield
    left = stop_all(keep=kept)
    assert not left, f"servers left running by this test, now killed: {left}"


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Whatever happened, no server started by the tests outlives the run."""
    stop_all()
