"""What every kiosk page shares: the side margin and emptying a layout before refilling it."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QGridLayout

MARGIN = 48


def clear_layout(layout: QBoxLayout | QGridLayout) -> None:
    """Take every item out of `layout`; its widgets are hidden and deleted."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
