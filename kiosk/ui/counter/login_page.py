"""The counter console's login page: username and password or PIN, with the counter's name."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.ui.counter.reception import action_button, panel, small_label


class LoginPage(QWidget):
    submitted = Signal(str, str)

    def __init__(self, counter_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        card = panel()
        card.setFixedWidth(440)
        box = QVBoxLayout(card)
        box.setContentsMargins(28, 24, 28, 24)
        box.setSpacing(8)
        box.addWidget(small_label("Đăng nhập cán bộ", "title"))
        box.addWidget(small_label(counter_title, "counter"))
        box.addSpacing(6)
        box.addWidget(small_label("Tên đăng nhập", "body"))
        self.username = QLineEdit()
        box.addWidget(self.username)
        box.addWidget(small_label("Mật khẩu hoặc mã PIN", "body"))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        box.addWidget(self.secret)
        self.problem = small_label("", "hint-bad")
        box.addWidget(self.problem)
        self.button = action_button("Đăng nhập  [Enter]", self._submit)
        box.addWidget(self.button)
        box.addWidget(
            small_label("Phiên làm việc kéo dài 12 giờ; sai 5 lần sẽ khóa 5 phút.", "hint")
        )
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.username.returnPressed.connect(self.secret.setFocus)
        self.secret.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        if not self.username.text().strip() or not self.secret.text():
            self.problem.setText("Nhập tên đăng nhập và mật khẩu (hoặc mã PIN).")
            return
        self.problem.clear()
        self.button.setEnabled(False)
        self.submitted.emit(self.username.text(), self.secret.text())
