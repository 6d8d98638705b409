"""Widgets shared by the screens: big buttons, cards, our own keypad, the scrolling notice."""

from kiosk.ui.widgets.basics import Card, button, label, set_role, wait_text
from kiosk.ui.widgets.keypad import Keypad
from kiosk.ui.widgets.marquee import Marquee

__all__ = [
    "Card",
    "Keypad",
    "Marquee",
    "button",
    "label",
    "set_role",
    "wait_text",
]
