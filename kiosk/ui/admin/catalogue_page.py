"""The "Danh mục thủ tục" tab: import a procedure catalogue file; running screens follow it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
)

from kiosk.domain.errors import KioskError
from kiosk.ui.admin.common import (
    Page,
)
from kiosk.ui.counter.reception import action_button, small_label
from kiosk.ui.tasks import Tasks

log = logging.getLogger(__name__)


class CataloguePage(Page):
    def __init__(self, client: Any, tasks: Tasks) -> None:
        super().__init__(
            client,
            tasks,
            "Nhập danh mục thủ tục",
            "Chọn tệp CSV hoặc JSON (mã hóa UTF-8). Danh mục được thay toàn bộ trong một lần; "
            "nếu tệp có lỗi thì không nhập gì và mọi lỗi được liệt kê theo dòng và cột.",
        )
        row = QHBoxLayout()
        row.addWidget(action_button("Chọn tệp và nhập…", self.pick))
        self.file_label = small_label("Chưa chọn tệp.", "body")
        row.addWidget(self.file_label, 1)
        self.box.addLayout(row)
        self.result = small_label("", "section")
        self.box.addWidget(self.result)
        self.problems = QListWidget()
        self.box.addWidget(self.problems, 1)

    def pick(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Chọn tệp danh mục", "", "Danh mục (*.csv *.json);;Mọi tệp (*)"
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        self.file_label.setText(str(path))
        self.problems.clear()
        self.result.clear()
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            self.message.emit(f"Không đọc được tệp {path}: {exc.strerror}.", "error")
            return
        except UnicodeDecodeError:
            self.message.emit(
                f"Tệp {path.name} không phải văn bản UTF-8. Hãy lưu lại với mã hóa UTF-8.",
                "error",
            )
            return
        fmt = "json" if path.suffix.lower() == ".json" else "csv"

        def done(result: dict[str, Any]) -> None:
            self.result.setText(
                f"Đã nhập {result['procedures']} thủ tục thuộc {result['fields']} lĩnh vực."
            )
            self.message.emit(f"Đã nhập danh mục từ {path.name}.", "ok")

        def failed(error: KioskError) -> None:
            self.result.setText(error.message)
            for problem in error.details.get("problems") or []:
                self.problems.addItem(
                    f"Dòng {problem['line']}, cột {problem['column']}: {problem['message']}"
                )
            self.message.emit(error.message, "error")

        self.tasks.run(lambda: self.client.import_catalogue(text, fmt), done, failed)
