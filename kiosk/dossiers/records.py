"""Reading the service's rows: dossiers with their extra columns, forms 02/04/05, the timeline.

Reads take a `sqlite3.Connection` so they work both on the store and inside an open write
transaction (`tx.conn`), where they see the transaction's own rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict, deque
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Final

from kiosk.domain.catalogue import CopyKind, Duration, DurationUnit
from kiosk.domain.lifecycle import DossierEvent, DossierStatus, Timeliness
from kiosk.dossiers.models import (
    Dossier,
    MissingDocument,
    RatingLevel,
    RatingRecord,
    RefusalRecord,
    SupplementRecord,
    TimelineEntry,
    Transfer,
)
from kiosk.store.dossier_repo import DOSSIER_FIELDS, DossierDocument, row_from_db
from kiosk.store.tx import to_iso

EXTRA_FIELDS: Final = (
    "duration_value",
    "duration_unit",
    "same_day_cutoff",
    "current_unit",
    "counter_number",
    "early_return_notice",
    "returned_to",
)
SELECT_DOSSIER: Final = f"SELECT {', '.join(DOSSIER_FIELDS + EXTRA_FIELDS)} FROM dossiers"


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def duration_of(value: int | None, unit: str | None) -> Duration | None:
    if value is None or unit is None:
        return None
    return Duration(value, DurationUnit(unit))


def documents_of(conn: sqlite3.Connection, dossier_id: int) -> tuple[DossierDocument, ...]:
    rows = conn.execute(
        "SELECT name, copy_kind, count FROM dossier_documents WHERE dossier_id = ? "
        "ORDER BY position",
        (dossier_id,),
    ).fetchall()
    return tuple(DossierDocument(n, CopyKind(k), c) for n, k, c in rows)


def dossier_from_db(
    conn: sqlite3.Connection, values: tuple[Any, ...], *, with_documents: bool = True
) -> Dossier:
    base = len(DOSSIER_FIELDS)
    row = row_from_db(values[:base])
    extra = dict(zip(EXTRA_FIELDS, values[base:], strict=True))
    duration = duration_of(extra["duration_value"], extra["duration_unit"])
    return Dossier(
        row=row,
        documents=documents_of(conn, row.id) if with_documents else (),
        current_unit=extra["current_unit"],
        counter_number=extra["counter_number"],
        early_return_notice=bool(extra["early_return_notice"]),
        returned_to=extra["returned_to"],
        time_limit="" if duration is None else duration.label,
    )


def load_dossier(
    conn: sqlite3.Connection, *, code: str | None = None, dossier_id: int | None = None
) -> Dossier | None:
    if code is not None:
        found = conn.execute(f"{SELECT_DOSSIER} WHERE code = ?", (code,)).fetchone()
    else:
        found = conn.execute(f"{SELECT_DOSSIER} WHERE id = ?", (dossier_id,)).fetchone()
    return None if found is None else dossier_from_db(conn, found)


def load_dossiers(
    conn: sqlite3.Connection, where: str, params: Iterable[Any] = ()
) -> list[Dossier]:
    """Dossiers selected by a WHERE/ORDER/LIMIT tail, without their document lists."""
    rows = conn.execute(f"{SELECT_DOSSIER} {where}", tuple(params)).fetchall()
    return [dossier_from_db(conn, r, with_documents=False) for r in rows]


def dossier_duration(conn: sqlite3.Connection, dossier_id: int) -> tuple[Duration | None, str]:
    """The time limit promised at reception and its same-day cut-off ('' when none)."""
    value, unit, cutoff = conn.execute(
        "SELECT duration_value, duration_unit, same_day_cutoff FROM dossiers WHERE id = ?",
        (dossier_id,),
    ).fetchone()
    return duration_of(value, unit), cutoff or ""


# --- form 02 ---------------------------------------------------------------------------------

_SUPPLEMENT_COLUMNS: Final = (
    "s.id, s.number, s.stage, s.requested_at, s.actor, s.procedure_code, s.procedure_name, "
    "s.applicant_name, s.items, s.reason, d.code, s.ticket_id, s.counter_number, s.ordinal, "
    "s.within_limit, s.resumed_at, s.due_at_before, s.due_at_after"
)


def _supplement(values: tuple[Any, ...]) -> SupplementRecord:
    items = tuple(MissingDocument(i["name"], i.get("detail", "")) for i in json.loads(values[8]))
    return SupplementRecord(
        id=values[0],
        number=values[1],
        stage=values[2],
        requested_at=datetime.fromisoformat(values[3]),
        actor=values[4],
        procedure_code=values[5],
        procedure_name=values[6],
        applicant_name=values[7],
        items=items,
        reason=values[9],
        dossier_code=values[10],
        ticket_id=values[11],
        counter_number=values[12],
        ordinal=values[13],
        within_limit=bool(values[14]),
        resumed_at=_time(values[15]),
        due_at_before=_time(values[16]),
        due_at_after=_time(values[17]),
    )


def load_supplement(conn: sqlite3.Connection, record_id: int) -> SupplementRecord:
    values = conn.execute(
        f"SELECT {_SUPPLEMENT_COLUMNS} FROM supplement_requests AS s "
        "LEFT JOIN dossiers AS d ON d.id = s.dossier_id WHERE s.id = ?",
        (record_id,),
    ).fetchone()
    return _supplement(values)


def supplements_of(conn: sqlite3.Connection, dossier_id: int) -> list[SupplementRecord]:
    rows = conn.execute(
        f"SELECT {_SUPPLEMENT_COLUMNS} FROM supplement_requests AS s "
        "LEFT JOIN dossiers AS d ON d.id = s.dossier_id WHERE s.dossier_id = ? ORDER BY s.id",
        (dossier_id,),
    ).fetchall()
    return [_supplement(r) for r in rows]


def open_supplement(conn: sqlite3.Connection, dossier_id: int) -> SupplementRecord | None:
    """The review supplement request still waiting for the applicant, if any."""
    values = conn.execute(
        f"SELECT {_SUPPLEMENT_COLUMNS} FROM supplement_requests AS s "
        "LEFT JOIN dossiers AS d ON d.id = s.dossier_id "
        "WHERE s.dossier_id = ? AND s.resumed_at IS NULL ORDER BY s.id DESC LIMIT 1",
        (dossier_id,),
    ).fetchone()
    return None if values is None else _supplement(values)


# --- form 03, ratings ------------------------------------------------------------------------


def load_refusal(conn: sqlite3.Connection, record_id: int) -> RefusalRecord:
    r = conn.execute(
        "SELECT id, number, at, actor, procedure_code, procedure_name, applicant_name, reason, "
        "ticket_id, counter_number FROM refusals WHERE id = ?",
        (record_id,),
    ).fetchone()
    return RefusalRecord(
        id=r[0],
        number=r[1],
        at=datetime.fromisoformat(r[2]),
        actor=r[3],
        procedure_code=r[4],
        procedure_name=r[5],
        applicant_name=r[6],
        reason=r[7],
        ticket_id=r[8],
        counter_number=r[9],
    )


def load_rating(conn: sqlite3.Connection, record_id: int) -> RatingRecord:
    r = conn.execute(
        "SELECT r.id, r.at, r.level, c.number, r.staff, r.ticket_id, d.code, r.comment "
        "FROM ratings AS r LEFT JOIN counters AS c ON c.id = r.counter_id "
        "LEFT JOIN dossiers AS d ON d.id = r.dossier_id WHERE r.id = ?",
        (record_id,),
    ).fetchone()
    return RatingRecord(
        id=r[0],
        at=datetime.fromisoformat(r[1]),
        level=RatingLevel(r[2]),
        counter_number=r[3],
        staff=r[4],
        ticket_id=r[5],
        dossier_code=r[6],
        comment=r[7],
    )


# --- form 05 and the timeline ------------------------------------------------------------------


def transfers_of(conn: sqlite3.Connection, dossier_id: int) -> list[Transfer]:
    rows = conn.execute(
        "SELECT id, at, from_unit, to_unit, giver, receiver, timeliness, note FROM transfers "
        "WHERE dossier_id = ? ORDER BY at, id",
        (dossier_id,),
    ).fetchall()
    return [
        Transfer(
            id=r[0],
            at=datetime.fromisoformat(r[1]),
            from_unit=r[2],
            to_unit=r[3],
            giver=r[4],
            receiver=r[5],
            timeliness=None if r[6] is None else Timeliness(r[6]),
            note=r[7],
        )
        for r in rows
    ]


def _event_title(action: str) -> str:
    try:
        return DossierEvent(action).label
    except ValueError:
        return action


def timeline_of(conn: sqlite3.Connection, dossier_id: int) -> list[TimelineEntry]:
    """Every event, hand-over, form 02 and form 04 of a dossier, oldest first.

    A hand-over, a form 02 or a form 04 is written in the same transaction (so at the same
    second) as its event: it is placed right after that event, not merely by its time.
    """
    keyed: list[tuple[tuple[str, int, int], TimelineEntry]] = []
    # (action, at) -> ids of the events not yet paired with their record, oldest first
    unpaired: dict[tuple[str, str], deque[int]] = defaultdict(deque)
    for event_id, at, status_from, status_to, action, actor, unit, channel, note in conn.execute(
        "SELECT id, at, status_from, status_to, action, actor, unit, channel, note "
        "FROM dossier_events WHERE dossier_id = ? ORDER BY at, id",
        (dossier_id,),
    ):
        unpaired[(action, at)].append(event_id)
        entry = TimelineEntry(
            at=datetime.fromisoformat(at),
            kind="event",
            title=_event_title(action),
            actor=actor,
            unit=unit,
            channel=channel,
            note=note,
            status_from=None if status_from is None else DossierStatus(status_from),
            status_to=DossierStatus(status_to),
            details={"action": action},
        )
        keyed.append(((at, event_id, 0), entry))

    def key(action: DossierEvent, at: str) -> tuple[str, int, int]:
        waiting = unpaired.get((action.value, at))
        return (at, waiting.popleft(), 1) if waiting else (at, 2**62, 1)

    for transfer in transfers_of(conn, dossier_id):
        entry = TimelineEntry(
            at=transfer.at,
            kind="transfer",
            title=f"Bàn giao: {transfer.from_unit} → {transfer.to_unit}",
            actor=transfer.giver,
            unit=transfer.from_unit,
            note=transfer.note,
            details=transfer.as_json(),
        )
        keyed.append((key(DossierEvent.TRANSFER, to_iso(transfer.at)), entry))
    for supplement in supplements_of(conn, dossier_id):
        entry = TimelineEntry(
            at=supplement.requested_at,
            kind="supplement",
            title=f"Phiếu yêu cầu bổ sung số {supplement.number} (lần {supplement.ordinal})",
            actor=supplement.actor,
            note=supplement.reason,
            details=supplement.as_json(),
        )
        keyed.append((key(DossierEvent.REQUEST_SUPPLEMENT, to_iso(supplement.requested_at)), entry))
    for number, at, actor, reason, before, after in conn.execute(
        "SELECT number, at, actor, reason, due_at_before, new_due_at FROM extensions "
        "WHERE dossier_id = ? ORDER BY id",
        (dossier_id,),
    ):
        entry = TimelineEntry(
            at=datetime.fromisoformat(at),
            kind="extension",
            title=f"Phiếu xin lỗi và hẹn lại ngày trả số {number}",
            actor=actor,
            note=reason,
            details={"number": number, "due_at_before": before, "new_due_at": after},
        )
        keyed.append((key(DossierEvent.EXTEND, at), entry))
    keyed.sort(key=lambda pair: pair[0])
    return [entry for _, entry in keyed]
