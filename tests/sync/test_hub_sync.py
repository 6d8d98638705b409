"""The hub runs the sync worker: tickets issued at the office reach the district by themselves."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from districtproc import DistrictProcess, free_port, make_site, site_events
from serverproc import clock_env, launch, stop

from kiosk.hub.client import HubClient
from kiosk.store import Store


@contextmanager
def hub_process(office: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = launch(
        [sys.executable, "-m", "kiosk", "serve", "--port", str(port)],
        env={**clock_env(), "KIOSK_DATA_DIR": str(office)},
        log_file=office / "hub-stdout.log",
    )
    try:
        health(url, until=lambda h: True)
        yield url
    finally:
        stop(process)


def health(url: str, until: Any, timeout: float = 60.0) -> dict[str, Any]:
    """Poll /api/health until `until(answer)` holds (the hub's own status is the signal)."""
    deadline = time.monotonic() + timeout
    last: dict[str, Any] = {}
    while time.monotonic() < deadline:
        try:
            last = httpx.get(f"{url}/api/health", timeout=2).json()
            if until(last):
                return last
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"hub health never matched: {last}")


def test_the_hub_pushes_new_events_and_shows_the_sync_in_its_health(
    district: DistrictProcess, tmp_path: Path
) -> None:
    office = make_site(tmp_path / "site", district)
    with hub_process(office) as url:
        admin = HubClient(url, (office / "admin-token.txt").read_text("utf-8").strip())
        admin.create_first_admin("quantri", "Quản trị", "quantri-2468")  # admin routes need one
        kiosk = HubClient(url, admin.add_device("Máy lấy số", "kiosk")["token"])
        for _ in range(3):
            kiosk.issue("A")
        answer = health(
            url,
            until=lambda h: h["sync"]["synced"] and h["sync"]["acked"] == h["sync"]["last_seq"],
        )
        sync = answer["sync"]
        assert sync["configured"] and sync["worker"]["running"]
        assert sync["label"] == "đã đồng bộ" and sync["state"] == "ok"
        admin.close()
        kiosk.close()
    with Store.open(office / "office.db") as store:
        site_id = store.site_id
    events = site_events(office / "office.db")
    assert len(events) >= 3
    assert district.events(site_id) == events


def test_a_hub_without_a_district_shows_sync_as_not_configured(tmp_path: Path) -> None:
    from kiosk.paths import resolve_paths
    from kiosk.setup import init_office

    office = tmp_path / "alone"
    init_office(resolve_paths(office), demo=False, dossiers=0, seed=1)
    with hub_process(office) as url:
        sync = health(url, until=lambda h: True)["sync"]
    assert sync["configured"] is False and "worker" not in sync
