"""The district server's routes: sync push and mark, snapshots, statistics and their page.

Every sync route reads the raw body itself (so oversized bodies are refused before anything is
parsed, and the signature covers the exact bytes), checks the signature, then works in a
thread: the database drivers block. The open database and the clock are the app's state
(`create_app` puts them there).
"""

from __future__ import annotations

from datetime import date
from typing import cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.clock import Clock
from kiosk.district import snapshots, wire
from kiosk.district.auth import authenticate
from kiosk.district.errors import Refusal
from kiosk.district.page import render_stats_page
from kiosk.district.push import current_mark, parse_batch, store_batch
from kiosk.district.stats import Period, compute_stats
from kiosk.district.storage import Database
from kiosk.store.tx import to_iso
from kiosk.sync import protocol

router = APIRouter()


def db_of(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def clock_of(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def server_time(request: Request) -> int:
    """The server's time in Unix seconds (every answer carries it, for the sites' clocks)."""
    return int(clock_of(request)().timestamp())


def signed_path(request: Request) -> str:
    """The path with its query string exactly as the client sent it (what it signed)."""
    raw = request.scope.get("raw_path") or request.scope["path"].encode()
    query = request.scope.get("query_string", b"")
    text = raw.decode("latin-1")
    return f"{text}?{query.decode('latin-1')}" if query else text


async def read_body(request: Request) -> bytes:
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


async def signed(request: Request) -> tuple[str, bytes]:
    """The signing site's id and the body it signed; a Refusal (401) when the signature fails."""
    body = await read_body(request)
    site_id = await run_in_threadpool(
        authenticate,
        db_of(request),
        method=request.method,
        path=signed_path(request),
        headers=request.headers,
        body=body,
        now=clock_of(request)().timestamp(),
    )
    return site_id, body


def parse_day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refusal(
            422, protocol.ERROR_MALFORMED, f"Tham số '{name}' phải là ngày dạng YYYY-MM-DD."
        ) from None


def period_of(request: Request) -> Period:
    return Period(
        parse_day(request.query_params.get("from"), "from"),
        parse_day(request.query_params.get("to"), "to"),
    )


@router.get("/api/health")
def health(request: Request) -> wire.Health:
    return {"ok": True, "server_time": server_time(request)}


@router.post(protocol.PUSH_PATH)
async def push(request: Request) -> wire.Acked:
    """Store a signed batch of a site's events, exactly once each; the site's new mark."""
    site_id, body = await signed(request)
    db, clock = db_of(request), clock_of(request)

    def work() -> int:
        return store_batch(db, parse_batch(body, site_id), now=clock())

    return {"acked": await run_in_threadpool(work)}


@router.get(protocol.MARK_PATH)
async def mark(request: Request) -> wire.Acked:
    """The site's mark: the highest sequence number the district has stored."""
    site_id, _ = await signed(request)
    return {"acked": await run_in_threadpool(current_mark, db_of(request), site_id)}


SNAPSHOT_ANSWERS: dict[int | str, dict[str, str]] = {
    304: {"description": "Không đổi so với ETag đã gửi (If-None-Match)."},
}


async def snapshot(request: Request, kind: str) -> Response:
    """The latest published document of `kind`, with its ETag (304 when the site has it)."""
    await signed(request)
    current = await run_in_threadpool(snapshots.latest, db_of(request), kind)
    if current is None:
        raise Refusal(
            404, protocol.ERROR_NO_SNAPSHOT, "Máy chủ cấp huyện chưa công bố dữ liệu này."
        )
    headers = {"ETag": current.etag, "Cache-Control": "no-cache"}
    if snapshots.etag_matches(request.headers.get("if-none-match"), current.etag):
        return Response(status_code=304, headers=headers)
    return Response(current.body, media_type="application/json", headers=headers)


@router.get(protocol.CATALOGUE_PATH, response_class=JSONResponse, responses=SNAPSHOT_ANSWERS)
async def catalogue(request: Request) -> Response:
    """The catalogue the district published last (the catalogue JSON format)."""
    return await snapshot(request, snapshots.CATALOGUE)


@router.get(protocol.CALENDAR_PATH, response_class=JSONResponse, responses=SNAPSHOT_ANSWERS)
async def calendar(request: Request) -> Response:
    """The calendar overrides the district published last."""
    return await snapshot(request, snapshots.CALENDAR)


@router.get("/api/stats")
def stats(request: Request) -> wire.Stats:
    """Statistics of what the sites sent (`from`/`to`: inclusive days, YYYY-MM-DD)."""
    return cast(wire.Stats, compute_stats(db_of(request), period_of(request)))


@router.get("/", response_class=HTMLResponse)
def page(request: Request) -> HTMLResponse:
    """The statistics page for the district officer."""
    try:
        period = period_of(request)
    except Refusal as refusal:
        return HTMLResponse(f"<p>{refusal.message}</p>", status_code=422)
    found = compute_stats(db_of(request), period)
    return HTMLResponse(render_stats_page(found, generated_at=to_iso(clock_of(request)())))
