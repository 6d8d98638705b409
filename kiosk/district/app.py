"""The district server's HTTP app: sync push and mark, snapshots, statistics and their page.

Every sync route reads the raw body itself (so oversized bodies are refused before anything is
parsed, and the signature covers the exact bytes), checks the signature, then works in a
thread: the database drivers block.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import date
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.clock import Clock, system_clock
from kiosk.district import snapshots
from kiosk.district.auth import authenticate
from kiosk.district.errors import Refusal
from kiosk.district.page import render_stats_page
from kiosk.district.push import current_mark, parse_batch, store_batch
from kiosk.district.stats import Period, compute_stats
from kiosk.district.storage import Database
from kiosk.store.tx import to_iso
from kiosk.sync import protocol

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def _signed_path(request: Request) -> str:
    """The path with its query string exactly as the client sent it (what it signed)."""
    raw = request.scope.get("raw_path") or request.scope["path"].encode()
    query = request.scope.get("query_string", b"")
    text = raw.decode("latin-1")
    return f"{text}?{query.decode('latin-1')}" if query else text


async def _read_body(request: Request) -> bytes:
    too_large = Refusal(
        413,
        protocol.ERROR_TOO_LARGE,
        f"Nội dung yêu cầu quá lớn (tối đa {protocol.MAX_BODY_BYTES:,} byte): hãy gửi lô nhỏ hơn.",
    )
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > protocol.MAX_BODY_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > protocol.MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refusal(
            422, protocol.ERROR_MALFORMED, f"Tham số '{name}' phải là ngày dạng YYYY-MM-DD."
        ) from None


def create_app(db: Database, *, clock: Clock = system_clock) -> FastAPI:
    """The app over an open district database; time comes from `clock`."""
    app = FastAPI(
        title="Một Cửa Kiosk — máy chủ cấp huyện",
        version="1",
        description="Nhận sự kiện từ các đơn vị đúng một lần; công bố danh mục và lịch; thống kê.",
    )

    def server_time() -> int:
        return int(clock().timestamp())

    def refusal_response(refusal: Refusal) -> JSONResponse:
        content: dict[str, Any] = {
            "error": refusal.error,
            "message": refusal.message,
            "server_time": server_time(),
            **refusal.extra,
        }
        return JSONResponse(content, status_code=refusal.status)

    @app.exception_handler(Refusal)
    async def _refused(request: Request, refusal: Refusal) -> JSONResponse:
        if refusal.status == 401:
            log.warning("refused %s %s: %s", request.method, request.url.path, refusal.error)
        return refusal_response(refusal)

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        # The database is down or busy: the site keeps its events and retries later.
        log.error("database unavailable for %s %s: %s", request.method, request.url.path, exc)
        response = refusal_response(
            Refusal(503, "unavailable", "Máy chủ cấp huyện tạm thời chưa ghi được dữ liệu.")
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    app.add_exception_handler(psycopg.OperationalError, _unavailable)
    app.add_exception_handler(sqlite3.OperationalError, _unavailable)

    async def signed(request: Request) -> tuple[str, bytes]:
        body = await _read_body(request)
        site_id = await run_in_threadpool(
            authenticate,
            db,
            method=request.method,
            path=_signed_path(request),
            headers=request.headers,
            body=body,
            now=clock().timestamp(),
        )
        return site_id, body

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "server_time": server_time()}

    @app.post(protocol.PUSH_PATH)
    async def push(request: Request) -> dict[str, int]:
        site_id, body = await signed(request)

        def work() -> int:
            return store_batch(db, parse_batch(body, site_id), now=clock())

        return {"acked": await run_in_threadpool(work)}

    @app.get(protocol.MARK_PATH)
    async def mark(request: Request) -> dict[str, int]:
        site_id, _ = await signed(request)
        return {"acked": await run_in_threadpool(current_mark, db, site_id)}

    async def snapshot(request: Request, kind: str) -> Response:
        await signed(request)
        current = await run_in_threadpool(snapshots.latest, db, kind)
        if current is None:
            raise Refusal(
                404, protocol.ERROR_NO_SNAPSHOT, "Máy chủ cấp huyện chưa công bố dữ liệu này."
            )
        headers = {"ETag": current.etag, "Cache-Control": "no-cache"}
        if snapshots.etag_matches(request.headers.get("if-none-match"), current.etag):
            return Response(status_code=304, headers=headers)
        return Response(current.body, media_type="application/json", headers=headers)

    @app.get(protocol.CATALOGUE_PATH)
    async def catalogue(request: Request) -> Response:
        return await snapshot(request, snapshots.CATALOGUE)

    @app.get(protocol.CALENDAR_PATH)
    async def calendar(request: Request) -> Response:
        return await snapshot(request, snapshots.CALENDAR)

    def period_of(request: Request) -> Period:
        return Period(
            _parse_day(request.query_params.get("from"), "from"),
            _parse_day(request.query_params.get("to"), "to"),
        )

    @app.get("/api/stats")
    def stats(request: Request) -> dict[str, Any]:
        """Statistics of what the sites sent (`from`/`to`: inclusive days, YYYY-MM-DD)."""
        return compute_stats(db, period_of(request))

    @app.get("/", response_class=HTMLResponse)
    def page(request: Request) -> HTMLResponse:
        try:
            period = period_of(request)
        except Refusal as refusal:
            return HTMLResponse(f"<p>{refusal.message}</p>", status_code=422)
        html = render_stats_page(compute_stats(db, period), generated_at=to_iso(clock()))
        return HTMLResponse(html)

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
