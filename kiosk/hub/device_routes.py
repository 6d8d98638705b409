"""Printers per device, set from the admin screen, and print tests run by the device itself.

A printer is attached to one PC (USB, the Windows spooler, a LAN printer only that PC reaches),
so a test printed from the admin PC proves nothing: the admin asks, the hub records a pending
test and puts `device.print_test` on the event stream, the device prints on its own printer
and reports back. Printer changes go out as `device.printers_changed`, so every screen follows
them without a restart. Event details are public facts only (ids and a kind), never an address.

Admin routes use the `Admin` dependency; the device routes any registered device.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from kiosk.domain.errors import KioskError, ValidationError
from kiosk.domain.text import clean
from kiosk.hub import wire
from kiosk.hub.auth import ROLE_LABELS, Device, Forbidden, Role
from kiosk.hub.deps import Admin, AnyDevice, Hub, RowId, hub_of
from kiosk.printing.errors import PrinterError
from kiosk.printing.thermal.connections import parse_printer_uri
from kiosk.store.db import Store
from kiosk.store.tx import WriteTx

router = APIRouter()

PrinterKind = Literal["ticket", "receipt", "form"]

#: Which printers each role has: the kiosk prints tickets; a counter PC prints forms (A4/A5)
#: and, when it has one, the thermal short receipt. Other screens print nothing.
PRINTER_KINDS: Final[dict[Role, tuple[PrinterKind, ...]]] = {
    Role.KIOSK: ("ticket",),
    Role.COUNTER: ("form", "receipt"),
}
KIND_LABELS: Final[dict[str, str]] = {
    "ticket": "máy in số thứ tự",
    "receipt": "máy in phiếu nhiệt",
    "form": "máy in biểu mẫu",
}
MAX_URI: Final = 500
MAX_STATUS: Final = 4000


class DeviceNotFound(KioskError):
    code = "device_not_found"
    status = 404


class PrintTestNotFound(KioskError):
    code = "print_test_not_found"
    status = 404


class PrintTestFinished(KioskError):
    code = "print_test_finished"
    status = 409


class PrintTestExpired(KioskError):
    code = "print_test_expired"
    status = 409


#: A device prints a test only if it claims it within this many seconds of the request (hub
#: clock): a request replayed after a long disconnect must not print out of the blue. The admin
#: screen gives up waiting after 20 s; this leaves room for a slow network.
PRINT_TEST_EXPIRY_S = 60


# --- rules -----------------------------------------------------------------------------------


def kinds_of(role: Role | str) -> tuple[PrinterKind, ...]:
    return PRINTER_KINDS.get(Role(role), ())


def check_printer_uri(kind: str, uri: str) -> str:
    """The URI as stored (trimmed, NFC); ValidationError with the printing layer's reason."""
    text = clean(uri)
    if len(text) > MAX_URI:
        raise ValidationError(f"Địa chỉ máy in quá dài (tối đa {MAX_URI} ký tự).", field=kind)
    if kind == "form":
        # Forms are PDFs: saved to a folder, or printed through the OS spooler by the screen
        # (kiosk/printing/forms/delivery.py); a thermal printer cannot print an A4 form.
        scheme, _, target = text.partition(":")
        if scheme not in ("pdf", "os") or not target.strip():
            raise ValidationError(
                f"Địa chỉ máy in biểu mẫu '{text}' không hợp lệ: dùng pdf:THƯ_MỤC (lưu PDF) "
                "hoặc os:Tên máy in (máy in A4 của Windows).",
                field=kind,
                value=text,
            )
        return text
    try:
        return parse_printer_uri(text).uri
    except PrinterError as error:
        raise ValidationError(error.message, field=kind, value=text) from None


def _device_row(store: Store, device_id: int) -> dict[str, Any]:
    rows = store.query(
        "SELECT id, name, role, counter_number, revoked_at FROM devices WHERE id = ?",
        (device_id,),
    )
    if not rows:
        raise DeviceNotFound(f"Không có thiết bị số {device_id}.")
    return rows[0]


def _printers(store: Store, device_id: int) -> dict[str, str]:
    rows = store.query(
        "SELECT kind, uri FROM device_printers WHERE device_id = ? ORDER BY kind", (device_id,)
    )
    return {str(r["kind"]): str(r["uri"]) for r in rows}


def device_printers(store: Store, device_id: int) -> dict[str, Any]:
    """A device with its printer kinds and the URIs set for them (unset kinds are absent)."""
    row = _device_row(store, device_id)
    return {
        "device_id": int(row["id"]),
        "name": str(row["name"]),
        "role": str(row["role"]),
        "counter_number": row["counter_number"],
        "revoked": row["revoked_at"] is not None,
        "kinds": list(kinds_of(row["role"])),
        "printers": _printers(store, device_id),
    }


def _usable_device(store: Store, device_id: int) -> dict[str, Any]:
    row = _device_row(store, device_id)
    if row["revoked_at"] is not None:
        raise ValidationError(
            f"Thiết bị số {device_id} '{row['name']}' đã bị thu hồi.", field="device_id"
        )
    return row


def _check_kind(row: dict[str, Any], kind: str) -> None:
    kinds = kinds_of(row["role"])
    if kind not in kinds:
        role = ROLE_LABELS[Role(row["role"])]
        allowed = ", ".join(KIND_LABELS[k] for k in kinds) or "không có máy in nào"
        raise ValidationError(
            f"Thiết bị '{row['name']}' ({role}) không dùng {KIND_LABELS.get(kind, kind)}; "
            f"loại máy in của nó: {allowed}.",
            field=kind,
        )


def set_device_printers(
    hub: Hub, device_id: int, printers: dict[str, str | None], *, actor: str
) -> dict[str, Any]:
    """Replace a device's printers (a kind given empty or null is removed; kinds not given are
    kept) in one write, and announce the change to the device."""
    store = hub.office.store
    row = _usable_device(store, device_id)
    wanted: dict[str, str | None] = {}
    for kind, uri in printers.items():
        _check_kind(row, kind)
        wanted[kind] = check_printer_uri(kind, uri) if uri and uri.strip() else None
    with store.write(
        actor,
        "device.printers.set",
        target=f"device:{device_id}",
        details={"printers": wanted},
    ) as tx:
        for kind, uri in wanted.items():
            if uri is None:
                tx.execute(
                    "DELETE FROM device_printers WHERE device_id = ? AND kind = ?",
                    (device_id, kind),
                )
            else:
                tx.execute(
                    "INSERT INTO device_printers (device_id, kind, uri, updated_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (device_id, kind) "
                    "DO UPDATE SET uri = excluded.uri, updated_at = excluded.updated_at",
                    (device_id, kind, uri, tx.now_iso),
                )
        hub.engine.announce(tx, "device.printers_changed", {"device_id": device_id})
    return device_printers(store, device_id)


# --- print tests -----------------------------------------------------------------------------


def _test_json(row: dict[str, Any]) -> dict[str, Any]:
    status = row["printer_status"]
    return {
        "id": int(row["id"]),
        "device_id": int(row["device_id"]),
        "kind": str(row["kind"]),
        "state": "pending" if row["finished_at"] is None else "done",
        "ok": None if row["ok"] is None else bool(row["ok"]),
        "message": str(row["message"]),
        "printer": str(row["printer"]),
        "printer_status": None if status is None else json.loads(status),
        "requested_at": row["requested_at"],
        "requested_by": row["requested_by"],
        "finished_at": row["finished_at"],
    }


def _test_row(
    conn_query: Callable[[str, Any], list[dict[str, Any]]], test_id: int
) -> dict[str, Any]:
    rows = conn_query(
        "SELECT id, device_id, kind, requested_at, requested_by, finished_at, ok, message, "
        "printer, printer_status FROM print_tests WHERE id = ?",
        (test_id,),
    )
    if not rows:
        raise PrintTestNotFound(f"Không có yêu cầu in thử số {test_id}.")
    found: dict[str, Any] = rows[0]
    return found


def get_print_test(store: Store, test_id: int) -> dict[str, Any]:
    return _test_json(_test_row(store.query, test_id))


def request_print_test(hub: Hub, device_id: int, kind: str, *, actor: str) -> dict[str, Any]:
    """A pending test for the device, announced on the stream in the same write."""
    store = hub.office.store
    row = _usable_device(store, device_id)
    _check_kind(row, kind)
    with store.write(
        actor, "device.print_test", target=f"device:{device_id}", details={"kind": kind}
    ) as tx:
        test_id = tx.insert(
            "print_tests",
            {
                "device_id": device_id,
                "kind": kind,
                "requested_at": tx.now_iso,
                "requested_by": actor,
            },
        )
        hub.engine.announce(
            tx, "device.print_test", {"device_id": device_id, "test_id": test_id, "kind": kind}
        )
    return get_print_test(store, test_id)


def _open_test(tx: WriteTx, device: Device, test_id: int) -> dict[str, Any]:
    """The test, if it is this device's and still unanswered (else 403, 404 or 409)."""
    row = _test_row(lambda sql, params: _query(tx, sql, params), test_id)
    if int(row["device_id"]) != device.id:
        raise Forbidden(f"Yêu cầu in thử số {test_id} không dành cho thiết bị này.")
    if row["finished_at"] is not None:
        raise PrintTestFinished(f"Yêu cầu in thử số {test_id} đã có kết quả.")
    return row


def claim_print_test(store: Store, device: Device, test_id: int) -> dict[str, Any]:
    """The device asks, before printing, whether the test is still wanted.

    A test of another device is refused (403), one already answered too (409). One asked for
    more than PRINT_TEST_EXPIRY_S ago is answered here, as not printed, and refused (409
    `print_test_expired`): the admin reads why, and the device prints nothing.
    """
    expired_after: float | None = None
    with store.write(
        f"device:{device.id}", "device.print_test.claim", target=f"print_test:{test_id}"
    ) as tx:
        row = _open_test(tx, device, test_id)
        asked = datetime.fromisoformat(str(row["requested_at"]))
        waited = (datetime.fromisoformat(tx.now_iso) - asked).total_seconds()
        if waited > PRINT_TEST_EXPIRY_S:
            expired_after = waited
            tx.details["expired_after_s"] = round(waited)
            tx.execute(
                "UPDATE print_tests SET finished_at = ?, ok = 0, message = ? WHERE id = ?",
                (
                    tx.now_iso,
                    f"Thiết bị chỉ nhận được yêu cầu sau {round(waited)} giây (quá "
                    f"{PRINT_TEST_EXPIRY_S} giây, có lẽ do mất mạng) nên đã không in. "
                    "Hãy bấm In thử lại.",
                    test_id,
                ),
            )
    if expired_after is not None:
        # Raised after the write committed: the expiry is recorded for the admin to read.
        raise PrintTestExpired(
            f"Yêu cầu in thử số {test_id} đã quá hạn ({round(expired_after)} giây): không in."
        )
    return get_print_test(store, test_id)


def report_print_test(
    store: Store,
    device: Device,
    test_id: int,
    *,
    ok: bool,
    message: str,
    printer: str,
    status: Any,
) -> dict[str, Any]:
    """The device's answer to its own test; a test of another device is refused (403)."""
    status_json = None if status is None else json.dumps(status, ensure_ascii=False)
    if status_json is not None and len(status_json) > MAX_STATUS:
        raise ValidationError("Trạng thái máy in gửi lên quá dài.", field="status")
    with store.write(
        f"device:{device.id}",
        "device.print_test.result",
        target=f"print_test:{test_id}",
        details={"ok": ok},
    ) as tx:
        _open_test(tx, device, test_id)
        tx.execute(
            "UPDATE print_tests SET finished_at = ?, ok = ?, message = ?, printer = ?, "
            "printer_status = ? WHERE id = ?",
            (
                tx.now_iso,
                int(ok),
                clean(message)[:1000],
                clean(printer)[:MAX_URI],
                status_json,
                test_id,
            ),
        )
    return get_print_test(store, test_id)


def _query(tx: WriteTx, sql: str, params: Any) -> list[dict[str, Any]]:
    cursor = tx.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


# --- routes ----------------------------------------------------------------------------------


class PrintersIn(BaseModel):
    """Kinds to set: a URI, or empty/null to remove that printer; kinds not given are kept."""

    printers: dict[PrinterKind, str | None] = Field(default_factory=dict)


class PrintTestIn(BaseModel):
    kind: PrinterKind


class PrintTestResultIn(BaseModel):
    ok: bool
    message: str = Field(default="", max_length=2000)
    printer: str = Field(default="", max_length=MAX_URI)
    #: What the printer said (paper, cover…): free JSON from the device's status reading.
    status: dict[str, Any] | str | None = None


def _actor(admin: Device) -> str:
    # An admin route's caller names the staff member too when it is logged in (`actor`).
    return str(getattr(admin, "actor", f"device:{admin.id}"))


@router.get("/api/admin/devices/{device_id}/printers", tags=["quản trị"])
async def get_printers(device_id: RowId, request: Request, admin: Admin) -> wire.DevicePrinters:
    """Các máy in của một thiết bị theo loại (ticket, receipt, form)."""
    hub = hub_of(request)
    result: wire.DevicePrinters = await hub.run(device_printers, hub.office.store, device_id)
    return result


@router.put("/api/admin/devices/{device_id}/printers", tags=["quản trị"])
async def put_printers(
    device_id: RowId, body: PrintersIn, request: Request, admin: Admin
) -> wire.DevicePrinters:
    """Đặt máy in cho thiết bị; thiết bị áp dụng ngay, không cần khởi động lại."""
    hub = hub_of(request)
    given = {str(k): v for k, v in body.printers.items()}
    result: wire.DevicePrinters = await hub.write(
        set_device_printers, hub, device_id, given, actor=_actor(admin)
    )
    return result


@router.post("/api/admin/devices/{device_id}/print-test", tags=["quản trị"], status_code=201)
async def post_print_test(
    device_id: RowId, body: PrintTestIn, request: Request, admin: Admin
) -> wire.PrintTest:
    """Yêu cầu thiết bị in thử trên máy in của chính nó; xem kết quả ở /api/admin/print-tests."""
    hub = hub_of(request)
    result: wire.PrintTest = await hub.write(
        request_print_test, hub, device_id, body.kind, actor=_actor(admin)
    )
    return result


@router.get("/api/admin/print-tests/{test_id}", tags=["quản trị"])
async def print_test_state(test_id: RowId, request: Request, admin: Admin) -> wire.PrintTest:
    """Trạng thái một lần in thử: pending (chờ thiết bị) hoặc done (ok, message)."""
    hub = hub_of(request)
    result: wire.PrintTest = await hub.run(get_print_test, hub.office.store, test_id)
    return result


@router.get("/api/device", tags=["thiết bị"])
async def this_device(request: Request, dev: AnyDevice) -> wire.ThisDevice:
    """Thiết bị đang gọi: số, tên, loại, quầy và các máy in đã đặt cho nó."""
    hub = hub_of(request)
    found: wire.DevicePrinters = await hub.run(device_printers, hub.office.store, dev.id)
    return {
        "id": found["device_id"],
        "name": found["name"],
        "role": found["role"],
        "counter_number": found["counter_number"],
        "kinds": found["kinds"],
        "printers": found["printers"],
    }


@router.post("/api/device/print-tests/{test_id}/claim", tags=["thiết bị"])
async def print_test_claim(test_id: RowId, request: Request, dev: AnyDevice) -> wire.PrintTest:
    """Thiết bị hỏi trước khi in: yêu cầu in thử còn hiệu lực không (quá 60 giây thì thôi)."""
    hub = hub_of(request)
    result: wire.PrintTest = await hub.run(claim_print_test, hub.office.store, dev, test_id)
    return result


@router.post("/api/device/print-tests/{test_id}/result", tags=["thiết bị"])
async def print_test_result(
    test_id: RowId, body: PrintTestResultIn, request: Request, dev: AnyDevice
) -> wire.PrintTest:
    """Thiết bị báo kết quả in thử của chính nó."""
    hub = hub_of(request)
    result: wire.PrintTest = await hub.run(
        report_print_test,
        hub.office.store,
        dev,
        test_id,
        ok=body.ok,
        message=body.message,
        printer=body.printer,
        status=body.status,
    )
    return result
