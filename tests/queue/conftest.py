"""Fixtures of the queue tests: a fresh office store with three groups and three counters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.clock import VN_TZ, FixedClock
from kiosk.queue import Counter, Group, QueueEngine
from kiosk.store import Store

GROUPS = (
    Group("A", "Hộ tịch", ("HT",)),
    Group("B", "Chứng thực", ("CT",)),
    Group("C", "Đất đai", ("DD",), number_width=4),
)
# Counter 1 serves A then B; counter 2 only B; counter 3 only A.
COUNTERS = (
    Counter(1, "Quầy 1", groups=("A", "B")),
    Counter(2, "Quầy 2", groups=("B",)),
    Counter(3, "Quầy 3", groups=("A",)),
)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 16, 7, 30, tzinfo=VN_TZ))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "office.db"


@pytest.fixture
def store(db_path: Path, clock: FixedClock) -> Iterator[Store]:
    with Store.open(db_path, clock=clock) as opened:
        yield opened


@pytest.fixture
def make_engine(store: Store) -> Callable[..., QueueEngine]:
    """A configured engine over the test store; keyword arguments go to QueueEngine."""

    def make(**options: object) -> QueueEngine:
        engine = QueueEngine(store, **options)  # type: ignore[arg-type]
        engine.configure(GROUPS, COUNTERS, actor="admin")
        return engine

    return make


@pytest.fixture
def engine(make_engine: Callable[..., QueueEngine]) -> QueueEngine:
    return make_engine()


@pytest.fixture
def office() -> tuple[tuple[Group, ...], tuple[Counter, ...]]:
    """The groups and counters every engine of these tests is configured with."""
    return GROUPS, COUNTERS
