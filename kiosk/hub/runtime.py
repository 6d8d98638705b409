"""The hub's single database thread and its event fan-out.

SQLite is used from one thread only: every service call runs on `DbWorker`'s single thread, so
requests never interleave inside a transaction and the event loop never blocks on fsync. After a
write, `EventHub.collect` reads, on that same thread, the queue events it committed and hands
them to every connected stream, in id order, exactly once.

Other connections write events too (the sync worker's puller in this process, `kiosk catalog
import` on the hub PC): `EventHub.watch` collects every `WATCH_SECONDS` on the same thread, so
their notices reach the screens within seconds even when nothing else happens in the office.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

#: A slow display that lets this many events pile up is dropped; it reconnects and resumes.
SUBSCRIBER_BACKLOG = 1000
#: How many events one fetch returns at most (the engine's `events_since` default).
EVENT_BATCH = 500
#: How often the hub looks for events committed by another connection: one primary-key range
#: read that finds nothing almost always.
WATCH_SECONDS = 2.0


class DbWorker:
    """Runs blocking store calls on one dedicated thread."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-db")

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(fn, *args, **kwargs))

    def close(self) -> None:
        self._executor.shutdown(wait=True)


@dataclass(frozen=True, slots=True)
class Published:
    """One event as it goes on the wire, encoded once for every stream."""

    id: int
    text: str


def stream_message(event: dict[str, Any]) -> Published:
    message = {"type": "event", "event": event, "id": event["id"]}
    return Published(int(event["id"]), json.dumps(message, ensure_ascii=False))


#: Close codes of the event stream (WebSocket codes 4000-4999 are the application's).
CLOSE_RESUME = 4000  # reconnect and resume after the last id seen
CLOSE_RESTORED = 4002  # the database was restored: reconnect without `after` (a snapshot)


class Subscriber:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[Published | None] = asyncio.Queue(SUBSCRIBER_BACKLOG)
        #: Why the stream ends when `None` arrives on the queue.
        self.close_code = CLOSE_RESUME


class EventHub:
    """Fans committed queue events out to the connected streams, in id order, once each.

    Events are read on the database thread right after the write that made them and handed to
    the event loop with `call_soon_threadsafe`, which keeps the database thread's order: no
    second round trip, and no event can overtake another.
    """

    def __init__(self, fetch_since: Callable[[int], list[dict[str, Any]]]) -> None:
        self._fetch_since = fetch_since
        self._subscribers: set[Subscriber] = set()
        self._db_last_id = 0  # only touched on the database thread
        self.last_id = 0  # only touched on the event loop
        #: Resume ids up to this one may belong to a timeline a restore replaced: such a
        #: client gets a snapshot instead of a replay (kiosk.store.backup.STREAM_FLOOR_KEY).
        self.snapshot_floor = 0

    def start(self, last_id: int, snapshot_floor: int = 0) -> None:
        self._db_last_id = self.last_id = max(last_id, snapshot_floor)
        self.snapshot_floor = snapshot_floor

    def needs_snapshot(self, after: int) -> bool:
        """Whether a client resuming after `after` must start over from a snapshot: its id is
        from before a restore, or above anything this hub has sent (the database was restored
        while the hub was stopped). A snapshot is always correct, only larger."""
        return after <= self.snapshot_floor or after > self.last_id

    def restart_on_db_thread(self, last_id: int) -> None:
        """On the database thread, right after a restore: continue from the restored ids."""
        self._db_last_id = last_id

    def restored(self, snapshot_floor: int) -> None:
        """On the event loop, after a restore: ids up to `snapshot_floor` are history now, and
        every stream closes with CLOSE_RESTORED so its screen starts over from a snapshot."""
        self.snapshot_floor = max(self.snapshot_floor, snapshot_floor)
        self.last_id = max(self.last_id, snapshot_floor)
        self.close(CLOSE_RESTORED)

    def subscribe(self) -> Subscriber:
        subscriber = Subscriber()
        self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def collect(self, loop: asyncio.AbstractEventLoop) -> None:
        """On the database thread, after a write: send what it committed to the loop."""
        while True:
            events = self._fetch_since(self._db_last_id)
            if not events:
                return
            self._db_last_id = int(events[-1]["id"])
            loop.call_soon_threadsafe(self._deliver, [stream_message(e) for e in events])
            if len(events) < EVENT_BATCH:
                return

    async def watch(self, db: DbWorker, interval: float = WATCH_SECONDS) -> None:
        """Until cancelled: every `interval`, collect on the database thread what other
        connections committed.

        Still once each and in order: `collect` only ever runs on the database thread and
        moves one mark forward, and ids (AUTOINCREMENT, assigned inside `BEGIN IMMEDIATE`
        writes, which SQLite runs one at a time across connections) grow in commit order, so
        no event with a smaller id can be committed after one this hub has already read.
        """
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(interval)
            try:
                await db.run(self.collect, loop)
            except Exception:  # a busy or restored database: try again at the next tick
                log.exception("event watch: collecting failed")

    def _deliver(self, batch: list[Published]) -> None:
        for published in batch:
            self.last_id = max(self.last_id, published.id)
            for subscriber in list(self._subscribers):
                try:
                    subscriber.queue.put_nowait(published)
                except asyncio.QueueFull:
                    log.warning("event stream too slow, dropped; it will resume on reconnect")
                    self._subscribers.discard(subscriber)
                    subscriber.queue = asyncio.Queue(1)
                    subscriber.queue.put_nowait(None)

    def close(self, code: int = CLOSE_RESUME) -> None:
        """End every stream (each closes with `code`); new ones may connect afterwards."""
        for subscriber in list(self._subscribers):
            subscriber.close_code = code
            with contextlib.suppress(asyncio.QueueFull):
                subscriber.queue.put_nowait(None)
                continue
            # A full queue (a slow screen): make room for the end marker, it resumes anyway.
            subscriber.queue = asyncio.Queue(1)
            subscriber.queue.put_nowait(None)
        self._subscribers.clear()
