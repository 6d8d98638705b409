"""The serif family of the forms: Times New Roman when the PC has it, else Liberation Serif.

Official documents are set in Times New Roman (Nghị định 30/2020), which may not be shipped.
Liberation Serif (bundled under assets/fonts/, SIL OFL 1.1) has the same metrics, so a form breaks
its lines at the same places whichever font is used. Both are registered as a reportlab family
so `<b>`/`<i>` in paragraphs pick the real bold and italic faces.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.paths import assets_dir

# Every letter Vietnamese needs beyond ASCII, upper and lower case: a system font missing one of
# them (an old times.ttf) would print a box, so it is passed over.
VIETNAMESE_LETTERS: Final = (
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)

STYLES: Final = ("regular", "bold", "italic", "bold_italic")

# File names of Times New Roman per style: Windows names, then the msttcorefonts/macOS names.
TIMES_FILES: Final[dict[str, tuple[str, ...]]] = {
    "regular": ("times.ttf", "Times_New_Roman.ttf", "Times New Roman.ttf"),
    "bold": ("timesbd.ttf", "Times_New_Roman_Bold.ttf", "Times New Roman Bold.ttf"),
    "italic": ("timesi.ttf", "Times_New_Roman_Italic.ttf", "Times New Roman Italic.ttf"),
    "bold_italic": (
        "timesbi.ttf",
        "Times_New_Roman_Bold_Italic.ttf",
        "Times New Roman Bold Italic.ttf",
    ),
}

BUNDLED_FILES: Final[dict[str, str]] = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold_italic": "LiberationSerif-BoldItalic.ttf",
}


@dataclass(frozen=True, slots=True)
class FontFamily:
    """A registered family: `name` for paragraph styles, one font name per style."""

    name: str
    label: str  # what was found, for logs and the print-test report
    regular: str
    bold: str
    italic: str
    bold_italic: str
    files: tuple[Path, ...]


def system_font_dirs() -> list[Path]:
    """Folders where Times New Roman lives on Windows, Linux and macOS."""
    dirs: list[Path] = []
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows"
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:  # per-user font installs (Windows 10 1809+)
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    dirs += [
        Path("/usr/share/fonts/truetype/msttcorefonts"),
        Path("/usr/share/fonts/msttcore"),
        Path("/usr/share/fonts/TTF"),
        Path("/usr/share/fonts/truetype"),
        Path.home() / ".fonts",
        Path.home() / ".local/share/fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts/Supplemental"),
    ]
    return dirs


def covers_vietnamese(font: TTFont) -> bool:
    """True when the font has a glyph for every Vietnamese letter."""
    cmap = font.face.charToGlyph
    return all(ord(ch) in cmap for ch in VIETNAMESE_LETTERS)


def _find_times(dirs: Iterable[Path]) -> dict[str, Path] | None:
    for folder in dirs:
        found: dict[str, Path] = {}
        for style, names in TIMES_FILES.items():
            for name in names:
                path = folder / name
                if path.is_file():
                    found[style] = path
                    break
        if len(found) == len(STYLES):
            return found
    return None


def _load(paths: dict[str, Path], prefix: str) -> dict[str, TTFont] | None:
    try:
        fonts = {style: TTFont(f"{prefix}-{style}", str(paths[style])) for style in STYLES}
    except Exception:
        # A damaged, truncated or unreadable font file raises whatever the parser hit
        # (TTFError, struct.error, IndexError...): fall back to the bundled font, never fail.
        return None
    if not all(covers_vietnamese(f) for f in fonts.values()):
        return None
    return fonts


def _register(
    family: str, fonts: dict[str, TTFont], label: str, paths: dict[str, Path]
) -> FontFamily:
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    names = {style: font.fontName for style, font in fonts.items()}
    pdfmetrics.registerFontFamily(
        family,
        normal=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        boldItalic=names["bold_italic"],
    )
    return FontFamily(
        name=family,
        label=label,
        regular=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        bold_italic=names["bold_italic"],
        files=tuple(paths[s] for s in STYLES),
    )


@cache
def _register_fonts(prefer_system: bool, dirs: tuple[Path, ...]) -> FontFamily:
    if prefer_system:
        times = _find_times(dirs)
        if times is not None:
            fonts = _load(times, "KioskTimes")
            if fonts is not None:
                return _register("KioskTimes", fonts, "Times New Roman (hệ thống)", times)
    folder = assets_dir() / "fonts"
    bundled = {style: folder / name for style, name in BUNDLED_FILES.items()}
    fonts = _load(bundled, "KioskSerif")
    if fonts is None:  # the installation itself is broken: a bug, not a user error
        raise FileNotFoundError(f"bundled Liberation Serif missing or damaged in {folder}")
    return _register("KioskSerif", fonts, "Liberation Serif (kèm theo)", bundled)


def register_fonts(
    *, prefer_system: bool = True, search_dirs: Sequence[Path] | None = None
) -> FontFamily:
    """Register the form family once per process and return it (cached)."""
    dirs = tuple(search_dirs) if search_dirs is not None else tuple(system_font_dirs())
    return _register_fonts(prefer_system, dirs)
