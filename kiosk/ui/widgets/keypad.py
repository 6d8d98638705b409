"""Our own on-screen keypad (Qt Virtual Keyboard is GPL: never used here).

Three layouts: `code` (letters, digits, '.', '-': dossier codes such as 000.00.21.H12-210315-0001),
`text` (letters, digits, space: searching procedures; no accents needed, the search ignores
them) and `pin` (digits only, for staff). Keys are large and never take the keyboard focus, so a
USB scanner typing into the field keeps working while the keypad is on screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

LETTER_ROWS = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
DIGITS = "1234567890"


class Keypad(QWidget):
    """Emits `typed(text)` for a key, `erased()` for ⌫, `cleared()` and `submitted()`."""

    typed = Signal(str)
    erased = Signal()
    cleared = Signal()
    submitted = Signal()

    def __init__(
        self,
        layout: str = "code",
        *,
        key_size: int = 84,
        submit_text: str = "Tra cứu",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.mode = layout
        self._key_size = key_size
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        if layout == "pin":
            column.addLayout(self._pin_grid())
        else:
            column.addLayout(self._row(DIGITS))
            for letters in LETTER_ROWS:
                column.addLayout(self._row(letters))
            extras = QHBoxLayout()
            extras.setSpacing(10)
            if layout == "code":
                extras.addWidget(self._key(".", "."))
                extras.addWidget(self._key("-", "-"))
            else:
                space = self._key("Dấu cách", " ")
                space.setMinimumWidth(key_size * 4)
                extras.addWidget(space, 4)
            extras.addWidget(self._action("⌫ Xóa", self.erased), 2)
            extras.addWidget(self._action("Xóa hết", self.cleared), 2)
            column.addLayout(extras)
        enter = QPushButton(submit_text)
        enter.setMinimumHeight(key_size)
        enter.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        enter.clicked.connect(lambda _checked=False: self.submitted.emit())
        column.addWidget(enter)

    def _key(self, caption: str, value: str) -> QPushButton:
        key = QPushButton(caption)
        key.setProperty("kind", "key")
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        key.setMinimumSize(self._key_size, self._key_size)
        key.setAutoRepeat(False)
        key.clicked.connect(lambda _checked=False, v=value: self.typed.emit(v))
        return key

    def _action(self, caption: str, signal: Signal) -> QPushButton:
        key = QPushButton(caption)
        key.setProperty("kind", "key-action")
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        key.setMinimumHeight(self._key_size)
        key.clicked.connect(lambda _checked=False: signal.emit())  # type: ignore[attr-defined]
        return key

    def _row(self, keys: str) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addStretch(1)
        for char in keys:
            row.addWidget(self._key(char, char))
        row.addStretch(1)
        return row

    def _pin_grid(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(12)
        for index, char in enumerate("123456789"):
            grid.addWidget(self._key(char, char), index // 3, index % 3)
        grid.addWidget(self._action("⌫", self.erased), 3, 0)
        grid.addWidget(self._key("0", "0"), 3, 1)
        grid.addWidget(self._action("Xóa", self.cleared), 3, 2)
        return grid

    def key_button(self, caption: str) -> QPushButton:
        """The key showing `caption` (tests press real keys)."""
        for key in self.findChildren(QPushButton):
            if key.text() == caption:
                return key
        raise KeyError(caption)
