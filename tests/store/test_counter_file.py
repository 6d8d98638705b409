"""A counter PC's print-job file: a schema of its own, and the old office-schema files converted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.clock import FixedClock
from kiosk.domain.errors import StoreError
from kiosk.printing import jobs
from kiosk.store import Store
from kiosk.store.counter_file import OLD_SUFFIX, open_counter_file
from kiosk.store.db import COUNTER_PRINTS
from kiosk.ui.counter.prints import CounterPrints

# Port 9 (discard) on loopback: nothing listens, so a print there fails at once, as an unplugged
# printer does.
NOBODY = "tcp://127.0.0.1:9"


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall()
    return {name for (name,) in rows if not name.startswith("sqlite_")}


def test_a_new_counter_file_holds_print_jobs_and_their_audit_only(
    tmp_path: Path, clock: FixedClock
) -> None:
    prints = CounterPrints(tmp_path / "counter-1-prints.db", clock=clock)
    try:
        printed = prints.print("mau-01-X", NOBODY, b"%PDF-1.7 ...", actor="staff:lan@counter:1")
        assert printed.item.status == jobs.FAILED and printed.item.reason
        assert [item.kind for item in prints.failed()] == ["mau-01-X"]
    finally:
        prints.close()
    assert tables(tmp_path / "counter-1-prints.db") == {"print_jobs", "audit"}


def test_an_old_file_with_the_office_schema_is_converted_keeping_every_job(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "counter-1-prints.db"
    with Store.open(path, clock=clock) as old:  # as earlier versions made it
        first = jobs.submit(old, "mau-01-A", NOBODY, b"\x00first\xff", actor="staff:lan")
        jobs.mark_failed(old, first, "Máy in không trả lời")
        second = jobs.submit(old, "bien-nhan-A", "png:x", b"second", actor="staff:lan")
        jobs.mark_sent(old, second)
    assert "dossiers" in tables(path)

    store = open_counter_file(path, clock=clock)
    try:
        assert tables(path) == {"print_jobs", "audit"}
        kept = {j.id: j for j in (jobs.get_job(store, first), jobs.get_job(store, second))}
        assert (kept[first].kind, kept[first].status, kept[first].reason) == (
            "mau-01-A",
            jobs.FAILED,
            "Máy in không trả lời",
        )
        assert jobs.job_payload(store, first) == b"\x00first\xff"
        assert kept[second].status == jobs.SENT
        (converted,) = store.query(
            "SELECT details FROM audit WHERE action = 'print.file_converted'"
        )
        assert '"jobs":2' in converted["details"]
    finally:
        store.close()
    # The old file stays beside it, whole: nothing accepted is lost.
    assert "dossiers" in tables(path.with_name(path.name + OLD_SUFFIX))
    # Opening again converts nothing more.
    with open_counter_file(path, clock=clock) as again:
        assert len(again.query("SELECT id FROM print_jobs")) == 2


def test_an_office_database_and_a_counter_file_are_never_taken_for_each_other(
    tmp_path: Path, clock: FixedClock
) -> None:
    counter = tmp_path / "counter-1-prints.db"
    open_counter_file(counter, clock=clock).close()
    with pytest.raises(StoreError, match="không phải cơ sở dữ liệu văn phòng"):
        Store.open(counter, clock=clock)
    office = tmp_path / "office.db"
    Store.open(office, clock=clock).close()
    with pytest.raises(StoreError, match="không phải tệp bản in của máy quầy"):
        Store.open(office, clock=clock, schema=COUNTER_PRINTS)


def test_an_office_database_in_the_counter_files_place_is_refused_not_converted(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "counter-1-prints.db"
    with Store.open(path, clock=clock) as office:
        office.conn.execute(
            "INSERT INTO staff (username, full_name, role, secret_hash, created_at) "
            "VALUES ('lan', 'Trần Thị Lan', 'clerk', 'x', '2026-03-16T09:00:00+07:00')"
        )
    with pytest.raises(StoreError, match="là cơ sở dữ liệu của một văn phòng"):
        open_counter_file(path, clock=clock)
    assert "dossiers" in tables(path) and not path.with_name(path.name + OLD_SUFFIX).exists()
