"""Sequences never hand out a number twice: per unit per day, per year, per prefix per day,
across a killed process and between processes racing for the same number."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from kiosk.clock import VN_TZ
from kiosk.domain.codes import parse_dossier_code
from kiosk.store import Store
from kiosk.store.dossier_repo import DossierRow
from kiosk.store.sequences import (
    next_dossier_code,
    next_register_no,
    next_sequence,
    next_ticket_number,
    take_sequence_block,
)

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import sys
from datetime import datetime
from pathlib import Path

from kiosk.clock import VN_TZ
from kiosk.store import Store
from kiosk.store.dossier_repo import NewDossier, insert_dossier

path, count, name = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with Store.open(path) as store:
    for i in range(count):
        with store.write(name, "dossier.receive") as tx:
            row = insert_dossier(tx, NewDossier(
                unit_code="000.00.21.H12",
                received_at=datetime(2026, 3, 16, 9, 0, tzinfo=VN_TZ),
                procedure_code="1.001193",
                procedure_name="Đăng ký khai sinh",
                applicant_name=f"Người {name} {i}",
            ))
        print(row.code, row.register_no, flush=True)
"""


def _start_worker(tmp_path: Path, db: Path, count: int, name: str) -> subprocess.Popen[str]:
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(script), str(db), str(count), name],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def _seqs(store: Store) -> list[int]:
    codes = [r[0] for r in store.conn.execute("SELECT code FROM dossiers")]
    return sorted(parse_dossier_code(c).seq for c in codes)


def test_numbers_count_from_one_per_scope(store: Store) -> None:
    with store.write("t", "t") as tx:
        a = [next_sequence(tx, "x", "one") for _ in range(3)]
        b = next_sequence(tx, "x", "two")
        c = next_sequence(tx, "y", "one")
    assert (a, b, c) == ([1, 2, 3], 1, 1)


def test_dossier_code_sequence_restarts_each_day_and_per_unit(store: Store) -> None:
    with store.write("t", "t") as tx:
        monday = [next_dossier_code(tx, "000.00.21.H12", date(2026, 3, 16)) for _ in range(2)]
        tuesday = next_dossier_code(tx, "000.00.21.H12", date(2026, 3, 17))
        other_unit = next_dossier_code(tx, "H15.50.05.13", date(2026, 3, 16))
    assert monday == ["000.00.21.H12-260316-0001", "000.00.21.H12-260316-0002"]
    assert tuesday == "000.00.21.H12-260317-0001"
    assert other_unit == "H15.50.05.13-260316-0001"


def test_register_number_runs_through_the_year_and_restarts_in_january(store: Store) -> None:
    with store.write("t", "t") as tx:
        numbers = [next_register_no(tx, 2026) for _ in range(3)]
        next_year = next_register_no(tx, 2027)
    assert (numbers, next_year) == ([1, 2, 3], 1)


def test_ticket_numbers_are_per_prefix_and_day(store: Store) -> None:
    day = date(2026, 3, 16)
    with store.write("t", "t") as tx:
        a = [next_ticket_number(tx, "A", day) for _ in range(2)]
        b = next_ticket_number(tx, "b", day)  # prefixes are upper-cased: 'b' is 'B'
        b2 = next_ticket_number(tx, "B", day)
        a_next_day = next_ticket_number(tx, "A", date(2026, 3, 17))
    assert (a, b, b2, a_next_day) == ([1, 2], 1, 2, 1)


def test_a_block_follows_single_numbers_and_single_numbers_follow_a_block(store: Store) -> None:
    with store.write("t", "t") as tx:
        single = next_sequence(tx, "x", "s")
        first_of_block = take_sequence_block(tx, "x", "s", 10)
        after = next_sequence(tx, "x", "s")
    assert (single, first_of_block, after) == (1, 2, 12)


def test_a_rolled_back_write_does_not_consume_its_number(store: Store) -> None:
    try:
        with store.write("t", "t") as tx:
            next_sequence(tx, "x", "s")
            raise KeyError("printer on fire")
    except KeyError:
        pass
    with store.write("t", "t") as tx:
        assert next_sequence(tx, "x", "s") == 1


def test_numbers_survive_a_killed_process_and_continue_after_the_last_commit(
    tmp_path: Path, db_path: Path, receive: Callable[..., DossierRow]
) -> None:
    Store.open(db_path).close()
    worker = _start_worker(tmp_path, db_path, 100_000, "w")
    assert worker.stdout is not None
    committed = [worker.stdout.readline().split() for _ in range(60)]
    worker.kill()  # SIGKILL on POSIX: no cleanup, possibly in the middle of a transaction
    rest, _ = worker.communicate(timeout=30)
    committed += [line.split() for line in rest.splitlines() if line]

    with Store.open(db_path) as store:
        seqs = _seqs(store)
        assert len(seqs) == len(set(seqs))
        assert seqs == list(range(1, len(seqs) + 1))
        codes = {r[0] for r in store.conn.execute("SELECT code FROM dossiers")}
        assert {code for code, _ in committed} <= codes  # every reported number is durable
        registers = [r[0] for r in store.conn.execute("SELECT register_no FROM dossiers")]
        assert sorted(registers) == list(range(1, len(registers) + 1))
        with store.write("t", "dossier.receive") as tx:
            code = next_dossier_code(tx, "000.00.21.H12", date(2026, 3, 16))
        assert parse_dossier_code(code).seq == len(seqs) + 1


def test_racing_processes_never_take_the_same_number(tmp_path: Path, db_path: Path) -> None:
    Store.open(db_path).close()
    workers = [_start_worker(tmp_path, db_path, 150, name) for name in ("a", "b")]
    outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0]
    reported = [line.split()[0] for out in outputs for line in out.splitlines()]
    assert len(reported) == len(set(reported)) == 300
    with Store.open(db_path) as store:
        assert _seqs(store) == list(range(1, 301))
        actors = {r[0] for r in store.conn.execute("SELECT DISTINCT created_by FROM dossiers")}
        assert actors == {"a", "b"}  # both really wrote


def test_received_at_near_midnight_uses_the_vietnamese_day(
    receive: Callable[..., DossierRow],
) -> None:
    # 23:30 UTC on the 15th is 06:30 on the 16th in Vietnam.
    row = receive(received_at=datetime(2026, 3, 15, 23, 30, tzinfo=UTC))
    assert row.code == "000.00.21.H12-260316-0001"
    assert row.received_at == datetime(2026, 3, 16, 6, 30, tzinfo=VN_TZ)
