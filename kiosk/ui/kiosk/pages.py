"""The kiosk's pages: home, priority, ticket, lookup, procedures, one procedure, staff PIN.

Pages only lay out and show; the window (`screen.py`) decides what happens and runs the work
in the background. Every page works in portrait (1080×1920) and landscape (1920×1080):
`set_portrait` rearranges it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain import formats
from kiosk.domain.catalogue import COPY_KIND_LABELS, Catalogue, Procedure
from kiosk.domain.text import fold
from kiosk.queue.models import PriorityCategory
from kiosk.ui import theme
from kiosk.ui.kiosk.services import GroupInfo, IssuedTicket, LookupResult
from kiosk.ui.widgets import Card, Keypad, button, label, set_role, wait_text

MARGIN = 48


def _clear(layout: QBoxLayout | QGridLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def _page() -> tuple[QWidget, QVBoxLayout]:
    page = QWidget()
    page.setObjectName("screen")
    column = QVBoxLayout(page)
    column.setContentsMargins(MARGIN, 36, MARGIN, 36)
    column.setSpacing(24)
    return page, column


# --- home -----------------------------------------------------------------------------------


class GroupCard(Card):
    """A service group: coloured letter badge, name, people waiting and the estimated wait."""

    def __init__(self, group: GroupInfo, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, clickable=True)
        self.group = group
        self.setMinimumHeight(176)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(self)
        row.setContentsMargins(28, 20, 28, 20)
        row.setSpacing(28)
        badge = QLabel(group.prefix)
        badge.setFixedSize(104, 104)
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        badge.setFont(theme.font(56, QFont.Weight.ExtraBold))
        badge.setStyleSheet(f"background: {colour}; color: white; border-radius: 52px;")
        row.addWidget(badge, 0, Qt.AlignmentFlag.AlignVCenter)
        text = QVBoxLayout()
        text.setSpacing(4)
        self.name = label(group.name, "body")
        self.name.setFont(theme.font(36, QFont.Weight.Bold))
        text.addWidget(self.name)
        self.stats = label(self._stats_text(group), "hint")
        text.addWidget(self.stats)
        row.addLayout(text, 1)
        take = QLabel("Lấy số  ›")
        take.setFont(theme.font(28, QFont.Weight.Bold))
        take.setStyleSheet(
            f"color: {colour}; border: 3px solid {colour}; border-radius: 20px; padding: 10px 18px;"
        )
        row.addWidget(take, 0, Qt.AlignmentFlag.AlignVCenter)

    @staticmethod
    def _stats_text(group: GroupInfo) -> str:
        if group.waiting <= 0:
            return "Không có ai đang chờ\nĐược phục vụ ngay"
        return (
            f"Đang chờ: {group.waiting} người\n"
            f"Dự kiến chờ: {wait_text(group.estimated_wait_minutes)}"
        )


class EntryCard(Card):
    """A secondary entry of the home screen (priority, dossier lookup, procedures)."""

    def __init__(self, title: str, hint: str, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, clickable=True)
        self.setMinimumHeight(128)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(self)
        row.setContentsMargins(22, 18, 26, 18)
        row.setSpacing(22)
        bar = QFrame()
        bar.setFixedWidth(10)
        bar.setStyleSheet(f"background: {colour}; border-radius: 5px; border: none;")
        row.addWidget(bar)
        column = QVBoxLayout()
        column.setSpacing(4)
        heading = label(title, "body")
        heading.setFont(theme.font(32, QFont.Weight.Bold))
        heading.setStyleSheet(f"color: {colour};")
        column.addWidget(heading)
        column.addWidget(label(hint, "hint"))
        row.addLayout(column, 1)
        arrow = QLabel("›")
        arrow.setFont(theme.font(56, QFont.Weight.Bold))
        arrow.setStyleSheet(f"color: {colour};")
        row.addWidget(arrow, 0, Qt.AlignmentFlag.AlignVCenter)


class HomePage(QWidget):
    group_chosen = Signal(str)
    priority_chosen = Signal()
    lookup_chosen = Signal()
    procedures_chosen = Signal()
    priority_cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self._portrait = True
        self._groups: list[GroupInfo] = []
        self.cards: list[GroupCard] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN, 36, MARGIN, 36)
        column.setSpacing(24)
        self.title = label("Mời quý khách chọn lĩnh vực để lấy số thứ tự", "title")
        column.addWidget(self.title)
        self.priority_banner = QFrame()
        self.priority_banner.setStyleSheet(
            f"background: {theme.GOLD_SOFT}; border: 2px solid {theme.GOLD}; border-radius: 18px;"
        )
        banner_row = QHBoxLayout(self.priority_banner)
        banner_row.setContentsMargins(24, 12, 12, 12)
        self.priority_text = label("", "body")
        self.priority_text.setStyleSheet("border: none;")
        banner_row.addWidget(self.priority_text, 1)
        cancel = button("Bỏ ưu tiên", self.priority_cancelled.emit, kind="secondary", height=72)
        cancel.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        banner_row.addWidget(cancel)
        self.priority_banner.hide()
        column.addWidget(self.priority_banner)
        self.message = label("", "message-warn")
        self.message.hide()
        column.addWidget(self.message)
        self.grid = QGridLayout()
        self.grid.setSpacing(20)
        column.addLayout(self.grid)
        self.empty = label(
            "Văn phòng chưa cấu hình lĩnh vực lấy số. Quý khách vui lòng liên hệ cán bộ.",
            "message-warn",
        )
        self.empty.hide()
        column.addWidget(self.empty)
        column.addStretch(1)
        self.entries = entries = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        entries.setSpacing(18)
        self.priority_entry = EntryCard(
            "Lấy số ưu tiên", "Người cao tuổi, người khuyết tật, phụ nữ mang thai", theme.WARN
        )
        self.priority_entry.clicked.connect(self.priority_chosen)
        self.lookup_entry = EntryCard(
            "Tra cứu hồ sơ", "Quét mã QR hoặc nhập mã trên giấy biên nhận", theme.GOOD
        )
        self.lookup_entry.clicked.connect(self.lookup_chosen)
        self.procedures_entry = EntryCard(
            "Thủ tục hành chính", "Giấy tờ cần mang, lệ phí, thời hạn", theme.PRIMARY
        )
        self.procedures_entry.clicked.connect(self.procedures_chosen)
        for entry in (self.priority_entry, self.lookup_entry, self.procedures_entry):
            entries.addWidget(entry, 1)
        column.addLayout(entries)

    def set_portrait(self, portrait: bool) -> None:
        self.entries.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        if portrait != self._portrait:
            self._portrait = portrait
            self.show_groups(self._groups)

    def show_groups(self, groups: Sequence[GroupInfo]) -> None:
        self._groups = list(groups)
        _clear(self.grid)
        self.cards = []
        columns = 1 if self._portrait else 2
        for index, group in enumerate(groups):
            card = GroupCard(group, theme.group_colour(index))
            card.clicked.connect(lambda p=group.prefix: self.group_chosen.emit(p))
            self.grid.addWidget(card, index // columns, index % columns)
            self.cards.append(card)
        self.empty.setVisible(not groups and not self.message.isVisible())

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if text:
            self.empty.hide()

    def set_priority(self, category: PriorityCategory | None) -> None:
        if category is None:
            self.priority_banner.hide()
            self.title.setText("Mời quý khách chọn lĩnh vực để lấy số thứ tự")
            return
        self.priority_text.setText(f"Số ưu tiên — {category.label}")
        self.priority_banner.show()
        self.title.setText("Mời chọn lĩnh vực để lấy số ưu tiên")


# --- priority -------------------------------------------------------------------------------


class PriorityPage(QWidget):
    chosen = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN, 36, MARGIN, 36)
        column.setSpacing(24)
        column.addWidget(label("Lấy số ưu tiên", "title"))
        column.addWidget(
            label(
                "Quý khách thuộc đối tượng nào dưới đây? Cán bộ sẽ ưu tiên phục vụ trước.",
                "subtitle",
            )
        )
        self.buttons: dict[str, QPushButton] = {}
        for category in PriorityCategory:
            choice = button(
                category.label,
                lambda c=category.value: self.chosen.emit(c),
                kind="secondary",
                height=120,
            )
            self.buttons[category.value] = choice
            column.addWidget(choice)
        column.addStretch(1)
        column.addWidget(button("‹  Quay lại trang chủ", self.back.emit, kind="quiet"))

    def set_portrait(self, portrait: bool) -> None:
        pass


# --- ticket ---------------------------------------------------------------------------------


class TicketPage(QWidget):
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN, 48, MARGIN, 48)
        column.setSpacing(28)
        column.addStretch(1)
        self.headline = label("", "title", align=Qt.AlignmentFlag.AlignCenter)
        self.headline.setFont(theme.font(52, QFont.Weight.Bold))
        column.addWidget(self.headline)
        self.card = Card()
        self.card.setStyleSheet(
            f'QFrame[role="card"] {{ border: 4px solid {theme.GOLD}; border-radius: 32px; }}'
        )
        inner = QVBoxLayout(self.card)
        inner.setContentsMargins(40, 32, 40, 40)
        inner.setSpacing(8)
        self.caption = label(
            "SỐ THỨ TỰ CỦA QUÝ KHÁCH", "subtitle", align=Qt.AlignmentFlag.AlignCenter
        )
        inner.addWidget(self.caption)
        self.number = QLabel("")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setFont(theme.font(240, QFont.Weight.ExtraBold))
        self.number.setStyleSheet(f"color: {theme.PRIMARY};")
        inner.addWidget(self.number)
        self.group = label("", "body", align=Qt.AlignmentFlag.AlignCenter)
        self.group.setFont(theme.font(40, QFont.Weight.Bold))
        inner.addWidget(self.group)
        self.details = label("", "subtitle", align=Qt.AlignmentFlag.AlignCenter)
        inner.addWidget(self.details)
        column.addWidget(self.card)
        self.message = label("", "message-ok", align=Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.message)
        column.addStretch(1)
        self.finish = button("Xong", self.done.emit, height=120)
        column.addWidget(self.finish)

    def show_issuing(self) -> None:
        self.headline.setText("Đang lấy số…")
        self.card.hide()
        self.message.hide()
        self.finish.hide()

    def show_ticket(self, ticket: IssuedTicket) -> None:
        self.headline.setText("Đang in phiếu, xin chờ giây lát…")
        self.number.setText(ticket.number)
        priority = "  ·  Ưu tiên" if ticket.priority else ""
        self.group.setText(ticket.group_name + priority)
        ahead = "Không có ai" if ticket.people_ahead <= 0 else f"{ticket.people_ahead} người"
        self.details.setText(
            f"Số người chờ trước: {ahead}\n"
            f"Thời gian chờ dự kiến: {wait_text(ticket.estimated_wait_minutes)}"
        )
        self.card.show()
        self.message.hide()
        self.finish.hide()

    def show_printed(self) -> None:
        self.headline.setText("Mời quý khách nhận phiếu")
        set_role(self.message, "message-ok")
        self.message.setText(
            "Vui lòng ngồi chờ và theo dõi bảng hiển thị.\n"
            "Khi đến lượt, số của quý khách sẽ được gọi."
        )
        self.message.show()
        self.finish.show()

    def show_print_failed(self, reason: str) -> None:
        self.headline.setText("Máy in phiếu đang gặp sự cố")
        set_role(self.message, "message-warn")
        self.message.setText(
            "Xin quý khách ghi nhớ số thứ tự ở trên — số vẫn có hiệu lực và sẽ được gọi.\n"
            f"Vui lòng báo cán bộ tại quầy để xử lý máy in. ({reason})"
        )
        self.message.show()
        self.finish.show()

    def show_issue_failed(self, reason: str) -> None:
        self.headline.setText("Chưa lấy được số")
        self.card.hide()
        set_role(self.message, "message-error")
        self.message.setText(f"{reason}\nQuý khách vui lòng thử lại hoặc liên hệ cán bộ.")
        self.message.show()
        self.finish.setText("Quay lại")
        self.finish.show()

    def reset(self) -> None:
        self.finish.setText("Xong")

    def set_portrait(self, portrait: bool) -> None:
        self.number.setFont(theme.font(240 if portrait else 170, QFont.Weight.ExtraBold))
        margin = MARGIN if portrait else 280
        self.layout().setContentsMargins(
            margin, 40 if portrait else 24, margin, 40 if portrait else 24
        )
        self.layout().setSpacing(28 if portrait else 16)
        self.finish.setMinimumHeight(120 if portrait else 96)


# --- dossier lookup -------------------------------------------------------------------------


class LookupPage(QWidget):
    submitted = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN, 36, MARGIN, 36)
        column.setSpacing(22)
        column.addWidget(label("Tra cứu hồ sơ", "title"))
        column.addWidget(
            label(
                "Đưa mã QR trên giấy biên nhận vào máy quét, hoặc nhập mã hồ sơ bằng bàn phím "
                "bên dưới.",
                "subtitle",
            )
        )
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(28)
        left = QVBoxLayout()
        left.setSpacing(18)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Ví dụ: 000.00.21.H12-210315-0001")
        self.field.setMaxLength(80)
        self.field.returnPressed.connect(self._submit)
        left.addWidget(self.field)
        self.result = Card()
        result_column = QVBoxLayout(self.result)
        result_column.setContentsMargins(32, 24, 32, 24)
        result_column.setSpacing(10)
        self.status = label("", "body")
        self.status.setFont(theme.font(40, QFont.Weight.Bold))
        self.status.setStyleSheet(f"color: {theme.GOOD};")
        self.explanation = label("", "body")
        self.facts = label("", "subtitle")
        for widget in (self.status, self.explanation, self.facts):
            result_column.addWidget(widget)
        self.result.hide()
        left.addWidget(self.result)
        self.message = label("", "message-error")
        self.message.hide()
        left.addWidget(self.message)
        left.addStretch(1)
        self.body.addLayout(left, 1)
        self.keypad = Keypad("code", submit_text="Tra cứu")
        self.keypad.typed.connect(self.field.insert)
        self.keypad.erased.connect(self.field.backspace)
        self.keypad.cleared.connect(self.field.clear)
        self.keypad.submitted.connect(self._submit)
        self.body.addWidget(self.keypad, 0)
        column.addLayout(self.body, 1)
        column.addWidget(button("‹  Quay lại trang chủ", self.back.emit, kind="quiet"))

    def _submit(self) -> None:
        self.submitted.emit(self.field.text())

    def reset(self) -> None:
        self.field.clear()
        self.result.hide()
        self.message.hide()

    def show_searching(self) -> None:
        self.result.hide()
        set_role(self.message, "message-warn")
        self.message.setText("Đang tra cứu…")
        self.message.show()

    def show_result(self, found: LookupResult) -> None:
        self.message.hide()
        self.status.setText(found.status)
        self.explanation.setText(found.explanation)
        self.explanation.setVisible(bool(found.explanation))
        facts = [f"Mã hồ sơ: {found.code}"]
        if found.procedure_name:
            facts.append(f"Thủ tục: {found.procedure_name}")
        if found.applicant:
            facts.append(f"Người nộp: {found.applicant}")
        if found.received_at:
            facts.append(f"Ngày tiếp nhận: {found.received_at}")
        if found.due_at:
            facts.append(f"Ngày hẹn trả: {found.due_at}")
        if found.where_to_collect:
            facts.append(f"Nơi nhận kết quả: {found.where_to_collect}")
        self.facts.setText("\n".join(facts))
        self.result.show()

    def show_error(self, text: str) -> None:
        self.result.hide()
        set_role(self.message, "message-error")
        self.message.setText(text)
        self.message.show()

    def set_portrait(self, portrait: bool) -> None:
        self.body.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )


# --- procedures -----------------------------------------------------------------------------


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
        _clear(self.list)
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
        _clear(self.list)
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
        _clear(self.content)
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


# --- staff PIN ------------------------------------------------------------------------------


class PinPage(QWidget):
    submitted = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN * 4, 60, MARGIN * 4, 60)
        column.setSpacing(24)
        column.addWidget(label("Dành cho cán bộ", "title", align=Qt.AlignmentFlag.AlignCenter))
        column.addWidget(
            label(
                "Nhập mã PIN để đóng màn hình lấy số.",
                "subtitle",
                align=Qt.AlignmentFlag.AlignCenter,
            )
        )
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setMaxLength(12)
        self.field.returnPressed.connect(lambda: self.submitted.emit(self.field.text()))
        column.addWidget(self.field)
        self.message = label("", "message-error")
        self.message.hide()
        column.addWidget(self.message)
        self.keypad = Keypad("pin", key_size=110, submit_text="Xác nhận")
        self.keypad.typed.connect(self.field.insert)
        self.keypad.erased.connect(self.field.backspace)
        self.keypad.cleared.connect(self.field.clear)
        self.keypad.submitted.connect(lambda: self.submitted.emit(self.field.text()))
        column.addWidget(self.keypad)
        column.addStretch(1)
        column.addWidget(button("Hủy", self.back.emit, kind="secondary"))

    def reset(self) -> None:
        self.field.clear()
        self.message.hide()

    def show_error(self, text: str) -> None:
        self.field.clear()
        self.message.setText(text)
        self.message.show()

    def set_portrait(self, portrait: bool) -> None:
        pass


PageSetter = Callable[[bool], None]
