"""The queue side of the console: the ticket at the counter, the people waiting, the actions.

Each action has a function key shown on its button. Transfer, hold and finish ask for a choice
in a sheet that replaces the buttons in place (not a separate window): digits pick an option,
Enter confirms, Esc goes back, and the question is on screen where the clerk's eyes already are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.counter.reception import action_button, panel, small_label
from kiosk.ui.widgets import set_role

STATUS_TEXT = {
    "called": "Đã gọi, chờ công dân đến quầy",
    "serving": "Đang phục vụ",
    "on_hold": "Đang tạm giữ",
}
OUTCOMES = (
    ("received", "Đã tiếp nhận hồ sơ"),
    ("supplement_requested", "Yêu cầu bổ sung (mẫu 02)"),
    ("refused", "Từ chối tiếp nhận (mẫu 03)"),
    ("guided", "Chỉ hướng dẫn"),
)


@dataclass(frozen=True)
class Key:
    action: str
    key: str
    text: str


KEYS = (
    Key("call_next", "F2", "Gọi số tiếp"),
    Key("recall", "F3", "Gọi lại"),
    Key("no_show", "F4", "Vắng mặt"),
    Key("hold", "F5", "Tạm giữ"),
    Key("transfer", "F6", "Chuyển"),
    Key("finish", "F8", "Kết thúc"),
)


class Sheet(QWidget):
    """A question in place of the buttons: options (1…9), an optional note, confirm/cancel."""

    confirmed = Signal(object, str)  # chosen value (or None), note
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(6)
        self.title = small_label("", "section")
        self.box.addWidget(self.title)
        self.options_box = QVBoxLayout()
        self.options_box.setSpacing(2)
        self.box.addLayout(self.options_box)
        self.note = QLineEdit()
        self.box.addWidget(self.note)
        self.problem = small_label("", "hint-bad")
        self.box.addWidget(self.problem)
        self.ok = action_button("Xác nhận  [Enter]", self._confirm, "good")
        self.box.addWidget(self.ok)
        self.box.addWidget(action_button("Thôi  [Esc]", self.cancelled.emit, "secondary"))
        self.box.addStretch(1)
        self.group = QButtonGroup(self)
        self.values: list[Any] = []
        self.note_required = False
        self.note.returnPressed.connect(self._confirm)

    def ask(
        self,
        title: str,
        options: list[tuple[Any, str]],
        *,
        chosen: Any = None,
        note_hint: str = "",
        note_required: bool = False,
    ) -> None:
        self.title.setText(title)
        for button in self.group.buttons():
            self.group.removeButton(button)
            button.hide()  # gone now, not only when the event loop gets to deleteLater
            self.options_box.removeWidget(button)
            button.deleteLater()
        self.values = []
        for index, (value, text) in enumerate(options, start=1):
            button = QRadioButton(f"{index}. {text}")
            self.group.addButton(button, index - 1)
            self.options_box.addWidget(button)
            self.values.append(value)
            if value == chosen or (chosen is None and index == 1):
                button.setChecked(True)
        self.note.setVisible(bool(note_hint))
        self.note.setPlaceholderText(note_hint)
        self.note.clear()
        self.note_required = note_required
        self.problem.clear()
        (self.note if note_hint else self).setFocus()

    def choose(self, index: int) -> None:
        button = self.group.button(index)
        if button is not None:
            button.setChecked(True)

    def _confirm(self) -> None:
        index = self.group.checkedId()
        value = self.values[index] if 0 <= index < len(self.values) else None
        if self.note_required and not self.note.text().strip():
            self.problem.setText("Cần ghi chú (ví dụ: lý do chuyển).")
            self.note.setFocus()
            return
        self.confirmed.emit(value, self.note.text().strip())

    def keyPressEvent(self, event: Any) -> None:
        text = event.text()
        if text.isdigit() and text != "0" and not self.note.hasFocus():
            self.choose(int(text) - 1)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._confirm()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class QueuePanel(QFrame):
    """Emits `requested(action)` for a button or its key; the window runs it."""

    requested = Signal(str)

    def __init__(self, counter: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "panel")
        self.counter = counter
        self.current: dict[str, Any] | None = None
        self.groups: list[dict[str, Any]] = []
        self.served_group_ids: set[int] = set()
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 10, 12, 10)
        box.setSpacing(8)

        self.ticket_frame = panel("idle")
        ticket_box = QVBoxLayout(self.ticket_frame)
        ticket_box.setContentsMargins(12, 8, 12, 8)
        ticket_box.setSpacing(0)
        self.ticket_caption = small_label("SỐ ĐANG PHỤC VỤ", "hint")
        self.ticket_number = small_label("—", "number", wrap=False)
        self.ticket_number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_state = small_label("Chưa gọi ai. Bấm F2 để gọi số tiếp theo.", "body")
        self.ticket_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        ticket_box.addWidget(self.ticket_caption)
        ticket_box.addWidget(self.ticket_number)
        ticket_box.addWidget(self.ticket_state)
        box.addWidget(self.ticket_frame)

        self.stack = QStackedWidget()
        buttons = QWidget()
        grid = QGridLayout(buttons)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.buttons: dict[str, QPushButton] = {}
        for index, key in enumerate(KEYS):
            kind = "" if key.action in ("call_next", "finish") else "secondary"
            button = action_button(
                f"{key.text}\n[{key.key}]", lambda a=key.action: self.requested.emit(a), kind
            )
            button.setMinimumHeight(54)
            self.buttons[key.action] = button
            grid.addWidget(button, index // 2, index % 2)
        self.stack.addWidget(buttons)
        self.sheet = Sheet()
        self.stack.addWidget(self.sheet)
        box.addWidget(self.stack)

        box.addWidget(small_label("Người đang chờ", "section"))
        self.waiting_box = QVBoxLayout()
        self.waiting_box.setSpacing(2)
        box.addLayout(self.waiting_box)
        self.waiting_labels: list[QLabel] = []
        box.addStretch(1)
        self.show_ticket(None)

    # --- state --------------------------------------------------------------------------------

    def apply_snapshot(self, snapshot: dict[str, Any]) -> None:
        self.groups = list(snapshot.get("groups", []))
        for entry in snapshot.get("counters", []):
            if entry["counter"]["number"] == self.counter:
                self.served_group_ids = set(entry["counter"].get("group_ids", []))
                self.show_ticket(entry.get("current"))
        self._show_waiting()

    def _show_waiting(self) -> None:
        for widget in self.waiting_labels:
            widget.deleteLater()
        self.waiting_labels = []
        for status in self.groups:
            group = status["group"]
            if self.served_group_ids and group["id"] not in self.served_group_ids:
                continue
            waiting = int(status["waiting"])
            text = f"{group['prefix']}  {group['name']}:  {waiting} người"
            if waiting:
                text += f"  (~{int(status['estimated_wait_minutes'])} phút)"
            widget = small_label(text, "staff" if waiting else "hint")
            self.waiting_box.addWidget(widget)
            self.waiting_labels.append(widget)

    def waiting(self) -> dict[str, int]:
        return {g["group"]["prefix"]: int(g["waiting"]) for g in self.groups}

    def show_ticket(self, ticket: dict[str, Any] | None) -> None:
        if ticket is not None and ticket.get("status") not in STATUS_TEXT:
            ticket = None
        self.current = ticket
        if ticket is None:
            self.ticket_number.setText("—")
            self.ticket_state.setText("Chưa gọi ai. Bấm F2 để gọi số tiếp theo.")
            self.ticket_frame.setProperty("role", "idle")
        else:
            self.ticket_number.setText(str(ticket["display_number"]))
            state = STATUS_TEXT[ticket["status"]]
            called = ticket.get("called_at")
            if called:
                state += f" · gọi lúc {datetime.fromisoformat(called):%H:%M}"
            if ticket.get("recalls"):
                state += f" · đã gọi lại {ticket['recalls']} lần"
            if ticket.get("priority"):
                state += " · ƯU TIÊN"
            self.ticket_state.setText(state)
            self.ticket_frame.setProperty("role", "serving")
        set_role(self.ticket_frame, str(self.ticket_frame.property("role")))
        has = ticket is not None
        for action in ("recall", "no_show", "hold", "transfer", "finish"):
            self.buttons[action].setEnabled(has)
        self.buttons["call_next"].setEnabled(not has)

    def set_enabled(self, enabled: bool) -> None:
        self.stack.setEnabled(enabled)

    def asking(self) -> bool:
        return self.stack.currentIndex() == 1

    def ask(self, title: str, options: list[tuple[Any, str]], **kwargs: Any) -> None:
        self.stack.setCurrentIndex(1)
        self.sheet.ask(title, options, **kwargs)

    def close_sheet(self) -> None:
        self.stack.setCurrentIndex(0)
