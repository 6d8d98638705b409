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
from ui_support import Screens

from kiosk.ui import theme
from kiosk.ui.counter.draft import DraftFile
from kiosk.ui.counter.services import CounterServices, PrintSetup
from kiosk.ui.counter.window import CounterWindow
from kiosk.ui.events import EventStream

WAIT = 15_000


def make_console(screens: Screens, tmp_path: Path) -> CounterWindow:
    theme.application()
    client = screens.client("counter")
    services = CounterServices(
        client,
        1,
        PrintSetup(
            office_name="UBND xã Thử Nghiệm",
            form_printer=f"pdf:{tmp_path / 'forms'}",
            receipt_printer=f"png:{tmp_path / 'slips'}",
        ),
    )
    window = CounterWindow(
        services,
        office_name="UBND xã Thử Nghiệm",
        stream=EventStream(client.events_url),
        draft=DraftFile(tmp_path / "draft.json"),
    )
    window.resize(1366, 768)
    window.show()
    return window


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
    assert "Đã in phiếu tiếp nhận (mẫu 01, 2 bản)" in console.message.text()
    dossier = console.last_dossier
    assert dossier is not None
    code = dossier["code"]
    assert dossier["applicant_name"] == "Nguyễn Văn An"
    assert dossier["ticket_id"] is not None
    assert not (tmp_path / "draft.json").exists()  # saved: the draft is gone
    assert console.form.is_empty()

    # Form 01, two copies, readable text and QR; and the thermal short receipt with its QR.
    forms = sorted((tmp_path / "forms").glob("*.pdf"))
    assert len(forms) == 2
    text = pdf_text(forms[0])
    assert code in text and "Nguyễn Văn An" in text
    assert code in pdf_qr(forms[0], tmp_path)
    slips = sorted((tmp_path / "slips").glob("*.png"))
    assert slips
    assert any(code in r.text for r in zxingcpp.read_barcodes(Image.open(slips[0]).convert("L")))

    # F8 finishes with the outcome already chosen from what happened ("received").
    key(qtbot, console, Qt.Key.Key_F8)
    assert console.queue.asking()
    assert console.queue.sheet.group.checkedId() == 0
    qtbot.keyClick(console.queue.sheet.ok, Qt.Key.Key_Return)
    console.queue.sheet._confirm()
    qtbot.waitUntil(lambda: console.queue.current is None, timeout=WAIT)
    wait_message(qtbot, console, "Đã kết thúc số A001")

    # Next citizen: documents missing → form 02.
    key(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: console.queue.ticket_number.text() == "A002", timeout=WAIT)
    fill_applicant(qtbot, console, "ket hon")
    console.form.rows[0].check.setChecked(True)
    key(qtbot, console, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    wait_message(qtbot, console, "Đã lập phiếu yêu cầu bổ sung")
    form02 = [p for p in (tmp_path / "forms").glob("*.pdf") if "02" in p.name]
    assert len(form02) == 1
    assert "Nguyễn Văn An" in pdf_text(form02[0])
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
    form03 = [p for p in (tmp_path / "forms").glob("*.pdf") if "03" in p.name]
    assert "không thuộc thẩm quyền" in pdf_text(form03[0])
    key(qtbot, console, Qt.Key.Key_F8)
    assert console.queue.sheet.values[console.queue.sheet.group.checkedId()] == "refused"
    console.queue.sheet._confirm()
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
