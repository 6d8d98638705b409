"""Real-time printer status (`DLE EOT n`) read into a typed status and Vietnamese errors.

No answer is never "OK" (python-escpos' `paper_status()` says "paper adequate" when the printer
is silent, PITFALLS.md): a silent printer raises `PrinterNoAnswer`.

Status bytes (Epson ESC/POS; bits 1 and 4 are always set, bits 0 and 7 clear):
- n=1 printer:       bit 3 offline
- n=2 offline cause: bit 2 cover open, bit 5 stopped by paper end, bit 6 error
- n=3 error cause:   bit 3 cutter error, bit 5 unrecoverable, bit 6 auto-recoverable (head hot)
- n=4 paper sensor:  bits 2–3 roll near end, bits 5–6 roll end
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Protocol

from kiosk.printing.errors import (
    CoverOpen,
    PaperNearEnd,
    PaperOut,
    PrinterError,
    PrinterFault,
    PrinterNoAnswer,
    PrinterOffline,
)

_FIXED_MASK: Final = 0x93
_FIXED_BITS: Final = 0x12


class StatusLink(Protocol):
    def query_status(self, n: int) -> int | None:
        """Send `DLE EOT n` and return the answer byte, or None when nothing came back in time."""
        ...


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """What the printer said about itself."""

    online: bool
    cover_open: bool = False
    paper_out: bool = False
    paper_near_end: bool = False
    fault: bool = False

    def problem(self, printer: str) -> PrinterError | None:
        """The error that stops printing, or None."""
        if self.cover_open:
            return CoverOpen(
                f"Nắp máy in {printer} đang mở. Hãy đóng nắp máy in rồi in lại.", printer=printer
            )
        if self.paper_out:
            return PaperOut(
                f"Máy in {printer} đã hết giấy. Hãy thay cuộn giấy mới rồi in lại.",
                printer=printer,
            )
        if self.fault:
            return PrinterFault(
                f"Máy in {printer} đang báo lỗi (dao cắt bị kẹt hoặc đầu in quá nóng). "
                "Hãy tắt máy in, kiểm tra rồi bật lại.",
                printer=printer,
            )
        if not self.online:
            return PrinterOffline(
                f"Máy in {printer} đang ngoại tuyến (offline). Hãy kiểm tra máy in rồi thử lại.",
                printer=printer,
            )
        return None

    def warnings(self, printer: str) -> list[PrinterError]:
        """Problems that do not stop printing yet."""
        if self.paper_near_end and not self.paper_out:
            return [
                PaperNearEnd(
                    f"Cuộn giấy của máy in {printer} sắp hết. Hãy chuẩn bị thay cuộn mới.",
                    printer=printer,
                )
            ]
        return []

    def describe(self) -> str:
        """A one-line Vietnamese summary for the installer."""
        parts = ["sẵn sàng" if self.online else "ngoại tuyến"]
        if self.cover_open:
            parts.append("nắp mở")
        if self.paper_out:
            parts.append("hết giấy")
        elif self.paper_near_end:
            parts.append("giấy sắp hết")
        if self.fault:
            parts.append("đang báo lỗi")
        return ", ".join(parts)


def valid_status_byte(value: int) -> bool:
    return value & _FIXED_MASK == _FIXED_BITS


def _ask(link: StatusLink, n: int, printer: str) -> int:
    answer = link.query_status(n)
    if answer is None or not valid_status_byte(answer):
        what = "không trả lời" if answer is None else f"trả lời không hợp lệ ({answer:#04x})"
        raise PrinterNoAnswer(
            f"Máy in {printer} {what} khi hỏi trạng thái. Hãy kiểm tra máy in đã bật, "
            "đúng địa chỉ và là máy in ESC/POS.",
            printer=printer,
            query=n,
        )
    return answer


def parse_status(printer: int, offline: int | None, error: int | None, paper: int) -> PrinterStatus:
    """The status from the answers to n=1, 2 (when offline), 3 (when in error) and 4."""
    return PrinterStatus(
        online=not printer & 0x08,
        cover_open=bool(offline is not None and offline & 0x04),
        paper_out=bool(paper & 0x60) or bool(offline is not None and offline & 0x20),
        paper_near_end=bool(paper & 0x0C),
        fault=bool(error is not None and error & 0x68),
    )


def read_status(link: StatusLink, printer: str) -> PrinterStatus:
    """Ask the printer; raises PrinterNoAnswer when it is silent or talks nonsense."""
    first = _ask(link, 1, printer)
    offline = error = None
    if first & 0x08:
        offline = _ask(link, 2, printer)
        if offline & 0x40:
            error = _ask(link, 3, printer)
    paper = _ask(link, 4, printer)
    return parse_status(first, offline, error, paper)


def check_ready(link: StatusLink, printer: str) -> PrinterStatus:
    """The status when the printer can print; else the typed error that stops it."""
    status = read_status(link, printer)
    problem = status.problem(printer)
    if problem is not None:
        raise problem
    return status
