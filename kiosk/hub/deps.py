"""What every hub route depends on: the `Hub` (office, engine, database thread, event fan-out),
who is asking (device token, staff session, admin session) and the bound on row ids.

Routes declare these as parameters (`hub: HubDep`, `session: Staffed`, `admin: Admin`…); they
never import `kiosk.hub.app`, which only assembles them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Annotated, Any, Final

from fastapi import Depends, Header
from fastapi import Path as FastPath
from fastapi.requests import HTTPConnection

from kiosk.config import Settings
from kiosk.dossiers import DossierService
from kiosk.hub import auth
from kiosk.hub.auth import AdminSession, Device, Role, StaffSession
from kiosk.hub.runtime import DbWorker, EventHub
from kiosk.office import Office
from kiosk.queue import QueueEngine
from kiosk.sync.worker import SyncWorker

#: The largest row id a request may name (tickets, devices, staff, tests, records): SQLite row
#: ids here stay far below it, and it is safe in every client (JavaScript, 32-bit). A larger
#: id in a path or body is a 422 with the field named, never a 500 from SQLite's integer range.
MAX_ROW_ID: Final = 2**31 - 1
RowId = Annotated[int, FastPath(ge=1, le=MAX_ROW_ID)]

AUTH_CACHE_SECONDS = 5.0
AUTH_CACHE_ENTRIES = 1000


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The JSON of every refusal: a code for programs, a Vietnamese message for people."""
    return {"error": code, "message": message, **extra}


class Hub:
    """What the routes need: the office, the engine, the DB thread and the event fan-out."""

    def __init__(self, office: Office, engine: QueueEngine) -> None:
        self.office = office
        self.engine = engine
        self.db = DbWorker()
        self.events = EventHub(self._events_since)
        self.started_at = office.clock()
        # Token checks are cached briefly: every request needs them, and a database round trip
        # each would queue behind the writes. Revoking through the API clears the cache at once;
        # a revocation made elsewhere (the CLI) takes effect within AUTH_CACHE_SECONDS.
        self._devices: dict[str, tuple[Device, float]] = {}
        self._sessions: dict[tuple[int, str], tuple[StaffSession, float]] = {}
        #: The sync worker, when this hub runs one (set by kiosk.hub.server).
        self.sync: SyncWorker | None = None
        #: The dossier workflow over this office (its settings follow `use_settings`).
        self.dossiers = DossierService(office.store, office.settings)

    def use_settings(self, settings: Settings) -> None:
        """The admin changed the settings: every part of the hub that reads them now uses
        these (call on the DB thread, as the routes' writes run)."""
        self.office.settings = settings
        self.dossiers.settings = settings
        engine = self.engine
        engine.priority_mode = settings.priority_mode
        engine.priority_every = settings.priority_every
        engine.max_recalls_before_no_show = settings.max_recalls

    async def device(self, token: str) -> Device:
        now = time.monotonic()
        cached = self._devices.get(token)
        if cached is not None and cached[1] > now:
            return cached[0]
        found: Device = await self.run(auth.authenticate_device, self.office.store, token)
        if len(self._devices) > AUTH_CACHE_ENTRIES:
            self._devices.clear()  # months of logins and devices must not pile up
        self._devices[token] = (found, now + AUTH_CACHE_SECONDS)
        return found

    async def session(self, device: Device, token: str) -> StaffSession:
        now = time.monotonic()
        cached = self._sessions.get((device.id, token))
        if cached is not None and cached[1] > now and cached[0].expires_at > self.office.clock():
            return cached[0]
        found: StaffSession = await self.run(
            auth.authenticate_session, self.office.store, device, token
        )
        if len(self._sessions) > AUTH_CACHE_ENTRIES:
            self._sessions.clear()
        self._sessions[(device.id, token)] = (found, now + AUTH_CACHE_SECONDS)
        return found

    def forget_sessions_of(self, device_id: int) -> None:
        for key in [k for k in self._sessions if k[0] == device_id]:
            del self._sessions[key]

    def forget_credentials(self) -> None:
        self._devices.clear()
        self._sessions.clear()

    def _events_since(self, after: int) -> list[dict[str, Any]]:
        return [e.as_json() for e in self.engine.events_since(after)]

    async def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await self.db.run(fn, *args, **kwargs)

    async def write(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a write on the DB thread and push the events it committed (refused or not)."""
        loop = asyncio.get_running_loop()

        def job() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                self.events.collect(loop)

        return await self.db.run(job)


# --- who is asking (module level, so FastAPI can resolve the annotations) -------------------


def hub_of(connection: HTTPConnection) -> Hub:
    hub: Hub = connection.app.state.hub
    return hub


#: The hub serving this request: `hub: HubDep` in a route's parameters.
HubDep = Annotated[Hub, Depends(hub_of)]


async def device(
    connection: HTTPConnection, authorization: Annotated[str, Header()] = ""
) -> Device:
    hub = hub_of(connection)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer":
        raise auth.AuthError("Thiếu mã truy cập (Authorization: Bearer …).")
    return await hub.device(token.strip())


def allow(*roles: Role) -> Callable[..., Any]:
    async def check(dev: Annotated[Device, Depends(device)]) -> Device:
        if dev.role not in roles:
            raise auth.Forbidden(
                f"Thiết bị '{dev.name}' ({auth.ROLE_LABELS[dev.role]}) không được làm việc này."
            )
        return dev

    return check


async def counter_session(
    connection: HTTPConnection,
    counter: int,
    dev: Annotated[Device, Depends(allow(Role.COUNTER))],
    x_staff_session: Annotated[str, Header()] = "",
) -> StaffSession:
    if dev.counter_number != counter:
        raise auth.Forbidden(
            f"Máy này thuộc quầy {dev.counter_number}, không thể thao tác cho quầy {counter}."
        )
    return await hub_of(connection).session(dev, x_staff_session)


async def admin_caller(
    connection: HTTPConnection,
    dev: Annotated[Device, Depends(allow(Role.ADMIN))],
    x_staff_session: Annotated[str, Header()] = "",
) -> AdminSession:
    """Admin routes need the admin device AND an admin staff member logged in on it."""
    if not x_staff_session:
        raise auth.AuthError("Cần đăng nhập bằng tài khoản quản trị trước khi thao tác.")
    return auth.admin_session(await hub_of(connection).session(dev, x_staff_session))


AnyDevice = Annotated[Device, Depends(device)]
#: The caller of an admin route: the admin device (`.id`, `.name`) with its logged-in admin
#: staff member (`.staff`); write audit rows as `admin.actor` ("staff:USER@device:ID").
Admin = Annotated[AdminSession, Depends(admin_caller)]
#: The admin device alone, without a staff session: only for the first-admin bootstrap.
AdminDevice = Annotated[Device, Depends(allow(Role.ADMIN))]
KioskOrAdmin = Annotated[Device, Depends(allow(Role.KIOSK, Role.ADMIN))]
Staffed = Annotated[StaffSession, Depends(counter_session)]


def actor_of(session: StaffSession) -> str:
    return f"staff:{session.staff.username}@counter:{session.device.counter_number}"
