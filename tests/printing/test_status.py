"""DLE EOT status bytes → typed Vietnamese errors; silence is never OK."""

from __future__ import annotations

import pytest

from kiosk.printing.errors import CoverOpen, PaperOut, PrinterFault, PrinterNoAnswer, PrinterOffline
from kiosk.printing.thermal.fakeprinter import COVER_OPEN, PAPER_NEAR_END, PAPER_OUT, READY
from kiosk.printing.thermal.status import check_ready, read_status

PRINTER = "tcp://10.0.0.9:9100"


class Answers:
    """A status link answering from a table (None = silence)."""

    def __init__(self, table: dict[int, int | None]) -> None:
        self.table = table
        self.asked: list[int] = []

    def query_status(self, n: int) -> int | None:
        self.asked.append(n)
        return self.table.get(n)


def test_ready_printer_reads_as_online_with_paper() -> None:
    status = check_ready(Answers(dict(READY)), PRINTER)
    assert status.online and not status.paper_out and not status.cover_open
    assert status.describe() == "sẵn sàng"


def test_cover_open_raises_a_clear_message() -> None:
    with pytest.raises(CoverOpen, match=r"Nắp máy in .* đang mở"):
        check_ready(Answers(dict(COVER_OPEN)), PRINTER)


def test_paper_out_raises_a_clear_message() -> None:
    with pytest.raises(PaperOut, match="đã hết giấy"):
        check_ready(Answers(dict(PAPER_OUT)), PRINTER)


def test_paper_near_end_is_a_warning_not_a_stop() -> None:
    status = check_ready(Answers(dict(PAPER_NEAR_END)), PRINTER)
    assert [w.message for w in status.warnings(PRINTER)] == [
        f"Cuộn giấy của máy in {PRINTER} sắp hết. Hãy chuẩn bị thay cuộn mới."
    ]


def test_offline_for_an_unlisted_cause_is_still_offline() -> None:
    with pytest.raises(PrinterOffline, match="ngoại tuyến"):
        check_ready(Answers({1: 0x1A, 2: 0x12, 4: 0x12}), PRINTER)


def test_cutter_error_is_a_fault() -> None:
    with pytest.raises(PrinterFault, match="dao cắt"):
        check_ready(Answers({1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12}), PRINTER)


def test_silence_is_never_ok() -> None:
    with pytest.raises(PrinterNoAnswer, match="không trả lời"):
        read_status(Answers({}), PRINTER)


def test_a_byte_that_is_not_a_status_is_refused() -> None:
    with pytest.raises(PrinterNoAnswer, match="không hợp lệ"):
        read_status(Answers({1: 0xFF}), PRINTER)


def test_online_printer_is_not_asked_for_offline_causes() -> None:
    link = Answers(dict(READY))
    read_status(link, PRINTER)
    assert link.asked == [1, 4]
