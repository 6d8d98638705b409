"""Admin routes need the admin device AND an admin staff member logged in on it (real hub)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hubproc import TEST_ADMIN, HubProcess, Office, make_office, refused

from kiosk.hub.client import HubClient, HubError
from kiosk.paths import resolve_paths


def audit_rows(hub: HubProcess, action: str) -> list[tuple[str, str]]:
    database = resolve_paths(hub.data_dir).database
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        query = "SELECT actor, target FROM audit WHERE action = ? ORDER BY id"
        return [(str(a), str(t)) for a, t in conn.execute(query, (action,))]
    finally:
        conn.close()


def second_admin_device(office: Office) -> HubClient:
    return office.hub.client(office.admin.add_device("Máy quản trị 2", "admin")["token"])


def test_admin_device_without_a_staff_session_is_401(office: Office) -> None:
    with HubClient(office.hub.url, office.hub.admin_token) as device_only:
        error = refused(device_only.staff, 401)
        assert "đăng nhập bằng tài khoản quản trị" in error.message
        refused(lambda: device_only.add_device("Máy lạ", "kiosk"), 401)
        refused(device_only.backups, 401)
        # The device itself still works for what needs no staff member.
        assert device_only.queue()["groups"]


def test_a_clerk_logged_in_on_the_admin_device_is_403(office: Office) -> None:
    with second_admin_device(office) as device:
        answer = device.login("lan", "2468")
        assert answer["staff"]["role"] == "clerk"
        error = refused(device.staff, 403)
        assert "không có quyền quản trị" in error.message
        refused(device.backup, 403)


def test_an_admin_on_a_counter_device_cannot_use_admin_routes(office: Office) -> None:
    office.admin.add_staff("truong", "Nguyễn Văn Trưởng", "13572468", role="admin")
    counter = office.counters[2]
    counter.login("truong", "13572468")
    assert refused(counter.staff, 403).error_code == "forbidden"
    refused(lambda: counter.add_device("Máy lạ", "kiosk"), 403)


def test_wrong_secret_and_lock_out_as_at_the_counters(office: Office) -> None:
    office.admin.add_staff("truong", "Nguyễn Văn Trưởng", "13572468", role="admin")
    with second_admin_device(office) as device:
        for _ in range(4):
            error = refused(lambda: device.login("truong", "00000000"), 401)
            assert error.message == "Sai tên đăng nhập hoặc mật khẩu/PIN."
        refused(lambda: device.login("truong", "00000000"), 401)
        locked = refused(lambda: device.login("truong", "13572468"), 423)
        assert "tạm khóa" in locked.message
    # The shared test admin is not affected.
    assert len(office.admin.staff()) == 4


def test_admin_changes_are_audited_as_the_staff_member_at_the_device(office: Office) -> None:
    device_id = next(d["id"] for d in office.admin.devices() if d["role"] == "admin")
    office.admin.add_staff("hoa", "Phạm Thị Hoa", "8642")
    office.admin.set_calendar_override("2026-09-04", "day_off", "Nghỉ bù")
    actor = f"staff:{TEST_ADMIN[0]}@device:{device_id}"
    assert audit_rows(office.hub, "staff.create")[-1] == (actor, "staff:hoa")
    assert audit_rows(office.hub, "calendar.override.set")[-1][0] == actor
    assert audit_rows(office.hub, "device.register")[-1][0] == actor


def test_logout_ends_the_admin_session(office: Office) -> None:
    with second_admin_device(office) as device:
        office.admin.add_staff("truong", "Nguyễn Văn Trưởng", "13572468", role="admin")
        device.login("truong", "13572468")
        assert device.staff()
        session = device.staff_session
        device.logout()
        device.staff_session = session  # the old session is over for good
        refused(device.staff, 401)


def test_the_admin_cannot_revoke_its_own_device(office: Office) -> None:
    own = next(d["id"] for d in office.admin.devices() if d["role"] == "admin")
    error = refused(lambda: office.admin.revoke_device(own), 409)
    assert "chính máy quản trị" in error.message
    with second_admin_device(office) as other:
        other_id = max(d["id"] for d in office.admin.devices())
        office.admin.revoke_device(other_id)  # another admin device: fine
        refused(other.queue, 401)


def test_first_admin_bootstrap_only_while_there_is_none(tmp_path: Path) -> None:
    hub = HubProcess(make_office(tmp_path / "office"))
    hub.start()
    try:
        with HubClient(hub.url, hub.admin_token) as device:
            assert device.first_admin_needed() is True
            refused(device.staff, 401)
            with pytest.raises(HubError) as short:
                device.create_first_admin("quantri", "Quản trị", "12")
            assert short.value.status == 422
            answer = device.create_first_admin("QuanTri", "Nguyễn Quản Trị", "mat-khau-dai")
            assert answer["staff"] == {
                "username": "quantri",
                "full_name": "Nguyễn Quản Trị",
                "role": "admin",
            }
            assert device.staff()[0]["role"] == "admin"  # logged in at once
            assert device.first_admin_needed() is False
            again = refused(
                lambda: device.create_first_admin("khac", "Người khác", "12345678"), 409
            )
            assert "đã có tài khoản quản trị" in again.message
            kiosk_token = device.add_device("Máy lấy số", "kiosk")["token"]
        with HubClient(hub.url, kiosk_token) as kiosk:
            refused(kiosk.first_admin_needed, 403)
            refused(lambda: kiosk.create_first_admin("x", "X", "12345678"), 403)
    finally:
        hub.stop()
