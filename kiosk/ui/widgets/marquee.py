"""A calm scrolling line of text (the display board's notice from the settings)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

STEP_PX = 2
TICK_MS = 16


class Marquee(QWidget):
    """Text scrolling right to left, repeated with a gap; still when it fits the width."""

    def __init__(self, text: str, font: QFont, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self._font = font
        self._colour = QColor(colour)
        self._offset = 0.0
        self.setMinimumHeight(QFontMetrics(font).height() + 16)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def set_text(self, text: str) -> None:
        self._text = text
        self._offset = 0.0
        self.update()

    def text(self) -> str:
        return self._text

    def freeze(self) -> None:
        """Stop scrolling (screenshots)."""
        self._timer.stop()
        self._offset = 0.0
        self.update()

    def _span(self) -> int:
        return QFontMetrics(self._font).horizontalAdvance(self._text) + 160

    def _tick(self) -> None:
        if QFontMetrics(self._font).horizontalAdvance(self._text) <= self.width() - 40:
            self._offset = 0.0
            return
        self._offset = (self._offset + STEP_PX) % self._span()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(self._font)
        painter.setPen(self._colour)
        width = QFontMetrics(self._font).horizontalAdvance(self._text)
        height = float(self.height())
        if width <= self.width() - 40:
            painter.drawText(
                QRectF(0, 0, self.width(), height), Qt.AlignmentFlag.AlignCenter, self._text
            )
            return
        x = 20 - self._offset
        while x < self.width():
            painter.drawText(
                QRectF(x, 0, width + 10, height), Qt.AlignmentFlag.AlignVCenter, self._text
            )
            x += self._span()
