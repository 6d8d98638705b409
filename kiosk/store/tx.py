"""The write transaction: business rows, outbox events and one audit row, committed together.

A `WriteTx` is only ever made by `Store.write` (see `kiosk.store.db`), which runs
`BEGIN IMMEDIATE` before handing it out and `COMMIT`/`ROLLBACK` after. Code that writes receives
a `WriteTx` and never starts or ends a transaction itself.

Outbox events are what the sync worker pushes to the district server. Their integrity hash is
`sha256(canonical_json({"event_id": …, "type": …, "payload": …}))` in hex, where
`canonical_json` sorts keys, keeps non-ASCII text as is and uses no spaces; the district server
recomputes it with `event_hash` to detect a seq re-sent with different content.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from kiosk.clock import VN_TZ

SqlParams = Sequence[Any] | Mapping[str, Any]


def to_iso(moment: datetime) -> str:
    """A tz-aware time as stored: ISO 8601 in Vietnam's time, to the second, with offset."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: the store keeps only tz-aware times")
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds")


def canonical_json(value: object) -> str:
    """JSON in the one form that is hashed and stored: sorted keys, UTF-8 text, no spaces."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def event_hash(event_id: str, event_type: str, payload: Mapping[str, Any]) -> str:
    """The outbox integrity hash of one event (hex sha256 of its canonical JSON)."""
    document = {"event_id": event_id, "type": event_type, "payload": payload}
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def quote_identifier(name: str) -> str:
    """A table or column name quoted for SQL (names come from code, never from users)."""
    return '"' + name.replace('"', '""') + '"'


class WriteTx:
    """An open `BEGIN IMMEDIATE` transaction; usable only inside its `with store.write(...)`."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        now: datetime,
        actor: str,
        action: str,
        target: str,
        details: Mapping[str, Any] | None,
    ) -> None:
        self.conn = conn
        #: The time of this write, read once from the store's clock: every row shares it.
        self.now = now
        self.actor = actor
        self.action = action
        #: What the audit row names (e.g. a dossier code); repos may fill it in when it is
        #: only known inside the transaction.
        self.target = target
        #: Extra audit details; callers and repos may add keys before commit.
        self.details: dict[str, Any] = dict(details or {})
        self.events: list[int] = []
        self._open = True

    @property
    def now_iso(self) -> str:
        return to_iso(self.now)

    def _check_open(self) -> None:
        if not self._open:
            raise RuntimeError("this write transaction is already finished")

    def execute(self, sql: str, params: SqlParams = ()) -> sqlite3.Cursor:
        """Run one statement inside the transaction (reads are fine too)."""
        self._check_open()
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[SqlParams]) -> sqlite3.Cursor:
        self._check_open()
        return self.conn.executemany(sql, rows)

    def insert(self, table: str, row: Mapping[str, Any]) -> int:
        """Insert one row and return its rowid."""
        columns = ", ".join(quote_identifier(c) for c in row)
        marks = ", ".join("?" for _ in row)
        cursor = self.execute(
            f"INSERT INTO {quote_identifier(table)} ({columns}) VALUES ({marks})",
            tuple(row.values()),
        )
        rowid = cursor.lastrowid
        assert rowid is not None
        return rowid

    def emit(self, event_type: str, payload: Mapping[str, Any]) -> int:
        """Append an event to the outbox and return its seq (never reused, AUTOINCREMENT)."""
        event_id = uuid.uuid4().hex
        cursor = self.execute(
            "INSERT INTO outbox (site_id, event_id, type, payload, hash, created_at) VALUES ("
            "(SELECT value FROM settings WHERE key = 'site_id'), ?, ?, ?, ?, ?)",
            (
                event_id,
                event_type,
                canonical_json(payload),
                event_hash(event_id, event_type, payload),
                self.now_iso,
            ),
        )
        seq = cursor.lastrowid
        assert seq is not None
        self.events.append(seq)
        return seq

    def _write_audit(self) -> None:
        self.execute(
            "INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)",
            (self.now_iso, self.actor, self.action, self.target, canonical_json(self.details)),
        )

    def _close(self) -> None:
        self._open = False
