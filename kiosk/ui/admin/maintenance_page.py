"""The "Sao lưu và in thử" tab: backup now, the list of backups with restore, and a print test
on a printer attached to this PC."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
)

from kiosk.domain.errors import KioskError
from kiosk.ui.admin.backups import BackupsBox
from kiosk.ui.admin.common import (
    Page,
    field,
)
from kiosk.ui.counter.reception import action_button, small_label
from kiosk.ui.tasks import Tasks


class MaintenancePage(Page):
    def __init__(self, client: Any, tasks: Tasks, print_test: Callable[[str, str], Any]) -> None:
        super().__init__(client, tasks, "Sao lưu và in thử")
        self._print_test = print_test
        self.box.addWidget(small_label("Sao lưu và khôi phục cơ sở dữ liệu", "section"))
        self.box.addWidget(
            small_label(
                "Bản sao được kiểm tra rồi lưu trong thư mục backups/ của máy chủ văn phòng. "
                "Khôi phục ngay tại đây, máy chủ vẫn chạy (dữ liệu hiện tại được sao lưu an "
                "toàn trước).",
                "hint",
            )
        )
        row = QHBoxLayout()
        row.addWidget(action_button("Sao lưu ngay", self.backup))
        self.backup_result = small_label("", "body")
        self.backup_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.backup_result, 1)
        self.box.addLayout(row)
        self.backups = BackupsBox(client, tasks)
        self.backups.message.connect(self.message)
        self.box.addWidget(self.backups, 3)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        self.box.addWidget(line)
        self.box.addWidget(small_label("In thử máy in (của máy này)", "section"))
        self.box.addWidget(
            small_label(
                "Địa chỉ máy in: tcp://192.168.1.50 (máy in nhiệt qua mạng), usb:…, os:Tên máy in, "
                "hoặc png:THƯ_MỤC / pdf:THƯ_MỤC (máy in ảo để kiểm tra).",
                "hint",
            )
        )
        form = QHBoxLayout()
        self.printer = QLineEdit()
        self.printer.setPlaceholderText("tcp://192.168.1.50")
        self.kind = QComboBox()
        form.addLayout(field("Địa chỉ máy in", self.printer), 4)
        form.addLayout(field("Mẫu in thử", self.kind), 2)
        form.addWidget(action_button("In thử", self.test_print), 0, Qt.AlignmentFlag.AlignBottom)
        self.box.addLayout(form)
        self.report = QLabel("")
        self.report.setProperty("role", "body")
        self.report.setWordWrap(True)
        self.box.addWidget(self.report)

    def refresh(self) -> None:
        self.backups.refresh()

    def set_kinds(self, kinds: list[str]) -> None:
        self.kind.clear()
        labels = {"ticket": "Phiếu số thứ tự", "receipt": "Phiếu hẹn ngắn (máy in nhiệt)"}
        for kind in kinds:
            self.kind.addItem(labels.get(kind, f"Mẫu {kind}"), kind)

    def backup(self) -> None:
        self.backup_result.setText("Đang sao lưu…")

        def done(result: dict[str, Any]) -> None:
            size = int(result.get("bytes", 0)) / 1024 / 1024
            self.backup_result.setText(f"Đã sao lưu: {result['path']} ({size:.1f} MB)")
            self.message.emit("Đã sao lưu cơ sở dữ liệu.", "ok")
            self.backups.refresh()

        self.call(self.client.backup, done)

    def test_print(self) -> None:
        uri, kind = self.printer.text().strip(), str(self.kind.currentData() or "")
        if not uri or not kind:
            self.report.setText("Nhập địa chỉ máy in và chọn mẫu in thử.")
            return
        self.report.setText("Đang in thử…")

        def done(report: Any) -> None:
            lines = [("✔ " if report.ok else "✘ ") + report.message]
            if report.status:
                lines.append(f"Trạng thái máy in: {report.status}")
            lines += [f"Lưu ý: {w}" for w in report.warnings]
            self.report.setText("\n".join(lines))
            self.message.emit(report.message, "ok" if report.ok else "error")

        def failed(error: KioskError) -> None:
            self.report.setText("✘ " + error.message)
            self.message.emit(error.message, "error")

        self.tasks.run(lambda: self._print_test(uri, kind), done, failed)


def local_print_test(uri: str, kind: str) -> Any:
    from kiosk.printing.check import print_test

    return print_test(uri, kind)


def local_print_kinds() -> list[str]:
    from kiosk.printing.check import print_test_kinds

    return print_test_kinds()
