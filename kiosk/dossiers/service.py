"""The counter workflow: receive, supplement, refuse, and every step until the result is returned.

One method is one user action and one write transaction (`Store.write`): the business rows, a
`dossier_events` row (time, acting user, unit, channel), an outbox event without personal data
and an audit row commit together, or nothing does. Status changes go through the domain's state
machine (`kiosk.domain.lifecycle.status_after`); an illegal one raises `TransitionError` with the
Vietnamese reason, before anything is written.

Idempotency: every write accepts a client `request_id`. It is stored with what the request
produced, in the same transaction; the same id again returns that result (`replayed=True`) and
writes nothing but an audit row saying so; the same id with a different request is refused.

Reads of a dossier by staff (`open_file`, `worklist`, `search`) and prints (`record_print`) write
an audit row each: the personal data protection law wants to know who looked at whom.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, is_dataclass, replace
from datetime import date, datetime, time
from typing import Any, Final

from kiosk.clock import VN_TZ
from kiosk.config import Settings
from kiosk.domain import formats
from kiosk.domain.calendar import WorkCalendar
from kiosk.domain.catalogue import COPY_KIND_LABELS, CopyKind, Duration, Procedure
from kiosk.domain.codes import format_dossier_code, parse_dossier_code
from kiosk.domain.errors import TransitionError, ValidationError
from kiosk.domain.lifecycle import (
    DossierEvent,
    DossierStatus,
    SupplementPolicy,
    Timeliness,
    check_extension,
    check_supplement_request,
    classify,
    due_after_supplement,
    status_after,
)
from kiosk.domain.text import clean
from kiosk.domain.validation import (
    clean_person_name,
    normalise_email,
    normalise_phone,
    parse_citizen_id,
)
from kiosk.dossiers import records
from kiosk.dossiers.errors import (
    CounterNotFound,
    DossierNotFound,
    ProcedureNotFound,
    RatingAlreadyGiven,
    RequestIdConflict,
    TicketNotFound,
)
from kiosk.dossiers.lookup import LookupLimiter, lookup_dossier
from kiosk.dossiers.models import (
    CHANNEL_LABELS,
    Applicant,
    CounterRefusal,
    CounterSupplement,
    Dossier,
    DossierFile,
    HandedDocument,
    LookupResult,
    MissingDocument,
    RatingLevel,
    RatingRecord,
    Reception,
    RefusalRecord,
    SupplementRecord,
    Worklist,
)
from kiosk.dossiers.worklists import list_worklist
from kiosk.store import Store, WriteTx, to_iso
from kiosk.store.calendar_repo import list_overrides
from kiosk.store.catalogue_repo import get_procedure
from kiosk.store.dossier_repo import DossierDocument, NewDossier, insert_dossier, service_day
from kiosk.store.search import search_dossier_ids
from kiosk.store.sequences import next_sequence

log = logging.getLogger(__name__)

#: The unit that receives dossiers and hands them over (first "from" of form 05).
RECEPTION_UNIT: Final = "Bộ phận Tiếp nhận và Trả kết quả"

MAX_DOCUMENTS: Final = 100
MAX_ITEMS: Final = 50
MAX_SETS: Final = 99
MAX_COUNT: Final = 999
MAX_FEE: Final = 1_000_000_000
NAME_MAX: Final = 100
ADDRESS_MAX: Final = 300
DOCUMENT_MAX: Final = 500
UNIT_MAX: Final = 200
NOTE_MAX: Final = 1000
REQUEST_ID_MIN, REQUEST_ID_MAX = 8, 100

CHANNELS: Final = tuple(CHANNEL_LABELS)


def _text(value: str, *, field_name: str, label: str, max_len: int, required: bool = False) -> str:
    text = clean(value)
    if required and not text:
        raise ValidationError(f"Chưa nhập {label}.", field=field_name, value=value)
    if len(text) > max_len:
        raise ValidationError(
            f"{label[:1].upper()}{label[1:]} dài quá {max_len} ký tự (đang có {len(text)}).",
            field=field_name,
            value=value[:max_len],
        )
    return text


def _channel(value: str, field_name: str) -> str:
    if value not in CHANNEL_LABELS:
        allowed = ", ".join(f"{k} ({v})" for k, v in CHANNEL_LABELS.items())
        raise ValidationError(
            f"Kênh '{value}' không có. Chọn một trong: {allowed}.", field=field_name, value=value
        )
    return value


def canonical_code(raw: str) -> str:
    """A typed or scanned dossier code in its stored form (case, spaces and dashes forgiven)."""
    parts = parse_dossier_code(raw)
    return format_dossier_code(parts.unit_code, parts.received_on, parts.seq)


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return to_iso(value) if value.tzinfo is not None else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def fingerprint(kind: str, request: Any) -> str:
    """The sha256 of a request's content: what makes a reused request id a different request."""
    text = json.dumps(
        {"kind": kind, "request": _jsonable(request)},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a request produced, as remembered under its request id (`dossier_requests`)."""

    dossier_id: int | None
    record_id: int | None


@dataclass
class _Step:
    """What one transition changes besides the status (filled by the step's `apply`)."""

    updates: dict[str, Any] = field(default_factory=dict)
    unit: str = ""
    channel: str = "counter"
    note: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    record_id: int | None = None


Apply = Callable[[WriteTx, Dossier, DossierStatus], _Step]


@dataclass(frozen=True, slots=True)
class _ValidApplicant:
    name: str
    id_number: str
    id_legacy: bool
    phone: str
    email: str
    address: str


class DossierService:
    """The dossier workflow over one office store, its settings and its working calendar."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        calendar: Callable[[], WorkCalendar] | None = None,
        limiter: LookupLimiter | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self._calendar_source = calendar
        self._calendar_key: tuple[Any, ...] | None = None
        self._calendar: WorkCalendar | None = None
        self.limiter = limiter or LookupLimiter(store.now)

    # --- calendar --------------------------------------------------------------------------

    def calendar(self) -> WorkCalendar:
        """The office's working calendar, rebuilt only when the override table changed."""
        if self._calendar_source is not None:
            return self._calendar_source()
        overrides = tuple(list_overrides(self.store))
        if self._calendar is None or self._calendar_key != overrides:
            self._calendar = WorkCalendar(
                overrides, weekend=self.settings.weekend, sessions=self.settings.sessions
            )
            self._calendar_key = overrides
        return self._calendar

    def _due_at(self, received_at: datetime, duration: Duration, cut_off: time | None) -> datetime:
        return self.calendar().due_at(
            received_at,
            duration,
            cut_off=cut_off or self.settings.same_day_cutoff,
            appointment=self.settings.appointment_time,
        )

    # --- shared checks -----------------------------------------------------------------------

    def _procedure(self, code: str) -> Procedure:
        wanted = clean(code)
        if not wanted:
            raise ValidationError("Chưa chọn thủ tục.", field="procedure_code", value=code)
        found = get_procedure(self.store, wanted)
        if found is None:
            raise ProcedureNotFound(wanted)
        return found

    @staticmethod
    def _applicant(applicant: Applicant) -> _ValidApplicant:
        name = clean_person_name(applicant.name)
        id_number, legacy = "", False
        if clean(applicant.citizen_id):
            parsed = parse_citizen_id(applicant.citizen_id)
            id_number, legacy = parsed.number, parsed.legacy
        phone = normalise_phone(applicant.phone) if clean(applicant.phone) else ""
        email = normalise_email(applicant.email) if clean(applicant.email) else ""
        address = _text(
            applicant.address, field_name="address", label="địa chỉ", max_len=ADDRESS_MAX
        )
        return _ValidApplicant(name, id_number, legacy, phone, email, address)

    @staticmethod
    def _check_ticket(tx: WriteTx, ticket_id: int | None) -> None:
        if ticket_id is None:
            return
        if tx.execute("SELECT 1 FROM tickets WHERE id = ?", (ticket_id,)).fetchone() is None:
            raise TicketNotFound(ticket_id)

    @staticmethod
    def _items(items: tuple[MissingDocument, ...]) -> list[dict[str, str]]:
        if not items:
            raise ValidationError(
                "Phiếu yêu cầu bổ sung phải ghi đủ mọi giấy tờ còn thiếu (ít nhất một dòng).",
                field="items",
            )
        if len(items) > MAX_ITEMS:
            raise ValidationError(
                f"Phiếu yêu cầu bổ sung ghi tối đa {MAX_ITEMS} dòng.", field="items"
            )
        out = []
        for n, item in enumerate(items, 1):
            name = _text(
                item.name,
                field_name=f"items.{n}.name",
                label=f"tên giấy tờ dòng {n}",
                max_len=DOCUMENT_MAX,
                required=True,
            )
            detail = _text(
                item.detail,
                field_name=f"items.{n}.detail",
                label=f"nội dung dòng {n}",
                max_len=DOCUMENT_MAX,
            )
            out.append({"name": name, "detail": detail})
        return out

    @staticmethod
    def _request_id(request_id: str | None) -> str | None:
        if request_id is None:
            return None
        value = request_id.strip()
        if not (REQUEST_ID_MIN <= len(value) <= REQUEST_ID_MAX) or not value.isascii():
            raise ValidationError(
                f"Mã yêu cầu phải gồm {REQUEST_ID_MIN}–{REQUEST_ID_MAX} ký tự ASCII.",
                field="request_id",
                value=request_id[:REQUEST_ID_MAX],
            )
        return value

    @staticmethod
    def _prior(tx: WriteTx, request_id: str | None, kind: str, print_: str) -> _Outcome | None:
        """What an earlier request with this id did, or None for a new request."""
        if request_id is None:
            return None
        found = tx.execute(
            "SELECT kind, fingerprint, dossier_id, record_id FROM dossier_requests "
            "WHERE request_id = ?",
            (request_id,),
        ).fetchone()
        if found is None:
            return None
        if (found[0], found[1]) != (kind, print_):
            raise RequestIdConflict(request_id)
        tx.details["replay_of"] = request_id
        return _Outcome(found[2], found[3])

    @staticmethod
    def _remember(
        tx: WriteTx,
        request_id: str | None,
        kind: str,
        print_: str,
        outcome: _Outcome,
    ) -> None:
        if request_id is None:
            return
        tx.insert(
            "dossier_requests",
            {
                "request_id": request_id,
                "kind": kind,
                "fingerprint": print_,
                "actor": tx.actor,
                "dossier_id": outcome.dossier_id,
                "record_id": outcome.record_id,
                "created_at": tx.now_iso,
            },
        )

    def _exactly_once(
        self,
        tx: WriteTx,
        request_id: str | None,
        kind: str,
        request: Any,
        write: Callable[[WriteTx], _Outcome],
    ) -> tuple[_Outcome, bool]:
        """Run `write` once per request id; returns what it produced and whether this is a replay.

        The counter PC retries a write whose answer it did not get: the same id with the same
        request returns what the first one produced and writes nothing (the audit row says
        `replay_of`); the same id with another request raises `RequestIdConflict`. The id is
        remembered in `tx`, with the effect: a write that fails leaves it free.
        """
        print_ = fingerprint(kind, request)
        prior = self._prior(tx, request_id, kind, print_)
        if prior is not None:
            return prior, True
        outcome = write(tx)
        self._remember(tx, request_id, kind, print_, outcome)
        return outcome, False

    @staticmethod
    def _form_number(tx: WriteTx, form: str) -> str:
        """The printed number of a form 02/03/04: '07/2026', numbered per year."""
        year = service_day(tx.now).year
        return f"{next_sequence(tx, f'form{form}', str(year)):02d}/{year}"

    def _load(self, dossier_id: int, *, replayed: bool = False) -> Dossier:
        found = records.load_dossier(self.store.conn, dossier_id=dossier_id)
        assert found is not None
        return replace(found, replayed=True) if replayed else found

    # --- reception ---------------------------------------------------------------------------

    def _documents(
        self, procedure: Procedure, handed: tuple[HandedDocument, ...]
    ) -> tuple[tuple[str, CopyKind, int], ...]:
        if len(handed) > MAX_DOCUMENTS:
            raise ValidationError(
                f"Danh sách giấy tờ có tối đa {MAX_DOCUMENTS} dòng.", field="documents"
            )
        lines: list[tuple[str, CopyKind, int]] = []
        for n, line in enumerate(handed, 1):
            kind = CopyKind(line.copy_kind)
            if not 1 <= line.count <= MAX_COUNT:
                raise ValidationError(
                    f"Số lượng giấy tờ dòng {n} phải từ 1 đến {MAX_COUNT}.",
                    field=f"documents.{n}.count",
                    value=str(line.count),
                )
            if line.catalogue_position is not None:
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
                    allowed = " hoặc ".join(
                        COPY_KIND_LABELS[k].lower() for k in required.copy_kinds
                    )
                    raise ValidationError(
                        f"Dòng {n}: giấy tờ '{required.name}' phải nộp {allowed}.",
                        field=f"documents.{n}.copy_kind",
                        value=kind.value,
                    )
                name = required.name
            else:
                name = _text(
                    line.name,
                    field_name=f"documents.{n}.name",
                    label=f"tên giấy tờ dòng {n}",
                    max_len=DOCUMENT_MAX,
                    required=True,
                )
            lines.append((name, kind, line.count))
        return tuple(lines)

    def _fee(self, procedure: Procedure, reception: Reception) -> int:
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
                f"Lệ phí phải từ 0 đến {formats.vnd(MAX_FEE)}.",
                field="fee",
                value=str(fee),
            )
        return fee

    def receive(
        self, reception: Reception, *, actor: str, request_id: str | None = None
    ) -> Dossier:
        """Receive a complete dossier: code, register line, due date, documents (form 01)."""
        request_id = self._request_id(request_id)
        procedure = self._procedure(reception.procedure_code)
        applicant = self._applicant(reception.applicant)
        documents = self._documents(procedure, reception.documents)
        if not 1 <= reception.sets <= MAX_SETS:
            raise ValidationError(
                f"Số bộ hồ sơ phải từ 1 đến {MAX_SETS}.", field="sets", value=str(reception.sets)
            )
        channel = _channel(reception.channel, "channel")
        return_channel = _channel(reception.return_channel, "return_channel")
        fee = self._fee(procedure, reception)
        note = _text(reception.note, field_name="note", label="ghi chú", max_len=NOTE_MAX)
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

        def write(tx: WriteTx) -> _Outcome:
            self._check_ticket(tx, reception.ticket_id)
            now = tx.now
            if procedure.duration is not None:
                due = self._due_at(now, procedure.duration, procedure.same_day_cutoff)
            else:
                assert reception.due_at is not None
                due = reception.due_at
                if due.tzinfo is None:
                    raise ValueError("due_at must be tz-aware")
                if due <= now:
                    raise ValidationError(
                        "Ngày hẹn trả phải sau thời điểm tiếp nhận.", field="due_at"
                    )
            new = NewDossier(
                unit_code=self.settings.unit_code,
                received_at=now,
                procedure_code=procedure.code,
                procedure_name=procedure.name,
                applicant_name=applicant.name,
                applicant_id_number=applicant.id_number,
                applicant_id_legacy=applicant.id_legacy,
                applicant_phone=applicant.phone,
                applicant_email=applicant.email,
                applicant_address=applicant.address,
                due_at=due,
                sets=reception.sets,
                channel=channel,
                return_channel=return_channel,
                fee=fee,
                ticket_id=reception.ticket_id,
                note=note,
                documents=tuple(
                    DossierDocument(name, copy_kind, count) for name, copy_kind, count in documents
                ),
            )
            row = insert_dossier(tx, new)
            duration = procedure.duration
            cutoff = procedure.same_day_cutoff
            tx.execute(
                "UPDATE dossiers SET duration_value = ?, duration_unit = ?, "
                "same_day_cutoff = ?, current_unit = ?, counter_number = ? WHERE id = ?",
                (
                    None if duration is None else duration.value,
                    None if duration is None else duration.unit.value,
                    None if cutoff is None else cutoff.strftime("%H:%M"),
                    RECEPTION_UNIT,
                    reception.counter_number,
                    row.id,
                ),
            )
            return _Outcome(dossier_id=row.id, record_id=None)

        with self.store.write(
            actor, "dossier.receive", details={"procedure": procedure.code}
        ) as tx:
            done, replayed = self._exactly_once(tx, request_id, "receive", reception, write)
            assert done.dossier_id is not None
            dossier_id = done.dossier_id
            if replayed:
                # A replay's audit row names the dossier, as the first write's did.
                (code,) = tx.execute(
                    "SELECT code FROM dossiers WHERE id = ?", (dossier_id,)
                ).fetchone()
                tx.target = str(code)
        dossier = self._load(dossier_id, replayed=replayed)
        if not replayed:
            log.info("dossier %s received by %s", dossier.code, actor)
        return dossier

    # --- at the counter, without a dossier ----------------------------------------------------

    def supplement_at_counter(
        self, request: CounterSupplement, *, actor: str, request_id: str | None = None
    ) -> SupplementRecord:
        """An incomplete dossier: form 02 lists everything missing, in one go; no code."""
        request_id = self._request_id(request_id)
        procedure = self._procedure(request.procedure_code)
        applicant = self._applicant(request.applicant)
        items = self._items(request.items)
        reason = _text(
            request.reason, field_name="reason", label="lý do", max_len=NOTE_MAX, required=True
        )

        def write(tx: WriteTx) -> _Outcome:
            self._check_ticket(tx, request.ticket_id)
            number = self._form_number(tx, "02")
            record_id = tx.insert(
                "supplement_requests",
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
                    "unit_code": self.settings.unit_code,
                    "procedure_code": procedure.code,
                    "at": tx.now_iso,
                    "ticket_id": request.ticket_id,
                    "counter_number": request.counter_number,
                    "items": len(items),
                    "actor": actor,
                },
            )
            return _Outcome(dossier_id=None, record_id=record_id)

        with self.store.write(
            actor, "dossier.supplement_at_counter", details={"procedure": procedure.code}
        ) as tx:
            done, replayed = self._exactly_once(
                tx, request_id, "supplement_at_counter", request, write
            )
        assert done.record_id is not None
        supplement = records.load_supplement(self.store.conn, done.record_id)
        return replace(supplement, replayed=True) if replayed else supplement

    def refuse_at_counter(
        self, request: CounterRefusal, *, actor: str, request_id: str | None = None
    ) -> RefusalRecord:
        """A dossier not admissible: form 03 with the reason, recorded against the ticket."""
        request_id = self._request_id(request_id)
        procedure = self._procedure(request.procedure_code)
        applicant = self._applicant(request.applicant)
        reason = _text(
            request.reason,
            field_name="reason",
            label="lý do từ chối",
            max_len=NOTE_MAX,
            required=True,
        )

        def write(tx: WriteTx) -> _Outcome:
            self._check_ticket(tx, request.ticket_id)
            # REFUSED is a starting status: the domain says so, the record is its proof.
            status_after(None, DossierEvent.REFUSE)
            number = self._form_number(tx, "03")
            record_id = tx.insert(
                "refusals",
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
                    "unit_code": self.settings.unit_code,
                    "procedure_code": procedure.code,
                    "at": tx.now_iso,
                    "ticket_id": request.ticket_id,
                    "counter_number": request.counter_number,
                    "actor": actor,
                },
            )
            return _Outcome(dossier_id=None, record_id=record_id)

        with self.store.write(actor, "dossier.refuse", details={"procedure": procedure.code}) as tx:
            done, replayed = self._exactly_once(tx, request_id, "refuse", request, write)
        assert done.record_id is not None
        refusal = records.load_refusal(self.store.conn, done.record_id)
        return replace(refusal, replayed=True) if replayed else refusal

    # --- after reception: the state machine -------------------------------------------------

    def _transition(
        self,
        code: str,
        event: DossierEvent,
        *,
        actor: str,
        request_id: str | None,
        request: Mapping[str, Any],
        apply: Apply | None = None,
    ) -> tuple[Dossier, int | None]:
        request_id = self._request_id(request_id)
        wanted = canonical_code(code)

        def write(tx: WriteTx) -> _Outcome:
            dossier = records.load_dossier(tx.conn, code=wanted)
            if dossier is None:
                raise DossierNotFound(wanted)
            current = dossier.status
            resume_to = None
            if event is DossierEvent.SUPPLEMENT_RECEIVED:
                resume_to = self._resume_to(tx, dossier)
            target = status_after(current, event, resume_to=resume_to)
            step = apply(tx, dossier, target) if apply is not None else _Step()
            columns = {"status": target.value, "updated_at": tx.now_iso, **step.updates}
            assignments = ", ".join(f"{name} = ?" for name in columns)
            tx.execute(
                f"UPDATE dossiers SET {assignments} WHERE id = ?",
                (*columns.values(), dossier.row.id),
            )
            unit = step.unit or dossier.current_unit or RECEPTION_UNIT
            tx.insert(
                "dossier_events",
                {
                    "dossier_id": dossier.row.id,
                    "at": tx.now_iso,
                    "status_from": current.value,
                    "status_to": target.value,
                    "action": event.value,
                    "actor": actor,
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
                    "actor": actor,
                    "unit": unit,
                    "channel": step.channel,
                    **step.payload,
                },
            )
            tx.details.update(
                {"from": current.value, "to": target.value, **_audit_safe(step.payload)}
            )
            return _Outcome(dossier_id=dossier.row.id, record_id=step.record_id)

        with self.store.write(actor, f"dossier.{event.value}", target=wanted) as tx:
            done, replayed = self._exactly_once(
                tx, request_id, event.value, {"code": wanted, **request}, write
            )
        assert done.dossier_id is not None
        return self._load(done.dossier_id, replayed=replayed), done.record_id

    @staticmethod
    def _resume_to(tx: WriteTx, dossier: Dossier) -> DossierStatus | None:
        if dossier.status is not DossierStatus.SUPPLEMENT_REQUESTED:
            return None  # status_after refuses with the domain's message
        waiting = records.open_supplement(tx.conn, dossier.row.id)
        if waiting is not None:
            row = tx.execute(
                "SELECT resume_to FROM supplement_requests WHERE id = ?", (waiting.id,)
            ).fetchone()
            if row[0]:
                return DossierStatus(row[0])
        # A dossier loaded in bulk has no form 02 row: resume where a hand-over left it.
        handed = tx.execute(
            "SELECT 1 FROM transfers WHERE dossier_id = ? LIMIT 1", (dossier.row.id,)
        ).fetchone()
        return DossierStatus.PROCESSING if handed else DossierStatus.RECEIVED

    def _handover_deadline(self, tx: WriteTx, dossier: Dossier) -> datetime | None:
        """The deadline of a hand-over step (form 05).

        The first hand-over from reception: the same working day, or the next one when received
        after the cut-off (15:00). Later hand-overs: the dossier's due date in force.
        """
        earlier = tx.execute(
            "SELECT 1 FROM transfers WHERE dossier_id = ? LIMIT 1", (dossier.row.id,)
        ).fetchone()
        if earlier is not None:
            return dossier.row.due_at
        calendar = self.calendar()
        received = dossier.row.received_at.astimezone(VN_TZ)
        day = received.date()
        before_cutoff = received.time().replace(tzinfo=None) < self.settings.same_day_cutoff
        if not (calendar.is_working_day(day) and before_cutoff):
            day = calendar.next_working_day(day)
        return datetime.combine(day, calendar.day_end, tzinfo=VN_TZ)

    def transfer(
        self,
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
        target_unit = _text(
            to_unit, field_name="to_unit", label="đơn vị nhận", max_len=UNIT_MAX, required=True
        )
        source_unit = _text(
            from_unit, field_name="from_unit", label="đơn vị giao", max_len=UNIT_MAX
        )
        giver_name = _text(giver, field_name="giver", label="người giao", max_len=NAME_MAX)
        receiver_name = _text(receiver, field_name="receiver", label="người nhận", max_len=NAME_MAX)
        text = _text(note, field_name="note", label="ghi chú", max_len=NOTE_MAX)

        def apply(tx: WriteTx, dossier: Dossier, target: DossierStatus) -> _Step:
            giving = source_unit or dossier.current_unit or RECEPTION_UNIT
            if giving == target_unit:
                raise ValidationError(
                    f"Hồ sơ đang ở '{giving}': hãy chọn một đơn vị nhận khác.", field="to_unit"
                )
            deadline = step_due_at or self._handover_deadline(tx, dossier)
            timeliness = None if deadline is None else classify(tx.now, deadline)
            transfer_id = tx.insert(
                "transfers",
                {
                    "dossier_id": dossier.row.id,
                    "at": tx.now_iso,
                    "from_unit": giving,
                    "to_unit": target_unit,
                    "giver": giver_name or actor,
                    "receiver": receiver_name,
                    "timeliness": None if timeliness is None else timeliness.value,
                    "note": text,
                },
            )
            return _Step(
                updates={"current_unit": target_unit},
                unit=giving,
                note=text,
                payload={
                    "from_unit": giving,
                    "to_unit": target_unit,
                    "timeliness": None if timeliness is None else timeliness.value,
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
        dossier, _ = self._transition(
            code,
            DossierEvent.TRANSFER,
            actor=actor,
            request_id=request_id,
            request=request,
            apply=apply,
        )
        return dossier

    def _simple(
        self,
        code: str,
        event: DossierEvent,
        *,
        actor: str,
        note: str,
        request_id: str | None,
        unit: str = "",
        note_required: str = "",
        updates: Callable[[WriteTx, Dossier], dict[str, Any]] | None = None,
        payload: Callable[[WriteTx, Dossier], dict[str, Any]] | None = None,
        channel: str = "counter",
    ) -> Dossier:
        text = _text(
            note,
            field_name="reason" if note_required else "note",
            label=note_required or "ghi chú",
            max_len=NOTE_MAX,
            required=bool(note_required),
        )
        acting = _text(unit, field_name="unit", label="đơn vị", max_len=UNIT_MAX)

        def apply(tx: WriteTx, dossier: Dossier, target: DossierStatus) -> _Step:
            return _Step(
                updates=updates(tx, dossier) if updates is not None else {},
                unit=acting,
                channel=channel,
                note=text,
                payload=payload(tx, dossier) if payload is not None else {},
            )

        dossier, _ = self._transition(
            code,
            event,
            actor=actor,
            request_id=request_id,
            request={"note": text, "unit": acting, "channel": channel},
            apply=apply,
        )
        return dossier

    def start_processing(
        self,
        code: str,
        *,
        actor: str,
        unit: str = "",
        note: str = "",
        request_id: str | None = None,
    ) -> Dossier:
        """Processing starts without a hand-over (the receiving unit decides itself)."""
        return self._simple(
            code,
            DossierEvent.START_PROCESSING,
            actor=actor,
            note=note,
            unit=unit,
            request_id=request_id,
        )

    def request_supplement(
        self,
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
        lines = self._items(items)
        why = _text(reason, field_name="reason", label="lý do", max_len=NOTE_MAX, required=True)

        def apply(tx: WriteTx, dossier: Dossier, target: DossierStatus) -> _Step:
            calendar = self.calendar()
            within = check_supplement_request(
                dossier.row.received_at, tx.now, calendar.add_working_days, allow_late=allow_late
            )
            ordinal = dossier.row.supplement_requests + 1
            number = self._form_number(tx, "02")
            record_id = tx.insert(
                "supplement_requests",
                {
                    "number": number,
                    "stage": "review",
                    "dossier_id": dossier.row.id,
                    "ticket_id": dossier.row.ticket_id,
                    "counter_number": None,
                    "requested_at": tx.now_iso,
                    "actor": actor,
                    "unit": dossier.current_unit,
                    "procedure_code": dossier.row.procedure_code,
                    "procedure_name": dossier.row.procedure_name,
                    "applicant_name": dossier.row.applicant_name,
                    "applicant_phone": dossier.row.applicant_phone,
                    "applicant_email": dossier.row.applicant_email,
                    "applicant_address": dossier.row.applicant_address,
                    "items": json.dumps(lines, ensure_ascii=False),
                    "reason": why,
                    "ordinal": ordinal,
                    "within_limit": int(within),
                    "resume_to": dossier.status.value,
                    "due_at_before": None
                    if dossier.row.due_at is None
                    else to_iso(dossier.row.due_at),
                },
            )
            return _Step(
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

        dossier, record_id = self._transition(
            code,
            DossierEvent.REQUEST_SUPPLEMENT,
            actor=actor,
            request_id=request_id,
            request={"items": lines, "reason": why, "allow_late": allow_late},
            apply=apply,
        )
        assert record_id is not None
        record = records.load_supplement(self.store.conn, record_id)
        return replace(record, replayed=True) if dossier.replayed else record

    def _due_after_supplement(
        self, tx: WriteTx, dossier: Dossier, paused_at: datetime
    ) -> tuple[datetime | None, datetime | None]:
        """(due_at, original_due_at) once the complete dossier is back, by the office policy.

        RESTART counts the promised time limit afresh from today; an extension date already
        promised is kept if it is later. EXTEND_BY_PAUSE moves both dates by the working days
        waited. A dossier whose limit was set by hand (no fixed duration) is moved by the wait.
        """
        row = dossier.row
        if row.due_at is None:
            return None, row.original_due_at
        policy = self.settings.supplement_policy
        duration, cutoff = records.dossier_duration(tx.conn, row.id)
        calendar = self.calendar()
        if duration is None:
            policy = SupplementPolicy.EXTEND_BY_PAUSE
        cut_off = time.fromisoformat(cutoff) if cutoff else None

        def recompute(moment: datetime) -> datetime:
            assert duration is not None
            return self._due_at(moment, duration, cut_off)

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
        self, code: str, *, actor: str, note: str = "", request_id: str | None = None
    ) -> Dossier:
        """The complete dossier is back: processing resumes and the due date moves (policy)."""
        text = _text(note, field_name="note", label="ghi chú", max_len=NOTE_MAX)

        def apply(tx: WriteTx, dossier: Dossier, target: DossierStatus) -> _Step:
            waiting = records.open_supplement(tx.conn, dossier.row.id)
            if waiting is not None:
                paused_at = waiting.requested_at
            else:
                paused_at = datetime.fromisoformat(
                    tx.execute(
                        "SELECT max(at) FROM dossier_events WHERE dossier_id = ? AND status_to = ?",
                        (dossier.row.id, DossierStatus.SUPPLEMENT_REQUESTED.value),
                    ).fetchone()[0]
                    or to_iso(dossier.row.received_at)
                )
            due, original = self._due_after_supplement(tx, dossier, paused_at)
            if waiting is not None:
                tx.execute(
                    "UPDATE supplement_requests SET resumed_at = ?, due_at_after = ? WHERE id = ?",
                    (tx.now_iso, None if due is None else to_iso(due), waiting.id),
                )
            return _Step(
                updates={
                    "due_at": None if due is None else to_iso(due),
                    "original_due_at": None if original is None else to_iso(original),
                },
                note=text,
                payload={
                    "policy": self.settings.supplement_policy.value,
                    "due_at": None if due is None else to_iso(due),
                    "due_at_before": None
                    if dossier.row.due_at is None
                    else to_iso(dossier.row.due_at),
                },
                record_id=None if waiting is None else waiting.id,
            )

        dossier, _ = self._transition(
            code,
            DossierEvent.SUPPLEMENT_RECEIVED,
            actor=actor,
            request_id=request_id,
            request={"note": text},
            apply=apply,
        )
        return dossier

    def request_fee(
        self,
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

        return self._simple(
            code,
            DossierEvent.REQUEST_FEE,
            actor=actor,
            note=note,
            request_id=request_id,
            updates=updates,
            payload=payload,
        )

    def fee_paid(
        self, code: str, *, actor: str, note: str = "", request_id: str | None = None
    ) -> Dossier:
        return self._simple(
            code, DossierEvent.FEE_PAID, actor=actor, note=note, request_id=request_id
        )

    def extend(
        self,
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
        why = _text(reason, field_name="reason", label="lý do", max_len=NOTE_MAX, required=True)
        if isinstance(new_due_at, datetime):
            if new_due_at.tzinfo is None:
                raise ValueError("new_due_at must be tz-aware")
            new_due = new_due_at
        else:
            new_due = datetime.combine(new_due_at, self.settings.appointment_time, tzinfo=VN_TZ)

        def apply(tx: WriteTx, dossier: Dossier, target: DossierStatus) -> _Step:
            due = dossier.row.due_at
            if due is None:
                raise TransitionError("Hồ sơ chưa có ngày hẹn trả: không có gì để gia hạn.")
            check_extension(
                now=tx.now,
                due_at=due,
                new_due_at=new_due,
                extensions_so_far=dossier.row.extensions,
                working_calendar_is_working_day=self.calendar().is_working_day,
            )
            number = self._form_number(tx, "04")
            record_id = tx.insert(
                "extensions",
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
            return _Step(
                updates={"due_at": to_iso(new_due), "extensions": dossier.row.extensions + 1},
                note=why,
                payload={
                    "number": number,
                    "due_at_before": to_iso(due),
                    "due_at": to_iso(new_due),
                    "original_due_at": None
                    if dossier.row.original_due_at is None
                    else to_iso(dossier.row.original_due_at),
                },
                record_id=record_id,
            )

        dossier, _ = self._transition(
            code,
            DossierEvent.EXTEND,
            actor=actor,
            request_id=request_id,
            request={"new_due_at": new_due, "reason": why},
            apply=apply,
        )
        return dossier

    def withdraw(
        self, code: str, *, reason: str, actor: str, request_id: str | None = None
    ) -> Dossier:
        """The applicant withdraws the dossier (their written request)."""
        return self._simple(
            code,
            DossierEvent.WITHDRAW,
            actor=actor,
            note=reason,
            note_required="lý do rút hồ sơ",
            request_id=request_id,
        )

    def stop(self, code: str, *, reason: str, actor: str, request_id: str | None = None) -> Dossier:
        """Processing stops (stop notice, Thông tư 03/2025) with its reason."""
        return self._simple(
            code,
            DossierEvent.STOP,
            actor=actor,
            note=reason,
            note_required="lý do dừng xử lý",
            request_id=request_id,
        )

    def done(
        self,
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

        def payload(tx: WriteTx, dossier: Dossier) -> dict[str, Any]:
            row = dossier.row
            promise = row.original_due_at or row.due_at
            in_force = row.due_at
            return {
                # The statistics judge against the original promise (an extension is still late).
                "timeliness": None
                if promise is None
                else classify(tx.now, promise, supplement_requests=row.supplement_requests).value,
                "timeliness_in_force": None
                if in_force is None
                else classify(tx.now, in_force, supplement_requests=row.supplement_requests).value,
                "early_return_notice": in_force is not None
                and classify(tx.now, in_force) is Timeliness.EARLY,
                "supplement_requests": row.supplement_requests,
                "extensions": row.extensions,
            }

        return self._simple(
            code,
            DossierEvent.DONE,
            actor=actor,
            note=note,
            unit=unit,
            request_id=request_id,
            updates=updates,
            payload=payload,
        )

    def return_result(
        self,
        code: str,
        *,
        actor: str,
        channel: str = "counter",
        received_by: str = "",
        note: str = "",
        request_id: str | None = None,
    ) -> Dossier:
        """The result is handed over: at the counter (to whom), by post, or online."""
        how = _channel(channel, "channel")
        to_whom = _text(received_by, field_name="received_by", label="người nhận", max_len=NAME_MAX)

        def updates(tx: WriteTx, dossier: Dossier) -> dict[str, Any]:
            return {"returned_at": tx.now_iso, "returned_to": to_whom}

        def payload(tx: WriteTx, dossier: Dossier) -> dict[str, Any]:
            return {"return_channel": how}

        text = _text(note, field_name="note", label="ghi chú", max_len=NOTE_MAX)
        shown = "; ".join(p for p in (f"Người nhận: {to_whom}" if to_whom else "", text) if p)
        return self._simple(
            code,
            DossierEvent.RETURN,
            actor=actor,
            note=shown,
            request_id=request_id,
            updates=updates,
            payload=payload,
            channel=how,
        )

    # --- reading, with the audit the law asks for --------------------------------------------

    def get(self, code: str) -> Dossier:
        """A dossier by code, for the service's own use (not audited: not shown to anyone)."""
        wanted = canonical_code(code)
        found = records.load_dossier(self.store.conn, code=wanted)
        if found is None:
            raise DossierNotFound(wanted)
        return found

    def open_file(self, code: str, *, actor: str) -> DossierFile:
        """A dossier with its hand-overs, forms 02 and timeline, for staff (audited)."""
        dossier = self.get(code)
        with self.store.write(actor, "dossier.view", target=dossier.code):
            pass
        conn = self.store.conn
        return DossierFile(
            dossier=dossier,
            transfers=tuple(records.transfers_of(conn, dossier.row.id)),
            supplements=tuple(records.supplements_of(conn, dossier.row.id)),
            timeline=tuple(records.timeline_of(conn, dossier.row.id)),
        )

    def record_print(self, code: str, *, actor: str, form: str, copies: int = 1) -> Dossier:
        """Note in the audit that staff printed a form of this dossier."""
        dossier = self.get(code)
        what = _text(form, field_name="form", label="mẫu in", max_len=40, required=True)
        with self.store.write(
            actor, "dossier.print", target=dossier.code, details={"form": what, "copies": copies}
        ):
            pass
        return dossier

    def worklist(
        self, kind: Worklist | str, *, actor: str, days: int = 3, limit: int = 200
    ) -> list[Dossier]:
        """One of the staff's work lists (see `kiosk.dossiers.worklists`); audited."""
        which = Worklist(kind)
        found = list_worklist(
            self.store, self.calendar(), which, now=self.store.now(), days=days, limit=limit
        )
        with self.store.write(
            actor,
            "dossier.list",
            target=which.value,
            details={"count": len(found), "codes": [d.code for d in found[:50]]},
        ):
            pass
        return found

    def search(self, query: str, *, actor: str, limit: int = 20) -> list[Dossier]:
        """Diacritics-insensitive search (name, code, phone, ID, procedure); audited."""
        text = _text(query, field_name="q", label="nội dung tìm kiếm", max_len=200, required=True)
        ids = search_dossier_ids(self.store, text, limit)
        found: list[Dossier] = []
        for dossier_id in ids:
            dossier = records.load_dossier(self.store.conn, dossier_id=dossier_id)
            if dossier is not None:
                found.append(dossier)
        with self.store.write(
            actor,
            "dossier.search",
            details={"query": text, "count": len(found), "codes": [d.code for d in found]},
        ):
            pass
        return found

    # --- citizens ----------------------------------------------------------------------------

    def lookup(self, code: str, *, device: str) -> LookupResult:
        """The kiosk's lookup by dossier code: masked, rate-limited per device."""
        return lookup_dossier(
            self.store, self.limiter, code, device=device, office_name=self.settings.office_name
        )

    # --- ratings -----------------------------------------------------------------------------

    def rate(
        self,
        level: RatingLevel | str,
        *,
        actor: str,
        counter_number: int | None = None,
        staff: str | None = None,
        ticket_id: int | None = None,
        dossier_code: str | None = None,
        comment: str = "",
        request_id: str | None = None,
    ) -> RatingRecord:
        """A citizen's rating (3 levels) with an optional reason, tied to counter, staff, ticket
        and dossier. What is not given is taken from the counter: the staff logged in there, its
        current (or last finished) ticket, and that ticket's dossier. One rating per ticket.
        """
        request_id = self._request_id(request_id)
        chosen = RatingLevel(level)
        reason = _text(comment, field_name="comment", label="ý kiến", max_len=NOTE_MAX)
        wanted_code = None if not dossier_code else canonical_code(dossier_code)
        request = {
            "level": chosen.value,
            "counter": counter_number,
            "staff": staff,
            "ticket": ticket_id,
            "code": wanted_code,
            "comment": reason,
        }

        def write(tx: WriteTx) -> _Outcome:
            record_id = self._insert_rating(
                tx,
                chosen,
                counter_number=counter_number,
                staff=staff,
                ticket_id=ticket_id,
                code=wanted_code,
                comment=reason,
            )
            return _Outcome(dossier_id=None, record_id=record_id)

        with self.store.write(actor, "rating.give", details={"level": chosen.value}) as tx:
            done, replayed = self._exactly_once(tx, request_id, "rate", request, write)
        assert done.record_id is not None
        rating = records.load_rating(self.store.conn, done.record_id)
        return replace(rating, replayed=True) if replayed else rating

    def _insert_rating(
        self,
        tx: WriteTx,
        level: RatingLevel,
        *,
        counter_number: int | None,
        staff: str | None,
        ticket_id: int | None,
        code: str | None,
        comment: str,
    ) -> int:
        counter_id = None
        if counter_number is not None:
            found = tx.execute(
                "SELECT id FROM counters WHERE number = ?", (counter_number,)
            ).fetchone()
            if found is None:
                raise CounterNotFound(counter_number)
            counter_id = int(found[0])
            if staff is None:
                staff = _staff_at_counter(tx, counter_number)
            if ticket_id is None and code is None:
                ticket_id, code = _ticket_at_counter(tx, counter_number)
        dossier_id = None
        if code is not None:
            found = tx.execute("SELECT id, ticket_id FROM dossiers WHERE code = ?", (code,))
            row = found.fetchone()
            if row is None:
                raise DossierNotFound(code)
            dossier_id = int(row[0])
            if ticket_id is None and row[1] is not None:
                ticket_id = int(row[1])
        elif ticket_id is not None:
            row = tx.execute(
                "SELECT id FROM dossiers WHERE ticket_id = ? ORDER BY id DESC LIMIT 1",
                (ticket_id,),
            ).fetchone()
            dossier_id = None if row is None else int(row[0])
        if ticket_id is not None:
            self._check_ticket(tx, ticket_id)
            rated = tx.execute(
                "SELECT 1 FROM ratings WHERE ticket_id = ? LIMIT 1", (ticket_id,)
            ).fetchone()
            if rated is not None:
                raise RatingAlreadyGiven(ticket_id)
        record_id = tx.insert(
            "ratings",
            {
                "at": tx.now_iso,
                "level": level.value,
                "counter_id": counter_id,
                "staff": staff or "",
                "dossier_id": dossier_id,
                "ticket_id": ticket_id,
                "comment": comment,
            },
        )
        tx.target = code or (f"ticket:{ticket_id}" if ticket_id is not None else "")
        tx.emit(
            "rating.given",
            {
                "level": level.value,
                "at": tx.now_iso,
                "counter_number": counter_number,
                "staff": staff or "",
                "ticket_id": ticket_id,
                "dossier_code": code,
                # The reason may name people: only whether there was one leaves the office.
                "has_comment": bool(comment),
                "unit_code": self.settings.unit_code,
            },
        )
        return record_id


def _staff_at_counter(tx: WriteTx, counter_number: int) -> str | None:
    """The username of the staff member logged in on the counter's console now."""
    row = tx.execute(
        "SELECT s.username FROM staff_sessions AS ss JOIN staff AS s ON s.id = ss.staff_id "
        "JOIN devices AS d ON d.id = ss.device_id "
        "WHERE d.role = 'counter' AND d.counter_number = ? AND d.revoked_at IS NULL "
        "AND ss.ended_at IS NULL AND ss.expires_at > ? ORDER BY ss.created_at DESC LIMIT 1",
        (counter_number, tx.now_iso),
    ).fetchone()
    return None if row is None else str(row[0])


def _ticket_at_counter(tx: WriteTx, counter_number: int) -> tuple[int | None, str | None]:
    """The ticket being served at the counter, else the last one it finished today."""
    row = tx.execute(
        "SELECT id FROM tickets WHERE counter_number = ? AND status IN ('called', 'serving')",
        (counter_number,),
    ).fetchone()
    if row is not None:
        return int(row[0]), None
    row = tx.execute(
        "SELECT ticket_id, dossier_code FROM ticket_services "
        "WHERE counter_number = ? AND service_day = ? ORDER BY id DESC LIMIT 1",
        (counter_number, service_day(tx.now).isoformat()),
    ).fetchone()
    if row is None:
        return None, None
    return int(row[0]), row[1]


def _audit_safe(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if isinstance(v, str | int | bool | None)}
