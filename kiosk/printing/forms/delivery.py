"""Sending a finished form somewhere, as a print job like any other.

Form printer addresses: `pdf:FOLDER` saves the PDF in a folder; `os:Printer Name` prints it
through the operating system's spooler, which needs the UI layer (QtPdf + QPrinter): the screens
register it with `set_os_printing`, the hub and the command line have no display and refuse
with a clear message. Same `Delivery` as the thermal path, so `kiosk.printing.jobs` keeps a row
(pending → sent | failed) and the PDF bytes for reprints.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.printing.errors import PrinterError
from kiosk.printing.forms.errors import FormError
from kiosk.printing.forms.output import FolderPrinter, PdfPrinter
from kiosk.printing.thermal.connections import Delivery

OsPrinting = Callable[[str], PdfPrinter]

_os_printing: OsPrinting | None = None


class FormPrinterError(PrinterError):
    code = "form_printer_error"


def set_os_printing(factory: OsPrinting | None) -> None:
    """Let `os:` addresses print: `factory(printer_name)` gives a PdfPrinter (UI layer)."""
    global _os_printing
    _os_printing = factory


def is_form_printer(address: str) -> bool:
    return address.startswith(("pdf:", "os:"))


def deliver_pdf(printer: str, pdf: bytes, *, name: str = "bieu-mau") -> Delivery:
    """Hand one PDF to a form printer; printer problems raise PrinterError subclasses."""
    scheme, _, rest = printer.partition(":")
    target = rest.strip()
    if scheme not in ("pdf", "os") or not target:
        raise FormPrinterError(
            f"'{printer}' không phải nơi in biểu mẫu: dùng pdf:THƯ_MỤC (lưu PDF) hoặc "
            "os:Tên máy in (in qua máy in của hệ điều hành).",
            printer=printer,
        )
    sink: PdfPrinter
    if scheme == "pdf":
        sink = FolderPrinter(Path(target).expanduser())
    elif _os_printing is None:
        raise FormPrinterError(
            "In biểu mẫu qua máy in của hệ điều hành chỉ làm được từ màn hình quầy. "
            "Ở đây hãy dùng pdf:THƯ_MỤC để lưu PDF.",
            printer=printer,
        )
    else:
        sink = _os_printing(target)
    try:
        where = sink.print_pdf(pdf, name=name)
    except FormError as error:
        raise FormPrinterError(error.message, printer=printer) from None
    return Delivery(printer=printer, bytes_sent=len(pdf), status=None, warnings=(where,))
