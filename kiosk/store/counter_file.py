"""A counter PC's own file of print jobs (`counter-N-prints.db`): the COUNTER_PRINTS schema.

Earlier versions made this file with the whole office schema (dossiers, tickets, staff… all
empty, but a second office database on every counter PC). Opening such a file converts it: its
print jobs are copied into a file of the small schema, in one transaction, and the old file is
kept beside it as `<name>.office-schema` (nothing already accepted is lost).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import Final

from kiosk.clock import Clock
from kiosk.domain.errors import StoreError
from kiosk.store.db import COUNTER_PRINTS, Store, application_id, user_version

log = logging.getLogger(__name__)

OLD_SUFFIX: Final = ".office-schema"
#: Tables an office database fills and a counter's old print file left empty.
_OFFICE_TABLES: Final = ("tickets", "dossiers", "staff", "devices")
_JOB_COLUMNS: Final = (
    "id, kind, device, status, reason, payload, attempts, dossier_id, ticket_id, created_at, "
    "updated_at"
)


def open_counter_file(path: Path, *, clock: Clock | None = None) -> Store:
    """The counter's print-job file at `path`, created or converted as needed."""
    path = Path(path)
    if _has_office_schema(path):
        _convert(path, clock)
    return Store.open(path, clock=clock, schema=COUNTER_PRINTS)


def _has_office_schema(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False  # Store.open says what is wrong with it
    try:
        return (
            user_version(conn) > 0
            and application_id(conn) == 0
            and conn.execute(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'print_jobs'"
            ).fetchone()[0]
            == 1
        )
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _convert(path: Path, clock: Clock | None) -> None:
    old = path.with_name(path.name + OLD_SUFFIX)
    if old.exists():
        raise StoreError(
            f"Không chuyển được tệp bản in {path}: tệp {old} đã có từ lần chuyển trước. Hãy "
            "chuyển tệp đó đi chỗ khác rồi mở lại.",
            path=str(path),
        )
    # Everything the old file holds into the main file, then set it aside whole.
    with Store.open(path, clock=clock) as office_schema:
        for table in _OFFICE_TABLES:
            if office_schema.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                raise StoreError(
                    f"Tệp {path} là cơ sở dữ liệu của một văn phòng (có {table}), không phải tệp "
                    "bản in của máy quầy: hãy kiểm tra thư mục dữ liệu.",
                    path=str(path),
                )
        office_schema.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(path, old)
    try:
        with Store.open(path, clock=clock, schema=COUNTER_PRINTS) as store:
            store.conn.execute("ATTACH DATABASE ? AS old", (str(old),))
            try:
                with store.write("system", "print.file_converted", target=old.name) as tx:
                    tx.execute(
                        f"INSERT INTO print_jobs ({_JOB_COLUMNS}) "
                        f"SELECT {_JOB_COLUMNS} FROM old.print_jobs ORDER BY id"
                    )
                    moved = int(tx.execute("SELECT count(*) FROM print_jobs").fetchone()[0])
                    tx.details["jobs"] = moved
            finally:
                store.conn.execute("DETACH DATABASE old")
    except BaseException:
        # Back as it was: the old file is the only copy of the jobs until the new one commits.
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        os.replace(old, path)
        raise
    log.info("counter print file %s converted: %d jobs; old file kept as %s", path, moved, old)
