"""The "Thiết bị" tab: register a device (its token shown once, to copy), list, revoke."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
)

from kiosk.ui.admin.common import (
    DEVICE_ROLES,
    Page,
    combo,
    field,
    fill,
    label_of,
    short_time,
    table,
)
from kiosk.ui.counter.reception import action_button, panel, small_label
from kiosk.ui.tasks import Tasks


class DevicesPage(Page):
    def __init__(self, client: Any, tasks: Tasks) -> None:
        super().__init__(
            client,
            tasks,
            "Thiết bị và mã truy cập",
            "Mỗi máy (máy lấy số, máy quầy, bảng hiển thị, màn hình đánh giá) dùng một mã truy "
            "cập riêng. Mã chỉ hiện một lần khi đăng ký; thu hồi khi máy hỏng hoặc bị mất.",
        )
        self.rows: list[dict[str, Any]] = []
        self.list = table(("Số", "Tên thiết bị", "Loại", "Quầy", "Trạng thái", "Đăng ký lúc"))
        self.box.addWidget(self.list, 1)
        form = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText("vd: Máy quầy 3")
        self.role = combo(DEVICE_ROLES)
        self.counter = QSpinBox()
        self.counter.setRange(0, 999)
        self.counter.setSpecialValueText("—")
        self.counter.setValue(1)
        self.counter.setMinimumWidth(100)
        form.addLayout(field("Tên thiết bị", self.name), 3)
        form.addLayout(field("Loại", self.role), 2)
        form.addLayout(field("Quầy (máy quầy, đánh giá)", self.counter), 1)
        self.add_button = action_button("Đăng ký thiết bị", self.register)
        form.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.revoke_button = action_button("Thu hồi thiết bị đã chọn", self.revoke, "danger")
        form.addWidget(self.revoke_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.box.addLayout(form)
        self.problem = small_label("", "hint-bad")
        self.box.addWidget(self.problem)
        self.token_box = panel("serving")
        token_row = QHBoxLayout(self.token_box)
        token_row.setContentsMargins(12, 8, 12, 8)
        self.token_title = small_label("", "section", wrap=False)
        token_row.addWidget(self.token_title)
        self.token = QLineEdit()
        self.token.setReadOnly(True)
        token_row.addWidget(self.token, 1)
        token_row.addWidget(action_button("Sao chép", self.copy_token, "secondary"))
        self.token_box.setVisible(False)
        self.box.addWidget(self.token_box)
        self._confirm_revoke: int | None = None
        self.role.currentIndexChanged.connect(self._role_changed)
        self.list.itemSelectionChanged.connect(self._reset_revoke)

    def _role_changed(self) -> None:
        needs_counter = self.role.currentData() in ("counter", "rating")
        self.counter.setEnabled(needs_counter)
        if needs_counter and self.counter.value() == 0:
            self.counter.setValue(1)

    def refresh(self) -> None:
        self.call(self.client.devices, self.show_devices)

    def show_devices(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        fill(
            self.list,
            [
                [
                    str(row["id"]),
                    str(row["name"]),
                    label_of(DEVICE_ROLES, row["role"]),
                    "" if row.get("counter_number") is None else str(row["counter_number"]),
                    "Đã thu hồi" if row.get("revoked_at") else "Đang dùng",
                    short_time(row.get("created_at")),
                ]
                for row in rows
            ],
        )
        self._reset_revoke()

    def register(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.problem.setText("Nhập tên thiết bị (vd: Máy quầy 3).")
            return
        role = str(self.role.currentData())
        counter = self.counter.value() if role in ("counter", "rating") else None
        if role in ("counter", "rating") and not counter:
            self.problem.setText("Máy quầy và màn hình đánh giá cần số quầy.")
            return
        self.problem.clear()
        self.call(lambda: self.client.add_device(name, role, counter), self.registered)

    def registered(self, device: dict[str, Any]) -> None:
        self.name.clear()
        self.token_title.setText(f"Mã truy cập của '{device['name']}' (chỉ hiện một lần):")
        self.token.setText(str(device["token"]))
        self.token_box.setVisible(True)
        self.message.emit(f"Đã đăng ký thiết bị #{device['id']} '{device['name']}'.", "ok")
        self.refresh()

    def copy_token(self) -> None:
        QGuiApplication.clipboard().setText(self.token.text())
        self.message.emit("Đã sao chép mã truy cập.", "ok")

    def selected(self) -> dict[str, Any] | None:
        index = self.list.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _reset_revoke(self) -> None:
        self._confirm_revoke = None
        self.revoke_button.setText("Thu hồi thiết bị đã chọn")

    def revoke(self) -> None:
        row = self.selected()
        if row is None:
            self.problem.setText("Chọn một thiết bị trong danh sách trước.")
            return
        if row.get("revoked_at"):
            self.problem.setText(f"Thiết bị #{row['id']} đã bị thu hồi rồi.")
            return
        device_id = int(row["id"])
        if self._confirm_revoke != device_id:
            # A second press confirms: a revoked screen stops at once, so no slip of the mouse.
            self._confirm_revoke = device_id
            self.revoke_button.setText(f"Bấm lần nữa để thu hồi #{device_id}")
            return
        self.problem.clear()
        self._reset_revoke()

        def done(_: object) -> None:
            self.message.emit(f"Đã thu hồi thiết bị #{device_id} '{row['name']}'.", "ok")
            self.refresh()

        self.call(lambda: self.client.revoke_device(device_id), done)
