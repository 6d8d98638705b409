"""Colours, fonts and the style sheet of the citizen's screens.

Calm and readable from two metres: a pale background, one deep government blue for what can be
touched, the flag's red only for the office name, gold for "this is your number now". Every
font is the bundled Be Vietnam Pro (full Vietnamese coverage), loaded with
`QFontDatabase.addApplicationFont` so screenshots look the same on every machine.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

# --- colours ---------------------------------------------------------------------------------

BACKGROUND = "#F3F5F8"
SURFACE = "#FFFFFF"
INK = "#16202C"
INK_SOFT = "#4A5868"
LINE = "#D6DDE6"
PRIMARY = "#0B4A86"
PRIMARY_DARK = "#083663"
PRIMARY_SOFT = "#E5EEF8"
FLAG_RED = "#B3261E"
GOLD = "#F2B707"
GOLD_SOFT = "#FFF4D1"
GOOD = "#1F7A3D"
GOOD_SOFT = "#E3F3E8"
WARN = "#9A5B00"
WARN_SOFT = "#FFF1DC"
BAD = "#B3261E"
BAD_SOFT = "#FBE7E5"

BOARD_BACKGROUND = "#08213D"
BOARD_PANEL = "#0E3159"
BOARD_LINE = "#1F4B7C"
BOARD_TEXT = "#FFFFFF"
BOARD_TEXT_SOFT = "#B9CBE0"

#: A colour per service-group letter for the kiosk cards' badges (cycled beyond eight).
GROUP_COLOURS = (
    "#0B4A86",
    "#1F7A3D",
    "#8A3FA0",
    "#B65A00",
    "#00707A",
    "#A3264B",
    "#4A5BB0",
    "#5E6B1F",
)


def group_colour(index: int) -> str:
    return GROUP_COLOURS[index % len(GROUP_COLOURS)]


# --- fonts -----------------------------------------------------------------------------------

FAMILY = "Be Vietnam Pro"


def font_folder() -> Path:
    """Where the bundled TTFs are (the same package the thermal printer uses)."""
    from kiosk.printing.fonts import font_path

    return font_path().parent


@cache
def load_fonts() -> str:
    """Register every bundled weight once; returns the family name Qt knows it by."""
    families: set[str] = set()
    for path in sorted(font_folder().glob("BeVietnamPro-*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise RuntimeError(f"Qt could not load the bundled font {path}")
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    if FAMILY not in families:
        raise RuntimeError(f"bundled font family {FAMILY!r} not found in {sorted(families)}")
    return FAMILY


def font(pixels: int, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    """The bundled font at a pixel size (screens are laid out in pixels, not points)."""
    result = QFont(FAMILY)
    result.setPixelSize(pixels)
    result.setWeight(weight)
    result.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return result


# --- style sheet ----------------------------------------------------------------------------

STYLE_SHEET = f"""
* {{ font-family: "{FAMILY}"; color: {INK}; }}
QWidget#screen {{ background: {BACKGROUND}; }}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: 44px; font-weight: 700; color: {INK}; }}
QLabel[role="subtitle"] {{ font-size: 28px; color: {INK_SOFT}; }}
QLabel[role="office"] {{ font-size: 34px; font-weight: 700; color: {FLAG_RED}; }}
QLabel[role="unit"] {{ font-size: 24px; color: {INK_SOFT}; }}
QLabel[role="clock"] {{ font-size: 30px; font-weight: 600; color: {PRIMARY}; }}
QLabel[role="body"] {{ font-size: 28px; color: {INK}; }}
QLabel[role="hint"] {{ font-size: 24px; color: {INK_SOFT}; }}
QLabel[role="message-error"] {{
    font-size: 28px; color: {BAD}; background: {BAD_SOFT};
    border: 2px solid {BAD}; border-radius: 18px; padding: 22px;
}}
QLabel[role="message-warn"] {{
    font-size: 28px; color: {WARN}; background: {WARN_SOFT};
    border: 2px solid {GOLD}; border-radius: 18px; padding: 22px;
}}
QLabel[role="message-ok"] {{
    font-size: 30px; color: {GOOD}; background: {GOOD_SOFT};
    border: 2px solid {GOOD}; border-radius: 18px; padding: 22px;
}}
QFrame#header {{ background: {SURFACE}; border-bottom: 3px solid {FLAG_RED}; }}
QFrame[role="card"] {{ background: {SURFACE}; border: 2px solid {LINE}; border-radius: 24px; }}
QPushButton {{
    font-size: 30px; font-weight: 600; color: white; background: {PRIMARY};
    border: none; border-radius: 20px; padding: 18px 28px;
}}
QPushButton:pressed {{ background: {PRIMARY_DARK}; }}
QPushButton:disabled {{ background: #9AA8B8; color: #EEF2F6; }}
QPushButton[kind="secondary"] {{
    color: {PRIMARY}; background: {SURFACE}; border: 3px solid {PRIMARY};
}}
QPushButton[kind="secondary"]:pressed {{ background: {PRIMARY_SOFT}; }}
QPushButton[kind="quiet"] {{
    color: {PRIMARY}; background: transparent; border: none; font-size: 28px;
}}
QPushButton[kind="key"] {{
    font-size: 34px; font-weight: 600; color: {INK}; background: {SURFACE};
    border: 2px solid {LINE}; border-radius: 14px; padding: 0px;
}}
QPushButton[kind="key"]:pressed {{ background: {PRIMARY_SOFT}; border-color: {PRIMARY}; }}
QPushButton[kind="key-action"] {{
    font-size: 28px; font-weight: 600; color: white; background: {INK_SOFT};
    border-radius: 14px; padding: 0px;
}}
QPushButton[kind="chip"] {{
    font-size: 26px; font-weight: 500; color: {INK}; background: {SURFACE};
    border: 2px solid {LINE}; border-radius: 28px; padding: 14px 26px;
}}
QPushButton[kind="chip"]:checked {{
    color: white; background: {PRIMARY}; border-color: {PRIMARY};
}}
QLineEdit {{
    font-size: 40px; font-weight: 600; color: {INK}; background: {SURFACE};
    border: 3px solid {PRIMARY}; border-radius: 18px; padding: 14px 22px;
}}
QScrollArea {{ background: transparent; border: none; }}
QScrollArea > QWidget > QWidget {{ background: transparent; }}
QScrollBar:vertical {{ width: 22px; background: {BACKGROUND}; margin: 0; }}
QScrollBar::handle:vertical {{ background: #AEBBCB; border-radius: 11px; min-height: 80px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
"""


def apply(app: QApplication) -> None:
    """Fonts, palette and style sheet for the whole application."""
    load_fonts()
    app.setFont(font(24))
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(BACKGROUND))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(INK))
    palette.setColor(QPalette.ColorRole.Base, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.Text, QColor(INK))
    app.setPalette(palette)
    app.setStyleSheet(STYLE_SHEET)


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), themed."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv or ["kiosk"])
    assert isinstance(app, QApplication)
    if not app.property("kiosk_themed"):
        apply(app)
        app.setProperty("kiosk_themed", True)
    return app


#: Qt 6.9's QWebSocket warns about its own internal socket when a connection is torn down and
#: reopened (our reconnects); it says nothing about our objects and would only worry an IT officer.
KNOWN_QT_NOISE = ("QObject::disconnect: wildcard call disconnects from destroyed signal of QTcp",)

_qt_log = logging.getLogger("kiosk.ui.qt")


def route_qt_messages() -> None:
    """Send Qt's own messages to our log file, without the known harmless noise.

    Called by the entry points (`kiosk run`, `kiosk demo`), never by tests: pytest-qt installs
    its own handler to fail a test on any Qt warning.
    """

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message.startswith(KNOWN_QT_NOISE):
            return
        level = {
            QtMsgType.QtDebugMsg: logging.DEBUG,
            QtMsgType.QtInfoMsg: logging.INFO,
            QtMsgType.QtWarningMsg: logging.WARNING,
        }.get(mode, logging.ERROR)
        _qt_log.log(level, "%s", message)

    qInstallMessageHandler(handler)
