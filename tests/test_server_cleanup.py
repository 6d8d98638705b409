"""No server a test starts outlives it: a failing test, a test process killed by SIGKILL, a
server that never comes up (tests/serverproc.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import serverproc
from serverproc import alive, launch, wait_until_healthy

TESTS = Path(__file__).resolve().parent

#: A test run of its own (`-p serverproc`, as tests/conftest.py loads it) that starts the real
#: hub and then fails, or hangs until it is killed; it writes the hub's pid for us to check.
INNER = """
import os, time
from pathlib import Path
from hubproc import HubProcess, make_office

def start_hub(tmp_path):
    hub = HubProcess(make_office(tmp_path / "office"))
    hub.start()
    Path(os.environ["HUB_PID_FILE"]).write_text(str(hub.process.pid))
    return hub

def test_fails_and_forgets_its_hub(tmp_path):
    start_hub(tmp_path)
    assert False, "a failing test that never stops its hub"

def test_hangs_until_killed(tmp_path):
    start_hub(tmp_path)
    time.sleep(120)
"""


def inner_pytest(tmp_path: Path, test: str, pid_file: Path) -> subprocess.Popen[str]:
    (tmp_path / "test_inner.py").write_text(INNER, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS / "hub")]),
        "HUB_PID_FILE": str(pid_file),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "serverproc", "-p", "no:cacheprovider",
         "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path),
         f"{tmp_path / 'test_inner.py'}::{test}"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


def gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_failing_test_that_forgets_its_hub_leaves_nothing_running(tmp_path: Path) -> None:
    pid_file = tmp_path / "hub.pid"
    inner = inner_pytest(tmp_path, "test_fails_and_forgets_its_hub", pid_file)
    output, _ = inner.communicate(timeout=120)
    assert inner.returncode == 1, output
    pid = int(pid_file.read_text())
    assert gone(pid), f"hub {pid} still running after its test failed"
    # The teardown names the forgotten server, so the fixture that leaked it gets fixed.
    assert "servers left running by this test, now killed" in output and "serve" in output


@pytest.mark.skipif(not serverproc.DIES_WITH_TEST_PROCESS, reason="needs Linux's setpriv")
def test_a_test_process_killed_by_sigkill_takes_its_hub_with_it(tmp_path: Path) -> None:
    pid_file = tmp_path / "hub.pid"
    inner = inner_pytest(tmp_path, "test_hangs_until_killed", pid_file)
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() or not pid_file.read_text():
            assert inner.poll() is None and time.monotonic() < deadline, "the hub never started"
            time.sleep(0.05)
        pid = int(pid_file.read_text())
        assert alive(pid)
        inner.send_signal(signal.SIGKILL)  # no finalizer, no sessionfinish: only the kernel
        inner.wait(10)
        assert gone(pid), f"hub {pid} outlived the test process killed by SIGKILL"
    finally:
        if inner.poll() is None:
            inner.kill()
        if inner.stdout is not None:
            inner.stdout.close()


def test_a_server_that_never_answers_is_killed_not_left_behind(tmp_path: Path) -> None:
    silent = launch(
        [sys.executable, "-c", "import time; time.sleep(60)"], log_file=tmp_path / "log"
    )
    with pytest.raises(RuntimeError, match="did not answer"):
        wait_until_healthy(silent, "http://127.0.0.1:9", tmp_path / "log", "silent", timeout=1)
    assert gone(silent.pid)
    assert silent.pid not in serverproc.running
