"""The QR of a dossier: its text (`qr_payload`) and a vector flowable that draws it."""

from __future__ import annotations

from functools import lru_cache
from itertools import groupby
from typing import Final
from urllib.parse import quote

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
)

from kiosk.printing.forms.errors import FormError


def qr_payload(code: str, lookup_base_url: str = "") -> str:
    """The QR text: the dossier code, or the lookup URL for it. ASCII only, no personal data.

    A base URL with `{code}` gets the code there; one ending in '=' or '/' gets it appended;
    any other gets '/' + code.
    """
    code = code.strip()
    base = lookup_base_url.strip()
    if not base:
        payload = code
    elif "{code}" in base:
        payload = base.replace("{code}", quote(code, safe=""))
    elif base.endswith(("=", "/")):
        payload = base + quote(code, safe="")
    else:
        payload = f"{base}/{quote(code, safe='')}"
    if not payload.isascii() or any(ch.isspace() for ch in payload):
        raise FormError(
            "Địa chỉ tra cứu hồ sơ (mã QR) chỉ được gồm chữ không dấu, chữ số và ký hiệu, "
            f"không có dấu cách: “{lookup_base_url}”.",
            lookup_base_url=lookup_base_url,
        )
    return payload


QR_BORDER: Final = 2  # quiet zone in modules; the paper around it is white anyway


@lru_cache(maxsize=64)
def qr_runs(payload: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(module count, dark runs as (row, first column, length)) of the QR of `payload`.

    Encoded once per payload by QrCodeWidget's encoder (form 01 draws the same code on both
    copies); runs of dark modules become one rectangle each, so the PDF stays small.
    """
    widget = QrCodeWidget(payload, barLevel="M")
    widget.qr.make()
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(widget.qr.modules):
        c = 0
        for dark, group in groupby(bool(m) for m in row):
            count = len(list(group))
            if dark:
                runs.append((r, c, count))
            c += count
    return int(widget.qr.getModuleCount()), tuple(runs)


class QrCode(Flowable):  # type: ignore[misc]
    """A vector QR `size` points wide, crisp at any printer resolution.

    Drawn as plain rectangles: rendering QrCodeWidget as a Drawing would also set Helvetica on
    the page, a font that is never embedded.
    """

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.payload = payload
        self.width = self.height = size
        self.count, self.runs = qr_runs(payload)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c: Canvas = self.canv
        box = self.width / (self.count + 2 * QR_BORDER)
        c.saveState()
        c.setFillColor(colors.black)
        path = c.beginPath()
        for row, col, length in self.runs:
            y = self.height - (row + QR_BORDER + 1) * box
            path.rect((col + QR_BORDER) * box, y, length * box, box)
        c.drawPath(path, stroke=0, fill=1)
        c.restoreState()
