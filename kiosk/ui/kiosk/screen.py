"""The ticket kiosk window: full screen, no window chrome, no way out for a citizen.

One tap on a field card issues a ticket (further taps are ignored until the ticket page is
done, so a double tap never gives two tickets), prints it, and shows the number large. A printer
fault keeps the number on screen with a clear message. Idle for `idle_seconds` → home. Staff
leave with a hidden gesture (five quick taps on the office name) and the exit PIN.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import system_clock
from kiosk.domain import formats
from kiosk.domain.catalogue import Catalogue, Procedure
from kiosk.domain.errors import KioskError
from kiosk.hub.client import HubUnavailable
from kiosk.queue import CATALOGUE_CHANGED
from kiosk.queue.models import PriorityCategory
from kiosk.ui import theme
from kiosk.ui.events import EventStream
from kiosk.ui.kiosk.pages import (
    HomePage,
    LookupPage,
    PinPage,
    PriorityPage,
    ProcedurePage,
    ProceduresPage,
    TicketPage,
)
from kiosk.ui.kiosk.services import (
    GroupInfo,
    IssuedTicket,
    KioskServices,
    LookupResult,
    scanned_code,
)
from kiosk.ui.tasks import Tasks
from kiosk.ui.widgets import label

log = logging.getLogger(__name__)

IDLE_SECONDS = 30
#: After a ticket is shown, home comes back sooner than the idle timeout (the next citizen).
TICKET_SHOWN_SECONDS = 15
REFRESH_SECONDS = 10
EXIT_TAPS = 5
EXIT_TAP_WINDOW_MS = 4000
USER_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class Header(QFrame):
    """Office name, unit and the clock; five quick taps on the name ask for the staff PIN."""

    exit_gesture = Signal()

    def __init__(
        self, office_name: str, now: Callable[[], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self._now = now
        self._taps: list[int] = []
        self._elapsed = 0
        row = QHBoxLayout(self)
        row.setContentsMargins(48, 24, 48, 24)
        names = QVBoxLayout()
        names.setSpacing(2)
        self.office = label(office_name.upper(), "office")
        self.office.installEventFilter(self)
        names.addWidget(self.office)
        names.addWidget(label("Bộ phận Tiếp nhận và Trả kết quả", "unit"))
        row.addLayout(names, 1)
        times = QVBoxLayout()
        times.setSpacing(0)
        self.time = label("", "clock", align=Qt.AlignmentFlag.AlignRight)
        self.time.setFont(theme.font(40, QFont.Weight.Bold))
        self.date = label("", "unit", align=Qt.AlignmentFlag.AlignRight)
        times.addWidget(self.time)
        times.addWidget(self.date)
        row.addLayout(times)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self.tick)
        self._clock.start(1000)
        self.tick()

    def set_office(self, name: str) -> None:
        self.office.setText(name.upper())

    def tick(self) -> None:
        moment = self._now()
        self.time.setText(f"{moment:%H:%M}")
        self.date.setText(formats.day_and_date(moment))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.office and event.type() == QEvent.Type.MouseButtonPress:
            # Taps are timed on the monotonic clock: a wall-clock jump (NTP) must not count.
            self.register_tap(int(time.monotonic() * 1000))
        return False

    def register_tap(self, at_ms: int) -> None:
        self._taps = [t for t in self._taps if at_ms - t <= EXIT_TAP_WINDOW_MS] + [at_ms]
        if len(self._taps) >= EXIT_TAPS:
            self._taps = []
            self.exit_gesture.emit()


class KioskWindow(QWidget):
    """The whole kiosk. `services` is called only on the worker thread."""

    ticket_printed = Signal(
        object
    )  # list of PNG pages of a virtual printer (for the demo's preview)
    exit_requested = Signal()

    HOME, PRIORITY, TICKET, LOOKUP, PROCEDURES, PROCEDURE, PIN = range(7)

    def __init__(
        self,
        services: KioskServices,
        *,
        idle_seconds: int = IDLE_SECONDS,
        exit_pin: str = "",
        now: Callable[[], datetime] | None = None,
        refresh_seconds: int = REFRESH_SECONDS,
        stream: EventStream | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setWindowTitle("Một Cửa — Lấy số thứ tự")
        self.services = services
        #: The hub's event stream when running for real (office changes, printer set-up).
        self.stream = stream
        self.tasks = Tasks("kiosk-worker", self)
        self._exit_pin = exit_pin
        self._now = now or system_clock
        self._busy = False
        self._priority: PriorityCategory | None = None
        self._catalogue: Catalogue | None = None
        #: The hub said the catalogue changed and the new one is not here yet.
        self._catalogue_stale = False
        self.last_ticket: IssuedTicket | None = None
        self.issued_count = 0

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # The screen's size is the screen's: never let a page's wish resize the window.
        column.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.header = Header(services.office_name or "", self._now)
        self.header.exit_gesture.connect(self._ask_pin)
        column.addWidget(self.header)
        self.stack = QStackedWidget()
        column.addWidget(self.stack, 1)
        self._add_pages()
        self._connect_pages()
        self._start_timers(idle_seconds, refresh_seconds)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._refresh.start()
        if stream is not None:
            stream.event.connect(self.on_stream_event)
            stream.snapshot.connect(self._stream_started_over)
        self.refresh()

    # --- building the window ----------------------------------------------------------------

    def _add_pages(self) -> None:
        """One page per state in `self.stack`, at the indexes HOME … PIN."""
        self.home = HomePage()
        self.priority = PriorityPage()
        self.ticket = TicketPage()
        self.lookup = LookupPage()
        self.procedures = ProceduresPage()
        self.procedure = ProcedurePage()
        self.pin = PinPage()
        for page in (
            self.home,
            self.priority,
            self.ticket,
            self.lookup,
            self.procedures,
            self.procedure,
            self.pin,
        ):
            self.stack.addWidget(page)

    def _connect_pages(self) -> None:
        """What each page's buttons lead to."""
        self.home.group_chosen.connect(self.take_ticket)
        self.home.priority_chosen.connect(lambda: self.show_page(self.PRIORITY))
        self.home.priority_cancelled.connect(lambda: self._set_priority(None))
        self.home.lookup_chosen.connect(self.open_lookup)
        self.home.procedures_chosen.connect(self.open_procedures)
        self.priority.chosen.connect(self._priority_chosen)
        self.priority.back.connect(self.go_home)
        self.ticket.done.connect(self.go_home)
        self.lookup.submitted.connect(self.look_up)
        self.lookup.back.connect(self.go_home)
        self.procedures.chosen.connect(self.open_procedure)
        self.procedures.back.connect(self.go_home)
        self.procedure.back.connect(lambda: self.show_page(self.PROCEDURES))
        self.pin.submitted.connect(self._check_pin)
        self.pin.back.connect(self.go_home)

    def _start_timers(self, idle_seconds: int, refresh_seconds: int) -> None:
        """Home after `idle_seconds` untouched (sooner after a ticket), the groups' figures
        every `refresh_seconds`."""
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(idle_seconds * 1000)
        self.idle.timeout.connect(self._idle_timeout)
        self._after_ticket = QTimer(self)
        self._after_ticket.setSingleShot(True)
        self._after_ticket.setInterval(TICKET_SHOWN_SECONDS * 1000)
        self._after_ticket.timeout.connect(self._ticket_time_up)
        self._refresh = QTimer(self)
        self._refresh.setInterval(refresh_seconds * 1000)
        self._refresh.timeout.connect(self.refresh)

    # --- lifecycle ---------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop timers and the worker thread (call before the window is destroyed)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for timer in (self.idle, self._after_ticket, self._refresh):
            timer.stop()
        if self.stream is not None:
            self.stream.stop()
        self.tasks.stop()

    def closeEvent(self, event: object) -> None:
        self.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in USER_EVENTS and self.stack.currentIndex() != self.HOME:
            self.idle.start()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        portrait = event.size().height() >= event.size().width()
        for index in range(self.stack.count()):
            page = self.stack.widget(index)
            page.set_portrait(portrait)  # type: ignore[attr-defined]
        super().resizeEvent(event)

    # --- navigation --------------------------------------------------------------------------

    def show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        if index == self.HOME:
            self.idle.stop()
        else:
            self.idle.start()

    def go_home(self) -> None:
        if self._busy:
            return  # a ticket is on its way; its page goes home when it is done
        self._after_ticket.stop()
        self._set_priority(None)
        self.lookup.reset()
        self.procedures.reset()
        self.pin.reset()
        self.ticket.reset()
        self.show_page(self.HOME)
        self.refresh()

    def _idle_timeout(self) -> None:
        log.debug("kiosk idle: back home")
        self.go_home()

    def _ticket_time_up(self) -> None:
        if self.stack.currentIndex() == self.TICKET:
            self.go_home()

    # --- home --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the groups' waiting counts in the background."""
        if self.tasks.busy:
            return
        self.tasks.run(self.services.groups, self._groups_loaded, self._groups_failed)

    def on_stream_event(self, event: dict[str, Any]) -> None:
        """The admin changed the office (name, groups…): show it now, not at the next refresh."""
        kind = event.get("kind")
        if kind == "office.changed":
            details = event.get("details") or {}
            name = str(details.get("office_name") or "")
            if name:
                self.services.office_name = name  # printed on the next ticket too
                self.header.set_office(name)
            self._catalogue = None  # fields may have moved between groups
            self.refresh_soon()
        elif kind == "queue.configured":
            self.refresh_soon()
        elif kind == CATALOGUE_CHANGED:
            self.reload_catalogue()

    def _stream_started_over(self, _snapshot: object) -> None:
        # A snapshot instead of a replay (a restore, a hub restarted on other data): a
        # `catalogue.changed` may have been missed, so the next visit to the list fetches again.
        if self._catalogue is not None:
            self._catalogue_stale = True

    def refresh_soon(self) -> None:
        """Reload the groups now, even behind a ticket being issued (the worker runs jobs in
        order, so this one waits its turn instead of being skipped like a timed refresh)."""
        self.tasks.run(self.services.groups, self._groups_loaded, self._groups_failed)

    def _groups_loaded(self, groups: list[GroupInfo]) -> None:
        if self.services.office_name:
            self.header.set_office(self.services.office_name)
        self.home.show_message("")
        self.home.show_groups(groups)

    def _groups_failed(self, error: KioskError) -> None:
        log.warning("kiosk: groups not loaded: %s", error.message)
        self.home.show_message(
            "Đang mất kết nối với máy chủ. Quý khách vui lòng chờ trong giây lát "
            "hoặc liên hệ cán bộ để được hỗ trợ."
        )
        for card in self.home.cards:
            card.setEnabled(False)

    def _priority_chosen(self, value: str) -> None:
        self._set_priority(PriorityCategory(value))
        self.show_page(self.HOME)
        self.idle.start()  # a priority choice left unattended must not stay for the next person

    def _set_priority(self, category: PriorityCategory | None) -> None:
        self._priority = category
        self.home.set_priority(category)

    # --- tickets -----------------------------------------------------------------------------

    def take_ticket(self, prefix: str) -> None:
        """One tap → one ticket: later taps are ignored until this one is settled."""
        if self._busy:
            return
        self._busy = True
        priority = self._priority.value if self._priority else None
        self.ticket.show_issuing()
        self.show_page(self.TICKET)
        self.tasks.run(
            lambda: self.services.issue(prefix, priority), self._issued, self._issue_failed
        )

    def _issued(self, ticket: IssuedTicket) -> None:
        self.last_ticket = ticket
        self.issued_count += 1
        self.ticket.show_ticket(ticket)
        self.tasks.run(
            lambda: self.services.print_ticket(ticket), self._printed, self._print_failed
        )

    def _printed(self, pages: list[Path]) -> None:
        self._busy = False
        self.ticket.show_printed()
        self._after_ticket.start()
        self.idle.start()
        if pages:
            self.ticket_printed.emit(pages)

    def _print_failed(self, error: KioskError) -> None:
        self._busy = False
        # Staff see it in the log (and the hub's alert once a print-alert endpoint exists).
        log.error("ticket printer failed: %s", error.message, extra={"error": error.code})
        self.ticket.show_print_failed(error.message)
        self.idle.start()

    def _issue_failed(self, error: KioskError) -> None:
        self._busy = False
        log.warning("ticket not issued: %s", error.message)
        if isinstance(error, HubUnavailable):
            # The address and "check the network" are for staff (in the log), not for citizens.
            self.ticket.show_issue_failed("Hệ thống lấy số đang tạm gián đoạn.")
        else:
            self.ticket.show_issue_failed(error.message)
        self.idle.start()

    # --- dossier lookup ----------------------------------------------------------------------

    def open_lookup(self) -> None:
        self.lookup.reset()
        self.show_page(self.LOOKUP)
        self.lookup.field.setFocus()

    def look_up(self, text: str) -> None:
        code = scanned_code(text)
        if not code:
            self.lookup.show_error("Quý khách chưa nhập mã hồ sơ.")
            return
        self.lookup.field.setText(code)
        self.lookup.show_searching()
        self.tasks.run(lambda: self.services.lookup(code), self._found, self._not_found)

    def _found(self, result: LookupResult) -> None:
        self.lookup.show_result(result)

    def _not_found(self, error: KioskError) -> None:
        self.lookup.show_error(error.message)

    # --- procedures --------------------------------------------------------------------------

    def open_procedures(self) -> None:
        self.procedures.reset()
        self.show_page(self.PROCEDURES)
        if self._catalogue is None or self._catalogue_stale:
            refresh = self._catalogue_stale
            self.tasks.run(
                lambda: self.services.catalogue(refresh=refresh),
                self._catalogue_loaded,
                self._catalogue_failed,
            )

    def reload_catalogue(self) -> None:
        """The admin or the district replaced the catalogue: fetch it now, so the procedure
        pages show the new one without a restart (a search finds a procedure just added)."""
        self._catalogue_stale = True
        self.tasks.run(
            lambda: self.services.catalogue(refresh=True),
            self._catalogue_loaded,
            self._catalogue_reload_failed,
        )

    def _catalogue_loaded(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self._catalogue_stale = False
        self.procedures.set_catalogue(catalogue)  # keeps what the citizen typed in the search
        shown = self.procedure.procedure
        if self.stack.currentIndex() != self.PROCEDURE or shown is None:
            return
        now = catalogue.procedure(shown.code)
        if now is None:
            # The procedure being read is gone: back home, as when a citizen walks away.
            log.info("kiosk: procedure %s left the catalogue, back home", shown.code)
            self.go_home()
        elif now != shown:
            self.procedure.show_procedure(now, self._field_name(now))

    def _catalogue_failed(self, error: KioskError) -> None:
        self.procedures.show_error(error.message)

    def _catalogue_reload_failed(self, error: KioskError) -> None:
        # The page keeps the catalogue it has; the next visit to the list fetches again.
        log.warning("kiosk: new catalogue not loaded: %s", error.message)

    def _field_name(self, procedure: Procedure) -> str:
        fields = self._catalogue.field_by_code() if self._catalogue else {}
        field = fields.get(procedure.field_code)
        return field.name if field else procedure.field_code

    def open_procedure(self, procedure: Procedure) -> None:
        self.procedure.show_procedure(procedure, self._field_name(procedure))
        self.show_page(self.PROCEDURE)

    # --- staff exit --------------------------------------------------------------------------

    def _ask_pin(self) -> None:
        if not self._exit_pin:
            log.info("exit gesture ignored: no exit PIN configured")
            return
        self.pin.reset()
        self.show_page(self.PIN)

    def _check_pin(self, text: str) -> None:
        if self._exit_pin and hmac.compare_digest(text.encode(), self._exit_pin.encode()):
            log.info("kiosk closed by staff")
            self.exit_requested.emit()
            return
        self.pin.show_error("Mã PIN không đúng.")
