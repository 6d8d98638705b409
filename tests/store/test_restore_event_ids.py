"""A restored database numbers queue events past both timelines and records the stream floor;
`restore_in_place` keeps the Store object working on the restored file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.domain.errors import StoreError
from kiosk.store import Store
from kiosk.store.backup import STREAM_FLOOR_KEY, backup_to, restore_from, restore_in_place


def add_events(store: Store, count: int) -> int:
    with store.write("test", "test.events") as tx:
        for _ in range(count):
            tx.execute(
                "INSERT INTO ticket_events (at, kind) VALUES (?, 'office.notice')", (tx.now_iso,)
            )
    return int(store.conn.execute("SELECT max(id) FROM ticket_events").fetchone()[0])


def test_restore_numbers_new_events_above_the_replaced_timeline(
    db_path: Path, tmp_path: Path
) -> None:
    with Store.open(db_path) as store:
        backed_up = add_events(store, 3)
        backup = backup_to(store, tmp_path / "b.db")
        replaced_top = add_events(store, 5)
    restore_from(backup, db_path)
    with Store.open(db_path) as store:
        assert store.setting(STREAM_FLOOR_KEY) == str(replaced_top)
        assert store.conn.execute("SELECT max(id) FROM ticket_events").fetchone()[0] == backed_up
        assert add_events(store, 1) == replaced_top + 1  # an id never means two events


def test_restore_in_place_keeps_the_store_object(db_path: Path, tmp_path: Path) -> None:
    with Store.open(db_path) as store:
        add_events(store, 2)
        backup = backup_to(store, tmp_path / "b.db")
        add_events(store, 4)
        held = store
        restore_in_place(store, backup)
        assert held.conn.execute("SELECT count(*) FROM ticket_events").fetchone()[0] == 2
        assert add_events(held, 1) == 7
        # A file that is not a backup changes nothing, and the store still works.
        bad = tmp_path / "bad.db"
        bad.write_bytes(b"x" * 4096)
        with pytest.raises(StoreError):
            restore_in_place(store, bad)
        assert held.conn.execute("SELECT count(*) FROM ticket_events").fetchone()[0] == 3
