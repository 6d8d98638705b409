"""Printing a finished PDF through the operating system: QtPdf renders, QPrinter spools.

One code path for Windows and Linux (PITFALLS.md). Pages are rendered at the printer's
resolution (capped at 300 dpi: plenty for forms, and a slow PC stays responsive), so the vector
QR prints sharp.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, QSizeF
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.printing.forms.delivery import set_os_printing
from kiosk.printing.forms.errors import FormError

MAX_DPI = 300


class QtPdfPrinter:
    """A `PdfPrinter` for one system printer (by name), or a PDF file for tests and previews."""

    def __init__(self, printer_name: str, *, output_file: str | None = None) -> None:
        self.printer_name = printer_name
        self.output_file = output_file

    def print_pdf(self, pdf: bytes, *, name: str) -> str:
        document = QPdfDocument()
        data = QByteArray(pdf)
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
            raise FormError("Không đọc được tệp PDF của biểu mẫu để in.")
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(name)
        if self.output_file is not None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(self.output_file)
        else:
            known = [p.printerName() for p in QPrinterInfo.availablePrinters()]
            if self.printer_name not in known:
                raise FormError(
                    f"Không tìm thấy máy in '{self.printer_name}' trong hệ điều hành. "
                    f"Máy in hiện có: {', '.join(known) or 'không có'}."
                )
            printer.setPrinterName(self.printer_name)
        painter = QPainter()
        try:
            for index in range(document.pageCount()):
                points = document.pagePointSize(index)
                printer.setPageSize(_page_size(points.width(), points.height()))
                if index == 0:
                    if not painter.begin(printer):
                        raise FormError(f"Máy in '{self.printer_name}' không nhận lệnh in.")
                elif not printer.newPage():
                    raise FormError(f"Máy in '{self.printer_name}' dừng giữa chừng.")
                target = painter.viewport()
                dpi = min(printer.resolution(), MAX_DPI)
                size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
                image = document.render(index, size)
                painter.drawImage(QRectF(target), image)
        finally:
            if painter.isActive():
                painter.end()
            document.close()
        return f"Đã gửi tới máy in {self.printer_name}"


def _page_size(width_pt: float, height_pt: float):  # type: ignore[no-untyped-def]

    return QPageSize(
        QSizeF(width_pt, height_pt), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
    )


def enable_os_printing() -> None:
    """Let `os:Printer Name` form printers work in this process (call after QApplication)."""
    set_os_printing(lambda name: QtPdfPrinter(name))
