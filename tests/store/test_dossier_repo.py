"""Receiving a dossier: code, register line, documents, first event and outbox event at once."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from datetime import datetime

import pytest

from kiosk.clock import VN_TZ
from kiosk.domain.catalogue import CopyKind
from kiosk.domain.errors import ValidationError
from kiosk.domain.lifecycle import DossierStatus
from kiosk.store import Store
from kiosk.store.dossier_repo import (
    DossierDocument,
    DossierRow,
    NewDossier,
    count_dossiers,
    get_documents,
    get_dossier,
    get_events,
    insert_dossier,
    list_dossiers,
)

Receive = Callable[..., DossierRow]


def test_received_dossier_gets_code_register_line_and_stored_values(receive: Receive) -> None:
    row = receive(
        applicant_name="  Nguyễn   Văn Đức ",
        due_at=datetime(2026, 3, 19, 16, 0, tzinfo=VN_TZ),
        fee=10_000,
        sets=2,
    )
    assert row.code == "000.00.21.H12-260316-0001"
    assert (row.register_year, row.register_no, row.register_number) == (2026, 1, "01/2026")
    assert row.status is DossierStatus.RECEIVED
    assert row.applicant_name == "Nguyễn Văn Đức"  # cleaned at the boundary
    assert row.due_at == row.original_due_at == datetime(2026, 3, 19, 16, 0, tzinfo=VN_TZ)
    assert (row.fee, row.sets, row.created_by) == (10_000, 2, "officer1")


def test_nfd_input_is_stored_as_nfc(receive: Receive) -> None:
    row = receive(applicant_name=unicodedata.normalize("NFD", "Trần Thị Hương"))
    assert row.applicant_name == unicodedata.normalize("NFC", "Trần Thị Hương")


def test_codes_follow_each_other_and_registers_continue_across_days(receive: Receive) -> None:
    first = receive()
    second = receive()
    next_day = receive(received_at=datetime(2026, 3, 17, 8, 0, tzinfo=VN_TZ))
    assert [first.code[-11:], second.code[-11:], next_day.code[-11:]] == [
        "260316-0001",
        "260316-0002",
        "260317-0001",
    ]
    assert [first.register_no, second.register_no, next_day.register_no] == [1, 2, 3]


def test_reception_writes_documents_event_outbox_and_audit(store: Store, receive: Receive) -> None:
    row = receive(
        documents=(
            DossierDocument("Tờ khai", CopyKind.ORIGINAL, 1),
            DossierDocument("Giấy chứng sinh", CopyKind.CERTIFIED, 2),
        )
    )
    assert get_documents(store, row.id) == [
        DossierDocument("Tờ khai", CopyKind.ORIGINAL, 1),
        DossierDocument("Giấy chứng sinh", CopyKind.CERTIFIED, 2),
    ]
    events = get_events(store, row.id)
    assert [(e.status_from, e.status_to, e.action, e.actor) for e in events] == [
        (None, DossierStatus.RECEIVED, "receive", "officer1")
    ]
    assert events[0].at == row.received_at
    (kind, payload), *rest = store.conn.execute("SELECT type, payload FROM outbox").fetchall()
    assert rest == []
    assert kind == "dossier.received"
    event = json.loads(payload)
    assert event["code"] == row.code and event["status"] == "received"
    # The district gets statistics, not the citizen's personal data.
    assert row.applicant_phone not in payload and row.applicant_id_number not in payload
    assert "Nguyễn" not in payload
    assert store.query("SELECT action, target FROM audit") == [
        {"action": "dossier.receive", "target": row.code}
    ]


def test_a_failed_reception_consumes_no_code(
    store: Store, make_dossier: Callable[..., NewDossier]
) -> None:
    with pytest.raises(ValueError, match="channel"), store.write("o", "dossier.receive") as tx:
        insert_dossier(tx, make_dossier(channel="fax"))
    with store.write("o", "dossier.receive") as tx:
        row = insert_dossier(tx, make_dossier())
    assert row.code.endswith("-0001")
    assert count_dossiers(store) == 1


def test_get_dossier_ignores_case_and_spaces(store: Store, receive: Receive) -> None:
    row = receive()
    assert get_dossier(store, f"  {row.code.lower()} ") == row
    assert get_dossier(store, "000.00.21.H12-260316-0099") is None


def test_list_is_newest_first_and_filters_by_status(store: Store, receive: Receive) -> None:
    rows = [receive(received_at=datetime(2026, 3, d, 9, 0, tzinfo=VN_TZ)) for d in (16, 18, 17)]
    with store.write("o", "dossier.done") as tx:
        tx.execute("UPDATE dossiers SET status = 'done' WHERE id = ?", (rows[0].id,))
    assert [r.id for r in list_dossiers(store)] == [rows[1].id, rows[2].id, rows[0].id]
    assert [r.id for r in list_dossiers(store, status="done")] == [rows[0].id]
    assert [r.id for r in list_dossiers(store, limit=1, offset=1)] == [rows[2].id]
    assert count_dossiers(store, status=DossierStatus.RECEIVED) == 2


def test_an_unknown_status_filter_is_a_clear_error(store: Store) -> None:
    with pytest.raises(ValidationError, match="Trạng thái hồ sơ 'lost' không có"):
        list_dossiers(store, status="lost")


def test_as_json_is_plain_data(receive: Receive) -> None:
    data = receive().as_json()
    assert data["received_at"] == "2026-03-16T09:00:00+07:00"
    assert data["status"] == "received" and data["register_number"] == "01/2026"
    json.dumps(data)
