"""The office's settings changed from the admin API on the real hub: saved, applied, announced."""

from __future__ import annotations

import json
import sqlite3
import tomllib
from typing import Any

import pytest
from hubproc import HubProcess, Office, refused
from websockets.sync.client import ClientConnection, connect

from kiosk.hub.client import HubClient
from kiosk.paths import resolve_paths
from kiosk.sync.client import write_secret

THREE_DAYS = "1.004837"  # in the default catalogue: 3 working days, free


@pytest.fixture
def admin(office: Office) -> HubClient:
    return office.admin


def settings_file(hub: HubProcess) -> dict[str, Any]:
    return tomllib.loads(resolve_paths(hub.data_dir).settings_file.read_text(encoding="utf-8"))


def audit_rows(hub: HubProcess, action: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(f"file:{resolve_paths(hub.data_dir).database}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT actor, target, details FROM audit WHERE action = ? ORDER BY id", (action,)
        ).fetchall()
    finally:
        conn.close()
    return [{"actor": a, "target": t, "details": json.loads(d or "{}")} for a, t, d in rows]


def next_event(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        message = json.loads(ws.recv(timeout=5.0))
        if message["type"] == "event" and message["event"]["kind"] == kind:
            event: dict[str, Any] = message["event"]
            return event


def test_screens_read_the_public_office_facts(office: Office) -> None:
    facts = office.display.office()
    assert facts["office_name"] == "UBND xã Thử Nghiệm"
    assert facts["unit_code"] == "000.00.00.T01"
    assert [g["prefix"] for g in facts["groups"]] == ["A", "B"]
    assert facts["counters"][0] == {"number": 1, "name": "Quầy 1", "groups": ["A", "B"]}
    assert "hub_url" not in facts and "district_url" not in facts
    assert office.kiosk.office() == facts == office.counters[1].office()


def test_a_change_is_saved_applied_announced_and_kept_after_a_restart(
    office: Office, admin: HubClient
) -> None:
    with connect(office.display.events_url()) as ws:
        assert json.loads(ws.recv(timeout=5.0))["type"] == "snapshot"
        answer = admin.update_office(
            {
                "office_name": "UBND phường Hòa Bình",
                "notice": "Từ 1/7 bộ phận một cửa làm việc cả sáng thứ Bảy.",
                "unit_code": "000.00.00.T02",
            }
        )
        changed = next_event(ws, "office.changed")
    assert "ngay" in answer["message"]
    assert answer["changed"] == ["office.name", "office.unit_code", "queue.notice"]
    assert changed["details"]["office_name"] == "UBND phường Hòa Bình"
    assert changed["details"]["notice"].startswith("Từ 1/7")
    assert changed["ticket"] is None
    assert office.display.office()["office_name"] == "UBND phường Hòa Bình"
    assert office.display.health()["office"] == "UBND phường Hòa Bình"
    on_disk = settings_file(office.hub)
    assert on_disk["office"]["name"] == "UBND phường Hòa Bình"
    assert on_disk["office"]["unit_code"] == "000.00.00.T02"
    (row,) = audit_rows(office.hub, "office.update")
    assert row["actor"].endswith(f"device:{admin_device_id(admin)}")
    assert row["details"]["changed"]["office.name"] == {
        "before": "UBND xã Thử Nghiệm",
        "after": "UBND phường Hòa Bình",
    }
    # The next dossier carries the new unit code, with no restart.
    dossier = office.counters[1].receive_dossier(1, reception())
    assert dossier["code"].startswith("000.00.00.T02-")

    office.hub.stop()
    office.hub.start()
    facts = office.display.office()
    assert facts["office_name"] == "UBND phường Hòa Bình"
    assert facts["unit_code"] == "000.00.00.T02"


def test_groups_and_counters_change_what_is_issued_and_called(
    office: Office, admin: HubClient
) -> None:
    refused(lambda: office.kiosk.issue("C"), 404)
    current = admin.office_summary()
    groups = [*current["groups"], {"prefix": "C", "name": "Đất đai", "fields": []}]
    counters = [dict(c) for c in current["counters"]]
    counters[0]["groups"] = ["B", "A"]
    admin.update_office({"groups": groups, "counters": counters})
    assert [g["group"]["prefix"] for g in office.kiosk.queue()["groups"]] == ["A", "B", "C"]
    land = office.kiosk.issue("C")["ticket"]
    assert land["display_number"].startswith("C")
    office.kiosk.issue("A")
    office.kiosk.issue("B")
    called = office.counters[1].call_next(1)
    assert called is not None and called["prefix"] == "B"
    assert settings_file(office.hub)["counters"][0]["groups"] == ["B", "A"]


def test_invalid_settings_list_every_problem_and_change_nothing(
    office: Office, admin: HubClient
) -> None:
    path = resolve_paths(office.hub.data_dir).settings_file
    before_file = path.read_bytes()
    before = office.display.office()
    current = admin.office_summary()
    counters = [dict(c) for c in current["counters"]]
    counters[1]["groups"] = ["A", "Z"]
    error = refused(
        lambda: admin.update_office(
            {
                "office_name": "Tên mới",
                "unit_code": "mã sai!",
                "groups": [
                    {"prefix": "A", "name": "Hộ tịch"},
                    {"prefix": "B", "name": "Chứng thực"},
                    {"prefix": "A", "name": "Đất đai"},
                ],
                "counters": counters,
            }
        ),
        422,
    )
    problems = error.details["problems"]
    assert isinstance(problems, list) and len(problems) == 3, problems
    text = "\n".join(problems)
    assert "office.unit_code" in text
    assert 'nhóm "A" bị khai báo hai lần' in text
    assert 'quầy 2 phục vụ nhóm "Z"' in text
    assert "3 lỗi" in error.message
    assert path.read_bytes() == before_file
    assert office.display.office() == before
    assert audit_rows(office.hub, "office.update") == []


def test_a_group_or_counter_with_tickets_today_cannot_be_removed(
    office: Office, admin: HubClient
) -> None:
    office.kiosk.issue("B")
    current = admin.office_summary()
    only_a = [g for g in current["groups"] if g["prefix"] == "A"]
    counters = [{**c, "groups": ["A"]} for c in current["counters"]]
    error = refused(lambda: admin.update_office({"groups": only_a, "counters": counters}), 409)
    assert "Chứng thực" in error.message and "1 số" in error.message
    assert [g["prefix"] for g in office.display.office()["groups"]] == ["A", "B"]
    office.counters[1].call_next(1)
    error = refused(lambda: admin.update_office({"counters": current["counters"][1:]}), 409)
    assert "quầy 1" in error.message
    assert audit_rows(office.hub, "office.update") == []


def test_a_settings_file_that_cannot_be_saved_changes_nothing(
    office: Office, admin: HubClient
) -> None:
    """The file is saved last inside the change's one write: when saving fails (here a folder
    sits where the file's temporary copy goes), the queue, the audit and the file stay as they
    were and the admin reads why, in Vietnamese."""
    path = resolve_paths(office.hub.data_dir).settings_file
    before = path.read_bytes()
    path.with_suffix(".toml.tmp").mkdir()
    current = admin.office_summary()
    groups = [*current["groups"], {"prefix": "C", "name": "Đất đai", "fields": []}]
    error = refused(lambda: admin.update_office({"groups": groups, "notice": "Mới"}), 503)
    assert "Không lưu được tệp cài đặt" in error.message
    assert [g["prefix"] for g in office.display.office()["groups"]] == ["A", "B"]
    assert [g["group"]["prefix"] for g in office.kiosk.queue()["groups"]] == ["A", "B"]
    refused(lambda: office.kiosk.issue("C"), 404)
    assert path.read_bytes() == before
    assert audit_rows(office.hub, "office.update") == []
    path.with_suffix(".toml.tmp").rmdir()
    admin.update_office({"groups": groups})  # and once the disk is writable again, it works
    assert office.kiosk.issue("C")["ticket"]["display_number"].startswith("C")


def test_a_new_district_address_restarts_the_sync_worker_at_once(
    office: Office, admin: HubClient
) -> None:
    assert office.display.health()["sync"]["configured"] is False
    answer = admin.update_office({"district_url": "http://127.0.0.1:9"})
    assert "kiosk sync secret" in answer["message"]  # no site secret yet: said, not hidden
    write_secret(office.hub.data_dir, "bí-mật-của-điểm-thử-nghiệm")
    answer = admin.update_office({"district_url": "http://127.0.0.1:10"})
    assert "địa chỉ mới" in answer["message"]
    sync = office.display.health()["sync"]
    assert sync["configured"] is True and sync["worker"]["running"] is True
    answer = admin.update_office({"district_url": ""})
    assert "tắt đồng bộ" in answer["message"]
    assert office.display.health()["sync"]["configured"] is False


def test_only_an_admin_changes_the_settings(office: Office) -> None:
    for client in (office.kiosk, office.display, office.counters[1]):
        refused(lambda c=client: c.update_office({"office_name": "Tên khác"}), 403)
    assert office.display.office()["office_name"] == "UBND xã Thử Nghiệm"


def test_unknown_keys_are_refused(office: Office, admin: HubClient) -> None:
    error = refused(lambda: admin.update_office({"office": "x"}), 422)
    assert error.details["problems"]


def test_nothing_to_change_writes_nothing(office: Office, admin: HubClient) -> None:
    answer = admin.update_office({"office_name": "UBND xã Thử Nghiệm"})
    assert answer["changed"] == []
    assert audit_rows(office.hub, "office.update") == []


def admin_device_id(client: HubClient) -> int:
    devices = client.devices()
    return int(next(d["id"] for d in devices if d["role"] == "admin"))


def reception() -> dict[str, Any]:
    return {
        "procedure_code": THREE_DAYS,
        "applicant": {"name": "Nguyễn Văn Đức", "citizen_id": "001099012345"},
        "documents": [{"catalogue_position": 0, "copy_kind": "original", "count": 1}],
    }


def test_the_voice_settings_change_from_the_api_and_bad_values_are_refused(
    office: Office, admin: HubClient
) -> None:
    answer = admin.update_office({"voice": {"enabled": False, "reading": "number", "repeat": 2}})
    assert set(answer["changed"]) == {"voice.enabled", "voice.reading", "voice.repeat"}
    voice = office.display.office()["voice"]
    assert (voice["enabled"], voice["reading"], voice["repeat"]) == (False, "number", 2)
    assert voice["engine"] == "clips"  # untouched
    assert settings_file(office.hub)["voice"]["reading"] == "number"
    error = refused(lambda: admin.update_office({"voice": {"engine": "robot", "repeat": 7}}), 422)
    problems = "\n".join(error.details["problems"])
    assert "voice.engine" in problems and "voice.repeat" in problems
    assert office.display.office()["voice"] == voice
