"""Online backup to a file and restore from one, both verified with `quick_check`.

A backup is taken with SQLite's online backup API while the office keeps working (in WAL mode
readers do not block writers), written to a temporary file next to the destination, checked, and
only then moved into place. The copy is a single self-contained file (rollback journal mode);
`Store.open` turns WAL back on.

A restore checks the source (sound file, schema this code knows) before touching the office
database, builds a verified copy next to it and swaps it in with one `os.replace`, so the office
database is either the old one or the restored one, never half of each. Close every Store of the
target before restoring.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Final

from kiosk.domain.errors import StoreError
from kiosk.store.db import (
    SCHEMA_VERSION,
    Store,
    damaged_error,
    environment_error,
    newer_schema_error,
    quick_check,
    user_version,
)

_TEMP_SUFFIX = ".tmp-copy"


def _fsync_file(path: Path) -> None:
    # r+b: Windows refuses to flush a handle opened read-only.
    with open(path, "r+b") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    # Makes the rename durable on POSIX; Windows has no directory handles to sync.
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


#: Set on a restored database: the outbox counter of the backup. Events numbered after it were
#: made after the restore and may collide with seqs the district already holds from the lost
#: timeline; the sync handshake renumbers them past the server's mark (kiosk.sync.state).
RESTORED_OUTBOX_TOP_KEY: Final = "sync.restored_outbox_top"
#: Set on a restored database: queue event ids up to this one may come from the timeline the
#: restore replaced. Screens resume the hub's event stream with the last id they saw; one of
#: these gets a fresh snapshot instead of a replay (kiosk.hub.runtime.EventHub). New events are
#: numbered above it, so an id never means two different events.
STREAM_FLOOR_KEY: Final = "stream.snapshot_floor"


_EVENTS_TOP_SQL: Final = (
    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'ticket_events'), 0),"
    " coalesce((SELECT max(id) FROM ticket_events), 0))"
)


def _events_top(path: Path) -> int:
    """The highest queue event id the database at `path` has used (0 when unreadable)."""
    if not path.is_file():
        return 0
    try:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            (top,) = conn.execute(_EVENTS_TOP_SQL).fetchone()
            return int(top)
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # a damaged database is why people restore; the floor then is the backup's


def _copy_verified(
    source: sqlite3.Connection,
    temp: Path,
    label: Path,
    *,
    restoring: bool = False,
    replaced_events_top: int = 0,
) -> None:
    """Copy `source` into `temp` page by page, check the copy and make it durable."""
    _remove(temp)
    target = sqlite3.connect(temp, isolation_level=None)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
        if restoring:
            # Part of the restore itself (no Store is open on the file yet): one row in the copy.
            (top,) = target.execute(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0),"
                " coalesce((SELECT max(seq) FROM outbox), 0))"
            ).fetchone()
            target.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (RESTORED_OUTBOX_TOP_KEY, str(top)),
            )
            _continue_event_ids(target, replaced_events_top)
        problems = quick_check(target)
        if problems:
            raise damaged_error(label, problems)
    finally:
        target.close()
    _fsync_file(temp)


def _continue_event_ids(target: sqlite3.Connection, replaced_top: int) -> None:
    """Number the restored database's next queue events above every id either timeline used,
    and record that floor (STREAM_FLOOR_KEY)."""
    (restored_top,) = target.execute(_EVENTS_TOP_SQL).fetchone()
    floor = max(int(restored_top), replaced_top)
    if target.execute("SELECT 1 FROM sqlite_sequence WHERE name = 'ticket_events'").fetchone():
        target.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'ticket_events'", (floor,))
    else:
        target.execute(
            "INSERT INTO sqlite_sequence (name, seq) VALUES ('ticket_events', ?)", (floor,)
        )
    target.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (STREAM_FLOOR_KEY, str(floor)),
    )


def backup_to(store: Store, path: Path, *, actor: str = "system") -> Path:
    """Write a verified copy of the office database to `path` (replaced if it exists)."""
    path = Path(path)
    if path.exists() and path.resolve() == store.path.resolve():
        raise StoreError("Không thể sao lưu cơ sở dữ liệu vào chính nó.", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + _TEMP_SUFFIX)
    try:
        _copy_verified(store.conn, temp, path)
        os.replace(temp, path)
        _fsync_dir(path.parent)
    except sqlite3.Error as error:
        _remove(temp)
        translated = environment_error(error, path)
        if translated is None:
            raise
        raise translated from error
    except BaseException:
        _remove(temp)
        raise
    with store.write(actor, "store.backup", target=str(path)):
        pass
    return path


def _open_source(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise StoreError(f"Không tìm thấy tệp sao lưu {path}.", path=str(path))
    uri = path.resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, isolation_level=None)


def check_backup(path: Path) -> int:
    """The schema version of a sound backup file, or StoreError saying why it cannot be used."""
    path = Path(path)
    conn = _open_source(path)
    try:
        return _check_source(conn, path)
    except sqlite3.Error as error:
        raise environment_error(error, path) or StoreError(
            f"Không đọc được tệp sao lưu {path}: {error}", path=str(path)
        ) from error
    finally:
        conn.close()


def _check_source(conn: sqlite3.Connection, path: Path) -> int:
    problems = quick_check(conn)
    if problems:
        raise damaged_error(path, problems)
    version = user_version(conn)
    if version > SCHEMA_VERSION:
        raise newer_schema_error(path, version)
    has_dossiers = conn.execute(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'dossiers'"
    ).fetchone()[0]
    if version < 1 or not has_dossiers:
        raise StoreError(
            f"Tệp {path} không phải bản sao lưu cơ sở dữ liệu của phần mềm Một Cửa.",
            path=str(path),
        )
    return version


def _set_aside_wal(target: Path) -> None:
    """Fold the target's WAL into it if possible; never let an old WAL meet the restored file."""
    wal = target.with_name(target.name + "-wal")
    shm = target.with_name(target.name + "-shm")
    if target.exists() and wal.exists():
        try:
            conn = sqlite3.connect(target, isolation_level=None)
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        except sqlite3.Error:
            pass  # a damaged target is why people restore; its WAL is set aside below
    if wal.exists() and wal.stat().st_size > 0:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        os.replace(wal, wal.with_name(f"{wal.name}.before-restore-{stamp}"))
    _remove(wal)
    _remove(shm)


def restore_from(path: Path, target_path: Path, *, keep_previous: bool = True) -> Path | None:
    """Replace the office database `target_path` with the backup `path`, after checking it.

    With `keep_previous`, the database being replaced stays next to it as
    `<name>.before-restore-<time>`; its path is returned (None when there was none).
    """
    path, target_path = Path(path), Path(target_path)
    check_backup(path)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    temp = target_path.with_name(target_path.name + _TEMP_SUFFIX)
    replaced_top = _events_top(target_path)
    source = _open_source(path)
    try:
        _copy_verified(source, temp, path, restoring=True, replaced_events_top=replaced_top)
    except sqlite3.Error as error:
        _remove(temp)
        raise environment_error(error, path) or StoreError(
            f"Không đọc được tệp sao lưu {path}: {error}", path=str(path)
        ) from error
    except BaseException:
        _remove(temp)
        raise
    finally:
        source.close()

    previous: Path | None = None
    if keep_previous and target_path.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        previous = target_path.with_name(f"{target_path.name}.before-restore-{stamp}")
        _set_aside_wal(target_path)
        try:
            os.link(target_path, previous)
        except OSError:
            previous = None  # no hard links here (e.g. FAT): the swap below is still atomic
    else:
        _set_aside_wal(target_path)
    try:
        os.replace(temp, target_path)
    except PermissionError as error:
        _remove(temp)
        raise StoreError(
            f"Không thay được tệp {target_path}: tệp đang được một chương trình khác mở. "
            "Hãy tắt phần mềm ở mọi máy đang dùng cơ sở dữ liệu này rồi thử lại.",
            path=str(target_path),
        ) from error
    _fsync_dir(target_path.parent)
    return previous


def restore_in_place(store: Store, path: Path) -> None:
    """Restore the backup `path` over the database of the open `store`, which stays the same
    object: its connection is closed, the file swapped (as `restore_from`, with no copy kept
    beside it: take a backup first), and a new connection opened, checked and migrated. Every
    service holding this Store keeps working. The caller makes sure nothing else uses the
    store meanwhile (the hub runs this on its database thread) and that no other connection
    is open on the file (the sync worker's)."""
    path = Path(path)
    check_backup(path)  # before closing anything: a bad file changes nothing
    store.conn.close()
    try:
        restore_from(path, store.path, keep_previous=False)
    finally:
        # Reopened whatever happened: the restored file, or the untouched old one.
        fresh = Store.open(store.path, clock=store.clock)
        store.conn, store.db = fresh.conn, fresh.db
