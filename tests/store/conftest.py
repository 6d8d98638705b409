"""Fixtures of the store tests: a fresh office database on disk, always closed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.clock import VN_TZ, FixedClock
from kiosk.store import Store
from kiosk.store.dossier_repo import DossierRow, NewDossier, insert_dossier

UNIT = "000.00.21.H12"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 16, 8, 30, tzinfo=VN_TZ))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "office.db"


@pytest.fixture
def store(db_path: Path, clock: FixedClock) -> Iterator[Store]:
    with Store.open(db_path, clock=clock) as opened:
        yield opened


def new_dossier(**changes: object) -> NewDossier:
    values: dict[str, object] = {
        "unit_code": UNIT,
        "received_at": datetime(2026, 3, 16, 9, 0, tzinfo=VN_TZ),
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "applicant_name": "Nguyễn Văn Đức",
        "applicant_id_number": "001099012345",
        "applicant_phone": "0912345678",
    }
    values.update(changes)
    return NewDossier(**values)  # type: ignore[arg-type]


@pytest.fixture
def make_dossier() -> Callable[..., NewDossier]:
    """A NewDossier with sensible values; keyword arguments change its fields."""
    return new_dossier


@pytest.fixture
def receive(store: Store) -> Callable[..., DossierRow]:
    """Receive one dossier through the real write path; keyword arguments change its fields."""

    def run(**changes: object) -> DossierRow:
        with store.write("officer1", "dossier.receive") as tx:
            return insert_dossier(tx, new_dossier(**changes))

    return run
