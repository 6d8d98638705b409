"""The hub's single database thread and its event fan-out.

SQLite is used from one thread only: every service call runs on `DbWorker`'s single thread, so
requests never interleave inside a transaction and the event loop never blocks on fsync. After a
write, `EventHub.publish_new` reads the queue events committed since the last one it sent and
hands each to every connected stream, in id order, exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

#: A slow display that lets this many events pile up is dropped; it reconnects and resumes.
SUBSCRIBER_BACKLOG = 1000
#: How many events one fetch returns at most (the engine's `events_since` default).
EVENT_BATCH = 500


class DbWorker:
    """Runs blocking store calls on one dedicated thread."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-db")

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(fn, *args, **kwargs))

    def close(self) -> None:
        self._executor.shutdown(wait=True)


class Subscriber:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(SUBSCRIBER_BACKLOG)


class EventHub:
    """Fans committed queue events out to the connected streams."""

    def __init__(self, fetch_since: Callable[[int], list[dict[str, Any]]], db: DbWorker) -> None:
        self._fetch_since = fetch_since
        self._db = db
        self._subscribers: set[Subscriber] = set()
        self._lock = asyncio.Lock()
        self._dirty = False
        self.last_id = 0

    async def start(self, last_id: int) -> None:
        self.last_id = last_id

    def subscribe(self) -> Subscriber:
        subscriber = Subscriber()
        self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    async def publish_new(self) -> None:
        """Send every event committed since the last one sent (serialised: no repeats).

        Calls that arrive while a fetch runs only mark the hub dirty: the running publisher
        fetches again before it stops, so one database round trip serves many writes.
        """
        self._dirty = True
        if self._lock.locked():
            return
        async with self._lock:
            while self._dirty:
                self._dirty = False
                await self._publish_batch()

    async def _publish_batch(self) -> None:
        events = await self._db.run(self._fetch_since, self.last_id)
        if len(events) >= EVENT_BATCH:
            self._dirty = True  # more are waiting: fetch again
        for event in events:
            self.last_id = max(self.last_id, int(event["id"]))
            for subscriber in list(self._subscribers):
                try:
                    subscriber.queue.put_nowait(event)
                except asyncio.QueueFull:
                    log.warning("event stream too slow, dropped; it will resume on reconnect")
                    self._subscribers.discard(subscriber)
                    subscriber.queue = asyncio.Queue(1)
                    subscriber.queue.put_nowait(None)

    async def close(self) -> None:
        for subscriber in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                subscriber.queue.put_nowait(None)
        self._subscribers.clear()
