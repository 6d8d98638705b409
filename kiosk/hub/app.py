"""The office hub: a FastAPI app, thin routes over the queue engine and the store.

Every route authenticates the calling device by its bearer token and checks its role; counter
routes also need the logged-in staff session (`X-Staff-Session`) of that counter's device. All
store work runs on the single database thread (`DbWorker`); after each write the new queue
events go out on the WebSocket stream `/api/events`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from fastapi import Depends, FastAPI, Header, Query, Request, WebSocket, WebSocketDisconnect
from fastapi import Path as FastPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk import __version__
from kiosk.domain.errors import KioskError, ValidationError
from kiosk.hub import auth
from kiosk.hub.auth import AdminSession, Device, Role, StaffSession
from kiosk.hub.runtime import CLOSE_RESTORED, DbWorker, EventHub, stream_message
from kiosk.office import Office
from kiosk.queue import (
    Outcome,
    PriorityCategory,
    QueueEngine,
)
from kiosk.queue import errors as queue_errors
from kiosk.store.backup import STREAM_FLOOR_KEY
from kiosk.sync.status import hub_sync_status
from kiosk.sync.worker import SyncWorker

log = logging.getLogger(__name__)

#: The largest row id a request may name (tickets, devices, staff, tests, records): SQLite row
#: ids here stay far below it, and it is safe in every client (JavaScript, 32-bit). A larger
#: id in a path or body is a 422 with the field named, never a 500 from SQLite's integer range.
MAX_ROW_ID: Final = 2**31 - 1
RowId = Annotated[int, FastPath(ge=1, le=MAX_ROW_ID)]

STATIC = Path(__file__).resolve().parent / "static"
AUTH_CACHE_SECONDS = 5.0
AUTH_CACHE_ENTRIES = 1000


# --- errors --------------------------------------------------------------------------------


def status_for(error: KioskError) -> int:
    """The HTTP status of a user error: 4xx always; the message is the Vietnamese text."""
    explicit = getattr(error, "status", None)
    if isinstance(explicit, int):
        return explicit
    if isinstance(error, ValidationError):
        return 422
    if isinstance(error, queue_errors.QueueNotFound):
        return 404
    return 409


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": code, "message": message, **extra}


# --- request models ------------------------------------------------------------------------


class DeviceIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: Role
    counter_number: int | None = Field(default=None, ge=1, le=999)


class StaffIn(BaseModel):
    username: str = Field(min_length=1, max_length=50)
    full_name: str = Field(min_length=1, max_length=100)
    secret: str = Field(min_length=4, max_length=200)
    role: auth.StaffRole = auth.StaffRole.CLERK


class FirstAdminIn(BaseModel):
    username: str = Field(min_length=1, max_length=50)
    full_name: str = Field(min_length=1, max_length=100)
    secret: str = Field(min_length=4, max_length=200)


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=50)
    secret: str = Field(min_length=1, max_length=200)


class TicketIn(BaseModel):
    prefix: str = Field(min_length=1, max_length=2, pattern=r"^[A-Za-z]{1,2}$")
    priority: PriorityCategory | None = None
    citizen_id: str | None = Field(default=None, max_length=20)


class CallIn(BaseModel):
    ticket_id: int = Field(ge=1, le=MAX_ROW_ID)


class FinishIn(BaseModel):
    outcome: Outcome
    dossier_code: str | None = Field(default=None, max_length=60)


class HoldIn(BaseModel):
    note: str = Field(default="", max_length=500)


class TransferIn(BaseModel):
    to_prefix: str | None = Field(default=None, max_length=2, pattern=r"^[A-Za-z]{1,2}$")
    to_counter: int | None = Field(default=None, ge=1, le=999)
    note: str = Field(default="", max_length=500)
    come_back: bool = False


# --- the app -------------------------------------------------------------------------------


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


def hub_of(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


async def device(request: Request, authorization: Annotated[str, Header()] = "") -> Device:
    hub = hub_of(request)
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
    request: Request,
    counter: int,
    dev: Annotated[Device, Depends(allow(Role.COUNTER))],
    x_staff_session: Annotated[str, Header()] = "",
) -> StaffSession:
    if dev.counter_number != counter:
        raise auth.Forbidden(
            f"Máy này thuộc quầy {dev.counter_number}, không thể thao tác cho quầy {counter}."
        )
    return await hub_of(request).session(dev, x_staff_session)


async def admin_caller(
    request: Request,
    dev: Annotated[Device, Depends(allow(Role.ADMIN))],
    x_staff_session: Annotated[str, Header()] = "",
) -> AdminSession:
    """Admin routes need the admin device AND an admin staff member logged in on it."""
    if not x_staff_session:
        raise auth.AuthError("Cần đăng nhập bằng tài khoản quản trị trước khi thao tác.")
    return auth.admin_session(await hub_of(request).session(dev, x_staff_session))


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


def create_app(hub: Hub) -> FastAPI:
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

    @app.exception_handler(KioskError)
    async def kiosk_error(request: Request, exc: KioskError) -> JSONResponse:
        status = status_for(exc)
        log.info("refused %s %s: %s", request.method, request.url.path, exc.message)
        return JSONResponse(error_body(exc.code, exc.message), status_code=status)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())[1:]), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        fields = ", ".join(p["field"] or "nội dung" for p in problems) or "nội dung"
        return JSONResponse(
            error_body(
                "bad_request", f"Dữ liệu gửi lên không hợp lệ ({fields}).", problems=problems
            ),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "Không có địa chỉ này.", 405: "Phương thức không được hỗ trợ."}
        message = messages.get(exc.status_code, str(exc.detail))
        return JSONResponse(
            error_body("http_error", message), status_code=exc.status_code, headers=exc.headers
        )

    # --- health -----------------------------------------------------------------------------

    @app.get("/api/health", tags=["hệ thống"])
    async def health() -> dict[str, Any]:
        """Trạng thái và phiên bản máy chủ (không cần đăng nhập)."""
        return {
            "status": "ok",
            "version": __version__,
            "schema_version": hub.office.store.schema_version,
            "office": hub.office.settings.office_name,
            "notice": hub.office.settings.notice,
            "time": hub.office.clock().isoformat(),
            "streams": hub.events.subscriber_count,
            "sync": await hub.run(hub_sync_status, hub.office.store, hub.sync),
        }

    # --- admin ------------------------------------------------------------------------------

    @app.post("/api/admin/devices", tags=["quản trị"], status_code=201)
    async def add_device(body: DeviceIn, admin: Admin) -> dict[str, Any]:
        """Đăng ký thiết bị; mã truy cập chỉ trả về một lần."""
        found, token = await hub.run(
            auth.register_device,
            hub.office.store,
            name=body.name,
            role=body.role,
            counter_number=body.counter_number,
            actor=admin.actor,
        )
        return {
            "id": found.id,
            "name": found.name,
            "role": found.role.value,
            "counter_number": found.counter_number,
            "token": token,
        }

    @app.get("/api/admin/devices", tags=["quản trị"])
    async def devices(admin: Admin) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await hub.run(auth.list_devices, hub.office.store)
        return result

    @app.delete("/api/admin/devices/{device_id}", tags=["quản trị"], status_code=204)
    async def revoke(device_id: RowId, admin: Admin) -> None:
        if device_id == admin.id:
            # The admin would lock itself out mid-work; another admin device may do it.
            raise KioskError(
                "Không thể thu hồi chính máy quản trị đang dùng. Hãy thu hồi từ một máy quản "
                "trị khác, hoặc bằng lệnh 'kiosk devices revoke' trên máy chủ văn phòng."
            )
        await hub.run(auth.revoke_device, hub.office.store, device_id, actor=admin.actor)
        hub.forget_credentials()

    @app.post("/api/admin/staff", tags=["quản trị"], status_code=201)
    async def add_staff(body: StaffIn, admin: Admin) -> dict[str, Any]:
        staff = await hub.run(
            auth.create_staff,
            hub.office.store,
            username=body.username,
            full_name=body.full_name,
            secret=body.secret,
            role=body.role,
            actor=admin.actor,
        )
        return {
            "id": staff.id,
            "username": staff.username,
            "full_name": staff.full_name,
            "role": staff.role.value,
        }

    # --- staff sessions ----------------------------------------------------------------------

    def login_answer(session: StaffSession, token: str) -> dict[str, Any]:
        return {
            "token": token,
            "staff": {
                "username": session.staff.username,
                "full_name": session.staff.full_name,
                "role": session.staff.role.value,
            },
            "counter_number": session.device.counter_number,
            "expires_at": session.expires_at.isoformat(),
        }

    @app.post("/api/session/login", tags=["cán bộ"])
    async def login(body: LoginIn, dev: AnyDevice) -> dict[str, Any]:
        """Cán bộ đăng nhập trên máy quầy (hoặc máy quản trị); trả về mã phiên (gửi kèm
        X-Staff-Session)."""
        session, token = await hub.run(
            auth.login, hub.office.store, dev, body.username, body.secret
        )
        hub.forget_sessions_of(dev.id)  # the device's previous session has just ended
        return login_answer(session, token)

    @app.get("/api/session", tags=["cán bộ"])
    async def current_session(
        dev: AnyDevice, x_staff_session: Annotated[str, Header()] = ""
    ) -> dict[str, Any]:
        """Cán bộ đang đăng nhập trên máy này (401 khi phiên đã hết hoặc không có)."""
        session = await hub.session(dev, x_staff_session)
        answer = login_answer(session, "")
        del answer["token"]
        return answer

    @app.get("/api/admin/first-admin", tags=["quản trị"])
    async def first_admin_needed(dev: AdminDevice) -> dict[str, bool]:
        """Văn phòng chưa có tài khoản quản trị nào (máy quản trị được tạo tài khoản đầu tiên)?"""
        count: int = await hub.run(auth.active_admin_count, hub.office.store)
        return {"needed": count == 0}

    @app.post("/api/admin/first-admin", tags=["quản trị"], status_code=201)
    async def first_admin(body: FirstAdminIn, dev: AdminDevice) -> dict[str, Any]:
        """Tạo tài khoản quản trị đầu tiên và đăng nhập luôn (chỉ khi chưa có tài khoản nào)."""
        session, token = await hub.run(
            auth.create_first_admin,
            hub.office.store,
            dev,
            username=body.username,
            full_name=body.full_name,
            secret=body.secret,
        )
        hub.forget_sessions_of(dev.id)
        return login_answer(session, token)

    @app.post("/api/session/logout", tags=["cán bộ"], status_code=204)
    async def logout_route(dev: AnyDevice, x_staff_session: Annotated[str, Header()] = "") -> None:
        session = await hub.session(dev, x_staff_session)
        await hub.run(auth.logout, hub.office.store, session, x_staff_session)
        hub.forget_credentials()

    # --- queue: reading ----------------------------------------------------------------------

    @app.get("/api/queue", tags=["hàng đợi"])
    async def snapshot(dev: AnyDevice) -> dict[str, Any]:
        """Toàn cảnh hàng đợi: nhóm dịch vụ, số người chờ, quầy và số đang phục vụ."""
        snap = await hub.run(hub.engine.snapshot)
        result: dict[str, Any] = snap.as_json()
        return result

    # --- queue: kiosk --------------------------------------------------------------------------

    @app.post("/api/tickets", tags=["hàng đợi"], status_code=201)
    async def issue(body: TicketIn, dev: KioskOrAdmin) -> dict[str, Any]:
        """Cấp số thứ tự cho một nhóm dịch vụ."""
        issued = await hub.write(
            hub.engine.issue,
            body.prefix.upper(),
            priority=body.priority,
            citizen_id=body.citizen_id,
            actor=f"device:{dev.id}",
        )
        return {
            "ticket": issued.ticket.as_json(),
            "people_ahead": issued.people_ahead,
            "estimated_wait_minutes": issued.estimated_wait_minutes,
        }

    # --- queue: counters ------------------------------------------------------------------------

    def ticket_or_none(ticket: Any) -> dict[str, Any]:
        return {"ticket": None if ticket is None else ticket.as_json()}

    @app.post("/api/counters/{counter}/call-next", tags=["quầy"])
    async def call_next(counter: int, session: Staffed) -> dict[str, Any]:
        """Gọi số tiếp theo cho quầy (nguyên tử: hai quầy không bao giờ gọi cùng một số)."""
        return ticket_or_none(
            await hub.write(hub.engine.call_next, counter, actor=actor_of(session))
        )

    @app.post("/api/counters/{counter}/call", tags=["quầy"])
    async def call_ticket(counter: int, body: CallIn, session: Staffed) -> dict[str, Any]:
        """Gọi một số cụ thể (không theo thứ tự)."""
        return ticket_or_none(
            await hub.write(
                hub.engine.call_ticket, counter, body.ticket_id, actor=actor_of(session)
            )
        )

    @app.post("/api/counters/{counter}/recall", tags=["quầy"])
    async def recall(counter: int, session: Staffed) -> dict[str, Any]:
        return ticket_or_none(await hub.write(hub.engine.recall, counter, actor=actor_of(session)))

    @app.post("/api/counters/{counter}/start", tags=["quầy"])
    async def start(counter: int, session: Staffed) -> dict[str, Any]:
        return ticket_or_none(
            await hub.write(hub.engine.start_serving, counter, actor=actor_of(session))
        )

    @app.post("/api/counters/{counter}/finish", tags=["quầy"])
    async def finish(counter: int, body: FinishIn, session: Staffed) -> dict[str, Any]:
        return ticket_or_none(
            await hub.write(
                hub.engine.finish,
                counter,
                body.outcome,
                actor=actor_of(session),
                dossier_code=body.dossier_code,
            )
        )

    @app.post("/api/counters/{counter}/no-show", tags=["quầy"])
    async def no_show(counter: int, session: Staffed) -> dict[str, Any]:
        return ticket_or_none(await hub.write(hub.engine.no_show, counter, actor=actor_of(session)))

    @app.post("/api/counters/{counter}/hold", tags=["quầy"])
    async def hold(counter: int, body: HoldIn, session: Staffed) -> dict[str, Any]:
        return ticket_or_none(
            await hub.write(hub.engine.hold, counter, actor=actor_of(session), note=body.note)
        )

    @app.post("/api/counters/{counter}/transfer", tags=["quầy"])
    async def transfer(counter: int, body: TransferIn, session: Staffed) -> dict[str, Any]:
        if (body.to_prefix is None) == (body.to_counter is None):
            raise ValidationError("Chọn đúng một nơi chuyển đến: một nhóm dịch vụ hoặc một quầy.")
        return ticket_or_none(
            await hub.write(
                hub.engine.transfer,
                counter,
                to_prefix=body.to_prefix.upper() if body.to_prefix else None,
                to_counter=body.to_counter,
                note=body.note,
                come_back=body.come_back,
                actor=actor_of(session),
            )
        )

    @app.post("/api/counters/{counter}/return/{ticket_id}", tags=["quầy"])
    async def return_from_hold(counter: int, ticket_id: RowId, session: Staffed) -> dict[str, Any]:
        """Đưa một số đang tạm giữ trở lại hàng chờ (giữ nguyên vị trí)."""
        return ticket_or_none(
            await hub.write(hub.engine.return_from_hold, ticket_id, actor=actor_of(session))
        )

    @app.post("/api/counters/{counter}/cancel/{ticket_id}", tags=["quầy"])
    async def cancel(counter: int, ticket_id: RowId, session: Staffed) -> dict[str, Any]:
        return ticket_or_none(
            await hub.write(hub.engine.cancel, ticket_id, actor=actor_of(session))
        )

    @app.get("/api/counters/{counter}/held", tags=["quầy"])
    async def held(counter: int, session: Staffed) -> dict[str, Any]:
        """Các số đang tạm giữ tại quầy, kèm ghi chú và giờ tạm giữ (chỉ máy của quầy đó)."""
        found = await hub.run(hub.engine.held_since, counter)
        return {
            "tickets": [
                {**ticket.as_json(public=False), "held_at": since.isoformat()}
                for ticket, since in found
            ]
        }

    # --- event stream -------------------------------------------------------------------------

    @app.websocket("/api/events")
    async def events(
        ws: WebSocket,
        token: Annotated[str, Query(max_length=200)] = "",
        after: Annotated[int | None, Query(ge=0)] = None,
    ) -> None:
        """Ảnh chụp khi kết nối (hoặc các sự kiện sau `after`), rồi từng sự kiện hàng đợi."""
        try:
            await hub.device(token)
        except auth.AuthError as exc:
            # Accept, then close with 4401: a browser only sees the close code of an accepted
            # socket, and the board can then say it lacks a valid token rather than "offline".
            await ws.accept()
            await ws.close(code=4401, reason="unauthorized")
            log.info("event stream refused: %s", exc.message)
            return
        await ws.accept()
        subscriber = hub.events.subscribe()
        try:
            if after is None or hub.events.needs_snapshot(after):
                snap = await hub.run(hub.engine.snapshot)
                last = int(snap.last_event_id)
                await ws.send_json({"type": "snapshot", "snapshot": snap.as_json(), "id": last})
            else:
                last = after
                for event in await hub.run(hub._events_since, after):
                    replayed = stream_message(event)
                    await ws.send_text(replayed.text)
                    last = replayed.id
            receiver = asyncio.create_task(_drain_client(ws))
            try:
                while True:
                    getter = asyncio.create_task(subscriber.queue.get())
                    done, _ = await asyncio.wait(
                        {getter, receiver}, return_when=asyncio.FIRST_COMPLETED
                    )
                    if receiver in done:
                        getter.cancel()
                        break
                    published = getter.result()
                    if published is None:
                        code = subscriber.close_code
                        reason = "restored" if code == CLOSE_RESTORED else "resume"
                        await ws.close(code=code, reason=reason)
                        break
                    if published.id <= last:
                        continue  # already sent in the snapshot or the replay
                    await ws.send_text(published.text)
                    last = published.id
            finally:
                receiver.cancel()
        except WebSocketDisconnect:
            pass
        finally:
            hub.events.unsubscribe(subscriber)

    # Imported here: the dossier routes import this module for its dependencies.
    from kiosk.hub.dossier_routes import dossier_router

    app.include_router(dossier_router(hub))

    # --- the web display for smart TVs --------------------------------------------------------

    @app.get("/display", response_class=HTMLResponse, include_in_schema=False)
    async def display_page() -> FileResponse:
        return FileResponse(STATIC / "display.html", media_type="text/html; charset=utf-8")

    @app.get("/display/{name}", include_in_schema=False)
    async def display_asset(name: Literal["display.js", "display.css"]) -> FileResponse:
        media = "text/javascript" if name.endswith(".js") else "text/css"
        return FileResponse(STATIC / name, media_type=f"{media}; charset=utf-8")

    from kiosk.hub.catalogue_routes import router as catalogue_router  # imports this module

    app.include_router(catalogue_router)
    from kiosk.hub.counter_routes import router as counter_router  # imports this module

    app.include_router(counter_router)
    from kiosk.hub.admin_routes import router as admin_router  # imports this module

    app.include_router(admin_router)
    from kiosk.hub.office_routes import router as office_router  # imports this module

    app.include_router(office_router)
    from kiosk.hub.device_routes import router as device_router  # imports this module

    app.include_router(device_router)
    return app


async def _drain_client(ws: WebSocket) -> None:
    """Read (and ignore) whatever the client sends, to notice when it goes away."""
    while True:
        message = await ws.receive()
        if message["type"] == "websocket.disconnect":
            return
