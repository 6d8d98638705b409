"""The display board and the rating screen, fed by the real hub's event stream."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_support import Screens

from kiosk.hub.client import HubClient
from kiosk.store import Store
from kiosk.ui import theme
from kiosk.ui.display.screen import DisplayWindow
from kiosk.ui.events import EventStream
from kiosk.ui.rating.screen import Rating, RatingWindow, hub_rate


@pytest.fixture
def board(qtbot: QtBot, screens: Screens) -> Iterator[DisplayWindow]:
    theme.application()
    client = screens.client("display")
    stream = EventStream(client.events_url)
    window = DisplayWindow(
        office_name="UBND xã Thử Nghiệm",
        notice="Xin mời lấy số.",
        stream=stream,
        now=screens.hub.clock,
    )
    window.resize(1920, 1080)
    window.show()
    with qtbot.waitSignal(stream.snapshot, timeout=10_000):
        stream.start()
    yield window
    window.shutdown()
    window.close()
    client.close()


def issue(screens: Screens, prefix: str = "A") -> None:
    with screens.client("kiosk") as kiosk:
        kiosk.issue(prefix)


def test_the_board_lists_open_counters_and_shows_a_call_as_it_happens(
    board: DisplayWindow, screens: Screens, qtbot: QtBot
) -> None:
    assert [c.number for c in board.board.open_counters()] == list(range(1, 11))
    issue(screens)
    with qtbot.waitSignal(board.announced, timeout=10_000) as announced:
        screens.counter.call_next(1)
    assert announced.args == ["A001", 1, 0]
    assert board.hero_number.text() == "A001"
    assert board.hero_counter.text() == "ĐẾN QUẦY SỐ 1"
    assert board.board.counters[1].serving == "A001"
    screens.counter.finish(1, "guided")
    qtbot.waitUntil(lambda: board.board.counters[1].serving == "", timeout=10_000)
    assert board.board.calls[0].number == "A001"  # still among the last calls


def test_the_board_shows_offline_then_reconnects_and_resumes_without_missing_a_call(
    board: DisplayWindow, screens: Screens, qtbot: QtBot
) -> None:
    stream = board.stream
    assert stream is not None
    issue(screens)
    issue(screens)
    with qtbot.waitSignal(board.announced, timeout=10_000):
        screens.counter.call_next(1)
    with qtbot.waitSignal(stream.online, timeout=15_000) as went:
        screens.hub.stop()
    assert went.args == [False]
    assert board.offline_band.isVisibleTo(board)
    screens.hub.start()
    # A call made while the board is still away is replayed when it resumes after its last id.
    with HubClient(screens.hub.url, screens.tokens["counter"]) as counter:
        counter.login("lan", "2468")
        counter.finish(1, "guided")
        counter.call_next(1)
    with qtbot.waitSignal(board.announced, timeout=20_000) as announced:
        pass
    assert announced.args == ["A002", 1, 0]
    assert stream.is_online and not board.offline_band.isVisibleTo(board)


def test_the_rating_screen_asks_after_its_counter_finishes_and_sends_once(
    qtbot: QtBot, screens: Screens
) -> None:
    theme.application()
    client = screens.client("rating")
    stream = EventStream(client.events_url)
    sent: list[Rating] = []
    to_hub = hub_rate(client)

    def send(rating: Rating) -> None:
        to_hub(rating)
        sent.append(rating)

    window = RatingWindow(1, send, stream=stream)
    window.resize(1280, 800)
    window.show()
    try:
        with qtbot.waitSignal(stream.snapshot, timeout=10_000):
            stream.start()
        issue(screens)
        ticket = screens.counter.call_next(1)
        assert ticket is not None
        with qtbot.waitSignal(stream.event, timeout=10_000, check_params_cb=_finished):
            screens.counter.finish(1, "guided")
        assert window.stack.currentIndex() == window.ASK
        qtbot.mouseClick(window.level_buttons["unsatisfied"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(window.chips[0], Qt.MouseButton.LeftButton)
        with qtbot.waitSignal(window.rated, timeout=10_000) as rated:
            qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
            qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)  # double tap
        assert rated.args[0] == Rating(1, int(ticket["id"]), "unsatisfied", ("Chờ quá lâu",))
        assert sent == [rated.args[0]]
        with Store.open(screens.hub.data_dir / "office.db") as store:
            rows = store.query("SELECT level, counter_id, ticket_id, comment FROM ratings")
        assert len(rows) == 1
        assert rows[0]["level"] == "unsatisfied" and rows[0]["ticket_id"] == int(ticket["id"])
        assert rows[0]["comment"] == "Chờ quá lâu"
        assert window.stack.currentIndex() == window.THANKS
        with qtbot.waitSignal(window.timeout.timeout, timeout=1_000):
            window.timeout.start(10)
        assert window.stack.currentIndex() == window.IDLE
    finally:
        window.shutdown()
        window.close()
        client.close()


def _finished(event: dict[str, object]) -> bool:
    return event.get("kind") == "ticket.finished"
