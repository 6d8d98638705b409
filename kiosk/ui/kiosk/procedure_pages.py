"""The kiosk's procedure pages: the searchable list of procedures and one procedure's details."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain import formats
from kiosk.domain.catalogue import COPY_KIND_LABELS, Catalogue, Procedure
from kiosk.domain.text import fold
from kiosk.ui import theme
from kiosk.ui.kiosk.page_layout import MARGIN, clear_layout
from kiosk.ui.widgets import Card, Keypad, button, label


def search_procedures(catalogue: Catalogue, query: str, limit: int = 40) -> list[Procedure]:
    """Procedures whose name or code holds every typed word, accents optional; names that
    start with the query first."""
    words = fold(query).split()
    names = {p.code: fold(p.name) for p in catalogue.procedures}
    hits = [
        p
        for p in catalogue.procedures
        if all(w in names[p.code] or p.code.startswith(w) for w in words)
    ]
    wanted = " ".join(words)

    def rank(p: Procedure) -> tuple[int, str]:
        name = names[p.code].removeprefix("thu tuc ")
        return (0 if wanted and name.startswith(wanted) else 1, name)

    return sorted(hits, key=rank)[:limit]


class ProcedureRow(Card):
    def __init__(
        self, procedure: Procedure, field_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, clickable=True)
        self.procedure = procedure
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        column = QVBoxLayout(self)
        column.setContentsMargins(26, 16, 26, 16)
        column.setSpacing(4)
        name = label(procedure.name, "body")
        name.setFont(theme.font(28, QFont.Weight.DemiBold))
        column.addWidget(name)
        limit = procedure.duration.label if procedure.duration else "theo quy định"
        column.addWidget(label(f"{field_name}   ·   Thời hạn: {limit}", "hint"))


class ProceduresPage(QWidget):
    chosen = Signal(object)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.catalogue: Catalogue | None = None
        self.rows: list[ProcedureRow] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN, 36, MARGIN, 36)
        column.setSpacing(20)
        column.addWidget(label("Thủ tục hành chính", "title"))
        self.field = QLineEdit()
        self.field.setPlaceholderText("Gõ tên thủ tục, ví dụ: khai sinh")
        self.field.textChanged.connect(self._filter)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(24)
        left = QVBoxLayout()
        left.setSpacing(16)
        left.addWidget(self.field)
        self.count = label("", "hint")
        left.addWidget(self.count)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        self.list = QVBoxLayout(holder)
        self.list.setContentsMargins(0, 0, 8, 0)
        self.list.setSpacing(14)
        self.scroll.setWidget(holder)
        left.addWidget(self.scroll, 1)
        self.body.addLayout(left, 1)
        self.keypad = Keypad("text", key_size=76, submit_text="Ẩn bàn phím")
        self.keypad.typed.connect(self.field.insert)
        self.keypad.erased.connect(self.field.backspace)
        self.keypad.cleared.connect(self.field.clear)
        self.body.addWidget(self.keypad, 0)
        column.addLayout(self.body, 1)
        column.addWidget(button("‹  Quay lại trang chủ", self.back.emit, kind="quiet"))
        self.keypad.submitted.connect(self.keypad.hide)
        self.field.selectionChanged.connect(self.keypad.show)

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._filter(self.field.text())

    def show_error(self, text: str) -> None:
        clear_layout(self.list)
        self.rows = []
        message = label(text, "message-error")
        self.list.addWidget(message)
        self.list.addStretch(1)

    def reset(self) -> None:
        self.field.clear()
        self.keypad.show()
        self.scroll.verticalScrollBar().setValue(0)

    def _filter(self, text: str) -> None:
        if self.catalogue is None:
            return
        fields = self.catalogue.field_by_code()
        found = search_procedures(self.catalogue, text)
        clear_layout(self.list)
        self.rows = []
        for procedure in found:
            field = fields.get(procedure.field_code)
            row = ProcedureRow(procedure, field.name if field else "")
            row.clicked.connect(lambda p=procedure: self.chosen.emit(p))
            self.list.addWidget(row)
            self.rows.append(row)
        if not found:
            self.list.addWidget(
                label("Không tìm thấy thủ tục phù hợp. Thử gõ ít chữ hơn.", "message-warn")
            )
        self.list.addStretch(1)
        total = len(self.catalogue.procedures)
        self.count.setText(f"{len(found)} thủ tục" if text.strip() else f"Tất cả {total} thủ tục")

    def set_portrait(self, portrait: bool) -> None:
        self.body.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )


def fee_text(procedure: Procedure) -> str:
    if procedure.fee_by_province or procedure.fee_counter is None:
        main = "Theo quy định của Hội đồng nhân dân tỉnh"
    elif procedure.fee_counter == 0:
        main = "Miễn phí"
    else:
        main = formats.vnd(procedure.fee_counter)
    return f"{main}\n{procedure.fee_note}" if procedure.fee_note else main


def limit_text(procedure: Procedure) -> str:
    if procedure.duration is None:
        main = "Theo quy định"
    elif procedure.duration.value == 0:
        main = "Trả kết quả trong ngày"
    else:
        main = procedure.duration.label.capitalize()
    return f"{main}\n{procedure.duration_note}" if procedure.duration_note else main


class ProcedurePage(QWidget):
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        #: The procedure shown (a new catalogue may change or remove it).
        self.procedure: Procedure | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN, 36, MARGIN, 36)
        column.setSpacing(16)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        self.content = QVBoxLayout(holder)
        self.content.setContentsMargins(0, 0, 12, 0)
        self.content.setSpacing(20)
        self.scroll.setWidget(holder)
        column.addWidget(self.scroll, 1)
        column.addWidget(button("‹  Quay lại danh sách thủ tục", self.back.emit, kind="secondary"))

    def show_procedure(self, procedure: Procedure, field_name: str) -> None:
        self.procedure = procedure
        clear_layout(self.content)
        title = label(procedure.name, "title")
        self.content.addWidget(title)
        self.content.addWidget(
            label(f"Lĩnh vực: {field_name}   ·   Mã thủ tục: {procedure.code}", "hint")
        )
        facts = QGridLayout()
        facts.setSpacing(16)
        for index, (heading, text) in enumerate(
            (("Thời hạn giải quyết", limit_text(procedure)), ("Phí, lệ phí", fee_text(procedure)))
        ):
            box = Card()
            inner = QVBoxLayout(box)
            inner.setContentsMargins(24, 18, 24, 18)
            top = label(heading, "hint")
            top.setFont(theme.font(24, QFont.Weight.DemiBold))
            inner.addWidget(top)
            first, _, rest = text.partition("\n")
            main = label(first, "body")
            main.setFont(theme.font(32, QFont.Weight.Bold))
            main.setStyleSheet(f"color: {theme.PRIMARY};")
            inner.addWidget(main)
            if rest:
                inner.addWidget(label(rest, "hint"))
            inner.addStretch(1)
            facts.addWidget(box, 0, index)
        self.content.addLayout(facts)
        heading = label("Giấy tờ cần mang theo", "body")
        heading.setFont(theme.font(34, QFont.Weight.Bold))
        self.content.addWidget(heading)
        if not procedure.documents:
            self.content.addWidget(
                label("Quý khách hỏi cán bộ tại quầy để được hướng dẫn.", "body")
            )
        for number, document in enumerate(procedure.documents, start=1):
            kinds = " hoặc ".join(COPY_KIND_LABELS[k].lower() for k in document.copy_kinds)
            count = f"{document.count} " if document.count > 1 else ""
            optional = "  (nếu có)" if document.optional else ""
            row = QHBoxLayout()
            row.setSpacing(16)
            badge = QLabel(str(number))
            badge.setFixedSize(52, 52)
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            badge.setFont(theme.font(26, QFont.Weight.Bold))
            badge.setStyleSheet(
                f"background: {theme.PRIMARY_SOFT}; color: {theme.PRIMARY}; border-radius: 26px;"
            )
            row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
            text = QVBoxLayout()
            text.setSpacing(2)
            text.addWidget(label(document.name + optional, "body"))
            text.addWidget(label(f"{count}{kinds}".capitalize(), "hint"))
            row.addLayout(text, 1)
            self.content.addLayout(row)
        self.content.addStretch(1)
        self.scroll.verticalScrollBar().setValue(0)

    def set_portrait(self, portrait: bool) -> None:
        pass
