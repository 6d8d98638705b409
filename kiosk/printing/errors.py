"""Printer problems a person can cause or fix (unplugged, paper out, bad address), in Vietnamese.

Each message names the printer and says what to do, so staff can act without a technician.
"""

from __future__ import annotations

from kiosk.domain.errors import KioskError


class PrinterError(KioskError):
    """Base of every printing problem; `printer` is the printer's address (URI)."""

    code = "printer_error"

    def __init__(self, message: str, *, printer: str = "", **details: object) -> None:
        super().__init__(message, printer=printer, **details)
        self.printer = printer


class PrinterAddressError(PrinterError):
    """The printer address (URI) cannot be understood."""

    code = "printer_address"


class PrinterSetupError(PrinterError):
    """The printer cannot be used as configured (missing driver library, wrong system, width)."""

    code = "printer_setup"


class PrinterUnreachable(PrinterError):
    """Nothing answers at the address: switched off, unplugged, wrong address."""

    code = "printer_unreachable"


class PrinterNoAnswer(PrinterError):
    """The printer accepted the connection but did not answer the status request."""

    code = "printer_no_answer"


class PrinterDisconnected(PrinterError):
    """The link broke while a job was being sent: the job may be incomplete."""

    code = "printer_disconnected"


class PrinterOffline(PrinterError):
    code = "printer_offline"


class CoverOpen(PrinterOffline):
    code = "printer_cover_open"


class PaperOut(PrinterOffline):
    code = "printer_paper_out"


class PrinterFault(PrinterOffline):
    """Cutter jam, overheated head or another mechanical error."""

    code = "printer_fault"


class PaperNearEnd(PrinterError):
    """Not blocking: the roll is nearly finished. Reported as a warning, not raised by sends."""

    code = "printer_paper_near_end"


class PrintJobError(KioskError):
    """A print job cannot be found or cannot be resent as asked."""

    code = "print_job_error"


class UnknownPrintTest(KioskError):
    code = "unknown_print_test"
