"""Admin routes beyond devices: staff list, calendar overrides, catalogue import, backup, office.

Admin devices only. Every change goes through `store.write`, so it has its audit row; reads of
the calendar need no cache flush because `Office.calendar()` reads the override table each time,
so a new holiday moves the next due date at once, with no screen restarted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kiosk.domain.calendar import CalendarOverride, OverrideKind
from kiosk.domain.catalogue_io import parse_catalogue_csv, parse_catalogue_json
from kiosk.domain.errors import CatalogueError, ValidationError
from kiosk.domain.text import clean
from kiosk.hub.app import Admin, error_body, hub_of
from kiosk.office import Office
from kiosk.store.backup import backup_to
from kiosk.store.calendar_repo import delete_override, list_overrides, upsert_override
from kiosk.store.catalogue_repo import replace_catalogue

router = APIRouter(tags=["quản trị"])

MAX_CATALOGUE_BYTES = 5 * 1024 * 1024


def actor(admin: Any) -> str:
    return f"device:{admin.id}"


# --- staff -----------------------------------------------------------------------------------


@router.get("/api/admin/staff")
async def staff_list(request: Request, admin: Admin) -> list[dict[str, Any]]:
    """Tài khoản cán bộ (không có mật khẩu hay mã băm)."""
    hub = hub_of(request)
    rows: list[dict[str, Any]] = await hub.run(
        hub.office.store.query,
        "SELECT id, username, full_name, role, active, locked_until, created_at "
        "FROM staff ORDER BY username",
    )
    return [{**row, "active": bool(row["active"])} for row in rows]


# --- calendar overrides ----------------------------------------------------------------------


class OverrideIn(BaseModel):
    kind: OverrideKind
    reason: str = Field(default="", max_length=200)


def _override_json(override: CalendarOverride) -> dict[str, Any]:
    return {
        "day": override.day.isoformat(),
        "kind": OverrideKind(override.kind).value,
        "reason": override.reason,
    }


@router.get("/api/admin/calendar/overrides")
async def overrides(
    request: Request, admin: Admin, year: int | None = Query(default=None, ge=2000, le=2100)
) -> list[dict[str, Any]]:
    """Các ngày điều chỉnh lịch làm việc (nghỉ lễ thêm, nghỉ bù, làm bù), theo năm nếu có."""
    hub = hub_of(request)
    found: list[CalendarOverride] = await hub.run(list_overrides, hub.office.store, year)
    return [_override_json(o) for o in found]


@router.put("/api/admin/calendar/overrides/{day}")
async def set_override(
    day: date, body: OverrideIn, request: Request, admin: Admin
) -> dict[str, Any]:
    """Đặt (hoặc thay) điều chỉnh của một ngày; có hiệu lực ngay cho ngày hẹn trả."""
    hub = hub_of(request)
    override = CalendarOverride(day, body.kind, clean(body.reason))

    def write() -> None:
        with hub.office.store.write(
            actor(admin),
            "calendar.override.set",
            target=f"day:{day.isoformat()}",
            details={"kind": override.kind.value, "reason": override.reason},
        ) as tx:
            upsert_override(tx, override)

    await hub.run(write)
    return _override_json(override)


@router.delete("/api/admin/calendar/overrides/{day}", status_code=204)
async def remove_override(day: date, request: Request, admin: Admin) -> None:
    hub = hub_of(request)

    def write() -> None:
        with hub.office.store.write(
            actor(admin), "calendar.override.delete", target=f"day:{day.isoformat()}"
        ) as tx:
            if not delete_override(tx, day):
                raise ValidationError(
                    f"Ngày {day:%d/%m/%Y} không có điều chỉnh nào để xóa.", field="day"
                )

    await hub.run(write)


# --- catalogue import ------------------------------------------------------------------------


@router.post("/api/admin/catalogue", response_model=None)
async def import_catalogue(request: Request, admin: Admin) -> dict[str, Any] | JSONResponse:
    """Nhập danh mục thủ tục (JSON, hoặc CSV khi Content-Type là text/csv hay text/plain),
    thay toàn bộ danh mục trong một giao dịch. Lỗi: 422 với từng dòng, cột và lý do."""
    hub = hub_of(request)
    raw = await request.body()
    if len(raw) > MAX_CATALOGUE_BYTES:
        raise ValidationError("Tệp danh mục quá lớn (tối đa 5 MB).", field="body")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"Tệp không phải văn bản UTF-8 (byte lỗi ở vị trí {exc.start}). "
            "Hãy lưu lại tệp với mã hóa UTF-8.",
            field="body",
        ) from None
    try:
        found = parse_catalogue_json(text) if kind.endswith("json") else parse_catalogue_csv(text)
    except CatalogueError as exc:
        problems = [
            {"line": p.line, "column": p.column, "message": p.message} for p in exc.problems
        ]
        message = f"Tệp danh mục có {len(problems)} lỗi, chưa nhập gì." if problems else exc.message
        return JSONResponse(error_body(exc.code, message, problems=problems), status_code=422)

    def write() -> None:
        with hub.office.store.write(
            actor(admin),
            "catalogue.import",
            target="api",
            details={"procedures": len(found.procedures)},
        ) as tx:
            replace_catalogue(tx, found)
            tx.emit(
                "catalogue.replaced",
                {"procedures": len(found.procedures), "fields": len(found.fields)},
            )

    await hub.run(write)
    return {"procedures": len(found.procedures), "fields": len(found.fields)}


# --- backup and the office -------------------------------------------------------------------


@router.post("/api/admin/backup", status_code=201)
async def backup_now(request: Request, admin: Admin) -> dict[str, Any]:
    """Sao lưu ngay (đã kiểm tra) vào thư mục backups/ của thư mục dữ liệu."""
    hub = hub_of(request)
    office = hub.office
    stamp = office.clock().strftime("%Y%m%d-%H%M%S")
    target = office.paths.data_dir / "backups" / f"kiosk-{stamp}.db"
    written = await hub.run(backup_to, office.store, target, actor=actor(admin))
    return {"path": str(written), "bytes": written.stat().st_size}


def office_summary(office: Office) -> dict[str, Any]:
    settings = office.settings
    return {
        "office_name": settings.office_name,
        "unit_code": settings.unit_code,
        "fields": list(settings.fields),
        "groups": [
            {"prefix": g.prefix, "name": g.name, "fields": list(g.fields)} for g in settings.groups
        ],
        "counters": [
            {"number": c.number, "name": c.name, "groups": list(c.groups)}
            for c in settings.counters
        ],
        "hub_url": settings.hub_url,
        "district_url": settings.district_url,
        "data_dir": str(office.paths.data_dir),
        "settings_file": str(office.paths.settings_file),
    }


@router.get("/api/admin/office")
async def office(request: Request, admin: Admin) -> dict[str, Any]:
    """Tóm tắt cài đặt văn phòng (chỉ đọc; sửa trong tệp cài đặt)."""
    return office_summary(hub_of(request).office)
