"""UI fixtures: the real hub process on loopback (tests/hub/hubproc.py) and device tokens."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hub"))

from hubproc import HubProcess, make_office
from ui_support import Screens


def pytest_unconfigure(config: pytest.Config) -> None:
    """After the last test, Qt's own teardown noise (QWebSocket's wildcard disconnect in Qt 6.9,
    printed as the interpreter frees the sockets) goes where the applications send it: through
    the same filter `kiosk run` installs, instead of over the end of the test report."""
    from kiosk.ui.theme import route_qt_messages

    route_qt_messages()


@pytest.fixture
def screens(tmp_path: Path) -> Iterator[Screens]:
    process = HubProcess(make_office(tmp_path / "office"))
    process.start()
    admin = process.client()
    try:
        tokens = {
            "kiosk": admin.add_device("Máy lấy số", "kiosk")["token"],
            "display": admin.add_device("TV sảnh", "display")["token"],
            "rating": admin.add_device("Đánh giá quầy 1", "rating", 1)["token"],
            "counter": admin.add_device("Máy quầy 1", "counter", 1)["token"],
        }
        admin.add_staff("lan", "Trần Thị Lan", "2468")
        counter = process.client(tokens["counter"])
        counter.login("lan", "2468")
        yield Screens(process, tokens, counter)
        counter.close()
    finally:
        admin.close()
        process.stop()


# --- a private sound server -------------------------------------------------------------------


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private PulseAudio with one null sink ("board") whose monitor the test records."""
    if shutil.which("pulseaudio") is None or shutil.which("parec") is None:
        pytest.skip("PulseAudio is not installed here (.ci/run installs pulseaudio)")
    runtime = tmp_path / "pulse"
    runtime.mkdir(mode=0o700)
    env = {
        **os.environ,
        "PULSE_RUNTIME_PATH": str(runtime),
        "XDG_RUNTIME_DIR": str(runtime),
        "HOME": str(tmp_path),
        "PULSE_SERVER": f"unix:{runtime}/native",
    }
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            f"--load=module-native-protocol-unix socket={runtime}/native auth-anonymous=1",
            "--load=module-null-sink sink_name=board",
            "--load=module-always-sink",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode != 0:
        assert time.monotonic() < deadline, "PulseAudio did not start"
        time.sleep(0.1)
    try:
        yield env
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
