"""`kiosk demo`: the whole office on one screen.

The hub runs in this process (uvicorn in a thread on 127.0.0.1, the demo office), and one
window shows, scaled to fit, the kiosk (portrait), the display board, a minimal counter panel
("call next / recall / finish" for every counter), the rating screen of counter 1, and a preview
of the last ticket printed by the virtual printer (ESC/POS decoded back to PNG).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QFont, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsScene,
    QGraphicsView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import Clock, system_clock
from kiosk.domain.errors import KioskError
from kiosk.hub.client import HubClient
from kiosk.paths import Paths
from kiosk.ui import theme
from kiosk.ui.events import EventStream
from kiosk.ui.tasks import Tasks
from kiosk.ui.widgets import button, label

log = logging.getLogger(__name__)

DEMO_DEVICES_FILE = "demo-devices.json"
DEMO_PIN = "2468"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DemoHub:
    """The hub in a thread: `url`, device tokens by name, and `stop()`."""

    url: str
    tokens: dict[str, str]
    counters: list[int]
    _server: Any = None
    _thread: threading.Thread | None = None
    _office: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: The office's clock (`kiosk --clock-start`): the screens show the hub's time.
    clock: Clock = system_clock

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(15)
        if self._office is not None:
            self._office.close()


def _demo_devices(office: Any, paths: Paths, counters: list[int]) -> dict[str, str]:
    """Device tokens for the demo screens, kept in a file so runs do not pile up devices."""
    from kiosk.hub import auth

    file = paths.data_dir / DEMO_DEVICES_FILE
    wanted: dict[str, tuple[str, int | None]] = {
        "kiosk": ("kiosk", None),
        "display": ("display", None),
        "rating-1": ("rating", counters[0]),
        "admin": ("admin", None),
        **{f"counter-{n}": ("counter", n) for n in counters},
    }
    tokens: dict[str, str] = {}
    if file.exists():
        try:
            tokens = {str(k): str(v) for k, v in json.loads(file.read_text("utf-8")).items()}
        except (ValueError, OSError):
            tokens = {}
    for name, (role, counter) in wanted.items():
        token = tokens.get(name, "")
        try:
            if token:
                auth.authenticate_device(office.store, token)
                continue
        except KioskError:
            pass
        _, tokens[name] = auth.register_device(
            office.store,
            name=f"Trình diễn: {name}",
            role=role,
            counter_number=counter,
            actor="system:demo",
        )
    for n in counters:
        with contextlib.suppress(KioskError):  # already there from an earlier run
            auth.create_staff(
                office.store,
                username=f"quay{n}",
                full_name=f"Cán bộ quầy {n}",
                secret=DEMO_PIN,
                actor="system:demo",
            )
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(tokens, handle)
    return tokens


def _demo_printers(hub: Any, tokens: dict[str, str], paths: Paths, console: int) -> None:
    """The demo's virtual printers, set in the hub once (the admin screen shows them, and a
    change made there is kept at the next run)."""
    from kiosk.hub import auth
    from kiosk.hub.device_routes import device_printers, set_device_printers

    wanted = {
        "kiosk": {"ticket": f"png:{paths.prints_dir / 'tickets'}"},
        f"counter-{console}": {"form": f"pdf:{paths.prints_dir / 'forms'}"},
    }
    store = hub.office.store
    for name, printers in wanted.items():
        device = auth.authenticate_device(store, tokens[name])
        if not device_printers(store, device.id)["printers"]:
            set_device_printers(hub, device.id, dict(printers), actor="system:demo")


def start_hub(paths: Paths, *, clock: Clock = system_clock) -> DemoHub:
    """The demo office's hub on a free loopback port, ready when this returns."""
    import uvicorn

    from kiosk.hub.app import create_app
    from kiosk.hub.server import build_hub

    process = build_hub(paths, clock=clock)
    office = process.hub.office
    counters = [c.number for c in office.settings.counters]
    tokens = _demo_devices(office, paths, counters)
    _demo_printers(process.hub, tokens, paths, counters[0])
    port = free_port()
    config = uvicorn.Config(
        create_app(process.hub),
        host="127.0.0.1",
        port=port,
        log_config=None,
        access_log=False,
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="demo-hub", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the demo hub did not start")
        time.sleep(0.02)
    return DemoHub(
        f"http://127.0.0.1:{port}", tokens, counters, server, thread, office, clock=clock
    )


class ScaledScreen(QGraphicsView):
    """Shows a screen at its real pixel size, scaled down to fit (and still touchable)."""

    def __init__(self, screen: QWidget, width: int, height: int) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setStyleSheet("background: #2B3440;")
        scene = QGraphicsScene(self)
        screen.resize(width, height)
        scene.addWidget(screen)
        scene.setSceneRect(QRectF(0, 0, width, height))
        self.setScene(scene)
        self.screen = screen

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)


class CounterPanel(QFrame):
    """A minimal counter console: call next, recall, finish, for every counter."""

    def __init__(self, clients: dict[int, HubClient], console_number: int | None = None) -> None:
        super().__init__()
        self.setProperty("role", "card")
        self.tasks = Tasks("demo-counters", self)
        self.clients = clients
        self.current: dict[int, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setSpacing(8)
        title = label("Quầy (bản trình diễn)", "body")
        title.setFont(theme.font(20, QFont.Weight.Bold))
        grid.addWidget(title, 0, 0, 1, 5)
        if console_number is not None:
            hint = label(
                f"Quầy {console_number}: bàn làm việc đầy đủ ở cửa sổ riêng "
                f"(đăng nhập quay{console_number}, PIN {DEMO_PIN}).",
                "hint",
            )
            hint.setStyleSheet("font-size: 15px;")
            grid.addWidget(hint, len(clients) + 2, 0, 1, 5)
        for row, number in enumerate(sorted(clients), start=1):
            name = label(f"Quầy {number}", "body", wrap=False)
            name.setFont(theme.font(18, QFont.Weight.DemiBold))
            grid.addWidget(name, row, 0)
            current = label("—", "body", wrap=False)
            current.setFont(theme.font(18, QFont.Weight.Bold))
            current.setMinimumWidth(70)
            self.current[number] = current
            grid.addWidget(current, row, 1)
            for column, (text, action) in enumerate(
                (("Gọi số tiếp", "call_next"), ("Gọi lại", "recall"), ("Xong", "finish")), start=2
            ):
                press = button(text, lambda n=number, a=action: self.act(n, a), height=40)
                press.setStyleSheet("font-size: 16px; padding: 4px 10px; border-radius: 8px;")
                grid.addWidget(press, row, column)
        self.status = label("", "hint")
        self.status.setStyleSheet("font-size: 16px;")
        grid.addWidget(self.status, len(clients) + 1, 0, 1, 5)

    def act(self, number: int, action: str) -> None:
        client = self.clients[number]

        def work() -> Any:
            if action == "finish":
                return client.finish(number, "guided")
            return getattr(client, action)(number)

        self.tasks.run(work, lambda t: self._done(number, action, t), self._failed)

    def _done(self, number: int, action: str, ticket: dict[str, Any] | None) -> None:
        if action == "finish":
            self.current[number].setText("—")
            self.status.setText(f"Quầy {number}: đã xong.")
        elif ticket is None:
            self.status.setText(f"Quầy {number}: không còn ai chờ.")
        else:
            self.current[number].setText(str(ticket["display_number"]))
            self.status.setText(f"Quầy {number}: mời số {ticket['display_number']}.")

    def _failed(self, error: KioskError) -> None:
        self.status.setText(error.message)


class DemoWindow(QWidget):
    """The demo's main window: the kiosk, the board, the small counter panel, the rating screen
    and the ticket preview side by side; the first counter's console and the admin screen open
    in windows of their own."""

    def __init__(
        self, hub: DemoHub, settings: Any, prints: Path, *, data_dir: Path | None = None
    ) -> None:
        super().__init__()
        self.setWindowTitle("Một Cửa Kiosk — trình diễn")
        self.setStyleSheet("DemoWindow { background: #2B3440; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._hub = hub
        self.clients: list[HubClient] = []
        # The first counter gets the real console in its own window (the clerk logs in there);
        # the others are driven from the small panel.
        console_number = hub.counters[0]
        counters: dict[int, HubClient] = {}
        for number in hub.counters[1:]:
            counters[number] = self._client(f"counter-{number}")
            counters[number].login(f"quay{number}", DEMO_PIN)
        self._open_lobby_screens(settings, prints)
        self.counters = CounterPanel(counters, console_number)
        self.console: QWidget | None = None
        if data_dir is not None:
            self.console = self._open_console(console_number, settings, data_dir)
        self._open_admin(settings)
        self.preview = self._build_preview()
        self.kiosk.ticket_printed.connect(self.show_ticket)
        self._lay_out()
        for stream in (self.display.stream, self.rating.stream, self.kiosk.stream):
            assert stream is not None
            stream.start()

    def _client(self, name: str) -> HubClient:
        """A hub client with the demo device `name`'s token, closed with the window."""
        made = HubClient(self._hub.url, self._hub.tokens[name])
        self.clients.append(made)
        return made

    def _open_lobby_screens(self, settings: Any, prints: Path) -> None:
        """The kiosk, the display board and counter 1's rating screen."""
        from kiosk.ui.display.screen import DisplayWindow
        from kiosk.ui.kiosk.screen import KioskWindow
        from kiosk.ui.rating.screen import RatingWindow, hub_rate
        from kiosk.ui.run import kiosk_window

        hub = self._hub
        # The kiosk prints where the hub says (the admin screen's "Máy in" tab can move it).
        kiosk_client = self._client("kiosk")
        kiosk = kiosk_window(
            kiosk_client,
            settings,
            stream=EventStream(kiosk_client.events_url),
            default_printer=f"png:{prints}",
            now=hub.clock,
        )
        assert isinstance(kiosk, KioskWindow)
        self.kiosk = kiosk
        from kiosk.config import voice_data
        from kiosk.ui.office_voice import OfficeVoice

        board_client = self._client("display")
        # The board speaks each call as in an office (no sound device: logged once, shown only).
        voice = OfficeVoice(board_client, settings, None, voice_data(settings))
        self.display = DisplayWindow(
            office_name=settings.office_name,
            notice=settings.notice,
            stream=EventStream(board_client.events_url),
            now=hub.clock,
            voice=voice,
        )
        voice.setParent(self.display)
        self.rating = RatingWindow(
            hub.counters[0],
            hub_rate(self._client("rating-1")),
            stream=EventStream(self._client("rating-1").events_url),
        )

    def _open_console(self, number: int, settings: Any, data_dir: Path) -> QWidget:
        """The real counter console of counter `number`, in a window of its own."""
        from kiosk.ui.run import counter_console

        console_client = self._client(f"counter-{number}")
        console = counter_console(
            console_client,
            number,
            settings,
            stream=EventStream(console_client.events_url),
            data_dir=data_dir,
            now=self._hub.clock,
        )
        console.setWindowTitle(f"Quầy {number} — bàn làm việc (trình diễn)")
        return console

    def _open_admin(self, settings: Any) -> None:
        """The admin screen in its own window too, on its login page (quantri / 2468): office,
        staff, devices, printers, calendar… changed there reach the other screens live."""
        from kiosk.ui.admin.window import AdminWindow

        self.admin = AdminWindow(
            self._client("admin"), office_name=settings.office_name, year=self._hub.clock().year
        )
        self.admin.setWindowTitle("Quản trị (trình diễn)")

    def _build_preview(self) -> QLabel:
        """Where the virtual printer's last ticket is shown."""
        preview = QLabel("Phiếu in\n(máy in ảo)\nsẽ hiện ở đây")
        preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        preview.setWordWrap(True)
        preview.setStyleSheet("background: white; color: #4A5868; border-radius: 12px;")
        preview.setMinimumWidth(220)
        return preview

    def _lay_out(self) -> None:
        """Kiosk | board above (counter panel, rating) | ticket preview."""
        row = QHBoxLayout(self)
        row.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        row.setContentsMargins(12, 12, 12, 12)
        row.setSpacing(12)
        row.addWidget(ScaledScreen(self.kiosk, 1080, 1920), 28)
        middle = QVBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(ScaledScreen(self.display, 1920, 1080), 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.counters, 3)
        bottom.addWidget(ScaledScreen(self.rating, 1280, 800), 2)
        middle.addLayout(bottom, 2)
        row.addLayout(middle, 58)
        row.addWidget(self.preview, 14)

    def show_ticket(self, pages: list[Path]) -> None:
        picture = QPixmap(str(pages[-1]))
        self.preview.setPixmap(
            picture.scaledToWidth(
                max(self.preview.width() - 16, 100), Qt.TransformationMode.SmoothTransformation
            )
        )

    def shutdown(self) -> None:
        from kiosk.ui.device_printers import DevicePrinters

        self.kiosk.shutdown()
        for window in (self.kiosk, self.console):
            printers = None if window is None else window.findChild(DevicePrinters)
            if printers is not None:
                printers.stop()
        self.display.shutdown()
        self.rating.shutdown()
        self.counters.tasks.stop()
        self.admin.shutdown()
        self.admin.close()
        if self.console is not None:
            self.console.shutdown()  # type: ignore[attr-defined]
            self.console.close()
        for made in self.clients:
            made.close()


def run_demo(paths: Paths, *, seconds: float | None = None, clock: Clock = system_clock) -> int:
    """Open the demo window until closed (or for `seconds`); the hub stops with it."""
    from kiosk.config import load_settings

    settings = load_settings(paths.settings_file)
    app = theme.application()
    theme.route_qt_messages()
    hub = start_hub(paths, clock=clock)
    window: DemoWindow | None = None
    try:
        window = DemoWindow(hub, settings, paths.prints_dir / "tickets", data_dir=paths.data_dir)
        window.resize(1800, 1000)
        window.show()
        window.admin.resize(1366, 768)
        window.admin.show()
        if window.console is not None:
            window.console.resize(1366, 768)
            window.console.show()
        if seconds is not None:
            QTimer.singleShot(int(seconds * 1000), app.quit)
        return int(app.exec())
    finally:
        if window is not None:
            window.shutdown()
            window.close()
        hub.stop()
