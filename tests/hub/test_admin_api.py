"""The admin routes on the real hub (as a logged-in admin): staff list, calendar overrides,
catalogue, backup, office."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from hubproc import HubProcess, Office, refused

from kiosk.hub.client import HubClient
from kiosk.paths import resolve_paths

HEADER = (
    "code,name,field,duration_value,duration_unit,same_day_cutoff,"
    "fee_counter_vnd,fee_online_vnd,fee_note,documents,processing_unit,source"
)
GOOD_CSV = (
    HEADER + "\n"
    "1.001193,Đăng ký khai sinh,Hộ tịch,0,ngày làm việc,15:00,0,,,Tờ khai,UBND xã,DVCQG\n"
    "2.000908,Chứng thực bản sao từ bản chính,Chứng thực,1,ngày làm việc,,2000,,,,UBND xã,\n"
)


def audit_actions(hub: HubProcess) -> list[str]:
    database = resolve_paths(hub.data_dir).database
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT action FROM audit ORDER BY id")]
    finally:
        conn.close()


def test_staff_list_has_no_secrets(office: Office) -> None:
    staff = office.admin.staff()
    # quantri: the admin account the fixtures log in with (tests/hub/hubproc.py TEST_ADMIN).
    assert [s["username"] for s in staff] == ["lan", "minh", "quantri"]
    assert staff[0]["full_name"] == "Trần Thị Lan" and staff[2]["role"] == "admin"
    assert staff[0]["role"] == "clerk" and staff[0]["active"] is True
    assert all("secret_hash" not in s and "secret" not in s for s in staff)


def test_calendar_override_set_list_delete_and_audited(office: Office) -> None:
    admin = office.admin
    admin.set_calendar_override("2026-09-04", "day_off", "Nghỉ bù Quốc khánh")
    admin.set_calendar_override("2026-08-22", "workday", "Làm bù")
    admin.set_calendar_override("2027-01-02", "holiday", "")
    assert admin.calendar_overrides(2026) == [
        {"day": "2026-08-22", "kind": "workday", "reason": "Làm bù"},
        {"day": "2026-09-04", "kind": "day_off", "reason": "Nghỉ bù Quốc khánh"},
    ]
    assert len(admin.calendar_overrides()) == 3
    # Setting the same day again replaces it.
    admin.set_calendar_override("2026-08-22", "holiday", "Đổi ý")
    assert admin.calendar_overrides(2026)[0]["kind"] == "holiday"
    admin.delete_calendar_override("2026-08-22")
    assert [o["day"] for o in admin.calendar_overrides(2026)] == ["2026-09-04"]
    error = refused(lambda: admin.delete_calendar_override("2026-08-22"), 422)
    assert "không có điều chỉnh" in error.message
    refused(lambda: admin.set_calendar_override("2026-02-30", "holiday"), 422)
    refused(lambda: admin.set_calendar_override("2026-03-02", "weekday"), 422)
    actions = audit_actions(office.hub)
    assert actions.count("calendar.override.set") == 4
    assert actions.count("calendar.override.delete") == 1


def test_new_day_off_moves_the_due_date_without_a_restart(office: Office) -> None:
    admin, counter = office.admin, office.counters[1]
    admin.import_catalogue(GOOD_CSV, "csv")
    before = date.fromisoformat(counter.due_preview(1, "2.000908")["due_at"][:10])
    admin.set_calendar_override(before.isoformat(), "day_off", "Nghỉ bù")
    after = date.fromisoformat(counter.due_preview(1, "2.000908")["due_at"][:10])
    assert after > before
    admin.delete_calendar_override(before.isoformat())
    assert counter.due_preview(1, "2.000908")["due_at"][:10] == before.isoformat()
    assert after - before < timedelta(days=5)


def test_catalogue_import_csv_and_json(office: Office) -> None:
    imports_before = audit_actions(office.hub).count("catalogue.import")
    assert office.admin.import_catalogue(GOOD_CSV, "csv") == {"procedures": 2, "fields": 2}
    catalogue = office.kiosk.catalogue()
    names = sorted(p["name"] for p in catalogue["procedures"])
    assert names == ["Chứng thực bản sao từ bản chính", "Đăng ký khai sinh"]
    as_json = json.dumps(catalogue, ensure_ascii=False)
    assert office.admin.import_catalogue(as_json, "json")["procedures"] == 2
    assert audit_actions(office.hub).count("catalogue.import") == imports_before + 2


def test_bad_catalogue_is_422_with_every_line_and_column_and_nothing_imported(
    office: Office,
) -> None:
    office.admin.import_catalogue(GOOD_CSV, "csv")
    bad = (
        HEADER + "\n"
        "1.001193,Đăng ký khai sinh,Hộ tịch,0,ngày làm việc,15:00,0,,,Tờ khai,UBND xã,DVCQG\n"
        ",Không có mã,Hộ tịch,1,ngày làm việc,,0,,,,,\n"
        "1.3,Thời hạn sai,Hộ tịch,mười,ngày làm việc,,0,,,,,\n"
    )
    error = refused(lambda: office.admin.import_catalogue(bad, "csv"), 422)
    assert error.error_code == "catalogue_error"
    assert "2 lỗi" in error.message
    problems = error.details["problems"]
    assert [(p["line"], p["column"]) for p in problems] == [(3, "code"), (4, "duration_value")]
    assert all(p["message"] for p in problems)
    # The good catalogue is still there, whole.
    assert len(office.kiosk.catalogue()["procedures"]) == 2
    refused(lambda: office.admin.import_catalogue("{not json", "json"), 422)


def test_backup_writes_a_verified_copy_in_the_data_folder(office: Office) -> None:
    result = office.admin.backup()
    path = Path(result["path"])
    assert path.parent == office.hub.data_dir / "backups"
    assert path.is_file() and result["bytes"] == path.stat().st_size > 0
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM staff").fetchone()[0] == 3
    finally:
        conn.close()
    assert "store.backup" in audit_actions(office.hub)


def test_office_summary(office: Office) -> None:
    summary = office.admin.office_summary()
    assert summary["office_name"] == "UBND xã Thử Nghiệm"
    assert summary["unit_code"] == "000.00.00.T01"
    assert [g["prefix"] for g in summary["groups"]] == ["A", "B"]
    assert len(summary["counters"]) == 10 and summary["counters"][0]["groups"] == ["A", "B"]


def test_every_admin_route_refuses_other_devices(office: Office) -> None:
    for client in (office.kiosk, office.display, office.counters[1]):
        calls = (
            client.staff,
            lambda c=client: c.calendar_overrides(2026),
            lambda c=client: c.set_calendar_override("2026-09-04", "holiday", "x"),
            lambda c=client: c.delete_calendar_override("2026-09-04"),
            lambda c=client: c.import_catalogue(GOOD_CSV, "csv"),
            client.backup,
            client.office_summary,
            client.devices,
        )
        for call in calls:
            refused(call, 403)
    assert office.admin.calendar_overrides() == []


def test_no_token_is_refused(hub: HubProcess) -> None:
    with HubClient(hub.url, "wrong") as stranger:
        refused(stranger.staff, 401)
