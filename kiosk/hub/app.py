"""The office hub's composition root: `create_app` assembles the FastAPI app and nothing else.

Where things live:
- `deps.py`: the `Hub` (office, queue engine, database thread, event fan-out) and who is asking
  (device token, staff session, admin session), as FastAPI dependencies;
- `errors.py`: the one table from errors to HTTP statuses (domain errors carry no HTTP);
- one router per resource: `system_routes` (health, web display), `session_routes` (staff log
  in/out, first admin), `queue_routes` (tickets, calls), `stream_routes` (the WebSocket event
  stream), `dossier_routes`, `counter_routes`, `catalogue_routes`, `admin_routes`,
  `office_routes`, `device_routes`.

Every route authenticates the calling device by its bearer token and checks its role; counter
routes also need the logged-in staff session (`X-Staff-Session`) of that counter's device. All
store work runs on the single database thread (`DbWorker`); after each write the new queue
events go out on the WebSocket stream `/api/events`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI

from kiosk import __version__
from kiosk.hub import (
    admin_routes,
    catalogue_routes,
    counter_routes,
    device_routes,
    dossier_routes,
    office_routes,
    queue_routes,
    session_routes,
    stream_routes,
    system_routes,
    voice_routes,
)
from kiosk.hub.deps import Hub
from kiosk.hub.errors import install_error_handlers
from kiosk.store.backup import STREAM_FLOOR_KEY

log = logging.getLogger(__name__)

#: In this order: a path that two routers could match goes to the first (none do today).
ROUTERS = (
    system_routes.router,
    admin_routes.devices_router,
    session_routes.router,
    queue_routes.router,
    stream_routes.router,
    dossier_routes.router,
    catalogue_routes.router,
    counter_routes.router,
    admin_routes.router,
    office_routes.router,
    device_routes.router,
    voice_routes.router,
)


def create_app(hub: Hub) -> FastAPI:
    """The hub's web app over `hub`: its routers, its error answers, its start and stop."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        snapshot = await hub.run(hub.engine.snapshot)
        floor = await hub.run(hub.office.store.setting, STREAM_FLOOR_KEY)
        hub.events.start(snapshot.last_event_id, int(floor or 0))
        # Events other connections commit (the sync puller, the CLI) go out within seconds.
        watcher = asyncio.create_task(hub.events.watch(hub.db))
        log.info("hub started", extra={"version": __version__})
        yield
        watcher.cancel()
        with suppress(asyncio.CancelledError):
            await watcher
        hub.events.close()
        hub.db.close()

    app = FastAPI(
        title="Một Cửa Kiosk — máy chủ văn phòng",
        version=__version__,
        description="API của máy chủ văn phòng (hub): hàng đợi, thiết bị, cán bộ.",
        lifespan=lifespan,
    )
    app.state.hub = hub
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app


__all__ = ["ROUTERS", "Hub", "create_app"]
