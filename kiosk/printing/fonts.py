"""The bundled thermal font: Be Vietnam Pro (OFL-1.1) from the `fontpkg-be-vietnam-pro` package.

It covers every Vietnamese letter as a precomposed glyph, so NFC text renders with perfect
diacritics without depending on the printer's code pages (see assets/fonts/README.md).
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from pathlib import Path

import fontpkg_be_vietnam_pro  # type: ignore[import-untyped]
from PIL import ImageFont

FAMILY = fontpkg_be_vietnam_pro.FAMILY


class Weight(Enum):
    REGULAR = "Regular"
    MEDIUM = "Medium"
    SEMIBOLD = "SemiBold"
    BOLD = "Bold"
    EXTRABOLD = "ExtraBold"


def font_path(weight: Weight = Weight.REGULAR) -> Path:
    """The TTF file of one weight; FileNotFoundError means a broken installation (a bug)."""
    path = Path(fontpkg_be_vietnam_pro.ROOT) / "files" / f"BeVietnamPro-{weight.value}.ttf"
    if not path.is_file():
        raise FileNotFoundError(f"bundled font missing: {path}")
    return path


@lru_cache(maxsize=128)
def thermal_font(weight: Weight, size: int) -> ImageFont.FreeTypeFont:
    """The font at `size` pixels (cached: loading a face costs more than drawing a ticket)."""
    return ImageFont.truetype(str(font_path(weight)), size)
