"""The office's settings over the API: read by every screen, changed by the admin screen.

`GET /api/office` gives any device the public facts its screen shows (office name, unit code,
notice, form set, service groups, counters); `PUT /api/admin/office` changes the settings
without restarting anything. A change is checked by the settings file's own rules
(`kiosk.config.parse_settings` over the file's data merged with the change), so the API can
never save a file the hub would refuse at its next start.

A change is one operation (`Office.change_settings`): the busy check, the audit row, the
screens' notice and the queue's new configuration are one database write, and the settings
file is saved last inside it. A refusal or a failure (disk full, file not writable) rolls the
write back and puts the old file back, so nothing is ever half-changed.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kiosk.config import (
    Settings,
    office_facts,
    parse_settings,
    read_settings_data,
    settings_to_data,
)
from kiosk.domain.errors import KioskError, SettingsError
from kiosk.hub import wire
from kiosk.hub.admin_routes import actor
from kiosk.hub.deps import Admin, AnyDevice, Hub, error_body, hub_of
from kiosk.hub.parts import queue_specs, restart_sync
from kiosk.office import Office
from kiosk.store import ticket_repo
from kiosk.store.tx import WriteTx
from kiosk.sync.worker import not_configured_error

log = logging.getLogger(__name__)

router = APIRouter(tags=["văn phòng"])

#: The stream event every screen receives after a change; its details are `public_office`.
OFFICE_CHANGED = "office.changed"


class OfficeBusy(KioskError):
    """A counter or service group that still has tickets today cannot be removed now."""

    code = "office_busy"
    status = 409


# --- what is shown ------------------------------------------------------------------------------


def public_office(settings: Settings) -> dict[str, Any]:
    """What screens show: no personal data, no addresses of other machines."""
    return office_facts(settings)


def admin_office(office: Office) -> dict[str, Any]:
    """Everything the admin screen edits, plus where the hub keeps its data."""
    settings = office.settings
    return {
        **public_office(settings),
        "hub_url": settings.hub_url,
        "district_url": settings.district_url,
        "priority_mode": settings.priority_mode.value,
        "priority_every": settings.priority_every,
        "max_recalls": settings.max_recalls,
        "supplement_policy": settings.supplement_policy.value,
        "data_dir": str(office.paths.data_dir),
        "settings_file": str(office.paths.settings_file),
    }


# --- the change ---------------------------------------------------------------------------------


class GroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prefix: str = Field(max_length=10)
    name: str = Field(max_length=300)
    fields: list[str] = Field(default_factory=list, max_length=100)


class CounterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: int
    name: str = Field(default="", max_length=300)
    #: Prefixes of the groups the counter calls, in the order it serves them.
    groups: list[str] = Field(max_length=100)
    #: The counter's fields; None keeps what the file has for this counter number.
    fields: list[str] | None = Field(default=None, max_length=100)


class VoiceIn(BaseModel):
    """Any of the [voice] settings (docs/voice.md); what is absent stays as it is."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool | None = None
    engine: str | None = Field(default=None, max_length=20)
    reading: str | None = Field(default=None, max_length=20)
    region: str | None = Field(default=None, max_length=20)
    chime: bool | None = None
    english: bool | None = None
    repeat: int | None = None


class OfficeIn(BaseModel):
    """Any subset of the editable settings; what is absent stays as it is."""

    model_config = ConfigDict(extra="forbid")

    office_name: str | None = Field(default=None, max_length=1000)
    unit_code: str | None = Field(default=None, max_length=100)
    fields: list[str] | None = Field(default=None, max_length=200)
    notice: str | None = Field(default=None, max_length=2000)
    form_set: str | None = Field(default=None, max_length=10)
    hub_url: str | None = Field(default=None, max_length=500)
    district_url: str | None = Field(default=None, max_length=500)
    priority_mode: str | None = Field(default=None, max_length=20)
    priority_every: int | None = None
    max_recalls: int | None = None
    supplement_policy: str | None = Field(default=None, max_length=20)
    same_day_cutoff: str | None = Field(default=None, max_length=10)
    appointment: str | None = Field(default=None, max_length=10)
    groups: list[GroupIn] | None = Field(default=None, max_length=50)
    counters: list[CounterIn] | None = Field(default=None, max_length=200)
    voice: VoiceIn | None = None


# body attribute -> (file section, key)
KEYS: dict[str, tuple[str, str]] = {
    "office_name": ("office", "name"),
    "unit_code": ("office", "unit_code"),
    "fields": ("office", "fields"),
    "notice": ("queue", "notice"),
    "form_set": ("dossiers", "form_set"),
    "supplement_policy": ("dossiers", "supplement_policy"),
    "hub_url": ("network", "hub_url"),
    "district_url": ("network", "district_url"),
    "priority_mode": ("queue", "priority_mode"),
    "priority_every": ("queue", "priority_every"),
    "max_recalls": ("queue", "max_recalls"),
    "same_day_cutoff": ("hours", "same_day_cutoff"),
    "appointment": ("hours", "appointment"),
}


def merged_data(base: dict[str, Any], change: OfficeIn) -> dict[str, Any]:
    """The file's data with the change written over it (sections copied, never shared)."""
    data: dict[str, Any] = {
        name: dict(value) if isinstance(value, dict) else value for name, value in base.items()
    }
    for attribute, (section, key) in KEYS.items():
        value = getattr(change, attribute)
        if value is None:
            continue
        table = data.setdefault(section, {})
        if isinstance(table, dict):
            table[key] = value
    if change.voice is not None:
        voice = data.setdefault("voice", {})
        if isinstance(voice, dict):
            voice.update(change.voice.model_dump(exclude_none=True))
    if change.groups is not None:
        data["groups"] = [
            {"prefix": g.prefix, "name": g.name, "fields": list(g.fields)} for g in change.groups
        ]
    if change.counters is not None:
        old_fields = {
            c.get("number"): c.get("fields", [])
            for c in base.get("counters", [])
            if isinstance(c, dict)
        }
        counters: list[dict[str, Any]] = []
        for c in change.counters:
            item: dict[str, Any] = {"number": c.number, "groups": list(c.groups)}
            if c.name.strip():
                item["name"] = c.name
            fields = c.fields if c.fields is not None else old_fields.get(c.number, [])
            item["fields"] = list(fields)
            counters.append(item)
        data["counters"] = counters
    return data


def busy_removals(
    db: ticket_repo.Reader, day: date, before: Settings, after: Settings
) -> list[str]:
    """Groups and counters the change removes that still have a ticket today (waiting, called,
    serving or on hold): removing them would strand those citizens."""
    problems: list[str] = []
    kept_groups = {g.prefix for g in after.groups}
    for group in before.groups:
        count = (
            0 if group.prefix in kept_groups else ticket_repo.open_in_group(db, group.prefix, day)
        )
        if count:
            problems.append(
                f'Nhóm "{group.prefix} — {group.name}" còn {count} số chưa xong hôm nay: '
                "chưa thể bỏ nhóm này. Hãy phục vụ hoặc chuyển hết các số đó trước."
            )
    kept_counters = {c.number for c in after.counters}
    for counter in before.counters:
        count = (
            0
            if counter.number in kept_counters
            else ticket_repo.open_at_counter(db, counter.number, day)
        )
        if count:
            problems.append(
                f"{counter.name} (quầy {counter.number}) còn {count} số đang gọi, đang phục vụ, "
                "tạm giữ hoặc chờ riêng quầy này: chưa thể bỏ quầy. Hãy xử lý xong các số đó trước."
            )
    return problems


@dataclass(frozen=True)
class Applied:
    settings: Settings
    changes: dict[str, dict[str, Any]]


def apply_change(hub: Hub, change: OfficeIn, actor: str) -> Applied:
    """Check, save and apply one change (on the DB thread, so two changes never interleave).

    One operation (`Office.change_settings`): the busy check, the audit row, the screens'
    notice, the queue's new configuration and the settings file are one write; a refusal or a
    failure at any point leaves the database and the file as they were."""
    office, engine = hub.office, hub.engine
    before = office.settings
    path = office.paths.settings_file
    base = read_settings_data(path) or settings_to_data(before)
    after = parse_settings(merged_data(base, change), source=path)

    def during(tx: WriteTx) -> None:
        busy = busy_removals(tx, engine.service_day(), before, after)
        if busy:
            raise OfficeBusy(" ".join(busy), problems=busy)
        # The notice goes before the queue's own "queue.configured": a board answers that one
        # by reconnecting for a fresh snapshot, and would miss a notice that came after it.
        engine.announce(tx, OFFICE_CHANGED, public_office(after))
        engine.configure_in(tx, *queue_specs(after))

    changes = office.change_settings(after, actor=actor, during=during, write=engine.write)
    if changes:
        hub.use_settings(after)
    return Applied(after if changes else before, changes)


def problems_of(error: KioskError) -> list[str]:
    found = error.details.get("problems")
    return [str(p) for p in found] if isinstance(found, list) else []


# --- routes ---------------------------------------------------------------------------------------


@router.get("/api/office")
async def read_office(request: Request, dev: AnyDevice) -> wire.Office:
    """Thông tin văn phòng mà các màn hình hiển thị (tên, mã định danh, thông báo, nhóm, quầy)."""
    return cast(wire.Office, public_office(hub_of(request).office.settings))


@router.get("/api/admin/office")
async def office_settings(request: Request, admin: Admin) -> wire.OfficeSettings:
    """Cài đặt văn phòng mà màn hình quản trị sửa được, và nơi máy chủ lưu dữ liệu."""
    return cast(wire.OfficeSettings, admin_office(hub_of(request).office))


@router.put("/api/admin/office", response_model=wire.OfficeChanged)
async def update_office(
    body: OfficeIn, request: Request, admin: Admin
) -> wire.OfficeChanged | JSONResponse:
    """Sửa cài đặt văn phòng; có hiệu lực ngay trên mọi màn hình (sự kiện `office.changed`).
    Lỗi: 422 với danh sách `problems` (tiếng Việt), không thay đổi gì."""
    hub = hub_of(request)
    before = hub.office.settings
    try:
        applied: Applied = await hub.write(apply_change, hub, body, actor(admin))
    except SettingsError as exc:
        problems = problems_of(exc)
        message = f"Cài đặt có {len(problems)} lỗi, chưa lưu gì." if problems else exc.message
        return JSONResponse(error_body(exc.code, message, problems=problems), status_code=422)
    except OfficeBusy as exc:
        problems = problems_of(exc)
        return JSONResponse(
            error_body(exc.code, "Chưa lưu gì: " + exc.message, problems=problems),
            status_code=409,
        )
    notes = ["Đã lưu. Các màn hình cập nhật ngay, không cần khởi động lại."]
    if not applied.changes:
        notes = ["Không có gì thay đổi."]
    if "network.hub_url" in applied.changes:
        notes.append(
            "Địa chỉ máy chủ văn phòng mới dùng cho các máy cài đặt sau này; các máy đang chạy "
            "vẫn dùng địa chỉ đã cấu hình trên máy đó."
        )
    if applied.settings.district_url != before.district_url:
        worker = await asyncio.to_thread(restart_sync, hub, clock=hub.office.clock)
        missing = not_configured_error(hub.office.paths, applied.settings)
        if worker is not None:
            notes.append("Đồng bộ với máy chủ cấp trên đã chuyển sang địa chỉ mới.")
        elif not applied.settings.district_url:
            notes.append("Đã tắt đồng bộ với máy chủ cấp trên.")
        elif missing is not None:
            notes.append(f"Chưa đồng bộ với máy chủ cấp trên: {missing.message}")
    return {
        "office": cast(wire.OfficeSettings, admin_office(hub.office)),
        "changed": sorted(applied.changes),
        "message": " ".join(notes),
    }
