"""The "Cán bộ" tab: staff accounts and their state; edit name and role, mark as left or back,
reset the password/PIN, unlock; add an account."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.errors import KioskError
from kiosk.ui.admin.common import (
    STAFF_ROLES,
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
from kiosk.ui.theme import BAD, INK_SOFT


def check_secret(secret: str) -> str:
    """What is wrong with a new password or PIN, as the hub would say it ("" when fine)."""
    if secret.isdigit() and len(secret) < 4:
        return "Mã PIN phải có ít nhất 4 chữ số."
    if not secret.isdigit() and len(secret) < 8:
        return "Mật khẩu phải có ít nhất 8 ký tự (hoặc dùng mã PIN 4 chữ số)."
    return ""


def staff_state(row: dict[str, Any]) -> str:
    """'Đang làm việc', 'Đã nghỉ' or 'Đang bị khóa đến HH:MM' (the hub says if a lock holds)."""
    if not row.get("active", True):
        return "Đã nghỉ"
    locked_until = str(row.get("locked_until") or "")
    if locked_until and row.get("locked", True):
        return f"Đang bị khóa đến {locked_until[11:16]}"
    return "Đang làm việc"


class StaffPage(Page):
    """The staff list, an edit panel for the selected account and the form to add one."""

    def __init__(self, client: Any, tasks: Tasks) -> None:
        super().__init__(
            client,
            tasks,
            "Tài khoản cán bộ",
            "Cán bộ đăng nhập ở máy quầy bằng mật khẩu (ít nhất 8 ký tự) hoặc mã PIN "
            "(ít nhất 4 chữ số). Chọn một người trong danh sách để sửa, đặt lại mật khẩu/PIN, "
            "cho nghỉ hoặc mở khóa.",
        )
        self.rows: list[dict[str, Any]] = []
        self.editing: dict[str, Any] | None = None
        self.list = table(("Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái", "Tạo lúc"))
        middle = QHBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(self.list, 1)
        middle.addWidget(self._edit_panel())
        self.box.addLayout(middle, 1)
        form = QHBoxLayout()
        self.username = QLineEdit()
        self.username.setPlaceholderText("vd: lan.tt")
        self.full_name = QLineEdit()
        self.full_name.setPlaceholderText("vd: Trần Thị Lan")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = combo(STAFF_ROLES)
        form.addLayout(field("Tên đăng nhập", self.username), 2)
        form.addLayout(field("Họ và tên", self.full_name), 3)
        form.addLayout(field("Mật khẩu hoặc mã PIN", self.secret), 2)
        form.addLayout(field("Vai trò", self.role), 2)
        self.add_button = action_button("Thêm cán bộ", self.add)
        form.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.box.addLayout(form)
        self.problem = small_label("", "hint-bad")
        self.box.addWidget(self.problem)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self._show_editing(None)

    def _edit_panel(self) -> QFrame:
        self.edit_box = panel("idle")
        self.edit_box.setFixedWidth(400)
        box = QVBoxLayout(self.edit_box)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(8)
        self.edit_title = small_label("", "section")
        box.addWidget(self.edit_title)
        self.edit_hint = small_label(
            "Chọn một cán bộ trong danh sách để sửa họ tên, vai trò, đặt lại mật khẩu/PIN, "
            "cho nghỉ hoặc mở khóa.",
            "hint",
        )
        box.addWidget(self.edit_hint)
        self.edit_fields = QWidget()
        fields = QVBoxLayout(self.edit_fields)
        fields.setContentsMargins(0, 0, 0, 0)
        fields.setSpacing(8)
        self.edit_name = QLineEdit()
        self.edit_role = combo(STAFF_ROLES)
        self.edit_active = QCheckBox("Đang làm việc (bỏ chọn khi cán bộ đã nghỉ)")
        self.edit_secret = QLineEdit()
        self.edit_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit_secret.setPlaceholderText("Để trống nếu không đổi")
        self.edit_again = QLineEdit()
        self.edit_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit_again.setPlaceholderText("Nhập lại mật khẩu/PIN mới")
        fields.addLayout(field("Họ và tên", self.edit_name))
        fields.addLayout(field("Vai trò", self.edit_role))
        fields.addWidget(self.edit_active)
        fields.addLayout(field("Đặt lại mật khẩu/PIN", self.edit_secret))
        fields.addWidget(self.edit_again)
        self.lock_box = panel("serving")
        lock_row = QHBoxLayout(self.lock_box)
        lock_row.setContentsMargins(10, 6, 10, 6)
        self.lock_label = small_label("", "body")
        lock_row.addWidget(self.lock_label, 1)
        self.unlock_button = action_button("Mở khóa", self.unlock, "secondary")
        lock_row.addWidget(self.unlock_button)
        fields.addWidget(self.lock_box)
        self.edit_problem = small_label("", "hint-bad")
        fields.addWidget(self.edit_problem)
        self.save_button = action_button("Lưu thay đổi", self.save)
        fields.addWidget(self.save_button)
        box.addWidget(self.edit_fields)
        box.addStretch(1)
        return self.edit_box

    def refresh(self) -> None:
        self.call(self.client.staff, self.show_staff)

    def show_staff(self, rows: list[dict[str, Any]]) -> None:
        editing = None if self.editing is None else self.editing.get("id")
        self.rows = rows
        self.list.blockSignals(True)  # refilling is not the admin choosing another row
        fill(
            self.list,
            [
                [
                    str(row["username"]),
                    str(row["full_name"]),
                    label_of(STAFF_ROLES, row["role"]),
                    staff_state(row),
                    short_time(row.get("created_at")),
                ]
                for row in rows
            ],
        )
        for index in range(len(rows)):
            state = self.list.item(index, 3)
            if state.text() == "Đã nghỉ":
                state.setForeground(QColor(INK_SOFT))
            elif state.text() != "Đang làm việc":
                state.setForeground(QColor(BAD))  # locked: the admin may have to act
        again = next((i for i, row in enumerate(rows) if row.get("id") == editing), None)
        if again is None:
            self.list.clearSelection()
        else:
            self.list.selectRow(again)
        self.list.blockSignals(False)
        self._show_editing(None if again is None else rows[again])

    def _selection_changed(self) -> None:
        index = self.list.currentRow()
        chosen = self.list.selectionModel().hasSelection() and 0 <= index < len(self.rows)
        self._show_editing(self.rows[index] if chosen else None)

    def select(self, username: str) -> None:
        """Open the edit panel of `username` (as a click on its row does)."""
        index = [str(row["username"]) for row in self.rows].index(username)
        self.list.selectRow(index)

    def _show_editing(self, row: dict[str, Any] | None) -> None:
        self.editing = row
        self.edit_fields.setVisible(row is not None)
        self.edit_hint.setVisible(row is None)
        self.edit_problem.clear()
        self.edit_secret.clear()
        self.edit_again.clear()
        if row is None:
            self.edit_title.setText("Sửa tài khoản")
            return
        self.edit_title.setText(f"Sửa tài khoản: {row['username']}")
        self.edit_name.setText(str(row["full_name"]))
        self.edit_role.setCurrentIndex(max(0, self.edit_role.findData(row["role"])))
        self.edit_active.setChecked(bool(row.get("active", True)))
        state = staff_state(row)
        locked = state.startswith("Đang bị khóa")
        self.lock_box.setVisible(locked)
        self.lock_label.setText(f"{state} (nhập sai nhiều lần)." if locked else "")

    def changes(self) -> dict[str, Any] | None:
        """What the edit panel changes ({} for nothing), or None after saying what is wrong."""
        row = self.editing
        assert row is not None
        name = self.edit_name.text().strip()
        secret, again = self.edit_secret.text(), self.edit_again.text()
        if not name:
            self.edit_problem.setText("Họ và tên không được để trống.")
            return None
        if secret or again:
            if secret != again:
                self.edit_problem.setText("Hai lần nhập mật khẩu/PIN mới không giống nhau.")
                return None
            problem = check_secret(secret)
            if problem:
                self.edit_problem.setText(problem)
                return None
        changes: dict[str, Any] = {}
        if name != row["full_name"]:
            changes["full_name"] = name
        if self.edit_role.currentData() != row["role"]:
            changes["role"] = str(self.edit_role.currentData())
        if self.edit_active.isChecked() != bool(row.get("active", True)):
            changes["active"] = self.edit_active.isChecked()
        if secret:
            changes["secret"] = secret
        return changes

    def save(self) -> None:
        if self.editing is None:
            return
        changes = self.changes()
        if changes is None:
            return
        if not changes:
            self.edit_problem.setText("Chưa có gì thay đổi.")
            return
        self.edit_problem.clear()
        self._send(int(self.editing["id"]), changes)

    def unlock(self) -> None:
        if self.editing is not None:
            self._send(int(self.editing["id"]), {"unlock": True})

    def _send(self, staff_id: int, changes: dict[str, Any]) -> None:
        def done(answer: dict[str, Any]) -> None:
            said = []
            if "full_name" in changes or "role" in changes:
                said.append("đã sửa thông tin")
            if "secret" in changes:
                said.append("đã đặt lại mật khẩu/PIN")
            if changes.get("active") is False:
                said.append("đã cho nghỉ")
            if changes.get("active") is True:
                said.append("đã cho làm việc lại")
            if changes.get("unlock"):
                said.append("đã mở khóa")
            text = f"Tài khoản {answer['username']}: {', '.join(said)}."
            if answer.get("sessions_ended"):
                text += " Phiên đăng nhập của cán bộ này đã kết thúc; cần đăng nhập lại."
            self.message.emit(text, "ok")
            self.refresh()

        def refused(error: KioskError) -> None:
            self.edit_problem.setText(error.message)

        self.tasks.run(lambda: self.client.update_staff(staff_id, **changes), done, refused)

    def add(self) -> None:
        username, full_name = self.username.text().strip(), self.full_name.text().strip()
        secret, role = self.secret.text(), str(self.role.currentData())
        if not username or not full_name or not secret:
            self.problem.setText("Nhập đủ tên đăng nhập, họ tên và mật khẩu (hoặc mã PIN).")
            return
        problem = check_secret(secret)
        if problem:
            self.problem.setText(problem)
            return
        self.problem.clear()

        def done(staff: dict[str, Any]) -> None:
            for edit in (self.username, self.full_name, self.secret):
                edit.clear()
            self.message.emit(f"Đã thêm cán bộ {staff['full_name']} ({staff['username']}).", "ok")
            self.refresh()

        self.call(lambda: self.client.add_staff(username, full_name, secret, role), done)
