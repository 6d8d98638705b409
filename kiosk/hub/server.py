"""Starting the hub: the office, the queue engine configured from settings, the first admin."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from kiosk.clock import Clock, system_clock
from kiosk.config import Settings
from kiosk.hub import auth
from kiosk.hub.app import Hub, create_app
from kiosk.office import Office
from kiosk.paths import Paths
from kiosk.queue import CounterSpec, QueueEngine, ServiceGroupSpec
from kiosk.sync.worker import SyncWorker, worker_for

log = logging.getLogger(__name__)

ADMIN_TOKEN_FILE = "admin-token.txt"
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


def queue_specs(settings: Settings) -> tuple[list[ServiceGroupSpec], list[CounterSpec]]:
    groups = [ServiceGroupSpec(g.prefix, g.name, g.fields) for g in settings.groups]
    counters = [CounterSpec(c.number, c.name, c.groups) for c in settings.counters]
    return groups, counters


def ensure_admin_token(office: Office, paths: Paths) -> Path | None:
    """On first start, register the hub's own admin device and leave its token in a file that
    only this user can read; returns that file's path when it was just written."""
    active = office.store.conn.execute(
        "SELECT count(*) FROM devices WHERE role = 'admin' AND revoked_at IS NULL"
    ).fetchone()[0]
    if active:
        return None
    _, token = auth.register_device(
        office.store, name="Máy chủ văn phòng (quản trị)", role=auth.Role.ADMIN, actor="system:hub"
    )
    target = paths.data_dir / ADMIN_TOKEN_FILE
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    log.info("admin token written to %s", target)
    return target


@dataclass
class HubProcess:
    hub: Hub
    admin_token_file: Path | None
    #: The sync worker (not started) when a district URL and a site secret are configured.
    sync: SyncWorker | None = None


def build_hub(paths: Paths, *, clock: Clock = system_clock) -> HubProcess:
    office = Office.open(paths, clock=clock)
    engine = queue_engine(office)
    written = ensure_admin_token(office, paths)
    hub = Hub(office, engine)
    # The worker opens its own connection to the same file on its own thread (WAL allows it).
    worker = worker_for(paths, office.settings, clock=clock)
    hub.sync = worker
    return HubProcess(hub, written, worker)


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


def serve(paths: Paths, *, host: str, port: int, clock: Clock = system_clock) -> None:
    """Run the hub until interrupted (blocking), on `clock` (the system's unless a test, a demo
    or a training office starts it elsewhere)."""
    import uvicorn

    if clock is not system_clock:
        log.warning("hub clock set apart from the system's: now %s", clock().isoformat())
    process = build_hub(paths, clock=clock)
    app = create_app(process.hub)
    if process.sync is not None:
        process.sync.start()
    try:
        # Queue events are small JSON lines: compressing them costs more CPU than it saves.
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            # uvicorn deprecated its legacy "websockets" protocol (a warning at every start).
            ws="websockets-sansio",
            ws_per_message_deflate=False,
        )
    finally:
        # The admin may have replaced the worker (new district address): stop the current one.
        if process.hub.sync is not None:
            process.hub.sync.stop()
        process.hub.office.close()
