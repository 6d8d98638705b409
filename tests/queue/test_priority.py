"""Priority tickets: strict and interleaved orders, as a rule and through the engine."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.clock import FixedClock
from kiosk.queue import Outcome, PriorityCategory, PriorityMode, QueueEngine
from kiosk.queue.priority import Pick, next_streak, pick_kind

P = PriorityCategory.ELDERLY


def call_order(engine: QueueEngine, counter: int) -> list[str]:
    order = []
    while (ticket := engine.call_next(counter, actor="staff")) is not None:
        order.append(ticket.display_number)
        engine.finish(counter, Outcome.GUIDED, actor="staff")
    return order


def issue_mix(engine: QueueEngine) -> None:
    """A001–A006 regular, A007 and A008 priority, A009 regular."""
    for n in range(1, 10):
        engine.issue("A", priority=P if n in (7, 8) else None, actor="kiosk")


@pytest.mark.parametrize(
    ("mode", "streak", "expected"),
    [
        (PriorityMode.STRICT, 0, Pick.PRIORITY),
        (PriorityMode.INTERLEAVED, None, Pick.PRIORITY),
        (PriorityMode.INTERLEAVED, 0, Pick.REGULAR),
        (PriorityMode.INTERLEAVED, 2, Pick.REGULAR),
        (PriorityMode.INTERLEAVED, 3, Pick.PRIORITY),
        (PriorityMode.INTERLEAVED, 7, Pick.PRIORITY),
    ],
)
def test_pick_when_both_kinds_wait(mode: PriorityMode, streak: int | None, expected: Pick) -> None:
    assert pick_kind(mode, 3, streak, priority_waiting=True, regular_waiting=True) is expected


def test_pick_with_one_kind_or_none() -> None:
    mode = PriorityMode.INTERLEAVED
    assert pick_kind(mode, 3, 0, priority_waiting=True, regular_waiting=False) is Pick.PRIORITY
    assert pick_kind(mode, 3, None, priority_waiting=False, regular_waiting=True) is Pick.REGULAR
    assert pick_kind(mode, 3, 5, priority_waiting=False, regular_waiting=False) is None


def test_streak_counts_regular_calls_since_the_last_priority_call() -> None:
    assert next_streak(None, called_priority=False) is None
    assert next_streak(None, called_priority=True) == 0
    assert next_streak(2, called_priority=False) == 3
    assert next_streak(5, called_priority=True) == 0


def test_strict_order(make_engine: Callable[..., QueueEngine]) -> None:
    engine = make_engine(priority_mode="strict")
    issue_mix(engine)
    assert call_order(engine, 3) == [
        "A007", "A008", "A001", "A002", "A003", "A004", "A005", "A006", "A009",
    ]  # fmt: skip


def test_interleaved_order_one_priority_every_three(
    make_engine: Callable[..., QueueEngine],
) -> None:
    engine = make_engine(priority_mode="interleaved", priority_every=3)
    issue_mix(engine)
    # The first priority ticket of the day goes at once, the next after 3 regular calls.
    assert call_order(engine, 3) == [
        "A007", "A001", "A002", "A003", "A008", "A004", "A005", "A006", "A009",
    ]  # fmt: skip


def test_interleaving_counts_calls_of_the_group_at_every_counter(
    make_engine: Callable[..., QueueEngine],
) -> None:
    engine = make_engine(priority_every=2)
    engine.issue("A", priority=P, actor="kiosk")
    for _ in range(4):
        engine.issue("A", actor="kiosk")
    engine.issue("A", priority=P, actor="kiosk")  # A006
    order = []
    for counter in (1, 3, 1, 3):  # both counters serve group A
        ticket = engine.call_next(counter, actor="staff")
        assert ticket is not None
        order.append(ticket.display_number)
        engine.finish(counter, Outcome.GUIDED, actor="staff")
    assert order == ["A001", "A002", "A003", "A006"]


def test_streak_starts_again_each_service_day(
    make_engine: Callable[..., QueueEngine], clock: FixedClock
) -> None:
    engine = make_engine(priority_every=3)
    engine.issue("A", priority=P, actor="kiosk")
    engine.issue("A", actor="kiosk")
    assert call_order(engine, 3) == ["A001", "A002"]
    clock.advance(days=1)
    engine.issue("A", actor="kiosk")
    engine.issue("A", priority=P, actor="kiosk")
    # Yesterday's streak (1 regular call) does not hold the priority ticket back.
    assert call_order(engine, 3) == ["A002", "A001"]


def test_group_order_of_the_counter_comes_before_priority(engine: QueueEngine) -> None:
    engine.issue("B", priority=P, actor="kiosk")
    engine.issue("A", actor="kiosk")
    # Counter 1 serves A first; B's priority ticket is for when A is empty (or counter 2).
    assert call_order(engine, 1) == ["A001", "B001"]
