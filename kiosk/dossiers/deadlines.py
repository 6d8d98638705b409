"""The steps after reception that move the due date: a supplement requested after review
(form 02), the complete dossier back (the clock resumes, by the office's policy), and an
extension with an apology (form 04)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time

from kiosk.clock import VN_TZ
from kiosk.domain.errors import TransitionError
from kiosk.domain.lifecycle import (
    DossierEvent,
    DossierStatus,
    SupplementPolicy,
    check_extension,
    check_supplement_request,
    due_after_supplement,
)
from kiosk.dossiers import checks, records
from kiosk.dossiers.checks import NOTE_MAX
from kiosk.dossiers.context import Context, form_number
from kiosk.dossiers.models import Dossier, MissingDocument, SupplementRecord
from kiosk.dossiers.transition import Step, run_step
from kiosk.store import WriteTx, to_iso
from kiosk.store.dossier_forms_repo import (
    insert_extension,
    insert_supplement,
    mark_supplement_received,
)
from kiosk.store.dossier_repo import last_entered, promised_duration


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else to_iso(moment)


def request_supplement(
    ctx: Context,
    code: str,
    *,
    items: tuple[MissingDocument, ...],
    reason: str,
    actor: str,
    allow_late: bool = False,
    request_id: str | None = None,
) -> SupplementRecord:
    """After review: ask for what is missing (form 02), within 3 working days of receipt.

    A late request is refused unless `allow_late` (another law sets the limit, or the officer
    takes the lateness on the record): it is then stored with `within_limit` False. A second
    request on one dossier is flagged: it counts the dossier as late (service index).
    """
    lines = checks.missing_items(items)
    why = checks.text(reason, field_name="reason", label="lý do", max_len=NOTE_MAX, required=True)

    def apply(tx: WriteTx, dossier: Dossier, target: DossierStatus) -> Step:
        row = dossier.row
        within = check_supplement_request(
            row.received_at, tx.now, ctx.calendar().add_working_days, allow_late=allow_late
        )
        ordinal = row.supplement_requests + 1
        number = form_number(tx, "02")
        record_id = insert_supplement(
            tx,
            {
                "number": number,
                "stage": "review",
                "dossier_id": row.id,
                "ticket_id": row.ticket_id,
                "counter_number": None,
                "requested_at": tx.now_iso,
                "actor": actor,
                "unit": dossier.current_unit,
                "procedure_code": row.procedure_code,
                "procedure_name": row.procedure_name,
                "applicant_name": row.applicant_name,
                "applicant_phone": row.applicant_phone,
                "applicant_email": row.applicant_email,
                "applicant_address": row.applicant_address,
                "items": json.dumps(lines, ensure_ascii=False),
                "reason": why,
                "ordinal": ordinal,
                "within_limit": int(within),
                "resume_to": dossier.status.value,
                "due_at_before": _iso(row.due_at),
            },
        )
        return Step(
            updates={"supplement_requests": ordinal},
            note=why,
            payload={
                "number": number,
                "ordinal": ordinal,
                "within_limit": within,
                "late_by_supplement": ordinal > 1,
                "items": len(lines),
            },
            record_id=record_id,
        )

    dossier, record_id = run_step(
        ctx,
        code,
        DossierEvent.REQUEST_SUPPLEMENT,
        actor=actor,
        request_id=request_id,
        request={"items": lines, "reason": why, "allow_late": allow_late},
        apply=apply,
    )
    assert record_id is not None
    record = records.load_supplement(ctx.store.conn, record_id)
    return replace(record, replayed=True) if dossier.replayed else record


def due_after_pause(
    ctx: Context, tx: WriteTx, dossier: Dossier, paused_at: datetime
) -> tuple[datetime | None, datetime | None]:
    """(due_at, original_due_at) once the complete dossier is back, by the office policy.

    RESTART counts the promised time limit afresh from today; an extension date already
    promised is kept if it is later. EXTEND_BY_PAUSE moves both dates by the working days
    waited. A dossier whose limit was set by hand (no fixed duration) is moved by the wait.
    """
    row = dossier.row
    if row.due_at is None:
        return None, row.original_due_at
    policy = ctx.settings.supplement_policy
    duration, cutoff = promised_duration(tx.conn, row.id)
    calendar = ctx.calendar()
    if duration is None:
        policy = SupplementPolicy.EXTEND_BY_PAUSE
    cut_off = time.fromisoformat(cutoff) if cutoff else None

    def recompute(moment: datetime) -> datetime:
        assert duration is not None
        return ctx.due_at(moment, duration, cut_off)

    def moved(current: datetime) -> datetime:
        return due_after_supplement(
            policy,
            original_received_at=row.received_at,
            paused_at=paused_at,
            resumed_at=tx.now,
            current_due_at=current,
            recompute=recompute,
            is_working_day=calendar.is_working_day,
        )

    original = row.original_due_at or row.due_at
    new_original = moved(original)
    if row.extensions == 0:
        return new_original, new_original
    new_due = moved(row.due_at)
    if policy is SupplementPolicy.RESTART:
        new_due = max(new_due, row.due_at)
    return new_due, new_original


def supplement_received(
    ctx: Context, code: str, *, actor: str, note: str = "", request_id: str | None = None
) -> Dossier:
    """The complete dossier is back: processing resumes and the due date moves (policy)."""
    text = checks.text(note, field_name="note", label="ghi chú", max_len=NOTE_MAX)

    def apply(tx: WriteTx, dossier: Dossier, target: DossierStatus) -> Step:
        waiting = records.open_supplement(tx.conn, dossier.row.id)
        if waiting is not None:
            paused_at = waiting.requested_at
        else:
            entered = last_entered(tx.conn, dossier.row.id, DossierStatus.SUPPLEMENT_REQUESTED)
            paused_at = datetime.fromisoformat(entered or to_iso(dossier.row.received_at))
        due, original = due_after_pause(ctx, tx, dossier, paused_at)
        if waiting is not None:
            mark_supplement_received(tx, waiting.id, resumed_at=tx.now_iso, due_at_after=_iso(due))
        return Step(
            updates={"due_at": _iso(due), "original_due_at": _iso(original)},
            note=text,
            payload={
                "policy": ctx.settings.supplement_policy.value,
                "due_at": _iso(due),
                "due_at_before": _iso(dossier.row.due_at),
            },
            record_id=None if waiting is None else waiting.id,
        )

    dossier, _ = run_step(
        ctx,
        code,
        DossierEvent.SUPPLEMENT_RECEIVED,
        actor=actor,
        request_id=request_id,
        request={"note": text},
        apply=apply,
    )
    return dossier


def extend(
    ctx: Context,
    code: str,
    *,
    new_due_at: datetime | date,
    reason: str,
    actor: str,
    request_id: str | None = None,
) -> Dossier:
    """Move the due date once, with an apology (form 04), at least one day before it.

    A date without a time gets the appointment hour of the settings. The original due date
    stays for the statistics.
    """
    why = checks.text(reason, field_name="reason", label="lý do", max_len=NOTE_MAX, required=True)
    if isinstance(new_due_at, datetime):
        if new_due_at.tzinfo is None:
            raise ValueError("new_due_at must be tz-aware")
        new_due = new_due_at
    else:
        new_due = datetime.combine(new_due_at, ctx.settings.appointment_time, tzinfo=VN_TZ)

    def apply(tx: WriteTx, dossier: Dossier, target: DossierStatus) -> Step:
        due = dossier.row.due_at
        if due is None:
            raise TransitionError("Hồ sơ chưa có ngày hẹn trả: không có gì để gia hạn.")
        check_extension(
            now=tx.now,
            due_at=due,
            new_due_at=new_due,
            extensions_so_far=dossier.row.extensions,
            working_calendar_is_working_day=ctx.calendar().is_working_day,
        )
        number = form_number(tx, "04")
        record_id = insert_extension(
            tx,
            {
                "number": number,
                "dossier_id": dossier.row.id,
                "at": tx.now_iso,
                "actor": actor,
                "reason": why,
                "due_at_before": to_iso(due),
                "new_due_at": to_iso(new_due),
            },
        )
        return Step(
            updates={"due_at": to_iso(new_due), "extensions": dossier.row.extensions + 1},
            note=why,
            payload={
                "number": number,
                "due_at_before": to_iso(due),
                "due_at": to_iso(new_due),
                "original_due_at": _iso(dossier.row.original_due_at),
            },
            record_id=record_id,
        )

    dossier, _ = run_step(
        ctx,
        code,
        DossierEvent.EXTEND,
        actor=actor,
        request_id=request_id,
        request={"new_due_at": new_due, "reason": why},
        apply=apply,
    )
    return dossier
