"""`kiosk run kiosk|counter|display|rating`: one screen, full screen, talking to the hub only."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.config import Settings
from kiosk.domain.errors import SettingsError
from kiosk.hub.client import HubClient
from kiosk.ui import theme
from kiosk.ui.events import EventStream

log = logging.getLogger(__name__)


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


def full_screen(window: QWidget, windowed: bool) -> None:
    """No window chrome and the whole screen, unless `windowed` (set-up and testing)."""
    if windowed:
        window.resize(1280, 900)
        window.show()
        return
    window.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
    window.setCursor(Qt.CursorShape.BlankCursor)  # a touch screen shows no mouse pointer
    window.showFullScreen()


def build_window(options: RunOptions, settings: Settings) -> tuple[QWidget, HubClient]:
    """The window of a role, wired to the hub (not shown yet)."""
    if not options.token:
        raise SettingsError(
            "Thiếu mã truy cập của thiết bị: dùng --token hoặc biến môi trường KIOSK_DEVICE_TOKEN "
            "(tạo bằng 'kiosk devices add')."
        )
    client = HubClient(options.hub_url, options.token)
    if options.role == "kiosk":
        from kiosk.ui.kiosk.screen import KioskWindow
        from kiosk.ui.kiosk.services import HubServices

        services = HubServices(
            client,
            options.printer or "png:" + os.path.join(os.getcwd(), "tickets"),
            office_name=settings.office_name,
        )
        kiosk_stream = EventStream(client.events_url)
        window: QWidget = KioskWindow(
            services,
            idle_seconds=options.idle_seconds,
            exit_pin=options.exit_pin,
            stream=kiosk_stream,
        )
        kiosk_stream.start()
        return window, client
    if options.role == "admin":
        from kiosk.ui.admin.window import AdminWindow

        return AdminWindow(client, office_name=settings.office_name), client
    stream = EventStream(client.events_url)
    if options.role == "counter":
        window = _counter_window(options, settings, client, stream)
        stream.start()
        return window, client
    if options.role == "display":
        from kiosk.ui.display.screen import DisplayWindow

        window = DisplayWindow(
            office_name=settings.office_name, notice=settings.notice, stream=stream
        )
    elif options.role == "rating":
        from kiosk.ui.rating.screen import RatingWindow, hub_rate

        if options.counter is None:
            raise SettingsError("Màn hình đánh giá cần số quầy: thêm --counter N.")
        window = RatingWindow(options.counter, hub_rate(client), stream=stream)
    else:
        raise SettingsError(f"Vai trò không có màn hình: {options.role}")
    stream.start()
    return window, client


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
    )


def counter_console(
    client: HubClient,
    counter: int,
    settings: Settings,
    *,
    stream: EventStream,
    data_dir: Path,
    form_printer: str = "",
) -> QWidget:
    """The counter console: forms to `form_printer` (pdf:FOLDER or os:Printer; default: the
    data folder's prints/), its reception draft in the data folder."""
    from kiosk.ui.counter.draft import DraftFile
    from kiosk.ui.counter.services import CounterServices, PrintSetup, default_form_folder
    from kiosk.ui.counter.window import CounterWindow
    from kiosk.ui.pdf_printing import enable_os_printing

    enable_os_printing()
    printing = PrintSetup(
        office_name=settings.office_name,
        form_printer=form_printer or default_form_folder(data_dir),
        receipt_printer=os.environ.get("KIOSK_RECEIPT_PRINTER", ""),
        form_set=settings.form_set,
    )
    names = {c.number: c.name for c in settings.counters}
    return CounterWindow(
        CounterServices(client, counter, printing),
        counter_name=names.get(counter, ""),
        office_name=settings.office_name,
        stream=stream,
        draft=DraftFile(data_dir / f"counter-{counter}-draft.json"),
    )


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
