"""What every admin tab shares: the page frame with its message bar, tables, choice lists and
field labels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.counter.reception import panel, small_label
from kiosk.ui.tasks import Tasks

DEVICE_ROLES = (
    ("counter", "Máy quầy"),
    ("kiosk", "Máy lấy số"),
    ("display", "Bảng hiển thị"),
    ("rating", "Màn hình đánh giá"),
    ("admin", "Quản trị"),
)
STAFF_ROLES = (
    ("clerk", "Cán bộ tiếp nhận"),
    ("supervisor", "Lãnh đạo bộ phận"),
    ("admin", "Quản trị"),
)


def label_of(choices: tuple[tuple[str, str], ...], value: object) -> str:
    return dict(choices).get(str(value), str(value))


def table(headers: tuple[str, ...]) -> QTableWidget:
    widget = QTableWidget(0, len(headers))
    widget.setHorizontalHeaderLabels(list(headers))
    widget.verticalHeader().setVisible(False)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    widget.horizontalHeader().setStretchLastSection(True)
    return widget


def fill(widget: QTableWidget, rows: list[list[str]]) -> None:
    widget.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            widget.setItem(r, c, QTableWidgetItem(text))


def combo(choices: tuple[tuple[str, str], ...]) -> QComboBox:
    widget = QComboBox()
    for value, text in choices:
        widget.addItem(text, value)
    return widget


def field(title: str, widget: QWidget) -> QVBoxLayout:
    box = QVBoxLayout()
    box.setSpacing(2)
    box.addWidget(small_label(title, "hint", wrap=False))
    box.addWidget(widget)
    return box


def short_time(text: object) -> str:
    """'2026-11-22T08:13:03+07:00' → '22/11/2026 08:13' (empty for none)."""
    if not text:
        return ""
    value = str(text)
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day:%d/%m/%Y} {value[11:16]}".strip()


class Page(QWidget):
    """One tab: a titled panel, with the window's tasks and message bar."""

    message = Signal(str, str)  # text, kind (ok | warn | error)

    def __init__(self, client: Any, tasks: Tasks, title: str, hint: str = "") -> None:
        super().__init__()
        self.client = client
        self.tasks = tasks
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.card = panel()
        outer.addWidget(self.card)
        self.box = QVBoxLayout(self.card)
        self.box.setContentsMargins(18, 14, 18, 14)
        self.box.setSpacing(8)
        self.box.addWidget(small_label(title, "title"))
        if hint:
            self.box.addWidget(small_label(hint, "hint"))

    def call(self, fn: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        self.tasks.run(fn, on_done, lambda error: self.message.emit(error.message, "error"))

    def refresh(self) -> None:
        """Reload from the hub (on opening the tab)."""
