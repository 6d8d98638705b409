"""The kiosk's staff PIN page: the keypad that leaves kiosk mode."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk.ui.kiosk.page_layout import MARGIN
from kiosk.ui.widgets import Keypad, button, label


class PinPage(QWidget):
    submitted = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN * 4, 60, MARGIN * 4, 60)
        column.setSpacing(24)
        column.addWidget(label("Dành cho cán bộ", "title", align=Qt.AlignmentFlag.AlignCenter))
        column.addWidget(
            label(
                "Nhập mã PIN để đóng màn hình lấy số.",
                "subtitle",
                align=Qt.AlignmentFlag.AlignCenter,
            )
        )
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setMaxLength(12)
        self.field.returnPressed.connect(lambda: self.submitted.emit(self.field.text()))
        column.addWidget(self.field)
        self.message = label("", "message-error")
        self.message.hide()
        column.addWidget(self.message)
        self.keypad = Keypad("pin", key_size=110, submit_text="Xác nhận")
        self.keypad.typed.connect(self.field.insert)
        self.keypad.erased.connect(self.field.backspace)
        self.keypad.cleared.connect(self.field.clear)
        self.keypad.submitted.connect(lambda: self.submitted.emit(self.field.text()))
        column.addWidget(self.keypad)
        column.addStretch(1)
        column.addWidget(button("Hủy", self.back.emit, kind="secondary"))

    def reset(self) -> None:
        self.field.clear()
        self.message.hide()

    def show_error(self, text: str) -> None:
        self.field.clear()
        self.message.setText(text)
        self.message.show()

    def set_portrait(self, portrait: bool) -> None:
        pass


PageSetter = Callable[[bool], None]
