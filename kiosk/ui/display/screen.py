"""The display board (1920×1080 TV): counters and their numbers, the latest call, last calls.

Readable from the back of the room: white on deep blue, the called number in gold. A new call
blinks for a few seconds, then stays highlighted. When the hub is unreachable a red band says
so and the board reconnects by itself; what it shows meanwhile is dimmed, never wrong-looking.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsOpacityEffect,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import system_clock
from kiosk.domain import formats
from kiosk.ui import theme
from kiosk.ui.display.board import Board, Call
from kiosk.ui.events import EventStream
from kiosk.ui.widgets import Marquee

if TYPE_CHECKING:  # Qt Multimedia is loaded only by a board that speaks
    from kiosk.ui.voice_player import CallAnnouncer

log = logging.getLogger(__name__)

BLINKS = 8
OFFLINE_TEXT = "MẤT KẾT NỐI VỚI MÁY CHỦ — đang tự động kết nối lại…"
#: The hub closed the stream with 4401: the token was revoked or is wrong.
UNAUTHORIZED_TEXT = (
    "BẢNG CHƯA ĐƯỢC CẤP QUYỀN — mã truy cập sai hoặc đã bị thu hồi; xin báo cán bộ quản trị."
)
BLINK_MS = 450


def _text(text: str, pixels: int, weight: QFont.Weight, colour: str, align: Any = None) -> QLabel:
    widget = QLabel(text)
    widget.setFont(theme.font(pixels, weight))
    widget.setStyleSheet(f"color: {colour}; background: transparent;")
    if align is not None:
        widget.setAlignment(align)
    return widget


class CounterTile(QFrame):
    """One open counter: its number and name, and the ticket number it serves now."""

    def __init__(
        self, number: int, name: str, serving: str, *, highlight: bool, compact: bool
    ) -> None:
        super().__init__()
        border = theme.GOLD if highlight else theme.BOARD_LINE
        self.setStyleSheet(
            f"QFrame {{ background: {theme.BOARD_PANEL}; border: 3px solid {border};"
            " border-radius: 18px; }"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(28, 6, 28, 6)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addStretch(1)
        big = 44 if compact else 54
        title = _text(f"Quầy {number}", big, QFont.Weight.Bold, theme.BOARD_TEXT)
        title.setStyleSheet(title.styleSheet() + " border: none;")
        names.addWidget(title)
        detail = name.split("—", 1)[1].strip() if "—" in name else ""
        if detail and not compact:
            sub = _text(detail, 24, QFont.Weight.Normal, theme.BOARD_TEXT_SOFT)
            sub.setStyleSheet(sub.styleSheet() + " border: none;")
            names.addWidget(sub)
        names.addStretch(1)
        row.addLayout(names, 1)
        shown = serving or "—"
        colour = (
            theme.GOLD if highlight else (theme.BOARD_TEXT if serving else theme.BOARD_TEXT_SOFT)
        )
        value = _text(shown, 64 if compact else 80, QFont.Weight.ExtraBold, colour)
        value.setStyleSheet(value.styleSheet() + " border: none;")
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.value = value
        row.addWidget(value)


class DisplayWindow(QWidget):
    """The board; feed it with `apply_snapshot` / `apply_event` or connect an EventStream."""

    #: A call to say aloud: number, counter, recall (0 for a first call). `voice` speaks it.
    announced = Signal(str, int, int)

    def __init__(
        self,
        *,
        office_name: str,
        notice: str,
        stream: EventStream | None = None,
        now: Callable[[], datetime] | None = None,
        voice: CallAnnouncer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Một Cửa — Bảng hiển thị")
        self.voice = voice
        if voice is not None:
            self.announced.connect(voice.announce)
        self.setStyleSheet(f"DisplayWindow {{ background: {theme.BOARD_BACKGROUND}; }}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.board = Board()
        self.stream = stream
        self._now = now or system_clock
        self._blinks_left = 0
        self.online = stream is None

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        column.addWidget(self._build_top(office_name))
        column.addWidget(self._build_offline_band())
        column.addWidget(self._build_main(), 1)
        self._dim = QGraphicsOpacityEffect(self.main)
        self._dim.setOpacity(1.0 if self.online else 0.45)
        self.main.setGraphicsEffect(self._dim)
        column.addWidget(self._build_bottom(notice))

        self._clock = QTimer(self)
        self._clock.timeout.connect(self.tick)
        self._clock.start(1000)
        self._blink = QTimer(self)
        self._blink.setInterval(BLINK_MS)
        self._blink.timeout.connect(self._blink_step)
        self.tick()
        self._render()
        if stream is not None:
            stream.snapshot.connect(self.apply_snapshot)
            stream.event.connect(self.apply_event)
            stream.online.connect(self.set_online)
            stream.unauthorized.connect(self.set_unauthorized)

    # --- building the board ---------------------------------------------------------------------

    def _build_top(self, office_name: str) -> QFrame:
        """The band across the top: office name on the left, time and date on the right."""
        top = QFrame()
        top.setObjectName("top")
        top.setStyleSheet(
            f"QFrame#top {{ background: {theme.BOARD_PANEL};"
            f" border-bottom: 4px solid {theme.FLAG_RED}; }}"
        )
        top_row = QHBoxLayout(top)
        top_row.setContentsMargins(48, 18, 48, 18)
        names = QVBoxLayout()
        names.setSpacing(0)
        self.office = _text(office_name.upper(), 40, QFont.Weight.Bold, theme.BOARD_TEXT)
        names.addWidget(self.office)
        names.addWidget(
            _text(
                "Bộ phận Tiếp nhận và Trả kết quả", 26, QFont.Weight.Normal, theme.BOARD_TEXT_SOFT
            )
        )
        top_row.addLayout(names, 1)
        times = QVBoxLayout()
        times.setSpacing(0)
        self.time = _text("", 56, QFont.Weight.Bold, theme.GOLD, Qt.AlignmentFlag.AlignRight)
        self.date = _text(
            "", 26, QFont.Weight.Normal, theme.BOARD_TEXT_SOFT, Qt.AlignmentFlag.AlignRight
        )
        times.addWidget(self.time)
        times.addWidget(self.date)
        top_row.addLayout(times)
        return top

    def _build_offline_band(self) -> QLabel:
        """The red band shown while the hub is unreachable (or refuses this board)."""
        self.offline_band = _text(
            OFFLINE_TEXT,
            34,
            QFont.Weight.Bold,
            "white",
            Qt.AlignmentFlag.AlignCenter,
        )
        self.offline_band.setStyleSheet(f"color: white; background: {theme.BAD}; padding: 14px;")
        self.offline_band.setVisible(not self.online)
        return self.offline_band

    def _build_main(self) -> QWidget:
        """The counters' tiles on the left, the latest call and the last calls on the right."""
        self.main = QWidget()
        main_row = QHBoxLayout(self.main)
        main_row.setContentsMargins(40, 28, 40, 24)
        main_row.setSpacing(36)
        main_row.addLayout(self._build_tiles_column(), 58)
        main_row.addLayout(self._build_calls_column(), 42)
        return self.main

    def _build_tiles_column(self) -> QVBoxLayout:
        left = QVBoxLayout()
        left.setSpacing(14)
        heads = QHBoxLayout()
        heads.setContentsMargins(30, 0, 30, 0)
        heads.addWidget(_text("QUẦY", 28, QFont.Weight.Bold, theme.BOARD_TEXT_SOFT), 1)
        heads.addWidget(_text("ĐANG PHỤC VỤ SỐ", 28, QFont.Weight.Bold, theme.BOARD_TEXT_SOFT))
        left.addLayout(heads)
        self.tiles = QGridLayout()
        self.tiles.setSpacing(14)
        left.addLayout(self.tiles)
        left.addStretch(1)
        return left

    def _build_calls_column(self) -> QVBoxLayout:
        right = QVBoxLayout()
        right.setSpacing(18)
        self.hero = QFrame()
        hero_column = QVBoxLayout(self.hero)
        hero_column.setContentsMargins(24, 22, 24, 28)
        hero_column.setSpacing(0)
        self.hero_caption = _text(
            "MỜI CÔNG DÂN CÓ SỐ",
            32,
            QFont.Weight.Bold,
            theme.BOARD_TEXT,
            Qt.AlignmentFlag.AlignCenter,
        )
        self.hero_number = _text(
            "", 200, QFont.Weight.ExtraBold, theme.GOLD, Qt.AlignmentFlag.AlignCenter
        )
        self.hero_counter = _text(
            "", 52, QFont.Weight.Bold, theme.BOARD_TEXT, Qt.AlignmentFlag.AlignCenter
        )
        for widget in (self.hero_caption, self.hero_number, self.hero_counter):
            hero_column.addWidget(widget)
        right.addWidget(self.hero)
        right.addWidget(_text("CÁC SỐ VỪA GỌI", 28, QFont.Weight.Bold, theme.BOARD_TEXT_SOFT))
        self.recent = QVBoxLayout()
        self.recent.setSpacing(8)
        right.addLayout(self.recent)
        right.addStretch(1)
        return right

    def _build_bottom(self, notice: str) -> QFrame:
        """The scrolling notice along the bottom."""
        bottom = QFrame()
        bottom.setObjectName("bottom")
        bottom.setStyleSheet(
            f"QFrame#bottom {{ background: {theme.BOARD_PANEL};"
            f" border-top: 2px solid {theme.BOARD_LINE}; }}"
        )
        bottom_row = QHBoxLayout(bottom)
        bottom_row.setContentsMargins(0, 8, 0, 8)
        self.notice = Marquee(notice, theme.font(34, QFont.Weight.Medium), theme.BOARD_TEXT)
        bottom_row.addWidget(self.notice)
        return bottom

    # --- feeding --------------------------------------------------------------------------------

    def apply_snapshot(self, snapshot: dict[str, Any]) -> None:
        self.board.apply_snapshot(snapshot)
        self._render()

    def apply_event(self, event: dict[str, Any]) -> None:
        if event.get("kind") == "office.changed":
            # The counters' new names follow from "queue.configured" (a fresh snapshot).
            self.apply_office(event.get("details") or {})
            return
        call = self.board.apply_event(event)
        if self.board.needs_snapshot and self.stream is not None:
            self.stream.resync()
        self._render()
        if call is not None:
            self._announce(call)

    def set_online(self, online: bool) -> None:
        self.online = online
        if online:
            self.offline_band.setText(OFFLINE_TEXT)
        self.offline_band.setVisible(not online)
        self._dim.setOpacity(1.0 if online else 0.45)

    def set_unauthorized(self) -> None:
        """The hub refused this board's token: say so, so the IT officer knows what to fix."""
        self.set_online(False)
        self.offline_band.setText(UNAUTHORIZED_TEXT)

    def shutdown(self) -> None:
        self._clock.stop()
        self._blink.stop()
        self.notice.freeze()
        if self.stream is not None:
            self.stream.stop()
        if self.voice is not None:
            self.voice.stop()

    def closeEvent(self, event: object) -> None:
        self.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]

    def tick(self) -> None:
        moment = self._now()
        self.time.setText(f"{moment:%H:%M}")
        self.date.setText(formats.day_and_date(moment))

    # --- drawing --------------------------------------------------------------------------------

    def _announce(self, call: Call) -> None:
        self.announced.emit(call.number, call.counter, call.recall)
        self._blinks_left = BLINKS
        self._blink.start()
        self._blink_step()

    def _blink_step(self) -> None:
        self._blinks_left -= 1
        bright = self._blinks_left % 2 == 1
        if self._blinks_left <= 0:
            self._blink.stop()
            bright = False
        self._paint_hero(bright)

    def _paint_hero(self, bright: bool) -> None:
        if bright:
            background, number, text = theme.GOLD, theme.BOARD_BACKGROUND, theme.BOARD_BACKGROUND
        else:
            background, number, text = theme.BOARD_PANEL, theme.GOLD, theme.BOARD_TEXT
        self.hero.setStyleSheet(
            f"QFrame {{ background: {background}; border: 4px solid {theme.GOLD};"
            " border-radius: 24px; }"
        )
        self.hero_number.setStyleSheet(f"color: {number}; background: transparent; border: none;")
        self.hero_caption.setStyleSheet(f"color: {text}; background: transparent; border: none;")
        self.hero_counter.setStyleSheet(f"color: {text}; background: transparent; border: none;")

    def _render(self) -> None:
        for layout in (self.tiles, self.recent):
            while layout.count():
                widget = layout.takeAt(0).widget()
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()
        latest = self.board.latest
        counters = self.board.open_counters()
        compact = len(counters) > 6
        columns = 2 if compact else 1
        for index, row in enumerate(counters):
            tile = CounterTile(
                row.number,
                row.name,
                row.serving,
                highlight=latest is not None
                and latest.counter == row.number
                and row.serving == latest.number,
                compact=compact,
            )
            tile.setFixedHeight(96 if compact else 118)
            self.tiles.addWidget(tile, index // columns, index % columns)
        if not counters:
            self.tiles.addWidget(
                _text("Chưa có quầy nào mở.", 36, QFont.Weight.Medium, theme.BOARD_TEXT_SOFT), 0, 0
            )
        if latest is None:
            self.hero_caption.setText("XIN MỜI LẤY SỐ THỨ TỰ")
            self.hero_number.setText("—")
            self.hero_counter.setText("và chờ đến lượt")
        else:
            self.hero_caption.setText("MỜI CÔNG DÂN CÓ SỐ")
            self.hero_number.setText(latest.number)
            self.hero_counter.setText(f"ĐẾN QUẦY SỐ {latest.counter}")
        if not self._blink.isActive():
            self._paint_hero(False)
        for call in self.board.calls[1:6]:
            line = QFrame()
            line.setStyleSheet(f"QFrame {{ border-bottom: 2px solid {theme.BOARD_LINE}; }}")
            line_row = QHBoxLayout(line)
            line_row.setContentsMargins(16, 6, 16, 6)
            number = _text(call.number, 48, QFont.Weight.Bold, theme.BOARD_TEXT)
            number.setStyleSheet(number.styleSheet() + " border: none;")
            arrow = _text(f"→  Quầy {call.counter}", 40, QFont.Weight.Medium, theme.BOARD_TEXT_SOFT)
            arrow.setStyleSheet(arrow.styleSheet() + " border: none;")
            arrow.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            line_row.addWidget(number, 1)
            line_row.addWidget(arrow)
            self.recent.addWidget(line)

    def set_office(self, name: str) -> None:
        self.office.setText(name.upper())

    def apply_office(self, facts: dict[str, Any]) -> None:
        """The admin changed the office's name, notice or voice: follow them at once."""
        if self.voice is not None and isinstance(facts.get("voice"), dict):
            self.voice.follow(facts["voice"])
        if facts.get("office_name"):
            self.set_office(str(facts["office_name"]))
        if facts.get("notice") and str(facts["notice"]) != self.notice.text():
            self.notice.set_text(str(facts["notice"]))
