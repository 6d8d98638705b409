"""Opening the office database: pragmas, STRICT tables, migrations, damaged and foreign files."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.domain.errors import StoreError
from kiosk.store import SCHEMA_VERSION, Store
from kiosk.store.db import OFFICE, Migration, Schema
from kiosk.store.dossier_repo import DossierRow


def test_pragmas_are_wal_full_sync_foreign_keys_and_busy_timeout(store: Store) -> None:
    pragma = store.conn.execute
    assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert pragma("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert pragma("PRAGMA foreign_keys").fetchone()[0] == 1
    assert pragma("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert store.conn.isolation_level is None


def test_every_table_is_strict(store: Store) -> None:
    tables = store.conn.execute(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
        "AND strict = 0 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'dossiers_fts%'"
    ).fetchall()
    assert tables == []


def test_strict_table_rejects_text_in_an_integer_column(store: Store) -> None:
    wrong_type = pytest.raises(sqlite3.IntegrityError, match="cannot store TEXT value in INTEGER")
    with wrong_type, store.write("t", "test") as tx:
        tx.insert("fields", {"code": "HT", "name": "Hộ tịch", "position": "first"})
    assert store.conn.execute("SELECT count(*) FROM fields").fetchone()[0] == 0


def test_status_outside_the_lifecycle_is_rejected(
    store: Store, receive: Callable[..., DossierRow]
) -> None:
    receive()
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"), store.write("t", "test") as tx:
        tx.execute("UPDATE dossiers SET status = 'lost'")
    assert store.conn.execute("SELECT status FROM dossiers").fetchall() == [("received",)]


def test_new_database_gets_the_latest_schema_version(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_reopening_does_not_apply_migrations_again(db_path: Path) -> None:
    with Store.open(db_path) as first:
        site = first.site_id
        with first.write("t", "test") as tx:
            tx.insert("fields", {"code": "HT", "name": "Hộ tịch"})
    with Store.open(db_path) as again:
        # Re-running 0001 would fail on CREATE TABLE, or make a new site id.
        assert again.site_id == site
        assert again.conn.execute("SELECT name FROM fields").fetchall() == [("Hộ tịch",)]


def test_a_failing_migration_leaves_the_previous_schema_intact(db_path: Path) -> None:
    Store.open(db_path).close()
    broken = Migration(
        SCHEMA_VERSION + 1,
        "9999_broken.sql",
        "CREATE TABLE extra (a INTEGER) STRICT; INSERT INTO nowhere VALUES (1);",
    )
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        Store.open(db_path, schema=Schema(OFFICE.label, (*OFFICE.migrations, broken)))
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert (
            conn.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'extra'").fetchone()[0]
            == 0
        )
    finally:
        conn.close()

    fixed = Migration(
        SCHEMA_VERSION + 1, "9999_fixed.sql", "CREATE TABLE extra (a INTEGER) STRICT;"
    )
    with Store.open(db_path, schema=Schema(OFFICE.label, (*OFFICE.migrations, fixed))) as store:
        assert store.schema_version == SCHEMA_VERSION + 1
        assert store.conn.execute("SELECT count(*) FROM extra").fetchone()[0] == 0


def test_database_from_a_newer_version_is_refused(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 6}")
    conn.close()
    with pytest.raises(StoreError) as caught:
        Store.open(db_path)
    message = caught.value.message
    assert f"lược đồ {SCHEMA_VERSION + 6}" in message
    assert f"hiểu đến {SCHEMA_VERSION}" in message
    assert "cập nhật phần mềm" in message


def _corrupt(path: Path) -> None:
    """Overwrite the middle of the file's b-tree pages with garbage (header left intact)."""
    size = path.stat().st_size
    page = 4096
    with open(path, "r+b") as handle:
        for offset in range(2 * page, size - page, page):
            handle.seek(offset + 8)
            handle.write(b"\xa5" * 1000)


def _filled_database(path: Path) -> None:
    with Store.open(path) as store, store.write("t", "fill") as tx:
        for i in range(300):
            tx.insert("audit", {"at": "x", "actor": "a" * 50, "action": f"fill {i}"})


def test_damaged_file_is_refused_naming_the_file_and_the_backup(db_path: Path) -> None:
    _filled_database(db_path)
    _corrupt(db_path)
    with pytest.raises(StoreError) as caught:
        Store.open(db_path)
    assert str(db_path) in caught.value.message
    assert "sao lưu" in caught.value.message


def test_one_damaged_table_page_is_found_by_the_quick_check(db_path: Path) -> None:
    _filled_database(db_path)
    conn = sqlite3.connect(db_path)
    try:
        leaves = conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'audit' AND pagetype = 'leaf'"
        ).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table")
    finally:
        conn.close()
    page = leaves[len(leaves) // 2][0]
    with open(db_path, "r+b") as handle:
        # A leaf header claiming 153 cells: the schema still reads, only the check sees it.
        handle.seek((page - 1) * 4096)
        handle.write(b"\x0d\x00\x00\x00\x99\x0f\xff\xff")
    with pytest.raises(StoreError) as caught:
        Store.open(db_path)
    assert f"Page {page}" in caught.value.message
    assert str(db_path) in caught.value.message and "sao lưu" in caught.value.message


def test_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Danh sách hồ sơ cần trả hôm nay\n" * 200, encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert str(path) in caught.value.message
    assert "không phải là cơ sở dữ liệu" in caught.value.message
    assert path.read_text(encoding="utf-8").startswith("Danh sách")


def test_another_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="không phải của phần mềm"):
        Store.open(path)


def test_full_disk_becomes_a_store_error_and_nothing_is_written(store: Store) -> None:
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="Ổ đĩa đã đầy"), store.write("t", "fill") as tx:
        for i in range(2000):
            tx.insert("audit", {"at": "x", "actor": "a" * 200, "action": f"fill {i}"})
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert not store.conn.in_transaction
    assert store.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 0


def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="thư mục"):
        Store.open(tmp_path)


def test_naive_clock_is_a_bug(db_path: Path) -> None:
    with Store.open(db_path, clock=lambda: datetime(2026, 3, 16, 8, 0)) as store:
        with pytest.raises(ValueError, match="naive"), store.write("t", "x"):
            pass
        assert not store.conn.in_transaction
