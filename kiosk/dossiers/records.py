"""The service's rows as its values: dossiers with their workflow columns, forms 02/03/04/05,
ratings and the timeline.

Reads take a `sqlite3.Connection` so they work both on the store and inside an open write
transaction (`tx.conn`), where they see the transaction's own rows. The SQL is in the store
(`kiosk.store.dossier_repo`, `kiosk.store.dossier_forms_repo`); this module maps its rows, read
by column name, to the values of `kiosk.dossiers.models`.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from kiosk.domain.catalogue import Duration, DurationUnit
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
from kiosk.store import dossier_forms_repo as forms
from kiosk.store import dossier_repo
from kiosk.store.tx import to_iso


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def duration_of(value: int | None, unit: str | None) -> Duration | None:
    if value is None or unit is None:
        return None
    return Duration(value, DurationUnit(unit))


def dossier_from_row(
    conn: sqlite3.Connection, row: Mapping[str, Any], *, with_documents: bool = True
) -> Dossier:
    """A Dossier from a `dossier_repo.dossier_record` row (documents read when asked)."""
    stored = dossier_repo.row_from_db(row)
    duration = duration_of(row["duration_value"], row["duration_unit"])
    return Dossier(
        row=stored,
        documents=dossier_repo.documents_of(conn, stored.id) if with_documents else (),
        current_unit=row["current_unit"],
        counter_number=row["counter_number"],
        early_return_notice=bool(row["early_return_notice"]),
        returned_to=row["returned_to"],
        time_limit="" if duration is None else duration.label,
    )


def load_dossier(
    conn: sqlite3.Connection, *, code: str | None = None, dossier_id: int | None = None
) -> Dossier | None:
    found = dossier_repo.dossier_record(conn, code=code, dossier_id=dossier_id)
    return None if found is None else dossier_from_row(conn, found)


def dossiers_from_rows(
    conn: sqlite3.Connection, rows: Iterable[Mapping[str, Any]]
) -> list[Dossier]:
    """Dossiers of a list (the work lists), without their document lists."""
    return [dossier_from_row(conn, r, with_documents=False) for r in rows]


# --- form 02 ---------------------------------------------------------------------------------


def _supplement(row: Mapping[str, Any]) -> SupplementRecord:
    items = tuple(MissingDocument(i["name"], i.get("detail", "")) for i in json.loads(row["items"]))
    return SupplementRecord(
        id=row["id"],
        number=row["number"],
        stage=row["stage"],
        requested_at=datetime.fromisoformat(row["requested_at"]),
        actor=row["actor"],
        procedure_code=row["procedure_code"],
        procedure_name=row["procedure_name"],
        applicant_name=row["applicant_name"],
        items=items,
        reason=row["reason"],
        dossier_code=row["dossier_code"],
        ticket_id=row["ticket_id"],
        counter_number=row["counter_number"],
        ordinal=row["ordinal"],
        within_limit=bool(row["within_limit"]),
        resumed_at=_time(row["resumed_at"]),
        due_at_before=_time(row["due_at_before"]),
        due_at_after=_time(row["due_at_after"]),
    )


def load_supplement(conn: sqlite3.Connection, record_id: int) -> SupplementRecord:
    found = forms.supplement_by_id(conn, record_id)
    assert found is not None
    return _supplement(found)


def supplements_of(conn: sqlite3.Connection, dossier_id: int) -> list[SupplementRecord]:
    return [_supplement(r) for r in forms.supplements_of(conn, dossier_id)]


def open_supplement(conn: sqlite3.Connection, dossier_id: int) -> SupplementRecord | None:
    """The review supplement request still waiting for the applicant, if any."""
    found = forms.open_supplement(conn, dossier_id)
    return None if found is None else _supplement(found)


# --- form 03, ratings ------------------------------------------------------------------------


def load_refusal(conn: sqlite3.Connection, record_id: int) -> RefusalRecord:
    r = forms.refusal_by_id(conn, record_id)
    assert r is not None
    return RefusalRecord(
        id=r["id"],
        number=r["number"],
        at=datetime.fromisoformat(r["at"]),
        actor=r["actor"],
        procedure_code=r["procedure_code"],
        procedure_name=r["procedure_name"],
        applicant_name=r["applicant_name"],
        reason=r["reason"],
        ticket_id=r["ticket_id"],
        counter_number=r["counter_number"],
    )


def load_rating(conn: sqlite3.Connection, record_id: int) -> RatingRecord:
    r = forms.rating_by_id(conn, record_id)
    assert r is not None
    return RatingRecord(
        id=r["id"],
        at=datetime.fromisoformat(r["at"]),
        level=RatingLevel(r["level"]),
        counter_number=r["counter_number"],
        staff=r["staff"],
        ticket_id=r["ticket_id"],
        dossier_code=r["dossier_code"],
        comment=r["comment"],
    )


# --- form 05 and the timeline ------------------------------------------------------------------


def transfers_of(conn: sqlite3.Connection, dossier_id: int) -> list[Transfer]:
    return [
        Transfer(
            id=r["id"],
            at=datetime.fromisoformat(r["at"]),
            from_unit=r["from_unit"],
            to_unit=r["to_unit"],
            giver=r["giver"],
            receiver=r["receiver"],
            timeliness=None if r["timeliness"] is None else Timeliness(r["timeliness"]),
            note=r["note"],
        )
        for r in forms.transfers_of(conn, dossier_id)
    ]


def _event_title(action: str) -> str:
    try:
        return DossierEvent(action).label
    except ValueError:
        return action


def _event_entry(event: Mapping[str, Any]) -> TimelineEntry:
    status_from = event["status_from"]
    return TimelineEntry(
        at=datetime.fromisoformat(event["at"]),
        kind="event",
        title=_event_title(event["action"]),
        actor=event["actor"],
        unit=event["unit"],
        channel=event["channel"],
        note=event["note"],
        status_from=None if status_from is None else DossierStatus(status_from),
        status_to=DossierStatus(event["status_to"]),
        details={"action": event["action"]},
    )


def _extension_entry(extension: Mapping[str, Any]) -> TimelineEntry:
    return TimelineEntry(
        at=datetime.fromisoformat(extension["at"]),
        kind="extension",
        title=f"Phiếu xin lỗi và hẹn lại ngày trả số {extension['number']}",
        actor=extension["actor"],
        note=extension["reason"],
        details={
            "number": extension["number"],
            "due_at_before": extension["due_at_before"],
            "new_due_at": extension["new_due_at"],
        },
    )


def timeline_of(conn: sqlite3.Connection, dossier_id: int) -> list[TimelineEntry]:
    """Every event, hand-over, form 02 and form 04 of a dossier, oldest first.

    A hand-over, a form 02 or a form 04 is written in the same transaction (so at the same
    second) as its event: it is placed right after that event, not merely by its time.
    """
    keyed: list[tuple[tuple[str, int, int], TimelineEntry]] = []
    # (action, at) -> ids of the events not yet paired with their record, oldest first
    unpaired: dict[tuple[str, str], deque[int]] = defaultdict(deque)
    for event in dossier_repo.event_rows(conn, dossier_id):
        unpaired[(event["action"], event["at"])].append(event["id"])
        keyed.append(((event["at"], event["id"], 0), _event_entry(event)))

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
    for extension in forms.extensions_of(conn, dossier_id):
        keyed.append((key(DossierEvent.EXTEND, extension["at"]), _extension_entry(extension)))
    keyed.sort(key=lambda pair: pair[0])
    return [entry for _, entry in keyed]
