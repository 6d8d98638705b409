"""The reception form: procedure, applicant, documents handed in, channels, fee, due date.

Every field is checked as it is typed with the domain's own rules (kiosk.domain.validation), and
the hint under it says what is wrong in plain Vietnamese. The whole form is a plain dict
(`state()` / `restore()`) so the window can keep a draft on disk after every change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain import formats
from kiosk.domain.catalogue import Catalogue, Procedure
from kiosk.domain.errors import KioskError, ValidationError
from kiosk.domain.text import clean, fold
from kiosk.domain.validation import (
    clean_person_name,
    normalise_email,
    normalise_phone,
    parse_citizen_id,
)
from kiosk.ui.counter.applicant import (
    FIELD_LABELS,
    Field,
    check_address,
    check_citizen_id,
    check_email,
    check_name,
    check_phone,
    parse_id_card_qr,
)
from kiosk.ui.counter.controls import action_button, panel, small_label
from kiosk.ui.counter.documents import DocumentRow, documents_table
from kiosk.ui.counter.services import request_id
from kiosk.ui.theme import INK_SOFT
from kiosk.ui.widgets import set_role

CHANNELS = (("counter", "Tại quầy"), ("postal", "Bưu chính"), ("online", "Trực tuyến"))
MAX_RESULTS = 30
DEFAULT_SUPPLEMENT_REASON = "Hồ sơ chưa đủ thành phần giấy tờ theo quy định."


class ReceptionForm(QWidget):
    """Emits `changed` on every edit, `procedure_chosen(code)`; buttons emit `action(kind)`
    with kind receive | supplement | refuse."""

    changed = Signal()
    procedure_chosen = Signal(str)
    action = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue: Catalogue | None = None
        self.procedure: Procedure | None = None
        self.request_id = ""
        self._restoring = False
        self.rows: list[DocumentRow] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self._build_procedure_and_applicant(), 1)
        layout.addWidget(self._build_documents_and_fee(), 1)
        for signal in (
            self.sets.valueChanged,
            self.channel.currentIndexChanged,
            self.return_channel.currentIndexChanged,
            self.fee.valueChanged,
            self.note.textChanged,
        ):
            signal.connect(lambda *_a: self._edited())

    # --- building the form --------------------------------------------------------------------

    def _build_procedure_and_applicant(self) -> QFrame:
        """The left panel: 1. the procedure search, 2. the applicant's fields."""
        left = panel()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(12, 10, 12, 10)
        left_box.setSpacing(6)
        left_box.addWidget(small_label("1. Thủ tục", "section"))
        self.search = QLineEdit()
        self.search.setPlaceholderText("Gõ tên hoặc mã thủ tục (không dấu cũng được)…")
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._choose_first)
        left_box.addWidget(self.search)
        self.results = QListWidget()
        self.results.setMaximumHeight(150)
        self.results.setWordWrap(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.itemActivated.connect(self._choose_item)
        self.results.itemClicked.connect(self._choose_item)
        left_box.addWidget(self.results)
        self.chosen = small_label("Chưa chọn thủ tục.", "hint")
        left_box.addWidget(self.chosen)

        left_box.addSpacing(4)
        left_box.addWidget(small_label("2. Người nộp hồ sơ", "section"))
        left_box.addLayout(self._build_applicant_fields())
        self.citizen_id.edit.textChanged.connect(self._maybe_id_card)
        self.birth = ""
        left_box.addStretch(1)
        return left

    def _build_applicant_fields(self) -> QGridLayout:
        """Name, citizen ID, phone, e-mail and address, each with its hint line below it."""
        self.name = Field("Họ và tên", check_name, "Họ tên đầy đủ, có dấu.", required=True)
        self.citizen_id = Field(
            "Số định danh cá nhân (CCCD) hoặc quét mã QR trên thẻ",
            check_citizen_id,
            "12 chữ số. Có thể quét mã QR trên thẻ căn cước để điền sẵn.",
            required=False,
        )
        self.phone = Field(
            "Số điện thoại", check_phone, "Số di động, vd 0912 345 678.", required=False
        )
        self.email = Field("Thư điện tử (nếu có)", check_email, "Không bắt buộc.", required=False)
        self.address = Field("Địa chỉ", check_address, "Nơi cư trú.", required=False)
        self.fields = {
            "name": self.name,
            "citizen_id": self.citizen_id,
            "phone": self.phone,
            "email": self.email,
            "address": self.address,
        }
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(1)
        for row, (key, item) in enumerate(self.fields.items()):
            grid.addWidget(small_label(FIELD_LABELS[key], "body", wrap=False), row * 2, 0)
            grid.addWidget(item.edit, row * 2, 1)
            grid.addWidget(item.hint, row * 2 + 1, 1)
            item.edit.textChanged.connect(lambda _t: self._edited())
        grid.setColumnStretch(1, 1)
        return grid

    def _build_documents_and_fee(self) -> QFrame:
        """The right panel: 3. the documents received, the channels and fee, the note, the due
        date and the action buttons."""
        right = panel()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(12, 10, 12, 10)
        right_box.setSpacing(6)
        heading = QHBoxLayout()
        heading.addWidget(small_label("3. Giấy tờ đã nhận", "section"))
        heading.addStretch(1)
        self.documents_summary = small_label("", "hint", wrap=False)
        heading.addWidget(self.documents_summary)
        right_box.addLayout(heading)
        self.table = documents_table()
        right_box.addWidget(self.table, 1)
        right_box.addLayout(self._build_options())
        self.note = QLineEdit()
        self.note.setPlaceholderText("Ghi chú, hoặc lý do khi yêu cầu bổ sung / từ chối")
        right_box.addWidget(self.note)
        self.due = small_label("Ngày hẹn trả: chọn thủ tục để tính.", "hint")
        right_box.addWidget(self.due)
        right_box.addLayout(self._build_buttons())
        return right

    def _build_options(self) -> QGridLayout:
        """Sets, the channel in and out, the fee and its note."""
        options = QGridLayout()
        options.setHorizontalSpacing(8)
        self.sets = QSpinBox()
        self.sets.setRange(1, 99)
        self.channel = QComboBox()
        self.return_channel = QComboBox()
        for key, text in CHANNELS:
            self.channel.addItem(text, key)
            self.return_channel.addItem(text, key)
        self.fee = QSpinBox()
        self.fee.setRange(0, 1_000_000_000)
        self.fee.setSingleStep(1000)
        self.fee.setGroupSeparatorShown(True)
        self.fee.setSuffix(" đ")
        self.fee.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.sets.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        options.addWidget(small_label("Số bộ", wrap=False), 0, 0)
        options.addWidget(self.sets, 0, 1)
        options.addWidget(small_label("Nộp qua", wrap=False), 0, 2)
        options.addWidget(self.channel, 0, 3)
        options.addWidget(small_label("Nhận kết quả", wrap=False), 0, 4)
        options.addWidget(self.return_channel, 0, 5)
        options.addWidget(small_label("Lệ phí", wrap=False), 1, 0)
        options.addWidget(self.fee, 1, 1, 1, 2)
        self.fee_note = small_label("", "hint")
        options.addWidget(self.fee_note, 1, 3, 1, 3)
        return options

    def _build_buttons(self) -> QGridLayout:
        """Receive (wide, on top); supplement, refuse and clear below it."""
        buttons = QGridLayout()
        buttons.setSpacing(6)
        self.receive_button = action_button(
            "Tiếp nhận và in phiếu  [Ctrl+S]", lambda: self.action.emit("receive"), "good"
        )
        self.supplement_button = action_button(
            "Yêu cầu bổ sung (mẫu 02)  [Ctrl+B]",
            lambda: self.action.emit("supplement"),
            "secondary",
        )
        self.refuse_button = action_button(
            "Từ chối (mẫu 03)  [Ctrl+R]", lambda: self.action.emit("refuse"), "secondary"
        )
        self.clear_button = action_button("Xóa mẫu", lambda: self.action.emit("clear"), "secondary")
        buttons.addWidget(self.receive_button, 0, 0, 1, 3)
        buttons.addWidget(self.supplement_button, 1, 0)
        buttons.addWidget(self.refuse_button, 1, 1)
        buttons.addWidget(self.clear_button, 1, 2)
        self.receive_button.setMinimumHeight(40)
        return buttons

    # --- procedures ---------------------------------------------------------------------------

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._filter(self.search.text())

    def _filter(self, text: str) -> None:
        self.results.clear()
        if self.catalogue is None:
            return
        words = fold(text).split()
        fields = self.catalogue.field_by_code()
        shown = 0
        for procedure in self.catalogue.procedures:
            key = fold(f"{procedure.code} {procedure.name}")
            if all(word in key for word in words):
                field = fields.get(procedure.field_code)
                limit = procedure.duration.label if procedure.duration else "theo quy định"
                item = QListWidgetItem(
                    f"{procedure.name}\n   {field.name if field else ''} · {limit}"
                )
                item.setData(Qt.ItemDataRole.UserRole, procedure.code)
                self.results.addItem(item)
                shown += 1
                if shown >= MAX_RESULTS:
                    break
        if shown:
            self.results.setCurrentRow(0)

    def _choose_first(self) -> None:
        item = self.results.currentItem() or self.results.item(0)
        if item is not None:
            self._choose_item(item)

    def _choose_item(self, item: QListWidgetItem) -> None:
        self.choose_procedure(str(item.data(Qt.ItemDataRole.UserRole)))
        self.name.edit.setFocus()

    def choose_procedure(self, code: str, documents: list[dict[str, Any]] | None = None) -> None:
        """Select a procedure; `documents` (from a draft) restores the checklist's state."""
        if self.catalogue is None:
            return
        procedure = self.catalogue.procedure(code)
        if procedure is None:
            return
        self.procedure = procedure
        limit = procedure.duration.label if procedure.duration else "theo quy định"
        fee = (
            formats.vnd(procedure.fee_counter)
            if procedure.fee_counter is not None
            else "theo quy định của tỉnh"
        )
        self.chosen.setText(
            f"{procedure.name}\nMã {procedure.code} · Thời hạn: {limit} · Lệ phí: {fee}"
        )
        set_role(self.chosen, "staff")
        self.fee.setValue(procedure.fee_counter or 0)
        note = procedure.fee_note
        self.fee_note.setText(note if len(note) <= 90 else note[:88].rstrip() + "…")
        self.fee_note.setToolTip(procedure.fee_note)
        self.due.setText("Ngày hẹn trả: đang tính…")
        set_role(self.due, "hint")
        self._fill_documents(procedure, documents)
        self.procedure_chosen.emit(procedure.code)
        self._edited()

    def _fill_documents(self, procedure: Procedure, saved: list[dict[str, Any]] | None) -> None:
        self.rows = []
        self.table.setRowCount(0)
        for position, doc in enumerate(procedure.documents):
            name = doc.name + (" (nếu có)" if doc.optional else "")
            row = DocumentRow(position, doc.name, doc.copy_kinds, doc.count, doc.optional)
            if saved is not None and position < len(saved):
                state = saved[position]
                row.check.setChecked(bool(state.get("received")))
                index = row.kind.findData(state.get("copy_kind"))
                if index >= 0:
                    row.kind.setCurrentIndex(index)
                row.count.setValue(int(state.get("count", 1)))
            self.table.insertRow(position)
            holder = QWidget()
            box = QHBoxLayout(holder)
            box.setContentsMargins(8, 0, 0, 0)
            box.addWidget(row.check)
            self.table.setCellWidget(position, 0, holder)
            text = QTableWidgetItem(name)
            text.setFlags(Qt.ItemFlag.ItemIsEnabled)
            if doc.optional:
                text.setForeground(QColor(INK_SOFT))
            self.table.setItem(position, 1, text)
            self.table.setCellWidget(position, 2, row.kind)
            self.table.setCellWidget(position, 3, row.count)
            row.check.toggled.connect(lambda _c: self._edited())
            row.kind.currentIndexChanged.connect(lambda _i: self._edited())
            row.count.valueChanged.connect(lambda _v: self._edited())
            self.rows.append(row)
        self.table.resizeRowsToContents()

    def set_due(self, text: str, ok: bool) -> None:
        self.due.setText(text)
        set_role(self.due, "due" if ok else "hint-bad")

    # --- applicant --------------------------------------------------------------------------

    def _maybe_id_card(self, text: str) -> None:
        if "|" not in text or text.count("|") < 6:
            return
        found = parse_id_card_qr(text)
        if found is None:
            return
        self.citizen_id.edit.setText(found["citizen_id"])
        self.name.edit.setText(found["name"])
        if found["address"]:
            self.address.edit.setText(found["address"])
        self.birth = found["birth"]
        if self.birth:
            self.citizen_id.hint.setText(self.citizen_id.hint.text() + f" · ngày sinh {self.birth}")

    # --- state (drafts) ---------------------------------------------------------------------

    def _edited(self) -> None:
        checked = sum(1 for r in self.rows if r.check.isChecked())
        missing = sum(1 for r in self.rows if not r.optional and not r.check.isChecked())
        if self.rows:
            text = f"Đã nhận {checked}/{len(self.rows)}"
            if missing:
                text += f" · còn thiếu {missing} giấy tờ bắt buộc"
            self.documents_summary.setText(text)
            set_role(self.documents_summary, "hint-bad" if missing else "hint-ok")
        else:
            self.documents_summary.setText("")
        if not self._restoring:
            self.changed.emit()

    def is_empty(self) -> bool:
        return self.procedure is None and not any(f.edit.text() for f in self.fields.values())

    def state(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "procedure_code": self.procedure.code if self.procedure else "",
            "search": self.search.text(),
            "applicant": {key: f.edit.text() for key, f in self.fields.items()},
            "birth": self.birth,
            "documents": [r.state() for r in self.rows],
            "sets": self.sets.value(),
            "channel": self.channel.currentData(),
            "return_channel": self.return_channel.currentData(),
            "fee": self.fee.value(),
            "note": self.note.text(),
        }

    def restore(self, state: dict[str, Any]) -> None:
        self._restoring = True
        try:
            self.request_id = str(state.get("request_id", ""))
            self.search.setText(str(state.get("search", "")))
            code = str(state.get("procedure_code", ""))
            if code:
                self.choose_procedure(code, list(state.get("documents", [])))
            for key, value in dict(state.get("applicant", {})).items():
                if key in self.fields:
                    self.fields[key].edit.setText(str(value))
            self.birth = str(state.get("birth", ""))
            self.sets.setValue(int(state.get("sets", 1)))
            for combo, key in ((self.channel, "channel"), (self.return_channel, "return_channel")):
                index = combo.findData(state.get(key, "counter"))
                combo.setCurrentIndex(max(index, 0))
            if "fee" in state:
                self.fee.setValue(int(state["fee"]))
            self.note.setText(str(state.get("note", "")))
        finally:
            self._restoring = False
        self._edited()

    def clear(self) -> None:
        self._restoring = True
        try:
            self.request_id = ""
            self.procedure = None
            self.birth = ""
            self.search.clear()
            for item in self.fields.values():
                item.edit.clear()
            self.rows = []
            self.table.setRowCount(0)
            self.sets.setValue(1)
            self.channel.setCurrentIndex(0)
            self.return_channel.setCurrentIndex(0)
            self.fee.setValue(0)
            self.fee_note.clear()
            self.note.clear()
            self.chosen.setText("Chưa chọn thủ tục.")
            set_role(self.chosen, "hint")
            self.due.setText("Ngày hẹn trả: chọn thủ tục để tính.")
            set_role(self.due, "hint")
        finally:
            self._restoring = False
        self._edited()
        self.search.setFocus()

    # --- requests -----------------------------------------------------------------------------

    def _applicant(self) -> dict[str, str]:
        if self.procedure is None:
            raise ValidationError("Chưa chọn thủ tục: gõ tên thủ tục vào ô tìm kiếm.")
        problems = [
            f"{label}: {item.problem}"
            for label, item in (
                ("Họ tên", self.name),
                ("Số định danh", self.citizen_id),
                ("Điện thoại", self.phone),
                ("E-mail", self.email),
            )
            if item.validate()
        ]
        if problems:
            raise ValidationError("Kiểm tra lại: " + "; ".join(problems))
        citizen = self.citizen_id.edit.text().strip()
        phone = self.phone.edit.text().strip()
        email = self.email.edit.text().strip()
        return {
            "name": clean_person_name(self.name.edit.text()),
            "citizen_id": parse_citizen_id(citizen).number if citizen else "",
            "phone": normalise_phone(phone) if phone else "",
            "email": normalise_email(email) if email else "",
            "address": clean(self.address.edit.text()),
        }

    def _claim_request_id(self) -> str:
        # One id per attempt, kept in the draft: a retry after a timeout or a crash sends the
        # same id, and the hub answers with the dossier it already made instead of a second.
        if not self.request_id:
            self.request_id = request_id()
            self.changed.emit()
        return self.request_id

    def reception(self, ticket_id: int | None) -> dict[str, Any]:
        """The body of POST …/dossiers, or ValidationError with what to fix."""
        applicant = self._applicant()
        documents = [
            {
                "name": row.name,
                "copy_kind": row.kind.currentData(),
                "count": row.count.value(),
                "catalogue_position": row.position,
            }
            for row in self.rows
            if row.check.isChecked()
        ]
        if self.rows and not documents:
            raise ValidationError("Chưa đánh dấu giấy tờ nào đã nhận.")
        missing = [r.name for r in self.rows if not r.optional and not r.check.isChecked()]
        if missing:
            raise ValidationError(
                f"Còn thiếu {len(missing)} giấy tờ bắt buộc: hồ sơ chưa đủ để tiếp nhận. "
                "Đánh dấu đủ, hoặc chọn «Yêu cầu bổ sung» để in mẫu 02."
            )
        assert self.procedure is not None
        return {
            "request_id": self._claim_request_id(),
            "procedure_code": self.procedure.code,
            "applicant": applicant,
            "documents": documents,
            "sets": self.sets.value(),
            "channel": self.channel.currentData(),
            "return_channel": self.return_channel.currentData(),
            "fee": self.fee.value(),
            "ticket_id": ticket_id,
            "note": clean(self.note.text()),
        }

    def supplement(self, ticket_id: int | None) -> dict[str, Any]:
        applicant = self._applicant()
        items = [
            {"name": r.name, "detail": ""}
            for r in self.rows
            if not r.optional and not r.check.isChecked()
        ]
        if not items:
            raise ValidationError(
                "Không có giấy tờ bắt buộc nào còn thiếu: bỏ đánh dấu những giấy tờ công dân "
                "chưa nộp để ghi vào phiếu yêu cầu bổ sung."
            )
        assert self.procedure is not None
        return {
            "request_id": self._claim_request_id(),
            "procedure_code": self.procedure.code,
            "applicant": applicant,
            "items": items,
            "reason": clean(self.note.text()) or DEFAULT_SUPPLEMENT_REASON,
            "ticket_id": ticket_id,
        }

    def refusal(self, ticket_id: int | None) -> dict[str, Any]:
        applicant = self._applicant()
        reason = clean(self.note.text())
        if not reason:
            self.note.setFocus()
            raise ValidationError("Ghi lý do từ chối vào ô «Ghi chú, hoặc lý do…» trước.")
        assert self.procedure is not None
        return {
            "request_id": self._claim_request_id(),
            "procedure_code": self.procedure.code,
            "applicant": applicant,
            "reason": reason,
            "ticket_id": ticket_id,
        }


def due_text(due_at: str, time_limit: str) -> str:
    moment = datetime.fromisoformat(due_at)
    return (
        f"Ngày hẹn trả: {moment:%H:%M}, {formats.weekday(moment)} "
        f"{moment:%d/%m/%Y}  (thời hạn {time_limit})"
    )


__all__ = [
    "KioskError",
    "ReceptionForm",
    "action_button",
    "due_text",
    "panel",
    "parse_id_card_qr",
    "small_label",
]
