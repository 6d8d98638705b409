"""The hub's event stream over QWebSocket: snapshot, then events; reconnects and resumes.

Protocol (kiosk/hub/stream_routes.py `events`): without `after`, the first message is
`{type: "snapshot", snapshot, id}`; with `after`, the missed events are replayed as
`{type: "event", event, id}`, then live events follow. After a drop this stream reconnects by
itself (backoff 0.5 s → 10 s) and resumes after the last id it saw, so a display never misses a
call and never repeats one. A silent link (cable pulled, no FIN) is noticed by pings.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtWebSockets import QWebSocket

log = logging.getLogger(__name__)

BACKOFF_MS = (500, 1000, 2000, 4000, 8000, 10000)
PING_EVERY_MS = 10_000
#: Without any message or pong for this long, the link is taken as dead and reopened.
SILENCE_LIMIT_MS = 25_000
CLOSE_UNAUTHORIZED = 4401
#: The hub's database was restored (kiosk.hub.runtime.CLOSE_RESTORED): start over from a snapshot.
CLOSE_RESTORED = 4002


def close_code(socket: QWebSocket) -> int:
    """The peer's close code as a number: PySide6 hands out a `CloseCode` enum, which never
    equals a plain int (4401 == CloseCode(4401) is False), so compare its value."""
    code = socket.closeCode()
    return int(getattr(code, "value", code))


class EventStream(QObject):
    """Emits `snapshot(dict)` and `event(dict)` on the main thread, and `online(bool)`."""

    # `object`, not `dict`: a dict signal converts to QVariantMap, and PySide6 miscounts the
    # references to the many None values of ticket JSON ("deallocating None" on Python 3.11).
    snapshot = Signal(object)
    event = Signal(object)
    online = Signal(bool)
    #: The hub refused the device's token (revoked or wrong): shown, and retried slowly.
    unauthorized = Signal()

    def __init__(self, url_for: Callable[[int | None], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._url_for = url_for
        self.last_id: int | None = None
        self.is_online = False
        self._attempt = 0
        self._stopped = True
        self._socket = QWebSocket()
        self._socket.connected.connect(self._connected)
        self._socket.disconnected.connect(self._disconnected)
        self._socket.textMessageReceived.connect(self._message)
        self._socket.pong.connect(self._alive)
        self._socket.errorOccurred.connect(self._error)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._open)
        self._ping = QTimer(self)
        self._ping.setInterval(PING_EVERY_MS)
        self._ping.timeout.connect(self._send_ping)
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(SILENCE_LIMIT_MS)
        self._watchdog.timeout.connect(self._silent)

    def start(self) -> None:
        self._stopped = False
        self._open()

    def stop(self) -> None:
        self._stopped = True
        self._retry.stop()
        self._ping.stop()
        self._watchdog.stop()
        self._socket.close()

    def resync(self) -> None:
        """Ask for a fresh snapshot (the office's counters changed): reconnect without `after`."""
        self.last_id = None
        self._socket.abort()

    # --- internals ----------------------------------------------------------------------------

    @Slot()
    def _open(self) -> None:
        if self._stopped:
            return
        self._socket.open(QUrl(self._url_for(self.last_id)))

    @Slot()
    def _connected(self) -> None:
        self._attempt = 0
        self._ping.start()
        self._watchdog.start()
        self._set_online(True)

    @Slot()
    def _disconnected(self) -> None:
        self._ping.stop()
        self._watchdog.stop()
        self._set_online(False)
        code = close_code(self._socket)
        if code == CLOSE_UNAUTHORIZED:
            self.unauthorized.emit()
            self._schedule(30_000)
            return
        if code == CLOSE_RESTORED:
            # Ids seen before a restore mean nothing now; the hub would answer with a snapshot
            # anyway (its snapshot floor), this makes sure, and reconnects at once.
            self.last_id = None
            self._attempt = 0
        self._schedule(BACKOFF_MS[min(self._attempt, len(BACKOFF_MS) - 1)])
        self._attempt += 1

    def _error(self, _error: Any) -> None:
        # A refused connection never reaches "connected": Qt reports it here and then
        # (sometimes) "disconnected"; make sure a retry is scheduled either way.
        log.debug("event stream error: %s", self._socket.errorString())
        if not self._retry.isActive() and not self.is_online:
            self._schedule(BACKOFF_MS[min(self._attempt, len(BACKOFF_MS) - 1)])
            self._attempt += 1

    def _schedule(self, delay_ms: int) -> None:
        if not self._stopped:
            self._retry.start(delay_ms)

    def _set_online(self, value: bool) -> None:
        if value != self.is_online:
            self.is_online = value
            self.online.emit(value)

    @Slot(str)
    def _message(self, text: str) -> None:
        if self._stopped:
            return  # read before the close took effect: the screen is going away
        self._watchdog.start()
        try:
            message: dict[str, Any] = json.loads(text)
            kind = message["type"]
            message_id = int(message["id"])
        except (ValueError, KeyError, TypeError):
            log.warning("event stream: unreadable message ignored")
            return
        self.last_id = message_id
        if kind == "snapshot":
            self.snapshot.emit(message["snapshot"])
        elif kind == "event":
            self.event.emit(message["event"])

    @Slot()
    def _send_ping(self) -> None:
        self._socket.ping(b"k")

    def _alive(self, *_args: Any) -> None:
        self._watchdog.start()

    @Slot()
    def _silent(self) -> None:
        log.info("event stream silent for %d ms: reconnecting", SILENCE_LIMIT_MS)
        self._socket.abort()
