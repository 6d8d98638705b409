"""At the counter: receive a complete dossier (form 01), or, without a dossier, ask for what is
missing (form 02) or refuse it (form 03).

Everything typed is checked before the transaction opens; inside it, the ticket is checked, the
numbers are taken and the rows written once each. A reception writes its dossier row with its
final values (code, register line, due date, time limit, unit, counter) in one INSERT.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from kiosk.domain import formats
from kiosk.domain.catalogue import COPY_KIND_LABELS, CopyKind, Procedure
from kiosk.domain.errors import ValidationError
from kiosk.domain.lifecycle import DossierEvent, DossierStatus, status_after
from kiosk.dossiers import checks, records
from kiosk.dossiers.checks import (
    DOCUMENT_MAX,
    MAX_COUNT,
    MAX_DOCUMENTS,
    MAX_FEE,
    MAX_SETS,
    NOTE_MAX,
    ValidApplicant,
)
from kiosk.dossiers.context import RECEPTION_UNIT, Context, form_number
from kiosk.dossiers.idempotency import Outcome, write_once
from kiosk.dossiers.models import (
    CounterRefusal,
    CounterSupplement,
    Dossier,
    HandedDocument,
    Reception,
    RefusalRecord,
    SupplementRecord,
)
from kiosk.store import WriteTx
from kiosk.store.dossier_forms_repo import insert_refusal, insert_supplement
from kiosk.store.dossier_repo import DossierDocument, NewDossier, dossier_code, insert_dossier

log = logging.getLogger(__name__)


def _document(procedure: Procedure, n: int, line: HandedDocument) -> DossierDocument:
    """Line `n` of the documents handed in, checked against the procedure's list."""
    kind = CopyKind(line.copy_kind)
    if not 1 <= line.count <= MAX_COUNT:
        raise ValidationError(
            f"Số lượng giấy tờ dòng {n} phải từ 1 đến {MAX_COUNT}.",
            field=f"documents.{n}.count",
            value=str(line.count),
        )
    if line.catalogue_position is None:
        name = checks.text(
            line.name,
            field_name=f"documents.{n}.name",
            label=f"tên giấy tờ dòng {n}",
            max_len=DOCUMENT_MAX,
            required=True,
        )
        return DossierDocument(name, kind, line.count)
    position = line.catalogue_position
    if not 0 <= position < len(procedure.documents):
        raise ValidationError(
            f"Dòng {n}: thủ tục {procedure.code} không có giấy tờ số {position + 1} "
            f"(danh mục có {len(procedure.documents)} giấy tờ).",
            field=f"documents.{n}.catalogue_position",
            value=str(position),
        )
    required = procedure.documents[position]
    if kind not in required.copy_kinds:
        allowed = " hoặc ".join(COPY_KIND_LABELS[k].lower() for k in required.copy_kinds)
        raise ValidationError(
            f"Dòng {n}: giấy tờ '{required.name}' phải nộp {allowed}.",
            field=f"documents.{n}.copy_kind",
            value=kind.value,
        )
    return DossierDocument(required.name, kind, line.count)


def _documents(
    procedure: Procedure, handed: tuple[HandedDocument, ...]
) -> tuple[DossierDocument, ...]:
    if len(handed) > MAX_DOCUMENTS:
        raise ValidationError(
            f"Danh sách giấy tờ có tối đa {MAX_DOCUMENTS} dòng.", field="documents"
        )
    return tuple(_document(procedure, n, line) for n, line in enumerate(handed, 1))


def _fee(procedure: Procedure, reception: Reception) -> int:
    fee = reception.fee
    if fee is None:
        online = reception.channel == "online" and procedure.fee_online is not None
        fee = procedure.fee_online if online else procedure.fee_counter
    if fee is None:
        raise ValidationError(
            f"Lệ phí của thủ tục {procedure.code} do tỉnh quy định"
            + (f" ({procedure.fee_note})" if procedure.fee_note else "")
            + ": hãy nhập số tiền lệ phí.",
            field="fee",
        )
    if not 0 <= fee <= MAX_FEE:
        raise ValidationError(
            f"Lệ phí phải từ 0 đến {formats.vnd(MAX_FEE)}.", field="fee", value=str(fee)
        )
    return fee


def _check_due_rule(procedure: Procedure, reception: Reception) -> None:
    """A procedure with a fixed time limit computes the due date; one without takes it typed."""
    if procedure.duration is not None and reception.due_at is not None:
        raise ValidationError(
            f"Thủ tục {procedure.code} có thời hạn {procedure.duration.label}: ngày hẹn trả "
            "được tính tự động, không nhập tay.",
            field="due_at",
        )
    if procedure.duration is None and reception.due_at is None:
        raise ValidationError(
            f"Thủ tục {procedure.code} không quy định thời hạn cố định"
            + (f" ({procedure.duration_note})" if procedure.duration_note else "")
            + ": hãy nhập ngày hẹn trả.",
            field="due_at",
        )


@dataclass(frozen=True, slots=True)
class _ValidReception:
    """A reception after the checks, ready to be written."""

    typed: Reception
    procedure: Procedure
    applicant: ValidApplicant
    documents: tuple[DossierDocument, ...]
    channel: str
    return_channel: str
    fee: int
    note: str


def _validate(ctx: Context, reception: Reception) -> _ValidReception:
    procedure = checks.procedure(ctx.store, reception.procedure_code)
    applicant = checks.applicant(reception.applicant)
    documents = _documents(procedure, reception.documents)
    if not 1 <= reception.sets <= MAX_SETS:
        raise ValidationError(
            f"Số bộ hồ sơ phải từ 1 đến {MAX_SETS}.", field="sets", value=str(reception.sets)
        )
    channel = checks.channel(reception.channel, "channel")
    return_channel = checks.channel(reception.return_channel, "return_channel")
    fee = _fee(procedure, reception)
    note = checks.text(reception.note, field_name="note", label="ghi chú", max_len=NOTE_MAX)
    _check_due_rule(procedure, reception)
    return _ValidReception(
        reception, procedure, applicant, documents, channel, return_channel, fee, note
    )


def _due_date(ctx: Context, valid: _ValidReception, now: datetime) -> datetime:
    procedure = valid.procedure
    if procedure.duration is not None:
        return ctx.due_at(now, procedure.duration, procedure.same_day_cutoff)
    due = valid.typed.due_at
    assert due is not None
    if due.tzinfo is None:
        raise ValueError("due_at must be tz-aware")
    if due <= now:
        raise ValidationError("Ngày hẹn trả phải sau thời điểm tiếp nhận.", field="due_at")
    return due


def _new_dossier(ctx: Context, valid: _ValidReception, now: datetime) -> NewDossier:
    """The dossier row with its final values (one INSERT: nothing is updated after it)."""
    procedure, applicant, typed = valid.procedure, valid.applicant, valid.typed
    return NewDossier(
        unit_code=ctx.settings.unit_code,
        received_at=now,
        procedure_code=procedure.code,
        procedure_name=procedure.name,
        applicant_name=applicant.name,
        applicant_id_number=applicant.id_number,
        applicant_id_legacy=applicant.id_legacy,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        due_at=_due_date(ctx, valid, now),
        sets=typed.sets,
        channel=valid.channel,
        return_channel=valid.return_channel,
        fee=valid.fee,
        ticket_id=typed.ticket_id,
        note=valid.note,
        documents=valid.documents,
        duration=procedure.duration,
        same_day_cutoff=procedure.same_day_cutoff,
        current_unit=RECEPTION_UNIT,
        counter_number=typed.counter_number,
    )


def receive(
    ctx: Context, reception: Reception, *, actor: str, request_id: str | None = None
) -> Dossier:
    """Receive a complete dossier: code, register line, due date, documents (form 01)."""
    request_id = checks.request_id(request_id)
    valid = _validate(ctx, reception)

    def write(tx: WriteTx) -> Outcome:
        checks.ticket(tx.conn, reception.ticket_id)
        row = insert_dossier(tx, _new_dossier(ctx, valid, tx.now))
        return Outcome(dossier_id=row.id, record_id=None)

    def on_replay(tx: WriteTx, prior: Outcome) -> None:
        # A replay's audit row names the dossier, as the first write's did.
        assert prior.dossier_id is not None
        tx.target = dossier_code(tx.conn, prior.dossier_id)

    done, replayed = write_once(
        ctx.store,
        write,
        kind="receive",
        request=reception,
        request_id=request_id,
        actor=actor,
        action="dossier.receive",
        details={"procedure": valid.procedure.code},
        on_replay=on_replay,
    )
    assert done.dossier_id is not None
    dossier = ctx.load(done.dossier_id, replayed=replayed)
    if not replayed:
        log.info("dossier %s received by %s", dossier.code, actor)
    return dossier


def supplement_at_counter(
    ctx: Context, request: CounterSupplement, *, actor: str, request_id: str | None = None
) -> SupplementRecord:
    """An incomplete dossier: form 02 lists everything missing, in one go; no code."""
    request_id = checks.request_id(request_id)
    procedure = checks.procedure(ctx.store, request.procedure_code)
    applicant = checks.applicant(request.applicant)
    items = checks.missing_items(request.items)
    reason = checks.text(
        request.reason, field_name="reason", label="lý do", max_len=NOTE_MAX, required=True
    )

    def write(tx: WriteTx) -> Outcome:
        checks.ticket(tx.conn, request.ticket_id)
        number = form_number(tx, "02")
        record_id = insert_supplement(
            tx,
            {
                "number": number,
                "stage": "counter",
                "dossier_id": None,
                "ticket_id": request.ticket_id,
                "counter_number": request.counter_number,
                "requested_at": tx.now_iso,
                "actor": actor,
                "unit": RECEPTION_UNIT,
                "procedure_code": procedure.code,
                "procedure_name": procedure.name,
                "applicant_name": applicant.name,
                "applicant_phone": applicant.phone,
                "applicant_email": applicant.email,
                "applicant_address": applicant.address,
                "items": json.dumps(items, ensure_ascii=False),
                "reason": reason,
            },
        )
        tx.target = f"form02:{number}"
        tx.emit(
            "dossier.supplement_at_counter",
            {
                "number": number,
                "unit_code": ctx.settings.unit_code,
                "procedure_code": procedure.code,
                "at": tx.now_iso,
                "ticket_id": request.ticket_id,
                "counter_number": request.counter_number,
                "items": len(items),
                "actor": actor,
            },
        )
        return Outcome(dossier_id=None, record_id=record_id)

    done, replayed = write_once(
        ctx.store,
        write,
        kind="supplement_at_counter",
        request=request,
        request_id=request_id,
        actor=actor,
        action="dossier.supplement_at_counter",
        details={"procedure": procedure.code},
    )
    assert done.record_id is not None
    supplement = records.load_supplement(ctx.store.conn, done.record_id)
    return replace(supplement, replayed=True) if replayed else supplement


def refuse_at_counter(
    ctx: Context, request: CounterRefusal, *, actor: str, request_id: str | None = None
) -> RefusalRecord:
    """A dossier not admissible: form 03 with the reason, recorded against the ticket."""
    request_id = checks.request_id(request_id)
    procedure = checks.procedure(ctx.store, request.procedure_code)
    applicant = checks.applicant(request.applicant)
    reason = checks.text(
        request.reason, field_name="reason", label="lý do từ chối", max_len=NOTE_MAX, required=True
    )

    def write(tx: WriteTx) -> Outcome:
        checks.ticket(tx.conn, request.ticket_id)
        # REFUSED is a starting status: the domain says so, the record is its proof.
        status_after(None, DossierEvent.REFUSE)
        number = form_number(tx, "03")
        record_id = insert_refusal(
            tx,
            {
                "number": number,
                "ticket_id": request.ticket_id,
                "counter_number": request.counter_number,
                "at": tx.now_iso,
                "actor": actor,
                "unit": RECEPTION_UNIT,
                "procedure_code": procedure.code,
                "procedure_name": procedure.name,
                "applicant_name": applicant.name,
                "applicant_phone": applicant.phone,
                "applicant_email": applicant.email,
                "applicant_address": applicant.address,
                "reason": reason,
            },
        )
        tx.target = f"form03:{number}"
        tx.emit(
            "dossier.refused",
            {
                "number": number,
                "status": DossierStatus.REFUSED.value,
                "portal_code": DossierStatus.REFUSED.portal_code,
                "unit_code": ctx.settings.unit_code,
                "procedure_code": procedure.code,
                "at": tx.now_iso,
                "ticket_id": request.ticket_id,
                "counter_number": request.counter_number,
                "actor": actor,
            },
        )
        return Outcome(dossier_id=None, record_id=record_id)

    done, replayed = write_once(
        ctx.store,
        write,
        kind="refuse",
        request=request,
        request_id=request_id,
        actor=actor,
        action="dossier.refuse",
        details={"procedure": procedure.code},
    )
    assert done.record_id is not None
    refusal = records.load_refusal(ctx.store.conn, done.record_id)
    return replace(refusal, replayed=True) if replayed else refusal
