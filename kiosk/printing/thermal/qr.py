"""QR symbols as 1-bit images: one drawing shared by the layouts and the ESC/POS decoder.

The layouts draw a QR into the raster when the printer cannot draw it natively, and the decoder
draws a native `GS ( k` QR the same way, so both paths give the same page.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final, Literal

import qrcode
from PIL import Image

EcLevel = Literal["L", "M", "Q", "H"]

#: ESC/POS `GS ( k` function 69 takes 48 + n with n = 0..3 for L, M, Q, H.
ESCPOS_EC: Final[dict[EcLevel, int]] = {"L": 0, "M": 1, "Q": 2, "H": 3}
_QRCODE_EC: Final = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


#: A fixed mask pattern: choosing the "best" of 8 costs ~25 ms per symbol in pure Python, and
#: any of the 8 is valid QR; printers drawing natively pick their own, which decoders read alike.
MASK_PATTERN: Final = 0


@lru_cache(maxsize=256)
def qr_modules(payload: str, ec: EcLevel = "M") -> tuple[tuple[bool, ...], ...]:
    """The symbol's modules (True = dark), smallest version that fits, no quiet zone."""
    if not payload.isascii():
        # Decoders guess the encoding of 8-bit QR data (PITFALLS.md): keep payloads ASCII.
        raise ValueError(f"QR payload must be ASCII: {payload!r}")
    code = qrcode.QRCode(
        version=None, error_correction=_QRCODE_EC[ec], border=0, mask_pattern=MASK_PATTERN
    )
    code.add_data(payload)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def qr_image(payload: str, module: int, ec: EcLevel = "M") -> Image.Image:
    """The symbol as a mode "1" image, `module` dots per module, no quiet zone."""
    matrix = qr_modules(payload, ec)
    count = len(matrix)
    small = Image.new("1", (count, count), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return small.resize((count * module, count * module), Image.Resampling.NEAREST)
