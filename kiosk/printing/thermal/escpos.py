"""A rendered slip as ESC/POS job bytes, built with python-escpos' `Dummy` printer.

One code path for every connection: the whole job is built in memory and sent in one write, and
the very same bytes are what the tests decode.

Bytes are kept low (a 576-dot row is 72 bytes; serial links run at 9600 baud, PITFALLS.md):
- the raster is cut into horizontal bands; white bands become 1-byte-wide blank rasters and ink
  bands are cropped to their ink, centred with `ESC a 1` when cropped on both sides (ESC a
  applies to raster images on ESC/POS printers), left-aligned when only the right is cropped;
- the QR is sent as a native `GS ( k` symbol when the printer's profile supports it, and stays in
  the raster otherwise.
Pixels are never dithered: the slip is already 1-bit, packed here as is (GS v 0, not `image()`,
which would dither and prints to stdout for profiles without a known width).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from escpos.printer import Dummy
from PIL import Image

from kiosk.printing.errors import PrinterSetupError
from kiosk.printing.thermal.layouts import WIDTH_58MM, WIDTH_80MM, RenderedSlip
from kiosk.printing.thermal.qr import ESCPOS_EC

#: Profiles used when an address does not name one (python-escpos capability database names).
DEFAULT_PROFILE_80MM: Final = "TM-T20II"
DEFAULT_PROFILE_58MM: Final = "POS-5890"

#: White runs at least this tall become a blank band (cheaper than full-width white rows).
MIN_WHITE_GAP: Final = 12

_GS_V0: Final = b"\x1dv0\x00"
_ALIGN: Final = {"left": b"\x1ba\x00", "center": b"\x1ba\x01"}
_INVERT: Final = bytes(255 - b for b in range(256))


@dataclass(frozen=True, slots=True)
class PrinterModel:
    """What the encoder needs to know about a printer: its profile and printable width."""

    profile: str
    width: int
    native_qr: bool
    cutter: bool


@lru_cache(maxsize=32)
def printer_model(profile: str | None = None, width: int | None = None) -> PrinterModel:
    """The model for a python-escpos profile name; `width` in dots overrides the profile's.

    Without a profile, 58 mm paper (width 384) uses POS-5890, anything else TM-T20II.
    """
    name = profile or (DEFAULT_PROFILE_58MM if width == WIDTH_58MM else DEFAULT_PROFILE_80MM)
    try:
        dummy = Dummy(profile=name)
    except Exception as error:  # python-escpos raises its own NotSupported/KeyError variants
        raise PrinterSetupError(
            f"Không có cấu hình máy in '{name}' trong danh sách của python-escpos. "
            "Hãy kiểm tra tham số profile trong địa chỉ máy in.",
            profile=name,
        ) from error
    known = dummy.profile.profile_data.get("media", {}).get("width", {}).get("pixels")
    known_width = known if isinstance(known, int) else None
    chosen = width or known_width or WIDTH_80MM
    if known_width is not None and chosen > known_width:
        raise PrinterSetupError(
            f"Máy in '{name}' chỉ in được {known_width} điểm mỗi dòng, "
            f"không in được phiếu rộng {chosen} điểm. Hãy chọn khổ giấy nhỏ hơn.",
            profile=name,
        )
    return PrinterModel(
        profile=name,
        width=chosen,
        native_qr=bool(dummy.profile.supports("qrCode")),
        cutter=bool(
            dummy.profile.supports("paperFullCut") or dummy.profile.supports("paperPartCut")
        ),
    )


def _raster(rows: list[bytes], left: int, right: int) -> bytes:
    """GS v 0 of packed rows (1 = black), byte columns [left, right)."""
    width = right - left
    data = b"".join(row[left:right] for row in rows)
    height = len(rows)
    return _GS_V0 + bytes((width & 0xFF, width >> 8, height & 0xFF, height >> 8)) + data


def _blank(height: int) -> bytes:
    return _GS_V0 + bytes((1, 0, height & 0xFF, height >> 8)) + bytes(height)


def _bands(rows: list[bytes]) -> list[tuple[int, int, bool]]:
    """(start, end, has_ink) runs of rows; white runs shorter than MIN_WHITE_GAP stay inside."""
    blank = bytes(len(rows[0])) if rows else b""
    ink = [row != blank for row in rows]
    bands: list[tuple[int, int, bool]] = []
    start = 0
    y = 0
    total = len(rows)
    while y < total:
        if ink[y]:
            y += 1
            continue
        end = y
        while end < total and not ink[end]:
            end += 1
        if end - y >= MIN_WHITE_GAP or y == 0 or end == total:
            if y > start:
                bands.append((start, y, True))
            bands.append((y, end, False))
            start = end
        y = end
    if start < total:
        bands.append((start, total, True))
    return bands


def encode_raster(image: Image.Image) -> bytes:
    """Raster commands for a mode "1" image (width a multiple of 8), banded and cropped."""
    if image.mode != "1":
        raise ValueError("only 1-bit images are sent: threshold them first, never dither")
    if image.width % 8:
        raise ValueError(f"raster width {image.width} is not a multiple of 8 dots")
    stride = image.width // 8
    # Pillow packs "1" images with 1 = white; ESC/POS wants 1 = black.
    packed = image.tobytes().translate(_INVERT)
    rows = [packed[i : i + stride] for i in range(0, len(packed), stride)]
    out: list[bytes] = []
    align = ""
    for start, end, has_ink in _bands(rows):
        band = rows[start:end]
        if not has_ink:
            # Taller than 65535 rows never happens on a slip; split anyway to stay valid.
            for y in range(0, end - start, 2000):
                out.append(_blank(min(2000, end - start - y)))
            continue
        merged = 0
        for row in band:
            merged |= int.from_bytes(row, "big")
        columns = merged.to_bytes(stride, "big")
        first = len(columns) - len(columns.lstrip(b"\0"))
        last = len(columns.rstrip(b"\0")) - 1
        crop = min(first, stride - 1 - last)
        if crop > 0 and stride - 2 * crop < last + 1:
            wanted, left, right = "center", crop, stride - crop
        else:
            wanted, left, right = "left", 0, last + 1
        if wanted != align:
            out.append(_ALIGN[wanted])
            align = wanted
        out.append(_raster(band, left, right))
    if align != "left":
        out.append(_ALIGN["left"])
    return b"".join(out)


def encode_slip(
    slip: RenderedSlip, model: PrinterModel | None = None, *, cut: bool = True
) -> bytes:
    """The whole job for one slip: init, raster (and native QR when possible), feed, cut."""
    model = model or printer_model(width=slip.width)
    if slip.width > model.width:
        raise PrinterSetupError(
            f"Phiếu rộng {slip.width} điểm, máy in '{model.profile}' chỉ in được {model.width}.",
            profile=model.profile,
        )
    printer = Dummy(profile=model.profile)
    printer.hw("INIT")
    qr = slip.qr
    if qr is not None and model.native_qr and qr.module <= 16:
        image = slip.image
        printer._raw(encode_raster(image.crop((0, 0, slip.width, qr.top))))
        printer._raw(_ALIGN["center"])
        printer.qr(qr.payload, ec=ESCPOS_EC[qr.ec], size=qr.module, native=True)
        printer._raw(_ALIGN["left"])
        printer._raw(encode_raster(image.crop((0, qr.top + qr.size, slip.width, slip.height))))
    else:
        printer._raw(encode_raster(slip.image))
    if cut:
        printer.cut()
    return bytes(printer.output)


def paper_width(millimetres: int) -> int:
    """Printable dots for a roll width: 58 → 384, 80 → 576."""
    widths = {58: WIDTH_58MM, 80: WIDTH_80MM}
    if millimetres not in widths:
        raise PrinterSetupError(
            f"Khổ giấy {millimetres} mm không được hỗ trợ; chọn 58 hoặc 80.", paper=millimetres
        )
    return widths[millimetres]
