"""Small building blocks: labels with a role, big buttons, clickable cards, the wait text.

Money and dates are written by `kiosk.domain.formats` (`vnd`, `day_and_date`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QSizePolicy, QWidget


def label(
    text: str, role: str = "body", *, wrap: bool = True, align: Qt.AlignmentFlag | None = None
) -> QLabel:
    """A QLabel styled by its role in the style sheet (title, subtitle, body, hint, …)."""
    widget = QLabel(text)
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if align is not None:
        widget.setAlignment(align)
    return widget


def set_role(widget: QWidget, role: str) -> None:
    """Change a widget's style role and make Qt re-apply the style sheet."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def button(
    text: str,
    on_click: Callable[[], None] | None = None,
    *,
    kind: str = "primary",
    height: int = 96,
) -> QPushButton:
    """A large touch button (at least 96 px high: an unsure finger still hits it)."""
    widget = QPushButton(text)
    if kind != "primary":
        widget.setProperty("kind", kind)
    widget.setMinimumHeight(height)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    if on_click is not None:
        widget.clicked.connect(lambda _checked=False: on_click())
    return widget


class Card(QFrame):
    """A white rounded panel; `clicked` when touched (cards are the kiosk's main buttons)."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None, *, clickable: bool = False) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self._clickable = clickable
        self._pressed = False
        if clickable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._clickable and event.button() == Qt.MouseButton.LeftButton:
            self._pressed = True
            self.setStyleSheet(
                'QFrame[role="card"] { border-color: #0B4A86; background: #E5EEF8; }'
            )
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        was_pressed = self._pressed
        self._pressed = False
        self.setStyleSheet("")
        super().mouseReleaseEvent(event)
        if was_pressed and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()


def wait_text(minutes: int) -> str:
    """An estimated wait in plain words (same wording as the printed ticket)."""
    if minutes <= 0:
        return "Sắp đến lượt"
    if minutes < 60:
        return f"khoảng {minutes} phút"
    hours, rest = divmod(minutes, 60)
    return f"khoảng {hours} giờ {rest:02d} phút" if rest else f"khoảng {hours} giờ"
