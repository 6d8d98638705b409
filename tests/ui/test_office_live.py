"""The office's settings edited on the admin screen reach the running screens without a restart
(real hub process, real event stream)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from ui_support import Screens

from kiosk.config import Settings
from kiosk.hub.client import HubClient
from kiosk.ui import theme
from kiosk.ui.admin.window import AdminWindow
from kiosk.ui.display.screen import DisplayWindow
from kiosk.ui.events import EventStream
from kiosk.ui.kiosk.screen import KioskWindow
from kiosk.ui.kiosk.services import HubServices
from kiosk.ui.run import office_of

WAIT = 10_000
NEW_NAME = "UBND phường Hòa Bình"


@pytest.fixture
def admin(qtbot: QtBot, screens: Screens) -> Iterator[AdminWindow]:
    client = screens.hub.client()
    window = AdminWindow(client, office_name="UBND xã Thử Nghiệm", year=2026)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_tab(5)
    settle(qtbot, window)
    yield window
    window.shutdown()
    client.close()


def settle(qtbot: QtBot, window: AdminWindow) -> None:
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=WAIT)


def test_the_office_page_saves_a_change_and_lists_every_problem(
    qtbot: QtBot, admin: AdminWindow, screens: Screens
) -> None:
    page = admin.office
    assert page.office_name.text() == "UBND xã Thử Nghiệm"
    assert page.unit_code.text() == "000.00.00.T01"
    assert page.groups.rowCount() == 2 and page.counters.rowCount() == 10
    page.office_name.setText(NEW_NAME)
    page.add_group()
    row = page.groups.rowCount() - 1
    page.groups.item(row, 0).setText("c")  # typed in lower case: the page sends "C"
    page.groups.item(row, 1).setText("Đất đai")
    page.counters.item(1, 2).setText("C, B")
    with qtbot.waitSignal(admin.message_shown, timeout=WAIT) as shown:
        page.save()
    assert shown.args[1] == "ok" and "ngay" in shown.args[0]
    with screens.client("display") as display:
        facts = display.office()
    assert facts["office_name"] == NEW_NAME
    assert [g["prefix"] for g in facts["groups"]] == ["A", "B", "C"]
    assert facts["counters"][1]["groups"] == ["C", "B"]

    page.unit_code.setText("mã sai!")
    page.groups.item(row, 0).setText("A")
    with qtbot.waitSignal(admin.message_shown, timeout=WAIT) as shown:
        page.save()
    assert shown.args[1] == "error" and "3 lỗi" in shown.args[0]
    assert page.problems.isVisible()
    assert len(page.problem_list) == 3, page.problem_list
    assert page.problem_list[0].startswith("Mã định danh:")
    assert page.problem_list[1].startswith("Nhóm dịch vụ, dòng 3:")
    # Group C is gone from the form, and counter 2 still calls it.
    assert page.problem_list[2].startswith("Quầy, dòng 2:") and '"C"' in page.problem_list[2]
    assert page.unit_code.property("state") == "bad"
    with screens.client("display") as display:
        assert display.office()["unit_code"] == "000.00.00.T01"  # nothing was saved


def test_running_display_and_kiosk_follow_the_admin_without_restart(
    qtbot: QtBot, screens: Screens
) -> None:
    theme.application()
    display_client = screens.client("display")
    kiosk_client = screens.client("kiosk")
    board_stream = EventStream(display_client.events_url)
    office = office_of(display_client, Settings())  # the hub answers: its facts, not these
    board = DisplayWindow(
        office_name=office["office_name"],
        notice=office["notice"],
        stream=board_stream,
        now=screens.hub.clock,
    )
    kiosk_stream = EventStream(kiosk_client.events_url)
    services = HubServices(kiosk_client, f"png:{Path(screens.hub.data_dir) / 'tickets'}")
    kiosk = KioskWindow(services, stream=kiosk_stream, now=screens.hub.clock)
    admin: HubClient = screens.hub.client()
    try:
        board.resize(1920, 1080)
        board.show()
        kiosk.resize(1080, 1920)
        kiosk.show()
        with qtbot.waitSignal(board_stream.snapshot, timeout=WAIT):
            board_stream.start()
        with qtbot.waitSignal(kiosk_stream.snapshot, timeout=WAIT):
            kiosk_stream.start()
        qtbot.waitUntil(lambda: len(kiosk.home.cards) == 2, timeout=WAIT)
        assert board.office.text() == "UBND XÃ THỬ NGHIỆM"

        current = admin.office_summary()
        counters = [dict(c) for c in current["counters"]]
        counters[0]["name"] = "Quầy 1 — Đất đai"
        admin.update_office(
            {
                "office_name": NEW_NAME,
                "notice": "Sáng thứ Bảy bộ phận một cửa vẫn làm việc.",
                "groups": [*current["groups"], {"prefix": "C", "name": "Đất đai"}],
                "counters": counters,
            }
        )
        qtbot.waitUntil(lambda: board.office.text() == NEW_NAME.upper(), timeout=WAIT)
        assert board.notice.text() == "Sáng thứ Bảy bộ phận một cửa vẫn làm việc."
        qtbot.waitUntil(lambda: board.board.counters[1].name == "Quầy 1 — Đất đai", timeout=WAIT)
        qtbot.waitUntil(lambda: len(kiosk.home.cards) == 3, timeout=WAIT)
        assert kiosk.home.cards[2].group.name == "Đất đai"
        assert kiosk.header.office.text() == NEW_NAME.upper()
        assert services.office_name == NEW_NAME  # on the next printed ticket too
    finally:
        kiosk.shutdown()
        kiosk.close()
        board.shutdown()
        board.close()
        for client in (admin, display_client, kiosk_client):
            client.close()
