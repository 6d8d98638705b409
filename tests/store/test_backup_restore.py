"""Online backup and restore, both verified; a bad backup never replaces the office database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.domain.errors import StoreError
from kiosk.store import SCHEMA_VERSION, Store
from kiosk.store.backup import backup_to, check_backup, restore_from
from kiosk.store.dossier_repo import DossierRow, get_dossier, list_dossiers


def _corrupt(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        for offset in range(2 * 4096, size - 4096, 4096):
            handle.seek(offset + 8)
            handle.write(b"\x5a" * 1000)


def _fill(receive: Callable[..., DossierRow], count: int) -> list[DossierRow]:
    return [receive(applicant_name=f"Người Thứ {i}") for i in range(count)]


def test_backup_is_a_sound_copy_with_every_committed_row(
    store: Store, receive: Callable[..., DossierRow], tmp_path: Path
) -> None:
    rows = _fill(receive, 120)
    target = backup_to(store, tmp_path / "backups" / "office-2026-03-16.db")
    assert check_backup(target) == SCHEMA_VERSION
    with Store.open(target) as copy:
        assert [r.code for r in list_dossiers(copy, limit=500)] == [r.code for r in reversed(rows)]
    # The office kept working during and after the backup, and the backup was audited.
    receive(applicant_name="Sau Sao Lưu")
    actions = [r[0] for r in store.conn.execute("SELECT action FROM audit")]
    assert "store.backup" in actions


def test_backup_leaves_no_temporary_file(
    store: Store, receive: Callable[..., DossierRow], tmp_path: Path
) -> None:
    _fill(receive, 3)
    folder = tmp_path / "backups"
    backup_to(store, folder / "b.db")
    assert [p.name for p in folder.iterdir()] == ["b.db"]


def test_backup_onto_the_database_itself_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="chính nó"):
        backup_to(store, store.path)


def test_restore_replaces_the_database_with_the_backup(
    db_path: Path, store: Store, receive: Callable[..., DossierRow], tmp_path: Path
) -> None:
    kept = _fill(receive, 5)
    backup = backup_to(store, tmp_path / "b.db")
    lost = receive(applicant_name="Nhận Sau Sao Lưu")
    store.close()

    previous = restore_from(backup, db_path)

    with Store.open(db_path) as restored:
        assert get_dossier(restored, lost.code) is None
        assert [r.code for r in list_dossiers(restored)] == [r.code for r in reversed(kept)]
    assert previous is not None
    with Store.open(previous) as before:
        assert get_dossier(before, lost.code) is not None  # nothing is thrown away
    assert not db_path.with_name(db_path.name + ".tmp-copy").exists()


def test_restoring_a_corrupt_backup_is_refused_and_the_database_stays_intact(
    db_path: Path, store: Store, receive: Callable[..., DossierRow], tmp_path: Path
) -> None:
    rows = _fill(receive, 150)
    backup = backup_to(store, tmp_path / "b.db")
    store.close()
    _corrupt(backup)
    original = db_path.read_bytes()

    with pytest.raises(StoreError) as caught:
        restore_from(backup, db_path)

    assert str(backup) in caught.value.message
    assert db_path.read_bytes() == original
    with Store.open(db_path) as again:
        assert get_dossier(again, rows[-1].code) is not None


def test_restoring_a_file_that_is_not_a_database_is_refused(
    db_path: Path, store: Store, tmp_path: Path
) -> None:
    store.close()
    junk = tmp_path / "photo.db"
    junk.write_bytes(b"\x89PNG\r\n" + bytes(range(256)) * 40)
    original = db_path.read_bytes()
    with pytest.raises(StoreError, match="không phải là cơ sở dữ liệu"):
        restore_from(junk, db_path)
    assert db_path.read_bytes() == original


def test_restoring_a_missing_file_is_refused(db_path: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Không tìm thấy"):
        restore_from(tmp_path / "nowhere.db", db_path)


def test_restoring_a_backup_from_a_newer_version_is_refused(
    db_path: Path, store: Store, tmp_path: Path
) -> None:
    backup = backup_to(store, tmp_path / "b.db")
    store.close()
    conn = sqlite3.connect(backup)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="phiên bản mới hơn"):
        restore_from(backup, db_path)


def test_restoring_another_programs_database_is_refused(db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="không phải bản sao lưu"):
        restore_from(other, db_path)
    assert not db_path.exists()


def test_restore_into_an_empty_place_creates_the_database(
    store: Store, receive: Callable[..., DossierRow], tmp_path: Path
) -> None:
    row = receive()
    backup = backup_to(store, tmp_path / "b.db")
    target = tmp_path / "new-pc" / "office.db"
    assert restore_from(backup, target) is None
    with Store.open(target) as restored:
        assert get_dossier(restored, row.code) is not None
