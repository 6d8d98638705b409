"""The site's side of the sync, in its own database: the mark, the outbox, the last outcome.

Everything lives in the `settings` table under `sync.*` keys (no migration needed) and is written
through `store.write`. The outbox is only ever read here: its rows are kept after they are
acknowledged, so a server restored from an old backup can be sent them again.

The mark is the highest seq the server said it holds gap-free. Adopting a mark (`adopt_mark`)
also covers a site restored from an old backup: when the server holds seqs beyond the last one
this database ever issued, the outbox AUTOINCREMENT counter is raised past them, so new events
never reuse a seq the server already has under other content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kiosk.store.backup import RESTORED_OUTBOX_TOP_KEY
from kiosk.store.db import Store
from kiosk.store.tx import WriteTx
from kiosk.sync.client import OutboxEvent

ACTOR: Final = "system:sync"

MARK_KEY: Final = "sync.acked"
STATE_KEY: Final = "sync.state"
LAST_SUCCESS_KEY: Final = "sync.last_success_at"
LAST_ERROR_KEY: Final = "sync.last_error"
LAST_ERROR_AT_KEY: Final = "sync.last_error_at"
CATALOGUE_ETAG_KEY: Final = "sync.catalogue_etag"
CALENDAR_ETAG_KEY: Final = "sync.calendar_etag"


class State:
    """The worker's state as shown to staff (values of `sync.state`)."""

    OK: Final = "ok"
    OFFLINE: Final = "offline"
    AUTH_FAILED: Final = "auth_failed"
    CONFLICT: Final = "conflict"
    REFUSED: Final = "refused"

    STOPPED: Final = frozenset({AUTH_FAILED, CONFLICT, REFUSED})


def set_setting(tx: WriteTx, key: str, value: str | None) -> None:
    if value is None:
        tx.execute("DELETE FROM settings WHERE key = ?", (key,))
    else:
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def recorded_mark(store: Store) -> int:
    """The mark this site recorded last (0 before its first sync)."""
    return int(store.setting(MARK_KEY, "0") or 0)


def outbox_counter(store: Store) -> int:
    """The highest seq this database ever issued (the AUTOINCREMENT counter, not max(seq))."""
    row = store.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
    counter = int(row[0]) if row else 0
    top = store.conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0]
    return max(counter, int(top))


def pending_events(store: Store, after: int, limit: int) -> list[OutboxEvent]:
    """Outbox rows after seq `after`, in seq order."""
    rows = store.conn.execute(
        "SELECT seq, event_id, type, payload, hash, created_at FROM outbox "
        "WHERE seq > ? ORDER BY seq LIMIT ?",
        (after, limit),
    ).fetchall()
    return [OutboxEvent(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class Adopted:
    """What adopting a server mark changed."""

    mark: int
    previous: int
    raised_counter_to: int | None

    @property
    def server_behind(self) -> bool:
        """The server holds less than it once acknowledged: it was restored from a backup."""
        return self.mark < self.previous


def adopt_mark(store: Store, mark: int, *, success: bool = True) -> Adopted:
    """Record the server's mark (which may be lower than ours: we then resend from it) and
    raise the outbox counter past it when the server holds seqs this database never issued."""
    with store.write(ACTOR, "sync.mark", target=str(mark)) as tx:
        previous = int(
            (
                tx.execute("SELECT value FROM settings WHERE key = ?", (MARK_KEY,)).fetchone()
                or ("0",)
            )[0]
        )
        _renumber_after_restore(tx, mark)
        counter_row = tx.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
        top = tx.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0]
        counter = max(int(counter_row[0]) if counter_row else 0, int(top))
        raised: int | None = None
        if mark > counter:
            if counter_row is None:
                tx.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)", (mark,))
            else:
                tx.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'", (mark,))
            raised = mark
            tx.details["raised_outbox_counter_to"] = mark
        tx.details.update({"previous": previous})
        set_setting(tx, MARK_KEY, str(mark))
        if success:
            _mark_success(tx)
    return Adopted(mark, previous, raised)


def _renumber_after_restore(tx: WriteTx, mark: int) -> None:
    """After a restore from a backup, move the events made since (seq > the backup's counter)
    past the server's mark, keeping their order: the server's seqs up to `mark` include the
    lost timeline, which it keeps. An event's hash does not include its seq, so nothing else
    changes; nothing is lost or doubled."""
    row = tx.execute(
        "SELECT value FROM settings WHERE key = ?", (RESTORED_OUTBOX_TOP_KEY,)
    ).fetchone()
    if row is None:
        return
    restored_top = int(row[0])
    shift = mark - restored_top
    if shift > 0:
        # Two steps, so no seq ever meets a row that still holds it (PRIMARY KEY).
        tx.execute("UPDATE outbox SET seq = -seq WHERE seq > ?", (restored_top,))
        moved = tx.execute("UPDATE outbox SET seq = -seq + ? WHERE seq < 0", (shift,)).rowcount
        (top,) = tx.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()
        tx.execute(
            "UPDATE sqlite_sequence SET seq = max(seq + ?, ?) WHERE name = 'outbox'",
            (shift, int(top)),
        )
        tx.details["renumbered_after_restore"] = {"events": moved, "shift": shift}
    tx.execute("DELETE FROM settings WHERE key = ?", (RESTORED_OUTBOX_TOP_KEY,))


def _mark_success(tx: WriteTx) -> None:
    set_setting(tx, STATE_KEY, State.OK)
    set_setting(tx, LAST_SUCCESS_KEY, tx.now_iso)
    set_setting(tx, LAST_ERROR_KEY, None)
    set_setting(tx, LAST_ERROR_AT_KEY, None)


def record_success(store: Store) -> None:
    """The server answered and the site is up to date with it."""
    with store.write(ACTOR, "sync.ok") as tx:
        _mark_success(tx)


def record_failure(store: Store, state: str, message: str) -> None:
    """Remember the last error (written only when it differs from the one recorded)."""
    if store.setting(STATE_KEY) == state and store.setting(LAST_ERROR_KEY) == message:
        return
    with store.write(ACTOR, "sync.error", details={"state": state, "message": message}) as tx:
        set_setting(tx, STATE_KEY, state)
        set_setting(tx, LAST_ERROR_KEY, message)
        set_setting(tx, LAST_ERROR_AT_KEY, tx.now_iso)
