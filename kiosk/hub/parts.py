"""The parts of a hub made from the office's settings: the queue engine with its groups and
counters, and the sync worker (restarted when the district address changes or after a restore).

Below `kiosk.hub.app` and the routes: they and `kiosk.hub.server` all use these.
"""

from __future__ import annotations

import logging
import threading

from kiosk.clock import Clock, system_clock
from kiosk.config import Settings
from kiosk.hub.deps import Hub
from kiosk.office import Office
from kiosk.paths import Paths
from kiosk.queue import Counter, Group, QueueEngine
from kiosk.sync.worker import SyncWorker, worker_for

log = logging.getLogger(__name__)

_sync_restarts = threading.Lock()


def queue_engine(office: Office) -> QueueEngine:
    """The queue engine with this office's settings, its groups and counters configured."""
    settings = office.settings
    engine = QueueEngine(
        office.store,
        day_start=settings.day_start,
        priority_mode=settings.priority_mode.value,
        priority_every=settings.priority_every,
        max_recalls_before_no_show=settings.max_recalls,
    )
    engine.configure(*queue_specs(settings), actor="system:hub")
    return engine


def queue_specs(settings: Settings) -> tuple[list[Group], list[Counter]]:
    """The settings' groups and counters, as the queue engine is configured with them."""
    return list(settings.groups), list(settings.counters)


def restart_sync(
    hub: Hub,
    paths: Paths | None = None,
    settings: Settings | None = None,
    *,
    clock: Clock = system_clock,
) -> SyncWorker | None:
    """Stop the hub's sync worker and start the one the settings call for (the district address
    changed, a restore); returns the new worker, None when sync is not configured. Without
    `paths`/`settings`, the hub's own, read under the lock so the last change wins. Blocks while
    the old worker finishes its current request: call it off the event loop."""
    with _sync_restarts:  # two saves in a row must not leave two workers running
        settings = settings or hub.office.settings
        old = hub.sync
        if old is not None:
            old.stop()
        worker = worker_for(paths or hub.office.paths, settings, clock=clock)
        hub.sync = worker
        if worker is not None:
            worker.start()
    log.info("sync worker restarted for %s", settings.district_url or "(none)")
    return worker
