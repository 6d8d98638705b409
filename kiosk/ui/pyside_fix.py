"""Stopgap for PySide6 6.12 on Python 3.11: keep None, True and False alive.

PySide6 6.12 assumes Python ≥ 3.12, where None/True/False are immortal: every `Signal.emit()`
drops one reference to True, and every Python slot called from C++ (timers, signals) drops one
to None, without ever taking them. On Python 3.11 their counts fall to zero after a few thousand
signals and the interpreter aborts ("Fatal Python error: none_dealloc"/"bool_dealloc"); a
display board ticking every second would die within the hour. Python 3.12 made these objects
immortal by giving them a huge reference count; this does the same on 3.11, once, before any
Qt object exists. The real fix is Python ≥ 3.12 or a PySide6 release that supports 3.11.
"""

from __future__ import annotations

import ctypes
import sys

#: Far more references than any process will ever drop (2**40 ≈ a trillion emits).
_HEADROOM = 1 << 40


def immortalise_singletons() -> None:
    if sys.version_info >= (3, 12) or getattr(sys, "_kiosk_singletons_pinned", False):
        return
    for value in (None, True, False):
        ctypes.c_ssize_t.from_address(id(value)).value += _HEADROOM
    sys._kiosk_singletons_pinned = True  # type: ignore[attr-defined]


immortalise_singletons()
