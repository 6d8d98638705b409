"""The kiosk's ticket page: the number just issued, then printed or not."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.kiosk.page_layout import MARGIN
from kiosk.ui.kiosk.services import IssuedTicket
from kiosk.ui.widgets import Card, button, label, set_role, wait_text


class TicketPage(QWidget):
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN, 48, MARGIN, 48)
        column.setSpacing(28)
        column.addStretch(1)
        self.headline = label("", "title", align=Qt.AlignmentFlag.AlignCenter)
        self.headline.setFont(theme.font(52, QFont.Weight.Bold))
        column.addWidget(self.headline)
        self.card = Card()
        self.card.setStyleSheet(
            f'QFrame[role="card"] {{ border: 4px solid {theme.GOLD}; border-radius: 32px; }}'
        )
        inner = QVBoxLayout(self.card)
        inner.setContentsMargins(40, 32, 40, 40)
        inner.setSpacing(8)
        self.caption = label(
            "SỐ THỨ TỰ CỦA QUÝ KHÁCH", "subtitle", align=Qt.AlignmentFlag.AlignCenter
        )
        inner.addWidget(self.caption)
        self.number = QLabel("")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setFont(theme.font(240, QFont.Weight.ExtraBold))
        self.number.setStyleSheet(f"color: {theme.PRIMARY};")
        inner.addWidget(self.number)
        self.group = label("", "body", align=Qt.AlignmentFlag.AlignCenter)
        self.group.setFont(theme.font(40, QFont.Weight.Bold))
        inner.addWidget(self.group)
        self.details = label("", "subtitle", align=Qt.AlignmentFlag.AlignCenter)
        inner.addWidget(self.details)
        column.addWidget(self.card)
        self.message = label("", "message-ok", align=Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.message)
        column.addStretch(1)
        self.finish = button("Xong", self.done.emit, height=120)
        column.addWidget(self.finish)

    def show_issuing(self) -> None:
        self.headline.setText("Đang lấy số…")
        self.card.hide()
        self.message.hide()
        self.finish.hide()

    def show_ticket(self, ticket: IssuedTicket) -> None:
        self.headline.setText("Đang in phiếu, xin chờ giây lát…")
        self.number.setText(ticket.number)
        priority = "  ·  Ưu tiên" if ticket.priority else ""
        self.group.setText(ticket.group_name + priority)
        ahead = "Không có ai" if ticket.people_ahead <= 0 else f"{ticket.people_ahead} người"
        self.details.setText(
            f"Số người chờ trước: {ahead}\n"
            f"Thời gian chờ dự kiến: {wait_text(ticket.estimated_wait_minutes)}"
        )
        self.card.show()
        self.message.hide()
        self.finish.hide()

    def show_printed(self) -> None:
        self.headline.setText("Mời quý khách nhận phiếu")
        set_role(self.message, "message-ok")
        self.message.setText(
            "Vui lòng ngồi chờ và theo dõi bảng hiển thị.\n"
            "Khi đến lượt, số của quý khách sẽ được gọi."
        )
        self.message.show()
        self.finish.show()

    def show_print_failed(self, reason: str) -> None:
        self.headline.setText("Máy in phiếu đang gặp sự cố")
        set_role(self.message, "message-warn")
        self.message.setText(
            "Xin quý khách ghi nhớ số thứ tự ở trên — số vẫn có hiệu lực và sẽ được gọi.\n"
            f"Vui lòng báo cán bộ tại quầy để xử lý máy in. ({reason})"
        )
        self.message.show()
        self.finish.show()

    def show_issue_failed(self, reason: str) -> None:
        self.headline.setText("Chưa lấy được số")
        self.card.hide()
        set_role(self.message, "message-error")
        self.message.setText(f"{reason}\nQuý khách vui lòng thử lại hoặc liên hệ cán bộ.")
        self.message.show()
        self.finish.setText("Quay lại")
        self.finish.show()

    def reset(self) -> None:
        self.finish.setText("Xong")

    def set_portrait(self, portrait: bool) -> None:
        self.number.setFont(theme.font(240 if portrait else 170, QFont.Weight.ExtraBold))
        margin = MARGIN if portrait else 280
        self.layout().setContentsMargins(
            margin, 40 if portrait else 24, margin, 40 if portrait else 24
        )
        self.layout().setSpacing(28 if portrait else 16)
        self.finish.setMinimumHeight(120 if portrait else 96)
