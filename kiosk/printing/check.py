"""`kiosk print-test`: print a sample on a printer and report its status, in one step.

Kinds are registered by name: this module registers `ticket` and `receipt` (thermal); other
modules add theirs (form01…form06) with `register_print_test`, either a function or a lazy
"module:function" string so this module never imports them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.clock import system_clock
from kiosk.domain import formats
from kiosk.printing.errors import PrinterError, UnknownPrintTest
from kiosk.printing.thermal.connections import Deliver, deliver, parse_printer_uri
from kiosk.printing.thermal.escpos import encode_slip
from kiosk.printing.thermal.layouts import (
    ReceiptSlipData,
    RenderedSlip,
    TicketData,
    dossier_lookup_payload,
    queue_follow_url,
    render_receipt_slip,
    render_ticket,
)


@dataclass(frozen=True, slots=True)
class PrintTestReport:
    """What an installer reads after a test print (Vietnamese `message` and `status`)."""

    what: str
    printer: str
    ok: bool
    message: str
    status: str = ""
    warnings: tuple[str, ...] = ()
    bytes_sent: int = 0
    preview: Path | None = None


#: A kind's runner: (printer URI, preview folder or None, send function) → report.
PrintTestRunner = Callable[[str, Path | None, Deliver], PrintTestReport]

_RUNNERS: dict[str, PrintTestRunner | str] = {}


def register_print_test(what: str, runner: PrintTestRunner | str, *, replace: bool = False) -> None:
    """Add a kind; `runner` may be "package.module:function", imported on first use."""
    if what in _RUNNERS and not replace:
        raise ValueError(f"print test {what!r} is already registered")
    _RUNNERS[what] = runner


def print_test_kinds() -> list[str]:
    return sorted(_RUNNERS)


def _runner(what: str) -> PrintTestRunner:
    found = _RUNNERS.get(what)
    if found is None:
        raise UnknownPrintTest(
            f"Không có mẫu in thử '{what}'. Chọn một trong: {', '.join(print_test_kinds())}.",
            what=what,
        )
    if isinstance(found, str):
        module, _, name = found.partition(":")
        resolved: PrintTestRunner = getattr(importlib.import_module(module), name)
        _RUNNERS[what] = resolved
        return resolved
    return found


def print_test(
    uri: str, what: str, *, out: Path | None = None, send: Deliver = deliver
) -> PrintTestReport:
    """Print the sample `what` on printer `uri`; `out` also keeps a PNG preview of the sample.

    Printer problems come back as a report with ok=False and the Vietnamese reason, never as an
    exception; an unknown kind or a malformed address raises its KioskError.
    """
    return _runner(what)(uri, out, send)


SAMPLE_OFFICE = "UBND phường Mẫu (in thử)"
SAMPLE_NOTICE = (
    "Phiếu in thử – không có giá trị. Kiểm tra dấu: "
    "ắ ằ ẳ ẵ ặ ấ ầ ẩ ẫ ậ ế ề ể ễ ệ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ứ ừ ử ữ ự đ Đ."
)


def sample_ticket(now: datetime) -> TicketData:
    return TicketData(
        office_name=SAMPLE_OFFICE,
        field_name="Hộ tịch – Chứng thực",
        number="A001",
        issued_at=now,
        people_ahead=3,
        estimated_wait_minutes=12,
        follow_url=queue_follow_url("https://example.gov.vn/theo-doi", "in-thu"),
        notice=SAMPLE_NOTICE,
    )


def sample_receipt(now: datetime) -> ReceiptSlipData:
    code = "000.00.00.H00-" + now.strftime("%y%m%d") + "-0001"
    return ReceiptSlipData(
        office_name=SAMPLE_OFFICE,
        dossier_code=code,
        procedure_name="Đăng ký biến động quyền sử dụng đất (chuyển nhượng, thừa kế, tặng cho)",
        received_at=now,
        due_at=now + timedelta(days=7),
        collect_at="Quầy số 1 – Bộ phận Một cửa",
        lookup_payload=dossier_lookup_payload(code),
        notice=SAMPLE_NOTICE,
    )


def _thermal(what: str, build: Callable[[int], RenderedSlip]) -> PrintTestRunner:
    def run(uri: str, out: Path | None, send: Deliver) -> PrintTestReport:
        address = parse_printer_uri(uri)
        model = address.model()
        slip = build(model.width)
        preview = None
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            preview = out / f"print-test-{what}-{model.width}.png"
            slip.image.save(preview)
        job = encode_slip(slip, model)
        try:
            delivery = send(address.uri, job)
        except PrinterError as error:
            return PrintTestReport(what, address.uri, False, error.message, preview=preview)
        status = (
            delivery.status.describe()
            if delivery.status is not None
            else "không đọc được trạng thái trên kết nối này (chỉ gửi một chiều)"
        )
        return PrintTestReport(
            what,
            address.uri,
            True,
            f"Đã gửi mẫu in thử ({formats.grouped(len(job))} byte) tới máy in {address.uri}.",
            status,
            delivery.warnings,
            delivery.bytes_sent,
            preview,
        )

    return run


ticket_print_test = _thermal("ticket", lambda w: render_ticket(sample_ticket(system_clock()), w))
receipt_print_test = _thermal(
    "receipt", lambda w: render_receipt_slip(sample_receipt(system_clock()), w)
)
register_print_test("ticket", ticket_print_test)
register_print_test("receipt", receipt_print_test)
for _kind in ("form01", "form02", "form03", "form04", "form05", "form06"):
    register_print_test(_kind, f"kiosk.printing.form_tests:{_kind}")
