"""The "Lịch làm việc" tab: the calendar overrides (extra holiday, compensatory day off, make-up
working day) that the due dates read on every computation."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
)

from kiosk.domain import formats
from kiosk.ui.admin.common import (
    Page,
    combo,
    field,
    fill,
    label_of,
    table,
)
from kiosk.ui.counter.reception import action_button, small_label
from kiosk.ui.tasks import Tasks

OVERRIDE_KINDS = (
    ("holiday", "Nghỉ lễ (thêm)"),
    ("day_off", "Nghỉ bù"),
    ("workday", "Làm bù (ngày làm việc)"),
)


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
        self.year.setMinimumWidth(120)
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
        lines = []
        for row in rows:
            day = date.fromisoformat(str(row["day"]))
            lines.append(
                [
                    f"{day:%d/%m/%Y}",
                    formats.weekday(day),
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
