"""The queue side of the console: the ticket at the counter, the people waiting, the actions.

Each action has a function key shown on its button. Transfer, hold, finish and the held
tickets (F7) ask for a choice in a sheet that replaces the buttons in place (not a separate
window): digits or ↑/↓ pick an option, Enter confirms, Esc goes back, and the question is on
screen where the clerk's eyes already are. The counter's tickets on hold are listed under the
people waiting, with the time they were put aside and the note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.counter.reception import action_button, panel, small_label
from kiosk.ui.widgets import set_role

#: What a question does with its answer: (chosen value, note, the flag's tick).
Answered = Callable[[Any, str, bool], None]

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
HELD_KEY = Key("held", "F7", "Số tạm giữ")
#: The options' least height before they scroll (many counters must not push the buttons off).
MIN_OPTIONS_HEIGHT = 110
#: Characters of a held ticket's row that fit the panel's width; the whole text is its tooltip.
HELD_TEXT_MAX = 34
OPTION_TEXT_MAX = 32


def set_role_kind(button: QPushButton, kind: str) -> None:
    """Change a button's look (its `kind` in the style sheet) after it was shown."""
    button.setProperty("kind", kind)
    button.style().unpolish(button)
    button.style().polish(button)


def shorten(text: str, limit: int) -> str:
    """The text cut to `limit` characters with an ellipsis (labels here do not wrap)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def held_since(ticket: dict[str, Any]) -> str:
    at = ticket.get("held_at")
    return f"từ {datetime.fromisoformat(at):%H:%M}" if at else ""


def held_text(ticket: dict[str, Any]) -> str:
    """'A041 · từ 09:40 · Đi photo giấy khai sinh'."""
    parts = [str(ticket["display_number"]), held_since(ticket), str(ticket.get("note") or "")]
    return " · ".join(p for p in parts if p)


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
        self.detail = small_label("", "hint")
        self.box.addWidget(self.detail)
        options = QWidget()
        options.setObjectName("sheet-options")
        self.options_box = QVBoxLayout(options)
        self.options_box.setContentsMargins(0, 0, 0, 0)
        self.options_box.setSpacing(2)
        self.scroll = QScrollArea()
        self.scroll.setWidget(options)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.box.addWidget(self.scroll, 10)
        self.note = QLineEdit()
        self.box.addWidget(self.note)
        self.flag = QCheckBox()
        self.box.addWidget(self.flag)
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
        # ↑/↓ move the choice even while the note has the keyboard (digits type into it).
        self.note.installEventFilter(self)

    def ask(
        self,
        title: str,
        options: list[tuple[Any, str]],
        *,
        chosen: Any = None,
        note_hint: str = "",
        note_required: bool = False,
        detail: str = "",
        flag: str = "",
        confirm: str = "Xác nhận",
        danger: bool = False,
    ) -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.flag.setText(flag)
        self.flag.setChecked(False)
        self.flag.setVisible(bool(flag))
        self.ok.setText(f"{confirm}  [Enter]")
        set_role_kind(self.ok, "danger" if danger else "good")
        for button in self.group.buttons():
            self.group.removeButton(button)
            button.hide()  # gone now, not only when the event loop gets to deleteLater
            self.options_box.removeWidget(button)
            button.deleteLater()
        self.values = []
        for index, (value, text) in enumerate(options, start=1):
            label = f"{index}. {text}"
            button = QRadioButton(shorten(label, OPTION_TEXT_MAX))
            if len(label) > OPTION_TEXT_MAX:
                button.setToolTip(label)
            self.group.addButton(button, index - 1)
            self.options_box.addWidget(button)
            self.values.append(value)
            if value == chosen or (chosen is None and index == 1):
                button.setChecked(True)
        self._fit_options()
        self.note.setVisible(bool(note_hint))
        self.note.setPlaceholderText(note_hint)
        self.note.clear()
        self.note_required = note_required
        self.problem.clear()
        (self.note if note_hint else self).setFocus()

    def _fit_options(self) -> None:
        # Measured from the buttons themselves: a layout does not count children it has not
        # shown yet, and Qt shows new children of a visible widget only later.
        buttons = self.group.buttons()
        for button in buttons:
            button.show()
        height = sum(b.sizeHint().height() for b in buttons)
        height += self.options_box.spacing() * max(len(buttons) - 1, 0)
        # As tall as the options, shrinking (with a scroll bar) when the panel is short.
        self.scroll.setMaximumHeight(height)
        self.scroll.setMinimumHeight(min(height, MIN_OPTIONS_HEIGHT))

    def choose(self, index: int) -> None:
        button = self.group.button(index)
        if button is not None:
            button.setChecked(True)
            self.scroll.ensureWidgetVisible(button)

    def step_choice(self, step: int) -> None:
        """Move the choice up or down (↑/↓), staying inside the list."""
        if self.values:
            current = max(self.group.checkedId(), 0)
            self.choose(min(max(current + step, 0), len(self.values) - 1))

    def value(self) -> Any:
        index = self.group.checkedId()
        return self.values[index] if 0 <= index < len(self.values) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.step_choice(-1 if key == Qt.Key.Key_Up else 1)
                return True
            if key == Qt.Key.Key_Escape:
                self.cancelled.emit()
                return True
        return super().eventFilter(watched, event)

    def _confirm(self) -> None:
        value = self.value()
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
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step_choice(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class QueuePanel(QFrame):
    """Emits `requested(action)` for a button or its key, `held_chosen(ticket)` for a click on
    a held ticket; the window runs them."""

    requested = Signal(str)
    held_chosen = Signal(object)

    def __init__(self, counter: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "panel")
        self.counter = counter
        self.current: dict[str, Any] | None = None
        self.groups: list[dict[str, Any]] = []
        self.counters: list[dict[str, Any]] = []
        self.held: list[dict[str, Any]] = []
        self.served_group_ids: set[int] = set()
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 10, 12, 10)
        box.setSpacing(8)

        box.addWidget(self._build_ticket_frame())
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_buttons())
        self.sheet = Sheet()
        self.sheet.confirmed.connect(self._confirmed)
        self.sheet.cancelled.connect(self.close_sheet)
        self._answered: Answered | None = None
        self.stack.addWidget(self.sheet)
        self.stack.currentChanged.connect(self._fit_stack)
        box.addWidget(self.stack)
        self.box = box
        # The people waiting and the held tickets; a question (sheet) takes their room.
        box.addWidget(self._build_lists(), 1)
        self._fit_stack(0)
        self.show_ticket(None)
        self.apply_held([])

    # --- building the panel -----------------------------------------------------------------

    def _build_ticket_frame(self) -> QFrame:
        """The ticket at the counter: its number, big, and what is happening to it."""
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
        return self.ticket_frame

    def _build_buttons(self) -> QWidget:
        """The queue steps, two by two, with their keys; the held tickets' button below them."""
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
        held_button = action_button(
            f"{HELD_KEY.text}  [{HELD_KEY.key}]",
            lambda: self.requested.emit(HELD_KEY.action),
            "secondary",
        )
        self.buttons[HELD_KEY.action] = held_button
        grid.addWidget(held_button, len(KEYS) // 2, 0, 1, 2)
        grid.setRowStretch(len(KEYS) // 2 + 1, 1)  # extra height goes below the buttons
        return buttons

    def _build_lists(self) -> QWidget:
        """The people waiting and this counter's held tickets."""
        self.lists = QWidget()
        lists = QVBoxLayout(self.lists)
        lists.setContentsMargins(0, 0, 0, 0)
        lists.setSpacing(8)
        lists.addWidget(small_label("Người đang chờ", "section"))
        self.waiting_box = QVBoxLayout()
        self.waiting_box.setSpacing(2)
        lists.addLayout(self.waiting_box)
        self.waiting_labels: list[QLabel] = []
        lists.addSpacing(4)
        self.held_caption = small_label("Số đang tạm giữ", "section")
        lists.addWidget(self.held_caption)
        self.held_box = QVBoxLayout()
        self.held_box.setSpacing(2)
        lists.addLayout(self.held_box)
        self.held_rows: list[QWidget] = []
        lists.addStretch(1)
        return self.lists

    # --- state --------------------------------------------------------------------------------

    def apply_snapshot(self, snapshot: dict[str, Any]) -> None:
        self.groups = list(snapshot.get("groups", []))
        self.counters = [entry["counter"] for entry in snapshot.get("counters", [])]
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

    def apply_held(self, tickets: list[dict[str, Any]]) -> None:
        """This counter's tickets on hold: one clickable row each (number, since, note)."""
        self.held = list(tickets)
        for widget in self.held_rows:
            widget.hide()
            self.held_box.removeWidget(widget)
            widget.deleteLater()
        self.held_rows = []
        count = len(self.held)
        self.held_caption.setText(f"Số đang tạm giữ ({count})" if count else "Số đang tạm giữ")
        self.buttons[HELD_KEY.action].setText(
            f"{HELD_KEY.text} ({count})  [{HELD_KEY.key}]"
            if count
            else f"{HELD_KEY.text}  [{HELD_KEY.key}]"
        )
        if not count:
            row: QWidget = small_label("Không có số nào đang tạm giữ.", "hint")
            self.held_box.addWidget(row)
            self.held_rows.append(row)
            return
        for ticket in self.held:
            text = held_text(ticket)
            button = action_button(
                shorten(text, HELD_TEXT_MAX), lambda t=ticket: self.held_chosen.emit(t), "held"
            )
            button.setToolTip(
                f"{text}\nBấm (hoặc F7) để gọi lại vào quầy, đưa về hàng chờ hoặc hủy số."
            )
            self.held_box.addWidget(button)
            self.held_rows.append(button)

    def held_number(self, ticket_id: int) -> str | None:
        return next(
            (str(t["display_number"]) for t in self.held if int(t["id"]) == ticket_id), None
        )

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

    def ask(
        self, title: str, options: list[tuple[Any, str]], answered: Answered, **kwargs: Any
    ) -> None:
        """Put a question in place of the buttons; `answered(value, note, flag)` runs once it is
        confirmed (the sheet is closed by then), never when it is cancelled."""
        self._answered = answered
        self.lists.hide()
        self.box.setStretchFactor(self.stack, 1)
        self.stack.setCurrentIndex(1)
        self.sheet.ask(title, options, **kwargs)

    def _confirmed(self, value: Any, note: str) -> None:
        answered, self._answered = self._answered, None
        flag = self.sheet.flag
        checked = not flag.isHidden() and flag.isChecked()
        self.close_sheet()
        if answered is not None:
            answered(value, note, checked)

    def _fit_stack(self, current: int) -> None:
        # A stacked widget is as tall as its tallest page: size it to the page shown, so the
        # buttons do not keep the room of the last question.
        for index in range(self.stack.count()):
            policy = (
                QSizePolicy.Policy.Preferred if index == current else QSizePolicy.Policy.Ignored
            )
            self.stack.widget(index).setSizePolicy(policy, policy)
        self.stack.adjustSize()
        self.stack.updateGeometry()

    def close_sheet(self) -> None:
        self._answered = None
        self.stack.setCurrentIndex(0)
        self.box.setStretchFactor(self.stack, 0)
        self.lists.show()
