"""The admin screen with the real hub: devices and tokens, staff, calendar, catalogue, backup."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from ui_support import Screens

from kiosk.hub.client import HubClient, HubError
from kiosk.ui.admin.window import AdminWindow

WAIT = 10_000
HEADER = (
    "code,name,field,duration_value,duration_unit,same_day_cutoff,"
    "fee_counter_vnd,fee_online_vnd,fee_note,documents,processing_unit,source"
)
GOOD_CSV = (
    HEADER + "\n"
    "1.001193,Đăng ký khai sinh,Hộ tịch,0,ngày làm việc,15:00,0,,,Tờ khai,UBND xã,DVCQG\n"
    "2.000908,Chứng thực bản sao từ bản chính,Chứng thực,1,ngày làm việc,,2000,,,,UBND xã,\n"
)


@pytest.fixture
def admin(qtbot: QtBot, screens: Screens) -> Iterator[AdminWindow]:
    client = screens.hub.client()  # logged in as the test admin: the window carries on
    window = AdminWindow(client, office_name="UBND xã Thử Nghiệm", year=2026)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    settle(qtbot, window)
    assert window.is_logged_in
    yield window
    window.shutdown()
    client.close()


def settle(qtbot: QtBot, window: AdminWindow) -> None:
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=WAIT)


def cells(table: object, column: int) -> list[str]:
    rows = table.rowCount()  # type: ignore[attr-defined]
    return [table.item(r, column).text() for r in range(rows)]  # type: ignore[attr-defined]


def test_devices_register_shows_the_token_once_and_it_works_then_revoke(
    qtbot: QtBot, admin: AdminWindow, screens: Screens
) -> None:
    page = admin.devices
    assert "Máy quầy 1" in cells(page.list, 1)
    page.name.setText("Máy quầy 3")  # keyClicks aborts on non-ASCII
    page.role.setCurrentIndex(page.role.findData("counter"))
    page.counter.setValue(3)
    page.add_button.click()
    settle(qtbot, admin)
    assert page.token_box.isVisible()
    token = page.token.text()
    assert len(token) > 20 and page.token.isReadOnly()
    assert "Máy quầy 3" in cells(page.list, 1)
    assert "Đã đăng ký thiết bị" in admin.message.text()
    page.copy_token()
    assert QGuiApplication.clipboard().text() == token
    # The new token is a counter device of counter 3 on the hub.
    with HubClient(screens.hub.url, token) as new_counter:
        new_counter.queue()
        # Revoke it: select its row, press twice (the first press asks to confirm).
        row = cells(page.list, 1).index("Máy quầy 3")
        page.list.selectRow(row)
        page.revoke_button.click()
        assert "Bấm lần nữa" in page.revoke_button.text()
        page.revoke_button.click()
        settle(qtbot, admin)
        assert cells(page.list, 4)[row] == "Đã thu hồi"
        with pytest.raises(HubError) as caught:
            new_counter.queue()
        assert caught.value.status == 401


def test_device_form_says_what_is_missing(qtbot: QtBot, admin: AdminWindow) -> None:
    page = admin.devices
    page.add_button.click()
    assert "Nhập tên thiết bị" in page.problem.text()
    page.revoke_button.click()
    assert "Chọn một thiết bị" in page.problem.text()


def test_staff_list_and_add_with_pin(qtbot: QtBot, admin: AdminWindow, screens: Screens) -> None:
    admin.show_tab(1)
    settle(qtbot, admin)
    page = admin.staff
    assert cells(page.list, 0) == ["lan", "quantri"]  # quantri: the fixtures' admin
    qtbot.keyClicks(page.username, "hoa")
    page.full_name.setText("Phạm Thị Hoa")
    qtbot.keyClicks(page.secret, "12")
    page.add_button.click()
    assert "Mã PIN phải có ít nhất 4 chữ số" in page.problem.text()
    assert not admin.tasks.busy  # nothing sent
    page.secret.clear()
    qtbot.keyClicks(page.secret, "8642")
    page.add_button.click()
    settle(qtbot, admin)
    assert cells(page.list, 0) == ["hoa", "lan", "quantri"]
    assert page.problem.text() == ""
    assert cells(page.list, 1)[0] == "Phạm Thị Hoa"
    assert page.secret.text() == ""
    # The new clerk can log in on counter 1.
    with screens.client("counter") as counter:
        assert counter.login("hoa", "8642")["staff"]["full_name"] == "Phạm Thị Hoa"


def test_calendar_override_add_and_delete_moves_the_due_date_at_once(
    qtbot: QtBot, admin: AdminWindow, screens: Screens
) -> None:
    with screens.hub.client() as setup:
        setup.import_catalogue(GOOD_CSV, "csv")
    due = date.fromisoformat(screens.counter.due_preview(1, "2.000908")["due_at"][:10])
    admin.show_tab(2)
    settle(qtbot, admin)
    page = admin.calendar
    page.year.setValue(due.year)
    settle(qtbot, admin)
    assert page.list.rowCount() == 0
    page.day.setDate(QDate(due.year, due.month, due.day))
    page.kind.setCurrentIndex(page.kind.findData("day_off"))
    page.reason.setText("Nghỉ bù")
    page.save()
    settle(qtbot, admin)
    assert cells(page.list, 0) == [f"{due:%d/%m/%Y}"]
    assert cells(page.list, 2) == ["Nghỉ bù"] and cells(page.list, 3) == ["Nghỉ bù"]
    later = date.fromisoformat(screens.counter.due_preview(1, "2.000908")["due_at"][:10])
    assert later > due  # the running hub uses it at once: no restart
    page.list.selectRow(0)
    page.delete_button.click()
    settle(qtbot, admin)
    assert page.list.rowCount() == 0
    assert screens.counter.due_preview(1, "2.000908")["due_at"][:10] == due.isoformat()


def test_catalogue_import_lists_every_error_by_line_and_column(
    qtbot: QtBot, admin: AdminWindow, tmp_path: Path
) -> None:
    admin.show_tab(3)
    page = admin.catalogue
    bad = tmp_path / "danh-muc.csv"
    bad.write_text(
        HEADER + "\n,Không mã,Hộ tịch,1,ngày làm việc,,0,,,,,\n1.3,X,Hộ tịch,mười,ngày,,0,,,,,\n",
        encoding="utf-8",
    )
    page.import_file(bad)
    settle(qtbot, admin)
    texts = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert texts[0].startswith("Dòng 2, cột code:")
    assert any(t.startswith("Dòng 3, cột duration_value:") for t in texts)
    assert admin.message.property("role") == "message-error"
    good = tmp_path / "tot.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    page.import_file(good)
    settle(qtbot, admin)
    assert page.problems.count() == 0
    assert "Đã nhập 2 thủ tục" in page.result.text()


def test_backup_and_print_test_and_office(
    qtbot: QtBot, admin: AdminWindow, screens: Screens, tmp_path: Path
) -> None:
    admin.show_tab(4)
    page = admin.maintenance
    page.backup()
    settle(qtbot, admin)
    assert "Đã sao lưu" in page.backup_result.text()
    assert list((screens.hub.data_dir / "backups").glob("*.db"))
    page.printer.setText(f"png:{tmp_path / 'in-thu'}")
    page.kind.setCurrentIndex(page.kind.findData("ticket"))
    page.test_print()
    settle(qtbot, admin)
    assert page.report.text().startswith("✔"), page.report.text()
    assert list((tmp_path / "in-thu").glob("*.png"))
    admin.show_tab(5)
    settle(qtbot, admin)
    assert admin.office.unit_code.text() == "000.00.00.T01"


def test_staff_pin_reset_on_screen_then_that_pin_logs_in(
    qtbot: QtBot, admin: AdminWindow, screens: Screens
) -> None:
    admin.show_tab(1)
    settle(qtbot, admin)
    page = admin.staff
    assert not page.edit_fields.isVisible() and page.edit_hint.isVisible()
    assert cells(page.list, 3) == ["Đang làm việc", "Đang làm việc"]
    page.list.selectRow(cells(page.list, 0).index("lan"))
    assert page.edit_fields.isVisible() and page.edit_name.text() == "Trần Thị Lan"
    assert not page.lock_box.isVisible()  # not locked: no unlock button
    # Typed twice, checked on screen before anything is sent.
    qtbot.keyClicks(page.edit_secret, "97531")
    qtbot.keyClicks(page.edit_again, "97513")
    page.save_button.click()
    assert "không giống nhau" in page.edit_problem.text()
    assert not admin.tasks.busy
    page.edit_again.clear()
    qtbot.keyClicks(page.edit_again, "97531")
    page.save_button.click()
    settle(qtbot, admin)
    assert "đã đặt lại mật khẩu/PIN" in admin.message.text()
    assert "đã kết thúc" in admin.message.text()  # lan was logged in at counter 1
    assert page.edit_secret.text() == "" and page.editing is not None  # still on lan
    with pytest.raises(HubError) as caught:
        screens.counter.session_info()
    assert caught.value.status == 401
    with screens.client("counter") as counter:
        assert counter.login("lan", "97531")["staff"]["username"] == "lan"


def test_staff_deactivate_shows_left_and_the_admin_cannot_demote_himself(
    qtbot: QtBot, admin: AdminWindow, screens: Screens
) -> None:
    admin.show_tab(1)
    settle(qtbot, admin)
    page = admin.staff
    page.select("lan")
    page.edit_active.setChecked(False)
    page.save_button.click()
    settle(qtbot, admin)
    assert cells(page.list, 3)[cells(page.list, 0).index("lan")] == "Đã nghỉ"
    assert "đã cho nghỉ" in admin.message.text()
    with screens.client("counter") as counter:
        with pytest.raises(HubError) as caught:
            counter.login("lan", "2468")
        assert "ngừng hoạt động" in caught.value.message
    # The only admin cannot take his own rights away: the hub's reason, on the panel.
    page.select("quantri")
    page.edit_role.setCurrentIndex(page.edit_role.findData("clerk"))
    page.save_button.click()
    settle(qtbot, admin)
    assert "quản trị cuối cùng" in page.edit_problem.text()
    assert admin.is_logged_in
    page.edit_role.setCurrentIndex(page.edit_role.findData("admin"))
    page.save_button.click()
    assert page.edit_problem.text() == "Chưa có gì thay đổi."


def test_staff_unlock_button_shows_only_when_locked(
    qtbot: QtBot, admin: AdminWindow, screens: Screens
) -> None:
    with screens.client("counter") as counter:
        for _ in range(5):
            with pytest.raises(HubError):
                counter.login("lan", "0000")
        admin.show_tab(1)
        settle(qtbot, admin)
        page = admin.staff
        state = cells(page.list, 3)[cells(page.list, 0).index("lan")]
        assert state.startswith("Đang bị khóa đến ")
        page.select("lan")
        assert page.lock_box.isVisible()
        page.unlock_button.click()
        settle(qtbot, admin)
        assert "đã mở khóa" in admin.message.text()
        assert not page.lock_box.isVisible()
        assert counter.login("lan", "2468")["staff"]["username"] == "lan"
