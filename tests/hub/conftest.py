"""Fixtures: the real hub process on loopback, and an office of devices logged in to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hubproc import HubProcess, Office, make_office


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    process = HubProcess(make_office(tmp_path / "office"))
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def office(hub: HubProcess) -> Iterator[Office]:
    admin = hub.client()
    kiosk = hub.client(admin.add_device("Máy lấy số", "kiosk")["token"])
    display_token = admin.add_device("TV sảnh", "display")["token"]
    display = hub.client(display_token)
    admin.add_staff("lan", "Trần Thị Lan", "2468")
    admin.add_staff("minh", "Lê Văn Minh", "1357")
    counters = {}
    for number, user, pin in ((1, "lan", "2468"), (2, "minh", "1357")):
        client = hub.client(admin.add_device(f"Máy quầy {number}", "counter", number)["token"])
        client.login(user, pin)
        counters[number] = client
    try:
        yield Office(hub, admin, kiosk, display, counters, display_token)
    finally:
        for client in (admin, kiosk, display, *counters.values()):
            client.close()
