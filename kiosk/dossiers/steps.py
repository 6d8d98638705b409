"""The steps after reception that do not move the due date: hand-over (form 05), start of
processing, fee requested and paid, withdrawal, stop, result ready and result returned.

Each step checks what was typed, then runs through `transition.run_step` (one transaction,
idempotent by request id). The steps that move the due date are in `kiosk.dossiers.deadlines`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from kiosk.clock import VN_TZ
from kiosk.domain.errors import ValidationError
from kiosk.domain.lifecycle import DossierEvent, DossierStatus, Timeliness, classify
from kiosk.dossiers import checks
from kiosk.dossiers.checks import MAX_FEE, NAME_MAX, NOTE_MAX, UNIT_MAX
from kiosk.dossiers.context import RECEPTION_UNIT, Context
from kiosk.dossiers.models import Dossier
from kiosk.dossiers.transition import Step, run_step
from kiosk.store import WriteTx, to_iso
from kiosk.store.dossier_forms_repo import insert_transfer, was_handed_over

Columns = Callable[[WriteTx, Dossier], dict[str, Any]]


def handover_deadline(ctx: Context, tx: WriteTx, dossier: Dossier) -> datetime | None:
    """The deadline of a hand-over step (form 05).

    The first hand-over from reception: the same working day, or the next one when received
    after the cut-off (15:00). Later hand-overs: the dossier's due date in force.
    """
    if was_handed_over(tx.conn, dossier.row.id):
        return dossier.row.due_at
    calendar = ctx.calendar()
    received = dossier.row.received_at.astimezone(VN_TZ)
    day = received.date()
    before_cutoff = received.time().replace(tzinfo=None) < ctx.settings.same_day_cutoff
    if not (calendar.is_working_day(day) and before_cutoff):
        day = calendar.next_working_day(day)
    return datetime.combine(day, calendar.day_end, tzinfo=VN_TZ)


def transfer(
    ctx: Context,
    code: str,
    *,
    to_unit: str,
    actor: str,
    from_unit: str = "",
    giver: str = "",
    receiver: str = "",
    step_due_at: datetime | None = None,
    note: str = "",
    request_id: str | None = None,
) -> Dossier:
    """Hand the dossier to a unit (one row of form 05), classified early/on time/late."""
    target_unit = checks.text(
        to_unit, field_name="to_unit", label="đơn vị nhận", max_len=UNIT_MAX, required=True
    )
    source_unit = checks.text(
        from_unit, field_name="from_unit", label="đơn vị giao", max_len=UNIT_MAX
    )
    giver_name = checks.text(giver, field_name="giver", label="người giao", max_len=NAME_MAX)
    receiver_name = checks.text(
        receiver, field_name="receiver", label="người nhận", max_len=NAME_MAX
    )
    text = checks.text(note, field_name="note", label="ghi chú", max_len=NOTE_MAX)

    def apply(tx: WriteTx, dossier: Dossier, target: DossierStatus) -> Step:
        giving = source_unit or dossier.current_unit or RECEPTION_UNIT
        if giving == target_unit:
            raise ValidationError(
                f"Hồ sơ đang ở '{giving}': hãy chọn một đơn vị nhận khác.", field="to_unit"
            )
        deadline = step_due_at or handover_deadline(ctx, tx, dossier)
        timeliness = None if deadline is None else classify(tx.now, deadline).value
        transfer_id = insert_transfer(
            tx,
            {
                "dossier_id": dossier.row.id,
                "at": tx.now_iso,
                "from_unit": giving,
                "to_unit": target_unit,
                "giver": giver_name or actor,
                "receiver": receiver_name,
                "timeliness": timeliness,
                "note": text,
            },
        )
        return Step(
            updates={"current_unit": target_unit},
            unit=giving,
            note=text,
            payload={
                "from_unit": giving,
                "to_unit": target_unit,
                "timeliness": timeliness,
                "step_due_at": None if deadline is None else to_iso(deadline),
            },
            record_id=transfer_id,
        )

    request = {
        "to_unit": target_unit,
        "from_unit": source_unit,
        "giver": giver_name,
        "receiver": receiver_name,
        "step_due_at": step_due_at,
        "note": text,
    }
    dossier, _ = run_step(
        ctx,
        code,
        DossierEvent.TRANSFER,
        actor=actor,
        request_id=request_id,
        request=request,
        apply=apply,
    )
    return dossier


def simple_step(
    ctx: Context,
    code: str,
    event: DossierEvent,
    *,
    actor: str,
    note: str,
    request_id: str | None,
    unit: str = "",
    note_required: str = "",
    updates: Columns | None = None,
    payload: Columns | None = None,
    channel: str = "counter",
) -> Dossier:
    """A step whose record is its event: a note (required when `note_required` names it), the
    acting unit, and the columns and outbox payload the step computes."""
    text = checks.text(
        note,
        field_name="reason" if note_required else "note",
        label=note_required or "ghi chú",
        max_len=NOTE_MAX,
        required=bool(note_required),
    )
    acting = checks.text(unit, field_name="unit", label="đơn vị", max_len=UNIT_MAX)

    def apply(tx: WriteTx, dossier: Dossier, target: DossierStatus) -> Step:
        return Step(
            updates=updates(tx, dossier) if updates is not None else {},
            unit=acting,
            channel=channel,
            note=text,
            payload=payload(tx, dossier) if payload is not None else {},
        )

    dossier, _ = run_step(
        ctx,
        code,
        event,
        actor=actor,
        request_id=request_id,
        request={"note": text, "unit": acting, "channel": channel},
        apply=apply,
    )
    return dossier


def request_fee(
    ctx: Context,
    code: str,
    *,
    actor: str,
    amount: int | None = None,
    note: str = "",
    request_id: str | None = None,
) -> Dossier:
    """The dossier waits for the fee; `amount` (VND) replaces the fee when given."""
    if amount is not None and not 0 <= amount <= MAX_FEE:
        raise ValidationError("Số tiền phí không hợp lệ.", field="amount", value=str(amount))

    def updates(tx: WriteTx, dossier: Dossier) -> dict[str, Any]:
        return {} if amount is None else {"fee": amount}

    def payload(tx: WriteTx, dossier: Dossier) -> dict[str, Any]:
        return {"fee": dossier.row.fee if amount is None else amount}

    return simple_step(
        ctx,
        code,
        DossierEvent.REQUEST_FEE,
        actor=actor,
        note=note,
        request_id=request_id,
        updates=updates,
        payload=payload,
    )


def _done_payload(tx: WriteTx, dossier: Dossier) -> dict[str, Any]:
    row = dossier.row
    promise = row.original_due_at or row.due_at
    in_force = row.due_at
    late_by = row.supplement_requests
    return {
        # The statistics judge against the original promise (an extension is still late).
        "timeliness": None
        if promise is None
        else classify(tx.now, promise, supplement_requests=late_by).value,
        "timeliness_in_force": None
        if in_force is None
        else classify(tx.now, in_force, supplement_requests=late_by).value,
        "early_return_notice": in_force is not None
        and classify(tx.now, in_force) is Timeliness.EARLY,
        "supplement_requests": row.supplement_requests,
        "extensions": row.extensions,
    }


def done(
    ctx: Context,
    code: str,
    *,
    actor: str,
    unit: str = "",
    note: str = "",
    request_id: str | None = None,
) -> Dossier:
    """The result is ready; before the due day the applicant gets an early-return notice."""

    def updates(tx: WriteTx, dossier: Dossier) -> dict[str, Any]:
        due = dossier.row.due_at
        early = due is not None and classify(tx.now, due) is Timeliness.EARLY
        return {"result_at": tx.now_iso, "early_return_notice": int(early)}

    return simple_step(
        ctx,
        code,
        DossierEvent.DONE,
        actor=actor,
        note=note,
        unit=unit,
        request_id=request_id,
        updates=updates,
        payload=_done_payload,
    )


def return_result(
    ctx: Context,
    code: str,
    *,
    actor: str,
    channel: str = "counter",
    received_by: str = "",
    note: str = "",
    request_id: str | None = None,
) -> Dossier:
    """The result is handed over: at the counter (to whom), by post, or online."""
    how = checks.channel(channel, "channel")
    to_whom = checks.text(
        received_by, field_name="received_by", label="người nhận", max_len=NAME_MAX
    )

    def updates(tx: WriteTx, dossier: Dossier) -> dict[str, Any]:
        return {"returned_at": tx.now_iso, "returned_to": to_whom}

    def payload(tx: WriteTx, dossier: Dossier) -> dict[str, Any]:
        return {"return_channel": how}

    text = checks.text(note, field_name="note", label="ghi chú", max_len=NOTE_MAX)
    shown = "; ".join(p for p in (f"Người nhận: {to_whom}" if to_whom else "", text) if p)
    return simple_step(
        ctx,
        code,
        DossierEvent.RETURN,
        actor=actor,
        note=shown,
        request_id=request_id,
        updates=updates,
        payload=payload,
        channel=how,
    )
