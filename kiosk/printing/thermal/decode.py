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
    return _Decoder(job, width).run()


class _Decoder:
    """One pass over a job: `i` is the next byte; each command handler moves it past the
    command and updates the printer's state (alignment, line height, the QR being built)."""

    def __init__(self, job: bytes, width: int) -> None:
        self.job = job
        self.n = len(job)
        self.i = 0
        self.width = width
        self.result = DecodedJob()
        self.page = _Page(width)
        self.align = 0
        self.line_height = LINE_HEIGHT
        self.line_has_text = False
        self.qr_module = 3
        self.qr_ec: EcLevel = "L"
        self.qr_data = b""
        self.text: list[str] = []

    def need(self, count: int) -> bytes:
        """The next `count` bytes from `i` (not consumed), or an error if the job ends first."""
        if self.i + count > self.n:
            raise DecodeError(f"command at byte {self.i} is cut short")
        return self.job[self.i : self.i + count]

    def run(self) -> DecodedJob:
        while self.i < self.n:
            self.step(self.job[self.i])
        if self.line_has_text:
            self.page.feed(self.line_height)
        if not self.page.empty():
            self.result.pages.append(self.page.image())
        self.result.text = "".join(self.text)
        return self.result

    def step(self, byte: int) -> None:
        """Decode the command or character that starts at `i`."""
        if byte == 0x0A:
            self.page.feed(self.line_height)
            self.line_has_text = False
            self.text.append("\n")
            self.i += 1
        elif byte == 0x0D:
            self.i += 1
        elif byte == ESC:
            self.esc(self.need(2)[1])
        elif byte == GS:
            self.gs(self.need(2)[1])
        elif byte == DLE:
            self.dle(self.need(2)[1])
        elif byte == FS:
            op = self.need(2)[1]
            if op not in _FS_ARGS:
                raise DecodeError(f"unknown command FS {op:#04x} at byte {self.i}")
            self.i += 2 + _FS_ARGS[op]
        elif byte >= 0x20:
            self.line_has_text = True
            self.text.append(chr(byte) if byte < 0x80 else "?")
            self.i += 1
        else:
            raise DecodeError(f"unexpected control byte {byte:#04x} at byte {self.i}")

    def esc(self, op: int) -> None:
        if op == ord("@"):
            self.align, self.line_height = 0, LINE_HEIGHT
            self.i += 2
        elif op == ord("a"):
            value = self.need(3)[2]
            self.align = value - 48 if value >= 48 else value
            if self.align not in (0, 1, 2):
                raise DecodeError(f"ESC a {value}: unknown alignment")
            self.i += 3
        elif op == ord("J"):
            self.page.feed(self.need(3)[2])
            self.i += 3
        elif op == ord("d"):
            self.page.feed(self.need(3)[2] * self.line_height)
            self.i += 3
        elif op == ord("3"):
            self.line_height = self.need(3)[2]
            self.i += 3
        elif op in _ESC_ARGS:
            if op == ord("2"):
                self.line_height = LINE_HEIGHT
            self.need(2 + _ESC_ARGS[op])
            self.i += 2 + _ESC_ARGS[op]
        else:
            raise DecodeError(f"unknown command ESC {op:#04x} at byte {self.i}")

    def gs(self, op: int) -> None:
        if op == ord("v"):
            self.raster()
        elif op == ord("(") and self.need(3)[2] in (ord("k"), ord("L")):
            self.two_d()
        elif op == ord("V"):
            self.cut()
        elif op in _GS_ARGS:
            self.need(2 + _GS_ARGS[op])
            self.i += 2 + _GS_ARGS[op]
        else:
            raise DecodeError(f"unknown command GS {op:#04x} at byte {self.i}")

    def raster(self) -> None:
        """`GS v 0`: a raster image, drawn at the current alignment."""
        head = self.need(8)
        if head[2] not in (0, 48):
            raise DecodeError("GS v: only raster mode 0 is understood")
        width_bytes = head[4] | head[5] << 8
        height = head[6] | head[7] << 8
        self.i += 8
        data = self.need(width_bytes * height)
        self.page.add(_raster_image(data, width_bytes, height), self.align)
        self.i += width_bytes * height

    def two_d(self) -> None:
        """`GS ( k` (2D codes: the QR's module size, error level, data, print) and `GS ( L`."""
        head = self.need(5)
        size = head[3] | head[4] << 8
        self.i += 5
        body = self.need(size)
        self.i += size
        if head[2] == ord("L"):
            return  # graphics buffer commands: not used by our jobs
        cn, fn = body[0], body[1]
        if cn != ord("1"):
            return  # PDF417 and other 2D codes: skipped
        if fn == 67:
            self.qr_module = body[2]
        elif fn == 69:
            self.qr_ec = _EC_NAMES.get(body[2], "L")
        elif fn == 80:
            self.qr_data = body[3:]
        elif fn == 81:
            payload = self.qr_data.decode("ascii", errors="replace")
            self.result.qr_payloads.append(payload)
            self.page.add(qr_image(payload, self.qr_module, self.qr_ec), self.align)

    def cut(self) -> None:
        """`GS V`: the page ends (after a feed, for the modes that take one)."""
        mode = self.need(3)[2]
        self.i += 3
        if mode in (65, 66, 97, 98, 103, 104):
            self.page.feed(self.need(1)[0])
            self.i += 1
        elif mode not in (0, 1, 48, 49):
            raise DecodeError(f"GS V {mode}: unknown cut")
        self.result.pages.append(self.page.image())
        self.result.cuts += 1
        self.page = _Page(self.width)

    def dle(self, op: int) -> None:
        if op == 0x04:
            self.i += 3  # DLE EOT n: a status request, answered by the printer, prints nothing
        elif op == 0x14:
            self.i += 5
        else:
            raise DecodeError(f"unknown command DLE {op:#04x} at byte {self.i}")
