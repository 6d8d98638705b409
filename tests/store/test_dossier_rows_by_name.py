"""The dossier repositories read rows by column name and write a new dossier once, complete."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from kiosk.domain.catalogue import Duration, DurationUnit
from kiosk.store import Store
from kiosk.store import dossier_forms_repo as forms
from kiosk.store.dossier_repo import (
    DOSSIER_FIELDS,
    DossierRow,
    NewDossier,
    dossier_record,
    insert_dossier,
    promised_duration,
    row_from_db,
)
from kiosk.store.rows import all_rows, first_row


def test_a_new_dossier_is_written_with_its_time_limit_unit_and_counter(
    store: Store, make_dossier: Callable[..., NewDossier]
) -> None:
    new = make_dossier(
        duration=Duration(3, DurationUnit.WORKING_DAY),
        same_day_cutoff=time(15, 0),
        current_unit="Bộ phận Tiếp nhận và Trả kết quả",
        counter_number=4,
    )
    with store.write("officer1", "dossier.receive") as tx:
        row = insert_dossier(tx, new)
    record = dossier_record(store.conn, dossier_id=row.id)
    assert record is not None
    assert (record["duration_value"], record["duration_unit"]) == (3, "working_day")
    assert record["same_day_cutoff"] == "15:00"
    assert (record["current_unit"], record["counter_number"]) == (new.current_unit, 4)
    assert promised_duration(store.conn, row.id) == (Duration(3, DurationUnit.WORKING_DAY), "15:00")


def test_without_them_the_columns_keep_the_schema_defaults(
    store: Store, receive: Callable[..., DossierRow]
) -> None:
    row = receive()
    record = dossier_record(store.conn, code=row.code)
    assert record is not None
    assert record["duration_value"] is None and record["same_day_cutoff"] is None
    assert (record["current_unit"], record["counter_number"]) == ("", None)
    assert promised_duration(store.conn, row.id) == (None, "")


def test_a_row_is_mapped_by_name_whatever_the_order_and_extra_columns(
    store: Store, receive: Callable[..., DossierRow]
) -> None:
    row = receive()
    record = dossier_record(store.conn, dossier_id=row.id)
    assert record is not None
    shuffled = {name: record[name] for name in reversed(DOSSIER_FIELDS)}
    shuffled["something_else"] = "ignored"
    assert row_from_db(shuffled) == row


def test_rows_come_back_as_dicts_by_column_name(store: Store) -> None:
    cursor = store.conn.execute("SELECT 1 AS one, 'a' AS letter UNION ALL SELECT 2, 'b'")
    assert all_rows(cursor) == [{"one": 1, "letter": "a"}, {"one": 2, "letter": "b"}]
    assert first_row(store.conn.execute("SELECT 1 AS one WHERE 0")) is None


def test_a_request_id_is_found_with_what_it_produced(
    store: Store, receive: Callable[..., DossierRow]
) -> None:
    row = receive()
    assert forms.find_request(store.conn, "req-00000001") is None
    with store.write("officer1", "dossier.transfer") as tx:
        forms.remember_request(
            tx,
            {
                "request_id": "req-00000001",
                "kind": "transfer",
                "fingerprint": "f" * 64,
                "actor": tx.actor,
                "dossier_id": row.id,
                "record_id": None,
                "created_at": tx.now_iso,
            },
        )
    assert forms.find_request(store.conn, "req-00000001") == {
        "kind": "transfer",
        "fingerprint": "f" * 64,
        "dossier_id": row.id,
        "record_id": None,
    }
