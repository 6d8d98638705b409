"""The one write path: business rows, outbox event and audit row commit or roll back together."""

from __future__ import annotations

import json
import linecache
import sqlite3
import sys
import threading
import time
from datetime import timedelta

import pytest

from kiosk.clock import FixedClock
from kiosk.store import Store, event_hash


def _count(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_write_commits_rows_outbox_event_and_audit_row_together(
    store: Store, clock: FixedClock
) -> None:
    with store.write("officer1", "field.add", target="HT", details={"lý do": "mới"}) as tx:
        tx.insert("fields", {"code": "HT", "name": "Hộ tịch"})
        seq = tx.emit("field.added", {"code": "HT", "name": "Hộ tịch"})
    assert store.conn.execute("SELECT name FROM fields").fetchall() == [("Hộ tịch",)]
    outbox = store.query("SELECT * FROM outbox")
    assert [row["seq"] for row in outbox] == [seq]
    assert outbox[0]["type"] == "field.added"
    assert outbox[0]["site_id"] == store.site_id
    assert outbox[0]["created_at"] == "2026-03-16T08:30:00+07:00"
    audit = store.query("SELECT actor, action, target, details, at FROM audit")
    assert audit == [
        {
            "actor": "officer1",
            "action": "field.add",
            "target": "HT",
            "details": '{"lý do":"mới"}',
            "at": clock().isoformat(),
        }
    ]


def test_outbox_payload_is_canonical_and_its_hash_can_be_recomputed(store: Store) -> None:
    with store.write("a", "b") as tx:
        tx.emit("x", {"z": 1, "name": "Đức", "a": [2, 1]})
    event_id, payload, digest = store.conn.execute(
        "SELECT event_id, payload, hash FROM outbox"
    ).fetchone()
    assert payload == '{"a":[2,1],"name":"Đức","z":1}'
    assert len(event_id) == 32
    assert digest == event_hash(event_id, "x", json.loads(payload))
    assert digest != event_hash(event_id, "y", json.loads(payload))


def test_an_error_rolls_back_rows_events_and_audit(store: Store) -> None:
    with pytest.raises(ZeroDivisionError), store.write("a", "b") as tx:
        tx.insert("fields", {"code": "HT", "name": "Hộ tịch"})
        tx.emit("field.added", {"code": "HT"})
        _ = 1 / 0
    assert not store.conn.in_transaction
    assert (_count(store, "fields"), _count(store, "outbox"), _count(store, "audit")) == (0, 0, 0)


def test_a_failing_statement_rolls_back_the_earlier_ones(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError), store.write("a", "b") as tx:
        tx.insert("fields", {"code": "HT", "name": "Hộ tịch"})
        tx.insert("fields", {"code": "HT", "name": "again"})
    assert _count(store, "fields") == 0
    assert _count(store, "audit") == 0


def test_nested_write_is_an_error_and_the_outer_write_rolls_back(store: Store) -> None:
    with pytest.raises(RuntimeError, match="reentrant"), store.write("a", "outer") as tx:
        tx.insert("fields", {"code": "HT", "name": "Hộ tịch"})
        with store.write("a", "inner"):
            pass
    assert _count(store, "fields") == 0
    with store.write("a", "after") as tx:  # the store is usable again
        tx.insert("fields", {"code": "CT", "name": "Chứng thực"})
    assert _count(store, "fields") == 1


def test_the_transaction_object_is_dead_after_the_block(store: Store) -> None:
    with store.write("a", "b") as tx:
        pass
    with pytest.raises(RuntimeError, match="finished"):
        tx.insert("fields", {"code": "HT", "name": "Hộ tịch"})


def test_repos_can_name_the_audit_target_inside_the_transaction(store: Store) -> None:
    with store.write("a", "b") as tx:
        tx.target = "000.00.21.H12-260316-0001"
        tx.details["pages"] = 3
    assert store.query("SELECT target, details FROM audit") == [
        {"target": "000.00.21.H12-260316-0001", "details": '{"pages":3}'}
    ]


def test_outbox_seq_is_never_reused_after_rows_are_deleted(store: Store) -> None:
    with store.write("a", "b") as tx:
        seqs = [tx.emit("e", {"i": i}) for i in range(3)]
    with store.write("sync", "outbox.prune") as tx:
        tx.execute("DELETE FROM outbox")
    with store.write("a", "b") as tx:
        later = tx.emit("e", {"i": 99})
    assert later > max(seqs)


def test_every_row_of_one_write_shares_the_clock_time(store: Store, clock: FixedClock) -> None:
    with store.write("a", "b") as tx:
        first = tx.emit("e", {})
        clock.advance(minutes=5)  # the clock moves, the transaction keeps its time
        second = tx.emit("e", {})
    times = dict(store.conn.execute("SELECT seq, created_at FROM outbox").fetchall())
    assert times[first] == times[second] == (clock() - timedelta(minutes=5)).isoformat()


def _blocked_in_write(thread: threading.Thread) -> bool:
    """Is `thread` inside `Store.write`, at the line that takes the write lock?"""
    frame = sys._current_frames().get(thread.ident or -1)
    if frame is None or frame.f_code is not Store.write.__wrapped__.__code__:  # type: ignore[attr-defined]
        return False
    return "self._write_lock" in linecache.getline(frame.f_code.co_filename, frame.f_lineno)


def test_a_second_thread_waits_for_the_first_write(store: Store) -> None:
    order: list[str] = []
    inside = threading.Event()

    def second() -> None:
        inside.wait()
        with store.write("b", "second") as tx:
            order.append("second")
            tx.insert("fields", {"code": "CT", "name": "Chứng thực"})

    worker = threading.Thread(target=second)
    worker.start()
    with store.write("a", "first") as tx:
        inside.set()
        # Hold the write until the second thread is seen waiting at its door: no sleep that a
        # slow machine could outlast, and a second writer that never waits fails here.
        deadline = time.monotonic() + 10
        while not _blocked_in_write(worker):
            assert worker.is_alive() and time.monotonic() < deadline, "no second writer waited"
            time.sleep(0.001)
        assert order == []
        order.append("first")
        tx.insert("fields", {"code": "HT", "name": "Hộ tịch"})
    worker.join(5)
    assert order == ["first", "second"]
    assert _count(store, "audit") == 2
