"""The failed prints of this counter: what did not reach its printer, with the reason, to print
again ("In lại", on the printer configured now) or to drop ("Bỏ", pressed twice).

Opened from the header's "Bản in lỗi (N)" (or Ctrl+P). The rows live in the counter's own
print-job file (see `prints.py`), so they are still here after a restart.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.errors import KioskError
from kiosk.ui.counter.prints import Printed, PrintItem
from kiosk.ui.counter.reception import action_button, panel, small_label
from kiosk.ui.counter.services import CounterServices
from kiosk.ui.tasks import Tasks

COLUMNS = ("Lúc", "Bản in", "Hồ sơ / số", "Máy in", "Lý do", "Lần thử")


class FailedPrintsPage(QWidget):
    """The list and its two actions; `count_changed(n)` keeps the header's indicator right."""

    message = Signal(str, str)
    count_changed = Signal(int)
    back = Signal()
    loaded = Signal()

    def __init__(self, services: CounterServices, tasks: Tasks) -> None:
        super().__init__()
        self.services = services
        self.tasks = tasks
        self.items: list[PrintItem] = []
        self._discard_armed: int | None = None

        card = panel()
        box = QVBoxLayout(card)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(8)
        box.addWidget(small_label("Bản in lỗi", "title"))
        box.addWidget(
            small_label(
                "Những bản in chưa tới máy in. Hồ sơ đã được lưu; bản in được giữ nguyên ở máy "
                "này cho tới khi in lại thành công hoặc bỏ đi. Sửa máy in (bật máy, nạp giấy, "
                "kiểm tra cáp) rồi bấm «In lại».",
                "hint",
            )
        )
        self.caption = small_label("", "section")
        box.addWidget(self.caption)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        header = self.table.horizontalHeader()
        modes = (
            QHeaderView.ResizeMode.ResizeToContents,
            QHeaderView.ResizeMode.ResizeToContents,
            QHeaderView.ResizeMode.ResizeToContents,
            QHeaderView.ResizeMode.ResizeToContents,
            QHeaderView.ResizeMode.Stretch,
            QHeaderView.ResizeMode.ResizeToContents,
        )
        for column, mode in enumerate(modes):
            header.setSectionResizeMode(column, mode)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.cellActivated.connect(lambda _r, _c: self.retry())
        self.table.itemSelectionChanged.connect(self._disarm)
        box.addWidget(self.table, 1)
        self.problem = small_label("", "hint-bad")
        box.addWidget(self.problem)
        buttons = QHBoxLayout()
        self.retry_button = action_button("In lại  [Enter]", self.retry, "good")
        self.discard_button = action_button("Bỏ bản in này  [Del]", self.discard, "secondary")
        self.back_button = action_button("Quay lại  [Esc]", self.back.emit, "secondary")
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        box.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(card)
        for sequence, slot in (("Delete", self.discard), ("Escape", self.back.emit)):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._show([])

    # --- data -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.tasks.run(self.services.failed_prints, self._show, self._failed)

    def _failed(self, error: KioskError) -> None:
        self.message.emit(error.message, "error")
        self.loaded.emit()

    def _show(self, items: list[PrintItem]) -> None:
        selected = self.selected()
        self.items = list(items)
        self._disarm()
        self.caption.setText(
            f"{len(items)} bản in chưa in được" if items else "Không có bản in nào bị lỗi."
        )
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            values = (
                f"{item.created_at:%H:%M %d/%m}",
                item.title,
                item.subject,
                item.printer,
                item.reason or "Chưa gửi xong (máy tắt giữa chừng?)",
                str(item.attempts),
            )
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        keep = next((i for i, item in enumerate(items) if selected and item.id == selected.id), 0)
        if items:
            self.table.selectRow(keep)
        self.retry_button.setEnabled(bool(items))
        self.discard_button.setEnabled(bool(items))
        self.count_changed.emit(len(items))
        self.loaded.emit()

    def selected(self) -> PrintItem | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        index = rows[0].row()
        return self.items[index] if 0 <= index < len(self.items) else None

    # --- actions --------------------------------------------------------------------------------

    def retry(self) -> None:
        item = self.selected()
        if item is None:
            return
        self.retry_button.setEnabled(False)

        def done(answer: tuple[Printed, int]) -> None:
            printed, _left = answer
            if printed.ok:
                self.message.emit(f"Đã in lại: {item.title} {item.subject}.", "ok")
            else:
                self.message.emit(
                    f"Vẫn chưa in được {item.title} {item.subject}: {printed.item.reason}", "error"
                )
            self.refresh()

        def failed(error: KioskError) -> None:
            self.retry_button.setEnabled(True)
            self._failed(error)

        self.tasks.run(lambda: self.services.retry_print(item.id), done, failed)

    def discard(self) -> None:
        item = self.selected()
        if item is None:
            return
        if self._discard_armed != item.id:
            # Dropping loses the kept bytes for good: a second press says the clerk means it.
            self._discard_armed = item.id
            self.discard_button.setText("Bấm lần nữa để bỏ  [Del]")
            self.discard_button.setProperty("kind", "danger")
            self._repolish()
            self.problem.setText(
                f"Bỏ «{item.title} {item.subject}»? Bản in sẽ không được giữ nữa. "
                "Bấm «Bỏ» lần nữa để xác nhận."
            )
            return
        self._disarm()

        def done(_left: int) -> None:
            self.message.emit(f"Đã bỏ bản in {item.title} {item.subject}.", "ok")
            self.refresh()

        self.tasks.run(lambda: self.services.discard_print(item.id), done, self._failed)

    def _disarm(self) -> None:
        if self._discard_armed is None and not self.problem.text():
            return
        self._discard_armed = None
        self.discard_button.setText("Bỏ bản in này  [Del]")
        self.discard_button.setProperty("kind", "secondary")
        self._repolish()
        self.problem.clear()

    def _repolish(self) -> None:
        style = self.discard_button.style()
        style.unpolish(self.discard_button)
        style.polish(self.discard_button)

    def focus_list(self) -> None:
        self.table.setFocus()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.retry()
            return
        super().keyPressEvent(event)
