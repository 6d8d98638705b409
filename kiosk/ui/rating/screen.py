"""The rating screen (small screen beside one counter, ~1280×800).

Bound to its counter: when a ticket is finished there (event `ticket.finished` on the hub's
stream), it asks "how satisfied are you?" with three large choices, then optional reason chips,
thanks the citizen and goes back to idle. The rating is posted in the background through a
callable (`RateFn`), so the screen does not depend on how the hub names its endpoint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.errors import KioskError
from kiosk.ui import theme
from kiosk.ui.events import EventStream
from kiosk.ui.tasks import Tasks
from kiosk.ui.widgets import button, label

log = logging.getLogger(__name__)

LEVELS = (
    ("very_satisfied", "Rất hài lòng", theme.GOOD),
    ("satisfied", "Hài lòng", theme.PRIMARY),
    ("unsatisfied", "Không hài lòng", theme.BAD),
)
REASONS = {
    "very_satisfied": ("Cán bộ nhiệt tình", "Hướng dẫn dễ hiểu", "Nhanh chóng"),
    "satisfied": ("Cán bộ nhiệt tình", "Hướng dẫn dễ hiểu", "Nhanh chóng", "Chờ hơi lâu"),
    "unsatisfied": (
        "Chờ quá lâu",
        "Hướng dẫn khó hiểu",
        "Thái độ chưa tốt",
        "Phải đi lại nhiều lần",
        "Thu tiền chưa đúng",
    ),
}
ASK_SECONDS = 60
THANKS_SECONDS = 6


@dataclass(frozen=True, slots=True)
class Rating:
    counter: int
    ticket_id: int
    level: str
    reasons: tuple[str, ...] = ()


RateFn = Callable[[Rating], None]


def hub_rate(client: Any) -> RateFn:
    """The rating callable for a hub client (`HubClient.rate`, rating role: the hub knows the
    counter from the device). One request id per rating, so a retried send is never counted
    twice."""

    def rate(rating: Rating) -> None:
        client.rate(
            rating.level,
            ticket_id=rating.ticket_id,
            comment="; ".join(rating.reasons),
            request_id=f"rating-{rating.counter}-{rating.ticket_id}",
        )

    return rate


class RatingWindow(QWidget):
    """Idle → ask → reasons → thanks → idle. `rated(Rating)` after a rating was accepted."""

    rated = Signal(object)
    IDLE, ASK, REASONS, THANKS = range(4)

    def __init__(
        self,
        counter: int,
        rate: RateFn,
        *,
        stream: EventStream | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setWindowTitle(f"Một Cửa — Đánh giá quầy {counter}")
        self.counter = counter
        self._rate = rate
        self.stream = stream
        self.tasks = Tasks("rating-worker", self)
        self.ticket_id: int | None = None
        self.level: str | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.stack = QStackedWidget()
        column.addWidget(self.stack)
        self.stack.addWidget(self._idle_page())
        self.stack.addWidget(self._ask_page())
        self.reasons_page = QWidget()
        self.reasons_page.setObjectName("screen")
        self.stack.addWidget(self.reasons_page)
        self.stack.addWidget(self._thanks_page())
        self.timeout = QTimer(self)
        self.timeout.setSingleShot(True)
        self.timeout.timeout.connect(self.go_idle)
        if stream is not None:
            stream.event.connect(self.on_event)

    # --- pages --------------------------------------------------------------------------------

    def _idle_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("screen")
        column = QVBoxLayout(page)
        column.setContentsMargins(60, 60, 60, 60)
        column.addStretch(1)
        number = label(f"QUẦY SỐ {self.counter}", "title", align=Qt.AlignmentFlag.AlignCenter)
        number.setFont(theme.font(72, QFont.Weight.ExtraBold))
        number.setStyleSheet(f"color: {theme.PRIMARY};")
        column.addWidget(number)
        column.addWidget(
            label(
                "Kính chào quý khách.\n"
                "Sau khi được phục vụ, xin quý khách cho biết mức độ hài lòng.",
                "subtitle",
                align=Qt.AlignmentFlag.AlignCenter,
            )
        )
        column.addStretch(1)
        return page

    def _ask_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("screen")
        column = QVBoxLayout(page)
        column.setContentsMargins(48, 40, 48, 40)
        column.setSpacing(24)
        title = label(
            "Quý khách có hài lòng với việc phục vụ?", "title", align=Qt.AlignmentFlag.AlignCenter
        )
        column.addWidget(title)
        self.ask_hint = label("", "subtitle", align=Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.ask_hint)
        row = QHBoxLayout()
        row.setSpacing(24)
        self.level_buttons: dict[str, QPushButton] = {}
        for value, text, colour in LEVELS:
            choice = QPushButton(text)
            choice.setMinimumHeight(380)
            choice.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            choice.setFont(theme.font(40, QFont.Weight.Bold))
            choice.setStyleSheet(
                f"QPushButton {{ background: {colour}; color: white; border-radius: 28px;"
                f" font-size: 40px; }} QPushButton:pressed {{ background: {theme.INK}; }}"
            )
            choice.clicked.connect(lambda _c=False, v=value: self.choose(v))
            row.addWidget(choice, 1)
            self.level_buttons[value] = choice
        column.addLayout(row, 1)
        return page

    def _thanks_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("screen")
        column = QVBoxLayout(page)
        column.setContentsMargins(60, 60, 60, 60)
        column.addStretch(1)
        thanks = label("Xin cảm ơn quý khách!", "title", align=Qt.AlignmentFlag.AlignCenter)
        thanks.setFont(theme.font(64, QFont.Weight.ExtraBold))
        thanks.setStyleSheet(f"color: {theme.GOOD};")
        column.addWidget(thanks)
        self.thanks_text = label(
            "Ý kiến của quý khách giúp chúng tôi phục vụ tốt hơn.",
            "subtitle",
            align=Qt.AlignmentFlag.AlignCenter,
        )
        column.addWidget(self.thanks_text)
        column.addStretch(1)
        return page

    def _build_reasons(self, level: str) -> None:
        old = self.reasons_page.layout()
        if old is not None:
            QWidget().setLayout(old)  # reparent the old layout away so a new one can be set
        column = QVBoxLayout(self.reasons_page)
        column.setContentsMargins(48, 40, 48, 40)
        column.setSpacing(24)
        text = dict((v, t) for v, t, _ in LEVELS)[level]
        column.addWidget(
            label(f"Quý khách chọn: {text}", "subtitle", align=Qt.AlignmentFlag.AlignCenter)
        )
        column.addWidget(
            label(
                "Lý do (không bắt buộc, chọn một hoặc nhiều):",
                "title",
                align=Qt.AlignmentFlag.AlignCenter,
            )
        )
        grid = QGridLayout()
        grid.setSpacing(18)
        self.chips: list[QPushButton] = []
        for index, reason in enumerate(REASONS[level]):
            chip = QPushButton(reason)
            chip.setProperty("kind", "chip")
            chip.setCheckable(True)
            chip.setMinimumHeight(96)
            chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            grid.addWidget(chip, index // 2, index % 2)
            self.chips.append(chip)
        column.addLayout(grid)
        column.addStretch(1)
        self.send_button = button("Gửi đánh giá", self.send, height=110)
        column.addWidget(self.send_button)

    # --- flow -----------------------------------------------------------------------------------

    def on_event(self, event: dict[str, Any]) -> None:
        if event.get("kind") != "ticket.finished" or event.get("counter_number") != self.counter:
            return
        ticket = event.get("ticket") or {}
        self.ask(int(ticket["id"]), str(ticket.get("display_number", "")))

    def ask(self, ticket_id: int, number: str = "") -> None:
        self.ticket_id = ticket_id
        self.level = None
        self.ask_hint.setText(f"Số thứ tự {number}" if number else "")
        self.stack.setCurrentIndex(self.ASK)
        self.timeout.start(ASK_SECONDS * 1000)

    def choose(self, level: str) -> None:
        if self.ticket_id is None:
            return
        self.level = level
        self._build_reasons(level)
        self.stack.setCurrentIndex(self.REASONS)
        self.timeout.start(ASK_SECONDS * 1000)

    def send(self) -> None:
        if self.ticket_id is None or self.level is None:
            return
        reasons = tuple(c.text() for c in self.chips if c.isChecked())
        rating = Rating(self.counter, self.ticket_id, self.level, reasons)
        self.ticket_id = None  # one rating per ticket, however many taps
        self.stack.setCurrentIndex(self.THANKS)
        self.timeout.start(THANKS_SECONDS * 1000)
        self.tasks.run(lambda: self._rate(rating), lambda _r: self.rated.emit(rating), self._failed)

    def _failed(self, error: KioskError) -> None:
        # The citizen has been thanked already; the staff see it in the log.
        log.warning("rating not recorded: %s", error.message)

    def go_idle(self) -> None:
        self.ticket_id = None
        self.stack.setCurrentIndex(self.IDLE)

    def shutdown(self) -> None:
        self.timeout.stop()
        if self.stream is not None:
            self.stream.stop()
        self.tasks.stop()

    def closeEvent(self, event: object) -> None:
        self.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]
