"""The hub's close codes as the screens' event stream reads them (PySide6 hands out an enum)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from ui_support import Screens, make_console

from kiosk.hub.client import HubClient
from kiosk.ui import theme
from kiosk.ui.counter.window import UNAUTHORIZED_TEXT as COUNTER_UNAUTHORIZED
from kiosk.ui.display.screen import UNAUTHORIZED_TEXT as BOARD_UNAUTHORIZED
from kiosk.ui.display.screen import DisplayWindow
from kiosk.ui.events import EventStream

WAIT = 15_000


@pytest.fixture
def admin(screens: Screens) -> Iterator[HubClient]:
    with screens.hub.client() as client:
        yield client


def revoke(admin: HubClient, name: str) -> None:
    (device,) = [d for d in admin.devices() if d["name"] == name]
    admin.revoke_device(int(device["id"]))


def test_a_revoked_board_says_so_and_retries_slowly(
    qtbot: QtBot, screens: Screens, admin: HubClient
) -> None:
    theme.application()
    revoke(admin, "TV sảnh")
    client = screens.client("display")
    stream = EventStream(client.events_url)
    board = DisplayWindow(
        office_name="UBND xã Thử Nghiệm", notice="", stream=stream, now=screens.hub.clock
    )
    board.resize(1920, 1080)
    board.show()
    try:
        with qtbot.waitSignal(stream.unauthorized, timeout=WAIT):
            stream.start()
        assert board.offline_band.isVisible()
        assert board.offline_band.text() == BOARD_UNAUTHORIZED
        # A refused token is not a flaky link: the next try waits half a minute, not 0.5 s.
        assert stream._retry.remainingTime() > 20_000
    finally:
        board.shutdown()
        board.close()
        client.close()


def test_a_revoked_counter_pc_says_so_and_keeps_the_typing(
    qtbot: QtBot, screens: Screens, admin: HubClient, tmp_path: Path
) -> None:
    console = make_console(screens, tmp_path)
    try:
        console.form.search.setText("khai sinh")
        revoke(admin, "Máy quầy 1")
        assert console.stream is not None
        with qtbot.waitSignal(console.stream.unauthorized, timeout=WAIT):
            console.stream.start()
        assert console.offline_band.isVisibleTo(console)
        assert console.offline_band.text() == COUNTER_UNAUTHORIZED
        assert console.form.search.text() == "khai sinh"
    finally:
        console.shutdown()
        console.close()
        console.services.client.close()


def test_after_an_online_restore_the_stream_starts_over_from_a_snapshot(
    qtbot: QtBot, screens: Screens, admin: HubClient
) -> None:
    asked: list[int | None] = []
    client = screens.client("display")

    def url_for(after: int | None) -> str:
        asked.append(after)
        return client.events_url(after)

    stream = EventStream(url_for)
    try:
        with qtbot.waitSignal(stream.snapshot, timeout=WAIT):
            stream.start()
        backup = admin.backup()["name"]
        with qtbot.waitSignal(stream.event, timeout=WAIT), screens.client("kiosk") as kiosk:
            kiosk.issue("A")
        seen = stream.last_id
        assert seen is not None
        with qtbot.waitSignal(stream.snapshot, timeout=WAIT):
            admin.restore(backup, confirm=backup)
        # Ids from before the restore mean nothing now: the reconnect asked for no `after`.
        assert asked == [None, None]
    finally:
        stream.stop()
        client.close()
