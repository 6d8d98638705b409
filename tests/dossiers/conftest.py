"""Fixtures of the dossier service tests: a real office store on disk, the default catalogue,
a fixed clock that the tests move, and the service over them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from dossier_support import CLERK, THREE_DAYS, UNIT, at, reception

from kiosk.clock import FixedClock
from kiosk.config import Settings
from kiosk.domain.catalogue_io import parse_catalogue_json
from kiosk.domain.lifecycle import SupplementPolicy
from kiosk.dossiers import Dossier, DossierService
from kiosk.queue import Counter, Group, QueueEngine
from kiosk.setup import default_catalogue_file
from kiosk.store import Store
from kiosk.store.catalogue_repo import replace_catalogue


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(at(2026, 3, 16, 9, 0))


@pytest.fixture
def store(tmp_path: Path, clock: FixedClock) -> Iterator[Store]:
    with Store.open(tmp_path / "office.db", clock=clock) as opened:
        catalogue = parse_catalogue_json(default_catalogue_file().read_text(encoding="utf-8"))
        with opened.write("test", "catalogue.import") as tx:
            replace_catalogue(tx, catalogue)
        yield opened


@pytest.fixture
def settings() -> Settings:
    return Settings(office_name="UBND phường Thử", unit_code=UNIT)


@pytest.fixture
def make_service(store: Store, settings: Settings) -> Callable[..., DossierService]:
    def make(policy: SupplementPolicy = SupplementPolicy.RESTART) -> DossierService:
        return DossierService(store, dataclasses.replace(settings, supplement_policy=policy))

    return make


@pytest.fixture
def service(make_service: Callable[..., DossierService]) -> DossierService:
    return make_service()


@pytest.fixture
def engine(store: Store) -> QueueEngine:
    queue = QueueEngine(store)
    queue.configure(
        (Group("A", "Hộ tịch", ("ho-tich",)),),
        (Counter(1, "Quầy 1", groups=("A",)), Counter(2, "Quầy 2", groups=("A",))),
        actor="admin",
    )
    return queue


@pytest.fixture
def receive(service: DossierService) -> Callable[..., Dossier]:
    """Receive one dossier now (the clock's time); keyword arguments change the Reception."""

    def run(procedure: str = THREE_DAYS, **changes: Any) -> Dossier:
        request_id = changes.pop("request_id", None)
        return service.receive(reception(procedure, **changes), actor=CLERK, request_id=request_id)

    return run
