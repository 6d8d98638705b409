"""Print jobs: every ticket and receipt is a row (pending → sent | failed) that keeps its bytes.

A failure never loses a print: the row keeps the job bytes and the Vietnamese reason, staff see
the failed jobs and resend them (to the same or another printer). Every state change is one
`store.write`; the printer is only talked to between writes, never inside a transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kiosk.printing.errors import PrinterError, PrintJobError
from kiosk.printing.thermal.connections import Deliver, deliver
from kiosk.store import Store

PENDING: Final = "pending"
SENT: Final = "sent"
FAILED: Final = "failed"


@dataclass(frozen=True, slots=True)
class PrintJob:
    """A job row without its bytes (see `job_payload`)."""

    id: int
    kind: str
    device: str
    status: str
    reason: str
    attempts: int
    size: int
    dossier_id: int | None
    ticket_id: int | None
    created_at: str
    updated_at: str


_COLUMNS: Final = (
    "id, kind, device, status, reason, attempts, length(payload) AS size, dossier_id, "
    "ticket_id, created_at, updated_at"
)


def _job(row: dict[str, object]) -> PrintJob:
    return PrintJob(**row)  # type: ignore[arg-type]


def get_job(store: Store, job_id: int) -> PrintJob:
    rows = store.query(f"SELECT {_COLUMNS} FROM print_jobs WHERE id = ?", (job_id,))
    if not rows:
        raise PrintJobError(f"Không tìm thấy lệnh in số {job_id}.", job_id=job_id)
    return _job(rows[0])


def job_payload(store: Store, job_id: int) -> bytes:
    """The job's bytes, exactly as first built."""
    row = store.conn.execute("SELECT payload FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
    if row is None:
        raise PrintJobError(f"Không tìm thấy lệnh in số {job_id}.", job_id=job_id)
    return bytes(row[0])


def failed_jobs(store: Store) -> list[PrintJob]:
    """Failed jobs, oldest first: what staff must resend."""
    rows = store.query(
        f"SELECT {_COLUMNS} FROM print_jobs WHERE status = ? ORDER BY created_at, id", (FAILED,)
    )
    return [_job(row) for row in rows]


def submit(
    store: Store,
    kind: str,
    device: str,
    payload: bytes,
    *,
    dossier_id: int | None = None,
    ticket_id: int | None = None,
    actor: str = "system",
) -> int:
    """Record a new pending job with its bytes; returns its id."""
    with store.write(actor, "print.submit", details={"kind": kind, "device": device}) as tx:
        job_id = tx.insert(
            "print_jobs",
            {
                "kind": kind,
                "device": device,
                "status": PENDING,
                "payload": payload,
                "dossier_id": dossier_id,
                "ticket_id": ticket_id,
                "created_at": tx.now_iso,
                "updated_at": tx.now_iso,
            },
        )
        tx.target = f"print_job:{job_id}"
    return job_id


def _finish(store: Store, job_id: int, status: str, reason: str, actor: str) -> None:
    action = "print.sent" if status == SENT else "print.failed"
    with store.write(actor, action, target=f"print_job:{job_id}", details={"reason": reason}) as tx:
        cursor = tx.execute(
            "UPDATE print_jobs SET status = ?, reason = ?, attempts = attempts + 1, "
            "updated_at = ? WHERE id = ?",
            (status, reason, tx.now_iso, job_id),
        )
        if cursor.rowcount != 1:
            raise PrintJobError(f"Không tìm thấy lệnh in số {job_id}.", job_id=job_id)


def mark_sent(store: Store, job_id: int, *, actor: str = "system") -> None:
    _finish(store, job_id, SENT, "", actor)


def mark_failed(store: Store, job_id: int, reason: str, *, actor: str = "system") -> None:
    _finish(store, job_id, FAILED, reason, actor)


def run_job(
    store: Store, job_id: int, *, actor: str = "system", send: Deliver = deliver
) -> PrintJob:
    """Send a job's bytes to its device and record the outcome; printer errors do not raise.

    The returned job says `sent` or `failed` with the reason staff will read.
    """
    job = get_job(store, job_id)
    payload = job_payload(store, job_id)
    try:
        send(job.device, payload)
    except PrinterError as error:
        mark_failed(store, job_id, error.message, actor=actor)
    else:
        mark_sent(store, job_id, actor=actor)
    return get_job(store, job_id)


def print_job(
    store: Store,
    kind: str,
    device: str,
    payload: bytes,
    *,
    dossier_id: int | None = None,
    ticket_id: int | None = None,
    actor: str = "system",
    send: Deliver = deliver,
) -> PrintJob:
    """Submit then send: the usual way to print a ticket or a receipt."""
    job_id = submit(
        store, kind, device, payload, dossier_id=dossier_id, ticket_id=ticket_id, actor=actor
    )
    return run_job(store, job_id, actor=actor, send=send)


def retry(
    store: Store,
    job_id: int,
    *,
    device: str | None = None,
    actor: str = "system",
    send: Deliver = deliver,
) -> PrintJob:
    """Resend a job's kept bytes (a failed job, or a reprint), optionally on another printer."""
    job = get_job(store, job_id)
    if device is not None and device != job.device:
        with store.write(
            actor, "print.redirect", target=f"print_job:{job_id}", details={"device": device}
        ) as tx:
            tx.execute(
                "UPDATE print_jobs SET device = ?, updated_at = ? WHERE id = ?",
                (device, tx.now_iso, job_id),
            )
    return run_job(store, job_id, actor=actor, send=send)
