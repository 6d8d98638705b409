"""Forms printed through Qt's PDF + printer path (offscreen), then read back by poppler."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pytestqt.qtbot import QtBot

from kiosk.printing.forms import render_form
from kiosk.printing.forms.delivery import deliver_pdf, set_os_printing
from kiosk.printing.forms.samples import sample_form, sample_receipt
from kiosk.printing.jobs import failed_jobs, print_job
from kiosk.store import Store
from kiosk.ui.pdf_printing import QtPdfPrinter, enable_os_printing


def test_a_form_printed_by_qt_keeps_its_pages_and_its_qr(qtbot: QtBot, tmp_path: Path) -> None:
    form = sample_receipt()
    pdf = render_form(form)
    out = tmp_path / "printed.pdf"
    QtPdfPrinter("Máy in A5", output_file=str(out)).print_pdf(pdf, name="mau-01")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+2$", info.stdout, re.MULTILINE), info.stdout
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(out), str(tmp_path / "p")],
        check=True,
    )
    page = next(tmp_path.glob("p-*.png"))
    with Image.open(page) as image:
        codes = [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
    assert form.code in codes


def test_an_unknown_system_printer_fails_the_job_and_keeps_it(qtbot: QtBot, tmp_path: Path) -> None:
    enable_os_printing()
    try:
        with Store.open(tmp_path / "office.db") as store:
            job = print_job(
                store,
                "form02",
                "os:Máy in không tồn tại",
                render_form(sample_form("form02")),
                send=deliver_pdf,
            )
            assert job.status == "failed"
            assert "Không tìm thấy máy in" in job.reason
            assert [j.id for j in failed_jobs(store)] == [job.id]
    finally:
        set_os_printing(None)


def test_without_a_screen_os_printing_is_refused_clearly(tmp_path: Path) -> None:
    set_os_printing(None)
    from kiosk.printing.errors import PrinterError

    with pytest.raises(PrinterError, match="pdf:THƯ_MỤC"):
        deliver_pdf("os:HP LaserJet", b"%PDF-1.4")
    saved = deliver_pdf(f"pdf:{tmp_path}", render_form(sample_form("form03")), name="mau-03")
    assert saved.bytes_sent > 0 and list(tmp_path.glob("mau-03*.pdf"))
