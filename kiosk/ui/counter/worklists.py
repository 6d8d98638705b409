"""Work lists, search, and one dossier's page with its timeline and the steps allowed now.

Which steps are offered comes from the domain's state machine (`status_after`), the same rules
the hub enforces, so a button is never shown for a step the hub would refuse.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import Clock, system_clock
from kiosk.domain.errors import KioskError, TransitionError
from kiosk.domain.lifecycle import DossierEvent, DossierStatus, status_after
from kiosk.ui.counter.reception import action_button, panel, small_label
from kiosk.ui.counter.services import CounterServices, PrintResult
from kiosk.ui.tasks import Tasks

LISTS = (
    ("due_today", "Đến hạn hôm nay"),
    ("due_soon", "Sắp đến hạn"),
    ("overdue", "Quá hạn"),
    ("waiting_supplement", "Chờ bổ sung"),
    ("ready_to_return", "Chờ trả kết quả"),
)
STEPS = (
    ("transfer", DossierEvent.TRANSFER, "Chuyển xử lý"),
    ("supplement-request", DossierEvent.REQUEST_SUPPLEMENT, "Yêu cầu bổ sung (mẫu 02)"),
    ("extend", DossierEvent.EXTEND, "Gia hạn (mẫu 04)"),
    ("done", DossierEvent.DONE, "Có kết quả"),
    ("return", DossierEvent.RETURN, "Trả kết quả"),
)


def allowed_steps(status: str) -> list[str]:
    current = DossierStatus(status)
    allowed = []
    for action, event, _text in STEPS:
        try:
            status_after(current, event)
        except TransitionError:
            continue
        allowed.append(action)
    return allowed


def short_time(value: Any) -> str:
    return "" if not value else f"{datetime.fromisoformat(str(value)):%H:%M %d/%m/%Y}"


class DossierPage(QWidget):
    back = Signal()
    step_requested = Signal(str, dict)
    reprint_requested = Signal(str, int)  # form ("01", "02", "04", "05"), index in the file

    def __init__(self, now: Clock = system_clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self.file: dict[str, Any] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        left = panel()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(12, 10, 12, 10)
        top = QHBoxLayout()
        top.addWidget(action_button("‹ Danh sách  [Esc]", self.back.emit, "secondary"))
        top.addStretch(1)
        left_box.addLayout(top)
        self.title = small_label("", "title")
        left_box.addWidget(self.title)
        self.details = small_label("", "body")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left_box.addWidget(self.details)
        left_box.addWidget(small_label("Quá trình giải quyết", "section"))
        self.timeline = QListWidget()
        left_box.addWidget(self.timeline, 1)
        layout.addWidget(left, 3)

        right = panel()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(12, 10, 12, 10)
        right_box.setSpacing(6)
        right_box.addWidget(small_label("Bước tiếp theo", "section"))
        self.text = QLineEdit()
        self.text.setPlaceholderText("Nơi chuyển đến / giấy tờ cần bổ sung / lý do / người nhận")
        right_box.addWidget(self.text)
        row = QHBoxLayout()
        row.addWidget(small_label("Ngày hẹn mới (gia hạn)", "hint", wrap=False))
        self.new_due = QDateEdit()
        self.new_due.setCalendarPopup(True)
        self.new_due.setDisplayFormat("dd/MM/yyyy")
        row.addWidget(self.new_due)
        right_box.addLayout(row)
        self.step_buttons: dict[str, QPushButton] = {}
        for action, _event, text in STEPS:
            button = action_button(text, lambda a=action: self._step(a))
            self.step_buttons[action] = button
            right_box.addWidget(button)
        self.problem = small_label("", "hint-bad")
        right_box.addWidget(self.problem)
        right_box.addSpacing(8)
        right_box.addWidget(small_label("In lại", "section"))
        self.reprint_choice = QComboBox()
        right_box.addWidget(self.reprint_choice)
        self.reprint = action_button("In lại mẫu đã chọn", self._reprint, "secondary")
        right_box.addWidget(self.reprint)
        right_box.addStretch(1)
        layout.addWidget(right, 2)

    def show_file(self, file: dict[str, Any]) -> None:
        self.file = file
        dossier = file["dossier"]
        self.title.setText(f"{dossier['code']} · {dossier['status_label']}")
        lines = [
            dossier["procedure_name"],
            f"Người nộp: {dossier['applicant_name']}"
            + (f" · ĐT {dossier['applicant_phone']}" if dossier.get("applicant_phone") else ""),
            f"Tiếp nhận: {short_time(dossier['received_at'])} · Hẹn trả: "
            f"{short_time(dossier.get('due_at')) or 'chưa có'}",
            f"Đang ở: {dossier.get('current_unit') or '—'} · Sổ {dossier['register_number']}",
        ]
        self.details.setText("\n".join(lines))
        self.timeline.clear()
        for entry in file.get("timeline", []):
            text = f"{short_time(entry['at'])}  {entry['title']}"
            extra = " · ".join(x for x in (entry.get("unit"), entry.get("note")) if x)
            if extra:
                text += f" — {extra}"
            self.timeline.addItem(text)
        allowed = set(allowed_steps(dossier["status"]))
        for action, button in self.step_buttons.items():
            button.setEnabled(action in allowed)
        due = dossier.get("due_at")
        start = datetime.fromisoformat(due).date() if due else self._now().date()
        later = start + timedelta(days=5)
        self.new_due.setDate(QDate(later.year, later.month, later.day))
        self.text.clear()
        self.problem.clear()
        self.reprint_choice.clear()
        for text, form, index in CounterServices.reprint_choices(file):
            self.reprint_choice.addItem(text, (form, index))

    def _reprint(self) -> None:
        chosen = self.reprint_choice.currentData()
        if chosen is not None:
            self.reprint_requested.emit(*chosen)

    def _step(self, action: str) -> None:
        text = self.text.text().strip()
        body: dict[str, Any] = {}
        if action == "transfer":
            if not text:
                self.problem.setText("Ghi nơi chuyển đến (đơn vị giải quyết) vào ô trên.")
                return
            body = {"to_unit": text}
        elif action == "supplement-request":
            if not text:
                self.problem.setText("Ghi giấy tờ cần bổ sung vào ô trên.")
                return
            body = {"items": [{"name": text}], "reason": "Cần bổ sung để giải quyết hồ sơ."}
        elif action == "extend":
            if not text:
                self.problem.setText("Ghi lý do gia hạn vào ô trên.")
                return
            body = {"reason": text, "new_due_date": self.new_due.date().toString("yyyy-MM-dd")}
        elif action == "return":
            body = {"channel": "counter", "received_by": text}
        self.problem.clear()
        self.step_requested.emit(action, body)


class WorkPage(QWidget):
    """The lists and search on one stack page, a dossier's page on the other."""

    message = Signal(str, str)
    loaded = Signal()
    printed = Signal(object)  # PrintResult of a step or a reprint
    failed = Signal(object)  # the KioskError of a list, a search, a step or a reprint

    def __init__(self, services: CounterServices, tasks: Tasks, now: Clock = system_clock) -> None:
        super().__init__()
        self.services = services
        self.tasks = tasks
        self.kind = "due_today"
        self.rows: list[dict[str, Any]] = []
        self.stack = QStackedWidget()
        lists = panel()
        box = QVBoxLayout(lists)
        box.setContentsMargins(12, 10, 12, 10)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.kind_buttons: dict[str, QPushButton] = {}
        for kind, text in LISTS:
            button = action_button(text, lambda k=kind: self.show_list(k), "tab")
            button.setCheckable(True)
            self.kind_buttons[kind] = button
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Tra cứu: tên (không dấu cũng được), mã hồ sơ, số điện thoại, số định danh… [Enter]"
        )
        self.search.returnPressed.connect(self.run_search)
        box.addWidget(self.search)
        self.caption = small_label("", "hint")
        box.addWidget(self.caption)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            ["Mã hồ sơ", "Người nộp", "Thủ tục", "Hẹn trả", "Trạng thái"]
        )
        header = self.table.horizontalHeader()
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            header.setSectionResizeMode(column, mode)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.cellActivated.connect(lambda r, _c: self.open_row(r))
        self.table.cellDoubleClicked.connect(lambda r, _c: self.open_row(r))
        box.addWidget(self.table, 1)
        box.addWidget(small_label("Enter hoặc nhấp đúp để mở hồ sơ.", "hint"))
        self.stack.addWidget(lists)
        self.page = DossierPage(now)
        self.page.back.connect(lambda: self.stack.setCurrentIndex(0))
        back = QShortcut(QKeySequence("Escape"), self.page)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.page.back.emit)
        self.page.step_requested.connect(self.step)
        self.page.reprint_requested.connect(self.reprint)
        self.stack.addWidget(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._mark(self.kind)

    def _mark(self, kind: str) -> None:
        for key, button in self.kind_buttons.items():
            button.setChecked(key == kind)

    def _failed(self, error: KioskError) -> None:
        self.failed.emit(error)  # the window decides: a message, or back to the login page
        self.loaded.emit()

    def refresh(self) -> None:
        if self.stack.currentIndex() == 1 and self.page.file is not None:
            self.open_code(self.page.file["dossier"]["code"])
        elif self.kind == "search" and self.search.text().strip():
            self.run_search()
        else:
            self.show_list(self.kind if self.kind != "search" else "due_today")

    def show_list(self, kind: str) -> None:
        self.kind = kind
        self._mark(kind)
        self.stack.setCurrentIndex(0)
        title = dict(LISTS)[kind]
        self.tasks.run(
            lambda: self.services.worklist(kind), lambda rows: self._show(rows, title), self._failed
        )

    def run_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        self.kind = "search"
        self._mark("")
        self.stack.setCurrentIndex(0)
        self.tasks.run(
            lambda: self.services.search(text),
            lambda rows: self._show(rows, f"Kết quả tra cứu «{text}»"),
            self._failed,
        )

    def _show(self, rows: list[dict[str, Any]], title: str) -> None:
        self.rows = rows
        self.caption.setText(f"{title}: {len(rows)} hồ sơ")
        self.table.setRowCount(len(rows))
        for index, dossier in enumerate(rows):
            values = (
                dossier["code"],
                dossier["applicant_name"],
                dossier["procedure_name"],
                short_time(dossier.get("due_at")),
                dossier.get("status_label", dossier["status"]),
            )
            for column, value in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(str(value)))
        self.loaded.emit()

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.open_code(self.rows[row]["code"])

    def open_code(self, code: str) -> None:
        def done(file: dict[str, Any]) -> None:
            self.page.show_file(file)
            self.stack.setCurrentIndex(1)
            self.loaded.emit()

        self.tasks.run(lambda: self.services.dossier_file(code), done, self._failed)

    def step(self, action: str, body: dict[str, Any]) -> None:
        if self.page.file is None:
            return
        code = self.page.file["dossier"]["code"]

        def done(answer: tuple[dict[str, Any], PrintResult]) -> None:
            _result, printed = answer
            self.printed.emit(printed)
            label = next(text for a, _e, text in STEPS if a == action)
            text = f"Hồ sơ {code}: {label.lower()} — đã ghi."
            if printed.written:
                text += " Đã in phiếu."
            if printed.problem:
                text += f" CHƯA IN ĐƯỢC: {printed.problem}"
            self.message.emit(text, "warn" if printed.problem else "ok")
            self.open_code(code)

        self.tasks.run(lambda: self.services.step(code, action, body), done, self._failed)

    def reprint(self, form: str = "01", index: int = 0) -> None:
        if self.page.file is None:
            return
        file = self.page.file
        dossier = file["dossier"]

        def done(printed: PrintResult) -> None:
            self.printed.emit(printed)
            if printed.problem:
                self.message.emit(
                    f"Chưa in được: {printed.problem} Bản in được giữ trong «Bản in lỗi».",
                    "error",
                )
            else:
                self.message.emit(f"Đã in lại mẫu {form} của hồ sơ {dossier['code']}.", "ok")
            self.loaded.emit()

        self.tasks.run(lambda: self.services.reprint(file, form, index), done, self._failed)
