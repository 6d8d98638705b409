"""Printers set in the admin screen reach the running screens, and print tests run on them.

Real hub process on loopback, real event stream, the png: virtual printer (ESC/POS decoded back
to PNG) and a closed TCP port for a printer that is off.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hubproc import age_print_test, free_port
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_support import Screens

from kiosk.config import Settings
from kiosk.hub.client import HubClient
from kiosk.ui import theme
from kiosk.ui.admin.printers_page import NO_ANSWER, PrintersPage
from kiosk.ui.admin.window import AdminWindow
from kiosk.ui.device_printers import DevicePrinters, PrintTestOutcome
from kiosk.ui.events import EventStream
from kiosk.ui.kiosk.screen import KioskWindow
from kiosk.ui.run import counter_console, kiosk_window

WAIT = 15_000
SETTINGS = Settings(office_name="UBND xã Thử Nghiệm")


@pytest.fixture
def admin(screens: Screens) -> Iterator[HubClient]:
    client = screens.hub.client()
    yield client
    client.close()


@pytest.fixture
def kiosk_id(screens: Screens) -> int:
    with screens.client("kiosk") as kiosk:
        return int(kiosk.device_profile()["id"])


@pytest.fixture
def make_kiosk(qtbot: QtBot, screens: Screens, tmp_path: Path) -> Iterator[Any]:
    theme.application()
    made: list[tuple[KioskWindow, HubClient]] = []

    def make() -> tuple[KioskWindow, DevicePrinters]:
        client = screens.client("kiosk")
        stream = EventStream(client.events_url)
        window = kiosk_window(
            client,
            SETTINGS,
            stream=stream,
            default_printer=f"png:{tmp_path / 'default'}",
            now=screens.hub.clock,
        )
        assert isinstance(window, KioskWindow)
        made.append((window, client))
        window.resize(1080, 1920)
        window.show()
        printers = window.findChild(DevicePrinters)
        assert printers is not None
        with qtbot.waitSignal(stream.snapshot, timeout=WAIT):
            stream.start()
        qtbot.waitUntil(lambda: printers.device_id is not None, timeout=WAIT)
        qtbot.waitUntil(lambda: bool(window.home.cards), timeout=WAIT)
        return window, printers

    yield make
    for window, client in made:
        window.shutdown()
        printer_set = window.findChild(DevicePrinters)
        if printer_set is not None:
            printer_set.stop()
        window.close()
        client.close()


def take_ticket(qtbot: QtBot, window: KioskWindow, card: int = 0) -> list[Path]:
    with qtbot.waitSignal(window.ticket_printed, timeout=WAIT) as printed:
        qtbot.mouseClick(window.home.cards[card], Qt.MouseButton.LeftButton)
    pages: list[Path] = printed.args[0]
    qtbot.mouseClick(window.ticket.finish, Qt.MouseButton.LeftButton)
    return pages


def test_the_kiosk_prints_where_the_admin_says_and_follows_a_change_without_restarting(
    make_kiosk: Any, admin: HubClient, kiosk_id: int, qtbot: QtBot, tmp_path: Path
) -> None:
    first, second = tmp_path / "quay-trai", tmp_path / "quay-phai"
    admin.set_device_printers(kiosk_id, {"ticket": f"png:{first}"})
    window, printers = make_kiosk()
    qtbot.waitUntil(lambda: printers.uri("ticket") == f"png:{first}", timeout=WAIT)
    assert printers.source("ticket") == "hub"

    pages = take_ticket(qtbot, window)
    assert [p.parent for p in pages] == [first]
    assert pages[0].exists()

    admin.set_device_printers(kiosk_id, {"ticket": f"png:{second}"})
    qtbot.waitUntil(lambda: printers.uri("ticket") == f"png:{second}", timeout=WAIT)
    pages = take_ticket(qtbot, window, card=1)
    assert [p.parent for p in pages] == [second]
    assert len(list(first.glob("*.png"))) == 1 and len(list(second.glob("*.png"))) == 1
    assert not (tmp_path / "default").exists()

    # Removed in the admin screen: the screen's default printer again.
    admin.set_device_printers(kiosk_id, {"ticket": None})
    qtbot.waitUntil(lambda: printers.source("ticket") == "default", timeout=WAIT)


def test_a_print_test_asked_by_the_admin_is_printed_by_the_running_kiosk(
    make_kiosk: Any, admin: HubClient, kiosk_id: int, qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "may-in-ao"
    admin.set_device_printers(kiosk_id, {"ticket": f"png:{folder}"})
    _window, printers = make_kiosk()
    qtbot.waitUntil(lambda: printers.uri("ticket") == f"png:{folder}", timeout=WAIT)
    with qtbot.waitSignal(printers.tested, timeout=WAIT) as tested:
        test = admin.request_print_test(kiosk_id, "ticket")
    outcome: PrintTestOutcome = tested.args[0]
    assert outcome.test_id == test["id"] and outcome.ok and outcome.reported
    assert len(list(folder.glob("*.png"))) == 1
    answer = admin.print_test_result(test["id"])
    assert answer["state"] == "done" and answer["ok"] is True
    assert answer["printer"] == f"png:{folder}"
    assert "Đã gửi mẫu in thử" in answer["message"]


def test_a_print_test_that_reaches_the_kiosk_too_late_is_not_printed(
    make_kiosk: Any, admin: HubClient, kiosk_id: int, qtbot: QtBot, tmp_path: Path, screens: Screens
) -> None:
    """The kiosk was offline when the admin asked; the request comes with the stream's replay
    minutes later: nothing is printed out of the blue, and the admin reads why."""
    folder = tmp_path / "may-in-ao"
    admin.set_device_printers(kiosk_id, {"ticket": f"png:{folder}"})
    window, printers = make_kiosk()
    qtbot.waitUntil(lambda: printers.uri("ticket") == f"png:{folder}", timeout=WAIT)
    stream = window.stream
    assert stream is not None
    with qtbot.waitSignal(stream.online, timeout=WAIT):
        stream.stop()  # the network drops
    test = admin.request_print_test(kiosk_id, "ticket")
    age_print_test(screens.hub, test["id"], 300)
    stream.start()  # back: the missed event is replayed
    qtbot.waitUntil(lambda: admin.print_test_result(test["id"])["state"] == "done", timeout=WAIT)
    answer = admin.print_test_result(test["id"])
    assert answer["ok"] is False and "không in" in answer["message"]
    assert not folder.exists() or not list(folder.glob("*.png"))

    # A test asked now is printed as before.
    with qtbot.waitSignal(printers.tested, timeout=WAIT):
        admin.request_print_test(kiosk_id, "ticket")
    assert len(list(folder.glob("*.png"))) == 1


def test_a_print_test_on_a_printer_that_is_off_reports_why_in_vietnamese(
    make_kiosk: Any, admin: HubClient, kiosk_id: int, qtbot: QtBot
) -> None:
    dead = f"tcp://127.0.0.1:{free_port()}?timeout=1"
    admin.set_device_printers(kiosk_id, {"ticket": dead})
    _window, printers = make_kiosk()
    qtbot.waitUntil(lambda: printers.uri("ticket") == dead, timeout=WAIT)
    with qtbot.waitSignal(printers.tested, timeout=WAIT) as tested:
        test = admin.request_print_test(kiosk_id, "ticket")
    assert tested.args[0].ok is False
    answer = admin.print_test_result(test["id"])
    assert answer["state"] == "done" and answer["ok"] is False
    assert answer["message"].startswith("Không kết nối được máy in")
    assert "đã bật" in answer["message"]


def test_a_printer_given_on_the_command_line_stays_a_local_override(
    screens: Screens, admin: HubClient, kiosk_id: int, qtbot: QtBot, tmp_path: Path
) -> None:
    admin.set_device_printers(kiosk_id, {"ticket": f"png:{tmp_path / 'hub'}"})
    client = screens.client("kiosk")
    printers = DevicePrinters(client, overrides={"ticket": f"png:{tmp_path / 'local'}"})
    try:
        with qtbot.waitSignal(printers.changed, timeout=WAIT):
            printers.start()
        assert printers.uri("ticket") == f"png:{tmp_path / 'local'}"
        assert printers.source("ticket") == "local"
        assert printers.profile["printers"] == {"ticket": f"png:{tmp_path / 'hub'}"}
    finally:
        printers.stop()
        client.close()


def test_the_counter_console_follows_its_form_and_receipt_printers(
    screens: Screens, admin: HubClient, qtbot: QtBot, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.delenv("KIOSK_RECEIPT_PRINTER", raising=False)
    theme.application()
    client = screens.client("counter")
    counter_id = int(client.device_profile()["id"])
    stream = EventStream(client.events_url)
    window: Any = counter_console(
        client, 1, SETTINGS, stream=stream, data_dir=tmp_path, now=screens.hub.clock
    )
    try:
        printers = window.findChild(DevicePrinters)
        with qtbot.waitSignal(stream.snapshot, timeout=WAIT):
            stream.start()
        qtbot.waitUntil(lambda: printers.device_id == counter_id, timeout=WAIT)
        assert window.services.printing.form_printer == f"pdf:{tmp_path / 'prints'}"
        assert window.services.printing.receipt_printer == ""
        forms, slips = tmp_path / "bieu-mau", tmp_path / "bien-nhan"
        admin.set_device_printers(counter_id, {"form": f"pdf:{forms}", "receipt": f"png:{slips}"})
        qtbot.waitUntil(
            lambda: window.services.printing.form_printer == f"pdf:{forms}", timeout=WAIT
        )
        assert window.services.printing.receipt_printer == f"png:{slips}"

        # Both of its printers answer a print test, each with its own sample.
        for kind, folder, pattern in (("form", forms, "*.pdf"), ("receipt", slips, "*.png")):
            with qtbot.waitSignal(printers.tested, timeout=WAIT) as tested:
                test = admin.request_print_test(counter_id, kind)
            assert tested.args[0].ok, tested.args[0].message
            assert len(list(folder.glob(pattern))) == 1
            assert admin.print_test_result(test["id"])["ok"] is True
    finally:
        window.shutdown()
        window.findChild(DevicePrinters).stop()
        window.close()
        client.close()


# --- the admin screen's "Máy in" tab ---------------------------------------------------------


@pytest.fixture
def page(qtbot: QtBot, admin: HubClient) -> Iterator[PrintersPage]:
    theme.application()
    window = AdminWindow(admin, office_name="UBND xã Thử Nghiệm", year=2026)
    window.resize(1366, 768)
    window.show()
    window.printers.answer_seconds = 2.0  # rather than 20 s: the test waits for the answer
    window.show_tab(window.page_list.index(window.printers))
    yield window.printers
    window.shutdown()
    window.close()


def choose(qtbot: QtBot, page: PrintersPage, device_id: int) -> None:
    qtbot.waitUntil(lambda: bool(page.rows), timeout=WAIT)
    page.list.selectRow([int(r["id"]) for r in page.rows].index(device_id))
    qtbot.waitUntil(
        lambda: page.device is not None and page.device["device_id"] == device_id, timeout=WAIT
    )


def test_the_printers_tab_saves_an_address_and_the_kiosk_prints_the_test_page(
    page: PrintersPage,
    make_kiosk: Any,
    admin: HubClient,
    kiosk_id: int,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    _window, printers = make_kiosk()
    choose(qtbot, page, kiosk_id)
    assert [r["role"] for r in page.rows] == ["kiosk", "counter"]  # no display, no rating
    row = page.printer_rows["ticket"]
    assert row.isVisible() and not page.printer_rows["form"].isVisible()

    row.uri.setText("ftp://sai")
    with qtbot.waitSignal(page.message, timeout=WAIT) as shown:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert shown.args[1] == "error" and "không hợp lệ" in page.problem.text()

    folder = tmp_path / "phieu"
    row.uri.setText(f"png:{folder}")
    with qtbot.waitSignal(page.message, timeout=WAIT) as shown:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert shown.args[1] == "ok"
    assert admin.device_printers(kiosk_id)["printers"] == {"ticket": f"png:{folder}"}
    qtbot.waitUntil(lambda: printers.uri("ticket") == f"png:{folder}", timeout=WAIT)

    with qtbot.waitSignal(page.test_answered, timeout=WAIT) as answered:
        qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
        assert row.answer.text() == "Đang chờ thiết bị in thử…"
    assert answered.args[0] == "ticket" and answered.args[1] is True
    assert row.answer.text().startswith("✔ Đã gửi mẫu in thử")
    assert len(list(folder.glob("*.png"))) == 1


def test_the_printers_tab_says_when_the_device_does_not_answer(
    page: PrintersPage, screens: Screens, qtbot: QtBot
) -> None:
    with screens.client("counter") as counter:
        counter_id = int(counter.device_profile()["id"])
    choose(qtbot, page, counter_id)  # no counter console runs in this test
    row = page.printer_rows["form"]
    assert row.isVisible() and page.printer_rows["receipt"].isVisible()
    with qtbot.waitSignal(page.test_answered, timeout=WAIT) as answered:
        qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
    assert answered.args == ["form", False, NO_ANSWER]
    assert row.answer.text() == "✘ Thiết bị không trả lời (máy tắt hoặc mất mạng?)"
