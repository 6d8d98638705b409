"""Catalogue and calendar snapshots: versions, ETags and 304, read back as the sites do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from district_harness import SiteClient

from kiosk.cli import cli
from kiosk.clock import system_clock
from kiosk.district import snapshots
from kiosk.district.storage import Database
from kiosk.domain.catalogue_io import parse_catalogue_json
from kiosk.domain.errors import CalendarError
from kiosk.paths import assets_dir
from kiosk.sync import protocol


def district_cli(database: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["district", *args, "--database", database])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_nothing_published_yet_is_a_clear_404(site: SiteClient) -> None:
    for path in (protocol.CATALOGUE_PATH, protocol.CALENDAR_PATH):
        response = site.request("GET", path)
        assert response.status_code == 404
        assert response.json()["error"] == "no_snapshot"


def test_the_published_catalogue_is_served_with_an_etag_and_304_when_unchanged(
    site: SiteClient, db: Database, database_target: str
) -> None:
    source = assets_dir() / "catalogue" / "default.json"
    assert "phiên bản 1" in district_cli(database_target, "catalogue", "publish", str(source))
    first = site.request("GET", protocol.CATALOGUE_PATH)
    assert first.status_code == 200
    etag = first.headers["etag"]
    body = first.json()
    assert body["version"] == 1 and body["published_at"]
    catalogue = parse_catalogue_json(json.dumps(body["catalogue"]))
    assert catalogue == parse_catalogue_json(source.read_text(encoding="utf-8"))

    again = site.request("GET", protocol.CATALOGUE_PATH, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and again.content == b""

    # The same content published again is not a new version.
    assert "không đổi" in district_cli(database_target, "catalogue", "publish", str(source))
    assert (
        site.request("GET", protocol.CATALOGUE_PATH, headers={"If-None-Match": etag}).status_code
        == 304
    )

    smaller = json.loads(source.read_text(encoding="utf-8"))
    smaller["procedures"] = smaller["procedures"][:3]
    changed = snapshots.catalogue_content(parse_catalogue_json(json.dumps(smaller)))
    published = snapshots.publish(db, "catalogue", changed, now=system_clock())
    assert published.version == 2 and published.new
    fresh = site.request("GET", protocol.CATALOGUE_PATH, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["etag"] == published.etag != etag
    assert len(fresh.json()["catalogue"]["procedures"]) == 3


def test_the_calendar_overrides_are_published_and_versioned(
    site: SiteClient, database_target: str, tmp_path: Path
) -> None:
    source = tmp_path / "lich-2026.json"
    overrides = [
        {"day": "2026-05-04", "kind": "day_off", "reason": "Nghỉ bù ngày Chiến thắng"},
        {"day": "2026-01-02", "kind": "holiday", "reason": "Nghỉ Tết Dương lịch"},
        {"day": "2026-08-22", "kind": "workday", "reason": "Làm bù"},
    ]
    source.write_text(json.dumps(overrides, ensure_ascii=False), encoding="utf-8")
    district_cli(database_target, "calendar", "publish", str(source))
    response = site.request("GET", protocol.CALENDAR_PATH)
    assert response.status_code == 200
    assert response.json()["overrides"] == sorted(overrides, key=lambda o: o["day"])
    etag = response.headers["etag"]
    assert (
        site.request(
            "GET", protocol.CALENDAR_PATH, headers={"If-None-Match": f"W/{etag}"}
        ).status_code
        == 304
    )

    source.write_text(json.dumps(overrides[:1], ensure_ascii=False), encoding="utf-8")
    assert "phiên bản 2" in district_cli(database_target, "calendar", "publish", str(source))
    changed = site.request("GET", protocol.CALENDAR_PATH, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["version"] == 2


def test_a_bad_calendar_file_names_every_problem_and_publishes_nothing() -> None:
    text = json.dumps(
        [
            {"day": "2026-02-30", "kind": "holiday"},
            {"day": "2026-05-04", "kind": "nghi"},
            {"day": "2026-05-05", "kind": "day_off"},
            {"day": "2026-05-05", "kind": "workday"},
        ]
    )
    with pytest.raises(CalendarError) as caught:
        snapshots.parse_calendar_overrides(text)
    message = str(caught.value)
    assert "mục 1" in message and "mục 2" in message and "mục 4" in message
    assert "mục 3:" not in message and "đã có ở mục 3" in message
