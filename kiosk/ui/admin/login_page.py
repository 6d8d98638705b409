"""The admin screen's login: an admin staff member logs in on the admin device first.

While the office has no admin account at all, the same card offers to create the first one
(the hub allows that from an admin device only then; `kiosk staff add --role admin` on the hub
PC always works). `SessionGuard` wraps the hub client of the pages: a 401 on any call (the
session expired, was ended, or a restore removed it) is noted, and the window goes back to this
page with the reason, leaving every page as it was, with what was typed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.domain.errors import KioskError
from kiosk.hub.client import HubError
from kiosk.ui.counter.reception import action_button, panel, small_label

#: Calls that log in: their 401 is a wrong password, not an ended session.
_LOGIN_CALLS = frozenset(
    {"login", "create_first_admin", "first_admin_needed", "logout", "session_info"}
)


class SessionGuard:
    """The pages' view of the hub client: the same methods, and `ended` is set (from the
    worker thread) with the hub's message when a call is refused for want of a session."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._lock = threading.Lock()
        self._ended: str | None = None

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if not callable(attribute) or name in _LOGIN_CALLS:
            return attribute

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return attribute(*args, **kwargs)
            except HubError as error:
                if error.status == 401:
                    with self._lock:
                        self._ended = error.message
                raise

        return guarded

    def take_ended(self) -> str | None:
        """The reason the session ended, once (None while it holds)."""
        with self._lock:
            reason, self._ended = self._ended, None
        return reason


class AdminLoginPage(QWidget):
    """Username + password/PIN on a calm card; or the first admin account's form."""

    submitted = Signal(str, str)  # username, secret
    first_admin = Signal(str, str, str)  # username, full name, secret

    def __init__(self, office_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.creating = False
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        card = panel()
        card.setFixedWidth(480)
        box = QVBoxLayout(card)
        box.setContentsMargins(28, 24, 28, 24)
        box.setSpacing(8)
        self.title = small_label("Đăng nhập quản trị", "title")
        box.addWidget(self.title)
        box.addWidget(small_label(office_name or "Bộ phận Một cửa", "counter"))
        self.intro = small_label("", "hint")
        self.intro.setVisible(False)
        box.addWidget(self.intro)
        box.addSpacing(6)
        box.addWidget(small_label("Tên đăng nhập", "body"))
        self.username = QLineEdit()
        box.addWidget(self.username)
        self.full_name_label = small_label("Họ và tên", "body")
        self.full_name = QLineEdit()
        box.addWidget(self.full_name_label)
        box.addWidget(self.full_name)
        box.addWidget(small_label("Mật khẩu hoặc mã PIN", "body"))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        box.addWidget(self.secret)
        self.again_label = small_label("Nhập lại mật khẩu hoặc mã PIN", "body")
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        box.addWidget(self.again_label)
        box.addWidget(self.again)
        self.problem = small_label("", "hint-bad")
        box.addWidget(self.problem)
        self.notice = small_label("", "hint")
        box.addWidget(self.notice)
        self.button = action_button("Đăng nhập  [Enter]", self._submit)
        box.addWidget(self.button)
        self.footer = small_label(
            "Chỉ tài khoản có vai trò Quản trị. Sai 5 lần sẽ khóa 5 phút.", "hint"
        )
        box.addWidget(self.footer)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.username.returnPressed.connect(self._next_field)
        self.full_name.returnPressed.connect(self.secret.setFocus)
        self.secret.returnPressed.connect(self._after_secret)
        self.again.returnPressed.connect(self._submit)
        self.set_creating(False)

    def set_creating(self, creating: bool) -> None:
        """Switch between logging in and creating the office's first admin account."""
        self.creating = creating
        for widget in (self.full_name_label, self.full_name, self.again_label, self.again):
            widget.setVisible(creating)
        self.intro.setVisible(creating)
        if creating:
            self.title.setText("Tạo tài khoản quản trị đầu tiên")
            self.intro.setText(
                "Văn phòng chưa có tài khoản quản trị nào. Tạo tài khoản cho người quản trị; "
                "sau đó mọi việc quản trị đều cần đăng nhập."
            )
            self.button.setText("Tạo tài khoản và đăng nhập")
            self.footer.setText("Mật khẩu ít nhất 8 ký tự, hoặc mã PIN ít nhất 4 chữ số.")
        else:
            self.title.setText("Đăng nhập quản trị")
            self.button.setText("Đăng nhập  [Enter]")
            self.footer.setText("Chỉ tài khoản có vai trò Quản trị. Sai 5 lần sẽ khóa 5 phút.")

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.button.setEnabled(True)

    def show_notice(self, text: str) -> None:
        """Why the login is asked (session ended, logged out, restored)."""
        self.notice.setText(text)

    def reset(self) -> None:
        """Ready for the next person: the secrets are cleared, never kept on screen."""
        self.secret.clear()
        self.again.clear()
        self.button.setEnabled(True)
        (self.username if not self.username.text() else self.secret).setFocus(
            Qt.FocusReason.OtherFocusReason
        )

    def _next_field(self) -> None:
        (self.full_name if self.creating else self.secret).setFocus()

    def _after_secret(self) -> None:
        if self.creating:
            self.again.setFocus()
        else:
            self._submit()

    def _submit(self) -> None:
        username, secret = self.username.text().strip(), self.secret.text()
        if not username or not secret:
            self.problem.setText("Nhập tên đăng nhập và mật khẩu (hoặc mã PIN).")
            return
        if self.creating:
            full_name = self.full_name.text().strip()
            if not full_name:
                self.problem.setText("Nhập họ và tên người quản trị.")
                return
            if secret.isdigit() and len(secret) < 4:
                self.problem.setText("Mã PIN phải có ít nhất 4 chữ số.")
                return
            if not secret.isdigit() and len(secret) < 8:
                self.problem.setText("Mật khẩu phải có ít nhất 8 ký tự (hoặc mã PIN 4 chữ số).")
                return
            if secret != self.again.text():
                self.problem.setText("Hai lần nhập mật khẩu (mã PIN) không giống nhau.")
                return
        self.problem.clear()
        self.button.setEnabled(False)
        if self.creating:
            self.first_admin.emit(username, self.full_name.text().strip(), secret)
        else:
            self.submitted.emit(username, secret)


def call_quietly(fn: Callable[[], Any]) -> Callable[[], Any]:
    """`fn` for a background call whose refusal does not matter (logging out)."""

    def run() -> Any:
        try:
            return fn()
        except KioskError:
            return None

    return run
