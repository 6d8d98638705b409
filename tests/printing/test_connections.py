"""Printer URIs and the real connections: loopback TCP, file, PNG folder, spooler interface."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.printing.check import (
    PrintTestReport,
    print_test,
    print_test_kinds,
    register_print_test,
)
from kiosk.printing.errors import (
    CoverOpen,
    PaperOut,
    PrinterAddressError,
    PrinterDisconnected,
    PrinterNoAnswer,
    PrinterSetupError,
    PrinterUnreachable,
    UnknownPrintTest,
)
from kiosk.printing.thermal.connections import (
    Deliver,
    WinSpoolConnection,
    deliver,
    open_connection,
    parse_printer_uri,
)
from kiosk.printing.thermal.fakeprinter import COVER_OPEN, PAPER_NEAR_END, PAPER_OUT, FakePrinter

JOB = b"\x1b@" + b"\x1dv0\x00\x01\x00\x02\x00\xff\x81" + b"\x1bd\x06\x1dV\x00"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("uri", "scheme", "target"),
    [
        ("tcp://192.168.1.50:9100", "tcp", "192.168.1.50:9100"),
        ("tcp://printer.local", "tcp", "printer.local"),
        ("usb:04b8:0202", "usb", "04b8:0202"),
        ("serial:COM3?baudrate=19200", "serial", "COM3"),
        ("file:/dev/usb/lp0", "file", "/dev/usb/lp0"),
        ("win:EPSON TM-T20II Receipt?", "win", "EPSON TM-T20II Receipt?"),
        ("png:/tmp/prints?paper=58", "png", "/tmp/prints"),
    ],
)
def test_printer_uris_parse(uri: str, scheme: str, target: str) -> None:
    address = parse_printer_uri(uri)
    assert (address.scheme, address.target) == (scheme, target)


def test_uri_options_choose_profile_and_width() -> None:
    address = parse_printer_uri("tcp://10.0.0.5:9100?profile=POS-5890&timeout=0.5")
    model = address.model()
    assert (model.profile, model.width, model.native_qr) == ("POS-5890", 384, False)
    assert address.timeout == 0.5
    assert parse_printer_uri("png:x?paper=58").model().width == 384


@pytest.mark.parametrize(
    "uri", ["lpt:1", "tcp://", "tcp://host:abc", "usb:04b8", "usb:zz:01", "tcp://h:1?timeout=x"]
)
def test_bad_uris_say_what_is_wrong_in_vietnamese(uri: str) -> None:
    with pytest.raises(PrinterAddressError, match="không hợp lệ"):
        parse_printer_uri(uri)


def test_unknown_profile_is_a_setup_error() -> None:
    with pytest.raises(PrinterSetupError, match="Không có cấu hình máy in"):
        parse_printer_uri("png:x?profile=NO-SUCH-PRINTER").model()


def test_job_reaches_a_printer_on_loopback_with_status_checked() -> None:
    with FakePrinter() as printer:
        delivery = deliver(printer.uri, JOB)
    assert printer.received == JOB
    assert delivery.status is not None and delivery.status.online
    assert delivery.bytes_sent == len(JOB)


def test_connection_refused_is_unreachable_quickly() -> None:
    with pytest.raises(PrinterUnreachable, match="Không kết nối được máy in"):
        deliver(f"tcp://127.0.0.1:{free_port()}?timeout=1", JOB)


def test_paper_out_stops_the_job_before_any_byte_is_printed() -> None:
    with FakePrinter(PAPER_OUT) as printer, pytest.raises(PaperOut):
        deliver(printer.uri, JOB)
    assert printer.received == b""


def test_cover_open_stops_the_job() -> None:
    with FakePrinter(COVER_OPEN) as printer, pytest.raises(CoverOpen):
        deliver(printer.uri, JOB)


def test_paper_near_end_prints_and_warns() -> None:
    with FakePrinter(PAPER_NEAR_END) as printer:
        delivery = deliver(printer.uri, JOB)
    assert printer.received == JOB
    assert delivery.warnings and "sắp hết" in delivery.warnings[0]


def test_a_silent_printer_is_not_ok() -> None:
    with FakePrinter(silent=True) as printer, pytest.raises(PrinterNoAnswer):
        deliver(printer.uri.replace("timeout=2", "timeout=0.3"), JOB)


def test_status_off_skips_the_question_for_one_way_printers() -> None:
    with FakePrinter(silent=True) as printer:
        delivery = deliver(printer.uri + "&status=off", JOB)
    assert delivery.status is None
    assert printer.received == JOB


def test_hang_up_mid_job_is_a_disconnection() -> None:
    big = JOB[:-6] + b"\x1dv0\x00\x48\x00\x00\x04" + bytes(72 * 1024) + JOB[-6:]
    with FakePrinter(hang_up_after=4096) as printer, pytest.raises(PrinterDisconnected):
        deliver(printer.uri, big)
    assert len(printer.received) < len(big)


def test_file_connection_writes_the_bytes(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    delivery = deliver(f"file:{target}", JOB)
    assert target.read_bytes() == JOB
    assert delivery.status is None  # one-way: unknown, not "OK"


def test_file_connection_to_a_missing_device_is_unreachable(tmp_path: Path) -> None:
    with pytest.raises(PrinterUnreachable):
        deliver(f"file:{tmp_path / 'no' / 'lp0'}", JOB)


def test_png_printer_decodes_the_job_to_pages(tmp_path: Path) -> None:
    delivery = deliver(f"png:{tmp_path}?paper=58", JOB)
    assert len(delivery.pages) == 1
    with Image.open(delivery.pages[0]) as page:
        assert page.width == 384
        assert page.convert("L").getpixel((0, 0)) == 0


class FakeSpooler:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, bytes]] = []

    def send_raw(self, printer_name: str, document: str, data: bytes) -> None:
        self.calls.append((printer_name, document, data))


def test_windows_spooler_gets_one_raw_document() -> None:
    spooler = FakeSpooler()
    delivery = deliver("win:EPSON TM-T20II Receipt", JOB, spooler=spooler)
    assert spooler.calls == [("EPSON TM-T20II Receipt", "Một Cửa Kiosk", JOB)]
    assert delivery.status is None


def test_the_real_spooler_refuses_politely_off_windows() -> None:
    connection = open_connection("win:Máy in quầy 1")
    assert isinstance(connection, WinSpoolConnection)
    import sys

    if sys.platform != "win32":
        with pytest.raises(PrinterSetupError, match="chỉ dùng được trên Windows"):
            connection.send(JOB)


def test_print_test_reports_status_and_keeps_a_preview(tmp_path: Path) -> None:
    with FakePrinter(PAPER_NEAR_END) as printer:
        report = print_test(printer.uri, "ticket", out=tmp_path)
    assert report.ok and report.status == "sẵn sàng, giấy sắp hết"
    assert report.bytes_sent == len(printer.received)
    assert report.preview is not None
    with Image.open(report.preview) as preview:
        assert [c.text for c in zxingcpp.read_barcodes(preview)]


def test_print_test_on_a_dead_printer_is_a_report_not_a_traceback() -> None:
    report = print_test(f"tcp://127.0.0.1:{free_port()}?timeout=1", "receipt")
    assert not report.ok
    assert "Không kết nối được" in report.message


def test_print_test_kinds_can_be_registered_by_other_modules(tmp_path: Path) -> None:
    seen: list[str] = []

    def form_runner(uri: str, out: Path | None, send: Deliver) -> PrintTestReport:
        seen.append(uri)
        return PrintTestReport("test-form", uri, True, "Đã lưu mẫu.")

    register_print_test("test-form", form_runner, replace=True)
    register_print_test("test-lazy", "kiosk.printing.check:receipt_print_test", replace=True)
    assert {"ticket", "receipt", "test-form", "test-lazy"} <= set(print_test_kinds())
    assert print_test("win:Máy A4", "test-form").ok
    assert seen == ["win:Máy A4"]
    report = print_test(f"png:{tmp_path}", "test-lazy")
    assert report.ok and report.what == "receipt"
    assert list(tmp_path.glob("print-*.png"))
    with pytest.raises(ValueError):
        register_print_test("ticket", form_runner)
    with pytest.raises(UnknownPrintTest, match="Không có mẫu in thử"):
        print_test("png:x", "form99")
