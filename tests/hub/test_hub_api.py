"""The hub over real HTTP: roles, staff sessions, the queue through the API, clear errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from hubproc import HubProcess, Office, free_port, make_office

from kiosk.hub.client import HubClient, HubError, HubUnavailable


def test_health_answers_without_a_token(hub: HubProcess) -> None:
    health = httpx.get(f"{hub.url}/api/health").json()
    assert health["status"] == "ok"
    assert health["office"] == "UBND xã Thử Nghiệm"
    assert health["schema_version"] >= 3


def test_first_start_leaves_an_admin_token_only_its_user_can_read(hub: HubProcess) -> None:
    token_file = hub.data_dir / "admin-token.txt"
    assert token_file.stat().st_mode & 0o077 == 0
    with hub.client() as admin:
        assert admin.devices()[0]["role"] == "admin"


def test_a_request_without_a_valid_token_is_refused_in_vietnamese(hub: HubProcess) -> None:
    with HubClient(hub.url, "not-a-token") as stranger, pytest.raises(HubError) as info:
        stranger.queue()
    assert info.value.status == 401
    assert "không hợp lệ" in info.value.message


def test_a_ticket_goes_from_the_kiosk_to_a_counter(office: Office) -> None:
    issued = office.kiosk.issue("A")
    assert issued["ticket"]["display_number"] == "A001"
    assert issued["people_ahead"] == 0
    called = office.counters[1].call_next(1)
    assert called is not None and called["id"] == issued["ticket"]["id"]
    assert called["status"] == "called" and called["counter_number"] == 1
    office.counters[1].start(1)
    finished = office.counters[1].finish(1, "guided")
    assert finished is not None and finished["status"] == "done"
    assert office.counters[1].call_next(1) is None


def test_the_kiosk_cannot_call_and_the_display_cannot_issue(office: Office) -> None:
    with pytest.raises(HubError) as info:
        office.display.issue("A")
    assert info.value.status == 403
    kiosk_token = office.kiosk.token
    with HubClient(office.hub.url, kiosk_token, staff_session="x") as kiosk:
        with pytest.raises(HubError) as called:
            kiosk.call_next(1)
        assert called.value.status == 403


def test_a_counter_cannot_act_for_another_counter(office: Office) -> None:
    office.kiosk.issue("A")
    with pytest.raises(HubError) as info:
        office.counters[1].call_next(2)
    assert info.value.status == 403
    assert "quầy 1" in info.value.message


def test_a_counter_needs_a_logged_in_staff_member(office: Office) -> None:
    office.kiosk.issue("A")
    token = office.counters[1].token
    with HubClient(office.hub.url, token) as anonymous, pytest.raises(HubError) as info:
        anonymous.call_next(1)
    assert info.value.status == 401
    assert "đăng nhập" in info.value.message


def test_repeated_wrong_pins_lock_the_account(office: Office) -> None:
    token = office.counters[1].token
    with HubClient(office.hub.url, token) as counter:
        for _ in range(5):
            with pytest.raises(HubError) as wrong:
                counter.login("lan", "0000")
            assert wrong.value.status == 401
        with pytest.raises(HubError) as locked:
            counter.login("lan", "2468")  # the right PIN, but too late
        assert locked.value.status == 423
        assert "tạm khóa" in locked.value.message


def test_staff_actions_are_in_the_audit(office: Office) -> None:
    office.kiosk.issue("A")
    office.counters[1].call_next(1)
    from kiosk.store import Store

    with Store.open(office.hub.data_dir / "office.db") as store:
        rows = store.query("SELECT actor, action FROM audit ORDER BY id")
    actors = {(r["actor"], r["action"]) for r in rows}
    assert any(a.startswith("staff:lan@counter:1") for a, _ in actors)
    assert ("staff:lan", "staff.login") in actors


def test_a_revoked_device_is_refused(office: Office) -> None:
    device_id = next(d["id"] for d in office.admin.devices() if d["role"] == "display")
    office.admin.revoke_device(device_id)
    with pytest.raises(HubError) as info:
        office.display.queue()
    assert info.value.status == 401


def test_illegal_queue_steps_are_clear_4xx(office: Office) -> None:
    office.kiosk.issue("A")
    office.kiosk.issue("A")
    office.counters[1].call_next(1)
    with pytest.raises(HubError) as busy:
        office.counters[1].call_next(1)
    assert 400 <= busy.value.status < 500
    assert "Quầy 1" in busy.value.message
    with pytest.raises(HubError) as unknown:
        office.kiosk.issue("Z")
    assert unknown.value.status == 404


def test_malformed_bodies_are_422_with_a_vietnamese_message(office: Office) -> None:
    response = httpx.post(
        f"{office.hub.url}/api/tickets",
        headers={"Authorization": f"Bearer {office.kiosk.token}"},
        content=b"{not json",
    )
    assert response.status_code == 422
    assert "không hợp lệ" in response.json()["message"]


def test_an_unreachable_hub_is_a_clear_error() -> None:
    with (
        HubClient(f"http://127.0.0.1:{free_port()}", "t") as client,
        pytest.raises(HubUnavailable) as info,
    ):
        client.health()
    assert "Không kết nối được" in info.value.message


def test_the_web_display_is_served(hub: HubProcess) -> None:
    page = httpx.get(f"{hub.url}/display")
    assert page.status_code == 200 and "Bảng hiển thị" in page.text
    script = httpx.get(f"{hub.url}/display/display.js")
    assert script.status_code == 200 and "WebSocket" in script.text
    assert httpx.get(f"{hub.url}/display/other.js").status_code == 422


@pytest.mark.parametrize("row_id", [2**31, 2**53 + 1, 2**64 + 7])
def test_an_id_beyond_any_row_is_a_clear_422_on_every_route(office: Office, row_id: int) -> None:
    """Ids in paths and bodies have one bound (kiosk.hub.deps.MAX_ROW_ID): never a 500 from
    SQLite's integer range, never a different answer from route to route."""
    calls = [
        lambda: office.counters[1].cancel(1, row_id),
        lambda: office.counters[1].return_from_hold(1, row_id),
        lambda: office.counters[1].call(1, row_id),
        lambda: office.admin.revoke_device(row_id),
        lambda: office.admin.update_staff(row_id, full_name="Ai đó"),
        lambda: office.admin.device_printers(row_id),
        lambda: office.admin.print_test_result(row_id),
    ]
    for call in calls:
        with pytest.raises(HubError) as refused:
            call()
        assert refused.value.status == 422, refused.value.message
        assert refused.value.message


def test_the_hub_runs_on_the_clock_it_was_started_with_and_a_restart_carries_it_on(
    tmp_path: Path,
) -> None:
    hub = HubProcess(make_office(tmp_path / "office"), clock_start="2027-02-06T08:00")
    hub.start()
    try:
        first = datetime.fromisoformat(httpx.get(f"{hub.url}/api/health").json()["time"])
        # Tết 2027, whatever the machine's date: the office's "now" is the injected one.
        assert first.date().isoformat() == "2027-02-06" and first.utcoffset() == timedelta(hours=7)
        assert first - datetime.fromisoformat("2027-02-06T08:00+07:00") < timedelta(minutes=2)
        with hub.client() as admin:
            before = admin.health()["time"]
        hub.stop()
        hub.start()
        again = datetime.fromisoformat(httpx.get(f"{hub.url}/api/health").json()["time"])
        assert again >= datetime.fromisoformat(before)  # the restart did not turn time back
    finally:
        hub.stop()
