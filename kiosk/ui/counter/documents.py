"""The reception form's checklist of documents handed in: one row per document of the
procedure (received, copy kind, count) in a four-column table."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QSpinBox,
    QTableWidget,
)

from kiosk.domain.catalogue import COPY_KIND_LABELS, CopyKind


class DocumentRow:
    def __init__(
        self, position: int, name: str, kinds: tuple[CopyKind, ...], count: int, optional: bool
    ) -> None:
        self.position = position
        self.name = name
        self.optional = optional
        self.check = QCheckBox()
        self.kind = QComboBox()
        for kind in CopyKind:
            self.kind.addItem(COPY_KIND_LABELS[kind], kind.value)
        self.kind.setCurrentIndex(self.kind.findData((kinds or (CopyKind.ORIGINAL,))[0].value))
        self.count = QSpinBox()
        self.count.setRange(1, 99)
        self.count.setValue(max(1, count))
        self.count.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)

    def state(self) -> dict[str, Any]:
        return {
            "received": self.check.isChecked(),
            "copy_kind": self.kind.currentData(),
            "count": self.count.value(),
        }


def documents_table() -> QTableWidget:
    """The empty checklist: received, document, copy kind, count; rows grow with their text."""
    table = QTableWidget(0, 4)
    table.setHorizontalHeaderLabels(["Nhận", "Giấy tờ", "Loại bản", "SL"])
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    # Cell widgets do not count for ResizeToContents: give the copy kind and count room.
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
    header.resizeSection(2, 214)  # "Bản sao chứng thực" and the arrow
    header.resizeSection(3, 52)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    header.sectionResized.connect(lambda *_a: table.resizeRowsToContents())
    return table
