"""`kiosk run kiosk|counter|display|rating`: one screen, full screen, talking to the hub only."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.clock import Clock, system_clock
from kiosk.config import Settings, office_facts
from kiosk.domain.errors import KioskError, SettingsError
from kiosk.hub.client import HubClient
from kiosk.ui import theme
from kiosk.ui.events import EventStream

log = logging.getLogger(__name__)

#: The stream event after the admin changed the office's settings (kiosk/hub/office_routes.py).
OFFICE_CHANGED = "office.changed"


@dataclass(frozen=True)
class RunOptions:
    role: str
    hub_url: str
    token: str
    printer: str = ""
    counter: int | None = None
    idle_seconds: int = 30
    exit_pin: str = ""
    windowed: bool = False
    #: The screen's clock (`kiosk --clock-start`); the system's by default.
    clock: Clock = system_clock
    #: This PC's own voice recordings: a display board speaks with them when the hub is down.
    voice_dir: Path | None = None


def full_screen(window: QWidget, windowed: bool) -> None:
    """No window chrome and the whole screen, unless `windowed` (set-up and testing)."""
    if windowed:
        window.resize(1280, 900)
        window.show()
        return
    window.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
    window.setCursor(Qt.CursorShape.BlankCursor)  # a touch screen shows no mouse pointer
    window.showFullScreen()


def office_of(client: HubClient, settings: Settings) -> dict[str, Any]:
    """The office as the hub has it (GET /api/office): in an office every screen runs on its
    own PC, whose settings file may be old. This PC's file only when the hub is unreachable at
    start; the stream's `office.changed` brings the hub's facts later either way."""
    try:
        return client.office()
    except KioskError as error:
        log.warning("office facts from the local settings: %s", error.message)
        return office_facts(settings)


def office_changes(event: dict[str, Any]) -> dict[str, Any] | None:
    """The new office facts when a stream event says the admin changed them, else None."""
    if event.get("kind") != OFFICE_CHANGED:
        return None
    details = event.get("details")
    return details if isinstance(details, dict) else None


def build_window(options: RunOptions, settings: Settings) -> tuple[QWidget, HubClient]:
    """The window of a role, wired to the hub (not shown yet)."""
    if not options.token:
        raise SettingsError(
            "Thiếu mã truy cập của thiết bị: dùng --token hoặc biến môi trường KIOSK_DEVICE_TOKEN "
            "(tạo bằng 'kiosk devices add')."
        )
    client = HubClient(options.hub_url, options.token)
    if options.role == "kiosk":
        kiosk_stream = EventStream(client.events_url)
        window: QWidget = kiosk_window(
            client,
            settings,
            stream=kiosk_stream,
            printer=options.printer,
            idle_seconds=options.idle_seconds,
            exit_pin=options.exit_pin,
            now=options.clock,
        )
        kiosk_stream.start()
        return window, client
    office = office_of(client, settings)
    if options.role == "admin":
        from kiosk.ui.admin.window import AdminWindow

        window = AdminWindow(client, office_name=office["office_name"], year=options.clock().year)
        return window, client
    stream = EventStream(client.events_url)
    if options.role == "counter":
        window = _counter_window(options, settings, client, stream)
        stream.start()
        return window, client
    if options.role == "display":
        from kiosk.ui.display.screen import DisplayWindow
        from kiosk.ui.office_voice import OfficeVoice

        voice = OfficeVoice(client, settings, options.voice_dir, dict(office.get("voice") or {}))
        window = DisplayWindow(
            office_name=office["office_name"],
            notice=office["notice"],
            stream=stream,
            now=options.clock,
            voice=voice,
        )
        voice.setParent(window)
    elif options.role == "rating":
        from kiosk.ui.rating.screen import RatingWindow, hub_rate

        if options.counter is None:
            raise SettingsError("Màn hình đánh giá cần số quầy: thêm --counter N.")
        window = RatingWindow(options.counter, hub_rate(client), stream=stream)
    else:
        raise SettingsError(f"Vai trò không có màn hình: {options.role}")
    stream.start()
    return window, client


def kiosk_window(
    client: HubClient,
    settings: Settings,
    *,
    stream: EventStream,
    printer: str = "",
    default_printer: str = "",
    idle_seconds: int = 30,
    exit_pin: str = "",
    now: Clock = system_clock,
) -> QWidget:
    """The ticket kiosk, printing on the ticket printer the admin set for this device
    (followed live); `printer` (--printer) is a local override; without either, tickets go to
    `default_printer` (else PNG files under ./tickets)."""
    from kiosk.ui.device_printers import DevicePrinters
    from kiosk.ui.kiosk.screen import KioskWindow
    from kiosk.ui.kiosk.services import HubServices

    printers = DevicePrinters(
        client,
        stream,
        overrides={"ticket": printer},
        defaults={"ticket": default_printer or "png:" + os.path.join(os.getcwd(), "tickets")},
    )
    office = office_of(client, settings)
    services = HubServices(
        client, lambda: printers.uri("ticket"), office_name=office["office_name"]
    )
    window = KioskWindow(
        services, idle_seconds=idle_seconds, exit_pin=exit_pin, stream=stream, now=now
    )
    printers.setParent(window)
    printers.start()
    return window


def _counter_window(
    options: RunOptions, settings: Settings, client: HubClient, stream: EventStream
) -> QWidget:
    if options.counter is None:
        raise SettingsError("Máy quầy cần số quầy: thêm --counter N.")
    from kiosk.paths import resolve_paths

    return counter_console(
        client,
        options.counter,
        settings,
        stream=stream,
        data_dir=resolve_paths().data_dir,
        form_printer=options.printer,
        now=options.clock,
    )


def counter_console(
    client: HubClient,
    counter: int,
    settings: Settings,
    *,
    stream: EventStream,
    data_dir: Path,
    form_printer: str = "",
    now: Clock = system_clock,
) -> QWidget:
    """The counter console: its printers are those the admin set for this device (followed
    live); `form_printer` (--printer: pdf:FOLDER or os:Printer) and KIOSK_RECEIPT_PRINTER are
    local overrides; forms default to the data folder's prints/. Its reception draft and its
    print jobs (counter-N-prints.db) are kept in the data folder."""
    from dataclasses import replace

    from kiosk.ui.counter.draft import DraftFile
    from kiosk.ui.counter.prints import CounterPrints
    from kiosk.ui.counter.services import CounterServices, PrintSetup, default_form_folder
    from kiosk.ui.counter.window import CounterWindow
    from kiosk.ui.device_printers import DevicePrinters
    from kiosk.ui.pdf_printing import enable_os_printing

    enable_os_printing()
    printers = DevicePrinters(
        client,
        stream,
        overrides={
            "form": form_printer,
            "receipt": os.environ.get("KIOSK_RECEIPT_PRINTER", ""),
        },
        defaults={"form": default_form_folder(data_dir)},
    )
    office = office_of(client, settings)
    printing = PrintSetup(
        office_name=office["office_name"],
        form_printer=printers.uri("form"),
        receipt_printer=printers.uri("receipt"),
        form_set=office["form_set"],
    )
    # Every print is a job row kept on this PC, so a failed one survives a restart.
    prints = CounterPrints(data_dir / f"counter-{counter}-prints.db")
    services = CounterServices(client, counter, printing, prints=prints)

    def follow_printers() -> None:
        # A new PrintSetup replaces the old one whole: a print running on the console's worker
        # keeps the setup it started with.
        services.printing = replace(
            services.printing,
            form_printer=printers.uri("form"),
            receipt_printer=printers.uri("receipt"),
        )

    printers.changed.connect(follow_printers)
    window = CounterWindow(
        services,
        counter_name=_counter_name(office, counter),
        office_name=office["office_name"],
        stream=stream,
        draft=DraftFile(data_dir / f"counter-{counter}-draft.json"),
        now=now,
    )

    def follow_office(event: dict[str, Any]) -> None:
        changed = office_changes(event)
        if changed is None:
            return
        # Forms printed from now on carry the new name and numbering; the header shows them.
        services.printing = replace(
            services.printing,
            office_name=str(changed.get("office_name") or services.printing.office_name),
            form_set=str(changed.get("form_set") or services.printing.form_set),
        )
        window.set_office(services.printing.office_name, _counter_name(changed, counter))

    stream.event.connect(follow_office)
    printers.setParent(window)
    printers.start()
    return window


def _counter_name(office: dict[str, Any], counter: int) -> str:
    names = {int(c["number"]): str(c["name"]) for c in office.get("counters", [])}
    return names.get(counter, "")


def run_role(options: RunOptions, settings: Settings) -> int:
    """Run one screen until it is closed; returns the exit status."""
    app = theme.application()
    theme.route_qt_messages()
    window, client = build_window(options, settings)
    quit_on = getattr(window, "exit_requested", None)
    if quit_on is not None:
        quit_on.connect(app.quit)
    if options.role in ("counter", "admin") and not options.windowed:
        window.showMaximized()  # a staff PC: normal window, mouse pointer, taskbar
    else:
        full_screen(window, options.windowed)
    try:
        return int(app.exec())
    finally:
        window.close()
        client.close()
