"""Staff accounts changed by an admin (PATCH /api/admin/staff/{id}) on the real hub: a forgotten
PIN, a clerk who leaves, a promotion, a lockout; the office never loses its last admin."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hubproc import TEST_ADMIN, HubProcess, Office, refused

from kiosk.clock import VN_TZ, FixedClock
from kiosk.hub import auth
from kiosk.hub.client import HubClient
from kiosk.paths import resolve_paths
from kiosk.store import Store


def staff_id(office: Office, username: str) -> int:
    return next(int(row["id"]) for row in office.admin.staff() if row["username"] == username)


def staff_row(office: Office, username: str) -> dict[str, Any]:
    return next(row for row in office.admin.staff() if row["username"] == username)


def audit(hub: HubProcess, action: str) -> list[tuple[str, str, dict[str, Any]]]:
    database = resolve_paths(hub.data_dir).database
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        query = "SELECT actor, target, details FROM audit WHERE action = ? ORDER BY id"
        return [(str(a), str(t), json.loads(d)) for a, t, d in conn.execute(query, (action,))]
    finally:
        conn.close()


def test_reset_pin_refuses_the_old_one_and_ends_the_open_counter_session(office: Office) -> None:
    lan = staff_id(office, "lan")
    counter = office.counters[1]
    counter.session_info()  # lan is at counter 1
    answer = office.admin.update_staff(lan, secret="97531")
    assert answer["username"] == "lan" and answer["sessions_ended"] == 1
    # Her open session ends at once (not after the hub's auth cache runs out).
    assert "đăng nhập lại" in refused(lambda: counter.session_info(), 401).message
    with office.hub.client(counter.token) as again:
        assert "Sai tên đăng nhập" in refused(lambda: again.login("lan", "2468"), 401).message
        assert again.login("lan", "97531")["staff"]["username"] == "lan"
    # Counter 2 (minh) was not touched.
    office.counters[2].session_info()
    ((actor, target, details),) = audit(office.hub, "staff.update")
    assert actor.startswith(f"staff:{TEST_ADMIN[0]}@device:") and target == "staff:lan"
    assert details == {"secret_reset": True, "sessions_ended": 1}


def test_reset_pin_follows_the_rules_of_a_new_account(office: Office) -> None:
    lan = staff_id(office, "lan")
    error = refused(lambda: office.admin.update_staff(lan, secret="12345x"), 422)
    assert "Mật khẩu phải có ít nhất 8 ký tự" in error.message
    office.counters[1].session_info()  # nothing changed, nobody logged out


def test_deactivated_member_cannot_log_in_until_reactivated(office: Office) -> None:
    minh = staff_id(office, "minh")
    counter = office.counters[2]
    answer = office.admin.update_staff(minh, active=False)
    assert answer["active"] is False and answer["sessions_ended"] == 1
    assert staff_row(office, "minh")["active"] is False
    refused(lambda: counter.session_info(), 401)
    with office.hub.client(counter.token) as again:
        error = refused(lambda: again.login("minh", "1357"), 403)
        assert "đã ngừng hoạt động" in error.message and "minh" in error.message
        # The message is said only to whoever knows the PIN: a wrong one is the usual refusal.
        assert "Sai tên đăng nhập" in refused(lambda: again.login("minh", "0000"), 401).message
        office.admin.update_staff(minh, active=True)
        assert again.login("minh", "1357")["staff"]["username"] == "minh"
    details = [d for _, _, d in audit(office.hub, "staff.update")]
    assert details == [{"active": False, "sessions_ended": 1}, {"active": True}]


def test_role_change_ends_the_sessions_and_takes_effect(office: Office) -> None:
    lan = staff_id(office, "lan")
    answer = office.admin.update_staff(lan, role="supervisor", full_name="  Trần Thị  Ngọc Lan ")
    assert answer["role"] == "supervisor" and answer["full_name"] == "Trần Thị Ngọc Lan"
    refused(lambda: office.counters[1].session_info(), 401)
    # Made admin, she may use the admin screen from another admin device.
    office.admin.update_staff(lan, role="admin")
    device = office.admin.add_device("Máy quản trị 2", "admin")["token"]
    with office.hub.client(device) as second:
        second.login("lan", "2468")
        assert [row["username"] for row in second.staff()] == ["lan", "minh", TEST_ADMIN[0]]
    details = [d for _, _, d in audit(office.hub, "staff.update")]
    assert details[0] == {
        "full_name": "Trần Thị Ngọc Lan",
        "role": "supervisor",
        "role_before": "clerk",
        "sessions_ended": 1,
    }
    assert details[1] == {"role": "admin", "role_before": "supervisor"}


def test_unlock_after_five_wrong_pins(office: Office) -> None:
    with office.hub.client(office.counters[1].token) as counter:
        for _ in range(auth.MAX_FAILED_LOGINS):
            refused(lambda: counter.login("lan", "0000"), 401)
        assert "tạm khóa" in refused(lambda: counter.login("lan", "2468"), 423).message
        row = staff_row(office, "lan")
        assert row["locked"] is True and row["locked_until"]
        answer = office.admin.update_staff(staff_id(office, "lan"), unlock=True)
        assert answer["locked"] is False and answer["locked_until"] is None
        assert answer["sessions_ended"] == 0  # unlocking logs nobody out
        assert counter.login("lan", "2468")["staff"]["username"] == "lan"
    assert audit(office.hub, "staff.update")[-1][2] == {"unlocked": True}


def test_the_last_admin_and_an_admin_himself_cannot_be_removed(office: Office) -> None:
    me = staff_id(office, TEST_ADMIN[0])
    # The only admin: neither deactivated nor demoted (and by himself, least of all).
    error = refused(lambda: office.admin.update_staff(me, active=False), 409)
    assert "quản trị cuối cùng" in error.message
    refused(lambda: office.admin.update_staff(me, role="clerk"), 409)
    # With a second admin, still not by himself: another admin must do it.
    hai = office.admin.add_staff("hai", "Đỗ Văn Hai", "hai-mat-khau", role="admin")["id"]
    error = refused(lambda: office.admin.update_staff(me, role="supervisor"), 409)
    assert "chính mình" in error.message
    # He may change his own name and password, and keeps working on this screen.
    answer = office.admin.update_staff(me, full_name="Quản trị chính", secret="mat-khau-moi-1")
    assert answer["sessions_ended"] == 0
    office.admin.staff()
    # The other admin can be demoted and deactivated by him.
    assert office.admin.update_staff(hai, role="clerk", active=False)["active"] is False
    assert staff_row(office, TEST_ADMIN[0])["role"] == "admin"
    assert audit(office.hub, "staff.update")[0][2] == {
        "full_name": "Quản trị chính",
        "secret_reset": True,
    }


def test_the_last_admin_rule_holds_outside_the_hub_too(tmp_path: Path) -> None:
    """The rule lives in auth.update_staff, so the command line (no admin session) keeps it."""
    with Store.open(
        tmp_path / "kiosk.db", clock=FixedClock(datetime(2026, 9, 14, 8, 0, tzinfo=VN_TZ))
    ) as store:
        only = auth.create_staff(
            store, username="a", full_name="A", secret="1234", role="admin", actor="test"
        )
        with pytest.raises(auth.StaffChangeRefused):
            auth.update_staff(store, only.id, active=False, actor="test")
        assert auth.active_admin_count(store) == 1
        rows = store.query("SELECT details FROM audit WHERE action = 'staff.update'")
        assert rows == []  # a refused change leaves no trace but the refusal


def test_unknown_and_impossible_staff_ids(office: Office) -> None:
    error = refused(lambda: office.admin.update_staff(999, unlock=True), 404)
    assert "Không có tài khoản" in error.message
    refused(lambda: office.admin.update_staff(2**60, unlock=True), 422)
    refused(lambda: office.admin.update_staff(0, unlock=True), 422)
    refused(lambda: office.admin.update_staff(staff_id(office, "lan"), role="boss"), 422)
    refused(lambda: office.admin.update_staff(staff_id(office, "lan"), colour="red"), 422)


def test_only_a_logged_in_admin_may_change_staff(office: Office) -> None:
    lan = staff_id(office, "lan")
    refused(lambda: office.counters[1].update_staff(lan, secret="1111"), 403)
    with HubClient(office.hub.url, office.hub.admin_token) as device_only:
        refused(lambda: device_only.update_staff(lan, secret="1111"), 401)
    device = office.admin.add_device("Máy quản trị 2", "admin")["token"]
    with office.hub.client(device) as clerk_at_admin:
        clerk_at_admin.login("minh", "1357")
        refused(lambda: clerk_at_admin.update_staff(lan, secret="1111"), 403)
    assert audit(office.hub, "staff.update") == []


def test_audit_rows_never_hold_a_secret(office: Office) -> None:
    lan = staff_id(office, "lan")
    office.admin.update_staff(lan, secret="86420")
    office.admin.update_staff(lan, secret="mat-khau-cua-lan")
    database = resolve_paths(office.hub.data_dir).database
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        texts = [str(row[0]) for row in conn.execute("SELECT details FROM audit")]
        hashes = [str(row[0]) for row in conn.execute("SELECT secret_hash FROM staff")]
    finally:
        conn.close()
    for text in texts:
        assert "86420" not in text and "mat-khau-cua-lan" not in text
        assert "argon2" not in text and not any(h in text for h in hashes)
