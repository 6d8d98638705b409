"""The hub's single database thread and its event fan-out.

SQLite is used from one thread only: every service call runs on `DbWorker`'s single thread, so
requests never interleave inside a transaction and the event loop never blocks on fsync. After a
write, `EventHub.collect` reads, on that same thread, the queue events it committed and hands
them to every connected stream, in id order, exactly once.
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


class Subscriber:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[Published | None] = asyncio.Queue(SUBSCRIBER_BACKLOG)


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

    def start(self, last_id: int) -> None:
        self._db_last_id = self.last_id = last_id

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

    def close(self) -> None:
        for subscriber in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                subscriber.queue.put_nowait(None)
        self._subscribers.clear()
