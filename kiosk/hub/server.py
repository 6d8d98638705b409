"""Starting the hub: the office, the queue engine configured from settings, the first admin."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from kiosk.clock import Clock, system_clock
from kiosk.hub import auth
from kiosk.hub.app import create_app
from kiosk.hub.deps import Hub
from kiosk.hub.parts import queue_engine
from kiosk.office import Office
from kiosk.paths import Paths
from kiosk.sync.worker import SyncWorker, worker_for

log = logging.getLogger(__name__)

ADMIN_TOKEN_FILE = "admin-token.txt"


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
