"""The kiosk's home page (service groups, entry cards) and the priority page it opens.

Pages only lay out and show; the window (`screen.py`) decides what happens.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.queue.models import PriorityCategory
from kiosk.ui import theme
from kiosk.ui.kiosk.page_layout import MARGIN, clear_layout
from kiosk.ui.kiosk.services import GroupInfo
from kiosk.ui.widgets import Card, button, label, wait_text


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
        clear_layout(self.grid)
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
