"""The admin screen (`kiosk run admin`): devices and tokens, staff, calendar overrides,
catalogue import, backup, print test, and the office settings (kiosk/ui/admin/office_page.py).

It talks to the hub with the admin device's token and, after the login page, an admin staff
member's session (a 401 at any time brings the login back, the tabs as they were; see
login_page.py); every hub call runs on the window's `Tasks` thread. Changes go to the hub,
which every screen reads, so they take effect without restarting anything (the due dates read
the override table on each computation).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.errors import KioskError
from kiosk.ui.admin.backups import BackupsBox
from kiosk.ui.admin.login_page import AdminLoginPage, SessionGuard, call_quietly
from kiosk.ui.counter.reception import action_button, panel, small_label
from kiosk.ui.counter.style import STYLE
from kiosk.ui.tasks import Tasks
from kiosk.ui.theme import BAD, INK_SOFT

log = logging.getLogger(__name__)

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
OVERRIDE_KINDS = (
    ("holiday", "Nghỉ lễ (thêm)"),
    ("day_off", "Nghỉ bù"),
    ("workday", "Làm bù (ngày làm việc)"),
)
TABS = ("Thiết bị", "Cán bộ", "Lịch làm việc", "Danh mục thủ tục", "Sao lưu và in thử", "Văn phòng")
TABS += ("Máy in",)  # kiosk/ui/admin/printers_page.py


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


class CalendarPage(Page):
    def __init__(self, client: Any, tasks: Tasks, year: int) -> None:
        super().__init__(
            client,
            tasks,
            "Lịch làm việc: ngày điều chỉnh",
            "Ngày lễ, Tết theo quy định đã có sẵn. Ở đây thêm ngày nghỉ lễ mới, ngày nghỉ bù, "
            "hoặc ngày làm bù (vd thứ Bảy). Ngày hẹn trả tính lại ngay, không cần khởi động lại.",
        )
        self.rows: list[dict[str, Any]] = []
        top = QHBoxLayout()
        top.addWidget(small_label("Năm", "body", wrap=False))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        top.addWidget(self.year)
        top.addStretch(1)
        self.box.addLayout(top)
        self.list = table(("Ngày", "Thứ", "Loại", "Lý do"))
        self.box.addWidget(self.list, 1)
        form = QHBoxLayout()
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setDate(QDate(year, 1, 1))
        self.kind = combo(OVERRIDE_KINDS)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("vd: Nghỉ bù Quốc khánh 2/9")
        form.addLayout(field("Ngày", self.day), 2)
        form.addLayout(field("Loại", self.kind), 2)
        form.addLayout(field("Lý do", self.reason), 4)
        form.addWidget(action_button("Lưu ngày này", self.save), 0, Qt.AlignmentFlag.AlignBottom)
        self.delete_button = action_button("Xóa ngày đã chọn", self.delete, "secondary")
        form.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.box.addLayout(form)
        self.problem = small_label("", "hint-bad")
        self.box.addWidget(self.problem)
        self.year.valueChanged.connect(lambda _value: self.refresh())

    def refresh(self) -> None:
        year = self.year.value()
        self.call(lambda: self.client.calendar_overrides(year), self.show_overrides)

    def show_overrides(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        weekdays = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
        lines = []
        for row in rows:
            day = date.fromisoformat(str(row["day"]))
            lines.append(
                [
                    f"{day:%d/%m/%Y}",
                    weekdays[day.weekday()],
                    label_of(OVERRIDE_KINDS, row["kind"]),
                    str(row.get("reason", "")),
                ]
            )
        fill(self.list, lines)

    def save(self) -> None:
        day = self.day.date().toPython()
        assert isinstance(day, date)
        kind, reason = str(self.kind.currentData()), self.reason.text().strip()
        self.problem.clear()

        def done(_: object) -> None:
            self.reason.clear()
            self.message.emit(
                f"Đã lưu ngày {day:%d/%m/%Y}: {label_of(OVERRIDE_KINDS, kind)}.", "ok"
            )
            if day.year != self.year.value():
                self.year.setValue(day.year)  # refreshes
            else:
                self.refresh()

        self.call(lambda: self.client.set_calendar_override(day.isoformat(), kind, reason), done)

    def delete(self) -> None:
        index = self.list.currentRow()
        if not 0 <= index < len(self.rows):
            self.problem.setText("Chọn một ngày trong danh sách trước.")
            return
        day = str(self.rows[index]["day"])
        self.problem.clear()

        def done(_: object) -> None:
            self.message.emit(f"Đã xóa điều chỉnh ngày {date.fromisoformat(day):%d/%m/%Y}.", "ok")
            self.refresh()

        self.call(lambda: self.client.delete_calendar_override(day), done)


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


class AdminWindow(QWidget):
    """The admin screen: the login first, then the tabs. `message_shown`, `logged_in` and
    `tasks.idle` let tests wait."""

    message_shown = Signal(str, str)
    logged_in = Signal()

    def __init__(
        self,
        client: Any,
        *,
        office_name: str = "",
        year: int | None = None,
        print_test: Callable[[str, str], Any] = local_print_test,
        print_kinds: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("console")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle("Quản trị — Một Cửa")
        self.client = client
        self.tasks = Tasks("admin", self)
        # The pages see the client through the guard: a 401 anywhere brings the login back.
        self.guard = SessionGuard(client)
        client = self.guard
        self.login_page = AdminLoginPage(office_name)
        self.login_page.submitted.connect(self.login)
        self.login_page.first_admin.connect(self.create_first_admin)

        bar = QFrame()
        bar.setObjectName("bar")
        bar_box = QHBoxLayout(bar)
        bar_box.setContentsMargins(16, 6, 16, 6)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(small_label(office_name or "Bộ phận Một cửa", "office", wrap=False))
        names.addWidget(small_label("Quản trị hệ thống", "hint", wrap=False))
        bar_box.addLayout(names)
        bar_box.addStretch(1)
        who = QVBoxLayout()
        who.setSpacing(0)
        who.addWidget(
            small_label("QUẢN TRỊ", "counter", wrap=False), 0, Qt.AlignmentFlag.AlignRight
        )
        self.staff_name = small_label("", "staff", wrap=False)
        who.addWidget(self.staff_name, 0, Qt.AlignmentFlag.AlignRight)
        bar_box.addLayout(who)
        self.logout_button = action_button("Đăng xuất", self.logout, "secondary")
        bar_box.addWidget(self.logout_button)

        tabs = QHBoxLayout()
        tabs.setContentsMargins(12, 4, 12, 0)
        tabs.setSpacing(0)
        self.tab_buttons: list[QPushButton] = []
        for index, text in enumerate(TABS):
            button = action_button(text, lambda i=index: self.show_tab(i), "tab")
            button.setCheckable(True)
            tabs.addWidget(button)
            self.tab_buttons.append(button)
        tabs.addStretch(1)

        self.devices = DevicesPage(client, self.tasks)
        self.staff = StaffPage(client, self.tasks)
        self.calendar = CalendarPage(client, self.tasks, year or date.today().year)
        self.catalogue = CataloguePage(client, self.tasks)
        self.maintenance = MaintenancePage(client, self.tasks, print_test)
        self.maintenance.set_kinds(print_kinds if print_kinds is not None else local_print_kinds())
        from kiosk.ui.admin.office_page import OfficePage  # it builds on Page, above

        self.office = OfficePage(client, self.tasks)
        self.page_list: list[Page] = [
            self.devices,
            self.staff,
            self.calendar,
            self.catalogue,
            self.maintenance,
            self.office,
        ]
        from kiosk.ui.admin.printers_page import PrintersPage  # imports this module

        self.printers = PrintersPage(client, self.tasks)
        self.page_list.append(self.printers)
        self.pages = QStackedWidget()
        for page in self.page_list:
            page.message.connect(self.show_message)
            self.pages.addWidget(page)

        self.message = small_label("", "message-ok")
        self.message.setVisible(False)

        self.maintenance.backups.restored.connect(self._restored)

        self.main = QWidget()
        inner = QVBoxLayout(self.main)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(0)
        inner.addWidget(bar)
        inner.addLayout(tabs)
        body = QVBoxLayout()
        body.setContentsMargins(12, 6, 12, 10)
        body.setSpacing(6)
        body.addWidget(self.pages, 1)
        body.addWidget(self.message)
        inner.addLayout(body, 1)
        self.screens = QStackedWidget()
        self.screens.addWidget(self.login_page)
        self.screens.addWidget(self.main)
        outer = QVBoxLayout(self)
        # The window's size is the screen's: a minimum pushed from the layout would change with
        # every message and make some platforms warn at each change (as in the counter console).
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.screens, 1)
        # Set last, as in the counter console: re-polishes every child with the compact sizes.
        self.setStyleSheet(STYLE)
        for child_layout in self.findChildren(QLayout):
            child_layout.invalidate()
        self.tasks.idle.connect(self._check_session)
        self.screens.setCurrentWidget(self.login_page)
        if getattr(self.client, "staff_session", ""):
            # Handed a logged-in client (the demo, tests): carry on as that staff member.
            self.tasks.run(self.client.session_info, self._logged_in, lambda _: self.show_login())
        else:
            self.show_login()

    # --- login --------------------------------------------------------------------------------

    @property
    def is_logged_in(self) -> bool:
        return self.screens.currentWidget() is self.main

    def show_login(self, notice: str = "") -> None:
        """The login page, saying why (session ended, logged out…); the tabs keep their state."""
        self.screens.setCurrentWidget(self.login_page)
        self.login_page.show_notice(notice)
        self.login_page.reset()
        self.tasks.run(
            self.client.first_admin_needed,
            self.login_page.set_creating,
            lambda error: self.login_page.show_problem(error.message),
        )

    def login(self, username: str, secret: str) -> None:
        self.tasks.run(
            lambda: self.client.login(username, secret), self._logged_in, self._login_refused
        )

    def create_first_admin(self, username: str, full_name: str, secret: str) -> None:
        self.tasks.run(
            lambda: self.client.create_first_admin(username, full_name, secret),
            self._logged_in,
            self._login_refused,
        )

    def _login_refused(self, error: KioskError) -> None:
        self.login_page.show_problem(error.message)
        self.login_page.secret.clear()
        self.login_page.again.clear()

    def _logged_in(self, answer: dict[str, Any]) -> None:
        staff = answer["staff"]
        if staff.get("role") != "admin":
            # The hub refuses such a session anyway: end it now and say why.
            def ended(_: object) -> None:
                self.client.staff_session = ""

            self.tasks.run(call_quietly(self.client.logout), ended)
            self.login_page.show_problem(
                f"Tài khoản '{staff['username']}' không có quyền quản trị. Hãy đăng nhập bằng "
                "tài khoản quản trị."
            )
            self.login_page.secret.clear()
            return
        self.guard.take_ended()
        self.staff_name.setText(f"{staff['full_name']} ({staff['username']})")
        self.login_page.show_notice("")
        self.login_page.problem.clear()
        self.login_page.secret.clear()
        self.login_page.again.clear()
        self.screens.setCurrentWidget(self.main)
        self.show_tab(self.pages.currentIndex())  # where the admin was, as it was
        self.logged_in.emit()

    def logout(self) -> None:
        def done(_: object) -> None:
            self.client.staff_session = ""
            self.show_login("Đã đăng xuất.")

        self.tasks.run(call_quietly(self.client.logout), done)

    def _check_session(self) -> None:
        """After each hub call: a call refused for want of a session brings the login back."""
        reason = self.guard.take_ended()
        if reason and self.is_logged_in:
            self.client.staff_session = ""
            self.show_login(reason + " Những gì đang nhập vẫn được giữ.")

    def _restored(self, answer: object) -> None:
        assert isinstance(answer, dict)
        if not answer.get("session_valid", True):
            self.show_login(
                "Đã khôi phục bản sao lưu. Bản sao lưu có từ trước lần đăng nhập này, nên cần "
                "đăng nhập lại."
            )

    def show_tab(self, index: int) -> None:
        for i, button in enumerate(self.tab_buttons):
            button.setChecked(i == index)
        self.pages.setCurrentIndex(index)
        self.message.setVisible(False)  # a message belongs to the tab it came from
        self.page_list[index].refresh()

    def show_message(self, text: str, kind: str = "ok") -> None:
        self.message.setProperty("role", f"message-{kind}")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message_shown.emit(text, kind)

    def shutdown(self) -> None:
        self.tasks.stop()

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)
