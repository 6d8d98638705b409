"""The maintenance page's backups: the list in the hub's backups/ folder, and restoring one.

A restore replaces everything done since the backup, for every screen of the office: the first
press only selects and shows, in red, what will be lost; the second press (on the same backup)
restores. The hub keeps a safety backup of the data it replaces, listed here too, so a wrong
restore can be undone the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
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
from kiosk.ui.counter.reception import action_button, panel, small_label
from kiosk.ui.tasks import Tasks


def taken_label(text: object) -> str:
    """'2026-09-14T10:15:00+07:00' → '10:15 ngày 14/09/2026'."""
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return str(text)
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def size_label(size: object) -> str:
    value = int(size or 0)
    if value >= 1024 * 1024:
        return f"{value / 1024 / 1024:.1f} MB"
    return f"{max(1, round(value / 1024))} KB"


class BackupsBox(QWidget):
    """List + restore. `restored(result)` after a restore (the window decides what follows)."""

    message = Signal(str, str)
    restored = Signal(object)

    def __init__(self, client: Any, tasks: Tasks) -> None:
        super().__init__()
        self.client = client
        self.tasks = tasks
        self.rows: list[dict[str, Any]] = []
        self._armed: str | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        self.list = QTableWidget(0, 4)
        self.list.setHorizontalHeaderLabels(
            ["Thời điểm sao lưu", "Tên tệp", "Dung lượng", "Tình trạng"]
        )
        self.list.verticalHeader().setVisible(False)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.list.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        box.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.restore_button = action_button("Khôi phục bản đã chọn…", self.restore, "danger")
        row.addWidget(self.restore_button)
        self.cancel_button = action_button("Không khôi phục", self.disarm, "secondary")
        self.cancel_button.setVisible(False)
        row.addWidget(self.cancel_button)
        self.problem = small_label("", "hint-bad")
        row.addWidget(self.problem, 1)
        box.addLayout(row)
        self.warning_box = panel("panel")
        self.warning_box.setObjectName("restore-warning")
        self.warning_box.setStyleSheet(
            "QFrame#restore-warning { background: #FDECEC; border: 2px solid #C62828; "
            "border-radius: 10px; }"
        )
        warning_layout = QVBoxLayout(self.warning_box)
        warning_layout.setContentsMargins(14, 10, 14, 10)
        self.warning = small_label("", "hint-bad")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        warning_layout.addWidget(self.warning)
        self.warning_box.setVisible(False)
        box.addWidget(self.warning_box)
        self.result = small_label("", "body")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.result)
        self.list.itemSelectionChanged.connect(self.disarm)

    def refresh(self) -> None:
        self.tasks.run(self.client.backups, self.show_backups, self._failed)

    def show_backups(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.list.setRowCount(len(rows))
        for r, backup in enumerate(rows):
            if not backup.get("verified"):
                state = "Không dùng được: " + str(backup.get("problem") or "tệp hỏng")
            elif backup.get("safety"):
                state = "Bản an toàn (trước một lần khôi phục)"
            else:
                state = "Đã kiểm tra, dùng được"
            cells = [
                taken_label(backup.get("taken_at")),
                str(backup["name"]),
                size_label(backup.get("bytes")),
                state,
            ]
            for c, text in enumerate(cells):
                self.list.setItem(r, c, QTableWidgetItem(text))
        if not rows:
            self.result.setText("Chưa có bản sao lưu nào: bấm “Sao lưu ngay”.")
        self.disarm()

    def selected(self) -> dict[str, Any] | None:
        index = self.list.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def disarm(self) -> None:
        self._armed = None
        self.restore_button.setText("Khôi phục bản đã chọn…")
        self.warning_box.setVisible(False)
        self.cancel_button.setVisible(False)

    def restore(self) -> None:
        backup = self.selected()
        if backup is None:
            self.problem.setText("Chọn một bản sao lưu trong danh sách trước.")
            return
        if not backup.get("verified"):
            self.problem.setText("Bản sao lưu này không dùng được (tệp hỏng hoặc không đúng).")
            return
        self.problem.clear()
        name = str(backup["name"])
        when = taken_label(backup.get("taken_at"))
        if self._armed != name:
            # First press: say, in red, what will be lost; only a second press restores.
            self._armed = name
            self.warning.setText(
                f"Khôi phục bản sao lưu lúc {when} sẽ thay TOÀN BỘ dữ liệu hiện tại của văn "
                f"phòng. Mọi việc làm sau {when} sẽ mất khỏi hệ thống: số thứ tự đã cấp, hồ sơ "
                "đã tiếp nhận, cán bộ, thiết bị và cài đặt thêm sau đó. Mọi màn hình sẽ tải lại "
                "từ đầu. Dữ liệu hiện tại được sao lưu an toàn trước (có trong danh sách này).\n"
                "Bấm nút đỏ một lần nữa để khôi phục, hoặc “Không khôi phục”."
            )
            self.warning_box.setVisible(True)
            self.cancel_button.setVisible(True)
            self.restore_button.setText(f"Bấm lần nữa: khôi phục bản {when}")
            return
        self.disarm()
        self.result.setText(f"Đang khôi phục bản sao lưu lúc {when}…")
        self.restore_button.setEnabled(False)

        def done(answer: dict[str, Any]) -> None:
            self.restore_button.setEnabled(True)
            self.result.setText(
                f"Đã khôi phục bản sao lưu lúc {when}. Dữ liệu trước khi khôi phục được lưu "
                f"trong {answer['safety_backup']}."
            )
            self.message.emit(f"Đã khôi phục bản sao lưu lúc {when}.", "ok")
            self.restored.emit(answer)
            if answer.get("session_valid", True):
                self.refresh()

        def failed(error: KioskError) -> None:
            self.restore_button.setEnabled(True)
            self.result.setText("Chưa khôi phục: " + error.message)
            self.message.emit(error.message, "error")

        self.tasks.run(lambda: self.client.restore(name, name), done, failed)

    def _failed(self, error: KioskError) -> None:
        self.message.emit(error.message, "error")
