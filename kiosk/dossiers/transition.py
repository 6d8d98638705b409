"""One step of a received dossier through the state machine, the frame every later step uses.

`run_step` loads the dossier inside the transaction, asks the domain for the status after the
event (`status_after`: an illegal step raises `TransitionError` before anything is written),
lets the step write its own record (`Apply`), then updates the dossier row, writes its
`dossier_events` row, an outbox event and the audit details, all through `write_once`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.lifecycle import DossierEvent, DossierStatus, status_after
from kiosk.dossiers import checks, records
from kiosk.dossiers.context import RECEPTION_UNIT, Context
from kiosk.dossiers.errors import DossierNotFound
from kiosk.dossiers.idempotency import Outcome, write_once
from kiosk.dossiers.models import Dossier
from kiosk.store import WriteTx
from kiosk.store.dossier_forms_repo import supplement_resume_to, was_handed_over
from kiosk.store.dossier_repo import add_event, update_dossier


@dataclass
class Step:
    """What one transition changes besides the status (filled by the step's `apply`)."""

    updates: dict[str, Any] = field(default_factory=dict)
    unit: str = ""
    channel: str = "counter"
    note: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    record_id: int | None = None


Apply = Callable[[WriteTx, Dossier, DossierStatus], Step]


def _resume_to(tx: WriteTx, dossier: Dossier) -> DossierStatus | None:
    """Where a dossier waiting for a supplement goes back to when the supplement arrives."""
    if dossier.status is not DossierStatus.SUPPLEMENT_REQUESTED:
        return None  # status_after refuses with the domain's message
    waiting = records.open_supplement(tx.conn, dossier.row.id)
    if waiting is not None:
        resume_to = supplement_resume_to(tx.conn, waiting.id)
        if resume_to:
            return DossierStatus(resume_to)
    # A dossier loaded in bulk has no form 02 row: resume where a hand-over left it.
    if was_handed_over(tx.conn, dossier.row.id):
        return DossierStatus.PROCESSING
    return DossierStatus.RECEIVED


def _audit_safe(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if isinstance(v, str | int | bool | None)}


def _record(
    tx: WriteTx,
    dossier: Dossier,
    event: DossierEvent,
    current: DossierStatus,
    target: DossierStatus,
    step: Step,
) -> None:
    """The rows of a step: the dossier's new values, its event, the outbox, the audit."""
    update_dossier(
        tx, dossier.row.id, {"status": target.value, "updated_at": tx.now_iso, **step.updates}
    )
    unit = step.unit or dossier.current_unit or RECEPTION_UNIT
    add_event(
        tx,
        {
            "dossier_id": dossier.row.id,
            "at": tx.now_iso,
            "status_from": current.value,
            "status_to": target.value,
            "action": event.value,
            "actor": tx.actor,
            "unit": unit,
            "channel": step.channel,
            "note": step.note,
        },
    )
    tx.emit(
        f"dossier.{event.value}",
        {
            "code": dossier.code,
            "unit_code": dossier.row.unit_code,
            "procedure_code": dossier.row.procedure_code,
            "event": event.value,
            "status_from": current.value,
            "status_to": target.value,
            "portal_code": target.portal_code,
            "at": tx.now_iso,
            "actor": tx.actor,
            "unit": unit,
            "channel": step.channel,
            **step.payload,
        },
    )
    tx.details.update({"from": current.value, "to": target.value, **_audit_safe(step.payload)})


def run_step(
    ctx: Context,
    code: str,
    event: DossierEvent,
    *,
    actor: str,
    request_id: str | None,
    request: Mapping[str, Any],
    apply: Apply | None = None,
) -> tuple[Dossier, int | None]:
    """Apply `event` to the dossier with this code; returns it reloaded and the step's record."""
    request_id = checks.request_id(request_id)
    wanted = checks.canonical_code(code)

    def write(tx: WriteTx) -> Outcome:
        dossier = records.load_dossier(tx.conn, code=wanted)
        if dossier is None:
            raise DossierNotFound(wanted)
        current = dossier.status
        resume_to = None
        if event is DossierEvent.SUPPLEMENT_RECEIVED:
            resume_to = _resume_to(tx, dossier)
        target = status_after(current, event, resume_to=resume_to)
        step = apply(tx, dossier, target) if apply is not None else Step()
        _record(tx, dossier, event, current, target, step)
        return Outcome(dossier_id=dossier.row.id, record_id=step.record_id)

    done, replayed = write_once(
        ctx.store,
        write,
        kind=event.value,
        request={"code": wanted, **request},
        request_id=request_id,
        actor=actor,
        action=f"dossier.{event.value}",
        target=wanted,
    )
    assert done.dossier_id is not None
    return ctx.load(done.dossier_id, replayed=replayed), done.record_id
