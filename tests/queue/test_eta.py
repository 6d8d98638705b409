"""The waiting-time estimate: the formula, and the figures the engine feeds it."""

from __future__ import annotations

from kiosk.clock import FixedClock
from kiosk.queue import Outcome, QueueEngine
from kiosk.queue.eta import estimate_wait_minutes, typical_service_minutes


def test_typical_service_is_the_median_of_the_last_twenty_or_five_minutes() -> None:
    assert typical_service_minutes([]) == 5.0
    assert typical_service_minutes([60, 600, 120]) == 2.0  # median, not the mean
    assert typical_service_minutes([240, 480]) == 6.0
    newest = [60.0] * 20 + [6000.0] * 30  # older services beyond the 20 newest are ignored
    assert typical_service_minutes(newest) == 1.0


def test_wait_is_people_times_service_over_open_counters_rounded_up() -> None:
    assert estimate_wait_minutes(0, 5.0, 2) == 0
    assert estimate_wait_minutes(3, 5.0, 1) == 15
    assert estimate_wait_minutes(3, 5.0, 2) == 8  # 7.5 → 8
    assert estimate_wait_minutes(4, 2.5, 2) == 5
    assert estimate_wait_minutes(2, 4.0, 0) == 8  # nobody open: as if one counter


def test_engine_uses_todays_services_of_the_group_and_open_counters(
    engine: QueueEngine, clock: FixedClock
) -> None:
    for minutes in (2, 4, 12):
        engine.issue("A", actor="kiosk")
        engine.call_next(3, actor="staff")
        clock.advance(minutes=minutes)
        engine.finish(3, Outcome.GUIDED, actor="staff")
    for _ in range(3):
        engine.issue("A", actor="kiosk")
    # Median 4 min, 3 waiting, counters 1 and 3 serve A: ceil(3 * 4 / 2) = 6.
    assert engine.estimate_wait("A") == 6
    engine.set_counter_open(1, False, actor="staff")
    assert engine.estimate_wait("A") == 12
    issued = engine.issue("A", actor="kiosk")
    assert (issued.people_ahead, issued.estimated_wait_minutes) == (3, 12)
    # Group B has no service yet: 5 minutes each; nobody waits.
    assert engine.estimate_wait("B") == 0
    status = {g.group.prefix: g for g in engine.snapshot().groups}
    assert (status["A"].waiting, status["A"].estimated_wait_minutes) == (4, 16)
