"""`kiosk print-test --what form01…form06`: build a sample form and save it as PDF.

Forms go to an A4/A5 printer through the operating system, which the screens do (QtPdf and
QPrinter); from the command line a form printer is a folder: `pdf:FOLDER`.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.printing.check import PrintTestReport, PrintTestRunner
from kiosk.printing.errors import PrinterError
from kiosk.printing.forms import form_file_stem, render_form
from kiosk.printing.forms.output import FolderPrinter
from kiosk.printing.forms.samples import sample_form
from kiosk.printing.thermal.connections import Deliver


class FormPrinterAddressError(PrinterError):
    code = "form_printer_address"


def _folder(uri: str) -> Path:
    scheme, _, rest = uri.partition(":")
    if scheme != "pdf" or not rest.strip():
        raise FormPrinterAddressError(
            f"'{uri}' không phải nơi in biểu mẫu. Biểu mẫu in thử từ dòng lệnh được lưu thành "
            "PDF: dùng --printer pdf:THƯ_MỤC (in ra giấy qua máy in của Windows từ màn hình "
            "quầy).",
            uri=uri,
        )
    return Path(rest.strip()).expanduser()


def _form(kind: str) -> PrintTestRunner:
    def run(uri: str, out: Path | None, send: Deliver) -> PrintTestReport:
        folder = _folder(uri)
        form = sample_form(kind)
        pdf = render_form(form)
        saved = FolderPrinter(folder).save(pdf, name=f"in-thu-{form_file_stem(form)}")
        if out is not None and out.resolve() != folder.resolve():
            FolderPrinter(out).save(pdf, name=saved.name)
        return PrintTestReport(
            kind,
            uri,
            True,
            f"Đã lưu mẫu in thử {kind} ({len(pdf) // 1024} KB) vào {saved}.",
            "tệp PDF",
            (),
            len(pdf),
            saved,
        )

    return run


form01 = _form("form01")
form02 = _form("form02")
form03 = _form("form03")
form04 = _form("form04")
form05 = _form("form05")
form06 = _form("form06")
