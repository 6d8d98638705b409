"""The counter console window: who is at which counter, the queue, reception and work lists.

Every hub call runs on the window's `Tasks` thread; results come back on the UI thread. What the
clerk types is kept in a draft file after every change, and a failed save keeps the form (and its
request id, so pressing save again never makes a second dossier). Every print is a job kept on
this PC: a failed one shows as "Bản in lỗi (N)" in the top bar until it is printed again or
dropped (Ctrl+P opens the list).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import system_clock
from kiosk.domain import formats
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.errors import KioskError
from kiosk.hub.client import HubError, HubUnavailable
from kiosk.queue import CATALOGUE_CHANGED
from kiosk.ui.counter.dossier_actions import DossierActions
from kiosk.ui.counter.draft import DraftFile
from kiosk.ui.counter.login_page import LoginPage
from kiosk.ui.counter.prints_page import FailedPrintsPage
from kiosk.ui.counter.queue_actions import QueueActions
from kiosk.ui.counter.queue_panel import QueuePanel
from kiosk.ui.counter.reception import ReceptionForm, action_button, small_label
from kiosk.ui.counter.services import CounterServices, PrintResult
from kiosk.ui.counter.style import STYLE
from kiosk.ui.counter.top_bar import TopBar
from kiosk.ui.counter.worklists import WorkPage
from kiosk.ui.events import EventStream
from kiosk.ui.tasks import Tasks
from kiosk.ui.widgets import set_role

log = logging.getLogger(__name__)

REFRESH_DELAY_MS = 150
OFFLINE_TEXT = (
    "MẤT KẾT NỐI MÁY CHỦ VĂN PHÒNG — đang thử lại. Nội dung đang nhập vẫn được giữ; "
    "gọi số và lưu hồ sơ chưa làm được."
)
#: The hub closed the stream with 4401: the token was revoked or is wrong.
UNAUTHORIZED_TEXT = (
    "MÁY QUẦY CHƯA ĐƯỢC CẤP QUYỀN — mã truy cập của máy này sai hoặc đã bị thu hồi. Nội dung "
    "đang nhập vẫn được giữ; xin báo cán bộ quản trị cấp lại mã."
)
PRINTS_TAB = 2  # the failed prints, opened from the top bar (no tab button of its own)


class CounterWindow(QueueActions, DossierActions, QWidget):
    """The console of one counter. `busy_changed` and `tasks.idle` let tests wait.

    The window builds the screen and keeps the session, the connection and the catalogue; its
    queue steps are in `queue_actions.py`, its dossier steps in `dossier_actions.py`, its top
    bar in `top_bar.py`."""

    message_shown = Signal(str, str)  # text, kind (ok | warn | error)
    logged_in = Signal()

    def __init__(
        self,
        services: CounterServices,
        *,
        counter_name: str = "",
        office_name: str = "",
        stream: EventStream | None = None,
        draft: DraftFile | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("console")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.services = services
        self.counter = services.counter
        self.stream = stream
        self.draft = draft
        self._now = now or system_clock
        self.tasks = Tasks(f"counter-{self.counter}", self)
        self.staff: dict[str, Any] | None = None
        self.online = True
        #: What happened to the ticket at the counter: ("received", code) etc., for "finish".
        self.ticket_outcome: tuple[str, str | None] | None = None
        self.last_dossier: dict[str, Any] | None = None
        self.last_print: PrintResult | None = None
        title = counter_name or f"Quầy {self.counter}"
        self.setWindowTitle(f"{title} — Một Cửa")

        bar = self._build_top_bar(office_name, counter_name)
        self.offline_band = small_label(OFFLINE_TEXT, "offline")
        self.offline_band.setVisible(False)
        self.pages = QStackedWidget()
        self.login_page = LoginPage(title)
        self.login_page.submitted.connect(self.login)
        self.pages.addWidget(self.login_page)
        self.pages.addWidget(self._build_work_page())
        self.message = small_label("", "message-ok")
        self.message.setVisible(False)
        self._lay_out(bar)
        self._bind_keys()
        self._start_timers()
        if stream is not None:
            self._follow_stream(stream)
        # Set last: children were created parentless (under the kiosk's large application
        # style); setting it now re-polishes every one of them with the console's sizes.
        self.setStyleSheet(STYLE)
        for child_layout in self.findChildren(QLayout):
            child_layout.invalidate()  # sizes measured under the application style
        self._last_tab = 0
        self.failed_prints = 0
        self.show_tab(0)
        self.pages.setCurrentIndex(0)
        self.login_page.username.setFocus()
        # Prints that failed before a restart are still owed: say so from the start.
        self.tasks.run(self.services.failed_count, self.set_failed_prints, self.failed)

    # --- building the window ----------------------------------------------------------------

    def _build_top_bar(self, office_name: str, counter_name: str) -> TopBar:
        bar = TopBar(
            self.counter,
            office_name,
            counter_name,
            show_prints=self.show_prints,
            logout=self.logout,
        )
        self.bar = bar
        self.office_label = bar.office_label
        self.counter_label = bar.counter_label
        self.staff_label = bar.staff_label
        self.prints_button = bar.prints_button
        self.link_label = bar.link_label
        self.clock = bar.clock
        self.logout_button = bar.logout_button
        return bar

    def _build_work_page(self) -> QWidget:
        """The page after login: the queue panel on the left, the tabs on the right."""
        work = QWidget()
        work_box = QHBoxLayout(work)
        work_box.setContentsMargins(12, 10, 12, 6)
        work_box.setSpacing(10)
        self.queue = QueuePanel(self.counter)
        self.queue.setFixedWidth(290)
        self.queue.requested.connect(self.request)
        self.queue.held_chosen.connect(self.held_actions)
        work_box.addWidget(self.queue)
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addLayout(self._build_tab_buttons())
        self.tabs = QStackedWidget()
        self._build_tabs()
        right.addWidget(self.tabs, 1)
        work_box.addLayout(right, 1)
        return work

    def _build_tab_buttons(self) -> QHBoxLayout:
        tabs = QHBoxLayout()
        tabs.setSpacing(0)
        self.tab_buttons: list[QPushButton] = []
        for index, text in enumerate(("Tiếp nhận hồ sơ  [F9]", "Công việc và tra cứu  [F10]")):
            button = action_button(text, lambda i=index: self.show_tab(i), "tab")
            button.setCheckable(True)
            tabs.addWidget(button)
            self.tab_buttons.append(button)
        tabs.addStretch(1)
        return tabs

    def _build_tabs(self) -> None:
        """The reception form, the work lists and the failed prints, in tab order."""
        self.form = ReceptionForm()
        self.form.changed.connect(self._save_draft)
        self.form.procedure_chosen.connect(self._preview_due)
        self.form.action.connect(self.form_action)
        self.tabs.addWidget(self.form)
        self.work = WorkPage(self.services, self.tasks, self._now)
        self.work.message.connect(self.show_message)
        self.work.failed.connect(self.failed)
        self.tabs.addWidget(self.work)
        self.work.printed.connect(lambda printed: self.set_failed_prints(printed.failed))
        self.prints_page = FailedPrintsPage(self.services, self.tasks)
        self.prints_page.message.connect(self.show_message)
        self.prints_page.count_changed.connect(self.set_failed_prints)
        self.prints_page.back.connect(lambda: self.show_tab(self._last_tab))
        self.tabs.addWidget(self.prints_page)

    def _lay_out(self, bar: TopBar) -> None:
        """Top bar, offline band, pages, message line, from top to bottom."""
        layout = QVBoxLayout(self)
        # The window's size is the screen's (or the test's): a minimum pushed from the layout
        # changes with every message and makes some platforms warn at each change.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self.offline_band)
        layout.addWidget(self.pages, 1)
        message_row = QHBoxLayout()
        message_row.setContentsMargins(12, 0, 12, 8)
        message_row.addWidget(self.message)
        layout.addLayout(message_row)

    def _bind_keys(self) -> None:
        """F2–F8 the queue steps, F9/F10 the tabs, Ctrl+S/B/R the forms, Ctrl+P the prints."""
        self.shortcuts: list[QShortcut] = []
        for key, action in (
            ("F2", "call_next"),
            ("F3", "recall"),
            ("F4", "no_show"),
            ("F5", "hold"),
            ("F6", "transfer"),
            ("F7", "held"),
            ("F8", "finish"),
        ):
            self._key(key, lambda a=action: self.request(a))
        self._key("F9", lambda: self.show_tab(0))
        self._key("F10", lambda: self.show_tab(1))
        self._key("Ctrl+S", lambda: self.form_action("receive"))
        self._key("Ctrl+B", lambda: self.form_action("supplement"))
        self._key("Ctrl+R", lambda: self.form_action("refuse"))
        self._key("Ctrl+P", self.show_prints)

    def _start_timers(self) -> None:
        """The queue refresh after an event (coalesced) and the clock in the top bar."""
        self._stopped = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh_queue)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._tick)
        self._clock_timer.start()
        self._tick()

    def _follow_stream(self, stream: EventStream) -> None:
        stream.snapshot.connect(self.queue.apply_snapshot)
        stream.event.connect(lambda _e: self._refresh_timer.start())
        stream.event.connect(self._follow_catalogue)
        stream.snapshot.connect(self._stream_started_over)
        stream.online.connect(self.set_online)
        stream.unauthorized.connect(self.set_unauthorized)

    def _key(self, sequence: str, slot: Callable[[], None]) -> None:
        shortcut = QShortcut(QKeySequence(sequence), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(slot)
        self.shortcuts.append(shortcut)

    def _tick(self) -> None:
        now = self._now()
        self.clock.setText(f"{now:%H:%M}  {formats.day_and_date(now)}")

    # --- messages and connection ----------------------------------------------------------

    def show_message(self, text: str, kind: str = "ok") -> None:
        self.message.setText(text)
        set_role(self.message, f"message-{'error' if kind == 'error' else kind}")
        self.message.setVisible(bool(text))
        self.message_shown.emit(text, kind)

    def failed(self, error: KioskError) -> None:
        if isinstance(error, HubUnavailable):
            self.set_online(False)
        if isinstance(error, HubError) and error.status == 401 and self.staff is not None:
            self.session_ended(error.message)
            return
        self.show_message(error.message, "error")

    def session_ended(self, reason: str) -> None:
        """The hub no longer knows this login (the admin reset the PIN or ended the account,
        another login on this PC, a restore): back to the login page, everything typed kept."""
        self._save_draft()
        self._logged_out()
        self.show_message(
            f"Phiên làm việc đã kết thúc: {reason} Hãy đăng nhập lại; mẫu đang nhập dở vẫn "
            "được giữ.",
            "warn",
        )
        log.info("counter %s: staff session ended: %s", self.counter, reason)

    def _logged_out(self) -> None:
        self.staff = None
        self.services.staff_name = ""
        self.staff_label.setText("Chưa đăng nhập")
        set_role(self.staff_label, "hint")
        self.logout_button.setVisible(False)
        self.pages.setCurrentIndex(0)
        page = self.login_page
        # The last username stays filled in: the same clerk usually logs in again.
        (page.secret if page.username.text() else page.username).setFocus()

    def set_office(self, office_name: str, counter_name: str) -> None:
        """The admin changed the office's settings: new office and counter names, in place."""
        self.bar.set_names(office_name, counter_name)
        title = counter_name or f"Quầy {self.counter}"
        self.setWindowTitle(f"{title} — Một Cửa")

    def set_online(self, online: bool) -> None:
        self.online = online
        if online:
            self.offline_band.setText(OFFLINE_TEXT)
        self.offline_band.setVisible(not online)
        self.link_label.setText("● Đã kết nối" if online else "● Mất kết nối")
        set_role(self.link_label, "hint-ok" if online else "hint-bad")
        if online and self.staff is not None:
            self._refresh_timer.start()

    def set_unauthorized(self) -> None:
        """The hub refused this PC's token (revoked or wrong): no retry will fix that by itself."""
        self.set_online(False)
        self.offline_band.setText(UNAUTHORIZED_TEXT)

    def _ok(self, then: Callable[[Any], None]) -> Callable[[Any], None]:
        """A result callback that also says the hub answered (clears the offline band)."""

        def done(result: Any) -> None:
            if not self.online and (self.stream is None or self.stream.is_online):
                self.set_online(True)
            then(result)

        return done

    # --- session --------------------------------------------------------------------------

    def login(self, username: str, secret: str) -> None:
        def done(answer: dict[str, Any]) -> None:
            self.login_page.button.setEnabled(True)
            self.login_page.secret.clear()
            self.staff = dict(answer["staff"])
            self.services.staff_name = str(self.staff["full_name"])
            self.staff_label.setText(f"Cán bộ: {self.staff['full_name']}")
            set_role(self.staff_label, "staff")
            self.logout_button.setVisible(True)
            self.pages.setCurrentIndex(1)
            self.show_message(f"Xin chào {self.staff['full_name']}. Bấm F2 để gọi số.", "ok")
            self._after_login()
            self.logged_in.emit()

        def refused(error: KioskError) -> None:
            self.login_page.button.setEnabled(True)
            self.login_page.problem.setText(error.message)
            if isinstance(error, HubUnavailable):
                self.set_online(False)

        self.tasks.run(lambda: self.services.login(username, secret), self._ok(done), refused)

    def _after_login(self) -> None:
        self.tasks.run(self.services.catalogue, self._catalogue_loaded, self.failed)
        self.refresh_queue()
        if self.stream is not None and self.stream.is_online is False:
            self.stream.start()

    def _catalogue_loaded(self, catalogue: Any) -> None:
        self.form.set_catalogue(catalogue)
        if self.draft is not None and self.form.is_empty():
            saved = self.draft.load()
            if saved:
                self.form.restore(saved)
                self.show_message("Đã khôi phục mẫu tiếp nhận đang nhập dở.", "warn")
        self.form.search.setFocus()

    def _follow_catalogue(self, event: dict[str, Any]) -> None:
        if event.get("kind") == CATALOGUE_CHANGED:
            self.reload_catalogue()

    def reload_catalogue(self) -> None:
        """The admin or the district replaced the catalogue: fetch it again, so the procedure
        search finds the new one. A reception form in progress keeps its chosen procedure and
        everything typed (the checklist stays as the clerk left it)."""

        def failed(error: KioskError) -> None:
            log.warning("counter: new catalogue not loaded: %s", error.message)
            if self.staff is not None:
                self.show_message(
                    f"Danh mục thủ tục vừa thay đổi nhưng chưa tải được bản mới: {error.message}",
                    "warn",
                )

        self.tasks.run(
            lambda: self.services.catalogue(refresh=True), self._catalogue_reloaded, failed
        )

    def _stream_started_over(self, _snapshot: object) -> None:
        # A snapshot instead of a replay (a restore, a hub restarted on other data): a
        # `catalogue.changed` may have been missed; fetch again, quietly.
        if self.form.catalogue is None:
            return  # not loaded yet: the login fetches it

        def failed(error: KioskError) -> None:
            log.warning("counter: catalogue not reloaded: %s", error.message)

        self.tasks.run(
            lambda: self.services.catalogue(refresh=True), self.form.set_catalogue, failed
        )

    def _catalogue_reloaded(self, catalogue: Catalogue) -> None:
        self.form.set_catalogue(catalogue)
        if self.staff is None:
            return  # nothing to say on the login page; the list is ready for the next login
        text = f"Danh mục thủ tục vừa được cập nhật ({len(catalogue.procedures)} thủ tục)."
        chosen = self.form.procedure
        if chosen is not None and catalogue.procedure(chosen.code) is None:
            # The hub would refuse the dossier: say so before the clerk presses "receive".
            self.show_message(
                f"{text} Thủ tục đang chọn ({chosen.code}) không còn trong danh mục mới, "
                "hãy chọn lại thủ tục.",
                "warn",
            )
        else:
            self.show_message(text, "ok")

    def logout(self) -> None:
        def done(_result: Any) -> None:
            self._logged_out()
            self.show_message("Đã đăng xuất. Mẫu đang nhập dở vẫn được giữ.", "ok")

        self.tasks.run(self.services.logout, done, self.failed)

    # --- reception ---------------------------------------------------------------------------

    def show_tab(self, index: int) -> None:
        if index != PRINTS_TAB:
            self._last_tab = index
        self.tabs.setCurrentIndex(index)
        for i, button in enumerate(self.tab_buttons):
            button.setChecked(i == index)
        if index == 1 and self.staff is not None:
            self.work.refresh()
        elif index == 0:
            self.form.search.setFocus()

    # --- failed prints ------------------------------------------------------------------------

    def set_failed_prints(self, count: int) -> None:
        """The top bar's "Bản in lỗi (N)": shown while any print is owed."""
        self.failed_prints = int(count)
        self.prints_button.setText(f"⚠ Bản in lỗi ({self.failed_prints})  [Ctrl+P]")
        self.prints_button.setVisible(self.failed_prints > 0)

    def show_prints(self) -> None:
        if self.staff is None or self.pages.currentIndex() != 1:
            self.show_message("Đăng nhập để xem và in lại các bản in lỗi.", "warn")
            return
        self.show_tab(PRINTS_TAB)
        self.prints_page.refresh()
        self.prints_page.focus_list()

    # --- teardown -------------------------------------------------------------------------

    def shutdown(self) -> None:
        self._stopped = True  # a timer or a late stream message must not start new work
        self._clock_timer.stop()
        self._refresh_timer.stop()
        if self.stream is not None:
            self.stream.stop()
        self.tasks.stop()
        self.services.close()  # the print-job file; after the worker that uses it has stopped

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_draft()
        self.shutdown()
        super().closeEvent(event)
