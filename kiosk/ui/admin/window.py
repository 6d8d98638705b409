"""The admin screen (`kiosk run admin`): the login page, then one tab per page — devices and
tokens (devices_page.py), staff (staff_page.py), calendar overrides (calendar_page.py),
catalogue import (catalogue_page.py), backup and print test (maintenance_page.py), the office
settings (office_page.py) and the printers per device (printers_page.py); common.py is the page
frame they share.

It talks to the hub with the admin device's token and, after the login page, an admin staff
member's session (a 401 at any time brings the login back, the tabs as they were; see
login_page.py); every hub call runs on the window's `Tasks` thread. Changes go to the hub,
which every screen reads, so they take effect without restarting anything (the due dates read
the override table on each computation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
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
from kiosk.domain.errors import KioskError
from kiosk.ui.admin.calendar_page import CalendarPage
from kiosk.ui.admin.catalogue_page import CataloguePage
from kiosk.ui.admin.common import Page
from kiosk.ui.admin.devices_page import DevicesPage
from kiosk.ui.admin.login_page import AdminLoginPage, SessionGuard, call_quietly
from kiosk.ui.admin.maintenance_page import MaintenancePage, local_print_kinds, local_print_test
from kiosk.ui.admin.office_page import OfficePage
from kiosk.ui.admin.printers_page import PrintersPage
from kiosk.ui.admin.staff_page import StaffPage
from kiosk.ui.admin.voice_page import VoicePage
from kiosk.ui.counter.reception import action_button, small_label
from kiosk.ui.counter.style import STYLE
from kiosk.ui.tasks import Tasks

TABS = (
    "Thiết bị",
    "Cán bộ",
    "Lịch làm việc",
    "Danh mục thủ tục",
    "Sao lưu và in thử",
    "Văn phòng",
    "Máy in",
    "Giọng đọc",
)


class AdminWindow(QWidget):
    """The admin screen: the login first, then the tabs. `message_shown`, `logged_in` and
    `tasks.idle` let tests wait."""

    message_shown = Signal(str, str)
    logged_in = Signal()

    def __init__(
        self,
        client: Any,
        *,
        office_name: str = "",
        year: int | None = None,
        print_test: Callable[[str, str], Any] = local_print_test,
        print_kinds: list[str] | None = None,
        voice_check: Callable[[], str] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("console")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle("Quản trị — Một Cửa")
        self.client = client
        self.tasks = Tasks("admin", self)
        # The pages see the client through the guard: a 401 anywhere brings the login back.
        self.guard = SessionGuard(client)
        self.login_page = AdminLoginPage(office_name)
        self.login_page.submitted.connect(self.login)
        self.login_page.first_admin.connect(self.create_first_admin)
        bar = self._build_bar(office_name)
        tabs = self._build_tab_buttons()
        self._voice_check = voice_check
        self._build_pages(self.guard, year or system_clock().year, print_test, print_kinds)
        self.message = small_label("", "message-ok")
        self.message.setVisible(False)
        self.maintenance.backups.restored.connect(self._restored)
        self.main = self._build_main(bar, tabs)
        self.screens = QStackedWidget()
        self.screens.addWidget(self.login_page)
        self.screens.addWidget(self.main)
        outer = QVBoxLayout(self)
        # The window's size is the screen's: a minimum pushed from the layout would change with
        # every message and make some platforms warn at each change (as in the counter console).
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.screens, 1)
        # Set last, as in the counter console: re-polishes every child with the compact sizes.
        self.setStyleSheet(STYLE)
        for child_layout in self.findChildren(QLayout):
            child_layout.invalidate()
        self.tasks.idle.connect(self._check_session)
        self.screens.setCurrentWidget(self.login_page)
        if getattr(self.client, "staff_session", ""):
            # Handed a logged-in client (the demo, tests): carry on as that staff member.
            self.tasks.run(self.client.session_info, self._logged_in, lambda _: self.show_login())
        else:
            self.show_login()

    # --- building the window ----------------------------------------------------------------

    def _build_bar(self, office_name: str) -> QFrame:
        """The top bar: the office on the left, who is logged in and the logout on the right."""
        bar = QFrame()
        bar.setObjectName("bar")
        bar_box = QHBoxLayout(bar)
        bar_box.setContentsMargins(16, 6, 16, 6)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(small_label(office_name or "Bộ phận Một cửa", "office", wrap=False))
        names.addWidget(small_label("Quản trị hệ thống", "hint", wrap=False))
        bar_box.addLayout(names)
        bar_box.addStretch(1)
        who = QVBoxLayout()
        who.setSpacing(0)
        who.addWidget(
            small_label("QUẢN TRỊ", "counter", wrap=False), 0, Qt.AlignmentFlag.AlignRight
        )
        self.staff_name = small_label("", "staff", wrap=False)
        who.addWidget(self.staff_name, 0, Qt.AlignmentFlag.AlignRight)
        bar_box.addLayout(who)
        self.logout_button = action_button("Đăng xuất", self.logout, "secondary")
        bar_box.addWidget(self.logout_button)
        return bar

    def _build_tab_buttons(self) -> QHBoxLayout:
        tabs = QHBoxLayout()
        tabs.setContentsMargins(12, 4, 12, 0)
        tabs.setSpacing(0)
        self.tab_buttons: list[QPushButton] = []
        for index, text in enumerate(TABS):
            button = action_button(text, lambda i=index: self.show_tab(i), "tab")
            button.setCheckable(True)
            tabs.addWidget(button)
            self.tab_buttons.append(button)
        tabs.addStretch(1)
        return tabs

    def _build_pages(
        self,
        client: Any,
        year: int,
        print_test: Callable[[str, str], Any],
        print_kinds: list[str] | None,
    ) -> None:
        """One page per tab, in the order of `TABS`, in `self.pages`."""
        self.devices = DevicesPage(client, self.tasks)
        self.staff = StaffPage(client, self.tasks)
        self.calendar = CalendarPage(client, self.tasks, year)
        self.catalogue = CataloguePage(client, self.tasks)
        self.maintenance = MaintenancePage(client, self.tasks, print_test)
        self.maintenance.set_kinds(print_kinds if print_kinds is not None else local_print_kinds())
        self.office = OfficePage(client, self.tasks)
        self.printers = PrintersPage(client, self.tasks)
        self.voice = VoicePage(client, self.tasks, system_check=self._voice_check or _system_note)
        self.page_list: list[Page] = [
            self.devices,
            self.staff,
            self.calendar,
            self.catalogue,
            self.maintenance,
            self.office,
            self.printers,
            self.voice,
        ]
        self.pages = QStackedWidget()
        for page in self.page_list:
            page.message.connect(self.show_message)
            self.pages.addWidget(page)

    def _build_main(self, bar: QFrame, tabs: QHBoxLayout) -> QWidget:
        """The screen after login: the bar, the tab buttons, the current page, the message."""
        main = QWidget()
        inner = QVBoxLayout(main)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(0)
        inner.addWidget(bar)
        inner.addLayout(tabs)
        body = QVBoxLayout()
        body.setContentsMargins(12, 6, 12, 10)
        body.setSpacing(6)
        body.addWidget(self.pages, 1)
        body.addWidget(self.message)
        inner.addLayout(body, 1)
        return main

    # --- login --------------------------------------------------------------------------------

    @property
    def is_logged_in(self) -> bool:
        return self.screens.currentWidget() is self.main

    def show_login(self, notice: str = "") -> None:
        """The login page, saying why (session ended, logged out…); the tabs keep their state."""
        self.screens.setCurrentWidget(self.login_page)
        self.login_page.show_notice(notice)
        self.login_page.reset()
        self.tasks.run(
            self.client.first_admin_needed,
            self.login_page.set_creating,
            lambda error: self.login_page.show_problem(error.message),
        )

    def login(self, username: str, secret: str) -> None:
        self.tasks.run(
            lambda: self.client.login(username, secret), self._logged_in, self._login_refused
        )

    def create_first_admin(self, username: str, full_name: str, secret: str) -> None:
        self.tasks.run(
            lambda: self.client.create_first_admin(username, full_name, secret),
            self._logged_in,
            self._login_refused,
        )

    def _login_refused(self, error: KioskError) -> None:
        self.login_page.show_problem(error.message)
        self.login_page.secret.clear()
        self.login_page.again.clear()

    def _logged_in(self, answer: dict[str, Any]) -> None:
        staff = answer["staff"]
        if staff.get("role") != "admin":
            # The hub refuses such a session anyway: end it now and say why.
            def ended(_: object) -> None:
                self.client.staff_session = ""

            self.tasks.run(call_quietly(self.client.logout), ended)
            self.login_page.show_problem(
                f"Tài khoản '{staff['username']}' không có quyền quản trị. Hãy đăng nhập bằng "
                "tài khoản quản trị."
            )
            self.login_page.secret.clear()
            return
        self.guard.take_ended()
        self.staff_name.setText(f"{staff['full_name']} ({staff['username']})")
        self.login_page.show_notice("")
        self.login_page.problem.clear()
        self.login_page.secret.clear()
        self.login_page.again.clear()
        self.screens.setCurrentWidget(self.main)
        self.show_tab(self.pages.currentIndex())  # where the admin was, as it was
        self.logged_in.emit()

    def logout(self) -> None:
        def done(_: object) -> None:
            self.client.staff_session = ""
            self.show_login("Đã đăng xuất.")

        self.tasks.run(call_quietly(self.client.logout), done)

    def _check_session(self) -> None:
        """After each hub call: a call refused for want of a session brings the login back."""
        reason = self.guard.take_ended()
        if reason and self.is_logged_in:
            self.client.staff_session = ""
            self.show_login(reason + " Những gì đang nhập vẫn được giữ.")

    def _restored(self, answer: object) -> None:
        assert isinstance(answer, dict)
        if not answer.get("session_valid", True):
            self.show_login(
                "Đã khôi phục bản sao lưu. Bản sao lưu có từ trước lần đăng nhập này, nên cần "
                "đăng nhập lại."
            )

    def show_tab(self, index: int) -> None:
        for i, button in enumerate(self.tab_buttons):
            button.setChecked(i == index)
        self.pages.setCurrentIndex(index)
        self.message.setVisible(False)  # a message belongs to the tab it came from
        self.page_list[index].refresh()

    def show_message(self, text: str, kind: str = "ok") -> None:
        self.message.setProperty("role", f"message-{kind}")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message_shown.emit(text, kind)

    def shutdown(self) -> None:
        self.voice.shutdown()
        self.tasks.stop()

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)


def _system_note() -> str:
    from kiosk.ui.office_voice import system_voice_note

    return system_voice_note()
