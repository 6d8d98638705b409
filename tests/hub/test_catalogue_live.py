"""A new procedure catalogue reaches the running screens: `catalogue.changed` on the event stream
after an admin import, and after a write by another connection to the hub's database (the sync
puller, `kiosk catalog import`), with no other hub write to carry it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from hubproc import HubProcess, Office
from websockets.sync.client import ClientConnection, connect

from kiosk.paths import resolve_paths
from kiosk.store import Store
from kiosk.sync import protocol
from kiosk.sync.client import DistrictClient
from kiosk.sync.puller import pull_calendar, pull_catalogue

#: The hub looks for other connections' events every 2 s; a slow CI machine gets room.
WAIT = 15.0
NEW_CODE = "9.999001"
NEW_NAME = "Thủ tục thử nghiệm xác nhận trại nuôi ong mật"


def receive(ws: ClientConnection, timeout: float = WAIT) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv(timeout=timeout))
    return message


def with_new_procedure(document: dict[str, Any]) -> dict[str, Any]:
    """The hub's catalogue document with one more procedure (a copy of the first, renamed)."""
    extra = {**document["procedures"][0], "code": NEW_CODE, "name": NEW_NAME}
    return {**document, "procedures": [*document["procedures"], extra]}


def district_serving(snapshots: dict[str, Any]) -> DistrictClient:
    """The real district client, answered in-process (ETag + JSON, as the district does)."""

    def answer(request: httpx.Request) -> httpx.Response:
        document = snapshots.get(request.url.path)
        if document is None:
            return httpx.Response(404)
        return httpx.Response(200, json=document, headers={"ETag": f'"{request.url.path}-2"'})

    return DistrictClient(
        "http://district.test", "site-test", "secret", transport=httpx.MockTransport(answer)
    )


def database_of(hub: HubProcess) -> Path:
    return resolve_paths(hub.data_dir).database


def test_an_admin_import_tells_every_screen_at_once(office: Office) -> None:
    document = with_new_procedure(office.kiosk.catalogue())
    with connect(office.kiosk.events_url()) as ws:
        first = receive(ws)
        assert first["type"] == "snapshot"
        answer = office.admin.import_catalogue(json.dumps(document, ensure_ascii=False), "json")
        message = receive(ws)
    event = message["event"]
    assert event["kind"] == "catalogue.changed"
    assert event["id"] == first["id"] + 1
    assert event["ticket"] is None
    assert event["details"] == {
        "procedures": answer["procedures"],
        "fields": answer["fields"],
        "source": "admin",
    }
    assert answer["procedures"] == len(document["procedures"])
    assert NEW_CODE in {p["code"] for p in office.kiosk.catalogue()["procedures"]}


def test_a_pull_written_by_another_connection_reaches_the_stream_by_itself(
    office: Office,
) -> None:
    document = with_new_procedure(office.kiosk.catalogue())
    calendar = {"overrides": [{"day": "2026-09-01", "kind": "day_off", "reason": "Nghỉ bù"}]}
    snapshots = {protocol.CATALOGUE_PATH: document, protocol.CALENDAR_PATH: calendar}
    with connect(office.display.events_url()) as ws:
        first = receive(ws)
        # The puller's own connection, as in the hub's sync worker: no hub request follows.
        with Store.open(database_of(office.hub)) as store, district_serving(snapshots) as district:
            assert pull_catalogue(store, district)
            assert pull_calendar(store, district)
        pulled = [receive(ws)["event"], receive(ws)["event"]]
        assert [e["kind"] for e in pulled] == ["catalogue.changed", "calendar.changed"]
        assert [e["id"] for e in pulled] == [first["id"] + 1, first["id"] + 2]
        assert pulled[0]["details"] == {
            "procedures": len(document["procedures"]),
            "fields": len(document["fields"]),
            "source": "district",
        }
        assert pulled[1]["details"] == {"overrides": 1, "source": "district"}
        # A hub write next: its event follows, and the pulled ones are not sent again.
        office.kiosk.issue("A")
        issued = receive(ws)["event"]
        assert issued["kind"] == "ticket.issued" and issued["id"] == first["id"] + 3
    assert NEW_CODE in {p["code"] for p in office.kiosk.catalogue()["procedures"]}
    # A screen that was away resumes through them, once each and in order.
    with connect(office.display.events_url(after=first["id"])) as ws:
        replayed = [receive(ws)["event"] for _ in range(3)]
    assert [e["id"] for e in replayed] == [first["id"] + n for n in (1, 2, 3)]
    assert [e["kind"] for e in replayed] == [
        "catalogue.changed",
        "calendar.changed",
        "ticket.issued",
    ]


def test_a_catalogue_imported_with_the_cli_while_the_hub_runs_reaches_the_stream(
    office: Office, tmp_path: Path
) -> None:
    file = tmp_path / "danh-muc.json"
    file.write_text(
        json.dumps(with_new_procedure(office.kiosk.catalogue()), ensure_ascii=False), "utf-8"
    )
    with connect(office.kiosk.events_url()) as ws:
        first = receive(ws)
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "catalog", "import", str(file)],
            env={**os.environ, "KIOSK_DATA_DIR": str(office.hub.data_dir)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        event = receive(ws)["event"]
    assert event["kind"] == "catalogue.changed" and event["id"] == first["id"] + 1
    assert event["details"]["source"] == "cli"
