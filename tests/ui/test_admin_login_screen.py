"""The admin screen's login, session end and restore, with the real hub process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hubproc import TEST_ADMIN, HubProcess, make_office
from pytestqt.qtbot import QtBot
from ui_support import Screens

from kiosk.hub.client import HubClient
from kiosk.ui.admin.window import AdminWindow

WAIT = 10_000
USERNAME, _, SECRET = TEST_ADMIN


def settle(qtbot: QtBot, window: AdminWindow) -> None:
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=WAIT)


def open_window(qtbot: QtBot, client: HubClient) -> AdminWindow:
    window = AdminWindow(client, office_name="UBND xã Thử Nghiệm", year=2026, print_kinds=[])
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    settle(qtbot, window)
    return window


def log_in(qtbot: QtBot, window: AdminWindow, username: str, secret: str) -> None:
    page = window.login_page
    page.username.setText(username)
    page.secret.setText(secret)
    page.button.click()
    settle(qtbot, window)


@pytest.fixture
def admin_device(screens: Screens) -> Iterator[HubClient]:
    """An admin PC of its own (no staff session yet), as `kiosk run admin` starts."""
    with screens.hub.client() as admin:
        token = admin.add_device("Máy quản trị", "admin")["token"]
    with HubClient(screens.hub.url, token) as client:
        yield client


@pytest.fixture
def window(qtbot: QtBot, admin_device: HubClient) -> Iterator[AdminWindow]:
    found = open_window(qtbot, admin_device)
    yield found
    found.shutdown()


def test_login_page_first_then_the_tabs_with_the_name_and_logout(
    qtbot: QtBot, window: AdminWindow
) -> None:
    assert not window.is_logged_in
    assert window.login_page.isVisible() and not window.login_page.creating
    log_in(qtbot, window, USERNAME, SECRET)
    assert window.is_logged_in
    assert window.staff_name.text() == f"Quản trị thử nghiệm ({USERNAME})"
    assert "Máy quản trị" in [
        window.devices.list.item(r, 1).text() for r in range(window.devices.list.rowCount())
    ]
    assert window.login_page.secret.text() == ""  # never kept on screen
    window.logout_button.click()
    settle(qtbot, window)
    assert not window.is_logged_in
    assert window.login_page.notice.text() == "Đã đăng xuất."
    assert window.client.staff_session == ""


def test_wrong_pin_and_a_clerk_are_refused_with_a_message(
    qtbot: QtBot, window: AdminWindow
) -> None:
    log_in(qtbot, window, USERNAME, "0000")
    assert window.login_page.problem.text() == "Sai tên đăng nhập hoặc mật khẩu/PIN."
    assert not window.is_logged_in and window.login_page.secret.text() == ""
    assert window.login_page.button.isEnabled()
    log_in(qtbot, window, "lan", "2468")
    assert "không có quyền quản trị" in window.login_page.problem.text()
    assert not window.is_logged_in and window.client.staff_session == ""


def test_a_session_ended_elsewhere_brings_the_login_back_keeping_what_was_typed(
    qtbot: QtBot, window: AdminWindow, admin_device: HubClient, screens: Screens
) -> None:
    log_in(qtbot, window, USERNAME, SECRET)
    window.devices.name.setText("Máy quầy 9")
    # Someone logs in on this admin PC's device elsewhere: this session is over.
    with HubClient(screens.hub.url, admin_device.token) as elsewhere:
        elsewhere.login(USERNAME, SECRET)
    window.show_tab(1)
    settle(qtbot, window)
    assert not window.is_logged_in
    assert "Hãy đăng nhập lại" in window.login_page.notice.text()
    log_in(qtbot, window, USERNAME, SECRET)
    assert window.is_logged_in and window.pages.currentIndex() == 1
    assert window.devices.name.text() == "Máy quầy 9"


def test_restore_from_the_maintenance_page_with_confirmation(
    qtbot: QtBot, window: AdminWindow, screens: Screens
) -> None:
    log_in(qtbot, window, USERNAME, SECRET)
    with screens.client("kiosk") as kiosk:
        kiosk.issue("A")
        with screens.hub.client() as admin:
            name = admin.backup()["name"]
        kiosk.issue("A")
        kiosk.issue("A")
        window.show_tab(4)
        settle(qtbot, window)
        box = window.maintenance.backups
        assert [box.list.item(r, 1).text() for r in range(box.list.rowCount())] == [name]
        box.list.selectRow(0)
        box.restore_button.click()
        # The first press only warns, in red, with what will be lost.
        assert box.warning_box.isVisible() and "sẽ mất" in box.warning.text()
        assert "Bấm lần nữa" in box.restore_button.text()
        assert not window.tasks.busy
        box.restore_button.click()
        settle(qtbot, window)
        assert "Đã khôi phục bản sao lưu" in box.result.text()
        assert "truoc-khoi-phuc" in box.result.text()
        assert window.is_logged_in  # the backup has this login: no need to log in again
        waiting = {g["group"]["prefix"]: g["waiting"] for g in kiosk.queue()["groups"]}
        assert waiting["A"] == 1
        assert box.list.rowCount() == 2  # the backup and the safety backup


def test_first_admin_account_from_the_login_page(qtbot: QtBot, tmp_path: Path) -> None:
    hub = HubProcess(make_office(tmp_path / "office"))
    hub.start()
    try:
        with HubClient(hub.url, hub.admin_token) as device:
            window = open_window(qtbot, device)
            page = window.login_page
            assert page.creating and page.full_name.isVisible()
            page.username.setText("truong")
            page.full_name.setText("Nguyễn Văn Trưởng")
            page.secret.setText("mat-khau-dai")
            page.again.setText("mat-khau-khac")
            page.button.click()
            assert "không giống nhau" in page.problem.text()
            page.again.setText("mat-khau-dai")
            page.button.click()
            settle(qtbot, window)
            assert window.is_logged_in
            assert window.staff_name.text() == "Nguyễn Văn Trưởng (truong)"
            window.shutdown()
    finally:
        hub.stop()


def test_a_screen_event_stream_starts_over_from_a_snapshot_after_a_restore(
    qtbot: QtBot, screens: Screens
) -> None:
    from kiosk.ui.events import EventStream

    def waiting(snapshot: object) -> int:
        assert isinstance(snapshot, dict)
        return int(next(g["waiting"] for g in snapshot["groups"] if g["group"]["prefix"] == "A"))

    with screens.hub.client() as admin, screens.client("kiosk") as kiosk:
        name = admin.backup()["name"]
        display = screens.client("display")
        stream = EventStream(display.events_url)
        try:
            with qtbot.waitSignal(stream.snapshot, timeout=WAIT) as first:
                stream.start()
            assert waiting(first.args[0]) == 0
            with qtbot.waitSignal(stream.event, timeout=WAIT):
                kiosk.issue("A")
            assert stream.last_id is not None
            with qtbot.waitSignal(stream.snapshot, timeout=WAIT) as fresh:
                admin.restore(name, confirm=name)
            assert waiting(fresh.args[0]) == 0  # the backup's board, not the ticket issued after
        finally:
            stream.stop()
            display.close()
