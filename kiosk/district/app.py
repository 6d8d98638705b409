"""The district server's composition root: `create_app` builds the app and nothing else.

The routes (sync push and mark, snapshots, statistics and their page) are in
`kiosk.district.routes`, the shapes of their answers in `kiosk.district.wire`. A `Refusal`
raised anywhere becomes `{error, message, server_time}` with its status; a database that is
down or busy becomes a 503 with `Retry-After` (the site keeps its events and retries later).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from kiosk.clock import Clock, system_clock
from kiosk.district.errors import Refusal
from kiosk.district.routes import router, server_time
from kiosk.district.storage import Database

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def refusal_response(request: Request, refusal: Refusal) -> JSONResponse:
    content: dict[str, Any] = {
        "error": refusal.error,
        "message": refusal.message,
        "server_time": server_time(request),
        **refusal.extra,
    }
    return JSONResponse(content, status_code=refusal.status)


async def refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refusal)
    if exc.status == 401:
        log.warning("refused %s %s: %s", request.method, request.url.path, exc.error)
    return refusal_response(request, exc)


async def unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The database is down or busy: the site keeps its events and retries later."""
    log.error("database unavailable for %s %s: %s", request.method, request.url.path, exc)
    response = refusal_response(
        request, Refusal(503, "unavailable", "Máy chủ cấp huyện tạm thời chưa ghi được dữ liệu.")
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def create_app(db: Database, *, clock: Clock = system_clock) -> FastAPI:
    """The app over an open district database; time comes from `clock`."""
    app = FastAPI(
        title="Một Cửa Kiosk — máy chủ cấp huyện",
        version="1",
        description="Nhận sự kiện từ các đơn vị đúng một lần; công bố danh mục và lịch; thống kê.",
    )
    app.state.db = db
    app.state.clock = clock
    app.add_exception_handler(Refusal, refused)
    app.add_exception_handler(psycopg.OperationalError, unavailable)
    app.add_exception_handler(sqlite3.OperationalError, unavailable)
    app.include_router(router)
    return app


def serve(database: str, *, host: str, port: int) -> None:
    """Run the district server until interrupted (blocking)."""
    import uvicorn

    db = Database.open(database)
    log.info("district server on %s:%d, database %s", host, port, db.target.shown)
    try:
        uvicorn.run(create_app(db), host=host, port=port, log_config=None, access_log=False)
    finally:
        db.close()
