"""A reception writes its dossier row once, with its final values: one INSERT, no UPDATE.

Checked on the real store twice over: the statements the connection runs
(`sqlite3.Connection.set_trace_callback`: no UPDATE of `dossiers`), and temporary AFTER INSERT
and AFTER UPDATE triggers that count every insert and update of a dossier row, whoever issues
it (SQLite may trace one statement more than once when it re-prepares it, so the triggers are
what counts the rows).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from dossier_support import CLERK, NO_LIMIT, SAME_DAY, THREE_DAYS, at, reception

from kiosk.dossiers import RECEPTION_UNIT, DossierService
from kiosk.store import Store

UPDATE_DOSSIER = re.compile(r'^\s*UPDATE\s+"?dossiers"?\s', re.IGNORECASE)


@pytest.fixture
def statements(store: Store) -> Iterator[list[str]]:
    """Every SQL statement the store's connection runs while the test does."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    yield seen
    store.conn.set_trace_callback(None)


@pytest.fixture
def writes_counted(store: Store) -> Iterator[None]:
    """Temporary triggers that log every insert and update of a dossier row."""
    conn = store.conn
    conn.execute("CREATE TEMP TABLE dossier_writes (kind TEXT, dossier_id INTEGER)")
    for kind in ("INSERT", "UPDATE"):
        conn.execute(
            f"CREATE TEMP TRIGGER count_dossier_{kind.lower()} AFTER {kind} ON main.dossiers "
            f"BEGIN INSERT INTO dossier_writes VALUES ('{kind}', new.id); END"
        )
    yield
    conn.execute("DROP TRIGGER count_dossier_insert")
    conn.execute("DROP TRIGGER count_dossier_update")
    conn.execute("DROP TABLE dossier_writes")


def written(store: Store, kind: str) -> int:
    found = store.conn.execute("SELECT count(*) FROM dossier_writes WHERE kind = ?", (kind,))
    return int(found.fetchone()[0])


@pytest.mark.parametrize("procedure", [SAME_DAY, THREE_DAYS], ids=["same-day", "three-days"])
def test_a_reception_is_one_insert_of_the_dossier_row_and_no_update(
    service: DossierService,
    store: Store,
    statements: list[str],
    writes_counted: None,
    procedure: str,
) -> None:
    statements.clear()
    dossier = service.receive(
        reception(procedure, counter_number=2, ticket_id=None), actor=CLERK, request_id="once-0001"
    )

    assert [s for s in statements if UPDATE_DOSSIER.match(s)] == []
    assert (written(store, "INSERT"), written(store, "UPDATE")) == (1, 0)
    # ...and that one row already holds what the workflow reads later.
    assert dossier.current_unit == RECEPTION_UNIT
    assert dossier.counter_number == 2
    assert dossier.time_limit != ""
    row = store.query(
        "SELECT duration_value, duration_unit, same_day_cutoff, current_unit, counter_number "
        "FROM dossiers WHERE id = ?",
        (dossier.row.id,),
    )[0]
    assert row["duration_value"] is not None and row["duration_unit"] is not None
    assert row["current_unit"] == RECEPTION_UNIT and row["counter_number"] == 2
    if procedure == SAME_DAY:
        assert row["same_day_cutoff"] == "15:00"


def test_a_reception_with_a_due_date_set_by_hand_is_one_insert_too(
    service: DossierService, store: Store, statements: list[str], writes_counted: None
) -> None:
    statements.clear()
    dossier = service.receive(reception(NO_LIMIT, due_at=at(2026, 4, 1, 16, 0)), actor=CLERK)

    assert [s for s in statements if UPDATE_DOSSIER.match(s)] == []
    assert (written(store, "INSERT"), written(store, "UPDATE")) == (1, 0)
    assert dossier.row.due_at == at(2026, 4, 1, 16, 0)
    assert dossier.time_limit == "" and dossier.current_unit == RECEPTION_UNIT


def test_the_trigger_does_see_the_updates_of_a_later_step(
    service: DossierService, store: Store, writes_counted: None
) -> None:
    # Guards the checks above: the temporary trigger counts real updates of a dossier row.
    code = service.receive(reception(), actor=CLERK).code
    assert (written(store, "INSERT"), written(store, "UPDATE")) == (1, 0)
    service.transfer(code, to_unit="Tư pháp", actor=CLERK)
    assert written(store, "UPDATE") == 1
