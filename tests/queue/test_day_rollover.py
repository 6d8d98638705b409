"""The day roll-over, driven by the injected clock across a day start that is not midnight.

The office's day starts at 05:00: until then the night still belongs to yesterday's queue.
The first ticket step of the new day closes what yesterday left open (waiting, called,
serving, on hold) as cancelled with a `ticket.expired` event, leaves finished tickets alone,
and the numbers of every group start again from 1.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, time

import pytest

from kiosk.clock import FixedClock
from kiosk.queue import Outcome, QueueEngine, TicketExpired, TicketStatus
from kiosk.store import Store

DAY_START = time(5, 0)


@pytest.fixture
def evening(make_engine: Callable[..., QueueEngine], clock: FixedClock) -> QueueEngine:
    """Monday 16 March: five tickets; A001 done, A002 serving at counter 1, B001 called at
    counter 2, A003 on hold at counter 3, C0001 still waiting."""
    engine = make_engine(day_start=DAY_START)
    for prefix in ("A", "A", "B", "A", "C"):
        engine.issue(prefix, actor="kiosk")
    engine.call_next(1, actor="c1")  # A001
    engine.finish(1, Outcome.GUIDED, actor="c1")
    engine.call_next(1, actor="c1")  # A002
    engine.start_serving(1, actor="c1")
    engine.call_next(2, actor="c2")  # B001
    engine.call_next(3, actor="c3")  # A003
    engine.hold(3, actor="c3")
    clock.advance(hours=13)  # 20:30
    return engine


def statuses(engine: QueueEngine, store: Store) -> dict[str, str]:
    rows = store.query("SELECT id FROM tickets ORDER BY id")
    tickets = [engine.get_ticket(int(r["id"])) for r in rows]
    return {f"{t.service_day.day}:{t.display_number}": t.status.value for t in tickets}


def test_before_the_day_start_the_night_still_belongs_to_yesterday(
    evening: QueueEngine, clock: FixedClock, store: Store
) -> None:
    clock.advance(hours=8, minutes=29)  # Tuesday 04:59
    assert evening.service_day() == date(2026, 3, 16)
    late = evening.issue("A", actor="kiosk").ticket
    assert (late.display_number, late.service_day) == ("A004", date(2026, 3, 16))
    assert evening.current(1) is not None  # A002 is still being served
    assert evening.roll_over(actor="system") == []
    kinds = [r["kind"] for r in store.query("SELECT kind FROM ticket_events")]
    assert "ticket.expired" not in kinds


def test_the_first_step_of_the_new_day_closes_what_yesterday_left_open(
    evening: QueueEngine, clock: FixedClock, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    clock.advance(hours=8, minutes=30)  # Tuesday 05:00: the new service day
    assert evening.service_day() == date(2026, 3, 17)
    with caplog.at_level(logging.INFO, logger="kiosk.queue.engine"):
        first = evening.issue("A", actor="kiosk").ticket
    assert (first.display_number, first.service_day) == ("A001", date(2026, 3, 17))
    assert evening.issue("C", actor="kiosk").ticket.display_number == "C0001"
    assert statuses(evening, store) == {
        "16:A001": "done",
        "16:A002": "cancelled",
        "16:B001": "cancelled",
        "16:A003": "cancelled",
        "16:C0001": "cancelled",
        "17:A001": "waiting",
        "17:C0001": "waiting",
    }
    expired = store.query(
        "SELECT counter_number, details FROM ticket_events WHERE kind = 'ticket.expired' "
        "ORDER BY id"
    )
    assert [(r["counter_number"], r["details"]) for r in expired] == [
        (1, '{"from":"serving"}'),
        (2, '{"from":"called"}'),
        (3, '{"from":"on_hold"}'),
        (None, '{"from":"waiting"}'),
    ]
    closed = [evening.get_ticket(i) for i in (2, 3, 4, 5)]
    assert all(t.finished_at == clock.now and t.assigned_counter is None for t in closed)
    assert "service day 2026-03-17; 4 open ticket(s) of past days closed" in caplog.text
    # The counters are free again and only today's tickets are in line.
    assert [evening.current(n) for n in (1, 2, 3)] == [None, None, None]
    assert [t.display_number for t in evening.waiting_tickets()] == ["A001", "C0001"]
    assert evening.held_tickets() == []
    assert evening.call_next(1, actor="c1") == evening.get_ticket(first.id)


def test_yesterdays_ticket_cannot_come_back_today(evening: QueueEngine, clock: FixedClock) -> None:
    held = evening.held_tickets()[0]
    clock.advance(days=1)
    with pytest.raises(TicketExpired):
        evening.return_from_hold(held.id, actor="c3")
    assert evening.get_ticket(held.id).status is TicketStatus.ON_HOLD  # the refusal rolled back


def test_roll_over_on_request_closes_once(evening: QueueEngine, clock: FixedClock) -> None:
    clock.advance(hours=8, minutes=30)
    closed = evening.roll_over(actor="system")
    assert [(t.display_number, t.status) for t in closed] == [
        ("A002", TicketStatus.CANCELLED),
        ("B001", TicketStatus.CANCELLED),
        ("A003", TicketStatus.CANCELLED),
        ("C0001", TicketStatus.CANCELLED),
    ]
    assert evening.roll_over(actor="system") == []
    assert evening.snapshot().counters[0].current is None
