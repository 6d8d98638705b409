"""Fixtures of the sync tests: the real district server (SQLite) on loopback, a fault proxy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from districtproc import DistrictProcess
from faultproxy import FaultProxy


@pytest.fixture
def district(tmp_path: Path) -> Iterator[DistrictProcess]:
    process = DistrictProcess(str(tmp_path / "district" / "district.db"), tmp_path / "district")
    process.workdir.mkdir(parents=True, exist_ok=True)
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def proxy(district: DistrictProcess) -> Iterator[FaultProxy]:
    with FaultProxy(district.port, seed=2026) as running:
        yield running
