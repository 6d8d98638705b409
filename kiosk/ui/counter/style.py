"""The console's compact style: same family as the citizen screens (colours, Be Vietnam Pro),
sized for a clerk at arm's length on a 1366×768 monitor instead of a citizen at two metres.

Set on the console's top widget, so it overrides the application's large kiosk sizes for this
window only."""

from __future__ import annotations

from kiosk.paths import assets_dir
from kiosk.ui.theme import (
    BACKGROUND,
    BAD,
    BAD_SOFT,
    FLAG_RED,
    GOLD,
    GOLD_SOFT,
    GOOD,
    GOOD_SOFT,
    INK,
    INK_SOFT,
    LINE,
    PRIMARY,
    PRIMARY_DARK,
    PRIMARY_SOFT,
    SURFACE,
    WARN,
    WARN_SOFT,
)

#: A bordered field loses Qt's native arrows; these are drawn instead (assets/ui/README.md).
ARROW_DOWN = (assets_dir() / "ui" / "chevron-down.svg").as_posix()
ARROW_UP = (assets_dir() / "ui" / "chevron-up.svg").as_posix()

STYLE = f"""
QWidget {{ font-size: 15px; }}
QWidget#console {{ background: {BACKGROUND}; }}
QFrame#bar {{ background: {SURFACE}; border-bottom: 3px solid {FLAG_RED}; }}
QFrame[role="panel"] {{ background: {SURFACE}; border: 1px solid {LINE}; border-radius: 10px; }}
QFrame[role="serving"] {{
    background: {GOLD_SOFT}; border: 2px solid {GOLD}; border-radius: 10px;
}}
QFrame[role="idle"] {{ background: {PRIMARY_SOFT}; border: 1px solid {LINE}; border-radius: 10px; }}
QLabel[role="office"] {{ font-size: 17px; font-weight: 700; color: {FLAG_RED}; }}
QLabel[role="counter"] {{ font-size: 20px; font-weight: 700; color: {PRIMARY}; }}
QLabel[role="staff"] {{ font-size: 15px; font-weight: 600; color: {INK}; }}
QLabel[role="clock"] {{ font-size: 17px; font-weight: 600; color: {PRIMARY}; }}
QLabel[role="title"] {{ font-size: 20px; font-weight: 700; color: {INK}; }}
QLabel[role="section"] {{ font-size: 15px; font-weight: 700; color: {PRIMARY}; }}
QLabel[role="body"] {{ font-size: 15px; color: {INK}; }}
QLabel[role="hint"] {{ font-size: 13px; color: {INK_SOFT}; }}
QLabel[role="hint-ok"] {{ font-size: 13px; color: {GOOD}; }}
QLabel[role="hint-bad"] {{ font-size: 13px; font-weight: 600; color: {BAD}; }}
QLabel[role="number"] {{ font-size: 56px; font-weight: 800; color: {INK}; }}
QLabel[role="due"] {{ font-size: 17px; font-weight: 700; color: {GOOD}; }}
QLabel[role="big-count"] {{ font-size: 22px; font-weight: 700; color: {PRIMARY}; }}
QLabel[role="message-error"] {{
    font-size: 15px; font-weight: 600; color: {BAD}; background: {BAD_SOFT};
    border: 1px solid {BAD}; border-radius: 8px; padding: 8px 12px;
}}
QLabel[role="message-warn"] {{
    font-size: 15px; font-weight: 600; color: {WARN}; background: {WARN_SOFT};
    border: 1px solid {GOLD}; border-radius: 8px; padding: 8px 12px;
}}
QLabel[role="message-ok"] {{
    font-size: 15px; font-weight: 600; color: {GOOD}; background: {GOOD_SOFT};
    border: 1px solid {GOOD}; border-radius: 8px; padding: 8px 12px;
}}
QLabel[role="offline"] {{
    font-size: 16px; font-weight: 700; color: white; background: {BAD}; padding: 8px 16px;
}}
QPushButton {{
    font-size: 15px; font-weight: 600; color: white; background: {PRIMARY};
    border: none; border-radius: 8px; padding: 8px 14px; min-height: 22px;
}}
QPushButton:hover {{ background: {PRIMARY_DARK}; }}
QPushButton:pressed {{ background: {PRIMARY_DARK}; }}
QPushButton:disabled {{ background: #B7C2CF; color: #F2F5F8; }}
QPushButton[kind="secondary"] {{
    color: {PRIMARY}; background: {SURFACE}; border: 2px solid {PRIMARY};
}}
QPushButton[kind="secondary"]:hover {{ background: {PRIMARY_SOFT}; }}
QPushButton[kind="secondary"]:disabled {{ color: #9AA8B8; border-color: #C9D2DC; }}
QPushButton[kind="danger"] {{ background: {BAD}; }}
QPushButton[kind="held"] {{
    color: {INK}; background: {GOLD_SOFT}; border: 1px solid {GOLD}; text-align: left;
    font-size: 14px; padding: 5px 10px;
}}
QPushButton[kind="held"]:hover {{ background: {SURFACE}; }}
QPushButton[kind="alert"] {{
    color: white; background: {BAD}; border: none; font-size: 14px; padding: 6px 12px;
}}
QPushButton[kind="alert"]:hover {{ background: {FLAG_RED}; }}
QPushButton[kind="good"] {{ background: {GOOD}; }}
QPushButton[kind="tab"] {{
    color: {INK_SOFT}; background: transparent; border: none; border-radius: 0;
    border-bottom: 3px solid transparent; padding: 8px 16px;
}}
QPushButton[kind="tab"]:checked {{ color: {PRIMARY}; border-bottom: 3px solid {PRIMARY}; }}
QLineEdit, QComboBox, QSpinBox, QDateEdit, QPlainTextEdit {{
    font-size: 15px; font-weight: 400; color: {INK}; background: {SURFACE};
    border: 1px solid #AEBBCB; border-radius: 6px; padding: 5px 8px;
}}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QPlainTextEdit:focus {{
    border: 2px solid {PRIMARY};
}}
QLineEdit[state="bad"] {{ border: 2px solid {BAD}; background: {BAD_SOFT}; }}
QLineEdit[state="ok"] {{ border: 1px solid {GOOD}; }}
QListWidget, QTableWidget {{
    font-size: 14px; background: {SURFACE}; border: 1px solid {LINE}; border-radius: 6px;
    selection-background-color: {PRIMARY_SOFT}; selection-color: {INK};
}}
QListWidget::item {{ padding: 4px 6px; }}
QHeaderView::section {{
    font-size: 13px; font-weight: 700; color: {INK_SOFT}; background: {BACKGROUND};
    border: none; border-bottom: 1px solid {LINE}; padding: 4px 6px;
}}
QCheckBox {{ font-size: 14px; }}
QScrollBar:vertical {{ width: 12px; background: {BACKGROUND}; margin: 0; }}
QScrollBar::handle:vertical {{ background: #AEBBCB; border-radius: 6px; min-height: 40px; }}
QComboBox, QDateEdit, QSpinBox {{ padding-right: 26px; }}
QSpinBox[buttonSymbols="NoButtons"] {{ padding-right: 8px; }}
QComboBox::drop-down, QDateEdit::drop-down {{
    subcontrol-origin: padding; subcontrol-position: center right; width: 24px;
    border: none; border-left: 1px solid {LINE};
}}
QComboBox::down-arrow, QDateEdit::down-arrow {{
    image: url("{ARROW_DOWN}"); width: 14px; height: 14px;
}}
QSpinBox::up-button, QSpinBox::down-button, QDateEdit::up-button, QDateEdit::down-button {{
    subcontrol-origin: border; width: 24px; border: none; border-left: 1px solid {LINE};
}}
QSpinBox::up-button, QDateEdit::up-button {{ subcontrol-position: top right; }}
QSpinBox::down-button, QDateEdit::down-button {{ subcontrol-position: bottom right; }}
QSpinBox::up-arrow, QDateEdit::up-arrow {{ image: url("{ARROW_UP}"); width: 12px; height: 12px; }}
QSpinBox::down-arrow, QDateEdit::down-arrow {{
    image: url("{ARROW_DOWN}"); width: 12px; height: 12px;
}}
QComboBox::down-arrow:disabled, QSpinBox::up-arrow:disabled, QSpinBox::down-arrow:disabled {{
    image: none;
}}
"""
