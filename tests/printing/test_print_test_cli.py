"""`kiosk print-test` as an installer uses it: real printer on loopback, virtual printers."""

from __future__ import annotations

import json
from pathlib import Path

import zxingcpp
from click.testing import CliRunner
from PIL import Image

from kiosk.cli import cli
from kiosk.printing.thermal.decode import decode
from kiosk.printing.thermal.fakeprinter import PAPER_OUT, FakePrinter


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["print-test", *args])
    return result.exit_code, result.output


def test_a_ticket_on_a_network_printer_reports_ready_and_sends_decodable_bytes() -> None:
    with FakePrinter() as printer:
        code, output = run("--printer", printer.uri, "--what", "ticket", "--json")
    received = bytes(printer.received)  # complete once the printer has stopped
    assert code == 0, output
    report = json.loads(output)
    assert report["ok"] is True and report["status"] == "sẵn sàng"
    page = decode(received, width=576).pages[0]
    payloads = [r.text for r in zxingcpp.read_barcodes(page.convert("L"))]
    assert payloads and all(p.isascii() for p in payloads)


def test_paper_out_is_reported_in_vietnamese_with_exit_status_1() -> None:
    with FakePrinter(PAPER_OUT) as printer:
        code, output = run("--printer", printer.uri, "--what", "receipt")
    assert code == 1
    assert "Không in được" in output and "giấy" in output


def test_the_virtual_png_printer_keeps_what_it_printed(tmp_path: Path) -> None:
    code, output = run("--printer", f"png:{tmp_path}", "--what", "receipt")
    assert code == 0, output
    pngs = list(tmp_path.glob("*.png"))
    assert len(pngs) == 1
    with Image.open(pngs[0]) as image:
        assert image.width in (384, 576)


def test_forms_are_saved_as_pdf(tmp_path: Path) -> None:
    code, output = run("--printer", f"pdf:{tmp_path}", "--what", "form01")
    assert code == 0, output
    pdfs = list(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")


def test_a_form_on_a_thermal_address_gets_a_clear_message(tmp_path: Path) -> None:
    code, output = run("--printer", "tcp://127.0.0.1:9100", "--what", "form02")
    assert code == 1
    assert output.startswith("Lỗi:") and "pdf:" in output


def test_a_malformed_address_is_refused_before_anything_is_sent() -> None:
    code, output = run("--printer", "lpt1")
    assert code == 1
    assert "không hợp lệ" in output
