"""UI fixtures: the real hub process on loopback (tests/hub/hubproc.py) and device tokens."""

from __future__ import annotations

import sys
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
