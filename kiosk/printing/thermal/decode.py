"""An ESC/POS decoder: the bytes of a job back to the page images a printer would produce.

It understands what our jobs use (init, alignment, `GS v 0` raster, `GS ( k` QR, feeds, cut) and
skips the other common commands by their length; plain text is collected, not drawn. Anything
it does not know is an error, so a test never passes on garbage. Native QR symbols are drawn
with the same `qrcode` drawing as the layouts, at the module size the job asked for.

Used by the tests and by the `png:` virtual printer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from PIL import Image

from kiosk.printing.thermal.layouts import WIDTH_80MM
from kiosk.printing.thermal.qr import EcLevel, qr_image

#: Default line spacing of ESC/POS printers at 203 dpi (3.75 mm).
LINE_HEIGHT: Final = 30

ESC: Final = 0x1B
GS: Final = 0x1D
DLE: Final = 0x10
FS: Final = 0x1C

# Commands skipped by their fixed number of parameter bytes.
_ESC_ARGS: Final = {
    ord("!"): 1, ord("-"): 1, ord("2"): 0, ord("E"): 1, ord("G"): 1, ord("M"): 1,
    ord("R"): 1, ord("t"): 1, ord("V"): 1, ord("{"): 1, ord(" "): 1, ord("$"): 2,
    ord("\\"): 2, ord("="): 1, ord("c"): 2, ord("p"): 3, ord("U"): 1, ord("r"): 1,
}  # fmt: skip
_GS_ARGS: Final = {
    ord("!"): 1, ord("B"): 1, ord("L"): 2, ord("W"): 2, ord("P"): 2, ord("a"): 1,
    ord("H"): 1, ord("h"): 1, ord("w"): 1, ord("f"): 1, ord("b"): 1, ord("r"): 1,
    ord("I"): 1,
}  # fmt: skip
_FS_ARGS: Final = {ord("."): 0, ord("&"): 0, ord("C"): 1}
_EC_NAMES: Final[dict[int, EcLevel]] = {48: "L", 49: "M", 50: "Q", 51: "H"}


class DecodeError(ValueError):
    """The bytes are not a job this decoder understands (a bug in an encoder, or garbage)."""


@dataclass
class DecodedJob:
    """Pages (one per cut, plus what follows the last cut if anything), in order."""

    pages: list[Image.Image] = field(default_factory=list)
    cuts: int = 0
    qr_payloads: list[str] = field(default_factory=list)
    text: str = ""


class _Page:
    def __init__(self, width: int) -> None:
        self.width = width
        self.strips: list[tuple[int, Image.Image | None, int]] = []  # (x, image, height)
        self.height = 0

    def add(self, image: Image.Image, align: int) -> None:
        if image.width > self.width:
            raise DecodeError(f"image {image.width} dots wide on {self.width}-dot paper")
        x = {0: 0, 1: (self.width - image.width) // 2, 2: self.width - image.width}[align]
        self.strips.append((x, image, image.height))
        self.height += image.height

    def feed(self, dots: int) -> None:
        if dots > 0:
            self.strips.append((0, None, dots))
            self.height += dots

    def image(self) -> Image.Image:
        page = Image.new("1", (self.width, max(1, self.height)), 1)
        y = 0
        for x, strip, height in self.strips:
            if strip is not None:
                page.paste(strip, (x, y))
            y += height
        return page

    def empty(self) -> bool:
        return not self.strips


def _raster_image(data: bytes, width_bytes: int, height: int) -> Image.Image:
    # ESC/POS raster: 1 = black; Pillow "1" raw: 1 = white.
    inverted = bytes(255 - b for b in data)
    return Image.frombytes("1", (width_bytes * 8, height), inverted)


def decode(job: bytes, width: int = WIDTH_80MM) -> DecodedJob:
    """Decode a job for paper `width` dots wide into page images (white = 1, mode "1")."""
    result = DecodedJob()
    page = _Page(width)
    align = 0
    line_height = LINE_HEIGHT
    line_has_text = False
    qr_module = 3
    qr_ec: EcLevel = "L"
    qr_data = b""
    text: list[str] = []
    i = 0
    n = len(job)

    def need(count: int) -> bytes:
        if i + count > n:
            raise DecodeError(f"command at byte {i} is cut short")
        return job[i : i + count]

    while i < n:
        byte = job[i]
        if byte == 0x0A:
            page.feed(line_height)
            line_has_text = False
            text.append("\n")
            i += 1
        elif byte == 0x0D:
            i += 1
        elif byte == ESC:
            op = need(2)[1]
            if op == ord("@"):
                align, line_height = 0, LINE_HEIGHT
                i += 2
            elif op == ord("a"):
                value = need(3)[2]
                align = value - 48 if value >= 48 else value
                if align not in (0, 1, 2):
                    raise DecodeError(f"ESC a {value}: unknown alignment")
                i += 3
            elif op == ord("J"):
                page.feed(need(3)[2])
                i += 3
            elif op == ord("d"):
                page.feed(need(3)[2] * line_height)
                i += 3
            elif op == ord("3"):
                line_height = need(3)[2]
                i += 3
            elif op in _ESC_ARGS:
                if op == ord("2"):
                    line_height = LINE_HEIGHT
                need(2 + _ESC_ARGS[op])
                i += 2 + _ESC_ARGS[op]
            else:
                raise DecodeError(f"unknown command ESC {op:#04x} at byte {i}")
        elif byte == GS:
            op = need(2)[1]
            if op == ord("v"):
                head = need(8)
                if head[2] not in (0, 48):
                    raise DecodeError("GS v: only raster mode 0 is understood")
                width_bytes = head[4] | head[5] << 8
                height = head[6] | head[7] << 8
                i += 8
                data = need(width_bytes * height)
                page.add(_raster_image(data, width_bytes, height), align)
                i += width_bytes * height
            elif op == ord("(") and need(3)[2] in (ord("k"), ord("L")):
                head = need(5)
                size = head[3] | head[4] << 8
                i += 5
                body = need(size)
                i += size
                if head[2] == ord("L"):
                    continue  # graphics buffer commands: not used by our jobs
                cn, fn = body[0], body[1]
                if cn != ord("1"):
                    continue  # PDF417 and other 2D codes: skipped
                if fn == 67:
                    qr_module = body[2]
                elif fn == 69:
                    qr_ec = _EC_NAMES.get(body[2], "L")
                elif fn == 80:
                    qr_data = body[3:]
                elif fn == 81:
                    payload = qr_data.decode("ascii", errors="replace")
                    result.qr_payloads.append(payload)
                    page.add(qr_image(payload, qr_module, qr_ec), align)
            elif op == ord("V"):
                mode = need(3)[2]
                i += 3
                if mode in (65, 66, 97, 98, 103, 104):
                    page.feed(need(1)[0])
                    i += 1
                elif mode not in (0, 1, 48, 49):
                    raise DecodeError(f"GS V {mode}: unknown cut")
                result.pages.append(page.image())
                result.cuts += 1
                page = _Page(width)
            elif op in _GS_ARGS:
                need(2 + _GS_ARGS[op])
                i += 2 + _GS_ARGS[op]
            else:
                raise DecodeError(f"unknown command GS {op:#04x} at byte {i}")
        elif byte == DLE:
            op = need(2)[1]
            if op == 0x04:
                i += 3  # DLE EOT n: a status request, answered by the printer, prints nothing
            elif op == 0x14:
                i += 5
            else:
                raise DecodeError(f"unknown command DLE {op:#04x} at byte {i}")
        elif byte == FS:
            op = need(2)[1]
            if op not in _FS_ARGS:
                raise DecodeError(f"unknown command FS {op:#04x} at byte {i}")
            i += 2 + _FS_ARGS[op]
        elif byte >= 0x20:
            line_has_text = True
            text.append(chr(byte) if byte < 0x80 else "?")
            i += 1
        else:
            raise DecodeError(f"unexpected control byte {byte:#04x} at byte {i}")
    if line_has_text:
        page.feed(line_height)
    if not page.empty():
        result.pages.append(page.image())
    result.text = "".join(text)
    return result
