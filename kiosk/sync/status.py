"""What staff see of the sync: "đã đồng bộ" or "chưa đồng bộ (N sự kiện, từ …)", and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from kiosk.store.db import Store
from kiosk.sync.state import (
    LAST_ERROR_AT_KEY,
    LAST_ERROR_KEY,
    LAST_SUCCESS_KEY,
    STATE_KEY,
    State,
    recorded_mark,
)
from kiosk.sync.worker import SyncWorker

_ALERTS = {
    State.AUTH_FAILED: "Đồng bộ đã dừng: máy chủ huyện từ chối xác thực. ",
    State.CONFLICT: "Đồng bộ đã dừng: dữ liệu trên máy chủ huyện xung đột với văn phòng. ",
    State.REFUSED: "Đồng bộ đã dừng: máy chủ huyện từ chối yêu cầu. ",
}


def _shown_time(iso: str) -> str:
    """'08:15 12/02/2026' from a stored ISO time (already in Vietnam's time)."""
    try:
        return f"{datetime.fromisoformat(iso):%H:%M %d/%m/%Y}"
    except ValueError:
        return iso


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """The sync as recorded in the office database."""

    synced: bool
    pending: int
    oldest_pending_at: str | None
    acked: int
    last_seq: int
    state: str | None
    last_success_at: str | None
    last_error: str | None
    last_error_at: str | None

    @property
    def label(self) -> str:
        """The one line shown in the hub status and on the admin screen."""
        if self.synced:
            return "đã đồng bộ"
        since = f", từ {_shown_time(self.oldest_pending_at)}" if self.oldest_pending_at else ""
        return f"chưa đồng bộ ({self.pending} sự kiện{since})"

    @property
    def alert(self) -> str | None:
        """A message that needs a person (the worker stopped), or None."""
        if self.state in _ALERTS:
            return _ALERTS[self.state] + (self.last_error or "")
        return None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["label"] = self.label
        data["alert"] = self.alert
        return data


def sync_status(store: Store) -> SyncStatus:
    """Read the sync status from the store (any connection; no network)."""
    acked = recorded_mark(store)
    # Range scans on the seq primary key: cheap however long the outbox grows.
    pending, oldest_seq = store.conn.execute(
        "SELECT count(*), min(seq) FROM outbox WHERE seq > ?", (acked,)
    ).fetchone()
    last_seq = store.conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0]
    oldest_at = None
    if oldest_seq is not None:
        row = store.conn.execute(
            "SELECT created_at FROM outbox WHERE seq = ?", (oldest_seq,)
        ).fetchone()
        oldest_at = str(row[0])
    return SyncStatus(
        synced=int(pending) == 0,
        pending=int(pending),
        oldest_pending_at=oldest_at,
        acked=acked,
        last_seq=int(last_seq),
        state=store.setting(STATE_KEY),
        last_success_at=store.setting(LAST_SUCCESS_KEY),
        last_error=store.setting(LAST_ERROR_KEY),
        last_error_at=store.setting(LAST_ERROR_AT_KEY),
    )


def hub_sync_status(store: Store, worker: SyncWorker | None) -> dict[str, Any]:
    """The "sync" part of the hub's /api/health: the recorded status and the live worker's."""
    data = sync_status(store).as_json()
    data["configured"] = worker is not None
    if worker is not None:
        live = worker.live
        data["worker"] = {
            "running": worker.running,
            "state": live.state,
            "message": live.message,
            "last_success_at": live.last_success_at,
            "last_error_at": live.last_error_at,
            "failures_in_a_row": live.failures_in_a_row,
        }
    return data
