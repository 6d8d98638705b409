"""The admin screen's office tab: the office's name, unit code, notice, server addresses,
service groups and counters, edited and saved to the hub (`PUT /api/admin/office`).

The hub checks a change by the settings file's own rules and answers with every problem at
once; they are listed under the form in plain Vietnamese, and the fields or rows they name are
marked. A saved change reaches every screen at once through the event stream.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.errors import KioskError
from kiosk.ui import theme
from kiosk.ui.admin.common import Page
from kiosk.ui.counter.reception import action_button, small_label
from kiosk.ui.tasks import Tasks

FORM_SETS = (
    ("2018", "Thông tư 01/2018/TT-VPCP"),
    ("2025", "Thông tư 03/2025/TT-VPCP"),
)
#: Names of the settings keys in the hub's problems, as the admin sees them on this page.
KEY_LABELS = {
    "office.name": "Tên cơ quan",
    "office.unit_code": "Mã định danh",
    "queue.notice": "Thông báo trên bảng hiển thị",
    "network.hub_url": "Địa chỉ máy chủ văn phòng",
    "network.district_url": "Địa chỉ máy chủ cấp trên",
    "dossiers.form_set": "Bộ mẫu biểu",
}
ROW_PROBLEM = re.compile(r"^(groups|counters)\[(\d+)\](?:\.(\w+))?\s*:\s*(.*)$", re.DOTALL)
KEY_PROBLEM = re.compile(r"^([a-z_]+\.[a-z_]+)\s*:\s*(.*)$", re.DOTALL)
BAD_ROW = QColor(theme.BAD_SOFT)


def split_list(text: str) -> list[str]:
    """'B, A' → ['B', 'A'] (commas or spaces)."""
    return [part for part in re.split(r"[,\s]+", text.strip()) if part]


#: The settings file's words in the hub's problems, as this page names those things.
FILE_WORDS = (
    ("[[groups]]", "bảng nhóm dịch vụ"),
    ("[[counters]]", "bảng quầy"),
    ("office.fields", "danh sách lĩnh vực của văn phòng"),
)


def friendly(problem: str) -> tuple[str, str, int | None]:
    """A hub problem as (where, text for the admin, table row or None): where is a settings key
    ('office.unit_code') or 'groups' / 'counters'."""
    for word, plain in FILE_WORDS:
        problem = problem.replace(word, plain)
    row = ROW_PROBLEM.match(problem)
    if row:
        table, index, _key, reason = row.groups()
        title = "Nhóm dịch vụ" if table == "groups" else "Quầy"
        return table, f"{title}, dòng {index}: {reason}", int(index) - 1
    key = KEY_PROBLEM.match(problem)
    if key and key.group(1) in KEY_LABELS:
        return key.group(1), f"{KEY_LABELS[key.group(1)]}: {key.group(2)}", None
    return "", problem, None


def editable_table(headers: tuple[str, ...]) -> QTableWidget:
    widget = QTableWidget(0, len(headers))
    widget.setHorizontalHeaderLabels(list(headers))
    widget.verticalHeader().setVisible(False)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
        | QAbstractItemView.EditTrigger.SelectedClicked
    )
    header = widget.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return widget


def labelled(title: str, widget: QWidget, hint: str = "") -> QVBoxLayout:
    box = QVBoxLayout()
    box.setSpacing(2)
    box.addWidget(small_label(title, "hint", wrap=False))
    box.addWidget(widget)
    if hint:
        box.addWidget(small_label(hint, "hint"))
    return box


class OfficePage(Page):
    """Edit the office's settings; Save sends the whole form (the hub keeps what is the same)."""

    def __init__(self, client: Any, tasks: Tasks) -> None:
        super().__init__(
            client,
            tasks,
            "Văn phòng",
            "Sửa rồi bấm Lưu: máy lấy số, bảng hiển thị và các quầy cập nhật ngay, không cần "
            "khởi động lại.",
        )
        self.problem_list: list[str] = []
        self.box.addLayout(self._build_settings())
        self.box.addLayout(self._build_tables(), 1)
        self._add_footer()

    # --- building the page ------------------------------------------------------------------

    def _build_settings(self) -> QGridLayout:
        """The office's name, unit code, notice, addresses and form set."""
        self.office_name = QLineEdit()
        self.unit_code = QLineEdit()
        self.unit_code.setPlaceholderText("000.00.21.H12")
        self.notice = QLineEdit()
        self.hub_url = QLineEdit()
        self.hub_url.setPlaceholderText("http://192.168.1.10:8765")
        self.district_url = QLineEdit()
        self.district_url.setPlaceholderText("Để trống nếu chưa đồng bộ")
        self.form_set = QComboBox()
        for value, text in FORM_SETS:
            self.form_set.addItem(text, value)
        self.inputs: dict[str, QLineEdit] = {
            "office.name": self.office_name,
            "office.unit_code": self.unit_code,
            "queue.notice": self.notice,
            "network.hub_url": self.hub_url,
            "network.district_url": self.district_url,
        }
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        grid.addLayout(labelled("Tên cơ quan", self.office_name), 0, 0, 1, 2)
        # The format hint is in the label: a line under the field would push its row apart.
        self.unit_code.setToolTip(
            "Dạng 000.00.21.H12 hoặc H15.50.05.13, tối đa 35 ký tự; đứng đầu mỗi mã hồ sơ."
        )
        grid.addLayout(labelled("Mã định danh cơ quan (dạng 000.00.21.H12)", self.unit_code), 0, 2)
        grid.addLayout(labelled("Thông báo chạy trên bảng hiển thị", self.notice), 1, 0, 1, 3)
        grid.addLayout(labelled("Địa chỉ máy chủ văn phòng", self.hub_url), 2, 0)
        grid.addLayout(labelled("Địa chỉ máy chủ cấp trên (đồng bộ)", self.district_url), 2, 1)
        grid.addLayout(labelled("Bộ mẫu biểu", self.form_set), 2, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        return grid

    def _build_tables(self) -> QHBoxLayout:
        """The service groups and the counters, side by side, each with its buttons."""
        tables = QHBoxLayout()
        tables.setSpacing(14)
        self.groups = editable_table(("Ký hiệu", "Tên nhóm dịch vụ", "Mã lĩnh vực"))
        self.counters = editable_table(("Số quầy", "Tên quầy", "Gọi các nhóm (theo thứ tự)"))
        tables.addLayout(
            self._table_box(
                "Nhóm dịch vụ",
                self.groups,
                "Ký hiệu 1–2 chữ in hoa đứng trước số thứ tự; lĩnh vực cách nhau dấu phẩy.",
                ("Thêm nhóm", self.add_group),
                ("Bỏ nhóm đã chọn", lambda: self._remove_row(self.groups)),
            ),
            1,
        )
        tables.addLayout(
            self._table_box(
                "Quầy",
                self.counters,
                "Nhóm theo thứ tự quầy gọi: B, A là gọi nhóm B trước.",
                ("Thêm quầy", self.add_counter),
                ("Bỏ quầy đã chọn", lambda: self._remove_row(self.counters)),
            ),
            1,
        )
        return tables

    def _add_footer(self) -> None:
        """What the hub refused, where the settings are kept, and Reload / Save."""
        self.problems = QLabel("")
        self.problems.setProperty("role", "message-error")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setVisible(False)
        self.box.addWidget(self.problems)
        actions = QHBoxLayout()
        self.place = small_label("", "hint")
        actions.addWidget(self.place, 1)
        actions.addWidget(action_button("Tải lại", self.refresh, "secondary"))
        self.save_button = action_button("Lưu thay đổi", self.save)
        actions.addWidget(self.save_button)
        self.box.addLayout(actions)

    def _table_box(
        self,
        title: str,
        widget: QTableWidget,
        hint: str,
        *buttons: tuple[str, Any],
    ) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(4)
        heading = QHBoxLayout()
        heading.addWidget(small_label(title, "section", wrap=False))
        heading.addSpacing(8)
        heading.addWidget(small_label(hint, "hint"), 1)
        box.addLayout(heading)
        widget.setMinimumHeight(150)
        box.addWidget(widget, 1)
        row = QHBoxLayout()
        for text, slot in buttons:
            row.addWidget(action_button(text, slot, "secondary"))
        row.addStretch(1)
        box.addLayout(row)
        return box

    # --- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.call(self.client.office_summary, self.show_office)

    def show_office(self, office: dict[str, Any]) -> None:
        self.office_name.setText(str(office.get("office_name", "")))
        self.unit_code.setText(str(office.get("unit_code", "")))
        self.notice.setText(str(office.get("notice", "")))
        self.notice.setCursorPosition(0)
        self.hub_url.setText(str(office.get("hub_url", "")))
        self.district_url.setText(str(office.get("district_url", "")))
        index = self.form_set.findData(str(office.get("form_set", "2018")))
        self.form_set.setCurrentIndex(max(index, 0))
        self.groups.setRowCount(0)
        for group in office.get("groups", []):
            self.add_group(group["prefix"], group["name"], ", ".join(group.get("fields", [])))
        self.counters.setRowCount(0)
        for counter in office.get("counters", []):
            self.add_counter(
                str(counter["number"]), counter["name"], ", ".join(counter.get("groups", []))
            )
        where = office.get("settings_file")
        self.place.setText(f"Lưu trong tệp {where} của máy chủ văn phòng." if where else "")
        self.show_problems([])

    def add_group(self, prefix: str = "", name: str = "", fields: str = "") -> None:
        self._add_row(self.groups, (prefix, name, fields))

    def add_counter(self, number: str = "", name: str = "", groups: str = "") -> None:
        if not number:
            taken = [int(n) for n in self._column(self.counters, 0) if n.isdigit()]
            number = str(max(taken, default=0) + 1)
            name = name or f"Quầy {number}"
            groups = groups or ", ".join(self._column(self.groups, 0))
        self._add_row(self.counters, (number, name, groups))

    def _add_row(self, widget: QTableWidget, values: tuple[str, ...]) -> None:
        row = widget.rowCount()
        widget.insertRow(row)
        for column, text in enumerate(values):
            widget.setItem(row, column, QTableWidgetItem(text))

    def _remove_row(self, widget: QTableWidget) -> None:
        row = widget.currentRow()
        if row < 0:
            self.message.emit("Chọn một dòng trong bảng trước.", "warn")
            return
        widget.removeRow(row)

    @staticmethod
    def _cell(widget: QTableWidget, row: int, column: int) -> str:
        item = widget.item(row, column)
        return item.text().strip() if item is not None else ""

    def _column(self, widget: QTableWidget, column: int) -> list[str]:
        return [self._cell(widget, r, column) for r in range(widget.rowCount())]

    # --- saving -------------------------------------------------------------------------------

    def changes(self) -> tuple[dict[str, Any], list[str]]:
        """The whole form as the hub's change, and the problems only this screen can see (a
        counter number that is not a number)."""
        local: list[str] = []
        groups = [
            {
                "prefix": self._cell(self.groups, r, 0).upper(),
                "name": self._cell(self.groups, r, 1),
                "fields": split_list(self._cell(self.groups, r, 2)),
            }
            for r in range(self.groups.rowCount())
        ]
        counters = []
        for r in range(self.counters.rowCount()):
            number = self._cell(self.counters, r, 0)
            if not number.isdigit() or int(number) < 1:
                local.append(f"counters[{r + 1}].number: số quầy phải là số nguyên dương")
                continue
            counters.append(
                {
                    "number": int(number),
                    "name": self._cell(self.counters, r, 1),
                    "groups": [g.upper() for g in split_list(self._cell(self.counters, r, 2))],
                }
            )
        body = {
            "office_name": self.office_name.text(),
            "unit_code": self.unit_code.text(),
            "notice": self.notice.text(),
            "hub_url": self.hub_url.text(),
            "district_url": self.district_url.text(),
            "form_set": str(self.form_set.currentData()),
            "groups": groups,
            "counters": counters,
        }
        return body, local

    def save(self) -> None:
        body, local = self.changes()
        if local:
            self.show_problems(local)
            self.message.emit("Chưa lưu: số quầy phải là số nguyên dương.", "error")
            return
        self.save_button.setEnabled(False)

        def done(answer: dict[str, Any]) -> None:
            self.save_button.setEnabled(True)
            self.show_office(answer["office"])
            self.message.emit(str(answer.get("message") or "Đã lưu."), "ok")

        def failed(error: KioskError) -> None:
            self.save_button.setEnabled(True)
            found = error.details.get("problems")
            self.show_problems([str(p) for p in found] if isinstance(found, list) else [])
            self.message.emit(error.message, "error")

        self.tasks.run(lambda: self.client.update_office(body), done, failed)

    def show_problems(self, problems: list[str]) -> None:
        """List every problem under the form and mark the fields and rows they name."""
        self.problem_list = [friendly(p)[1] for p in problems]
        for edit in self.inputs.values():
            edit.setProperty("state", "")
        bad_rows: dict[str, set[int]] = {"groups": set(), "counters": set()}
        for problem in problems:
            where, _text, row = friendly(problem)
            if where in self.inputs:
                self.inputs[where].setProperty("state", "bad")
            elif where in bad_rows and row is not None:
                bad_rows[where].add(row)
        for edit in self.inputs.values():
            edit.style().unpolish(edit)
            edit.style().polish(edit)
        for where, widget in (("groups", self.groups), ("counters", self.counters)):
            for r in range(widget.rowCount()):
                for c in range(widget.columnCount()):
                    item = widget.item(r, c)
                    if item is not None:
                        item.setBackground(QBrush(BAD_ROW) if r in bad_rows[where] else QBrush())
        self.problems.setText("\n".join(f"• {p}" for p in self.problem_list))
        self.problems.setVisible(bool(self.problem_list))
