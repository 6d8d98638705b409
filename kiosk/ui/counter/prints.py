"""This counter's prints as job rows kept on this PC, so a failed print survives a restart.

Every form (01–04) and every thermal short receipt the console prints is a row of
`kiosk.printing.jobs` (pending → sent | failed, with the Vietnamese reason and the exact bytes)
in a small SQLite file of the counter's own (`counter-N-prints.db` in the data folder, schema
`kiosk.store.db.COUNTER_PRINTS`: print jobs and their audit, nothing of the office), never in the
hub's database: the console talks to the hub only over HTTP. Staff see the failed ones
("Bản in lỗi (N)") and print them again or drop them.

A job's `kind` is the print's file stem, which says what it is: `mau-01-<dossier code>`,
`mau-02-<number>`, `mau-03-<number>`, `mau-04-<dossier code>` or `bien-nhan-<dossier code>`.
No Qt here: everything runs on the console's worker thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from kiosk.clock import Clock
from kiosk.printing import jobs
from kiosk.printing.forms.delivery import deliver_pdf, is_form_printer
from kiosk.printing.thermal.connections import Deliver, Delivery, deliver
from kiosk.store.counter_file import open_counter_file

FORM_TITLES: Final = {
    "01": "Phiếu tiếp nhận (mẫu 01)",
    "02": "Yêu cầu bổ sung (mẫu 02)",
    "03": "Từ chối tiếp nhận (mẫu 03)",
    "04": "Thư xin lỗi, hẹn lại (mẫu 04)",
}
SLIP_TITLE: Final = "Biên nhận khổ nhỏ (máy in nhiệt)"
# The columns of `jobs.PrintJob` (the module's own list is private to it).
_COLUMNS: Final = (
    "id, kind, device, status, reason, attempts, length(payload) AS size, dossier_id, "
    "ticket_id, created_at, updated_at"
)
_KIND = re.compile(r"^(?:mau-(?P<form>\d\d)|(?P<slip>bien-nhan))-(?P<ident>.+)$")


def form_stem(form: str, ident: str) -> str:
    """The kind (and PDF file stem) of a form: 'mau-01-000.00.21.H12-260315-0001'."""
    return f"mau-{form}-{ident}"


def slip_stem(code: str) -> str:
    return f"bien-nhan-{code}"


@dataclass(frozen=True, slots=True)
class PrintItem:
    """One print as the console lists it."""

    id: int
    kind: str
    title: str  # "Phiếu tiếp nhận (mẫu 01)"
    subject: str  # the dossier code or the form's number
    form: str  # "01".."04", or "" for the thermal receipt
    printer: str
    status: str
    reason: str
    attempts: int
    created_at: datetime

    @property
    def is_form(self) -> bool:
        return bool(self.form)


def describe(kind: str) -> tuple[str, str, str]:
    """(title, subject, form number) of a job kind; unknown kinds are shown as they are."""
    match = _KIND.match(kind)
    if match is None:
        return kind, "", ""
    if match.group("slip"):
        return SLIP_TITLE, match.group("ident"), ""
    form = match.group("form")
    return FORM_TITLES.get(form, f"Mẫu {form}"), match.group("ident"), form


def _item(job: jobs.PrintJob) -> PrintItem:
    title, subject, form = describe(job.kind)
    return PrintItem(
        id=job.id,
        kind=job.kind,
        title=title,
        subject=subject,
        form=form,
        printer=job.device,
        status=job.status,
        reason=job.reason,
        attempts=job.attempts,
        created_at=datetime.fromisoformat(job.created_at),
    )


@dataclass(frozen=True, slots=True)
class Printed:
    """One print attempt: the job as it stands after it, and where the output went."""

    item: PrintItem
    written: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.item.status == jobs.SENT


class CounterPrints:
    """The counter's print-job file. One instance per console; close it with the console."""

    def __init__(self, path: Path, *, clock: Clock | None = None) -> None:
        self.path = Path(path)
        self.store = open_counter_file(self.path, clock=clock)

    def close(self) -> None:
        self.store.close()

    def _sender(self, kind: str, written: list[str]) -> Deliver:
        def send(printer: str, payload: bytes) -> Delivery:
            if is_form_printer(printer):
                delivery = deliver_pdf(printer, payload, name=kind)
                written.extend(delivery.warnings)  # a folder printer says where the file went
            else:
                delivery = deliver(printer, payload)
                written.extend(str(page) for page in delivery.pages)
            return delivery

        return send

    def print(self, kind: str, printer: str, payload: bytes, *, actor: str) -> Printed:
        """Keep the job with its bytes, then send it; a printer problem leaves it `failed`
        with the reason (never raised)."""
        written: list[str] = []
        job = jobs.print_job(
            self.store, kind, printer, payload, actor=actor, send=self._sender(kind, written)
        )
        return Printed(_item(job), tuple(written))

    def retry(self, job_id: int, *, printer: str | None = None, actor: str) -> Printed:
        """Send a kept job again, to `printer` when given (the printer now configured)."""
        job = jobs.get_job(self.store, job_id)
        written: list[str] = []
        again = jobs.retry(
            self.store,
            job_id,
            device=printer or None,
            actor=actor,
            send=self._sender(job.kind, written),
        )
        return Printed(_item(again), tuple(written))

    def discard(self, job_id: int, *, actor: str) -> None:
        """Drop a failed job the clerk gave up on (printed elsewhere, no longer needed)."""
        job = jobs.get_job(self.store, job_id)
        if job.status == jobs.SENT:
            return
        with self.store.write(
            actor, "print.discard", target=f"print_job:{job_id}", details={"kind": job.kind}
        ) as tx:
            tx.execute("DELETE FROM print_jobs WHERE id = ? AND status != ?", (job_id, jobs.SENT))

    def get(self, job_id: int) -> PrintItem:
        return _item(jobs.get_job(self.store, job_id))

    def failed(self) -> list[PrintItem]:
        """Failed prints, oldest first; a job left `pending` by a crash mid-print counts too."""
        rows = self.store.query(
            f"SELECT {_COLUMNS} FROM print_jobs WHERE status IN (?, ?) ORDER BY created_at, id",
            (jobs.FAILED, jobs.PENDING),
        )
        return [_item(jobs.PrintJob(**row)) for row in rows]

    def recent(self, limit: int = 50) -> list[PrintItem]:
        rows = self.store.query(
            f"SELECT {_COLUMNS} FROM print_jobs ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [_item(jobs.PrintJob(**row)) for row in rows]


__all__ = [
    "CounterPrints",
    "PrintItem",
    "Printed",
    "describe",
    "form_stem",
    "slip_stem",
]
