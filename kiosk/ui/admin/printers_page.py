"""The admin screen's "Máy in" tab: the printers of each kiosk and counter PC, and "In thử".

A printer belongs to the PC it is plugged into, so the address is set here for that device and
the test page is printed BY that device: the hub announces the test, the device prints and
answers, and this page polls the answer (no answer within `answer_seconds`: the device is off or
away from the network). Saved addresses take effect on the device at once.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout

from kiosk.domain.errors import KioskError
from kiosk.ui.admin.common import DEVICE_ROLES, Page, fill, label_of, table
from kiosk.ui.counter.reception import action_button, panel, small_label
from kiosk.ui.tasks import Tasks

#: Roles that have printers, and their kinds in the order shown (kiosk/hub/device_routes.py).
PRINTER_ROLES = ("kiosk", "counter")
KIND_TITLES = {
    "ticket": "Máy in số thứ tự (máy in nhiệt)",
    "form": "Máy in biểu mẫu (A4/A5)",
    "receipt": "Máy in biên nhận khổ nhỏ (máy in nhiệt, nếu có)",
}
KIND_ORDER = ("ticket", "form", "receipt")
THERMAL_HINT = (
    "Ví dụ: tcp://192.168.1.50:9100 (máy in qua mạng) · win:Tên máy in (máy in cài trong "
    "Windows) · usb:04b8:0202 · png:thư mục (máy in ảo, lưu ảnh). Giấy 58 mm: thêm ?paper=58."
)
FORM_HINT = "Ví dụ: os:Tên máy in (máy in A4 cài trong Windows) · pdf:thư mục (lưu thành tệp PDF)."
PLACEHOLDERS = {"ticket": "tcp://192.168.1.50:9100", "receipt": "win:Tên máy in", "form": ""}
WAITING = "Đang chờ thiết bị in thử…"
NO_ANSWER = "Thiết bị không trả lời (máy tắt hoặc mất mạng?)"
POLL_MS = 1000
ANSWER_SECONDS = 20.0


class PrinterRow(QFrame):
    """One printer kind of the chosen device: its address, the hint, "In thử" and the answer."""

    def __init__(self, kind: str, on_test: Any) -> None:
        super().__init__()
        self.kind = kind
        self.saved = ""
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 6, 0, 6)
        box.setSpacing(4)
        box.addWidget(small_label(KIND_TITLES[kind], "section"))
        line = QHBoxLayout()
        self.uri = QLineEdit()
        self.uri.setPlaceholderText(PLACEHOLDERS[kind] or "os:Canon LBP2900")
        self.uri.setClearButtonEnabled(True)
        line.addWidget(self.uri, 1)
        self.test_button = action_button("In thử", lambda: on_test(self), "secondary")
        line.addWidget(self.test_button)
        box.addLayout(line)
        box.addWidget(small_label(FORM_HINT if kind == "form" else THERMAL_HINT, "hint"))
        self.answer = small_label("", "body")
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer.setVisible(False)
        box.addWidget(self.answer)
        #: The pending test: its id and when to give up waiting (monotonic seconds).
        self.test_id: int | None = None
        self.deadline = 0.0

    def show_answer(self, text: str, role: str) -> None:
        self.answer.setText(text)
        self.answer.setProperty("role", role)
        self.answer.style().unpolish(self.answer)
        self.answer.style().polish(self.answer)
        self.answer.setVisible(bool(text))

    @property
    def edited(self) -> bool:
        return self.uri.text().strip() != self.saved


class PrintersPage(Page):
    """`test_answered(kind, ok, text)` follows every "In thử": the device's answer or no answer."""

    test_answered = Signal(str, bool, str)

    def __init__(
        self, client: Any, tasks: Tasks, *, answer_seconds: float = ANSWER_SECONDS
    ) -> None:
        super().__init__(
            client,
            tasks,
            "Máy in của từng thiết bị",
            "Máy in cắm vào máy nào thì máy đó in: chọn máy lấy số hoặc máy quầy, nhập địa chỉ "
            'máy in rồi Lưu — thiết bị dùng ngay, không cần khởi động lại. "In thử" do chính '
            "thiết bị đó in. Máy in đặt bằng --printer trên thiết bị được ưu tiên hơn ở đây.",
        )
        self.answer_seconds = answer_seconds
        self.rows: list[dict[str, Any]] = []
        self.device: dict[str, Any] | None = None
        body = QHBoxLayout()
        body.setSpacing(16)
        left = QVBoxLayout()
        left.addWidget(small_label("Thiết bị có máy in", "hint", wrap=False))
        self.list = table(("Số", "Tên thiết bị", "Loại", "Quầy"))
        self.list.setMinimumWidth(380)
        left.addWidget(self.list, 1)
        body.addLayout(left, 2)

        self.editor = panel("panel")
        right = QVBoxLayout(self.editor)
        right.setContentsMargins(14, 10, 14, 10)
        right.setSpacing(4)
        self.heading = small_label("Chọn một thiết bị bên trái.", "title")
        right.addWidget(self.heading)
        self.printer_rows = {kind: PrinterRow(kind, self.test) for kind in KIND_ORDER}
        grid = QGridLayout()
        grid.setVerticalSpacing(2)
        for index, kind in enumerate(KIND_ORDER):
            grid.addWidget(self.printer_rows[kind], index, 0)
            self.printer_rows[kind].setVisible(False)
        right.addLayout(grid)
        actions = QHBoxLayout()
        self.save_button = action_button("Lưu máy in", self.save)
        self.save_button.setEnabled(False)
        actions.addWidget(self.save_button)
        self.problem = small_label("", "hint-bad")
        actions.addWidget(self.problem, 1)
        right.addLayout(actions)
        right.addStretch(1)
        body.addWidget(self.editor, 3)
        self.box.addLayout(body, 1)

        self._poll = QTimer(self)
        self._poll.setSingleShot(True)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._ask_answers)
        self.list.itemSelectionChanged.connect(self._chosen)

    # --- devices ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self.call(self.client.devices, self.show_devices)

    def show_devices(self, rows: list[dict[str, Any]]) -> None:
        chosen = None if self.device is None else self.device["device_id"]
        self.rows = [r for r in rows if r.get("role") in PRINTER_ROLES and not r.get("revoked_at")]
        fill(
            self.list,
            [
                [
                    str(r["id"]),
                    str(r["name"]),
                    label_of(DEVICE_ROLES, r["role"]),
                    "" if r.get("counter_number") is None else str(r["counter_number"]),
                ]
                for r in self.rows
            ],
        )
        ids = [int(r["id"]) for r in self.rows]
        if chosen in ids:
            self.list.selectRow(ids.index(chosen))
        elif self.rows and self.list.currentRow() < 0:
            self.list.selectRow(0)

    def _chosen(self) -> None:
        index = self.list.currentRow()
        if not 0 <= index < len(self.rows):
            return
        device_id = int(self.rows[index]["id"])
        self.problem.clear()
        self.call(lambda: self.client.device_printers(device_id), self.show_printers)

    def show_printers(self, device: dict[str, Any]) -> None:
        same = self.device is not None and self.device["device_id"] == device["device_id"]
        self.device = device
        kinds = list(device.get("kinds") or [])
        where = label_of(DEVICE_ROLES, device["role"])
        self.heading.setText(f"{device['name']} — {where} (thiết bị số {device['device_id']})")
        printers = dict(device.get("printers") or {})
        for kind, row in self.printer_rows.items():
            row.setVisible(kind in kinds)
            row.saved = str(printers.get(kind, ""))
            row.uri.setText(row.saved)
            if not same:  # another device: its answers are not this one's
                row.test_id = None
                row.show_answer("", "body")
        self.save_button.setEnabled(bool(kinds))

    # --- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        if self.device is None:
            return
        device_id = int(self.device["device_id"])
        wanted = {
            kind: self.printer_rows[kind].uri.text().strip() or None
            for kind in self.device.get("kinds") or []
        }
        self.problem.clear()

        def saved(device: dict[str, Any]) -> None:
            self.show_printers(device)
            self.message.emit(f"Đã lưu máy in của '{device['name']}'; thiết bị dùng ngay.", "ok")

        def refused(error: KioskError) -> None:
            self.problem.setText(error.message)
            self.message.emit(error.message, "error")

        self.tasks.run(lambda: self.client.set_device_printers(device_id, wanted), saved, refused)

    # --- print tests -----------------------------------------------------------------------

    def test(self, row: PrinterRow) -> None:
        if self.device is None:
            return
        if row.edited:
            row.show_answer('Địa chỉ đã sửa nhưng chưa lưu: bấm "Lưu máy in" trước.', "hint-bad")
            return
        device_id = int(self.device["device_id"])
        row.show_answer(WAITING, "hint")

        def asked(test: dict[str, Any]) -> None:
            row.test_id = int(test["id"])
            row.deadline = time.monotonic() + self.answer_seconds
            if not self._poll.isActive():
                self._poll.start()

        def refused(error: KioskError) -> None:
            row.show_answer("✘ " + error.message, "hint-bad")
            self.test_answered.emit(row.kind, False, error.message)

        self.tasks.run(lambda: self.client.request_print_test(device_id, row.kind), asked, refused)

    def _ask_answers(self) -> None:
        for row in self.printer_rows.values():
            if row.test_id is not None:
                self._ask(row, row.test_id)

    def _ask(self, row: PrinterRow, test_id: int) -> None:
        def answered(test: dict[str, Any]) -> None:
            if row.test_id != test_id:
                return  # another device chosen, or a newer test meanwhile
            if test.get("state") == "done":
                row.test_id = None
                ok = bool(test.get("ok"))
                text = str(test.get("message") or ("In thử được." if ok else "In thử lỗi."))
                printer = str(test.get("printer") or "")
                shown = ("✔ " if ok else "✘ ") + text
                if printer and printer not in text:
                    shown += f"\nMáy in: {printer}"
                row.show_answer(shown, "hint-ok" if ok else "hint-bad")
                self.test_answered.emit(row.kind, ok, text)
            elif time.monotonic() >= row.deadline:
                row.test_id = None
                row.show_answer("✘ " + NO_ANSWER, "hint-bad")
                self.test_answered.emit(row.kind, False, NO_ANSWER)
            self._keep_polling()

        def failed(error: KioskError) -> None:
            row.show_answer(f"{WAITING} ({error.message})", "hint")
            if time.monotonic() >= row.deadline:
                row.test_id = None
                row.show_answer("✘ " + NO_ANSWER, "hint-bad")
                self.test_answered.emit(row.kind, False, NO_ANSWER)
            self._keep_polling()

        self.tasks.run(lambda: self.client.print_test_result(test_id), answered, failed)

    def _keep_polling(self) -> None:
        pending = any(r.test_id is not None for r in self.printer_rows.values())
        if pending and not self._poll.isActive():
            self._poll.start()
