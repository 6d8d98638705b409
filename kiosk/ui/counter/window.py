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
    QFrame,
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
from kiosk.ui.counter.draft import DraftFile
from kiosk.ui.counter.login_page import LoginPage
from kiosk.ui.counter.prints_page import FailedPrintsPage
from kiosk.ui.counter.queue_panel import OUTCOMES, QueuePanel, held_since, held_text
from kiosk.ui.counter.reception import ReceptionForm, action_button, due_text, small_label
from kiosk.ui.counter.services import CounterServices, PrintResult
from kiosk.ui.counter.style import STYLE
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


class CounterWindow(QWidget):
    """The console of one counter. `busy_changed` and `tasks.idle` let tests wait."""

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

        # --- top bar -------------------------------------------------------------------------
        bar = QFrame()
        bar.setObjectName("bar")
        bar_box = QHBoxLayout(bar)
        bar_box.setContentsMargins(16, 6, 16, 6)
        names = QVBoxLayout()
        names.setSpacing(0)
        self.office_label = small_label(office_name or "Bộ phận Một cửa", "office", wrap=False)
        names.addWidget(self.office_label)
        names.addWidget(small_label("Bộ phận Tiếp nhận và Trả kết quả", "hint", wrap=False))
        bar_box.addLayout(names)
        bar_box.addStretch(1)
        self.counter_label = small_label(f"QUẦY {self.counter}", "counter", wrap=False)
        if counter_name and counter_name != f"Quầy {self.counter}":
            self.counter_label.setText(f"QUẦY {self.counter} · {counter_name}")
        bar_box.addWidget(self.counter_label)
        bar_box.addSpacing(24)
        self.staff_label = small_label("Chưa đăng nhập", "hint", wrap=False)
        bar_box.addWidget(self.staff_label)
        bar_box.addSpacing(16)
        self.prints_button = action_button("Bản in lỗi", self.show_prints, "alert")
        self.prints_button.setToolTip("Bản in chưa tới máy in: in lại hoặc bỏ (Ctrl+P)")
        self.prints_button.setVisible(False)
        bar_box.addWidget(self.prints_button)
        bar_box.addSpacing(16)
        self.link_label = small_label("● Đã kết nối", "hint-ok", wrap=False)
        bar_box.addWidget(self.link_label)
        bar_box.addSpacing(16)
        self.clock = small_label("", "clock", wrap=False)
        bar_box.addWidget(self.clock)
        self.logout_button = action_button("Đăng xuất", self.logout, "secondary")
        self.logout_button.setVisible(False)
        bar_box.addWidget(self.logout_button)

        self.offline_band = small_label(OFFLINE_TEXT, "offline")
        self.offline_band.setVisible(False)

        # --- pages ---------------------------------------------------------------------------
        self.pages = QStackedWidget()
        self.login_page = LoginPage(title)
        self.login_page.submitted.connect(self.login)
        self.pages.addWidget(self.login_page)

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
        tabs = QHBoxLayout()
        tabs.setSpacing(0)
        self.tab_buttons: list[QPushButton] = []
        for index, text in enumerate(("Tiếp nhận hồ sơ  [F9]", "Công việc và tra cứu  [F10]")):
            button = action_button(text, lambda i=index: self.show_tab(i), "tab")
            button.setCheckable(True)
            tabs.addWidget(button)
            self.tab_buttons.append(button)
        tabs.addStretch(1)
        right.addLayout(tabs)
        self.tabs = QStackedWidget()
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
        right.addWidget(self.tabs, 1)
        work_box.addLayout(right, 1)
        self.pages.addWidget(work)

        self.message = small_label("", "message-ok")
        self.message.setVisible(False)

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

        # --- keys ------------------------------------------------------------------------------
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
        if stream is not None:
            stream.snapshot.connect(self.queue.apply_snapshot)
            stream.event.connect(lambda _e: self._refresh_timer.start())
            stream.event.connect(self._follow_catalogue)
            stream.snapshot.connect(self._stream_started_over)
            stream.online.connect(self.set_online)
            stream.unauthorized.connect(self.set_unauthorized)
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
        self.office_label.setText(office_name or "Bộ phận Một cửa")
        title = counter_name or f"Quầy {self.counter}"
        self.setWindowTitle(f"{title} — Một Cửa")
        if counter_name and counter_name != f"Quầy {self.counter}":
            self.counter_label.setText(f"QUẦY {self.counter} · {counter_name}")
        else:
            self.counter_label.setText(f"QUẦY {self.counter}")

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

    # --- queue ------------------------------------------------------------------------------

    def refresh_queue(self) -> None:
        if self.staff is None or self._stopped:
            return
        self.tasks.run(self.services.queue, self._ok(self.queue.apply_snapshot), self.failed)
        self.tasks.run(self.services.held, self._ok(self.queue.apply_held), self.failed)

    def request(self, action: str) -> None:
        """A queue action from a button or its key."""
        if self.staff is None or self.pages.currentIndex() != 1:
            return
        panel = self.queue
        if panel.asking():
            return
        current = panel.current
        if action == "held":
            self.pick_held()
            return
        if action == "call_next":
            if current is not None:
                self.show_message(
                    f"Số {current['display_number']} vẫn đang ở quầy: kết thúc (F8) trước khi "
                    "gọi số mới.",
                    "warn",
                )
                return
            self.ticket_outcome = None
            self._queue_call(self.services.call_next, "call")
            return
        if current is None:
            self.show_message("Chưa có số nào ở quầy. Bấm F2 để gọi số tiếp theo.", "warn")
            return
        if action == "recall":
            self._queue_call(self.services.recall, "recall")
        elif action == "no_show":
            self._queue_call(self.services.no_show, "no_show")
        elif action == "hold":
            panel.ask(
                f"Tạm giữ số {current['display_number']} (công dân đi bổ sung, chờ kết quả…)",
                [(None, "Tạm giữ, gọi lại sau")],
                lambda _value, note, _flag: self.hold(note),
                note_hint="Ghi chú (không bắt buộc)",
            )
        elif action == "transfer":
            panel.ask(
                f"Chuyển số {current['display_number']} sang",
                self._transfer_targets(),
                self._transfer_chosen,
                detail="Nhóm: quầy nào của nhóm cũng gọi. Quầy: chỉ quầy đó gọi, trước hàng "
                "chờ. Chọn bằng phím số hoặc ↑/↓.",
                note_hint="Ghi chú cho nơi nhận (bắt buộc)",
                note_required=True,
                flag=f"Xong việc ở đó thì quay lại quầy {self.counter}",
                confirm="Chuyển",
            )
        elif action == "finish":
            chosen = self.ticket_outcome[0] if self.ticket_outcome else "guided"
            panel.ask(
                f"Kết thúc số {current['display_number']}: kết quả",
                list(OUTCOMES),
                lambda outcome, _note, _flag: self.finish(str(outcome)),
                chosen=chosen,
            )

    def _transfer_chosen(self, target: tuple[str, Any], note: str, come_back: bool) -> None:
        kind, where = target
        if kind == "group":
            self.transfer(to_prefix=str(where), note=note, come_back=come_back)
        else:
            self.transfer(to_counter=int(where), note=note, come_back=come_back)

    def _transfer_targets(self) -> list[tuple[Any, str]]:
        """Every group, then every other counter (the hub's snapshot has both)."""
        targets: list[tuple[Any, str]] = []
        for status in self.queue.groups:
            group = status["group"]
            targets.append(
                (("group", group["prefix"]), f"Nhóm {group['prefix']} — {group['name']}")
            )
        for counter in sorted(self.queue.counters, key=lambda c: int(c["number"])):
            number = int(counter["number"])
            if number == self.counter:
                continue
            text = f"Quầy {number}"
            name = str(counter.get("name") or "")
            if name and name != text:
                text += f" — {name}"
            if not counter.get("open", True):
                text += " (đang đóng)"
            targets.append((("counter", number), text))
        return targets

    # --- held tickets ----------------------------------------------------------------------

    def pick_held(self) -> None:
        """F7: choose one of this counter's held tickets, then what to do with it."""
        held = self.queue.held
        if not held:
            self.show_message("Không có số nào đang tạm giữ ở quầy này.", "ok")
            return
        self.queue.ask(
            f"Số đang tạm giữ ({len(held)}): chọn số",
            [(ticket, held_text(ticket)) for ticket in held],
            lambda ticket, _note, _flag: self.held_actions(ticket),
            confirm="Chọn",
        )

    def held_actions(self, ticket: dict[str, Any]) -> None:
        """What to do with a held ticket: back to this counter, back to the queue, or cancel."""
        if self.staff is None or self.pages.currentIndex() != 1:
            return
        if self.queue.asking():
            return  # another question is open (the held list is hidden while one is)
        number = ticket["display_number"]
        free = self.queue.current is None
        self.queue.ask(
            f"Số {number} đang tạm giữ",
            [
                ("call", "Gọi vào quầy ngay"),
                ("return", "Về hàng chờ, giữ chỗ cũ"),
                ("cancel", "Hủy số"),
            ],
            lambda what, _note, _flag: self._held_chosen(ticket, str(what)),
            chosen="call" if free else "return",
            detail=" · ".join(
                p for p in (held_since(ticket).capitalize(), str(ticket.get("note") or "")) if p
            )
            + "\nGọi vào quầy khi công dân đã quay lại; hủy khi công dân không quay lại.",
        )

    def _held_chosen(self, ticket: dict[str, Any], what: str) -> None:
        number = str(ticket["display_number"])
        ticket_id = int(ticket["id"])
        if what == "call":
            current = self.queue.current
            if current is not None:
                self.show_message(
                    f"Số {current['display_number']} vẫn đang ở quầy: kết thúc (F8) hoặc tạm "
                    f"giữ (F5) trước khi gọi lại số {number}.",
                    "warn",
                )
                return
            self.ticket_outcome = None
            self._queue_call(lambda: self.services.call_held(ticket_id), "call")
        elif what == "return":
            self._queue_call(
                lambda: self.services.return_from_hold(ticket_id), "return", number=number
            )
        elif what == "cancel":
            # Cancelling cannot be undone: ask once more, with the number in red.
            self.queue.ask(
                f"Hủy số {number}?",
                [("cancel", f"Có, hủy số {number}")],
                lambda _value, _note, _flag: self._queue_call(
                    lambda: self.services.cancel_ticket(ticket_id), "cancel", number=number
                ),
                detail="Số đã hủy không gọi lại được; công dân cần lấy số mới.",
                confirm=f"Hủy số {number}",
                danger=True,
            )

    def hold(self, note: str = "") -> None:
        self._queue_call(lambda: self.services.hold(note), "hold")

    def transfer(
        self,
        *,
        to_prefix: str | None = None,
        to_counter: int | None = None,
        note: str = "",
        come_back: bool = False,
    ) -> None:
        where = f"quầy {to_counter}" if to_counter is not None else f"nhóm {to_prefix}"
        if come_back:
            where += f", xong sẽ quay lại quầy {self.counter}"
        self._queue_call(
            lambda: self.services.transfer(to_prefix, to_counter, note, come_back),
            "transfer",
            where=where,
        )

    def finish(self, outcome: str) -> None:
        code = None
        if self.ticket_outcome is not None and self.ticket_outcome[0] == outcome:
            code = self.ticket_outcome[1]
        if outcome == "received" and code is None:
            self.show_message(
                "Chưa tiếp nhận hồ sơ nào cho số này: lưu mẫu tiếp nhận (Ctrl+S) trước, "
                "hoặc chọn kết quả khác.",
                "warn",
            )
            return
        self._queue_call(lambda: self.services.finish(outcome, code), "finish")

    def _queue_call(
        self, call: Callable[[], Any], action: str, *, number: str = "", where: str = ""
    ) -> None:
        """Run one queue step; `number` names a ticket that is not the one at the counter
        (a held one), `where` the target of a transfer."""
        self.queue.set_enabled(False)
        before = self.queue.current

        def done(ticket: Any) -> None:
            self.queue.set_enabled(True)
            if action in ("return", "cancel"):
                text = {
                    "return": f"Số {number} đã về hàng chờ, giữ chỗ cũ.",
                    "cancel": f"Đã hủy số {number}.",
                }[action]
                self.show_message(text, "ok")
                self.refresh_queue()
                return
            shown = before["display_number"] if before else ""
            if action == "call":
                if ticket is None:
                    self.show_message("Không còn ai chờ ở các nhóm của quầy này.", "ok")
                else:
                    self.show_message(f"Đã gọi số {ticket['display_number']}.", "ok")
                self.queue.show_ticket(ticket)
            else:
                texts = {
                    "recall": f"Đã gọi lại số {shown}.",
                    "no_show": f"Số {shown}: vắng mặt.",
                    "hold": f"Đã tạm giữ số {shown}. Gọi lại khi công dân quay lại: F7.",
                    "transfer": f"Đã chuyển số {shown} sang {where}.",
                    "finish": f"Đã kết thúc số {shown}.",
                }
                self.show_message(texts[action], "ok")
                if action == "recall":
                    self.queue.show_ticket(ticket)
                else:
                    self.queue.show_ticket(None)
                    self.ticket_outcome = None
            self.refresh_queue()

        def failed(error: KioskError) -> None:
            self.queue.set_enabled(True)
            self.failed(error)

        self.tasks.run(call, self._ok(done), failed)

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

    def _save_draft(self) -> None:
        if self.draft is None:
            return
        try:
            if self.form.is_empty():
                self.draft.clear()
            else:
                self.draft.save(self.form.state())
        except OSError as exc:
            self.show_message(f"Không lưu được bản nháp: {exc.strerror or exc}.", "warn")

    def _preview_due(self, code: str) -> None:
        if self.staff is None:
            return

        def done(answer: dict[str, Any]) -> None:
            if self.form.procedure is not None and self.form.procedure.code == code:
                self.form.set_due(due_text(answer["due_at"], answer["time_limit"]), True)

        def failed(error: KioskError) -> None:
            if self.form.procedure is not None and self.form.procedure.code == code:
                self.form.set_due(f"Ngày hẹn trả: {error.message}", False)

        self.tasks.run(lambda: self.services.due_preview(code), self._ok(done), failed)

    def _ticket_id(self) -> int | None:
        current = self.queue.current
        return None if current is None else int(current["id"])

    def form_action(self, kind: str) -> None:
        if self.staff is None or self.pages.currentIndex() != 1:
            return
        if kind == "clear":
            self.form.clear()
            self.show_message("Đã xóa mẫu tiếp nhận.", "ok")
            return
        if self.tabs.currentIndex() != 0:
            self.show_tab(0)
        services = self.services
        actions: dict[str, tuple[Callable[[int | None], dict[str, Any]], Callable[..., Any]]] = {
            "receive": (self.form.reception, services.receive),
            "supplement": (self.form.supplement, services.supplement),
            "refuse": (self.form.refusal, services.refuse),
        }
        make_body, send = actions[kind]
        try:
            body = make_body(self._ticket_id())
        except KioskError as error:
            self.show_message(error.message, "error")
            return
        self._set_form_busy(True)

        def done(answer: tuple[dict[str, Any], PrintResult]) -> None:
            record, printed = answer
            self._set_form_busy(False)
            self.last_print = printed
            if kind == "receive":
                self.last_dossier = record
                self.ticket_outcome = ("received", str(record["code"]))
                text = f"Đã tiếp nhận hồ sơ {record['code']}. "
                text += (
                    "Đã in phiếu tiếp nhận (mẫu 01, liên 1 và liên 2)."
                    if not printed.problem
                    else ""
                )
            elif kind == "supplement":
                self.ticket_outcome = ("supplement_requested", None)
                text = f"Đã lập phiếu yêu cầu bổ sung số {record['number']}. "
                text += "Đã in mẫu 02." if not printed.problem else ""
            else:
                self.ticket_outcome = ("refused", None)
                text = f"Đã lập phiếu từ chối số {record['number']}. "
                text += "Đã in mẫu 03." if not printed.problem else ""
            self.set_failed_prints(printed.failed)
            if printed.problem:
                text += (
                    f" CHƯA IN ĐƯỢC: {printed.problem} Bản in được giữ: «Bản in lỗi» ở trên "
                    "(Ctrl+P) để in lại."
                )
            self.form.clear()
            self._save_draft()
            self.show_message(
                text + ("" if self.queue.current is None else " Bấm F8 để kết thúc số."),
                "warn" if printed.problem else "ok",
            )

        def failed(error: KioskError) -> None:
            self._set_form_busy(False)
            self.failed(error)

        self.tasks.run(lambda: send(body), self._ok(done), failed)

    def _set_form_busy(self, busy: bool) -> None:
        for button in (
            self.form.receive_button,
            self.form.supplement_button,
            self.form.refuse_button,
        ):
            button.setEnabled(not busy)

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
