"""The screens' part of `kiosk selfcheck` (PySide6 is imported only under kiosk/ui)."""

from __future__ import annotations

import importlib
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QLibraryInfo

#: The screens' own modules: importing them pulls in every Qt module they use.
SCREEN_MODULES = (
    "kiosk.ui.run",
    "kiosk.ui.kiosk.screen",
    "kiosk.ui.counter.window",
    "kiosk.ui.display.screen",
    "kiosk.ui.rating.screen",
    "kiosk.ui.admin.window",
    "kiosk.ui.pdf_printing",
    "PySide6.QtWebSockets",
)


def check_screens() -> str:
    """Import every screen and find Qt's platform plugins; raises on what is missing."""
    for name in SCREEN_MODULES:
        importlib.import_module(name)
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    found = sorted(p.name for p in plugins.glob("*")) if plugins.is_dir() else []
    if not found:
        raise RuntimeError(f"không có plugin màn hình Qt trong {plugins}")
    check_icons()
    return f"giao diện Qt (PySide6 {pyside_version}, {len(found)} plugin màn hình)"


def check_icons() -> None:
    """The fields' arrow icons (SVG, through Qt's svg image plugin) load; a bundle without the
    plugin or the files would show fields without arrows."""
    from PySide6.QtGui import QImage

    from kiosk.ui.counter.style import ARROW_DOWN, ARROW_UP

    for icon in (ARROW_DOWN, ARROW_UP):
        if QImage(icon).isNull():
            raise RuntimeError(f"không đọc được biểu tượng {icon} (thiếu tệp hoặc plugin SVG)")
