"""Dossiers in the store: reception (code + register number + event + outbox), reads, updates.

The counter workflow (supplement, transfer, extend, done, return...) belongs to the dossier
service; this module only knows rows, and holds every SQL statement on `dossiers`,
`dossier_documents` and `dossier_events` (the forms of the steps are in `dossier_forms_repo`).
Rows are read by column name (`kiosk.store.rows`), never by position. Values are stored as given
after NFC clean-up: validate ID numbers, phones and e-mails with `kiosk.domain.validation` before
calling.

Search keys are computed here, never in SQL: `applicant_name_folded` and `procedure_name_folded`
(`text.fold`, which also folds đ/Đ), and `digits_reversed` (phone and ID read backwards, so the
index can find their last digits by prefix). Any later code that changes the applicant or the
procedure of a dossier must refresh them with `search_keys`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from typing import Any, Final, Literal

from kiosk.clock import VN_TZ
from kiosk.domain.catalogue import CopyKind, Duration, DurationUnit
from kiosk.domain.codes import format_register_number, validate_unit_code
from kiosk.domain.errors import ValidationError
from kiosk.domain.lifecycle import DossierEvent, DossierStatus
from kiosk.domain.text import clean, fold
from kiosk.store.db import Store
from kiosk.store.rows import Row, all_rows, first_row
from kiosk.store.sequences import next_dossier_code, next_register_no
from kiosk.store.tx import WriteTx, quote_identifier, to_iso

CHANNELS: Final = frozenset({"counter", "postal", "online"})
RECEIVED_EVENT: Final = "dossier.received"


@dataclass(frozen=True, slots=True)
class DossierDocument:
    """One line of the documents handed in (form 01)."""

    name: str
    copy_kind: CopyKind = CopyKind.ORIGINAL
    count: int = 1


@dataclass(frozen=True, slots=True)
class NewDossier:
    """What the counter knows when it receives a complete dossier (before a code exists)."""

    unit_code: str
    received_at: datetime
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id_number: str = ""
    applicant_id_legacy: bool = False
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    due_at: datetime | None = None
    sets: int = 1
    channel: str = "counter"
    return_channel: str = "counter"
    fee: int = 0
    ticket_id: int | None = None
    note: str = ""
    documents: tuple[DossierDocument, ...] = field(default_factory=tuple)
    #: The time limit promised at reception (None: a due date set by hand, or none).
    duration: Duration | None = None
    #: The procedure's same-day cut-off that the due date was counted with, if its own.
    same_day_cutoff: time | None = None
    #: The unit holding the dossier (the reception unit, for a dossier received at the counter).
    current_unit: str = ""
    counter_number: int | None = None


@dataclass(frozen=True, slots=True)
class DossierRow:
    """A stored dossier."""

    id: int
    code: str
    unit_code: str
    received_at: datetime
    due_at: datetime | None
    original_due_at: datetime | None
    status: DossierStatus
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id_number: str
    applicant_id_legacy: bool
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    sets: int
    channel: str
    return_channel: str
    fee: int
    ticket_id: int | None
    register_year: int
    register_no: int
    created_by: str
    extensions: int
    supplement_requests: int
    result_at: datetime | None
    returned_at: datetime | None
    note: str
    updated_at: datetime

    @property
    def register_number(self) -> str:
        """The register line as printed: '01/2026'."""
        return format_register_number(self.register_year, self.register_no)

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict (times as ISO strings), e.g. for `--json` output."""
        out: dict[str, Any] = {}
        for name in DOSSIER_FIELDS:
            value = getattr(self, name)
            out[name] = to_iso(value) if isinstance(value, datetime) else value
        out["status"] = self.status.value
        out["register_number"] = self.register_number
        return out


@dataclass(frozen=True, slots=True)
class DossierEventRow:
    id: int
    at: datetime
    status_from: DossierStatus | None
    status_to: DossierStatus
    action: str
    actor: str
    unit: str
    channel: str
    note: str


def reversed_digits(*numbers: str) -> str:
    """'0912345678' → '8765432190': lets a prefix query find a number by its last digits."""
    return " ".join(n[::-1] for n in numbers if n)


def search_keys(
    *, applicant_name: str, procedure_name: str, applicant_phone: str, applicant_id_number: str
) -> dict[str, str]:
    """The search columns of a dossier, computed from its stored values."""
    return {
        "applicant_name_folded": fold(applicant_name),
        "procedure_name_folded": fold(procedure_name),
        "digits_reversed": reversed_digits(applicant_phone, applicant_id_number),
    }


def service_day(moment: datetime) -> date:
    """The calendar day in Vietnam of a tz-aware time (the day in a dossier code)."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: pass tz-aware times")
    return moment.astimezone(VN_TZ).date()


def dossier_columns(
    new: NewDossier, *, code: str, register_no: int, created_by: str, now_iso: str
) -> dict[str, Any]:
    """The `dossiers` row of a new dossier (shared by `insert_dossier` and bulk loaders)."""
    if new.channel not in CHANNELS or new.return_channel not in CHANNELS:
        raise ValueError(f"unknown channel {new.channel!r}/{new.return_channel!r}")
    name = clean(new.applicant_name)
    procedure_name = clean(new.procedure_name)
    phone = clean(new.applicant_phone)
    id_number = clean(new.applicant_id_number)
    due = None if new.due_at is None else to_iso(new.due_at)
    return {
        "code": code,
        "unit_code": validate_unit_code(new.unit_code),
        "received_at": to_iso(new.received_at),
        "due_at": due,
        "original_due_at": due,
        "status": DossierStatus.RECEIVED.value,
        "procedure_code": clean(new.procedure_code),
        "procedure_name": procedure_name,
        "applicant_name": name,
        "applicant_id_number": id_number,
        "applicant_id_legacy": int(new.applicant_id_legacy),
        "applicant_phone": phone,
        "applicant_email": clean(new.applicant_email),
        "applicant_address": clean(new.applicant_address),
        "sets": new.sets,
        "channel": new.channel,
        "return_channel": new.return_channel,
        "fee": new.fee,
        "ticket_id": new.ticket_id,
        "register_year": service_day(new.received_at).year,
        "register_no": register_no,
        "created_by": created_by,
        "note": clean(new.note),
        "updated_at": now_iso,
        "duration_value": None if new.duration is None else new.duration.value,
        "duration_unit": None if new.duration is None else new.duration.unit.value,
        "same_day_cutoff": None
        if new.same_day_cutoff is None
        else new.same_day_cutoff.strftime("%H:%M"),
        "current_unit": new.current_unit,
        "counter_number": new.counter_number,
        **search_keys(
            applicant_name=name,
            procedure_name=procedure_name,
            applicant_phone=phone,
            applicant_id_number=id_number,
        ),
    }


def received_event_payload(columns: Mapping[str, Any]) -> dict[str, Any]:
    """The outbox payload of a reception: what statistics need, and no personal data."""
    keys = (
        "code",
        "unit_code",
        "procedure_code",
        "received_at",
        "due_at",
        "channel",
        "return_channel",
        "sets",
        "fee",
        "register_year",
        "register_no",
        "created_by",
    )
    return {"status": DossierStatus.RECEIVED.value, **{k: columns[k] for k in keys}}


def insert_dossier(tx: WriteTx, new: NewDossier) -> DossierRow:
    """Receive a dossier: take its code and register line, write it, its documents, its first
    event and a `dossier.received` outbox event, all in the caller's transaction.

    The dossier row is written once, with its final values: one INSERT, no UPDATE after it."""
    day = service_day(new.received_at)
    code = next_dossier_code(tx, new.unit_code, day)
    register_no = next_register_no(tx, day.year)
    columns = dossier_columns(
        new, code=code, register_no=register_no, created_by=tx.actor, now_iso=tx.now_iso
    )
    dossier_id = tx.insert("dossiers", columns)
    for position, document in enumerate(new.documents):
        tx.insert(
            "dossier_documents",
            {
                "dossier_id": dossier_id,
                "position": position,
                "name": clean(document.name),
                "copy_kind": CopyKind(document.copy_kind).value,
                "count": document.count,
            },
        )
    tx.insert(
        "dossier_events",
        {
            "dossier_id": dossier_id,
            "at": columns["received_at"],
            "status_from": None,
            "status_to": DossierStatus.RECEIVED.value,
            "action": DossierEvent.RECEIVE.value,
            "actor": tx.actor,
            "unit": columns["unit_code"],
            "channel": new.channel,
            "note": "",
        },
    )
    tx.emit(RECEIVED_EVENT, received_event_payload(columns))
    if not tx.target:
        tx.target = code
    row = _fetch(tx.conn, "WHERE id = ?", (dossier_id,))
    assert row is not None
    return row


DOSSIER_FIELDS: Final = tuple(f.name for f in fields(DossierRow))
#: The workflow's columns beside `DOSSIER_FIELDS` (schema 4), read with them by `dossier_record`.
WORKFLOW_FIELDS: Final = (
    "duration_value",
    "duration_unit",
    "same_day_cutoff",
    "current_unit",
    "counter_number",
    "early_return_notice",
    "returned_to",
)
_COLUMNS: Final = ", ".join(DOSSIER_FIELDS)
_RECORD_COLUMNS: Final = ", ".join(DOSSIER_FIELDS + WORKFLOW_FIELDS)


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def row_from_db(values: Mapping[str, Any]) -> DossierRow:
    """A DossierRow from a row read by column name (other columns in it are ignored)."""
    data = {name: values[name] for name in DOSSIER_FIELDS}
    for name in ("received_at", "updated_at"):
        data[name] = datetime.fromisoformat(data[name])
    for name in ("due_at", "original_due_at", "result_at", "returned_at"):
        data[name] = _time(data[name])
    data["status"] = DossierStatus(data["status"])
    data["applicant_id_legacy"] = bool(data["applicant_id_legacy"])
    return DossierRow(**data)


def _fetch(conn: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> DossierRow | None:
    row = first_row(conn.execute(f"SELECT {_COLUMNS} FROM dossiers {where}", params))
    return None if row is None else row_from_db(row)


def get_dossier(store: Store, code: str) -> DossierRow | None:
    """A dossier by its code (case and surrounding spaces ignored), or None."""
    return _fetch(store.conn, "WHERE code = ?", (code.strip().upper(),))


def get_dossier_by_id(store: Store, dossier_id: int) -> DossierRow | None:
    return _fetch(store.conn, "WHERE id = ?", (dossier_id,))


def fetch_dossiers(store: Store, ids: Iterable[int]) -> list[DossierRow]:
    """Dossiers by id, in the order of `ids` (missing ids skipped)."""
    wanted = list(ids)
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    rows = all_rows(
        store.conn.execute(f"SELECT {_COLUMNS} FROM dossiers WHERE id IN ({marks})", wanted)
    )
    by_id = {r["id"]: row_from_db(r) for r in rows}
    return [by_id[i] for i in wanted if i in by_id]


def _status(value: DossierStatus | str) -> str:
    try:
        return DossierStatus(value).value
    except ValueError:
        known = ", ".join(s.value for s in DossierStatus)
        raise ValidationError(
            f"Trạng thái hồ sơ '{value}' không có. Các trạng thái: {known}.",
            field="status",
            value=str(value),
        ) from None


def list_dossiers(
    store: Store, *, status: DossierStatus | str | None = None, limit: int = 50, offset: int = 0
) -> list[DossierRow]:
    """Dossiers newest first, optionally of one status."""
    where = ""
    params: tuple[str, ...] = ()
    if status is not None:
        where, params = "WHERE status = ?", (_status(status),)
    rows = all_rows(
        store.conn.execute(
            f"SELECT {_COLUMNS} FROM dossiers {where} ORDER BY received_at DESC, id DESC "
            "LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
    )
    return [row_from_db(r) for r in rows]


def count_dossiers(store: Store, *, status: DossierStatus | str | None = None) -> int:
    if status is None:
        return int(store.conn.execute("SELECT count(*) FROM dossiers").fetchone()[0])
    return int(
        store.conn.execute(
            "SELECT count(*) FROM dossiers WHERE status = ?", (_status(status),)
        ).fetchone()[0]
    )


def documents_of(conn: sqlite3.Connection, dossier_id: int) -> tuple[DossierDocument, ...]:
    """The documents handed in with a dossier, in their form 01 order."""
    rows = all_rows(
        conn.execute(
            "SELECT name, copy_kind, count FROM dossier_documents WHERE dossier_id = ? "
            "ORDER BY position",
            (dossier_id,),
        )
    )
    return tuple(DossierDocument(r["name"], CopyKind(r["copy_kind"]), r["count"]) for r in rows)


def get_documents(store: Store, dossier_id: int) -> list[DossierDocument]:
    return list(documents_of(store.conn, dossier_id))


def event_rows(conn: sqlite3.Connection, dossier_id: int) -> list[Row]:
    """The `dossier_events` rows of a dossier as stored, oldest first."""
    return all_rows(
        conn.execute(
            "SELECT id, at, status_from, status_to, action, actor, unit, channel, note "
            "FROM dossier_events WHERE dossier_id = ? ORDER BY at, id",
            (dossier_id,),
        )
    )


def get_events(store: Store, dossier_id: int) -> list[DossierEventRow]:
    return [
        DossierEventRow(
            id=r["id"],
            at=datetime.fromisoformat(r["at"]),
            status_from=None if r["status_from"] is None else DossierStatus(r["status_from"]),
            status_to=DossierStatus(r["status_to"]),
            action=r["action"],
            actor=r["actor"],
            unit=r["unit"],
            channel=r["channel"],
            note=r["note"],
        )
        for r in event_rows(store.conn, dossier_id)
    ]


def last_entered(conn: sqlite3.Connection, dossier_id: int, status: DossierStatus) -> str | None:
    """When (ISO text) the dossier last entered `status` by an event, or None."""
    row = first_row(
        conn.execute(
            "SELECT max(at) AS at FROM dossier_events WHERE dossier_id = ? AND status_to = ?",
            (dossier_id, status.value),
        )
    )
    return None if row is None else row["at"]


def add_event(tx: WriteTx, row: Mapping[str, Any]) -> int:
    """One `dossier_events` row (a step of the workflow) in the caller's transaction."""
    return tx.insert("dossier_events", row)


# --- the workflow's view: a dossier with its WORKFLOW_FIELDS ---------------------------------


def dossier_record(
    conn: sqlite3.Connection, *, code: str | None = None, dossier_id: int | None = None
) -> Row | None:
    """A dossier's row with its workflow columns, by code or by id, or None."""
    where, param = ("code = ?", code) if code is not None else ("id = ?", dossier_id)
    return first_row(
        conn.execute(f"SELECT {_RECORD_COLUMNS} FROM dossiers WHERE {where}", (param,))
    )


def _records(conn: sqlite3.Connection, tail: str, params: tuple[Any, ...]) -> list[Row]:
    return all_rows(conn.execute(f"SELECT {_RECORD_COLUMNS} FROM dossiers {tail}", params))


def records_due_between(
    conn: sqlite3.Connection,
    statuses: Iterable[DossierStatus],
    *,
    start: str | None,
    end: str,
    limit: int,
) -> list[Row]:
    """Dossiers in one of `statuses` due before `end` and, unless `start` is None, at or after
    `start` (ISO text: every time in the store has Vietnam's offset, so text order is time
    order), soonest first."""
    values = tuple(sorted(s.value for s in statuses))
    marks = ", ".join("?" for _ in values)
    since, params = ("", ()) if start is None else ("AND due_at >= ? ", (start,))
    return _records(
        conn,
        f"WHERE status IN ({marks}) {since}AND due_at < ? ORDER BY due_at, id LIMIT ?",
        (*values, *params, end, limit),
    )


def records_in_status(
    conn: sqlite3.Connection,
    status: DossierStatus,
    *,
    oldest_by: Literal["updated_at", "result_at"],
    limit: int,
) -> list[Row]:
    """Dossiers in one status, the oldest by `oldest_by` first."""
    return _records(
        conn, f"WHERE status = ? ORDER BY {oldest_by}, id LIMIT ?", (status.value, limit)
    )


def promised_duration(conn: sqlite3.Connection, dossier_id: int) -> tuple[Duration | None, str]:
    """The time limit promised at reception and its same-day cut-off ('' when none)."""
    row = first_row(
        conn.execute(
            "SELECT duration_value, duration_unit, same_day_cutoff FROM dossiers WHERE id = ?",
            (dossier_id,),
        )
    )
    assert row is not None
    value, unit = row["duration_value"], row["duration_unit"]
    duration = None if value is None or unit is None else Duration(value, DurationUnit(unit))
    return duration, row["same_day_cutoff"] or ""


def dossier_code(conn: sqlite3.Connection, dossier_id: int) -> str:
    row = first_row(conn.execute("SELECT code FROM dossiers WHERE id = ?", (dossier_id,)))
    assert row is not None
    return str(row["code"])


def dossier_ticket(conn: sqlite3.Connection, code: str) -> Row | None:
    """The id and the ticket id of the dossier with this code, or None."""
    return first_row(conn.execute("SELECT id, ticket_id FROM dossiers WHERE code = ?", (code,)))


def last_dossier_of_ticket(conn: sqlite3.Connection, ticket_id: int) -> int | None:
    """The id of the newest dossier received on a ticket, or None."""
    row = first_row(
        conn.execute(
            "SELECT id FROM dossiers WHERE ticket_id = ? ORDER BY id DESC LIMIT 1", (ticket_id,)
        )
    )
    return None if row is None else int(row["id"])


def unit_has_dossiers(conn: sqlite3.Connection, unit_code: str) -> bool:
    """Whether any dossier here carries this unit code (is the code one of this office's?)."""
    found = conn.execute("SELECT 1 FROM dossiers WHERE unit_code = ? LIMIT 1", (unit_code,))
    return found.fetchone() is not None


def update_dossier(tx: WriteTx, dossier_id: int, columns: Mapping[str, Any]) -> None:
    """Set these columns of one dossier (a step after reception), in the caller's transaction."""
    assignments = ", ".join(f"{quote_identifier(name)} = ?" for name in columns)
    tx.execute(f"UPDATE dossiers SET {assignments} WHERE id = ?", (*columns.values(), dossier_id))
