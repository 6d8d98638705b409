"""Restoring a backup from the admin API while the hub keeps running (real hub process)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hubproc import TEST_ADMIN, HubProcess, Office, make_office, refused
from test_dossier_api import reception
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from kiosk.hub.client import HubClient
from kiosk.paths import resolve_paths
from kiosk.store import Store
from kiosk.store.backup import backup_to, check_backup


def receive(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv(timeout=10))
    return message


def waiting(snapshot: dict[str, Any], prefix: str = "A") -> int:
    return next(g["waiting"] for g in snapshot["groups"] if g["group"]["prefix"] == prefix)


def read(hub: HubProcess, sql: str) -> list[tuple[Any, ...]]:
    database = resolve_paths(hub.data_dir).database
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def test_restore_brings_back_the_backup_and_the_hub_keeps_serving(office: Office) -> None:
    admin, kiosk, counter = office.admin, office.kiosk, office.counters[1]
    kiosk.issue("A")
    backup = admin.backup()
    name = backup["name"]
    # Work done after the backup: what the restore takes away.
    kiosk.issue("A")
    kiosk.issue("A")
    counter.call_next(1)
    code = counter.receive_dossier(1, reception())["code"]
    admin.add_staff("hoa", "Phạm Thị Hoa", "8642")
    listed = admin.backups()
    assert [b["name"] for b in listed] == [name]
    assert listed[0]["verified"] and listed[0]["bytes"] == backup["bytes"]
    assert listed[0]["taken_at"][:4].isdigit()

    with connect(office.display.events_url()) as ws:
        before = receive(ws)
        assert before["type"] == "snapshot" and waiting(before["snapshot"]) == 2
        result = admin.restore(name, confirm=name)
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                receive(ws)  # events made before the restore may still arrive first
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4002

    assert result["name"] == name and result["session_valid"] is True
    # The data is the backup's: one ticket waiting, no dossier, no new clerk.
    assert waiting(kiosk.queue()) == 1
    assert [s["username"] for s in admin.staff()] == ["lan", "minh", TEST_ADMIN[0]]
    refused(lambda: counter.dossier_file(1, code), 404)
    # The hub keeps serving, and numbers continue from the restored state.
    assert kiosk.issue("A")["ticket"]["display_number"] == "A002"
    assert counter.call_next(1)["display_number"] == "A001"  # type: ignore[index]

    # A screen that resumes with an id from before the restore starts over from a snapshot.
    with connect(office.display.events_url(after=before["id"])) as ws:
        fresh = receive(ws)
        assert fresh["type"] == "snapshot"
        assert waiting(fresh["snapshot"]) == 1
        kiosk.issue("A")
        event = receive(ws)
        assert event["type"] == "event" and event["id"] > fresh["id"] >= before["id"]

    # The safety backup of what was replaced exists, verifies, and holds the lost work.
    safety = office.hub.data_dir / "backups" / result["safety_backup"]
    assert check_backup(safety) >= 1
    with Store.open(safety) as store:
        assert store.query("SELECT code FROM dossiers") == [{"code": code}]
    assert any(b["name"] == safety.name and b["safety"] for b in admin.backups())
    # The restore is audited in the restored database: who, which backup, the safety copy.
    rows = read(
        office.hub, "SELECT actor, target, details FROM audit WHERE action = 'store.restore'"
    )
    assert len(rows) == 1
    actor, target, details = rows[0]
    assert actor.startswith(f"staff:{TEST_ADMIN[0]}@device:") and target == name
    assert json.loads(details)["safety_backup"] == safety.name


def test_a_bad_name_or_confirmation_is_422_and_changes_nothing(office: Office) -> None:
    office.kiosk.issue("A")
    name = office.admin.backup()["name"]
    office.kiosk.issue("A")
    for bad in ("../x", "../office.db", "/etc/passwd", "khong-co.db", "kiosk.db.tmp-copy"):
        refused(lambda bad=bad: office.admin.restore(bad, confirm=bad), 422)
    error = refused(lambda: office.admin.restore(name, confirm="kiosk"), 422)
    assert "nhập lại đúng tên" in error.message
    assert waiting(office.kiosk.queue()) == 2
    assert [b["name"] for b in office.admin.backups()] == [name]  # no safety backup taken
    assert read(office.hub, "SELECT count(*) FROM audit WHERE action = 'store.restore'") == [(0,)]


def test_a_damaged_backup_is_listed_as_unusable_and_refused(office: Office) -> None:
    folder = office.hub.data_dir / "backups"
    folder.mkdir(exist_ok=True)
    (folder / "kiosk-20260101-080000.db").write_bytes(b"not a database" * 100)
    listed = office.admin.backups()
    assert listed[0]["verified"] is False and listed[0]["problem"]
    refused(lambda: office.admin.restore(listed[0]["name"], confirm=listed[0]["name"]), 422)
    assert office.kiosk.queue()["groups"]


def test_only_a_logged_in_admin_may_restore(office: Office) -> None:
    name = office.admin.backup()["name"]
    with HubClient(office.hub.url, office.hub.admin_token) as device_only:
        refused(lambda: device_only.restore(name, confirm=name), 401)
        refused(device_only.backups, 401)
    for client in (office.kiosk, office.counters[1]):
        refused(lambda client=client: client.restore(name, confirm=name), 403)
        refused(client.backups, 403)


def test_restoring_a_backup_older_than_the_admin_login_asks_to_log_in_again(
    tmp_path: Path,
) -> None:
    root = make_office(tmp_path / "office")
    paths = resolve_paths(root)
    with Store.open(paths.database) as store:  # taken before any admin account existed
        backup_to(store, root / "backups" / "kiosk-20260101-080000.db")
    hub = HubProcess(root)
    hub.start()
    try:
        with hub.client() as admin:
            result = admin.restore("kiosk-20260101-080000.db", confirm="kiosk-20260101-080000.db")
            assert result["session_valid"] is False and admin.staff_session == ""
            refused(admin.staff, 401)
            # The restored office has no admin account: the admin device may create one again.
            assert admin.first_admin_needed() is True
    finally:
        hub.stop()
