"""The counter console over the real hub: a clerk's day, drafts, retries and an offline hub."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from serverproc import free_port
from ui_support import Screens, form_files, make_console

from kiosk.ui.counter.window import CounterWindow

WAIT = 15_000


@pytest.fixture
def console(qtbot: QtBot, screens: Screens, tmp_path: Path) -> Iterator[CounterWindow]:
    window = make_console(screens, tmp_path)
    assert window.stream is not None
    window.stream.start()
    yield window
    window.shutdown()
    window.close()
    window.services.client.close()


def log_in(qtbot: QtBot, window: CounterWindow) -> None:
    qtbot.keyClicks(window.login_page.username, "lan")
    qtbot.keyClicks(window.login_page.secret, "2468")
    with qtbot.waitSignal(window.logged_in, timeout=WAIT):
        qtbot.keyClick(window.login_page.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.form.catalogue is not None, timeout=WAIT)


def key(qtbot: QtBot, window: CounterWindow, name: Qt.Key, modifier: Any = None) -> None:
    target = window.focusWidget() or window
    if modifier is None:
        qtbot.keyClick(target, name)
    else:
        qtbot.keyClick(target, name, modifier)


def wait_message(qtbot: QtBot, window: CounterWindow, text: str) -> None:
    qtbot.waitUntil(lambda: text in window.message.text(), timeout=WAIT)


def fill_applicant(qtbot: QtBot, window: CounterWindow, procedure_words: str) -> None:
    form = window.form
    form.search.setFocus()
    qtbot.keyClicks(form.search, procedure_words)
    qtbot.keyClick(form.search, Qt.Key.Key_Return)
    assert form.procedure is not None
    form.name.edit.insert("nguyễn văn an")  # QTest types ASCII only
    qtbot.keyClicks(form.citizen_id.edit, "001099012345")
    qtbot.keyClicks(form.phone.edit, "0912 345 678")
    assert form.name.hint.text() == "✓ Sẽ ghi: Nguyễn Văn An"
    assert "sinh năm 1999" in form.citizen_id.hint.text()


def press_enter_in_the_sheet(qtbot: QtBot, window: CounterWindow) -> None:
    """Enter, where the keyboard is after F8 (inside the open question), as a clerk does."""
    sheet = window.queue.sheet
    target = window.focusWidget()
    assert target is not None and (target is sheet or sheet.isAncestorOf(target)), target
    with qtbot.waitSignal(sheet.confirmed, timeout=WAIT):
        qtbot.keyClick(target, Qt.Key.Key_Return)


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_qr(path: Path, tmp_path: Path) -> list[str]:
    stem = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(path), str(stem)], check=True
    )
    page = next(tmp_path.glob("page*.png"))
    found = [r.text for r in zxingcpp.read_barcodes(Image.open(page).convert("L"))]
    page.unlink()
    return found


def test_a_counter_day_call_receive_print_supplement_refuse_transfer_finish(
    console: CounterWindow, screens: Screens, qtbot: QtBot, tmp_path: Path
) -> None:
    log_in(qtbot, console)
    assert console.staff_label.text() == "Cán bộ: Trần Thị Lan"
    assert console.counter_label.text().startswith("QUẦY 1")
    with screens.client("kiosk") as kiosk:
        for _ in range(3):
            kiosk.issue("A")
    # Waiting counts arrive through the event stream.
    qtbot.waitUntil(lambda: console.queue.waiting().get("A") == 3, timeout=WAIT)

    # F2 calls the next number.
    key(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: console.queue.current is not None, timeout=WAIT)
    assert console.queue.ticket_number.text() == "A001"
    qtbot.waitUntil(lambda: console.queue.waiting().get("A") == 2, timeout=WAIT)

    # Reception: unaccented search, fields checked as typed, the due date shown before saving.
    fill_applicant(qtbot, console, "dang ky khai sinh")
    qtbot.waitUntil(lambda: "thời hạn" in console.form.due.text(), timeout=WAIT)
    assert "trong ngày" in console.form.due.text()
    for row in console.form.rows:
        row.check.setChecked(True)
    assert (tmp_path / "draft.json").exists()  # the draft follows every change
    key(qtbot, console, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_message(qtbot, console, "Đã tiếp nhận hồ sơ")
    assert "Đã in phiếu tiếp nhận (mẫu 01, liên 1 và liên 2)" in console.message.text()
    dossier = console.last_dossier
    assert dossier is not None
    code = dossier["code"]
    assert dossier["applicant_name"] == "Nguyễn Văn An"
    assert dossier["ticket_id"] is not None
    assert not (tmp_path / "draft.json").exists()  # saved: the draft is gone
    assert console.form.is_empty()

    # Form 01 (one PDF: liên 1 kept, liên 2 for the applicant), readable text and QR; and the
    # thermal short receipt with its QR. Both are sent job rows on this PC.
    forms = sorted((tmp_path / "forms").glob("*.pdf"))
    assert forms == form_files(tmp_path / "forms", "01")
    assert len(forms) == 1
    text = pdf_text(forms[0])
    assert code in text and "Nguyễn Văn An" in text
    assert "Liên 1: Lưu" in text and "Liên 2: Giao người nộp" in text
    assert console.services.failed_prints() == []
    assert not console.prints_button.isVisibleTo(console)
    assert code in pdf_qr(forms[0], tmp_path)
    slips = sorted((tmp_path / "slips").glob("*.png"))
    assert slips
    assert any(code in r.text for r in zxingcpp.read_barcodes(Image.open(slips[0]).convert("L")))

    # F8 finishes with the outcome already chosen from what happened ("received").
    key(qtbot, console, Qt.Key.Key_F8)
    assert console.queue.asking()
    assert console.queue.sheet.group.checkedId() == 0
    press_enter_in_the_sheet(qtbot, console)
    qtbot.waitUntil(lambda: console.queue.current is None, timeout=WAIT)
    wait_message(qtbot, console, "Đã kết thúc số A001")

    # Next citizen: documents missing → form 02.
    key(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: console.queue.ticket_number.text() == "A002", timeout=WAIT)
    fill_applicant(qtbot, console, "ket hon")
    console.form.rows[0].check.setChecked(True)
    key(qtbot, console, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    wait_message(qtbot, console, "Đã lập phiếu yêu cầu bổ sung")
    (form02,) = form_files(tmp_path / "forms", "02")
    assert "PHIẾU YÊU CẦU BỔ SUNG" in pdf_text(form02).upper()
    assert "Nguyễn Văn An" in pdf_text(form02)
    # …and the citizen goes to another group: transfer with a note (F6).
    key(qtbot, console, Qt.Key.Key_F6)
    sheet = console.queue.sheet
    sheet.choose(1)  # group B
    sheet.note.insert("Chứng thực bản sao trước")
    qtbot.keyClick(sheet.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: console.queue.current is None, timeout=WAIT)
    wait_message(qtbot, console, "Đã chuyển số A002")
    qtbot.waitUntil(lambda: console.queue.waiting().get("B") == 1, timeout=WAIT)

    # Third citizen: refused with a reason → form 03, then finish as refused.
    key(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: console.queue.current is not None, timeout=WAIT)
    fill_applicant(qtbot, console, "khai sinh")
    # No reason yet: the console says what is missing and keeps the form.
    key(qtbot, console, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    wait_message(qtbot, console, "Ghi lý do từ chối")
    console.form.note.insert("Thủ tục không thuộc thẩm quyền của xã")
    key(qtbot, console, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    wait_message(qtbot, console, "Đã lập phiếu từ chối")
    (form03,) = form_files(tmp_path / "forms", "03")
    assert "TỪ CHỐI" in pdf_text(form03).upper()
    assert "không thuộc thẩm quyền" in pdf_text(form03)
    key(qtbot, console, Qt.Key.Key_F8)
    assert console.queue.sheet.values[console.queue.sheet.group.checkedId()] == "refused"
    press_enter_in_the_sheet(qtbot, console)
    qtbot.waitUntil(lambda: console.queue.current is None, timeout=WAIT)

    # Work lists and search: the received dossier is found without accents, opened, moved on.
    key(qtbot, console, Qt.Key.Key_F10)
    work = console.work
    qtbot.waitUntil(lambda: "hồ sơ" in work.caption.text(), timeout=WAIT)
    qtbot.keyClicks(work.search, "nguyen van an")
    with qtbot.waitSignal(work.loaded, timeout=WAIT):
        qtbot.keyClick(work.search, Qt.Key.Key_Return)
    assert [r["code"] for r in work.rows] == [code]
    with qtbot.waitSignal(work.loaded, timeout=WAIT):
        work.open_row(0)
    page = work.page
    assert page.title.text().startswith(code)
    assert page.step_buttons["transfer"].isEnabled()
    assert not page.step_buttons["return"].isEnabled()
    page.text.insert("Công chức Tư pháp - Hộ tịch")
    with qtbot.waitSignal(work.loaded, timeout=WAIT):
        page.step_buttons["transfer"].click()
    qtbot.waitUntil(lambda: page.timeline.count() > 1, timeout=WAIT)
    assert "Chuyển xử lý" in page.timeline.item(1).text()
    with qtbot.waitSignal(work.loaded, timeout=WAIT):
        page.step_buttons["done"].click()
    qtbot.waitUntil(lambda: page.step_buttons["return"].isEnabled(), timeout=WAIT)
    with qtbot.waitSignal(work.loaded, timeout=WAIT):
        work.show_list("ready_to_return")
    assert code in [r["code"] for r in work.rows]


def test_the_reception_draft_survives_a_closed_window(
    qtbot: QtBot, screens: Screens, tmp_path: Path
) -> None:
    first = make_console(screens, tmp_path)
    log_in(qtbot, first)
    fill_applicant(qtbot, first, "khai sinh")
    first.form.rows[0].check.setChecked(True)
    first.close()  # as if the clerk closed it, or the PC restarted
    first.services.client.close()

    second = make_console(screens, tmp_path)
    try:
        log_in(qtbot, second)
        qtbot.waitUntil(lambda: not second.form.is_empty(), timeout=WAIT)
        form = second.form
        assert form.procedure is not None and "khai sinh" in form.procedure.name
        assert form.name.edit.text() == "nguyễn văn an"
        assert form.citizen_id.edit.text() == "001099012345"
        assert form.rows[0].check.isChecked() and not form.rows[1].check.isChecked()
        assert "khôi phục" in second.message.text()
    finally:
        second.shutdown()
        second.close()
        second.services.client.close()


def test_saving_again_after_a_lost_answer_never_makes_a_second_dossier(
    console: CounterWindow, qtbot: QtBot
) -> None:
    log_in(qtbot, console)
    fill_applicant(qtbot, console, "khai sinh")
    for row in console.form.rows:
        row.check.setChecked(True)
    body = console.form.reception(None)
    first, _ = console.services.receive(body)
    again, _ = console.services.receive(console.form.reception(None))  # same request id
    assert again["code"] == first["code"] and again["replayed"]


def test_an_offline_hub_is_shown_plainly_and_the_typing_is_kept(
    console: CounterWindow, screens: Screens, qtbot: QtBot
) -> None:
    log_in(qtbot, console)
    qtbot.keyClicks(console.form.search, "khai sinh")
    qtbot.keyClick(console.form.search, Qt.Key.Key_Return)
    screens.hub.stop()
    key(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: console.offline_band.isVisibleTo(console), timeout=WAIT)
    assert "Không kết nối được máy chủ" in console.message.text()
    assert console.link_label.text() == "● Mất kết nối"
    assert console.form.procedure is not None  # nothing typed is lost


def test_a_wrong_pin_is_refused_with_the_hubs_message(console: CounterWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(console.login_page.username, "lan")
    qtbot.keyClicks(console.login_page.secret, "0000")
    qtbot.keyClick(console.login_page.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: console.login_page.problem.text() != "", timeout=WAIT)
    assert console.pages.currentIndex() == 0


# --- tickets on hold, transfer to a counter ------------------------------------------------------


def hold_current(qtbot: QtBot, window: CounterWindow, note: str) -> str:
    """F5 with a note; returns the held number."""
    assert window.queue.current is not None
    number = str(window.queue.current["display_number"])
    key(qtbot, window, Qt.Key.Key_F5)
    assert window.queue.asking()
    window.queue.sheet.note.insert(note)
    qtbot.keyClick(window.queue.sheet.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.queue.current is None, timeout=WAIT)
    qtbot.waitUntil(lambda: [t["display_number"] for t in window.queue.held] == [number])
    return number


def press(qtbot: QtBot, window: CounterWindow, *keys: Qt.Key) -> None:
    """Keys to the question sheet (digits choose, Enter confirms)."""
    for name in keys:
        qtbot.keyClick(window.queue.sheet, name)


def test_a_held_ticket_is_listed_and_called_back_to_the_counter_then_finished(
    console: CounterWindow, screens: Screens, qtbot: QtBot
) -> None:
    log_in(qtbot, console)
    with screens.client("kiosk") as kiosk:
        kiosk.issue("A")
        kiosk.issue("A")
    qtbot.waitUntil(lambda: console.queue.waiting().get("A") == 2, timeout=WAIT)
    key(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: console.queue.ticket_number.text() == "A001", timeout=WAIT)

    hold_current(qtbot, console, "Đi photo giấy khai sinh")
    held = console.queue.held[0]
    assert held["note"] == "Đi photo giấy khai sinh" and held["held_at"]
    # The panel lists it: number, since when, the note.
    row = console.queue.held_rows[0]
    assert row.text().startswith("A001 · từ ")
    assert "Đi photo" in row.toolTip()
    assert "(1)" in console.queue.held_caption.text()

    # F7: pick the held number (1), then "call it to the counter" (the default when free).
    key(qtbot, console, Qt.Key.Key_F7)
    assert console.queue.asking()
    press(qtbot, console, Qt.Key.Key_1, Qt.Key.Key_Return)
    sheet = console.queue.sheet
    assert sheet.title.text() == "Số A001 đang tạm giữ"
    assert "Đi photo giấy khai sinh" in sheet.detail.text()
    assert sheet.value() == "call"
    press(qtbot, console, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: console.queue.ticket_number.text() == "A001", timeout=WAIT)
    wait_message(qtbot, console, "Đã gọi số A001")
    qtbot.waitUntil(lambda: console.queue.held == [], timeout=WAIT)

    key(qtbot, console, Qt.Key.Key_F8)
    press(qtbot, console, Qt.Key.Key_4, Qt.Key.Key_Return)  # "Chỉ hướng dẫn"
    qtbot.waitUntil(lambda: console.queue.current is None, timeout=WAIT)
    wait_message(qtbot, console, "Đã kết thúc số A001")
    with screens.client("kiosk") as kiosk:
        ticket = kiosk.queue()
    assert all(c["current"] is None for c in ticket["counters"] if c["counter"]["number"] == 1)


def test_a_held_ticket_goes_back_to_the_queue_or_is_cancelled_after_a_second_press(
    console: CounterWindow, screens: Screens, qtbot: QtBot
) -> None:
    log_in(qtbot, console)
    with screens.client("kiosk") as kiosk:
        for _ in range(3):
            kiosk.issue("A")
    qtbot.waitUntil(lambda: console.queue.waiting().get("A") == 3, timeout=WAIT)
    key(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: console.queue.ticket_number.text() == "A001", timeout=WAIT)
    hold_current(qtbot, console, "Về lấy sổ hộ khẩu")

    # Clicking the held row opens the same choices; 3 = cancel, which asks once more.
    console.queue.held_rows[0].click()
    press(qtbot, console, Qt.Key.Key_3, Qt.Key.Key_Return)
    sheet = console.queue.sheet
    assert sheet.title.text() == "Hủy số A001?"
    assert sheet.ok.text().startswith("Hủy số A001")
    assert [t["display_number"] for t in console.queue.held] == ["A001"]  # not yet
    press(qtbot, console, Qt.Key.Key_Return)
    wait_message(qtbot, console, "Đã hủy số A001")
    qtbot.waitUntil(lambda: console.queue.held == [], timeout=WAIT)

    # Esc on the confirmation keeps the ticket.
    key(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: console.queue.ticket_number.text() == "A002", timeout=WAIT)
    hold_current(qtbot, console, "")
    key(qtbot, console, Qt.Key.Key_F7)
    press(qtbot, console, Qt.Key.Key_Return, Qt.Key.Key_3, Qt.Key.Key_Return)
    press(qtbot, console, Qt.Key.Key_Escape)
    assert not console.queue.asking()
    assert [t["display_number"] for t in console.queue.held] == ["A002"]

    # 2 = back to the queue at its old place: it is called before A003.
    key(qtbot, console, Qt.Key.Key_F7)
    press(qtbot, console, Qt.Key.Key_Return, Qt.Key.Key_2, Qt.Key.Key_Return)
    wait_message(qtbot, console, "Số A002 đã về hàng chờ")
    qtbot.waitUntil(lambda: console.queue.held == [], timeout=WAIT)
    qtbot.waitUntil(lambda: console.queue.waiting().get("A") == 2, timeout=WAIT)
    key(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: console.queue.ticket_number.text() == "A002", timeout=WAIT)


def test_transfer_to_another_counter_which_calls_it_first_and_it_comes_back(
    console: CounterWindow, screens: Screens, qtbot: QtBot
) -> None:
    with screens.hub.client() as admin:
        token = admin.add_device("Máy quầy 2", "counter", 2)["token"]
        admin.add_staff("minh", "Lê Văn Minh", "1357")
    log_in(qtbot, console)
    with screens.client("kiosk") as kiosk:
        kiosk.issue("A")
        kiosk.issue("A")
    qtbot.waitUntil(lambda: console.queue.waiting().get("A") == 2, timeout=WAIT)
    key(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: console.queue.ticket_number.text() == "A001", timeout=WAIT)

    key(qtbot, console, Qt.Key.Key_F6)
    sheet = console.queue.sheet
    labels = [b.text() for b in sheet.group.buttons()]
    assert labels[:3] == ["1. Nhóm A — Hộ tịch", "2. Nhóm B — Chứng thực", "3. Quầy 2"]
    assert "Quầy 1" not in [text.split(". ", 1)[1] for text in labels]  # not to itself
    # The note has the keyboard: ↓ moves the choice, digits would type into the note.
    qtbot.keyClicks(sheet.note, "Xin xac nhan cua can bo dia chinh")
    qtbot.keyClick(sheet.note, Qt.Key.Key_Down)
    qtbot.keyClick(sheet.note, Qt.Key.Key_Down)
    assert sheet.value() == ("counter", 2)
    qtbot.keyClick(sheet.flag, Qt.Key.Key_Space)
    assert sheet.flag.isChecked()
    qtbot.keyClick(sheet.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: console.queue.current is None, timeout=WAIT)
    wait_message(qtbot, console, "Đã chuyển số A001 sang quầy 2, xong sẽ quay lại quầy 1")

    with screens.hub.client(token) as second:
        second.login("minh", "1357")
        called = second.call_next(2)  # before A002, which waited in group A all along
        assert called is not None and called["display_number"] == "A001"
        second.finish(2, "guided")
    # Come back: counter 1 gets it first, ahead of A002.
    key(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: console.queue.ticket_number.text() == "A001", timeout=WAIT)


# --- print jobs kept on this PC ------------------------------------------------------------------


def test_a_failed_print_is_kept_across_a_restart_and_printed_again(
    qtbot: QtBot, screens: Screens, tmp_path: Path
) -> None:
    blocked = tmp_path / "forms"
    blocked.write_text("a file where the form folder should be")  # the "printer" fails
    closed = f"tcp://127.0.0.1:{free_port()}?timeout=2"  # nothing listens there
    first = make_console(screens, tmp_path, form_printer=f"pdf:{blocked}", receipt_printer=closed)
    try:
        log_in(qtbot, first)
        fill_applicant(qtbot, first, "khai sinh")
        for row in first.form.rows:
            row.check.setChecked(True)
        key(qtbot, first, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        wait_message(qtbot, first, "Đã tiếp nhận hồ sơ")
        assert "CHƯA IN ĐƯỢC" in first.message.text()
        assert first.last_dossier is not None
        code = first.last_dossier["code"]
        assert first.failed_prints == 2
        assert first.prints_button.isVisibleTo(first)
        assert first.prints_button.text().startswith("⚠ Bản in lỗi (2)")
        failed = first.services.failed_prints()
        assert [(i.form, i.subject, i.status) for i in failed] == [
            ("01", code, "failed"),
            ("", code, "failed"),
        ]
        assert "Không lưu được biểu mẫu" in failed[0].reason
        assert "127.0.0.1" in failed[1].reason
    finally:
        first.close()  # the PC is switched off
        first.services.client.close()

    # Next morning: the failed prints are still owed, before anyone logs in.
    blocked.unlink()
    second = make_console(
        screens,
        tmp_path,
        form_printer=f"pdf:{blocked}",
        receipt_printer=f"png:{tmp_path / 'slips'}",  # the thermal printer was replaced
    )
    try:
        qtbot.waitUntil(lambda: second.failed_prints == 2, timeout=WAIT)
        assert second.prints_button.isVisibleTo(second)
        log_in(qtbot, second)
        page = second.prints_page
        with qtbot.waitSignal(page.loaded, timeout=WAIT):
            key(qtbot, second, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        assert second.tabs.currentWidget() is page
        assert page.table.rowCount() == 2
        assert page.table.item(0, 1).text() == "Phiếu tiếp nhận (mẫu 01)"

        # "In lại" on form 01: sent, the PDF is readable, one failed print left.
        page.table.selectRow(0)
        with qtbot.waitSignal(page.loaded, timeout=WAIT):
            page.retry_button.click()
        wait_message(qtbot, second, f"Đã in lại: Phiếu tiếp nhận (mẫu 01) {code}")
        assert second.failed_prints == 1
        assert page.table.rowCount() == 1
        pdfs = list(blocked.glob("*.pdf"))
        assert len(pdfs) == 1
        text = pdf_text(pdfs[0])
        assert code in text and "Nguyễn Văn An" in text and "Liên 2: Giao người nộp" in text

        # The slip: the kept bytes go to the printer configured now (decoded back from PNG).
        page.table.selectRow(0)
        with qtbot.waitSignal(page.loaded, timeout=WAIT):
            page.retry()
        assert second.failed_prints == 0
        assert not second.prints_button.isVisibleTo(second)
        slips = sorted((tmp_path / "slips").glob("*.png"))
        assert any(
            code in r.text for r in zxingcpp.read_barcodes(Image.open(slips[0]).convert("L"))
        )
        statuses = {i.kind: i.status for i in second.services.prints.recent()}  # type: ignore[union-attr]
        assert statuses == {f"mau-01-{code}": "sent", f"bien-nhan-{code}": "sent"}
    finally:
        second.shutdown()
        second.close()
        second.services.client.close()


def test_dropping_a_failed_print_takes_a_second_press(
    qtbot: QtBot, screens: Screens, tmp_path: Path
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    window = make_console(screens, tmp_path, form_printer=f"pdf:{blocked}")
    try:
        log_in(qtbot, window)
        fill_applicant(qtbot, window, "khai sinh")
        window.form.note.insert("Thủ tục không thuộc thẩm quyền của xã")
        key(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        wait_message(qtbot, window, "CHƯA IN ĐƯỢC")
        assert window.failed_prints == 1
        page = window.prints_page
        with qtbot.waitSignal(page.loaded, timeout=WAIT):
            window.show_prints()
        assert page.table.item(0, 1).text() == "Từ chối tiếp nhận (mẫu 03)"
        page.discard()
        assert "lần nữa" in page.discard_button.text()
        assert window.failed_prints == 1  # not yet
        with qtbot.waitSignal(page.loaded, timeout=WAIT):
            page.discard()
        assert window.failed_prints == 0 and page.table.rowCount() == 0
        wait_message(qtbot, window, "Đã bỏ bản in")
    finally:
        window.shutdown()
        window.close()
        window.services.client.close()


def test_any_form_of_a_dossier_can_be_printed_again_from_its_page(
    console: CounterWindow, screens: Screens, qtbot: QtBot, tmp_path: Path
) -> None:
    from datetime import datetime, timedelta

    counter = screens.counter
    received = counter.receive_dossier(
        1,
        {
            "procedure_code": "1.004837",  # 3 working days
            "applicant": {"name": "Trần Thị Bình", "citizen_id": "001199012346"},
            "documents": [{"catalogue_position": 0, "copy_kind": "original", "count": 1}],
        },
    )
    code = received["code"]
    counter.dossier_step(1, code, "transfer", {"to_unit": "Công chức Tư pháp - Hộ tịch"})
    counter.dossier_step(
        1, code, "supplement-request", {"items": [{"name": "Giấy chứng sinh"}], "reason": "Thiếu"}
    )
    counter.dossier_step(1, code, "supplement-received")
    later = datetime.fromisoformat(received["due_at"]).date() + timedelta(days=14)
    log_in(qtbot, console)
    # The extension step itself prints form 04 (the console's own path, not a reprint).
    _, printed = console.services.step(
        code, "extend", {"reason": "Chờ xác minh tại nơi cư trú", "new_due_date": str(later)}
    )
    assert not printed.problem
    (first_04,) = (tmp_path / "forms").glob("mau-04-*.pdf")
    assert "Chờ xác minh tại nơi cư trú" in " ".join(pdf_text(first_04).split())
    first_04.unlink()
    work = console.work
    key(qtbot, console, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: "hồ sơ" in work.caption.text(), timeout=WAIT)
    work.open_code(code)
    qtbot.waitUntil(lambda: work.page.title.text().startswith(code), timeout=WAIT)
    choices = work.page.reprint_choice
    labels = [choices.itemText(i) for i in range(choices.count())]
    assert [label[-8:] for label in labels] == ["(mẫu 01)", "(mẫu 02)", "(mẫu 04)", "(mẫu 05)"]

    forms = tmp_path / "forms"
    expected = {
        "(mẫu 05)": ["PHIẾU KIỂM SOÁT", "Công chức Tư pháp", "Trần Thị Bình"],
        "(mẫu 04)": ["XIN LỖI", "Chờ xác minh tại nơi cư trú", f"{later:%d/%m/%Y}"],
        "(mẫu 02)": ["BỔ SUNG", "Giấy chứng sinh"],
    }
    for ending, words in expected.items():
        before = set(forms.glob("*.pdf")) if forms.exists() else set()
        choices.setCurrentIndex(next(i for i, t in enumerate(labels) if t.endswith(ending)))
        work.page.reprint.click()
        wait_message(qtbot, console, f"Đã in lại mẫu {ending[-3:-1]} của hồ sơ {code}")
        (written,) = set(forms.glob("*.pdf")) - before
        # Without -layout: a table cell's wrapped lines stay together.
        raw = subprocess.run(["pdftotext", str(written), "-"], capture_output=True, text=True)
        text = " ".join(raw.stdout.split())
        for word in words:
            assert word in text, (ending, word)
        assert "staff:" not in text  # who clicked is not a name for a legal form
    assert console.services.failed_count() == 0


def test_a_session_ended_by_the_admin_returns_to_login_and_keeps_the_form(
    console: CounterWindow, screens: Screens, qtbot: QtBot
) -> None:
    log_in(qtbot, console)
    console.form.name.edit.insert("trần văn bảo")
    with screens.hub.client() as admin:
        lan = next(s for s in admin.staff() if s["username"] == "lan")
        admin.update_staff(lan["id"], secret="97531")  # a PIN reset ends her sessions
    key(qtbot, console, Qt.Key.Key_F2)  # her next action is refused by the hub
    qtbot.waitUntil(lambda: console.pages.currentIndex() == 0, timeout=WAIT)
    assert "Phiên làm việc đã kết thúc" in console.message.text()
    assert console.staff is None
    assert console.form.name.edit.text() == "trần văn bảo"
    assert console.login_page.username.text() == "lan"  # kept: only the PIN to type
    qtbot.keyClicks(console.login_page.secret, "97531")
    with qtbot.waitSignal(console.logged_in, timeout=WAIT):
        qtbot.keyClick(console.login_page.secret, Qt.Key.Key_Return)
    assert console.form.name.edit.text() == "trần văn bảo"
