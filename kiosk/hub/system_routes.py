"""The hub's health answer and the web display board for smart TVs (no token needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from kiosk import __version__
from kiosk.hub import wire
from kiosk.hub.deps import HubDep
from kiosk.sync.status import hub_sync_status

router = APIRouter()

STATIC = Path(__file__).resolve().parent / "static"


@router.get("/api/health", tags=["hệ thống"])
async def health(
    hub: HubDep,
) -> wire.Health:
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


@router.get("/display", response_class=HTMLResponse, include_in_schema=False)
async def display_page() -> FileResponse:
    return FileResponse(STATIC / "display.html", media_type="text/html; charset=utf-8")


@router.get("/display/{name}", response_class=FileResponse, include_in_schema=False)
async def display_asset(name: Literal["display.js", "display.css"]) -> FileResponse:
    media = "text/javascript" if name.endswith(".js") else "text/css"
    return FileResponse(STATIC / name, media_type=f"{media}; charset=utf-8")
