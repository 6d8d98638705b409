"""The console's small building blocks: a framed panel, a plain-text label and a button, each
tagged with the role or kind the console's style (`style.py`) draws it by."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton


def panel(role: str = "panel") -> QFrame:
    frame = QFrame()
    frame.setProperty("role", role)
    return frame


def small_label(text: str, role: str = "body", *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def action_button(text: str, on_click: Callable[[], None], kind: str = "") -> QPushButton:
    widget = QPushButton(text)
    if kind:
        widget.setProperty("kind", kind)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    widget.clicked.connect(lambda _checked=False: on_click())
    return widget
