"""Fixtures: the real district server process on loopback, over SQLite and over PostgreSQL
(a fresh schema per test), its database opened beside it, and a registered site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from district_harness import DistrictProcess, SiteClient, postgres_schema

from kiosk.clock import system_clock
from kiosk.district.sites import add_site
from kiosk.district.storage import Database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "district" / "district.db")
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def db(database_target: str) -> Iterator[Database]:
    database = Database.open(database_target)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def server(db: Database, database_target: str, tmp_path: Path) -> Iterator[DistrictProcess]:
    process = DistrictProcess(tmp_path / "district", database_target)
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def site(server: DistrictProcess, db: Database) -> Iterator[SiteClient]:
    secret = add_site(db, "xa-tan-lap", now=system_clock(), name="UBND xã Tân Lập")
    client = SiteClient(server.url, "xa-tan-lap", secret)
    try:
        yield client
    finally:
        client.close()
