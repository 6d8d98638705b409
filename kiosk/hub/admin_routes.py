"""Admin routes beyond devices: staff list, calendar overrides, catalogue import, backups and
restore (the restore itself is `kiosk.hub.restore`).

The office settings (read and changed) are in `kiosk.hub.office_routes`.

An admin device with an admin staff member logged in (`Admin`). Every change goes through
`store.write`, so it has its audit row (actor `staff:USER@device:ID`); reads of
the calendar need no cache flush because `Office.calendar()` reads the override table each time,
so a new holiday moves the next due date at once, with no screen restarted.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, cast

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from kiosk.domain.calendar import CalendarOverride, OverrideKind
from kiosk.domain.catalogue_io import parse_catalogue_csv, parse_catalogue_json
from kiosk.domain.errors import CatalogueError, KioskError, ValidationError
from kiosk.domain.text import clean
from kiosk.hub import auth, wire
from kiosk.hub.auth import AdminSession, Role
from kiosk.hub.deps import Admin, HubDep, RowId, error_body, hub_of
from kiosk.hub.restore import BACKUP_NAME_PATTERN, backup_path, list_backups, restore_online
from kiosk.queue import CATALOGUE_CHANGED, announce
from kiosk.store.backup import backup_to
from kiosk.store.calendar_repo import delete_override, list_overrides, upsert_override
from kiosk.store.catalogue_repo import replace_catalogue

router = APIRouter(tags=["quản trị"])
#: Devices and new staff accounts (registered first, as the hub always did).
devices_router = APIRouter()

MAX_CATALOGUE_BYTES = 5 * 1024 * 1024


def actor(admin: AdminSession) -> str:
    """The audit actor of an admin request: the staff member and the device."""
    return admin.actor


# --- staff -----------------------------------------------------------------------------------


@router.get("/api/admin/staff")
async def staff_list(request: Request, admin: Admin) -> list[wire.StaffAccount]:
    """Tài khoản cán bộ (không có mật khẩu hay mã băm); `locked`: đang bị tạm khóa."""
    hub = hub_of(request)
    rows: list[wire.StaffAccount] = await hub.run(auth.list_staff, hub.office.store)
    return rows


class StaffChangeIn(BaseModel):
    """Only the fields sent change; `secret` is a new password or PIN, `unlock` clears a lock."""

    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(default=None, min_length=1, max_length=100)
    role: auth.StaffRole | None = None
    active: bool | None = None
    secret: str | None = Field(default=None, min_length=4, max_length=200)
    unlock: bool = False


@router.patch("/api/admin/staff/{staff_id}")
async def change_staff(
    staff_id: RowId,
    body: StaffChangeIn,
    request: Request,
    admin: Admin,
    x_staff_session: Annotated[str, Header()] = "",
) -> wire.StaffChanged:
    """Sửa tài khoản cán bộ: họ tên, vai trò, đang làm việc hay đã nghỉ, đặt lại mật khẩu/PIN,
    mở khóa. Cho nghỉ, đặt lại mật khẩu hay đổi vai trò thì các phiên đăng nhập của người đó
    kết thúc ngay. Không được bỏ quản trị viên cuối cùng, hay tự bỏ quyền của chính mình (409)."""
    hub = hub_of(request)
    try:
        answer: wire.StaffChanged = await hub.run(
            auth.update_staff,
            hub.office.store,
            staff_id,
            full_name=body.full_name,
            role=body.role,
            active=body.active,
            secret=body.secret,
            unlock=body.unlock,
            actor=actor(admin),
            by_staff_id=admin.staff.id,
            keep_session=x_staff_session,
        )
    finally:
        # Cached sessions would outlive the ones just ended (and keep an old role) for a while.
        hub.forget_credentials()
    return answer


# --- calendar overrides ----------------------------------------------------------------------


class OverrideIn(BaseModel):
    kind: OverrideKind
    reason: str = Field(default="", max_length=200)


def _override_json(override: CalendarOverride) -> wire.CalendarOverride:
    return {
        "day": override.day.isoformat(),
        "kind": OverrideKind(override.kind).value,
        "reason": override.reason,
    }


@router.get("/api/admin/calendar/overrides")
async def overrides(
    request: Request, admin: Admin, year: int | None = Query(default=None, ge=2000, le=2100)
) -> list[wire.CalendarOverride]:
    """Các ngày điều chỉnh lịch làm việc (nghỉ lễ thêm, nghỉ bù, làm bù), theo năm nếu có."""
    hub = hub_of(request)
    found: list[CalendarOverride] = await hub.run(list_overrides, hub.office.store, year)
    return [_override_json(o) for o in found]


@router.put("/api/admin/calendar/overrides/{day}")
async def set_override(
    day: date, body: OverrideIn, request: Request, admin: Admin
) -> wire.CalendarOverride:
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


@router.delete("/api/admin/calendar/overrides/{day}", status_code=204, response_class=Response)
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


@router.post("/api/admin/catalogue", response_model=wire.CatalogueImported)
async def import_catalogue(request: Request, admin: Admin) -> wire.CatalogueImported | JSONResponse:
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
            facts = {"procedures": len(found.procedures), "fields": len(found.fields)}
            tx.emit("catalogue.replaced", facts)
            # The running kiosks and consoles reload it (no restart).
            announce(tx, CATALOGUE_CHANGED, {**facts, "source": "admin"})

    await hub.write(write)
    return {"procedures": len(found.procedures), "fields": len(found.fields)}


# --- backup --------------------------------------------------------------------------------------


@router.post("/api/admin/backup", status_code=201)
async def backup_now(request: Request, admin: Admin) -> wire.BackupMade:
    """Sao lưu ngay (đã kiểm tra) vào thư mục backups/ của thư mục dữ liệu."""
    hub = hub_of(request)
    office = hub.office
    target = backup_path(office, office.clock())
    written = await hub.run(backup_to, office.store, target, actor=actor(admin))
    return {"path": str(written), "name": written.name, "bytes": written.stat().st_size}


@router.get("/api/admin/backups")
async def backups(request: Request, admin: Admin) -> list[wire.Backup]:
    """Các bản sao lưu trong thư mục backups/, mới nhất trước: tên, thời điểm, dung lượng,
    đã kiểm tra được hay chưa (và lý do nếu không dùng được)."""
    hub = hub_of(request)
    found: list[wire.Backup] = await hub.run(list_backups, hub.office)
    return found


class RestoreIn(BaseModel):
    name: str = Field(min_length=4, max_length=200, pattern=BACKUP_NAME_PATTERN)
    #: The backup's name typed again: a restore replaces everything done since that backup.
    confirm: str = Field(max_length=200)


@router.post("/api/admin/restore")
async def restore(
    body: RestoreIn,
    request: Request,
    admin: Admin,
    x_staff_session: Annotated[str, Header()] = "",
) -> wire.Restored:
    """Khôi phục một bản sao lưu khi máy chủ vẫn chạy: sao lưu an toàn dữ liệu hiện tại trước,
    rồi thay cơ sở dữ liệu; mọi màn hình tải lại từ đầu. `confirm` phải là tên bản sao lưu."""
    if body.confirm != body.name:
        raise ValidationError(
            "Chưa xác nhận khôi phục: nhập lại đúng tên bản sao lưu.", field="confirm"
        )
    _, _, token = request.headers.get("authorization", "").partition(" ")
    report = await restore_online(
        hub_of(request),
        body.name,
        admin,
        device_token=token.strip(),
        session_token=x_staff_session,
    )
    return cast(wire.Restored, report.as_json())


class DeviceIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: Role
    counter_number: int | None = Field(default=None, ge=1, le=999)


class StaffIn(BaseModel):
    username: str = Field(min_length=1, max_length=50)
    full_name: str = Field(min_length=1, max_length=100)
    secret: str = Field(min_length=4, max_length=200)
    role: auth.StaffRole = auth.StaffRole.CLERK


@devices_router.post("/api/admin/devices", tags=["quản trị"], status_code=201)
async def add_device(hub: HubDep, body: DeviceIn, admin: Admin) -> wire.NewDevice:
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
        "role": cast(wire.DeviceRoleName, found.role.value),
        "counter_number": found.counter_number,
        "token": token,
    }


@devices_router.get("/api/admin/devices", tags=["quản trị"])
async def devices(hub: HubDep, admin: Admin) -> list[wire.DeviceRow]:
    """Các thiết bị đã đăng ký (cả thiết bị đã thu hồi), không có mã truy cập."""
    result: list[wire.DeviceRow] = await hub.run(auth.list_devices, hub.office.store)
    return result


@devices_router.delete(
    "/api/admin/devices/{device_id}", tags=["quản trị"], status_code=204, response_class=Response
)
async def revoke(hub: HubDep, device_id: RowId, admin: Admin) -> None:
    if device_id == admin.id:
        # The admin would lock itself out mid-work; another admin device may do it.
        raise KioskError(
            "Không thể thu hồi chính máy quản trị đang dùng. Hãy thu hồi từ một máy quản "
            "trị khác, hoặc bằng lệnh 'kiosk devices revoke' trên máy chủ văn phòng."
        )
    await hub.run(auth.revoke_device, hub.office.store, device_id, actor=admin.actor)
    hub.forget_credentials()


@devices_router.post("/api/admin/staff", tags=["quản trị"], status_code=201)
async def add_staff(hub: HubDep, body: StaffIn, admin: Admin) -> wire.NewStaff:
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
        "role": cast(wire.StaffRoleName, staff.role.value),
    }
