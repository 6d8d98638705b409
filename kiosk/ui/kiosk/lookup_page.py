"""The kiosk's dossier lookup page: scan or type a receipt code, see where the dossier is."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.kiosk.page_layout import MARGIN
from kiosk.ui.kiosk.services import LookupResult
from kiosk.ui.widgets import Card, Keypad, button, label, set_role


class LookupPage(QWidget):
    submitted = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN, 36, MARGIN, 36)
        column.setSpacing(22)
        column.addWidget(label("Tra cứu hồ sơ", "title"))
        column.addWidget(
            label(
                "Đưa mã QR trên giấy biên nhận vào máy quét, hoặc nhập mã hồ sơ bằng bàn phím "
                "bên dưới.",
                "subtitle",
            )
        )
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(28)
        left = QVBoxLayout()
        left.setSpacing(18)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Ví dụ: 000.00.21.H12-210315-0001")
        self.field.setMaxLength(80)
        self.field.returnPressed.connect(self._submit)
        left.addWidget(self.field)
        self.result = Card()
        result_column = QVBoxLayout(self.result)
        result_column.setContentsMargins(32, 24, 32, 24)
        result_column.setSpacing(10)
        self.status = label("", "body")
        self.status.setFont(theme.font(40, QFont.Weight.Bold))
        self.status.setStyleSheet(f"color: {theme.GOOD};")
        self.explanation = label("", "body")
        self.facts = label("", "subtitle")
        for widget in (self.status, self.explanation, self.facts):
            result_column.addWidget(widget)
        self.result.hide()
        left.addWidget(self.result)
        self.message = label("", "message-error")
        self.message.hide()
        left.addWidget(self.message)
        left.addStretch(1)
        self.body.addLayout(left, 1)
        self.keypad = Keypad("code", submit_text="Tra cứu")
        self.keypad.typed.connect(self.field.insert)
        self.keypad.erased.connect(self.field.backspace)
        self.keypad.cleared.connect(self.field.clear)
        self.keypad.submitted.connect(self._submit)
        self.body.addWidget(self.keypad, 0)
        column.addLayout(self.body, 1)
        column.addWidget(button("‹  Quay lại trang chủ", self.back.emit, kind="quiet"))

    def _submit(self) -> None:
        self.submitted.emit(self.field.text())

    def reset(self) -> None:
        self.field.clear()
        self.result.hide()
        self.message.hide()

    def show_searching(self) -> None:
        self.result.hide()
        set_role(self.message, "message-warn")
        self.message.setText("Đang tra cứu…")
        self.message.show()

    def show_result(self, found: LookupResult) -> None:
        self.message.hide()
        self.status.setText(found.status)
        self.explanation.setText(found.explanation)
        self.explanation.setVisible(bool(found.explanation))
        facts = [f"Mã hồ sơ: {found.code}"]
        if found.procedure_name:
            facts.append(f"Thủ tục: {found.procedure_name}")
        if found.applicant:
            facts.append(f"Người nộp: {found.applicant}")
        if found.received_at:
            facts.append(f"Ngày tiếp nhận: {found.received_at}")
        if found.due_at:
            facts.append(f"Ngày hẹn trả: {found.due_at}")
        if found.where_to_collect:
            facts.append(f"Nơi nhận kết quả: {found.where_to_collect}")
        self.facts.setText("\n".join(facts))
        self.result.show()

    def show_error(self, text: str) -> None:
        self.result.hide()
        set_role(self.message, "message-error")
        self.message.setText(text)
        self.message.show()

    def set_portrait(self, portrait: bool) -> None:
        self.body.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
