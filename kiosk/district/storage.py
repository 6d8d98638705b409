"""The district server's one data layer: embedded SQLite (a file) or PostgreSQL (a URL).

Both backends run the same SQL, written with `?` placeholders (turned into `%s` for psycopg)
and only constructs both understand (`ON CONFLICT … DO UPDATE`, `excluded.`). Where they must
differ, the difference is named here and nowhere else: integer and strictness words in the
schema, and the row lock (`FOR UPDATE`) that serialises the pushes of one site on PostgreSQL,
where SQLite's `BEGIN IMMEDIATE` already serialises every write.

Connections come from a small pool: each request borrows one, runs its reads or its one write
transaction, and gives it back; a connection that failed is closed instead.
"""

from __future__ import annotations

import logging
import queue
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from kiosk.domain.errors import StoreError

log = logging.getLogger(__name__)

Dialect = Literal["sqlite", "postgresql"]
Row = tuple[Any, ...]

_IDLE_CONNECTIONS = 16
_MAX_PARAMS = 30_000  # PostgreSQL allows 65,535 parameters in one statement
_VALUES = re.compile(r"VALUES\s*\((\?(?:\s*,\s*\?)*)\)")
_BUSY_TIMEOUT_MS = 30_000


def is_postgres_url(target: str | Path) -> bool:
    text = str(target)
    return text.startswith(("postgresql://", "postgres://"))


class Conn:
    """One borrowed connection; SQL uses `?` placeholders in both dialects."""

    def __init__(self, raw: Any, dialect: Dialect) -> None:
        self.raw = raw
        self.dialect: Dialect = dialect

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgresql" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.raw.execute(self._sql(sql), tuple(params))

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return [tuple(row) for row in self.raw.execute(self._sql(sql), tuple(params)).fetchall()]

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row = self.raw.execute(self._sql(sql), tuple(params)).fetchone()
        return None if row is None else tuple(row)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run an `INSERT … VALUES (?, …) [ON CONFLICT …]` for every row.

        On PostgreSQL the rows go as multi-row VALUES statements (a few per batch): one
        statement per row costs a server round trip each, even pipelined. Rows of one call
        must not share a conflict key (the callers fold duplicates first).
        """
        if not rows:
            return
        if self.dialect == "sqlite":
            self.raw.executemany(sql, [tuple(r) for r in rows])
            return
        found = _VALUES.search(sql)
        if found is None:
            raise ValueError(f"executemany needs one VALUES (?, …) group: {sql}")
        import psycopg

        width = found.group(1).count("?")
        per_statement = max(1, _MAX_PARAMS // width)
        head, tail = sql[: found.start()], sql[found.end() :]
        # A raw cursor takes $n placeholders as they are: psycopg's client-side parsing of a
        # statement this long would cost more than the database's work.
        with psycopg.RawCursor(self.raw) as cursor:
            for start in range(0, len(rows), per_statement):
                chunk = rows[start : start + per_statement]
                values = ", ".join(
                    "(" + ", ".join(f"${i * width + j + 1}" for j in range(width)) + ")"
                    for i in range(len(chunk))
                )
                cursor.execute(
                    f"{head}VALUES {values}{tail}", [value for row in chunk for value in row]
                )

    def in_list(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """`column IN (…)` for these values: one array parameter on PostgreSQL."""
        if self.dialect == "postgresql":
            return f"{column} = ANY(?)", [list(values)]
        return f"{column} IN ({', '.join('?' * len(values))})", list(values)

    @property
    def for_update(self) -> str:
        """The row-lock suffix of a SELECT inside a write (SQLite locks the whole file)."""
        return " FOR UPDATE" if self.dialect == "postgresql" else ""


# --- schema --------------------------------------------------------------------------------

_INT8 = {"sqlite": "INTEGER", "postgresql": "BIGINT"}
_STRICT = {"sqlite": " STRICT", "postgresql": ""}

#: Each migration is a list of statements; {int8} and {strict} are filled in per dialect.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        # The secret is kept as is: the server recomputes each request's HMAC, which a hash of
        # the secret cannot do. The database is therefore as sensitive as a key file.
        """CREATE TABLE sites (
            site_id TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            secret TEXT NOT NULL,
            acked {int8} NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            last_push_at TEXT,
            revoked_at TEXT
        ){strict}""",
        # Every event a site sent, once: the primary key is the (site_id, seq) index.
        """CREATE TABLE events (
            site_id TEXT NOT NULL REFERENCES sites (site_id),
            seq {int8} NOT NULL,
            event_id TEXT NOT NULL,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (site_id, seq)
        ){strict}""",
        # Facts folded from the events in the push transaction, so statistics never rescan
        # the events. Days are Vietnam-local dates (YYYY-MM-DD).
        """CREATE TABLE dossier_facts (
            site_id TEXT NOT NULL,
            code TEXT NOT NULL,
            procedure_code TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            received_day TEXT,
            received_at TEXT,
            due_at TEXT,
            done_day TEXT,
            done_at TEXT,
            timeliness TEXT,
            last_seq {int8} NOT NULL,
            PRIMARY KEY (site_id, code)
        ){strict}""",
        "CREATE INDEX dossier_facts_received ON dossier_facts (received_day)",
        "CREATE INDEX dossier_facts_done ON dossier_facts (done_day)",
        """CREATE TABLE ticket_facts (
            site_id TEXT NOT NULL,
            ticket_id {int8} NOT NULL,
            day TEXT NOT NULL,
            issued_at TEXT,
            first_called_at TEXT,
            wait_seconds {int8},
            status TEXT NOT NULL DEFAULT '',
            last_seq {int8} NOT NULL,
            PRIMARY KEY (site_id, ticket_id)
        ){strict}""",
        "CREATE INDEX ticket_facts_day ON ticket_facts (day)",
        """CREATE TABLE rating_facts (
            site_id TEXT NOT NULL,
            seq {int8} NOT NULL,
            day TEXT NOT NULL,
            level TEXT NOT NULL,
            counter_number {int8},
            PRIMARY KEY (site_id, seq)
        ){strict}""",
        "CREATE INDEX rating_facts_day ON rating_facts (day)",
        """CREATE TABLE event_counts (
            site_id TEXT NOT NULL,
            day TEXT NOT NULL,
            type TEXT NOT NULL,
            n {int8} NOT NULL,
            PRIMARY KEY (site_id, day, type)
        ){strict}""",
        # A seq offered again with other content: kept for the district officer to see.
        """CREATE TABLE conflicts (
            site_id TEXT NOT NULL,
            seq {int8} NOT NULL,
            offered_hash TEXT NOT NULL,
            stored_hash TEXT,
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            times {int8} NOT NULL,
            PRIMARY KEY (site_id, seq, offered_hash)
        ){strict}""",
        """CREATE TABLE snapshots (
            kind TEXT NOT NULL,
            version {int8} NOT NULL,
            etag TEXT NOT NULL,
            digest TEXT NOT NULL,
            body TEXT NOT NULL,
            published_at TEXT NOT NULL,
            published_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (kind, version)
        ){strict}""",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)


# --- the database ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    dialect: Dialect
    where: str  # a file path or a URL

    @property
    def shown(self) -> str:
        """The target without a password, for logs and messages."""
        if self.dialect == "sqlite":
            return self.where
        head, at, tail = self.where.rpartition("@")
        if not at:
            return self.where
        scheme, _, user = head.partition("://")
        return f"{scheme}://{user.split(':', 1)[0]}@{tail}"


class Database:
    """The district database; open with `Database.open(path_or_url)`, close when done."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.dialect: Dialect = target.dialect
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._closed = False

    @classmethod
    def open(cls, target: str | Path) -> Database:
        """Open (creating and migrating the schema) a SQLite file or a PostgreSQL URL."""
        if is_postgres_url(target):
            database = cls(Target("postgresql", str(target)))
        else:
            path = Path(target).expanduser()
            path.parent.mkdir(parents=True, exist_ok=True)
            database = cls(Target("sqlite", str(path)))
        try:
            database._migrate()
        except BaseException:
            database.close()
            raise
        return database

    def _connect(self) -> Any:
        if self.dialect == "postgresql":
            import psycopg

            try:
                return psycopg.connect(self.target.where, autocommit=True)
            except psycopg.OperationalError as exc:
                raise StoreError(
                    f"Không kết nối được cơ sở dữ liệu PostgreSQL {self.target.shown}: {exc}"
                ) from None
        try:
            raw = sqlite3.connect(self.target.where, isolation_level=None, check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"Không mở được cơ sở dữ liệu {self.target.shown}: {exc}") from None
        raw.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA synchronous = FULL")
        raw.execute("PRAGMA foreign_keys = ON")
        return raw

    @contextmanager
    def _borrow(self) -> Iterator[Conn]:
        if self._closed:
            raise RuntimeError("the district database is closed")
        try:
            raw = self._idle.get_nowait()
        except queue.Empty:
            raw = self._connect()
        healthy = False
        try:
            yield Conn(raw, self.dialect)
            healthy = True
        finally:
            if healthy and not self._closed and self._idle.qsize() < _IDLE_CONNECTIONS:
                self._idle.put(raw)
            else:
                raw.close()

    @contextmanager
    def read(self) -> Iterator[Conn]:
        """A connection for reads (each statement sees committed data)."""
        with self._borrow() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Conn]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        with self._borrow() as conn:
            if self.dialect == "postgresql":
                with conn.raw.transaction():
                    yield conn
                return
            conn.raw.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.raw.execute("ROLLBACK")
                raise
            conn.raw.execute("COMMIT")

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- schema ------------------------------------------------------------------------------

    def _migrate(self) -> None:
        with self.write() as conn:
            if self.dialect == "postgresql":
                # Two servers starting at once must not both create the tables.
                conn.execute("SELECT pg_advisory_xact_lock(7202604)")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                f"(version {_INT8[self.dialect]} PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            row = conn.one("SELECT max(version) FROM schema_migrations")
            current = int(row[0]) if row and row[0] is not None else 0
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"Cơ sở dữ liệu {self.target.shown} thuộc phiên bản mới hơn của phần mềm "
                    f"(lược đồ {current} > {SCHEMA_VERSION}): hãy cập nhật phần mềm."
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version - 1]:
                    conn.execute(
                        statement.format(int8=_INT8[self.dialect], strict=_STRICT[self.dialect])
                    )
                conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, datetime.now(UTC).isoformat(timespec="seconds")),
                )
                log.info("district schema migrated to %d on %s", version, self.target.shown)
