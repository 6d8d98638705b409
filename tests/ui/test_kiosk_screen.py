"""The ticket kiosk, offscreen, against the real hub process on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_support import Screens

from kiosk.printing.thermal.connections import parse_printer_uri
from kiosk.ui import theme
from kiosk.ui.kiosk.screen import KioskWindow
from kiosk.ui.kiosk.services import HubServices, LookupResult, hub_lookup

SHOTS = Path(__file__).resolve().parents[2] / "build" / "ui-tests"


@pytest.fixture
def make_kiosk(qtbot: QtBot, screens: Screens) -> Iterator[object]:
    theme.application()
    made: list[KioskWindow] = []

    def make(printer: str, **kwargs: object) -> KioskWindow:
        services = HubServices(screens.client("kiosk"), printer, **kwargs)  # type: ignore[arg-type]
        window = KioskWindow(services, now=screens.hub.clock)
        window.resize(1080, 1920)
        window.show()
        made.append(window)
        qtbot.waitUntil(lambda: bool(window.home.cards), timeout=10_000)
        return window

    yield make
    for window in made:
        window.shutdown()
        window.services.client.close()  # type: ignore[attr-defined]
        window.close()


def shoot(window: KioskWindow, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / f"{name}.png"))


def waiting(screens: Screens, prefix: str) -> int:
    groups = screens.counter.queue()["groups"]
    return next(int(g["waiting"]) for g in groups if g["group"]["prefix"] == prefix)


def test_home_shows_the_office_groups_with_people_waiting(make_kiosk, screens: Screens) -> None:
    with screens.client("kiosk") as kiosk:
        kiosk.issue("A")
    window = make_kiosk("png:/nonexistent-unused")
    names = [card.group.name for card in window.home.cards]
    assert names == ["Hộ tịch", "Chứng thực"]
    assert window.home.cards[0].group.waiting == 1
    assert "Đang chờ: 1 người" in window.home.cards[0].stats.text()


def test_one_tap_prints_one_ticket_and_a_double_tap_gives_no_second(
    make_kiosk, screens: Screens, qtbot: QtBot, tmp_path: Path
) -> None:
    window = make_kiosk(f"png:{tmp_path / 'prints'}")
    card = window.home.cards[0]
    with qtbot.waitSignal(window.ticket_printed, timeout=15_000) as printed:
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)  # the impatient second tap
    assert window.ticket.headline.text() == "Mời quý khách nhận phiếu"
    assert window.ticket.number.text() == "A001"
    assert waiting(screens, "A") == 1
    pages = printed.args[0]
    assert len(pages) == 1 and len(list((tmp_path / "prints").glob("*.png"))) == 1
    with Image.open(pages[0]) as page:
        assert page.width == parse_printer_uri(f"png:{tmp_path}").model().width
    shoot(window, "kiosk-ticket-printed")
    qtbot.mouseClick(window.ticket.finish, Qt.MouseButton.LeftButton)
    assert window.stack.currentIndex() == window.HOME


def test_a_printer_fault_keeps_the_number_on_screen_with_a_clear_message(
    make_kiosk, screens: Screens, qtbot: QtBot
) -> None:
    from hubproc import free_port

    window = make_kiosk(f"tcp://127.0.0.1:{free_port()}?timeout=1")
    qtbot.mouseClick(window.home.cards[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ticket.finish.isVisible(), timeout=15_000)
    assert window.ticket.headline.text() == "Máy in phiếu đang gặp sự cố"
    assert window.ticket.number.text() == "B001"
    assert "ghi nhớ số thứ tự" in window.ticket.message.text()
    assert waiting(screens, "B") == 1  # the ticket stands: it will be called
    shoot(window, "kiosk-printer-fault")


def test_dossier_lookup_from_a_scanner_shows_the_status_masked(
    make_kiosk, screens: Screens, qtbot: QtBot
) -> None:
    asked: list[str] = []

    def lookup(code: str) -> LookupResult:
        asked.append(code)
        return LookupResult(
            code=code,
            status="Đã có kết quả",
            explanation="Mời quý khách đến quầy để nhận kết quả.",
            applicant="N***** V** Đức",
        )

    window = make_kiosk("png:/unused", lookup=lookup)
    qtbot.mouseClick(window.home.lookup_entry, Qt.MouseButton.LeftButton)
    assert window.stack.currentIndex() == window.LOOKUP
    # A USB scanner types the QR's text and presses Enter, like a keyboard.
    qtbot.keyClicks(window.lookup.field, "https://tra-cuu.example.vn/000.00.21.H12-260914-0001")
    qtbot.keyClick(window.lookup.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.lookup.result.isVisible(), timeout=10_000)
    assert asked == ["000.00.21.H12-260914-0001"]
    assert window.lookup.status.text() == "Đã có kết quả"
    assert "N***** V** Đức" in window.lookup.facts.text()


def test_a_real_dossier_is_found_on_the_hub_with_its_name_masked(
    make_kiosk, screens: Screens, qtbot: QtBot
) -> None:
    dossier = screens.counter.receive_dossier(
        1,
        {
            "procedure_code": "1.004837",  # 3 working days, free
            "applicant": {
                "name": "Nguyễn Văn Đức",
                "citizen_id": "001099012345",
                "phone": "0912345678",
                "address": "12 Lê Lợi",
            },
            "documents": [{"catalogue_position": 0, "copy_kind": "original", "count": 1}],
        },
    )
    client = screens.client("kiosk")
    window = make_kiosk("png:/unused", lookup=hub_lookup(client))
    window.open_lookup()
    # Typed on our keypad, in lower case as a citizen might.
    window.lookup.field.setText(dossier["code"].lower())
    qtbot.mouseClick(window.lookup.keypad.key_button("Tra cứu"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.lookup.result.isVisible(), timeout=10_000)
    facts = window.lookup.facts.text()
    assert window.lookup.status.text() == "Đã tiếp nhận"
    assert "N***** V** Đức" in facts and "Nguyễn" not in facts
    assert "0912345678" not in facts and "001099012345" not in facts
    assert "Nơi nhận kết quả" in facts
    # A code that does not exist gets words, not a traceback.
    window.lookup.field.setText(dossier["code"][:-4] + "9999")
    qtbot.mouseClick(window.lookup.keypad.key_button("Tra cứu"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.lookup.message.isVisible() and "…" not in window.lookup.message.text(),
        timeout=10_000,
    )
    assert "hồ sơ" in window.lookup.message.text().lower()
    client.close()


def test_procedure_search_finds_accented_names_from_unaccented_typing(
    make_kiosk, qtbot: QtBot
) -> None:
    window = make_kiosk("png:/unused")
    qtbot.mouseClick(window.home.procedures_entry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(window.procedures.rows), timeout=10_000)
    for char in "KET HON":
        caption = "Dấu cách" if char == " " else char
        qtbot.mouseClick(window.procedures.keypad.key_button(caption), Qt.MouseButton.LeftButton)
    names = [row.procedure.name for row in window.procedures.rows]
    assert names[0] == "Thủ tục đăng ký kết hôn"
    assert all("kết hôn" in name for name in names)
    qtbot.mouseClick(window.procedures.rows[0], Qt.MouseButton.LeftButton)
    assert window.stack.currentIndex() == window.PROCEDURE
    shoot(window, "kiosk-procedure")


def test_idle_brings_the_kiosk_back_home(make_kiosk, qtbot: QtBot) -> None:
    window = make_kiosk("png:/unused")
    window.idle.setInterval(200)
    window.open_lookup()
    qtbot.keyClicks(window.lookup.field, "000")
    with qtbot.waitSignal(window.idle.timeout, timeout=5_000):
        pass
    assert window.stack.currentIndex() == window.HOME
    assert window.lookup.field.text() == ""


def test_the_hidden_gesture_and_the_right_pin_let_staff_out(make_kiosk, qtbot: QtBot) -> None:
    window = make_kiosk("png:/unused")
    window._exit_pin = "2468"
    for tap in range(5):
        window.header.register_tap(1000 + tap * 300)
    assert window.stack.currentIndex() == window.PIN
    window.pin.submitted.emit("1111")
    assert window.pin.message.text() == "Mã PIN không đúng."
    with qtbot.waitSignal(window.exit_requested, timeout=1_000):
        window.pin.submitted.emit("2468")
