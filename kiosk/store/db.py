"""The office database: opening, checking and migrating it, and the one way to write to it.

SQLite settings (ARCHITECTURE.md, PITFALLS.md): WAL, `synchronous=FULL` (NORMAL can lose the
last commits on power loss), foreign keys on, a busy timeout, STRICT tables. The connection is
in autocommit mode (`isolation_level=None`): the sqlite3 module never opens a transaction on its
own; `Store.write` opens one with `BEGIN IMMEDIATE`, so a write never meets SQLITE_BUSY halfway
(a deferred transaction that reads then writes gets BUSY at once, without waiting).

Never hold a write transaction across network I/O or printing: fetch or render first, write in
one short `with store.write(...)` block, then send or print after the commit.

Schema versions are numbered SQL files in `migrations/` (`0001_initial.sql`, ...); `PRAGMA
user_version` is the version of a database. Each missing migration runs in its own transaction
when the store is opened; a database newer than this code is refused.

Two schemas use this store: the office's (`OFFICE`, the hub's database) and a counter PC's own
print-job file (`COUNTER_PRINTS`, `migrations_counter/`), which holds nothing of the office.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Final

import sqlite_utils

from kiosk.clock import Clock, system_clock
from kiosk.domain.errors import StoreError
from kiosk.store.tx import WriteTx

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS: Final = 5000
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(folder_name: str = "migrations") -> list[Migration]:
    """The schema steps shipped with this code, in order; numbers must run 1, 2, 3 ... gap-free."""
    folder = resources.files("kiosk.store").joinpath(folder_name)
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations are not numbered 1..n: {[m.name for m in found]}")
    return found


@dataclass(frozen=True)
class Schema:
    """One kind of database this store opens: its name for people, its migrations, and its
    `PRAGMA application_id` (0 for the office database, which predates the marker)."""

    label: str
    migrations: tuple[Migration, ...]
    application_id: int = 0

    @property
    def version(self) -> int:
        return self.migrations[-1].version


MIGRATIONS: Final = load_migrations()
SCHEMA_VERSION: Final = MIGRATIONS[-1].version
OFFICE: Final = Schema("cơ sở dữ liệu văn phòng", tuple(MIGRATIONS))
#: A counter PC's print jobs (kiosk.ui.counter.prints), "KPJ1".
COUNTER_PRINTS: Final = Schema(
    "tệp bản in của máy quầy", tuple(load_migrations("migrations_counter")), 0x4B504A31
)


def environment_error(error: sqlite3.Error, path: Path) -> StoreError | None:
    """The user-facing error for a failure of the environment (disk, file, lock), else None.

    Anything else (a constraint, a typo in SQL) is a bug or a rule the caller must check first,
    and is left to propagate as it is.
    """
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error).lower()
    if name == "SQLITE_FULL" or "database or disk is full" in text:
        message = (
            f"Ổ đĩa đã đầy, không ghi được vào cơ sở dữ liệu {path}. "
            "Hãy giải phóng dung lượng ổ đĩa rồi thử lại."
        )
    elif name.startswith("SQLITE_READONLY") or "readonly database" in text:
        message = (
            f"Không ghi được vào cơ sở dữ liệu {path}: tệp hoặc thư mục chỉ cho phép đọc. "
            "Hãy kiểm tra quyền ghi của thư mục dữ liệu."
        )
    elif name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED") or "locked" in text:
        message = (
            f"Cơ sở dữ liệu {path} đang bận (một chương trình khác đang ghi). "
            "Hãy thử lại sau giây lát."
        )
    elif name == "SQLITE_NOTADB" or "not a database" in text:
        message = (
            f"Tệp {path} không phải là cơ sở dữ liệu của phần mềm hoặc đã hỏng nặng. "
            "Hãy kiểm tra đường dẫn, hoặc khôi phục từ một bản sao lưu."
        )
    elif name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        message = (
            f"Tệp cơ sở dữ liệu {path} bị hỏng. Hãy khôi phục từ một bản sao lưu "
            "(lệnh 'kiosk restore')."
        )
    elif name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        message = (
            f"Không mở được tệp cơ sở dữ liệu {path}. "
            "Hãy kiểm tra đường dẫn và quyền truy cập thư mục."
        )
    elif name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        message = (
            f"Lỗi đọc/ghi ổ đĩa với cơ sở dữ liệu {path}. "
            "Hãy kiểm tra ổ đĩa; nếu lỗi lặp lại, khôi phục từ một bản sao lưu."
        )
    else:
        return None
    return StoreError(message, path=str(path), sqlite_error=name or str(error))


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """Problems found by `PRAGMA quick_check` (empty when the file is sound)."""
    rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
    if rows == ["ok"]:
        return []
    return [r.replace("*** in database main ***", "").strip() for r in rows]


def damaged_error(path: Path, problems: list[str]) -> StoreError:
    shown = "; ".join(problems[:3]) + (" ..." if len(problems) > 3 else "")
    return StoreError(
        f"Tệp cơ sở dữ liệu {path} bị hỏng ({shown}). "
        "Hãy khôi phục từ một bản sao lưu (lệnh 'kiosk restore').",
        path=str(path),
        problems=problems,
    )


def newer_schema_error(path: Path, found: int, known: int = SCHEMA_VERSION) -> StoreError:
    return StoreError(
        f"Cơ sở dữ liệu được tạo bởi phiên bản mới hơn (lược đồ {found}, phần mềm hiểu đến "
        f"{known}). Hãy cập nhật phần mềm.",
        path=str(path),
        found=found,
        known=known,
    )


def application_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA application_id").fetchone()[0])


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _connect(path: Path) -> sqlite3.Connection:
    # check_same_thread=False: the hub may hand the store to worker threads; Store.write's lock
    # keeps their writes apart (see Store).
    conn = sqlite3.connect(
        path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(
                f"Không bật được chế độ WAL cho cơ sở dữ liệu {path} (đang là '{mode}'). "
                "Hãy đặt thư mục dữ liệu trên ổ đĩa của máy, không phải ổ mạng.",
                path=str(path),
            )
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection, path: Path, schema: Schema = OFFICE) -> int:
    """Bring the schema up to date; returns the version found before migrating."""
    found = user_version(conn)
    if found and application_id(conn) != schema.application_id:
        raise StoreError(
            f"Tệp {path} không phải {schema.label}: hãy chọn đúng tệp.", path=str(path)
        )
    if found > schema.version:
        raise newer_schema_error(path, found, schema.version)
    if found == 0:
        objects = conn.execute(
            "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
        if objects:
            raise StoreError(
                f"Tệp {path} là một cơ sở dữ liệu SQLite khác, không phải của phần mềm Một Cửa. "
                "Hãy chọn một tệp khác.",
                path=str(path),
            )
    for migration in schema.migrations[found:]:
        # The script carries its own BEGIN/COMMIT: executescript() would otherwise commit
        # statement by statement, and a failed step must leave the previous version intact.
        script = (
            "BEGIN IMMEDIATE;\n"
            f"{migration.sql}\n;\n"
            f"PRAGMA user_version = {migration.version};\n"
            "COMMIT;"
        )
        try:
            conn.executescript(script)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        log.info("store %s migrated to schema %d (%s)", path, migration.version, migration.name)
    return found


class Store:
    """An open office database: `store.conn` (sqlite3) and `store.db` (sqlite-utils) for reads,
    `store.write(...)` for every write.

    One Store is one connection. It may be shared between threads (the write lock keeps writes
    apart), but a read on one thread during another thread's write sees that write's uncommitted
    rows; the hub serialises its work or gives each worker its own Store.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, clock: Clock) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        self.clock = clock
        self._write_lock = threading.Lock()
        self._writer: int | None = None

    @classmethod
    def open(cls, path: Path, *, clock: Clock | None = None, schema: Schema = OFFICE) -> Store:
        """Open (creating if needed), check and migrate the database at `path` (the office's
        unless `schema` says another kind)."""
        path = Path(path)
        if path.exists() and path.is_dir():
            raise StoreError(
                f"{path} là một thư mục, không phải tệp cơ sở dữ liệu.", path=str(path)
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(path)
            problems = quick_check(conn)
            if problems:
                raise damaged_error(path, problems)
            _migrate(conn, path, schema)
        except sqlite3.Error as error:
            if conn is not None:
                conn.close()
            translated = environment_error(error, path)
            if translated is None:
                raise
            raise translated from error
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        return cls(path, conn, clock or system_clock)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def now(self) -> datetime:
        """The injected clock's time, which must be tz-aware."""
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError(f"the store's clock returned a naive datetime {moment!r}")
        return moment

    @property
    def schema_version(self) -> int:
        return user_version(self.conn)

    @property
    def site_id(self) -> str:
        row = self.conn.execute("SELECT value FROM settings WHERE key = 'site_id'").fetchone()
        return str(row[0])

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else str(row[0])

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Rows of a read-only query as dicts."""
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    @contextmanager
    def write(
        self,
        actor: str,
        action: str,
        *,
        target: str = "",
        details: Mapping[str, Any] | None = None,
    ) -> Iterator[WriteTx]:
        """One write: `BEGIN IMMEDIATE`, the caller's rows and outbox events, one audit row, COMMIT.

        Any exception rolls everything back and is re-raised (environment failures such as a full
        disk become a StoreError). Nesting is a bug and raises RuntimeError. Do no network I/O
        inside the block.
        """
        me = threading.get_ident()
        if self._writer == me:
            raise RuntimeError("store.write() is not reentrant: pass the open WriteTx instead")
        with self._write_lock:
            self._writer = me
            try:
                yield from self._transaction(actor, action, target, details)
            finally:
                self._writer = None

    def _transaction(
        self, actor: str, action: str, target: str, details: Mapping[str, Any] | None
    ) -> Iterator[WriteTx]:
        now = self.now()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            translated = environment_error(error, self.path)
            if translated is None:
                raise
            raise translated from error
        tx = WriteTx(self.conn, now=now, actor=actor, action=action, target=target, details=details)
        try:
            yield tx
            tx._write_audit()
            self.conn.execute("COMMIT")
        except BaseException as error:
            tx._close()
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                translated = environment_error(error, self.path)
                if translated is not None:
                    raise translated from error
            raise
        finally:
            tx._close()
