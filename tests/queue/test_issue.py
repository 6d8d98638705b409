"""Issuing tickets: daily numbers per group, day start, restarts, the per-citizen limit."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import time
from pathlib import Path

import pytest

from kiosk.clock import FixedClock
from kiosk.domain.errors import InvalidCitizenId
from kiosk.queue import (
    DailyLimitReached,
    PriorityCategory,
    QueueEngine,
    TicketStatus,
    UnknownGroup,
)
from kiosk.queue.models import Counter, Group
from kiosk.store import Store

Office = tuple[tuple[Group, ...], tuple[Counter, ...]]


def test_numbers_run_per_group_with_the_group_width(engine: QueueEngine) -> None:
    issued = [engine.issue(p, actor="kiosk").ticket for p in ("A", "A", "B", "C", "A")]
    assert [t.display_number for t in issued] == ["A001", "A002", "B001", "C0001", "A003"]
    first = issued[0]
    assert first.status is TicketStatus.WAITING
    assert first.prefix == "A" and first.number == 1
    assert first.issued_at.isoformat() == "2026-03-16T07:30:00+07:00"
    assert first.called_at is None and first.counter_number is None


def test_issue_tells_people_ahead_and_estimated_wait(engine: QueueEngine) -> None:
    assert engine.issue("A", actor="kiosk").people_ahead == 0
    engine.issue("A", actor="kiosk")
    third = engine.issue("A", actor="kiosk")
    # Two ahead, default 5 minutes each, counters 1 and 3 serve A: ceil(2 * 5 / 2) = 5.
    assert (third.people_ahead, third.estimated_wait_minutes) == (2, 5)


def test_lower_case_prefix_is_accepted_and_unknown_prefix_refused(engine: QueueEngine) -> None:
    assert engine.issue("b", actor="kiosk").ticket.display_number == "B001"
    with pytest.raises(UnknownGroup, match="'Z'"):
        engine.issue("Z", actor="kiosk")
    with pytest.raises(UnknownGroup):
        engine.issue("A1", actor="kiosk")


def test_priority_category_is_stored(engine: QueueEngine) -> None:
    issued = engine.issue("A", priority=PriorityCategory.ELDERLY, actor="kiosk").ticket
    assert engine.get_ticket(issued.id).priority is PriorityCategory.ELDERLY
    assert PriorityCategory.MERIT.label == "Người có công với cách mạng"


def test_numbers_restart_at_the_day_start_not_at_midnight(
    make_engine: Callable[..., QueueEngine], clock: FixedClock
) -> None:
    engine = make_engine(day_start=time(4, 0))
    clock.now = clock.now.replace(hour=23, minute=50)
    assert engine.issue("A", actor="kiosk").ticket.display_number == "A001"
    clock.advance(hours=1)  # 00:50 the next calendar day, still before 04:00
    late = engine.issue("A", actor="kiosk").ticket
    assert late.display_number == "A002"
    assert late.service_day.isoformat() == "2026-03-16"
    clock.advance(hours=3, minutes=10)  # 04:00
    fresh = engine.issue("A", actor="kiosk").ticket
    assert fresh.display_number == "A001"
    assert fresh.service_day.isoformat() == "2026-03-17"


def test_numbering_continues_after_reopening_the_store(
    db_path: Path, clock: FixedClock, engine: QueueEngine, office: Office
) -> None:
    for _ in range(3):
        engine.issue("A", actor="kiosk")
    engine.store.close()
    with Store.open(db_path, clock=clock) as reopened:
        again = QueueEngine(reopened)
        assert again.configure(*office, actor="admin") is False
        assert again.issue("A", actor="kiosk").ticket.display_number == "A004"


def test_open_tickets_of_a_past_day_are_closed_by_the_first_write_of_the_next(
    engine: QueueEngine, clock: FixedClock
) -> None:
    left = engine.issue("A", actor="kiosk").ticket
    called = engine.issue("A", actor="kiosk").ticket
    engine.call_next(3, actor="staff")
    clock.advance(days=1)
    assert engine.current(3) is None
    assert engine.snapshot().groups[0].waiting == 0
    engine.issue("B", actor="kiosk")
    for ticket in (left, called):
        assert engine.get_ticket(ticket.id).status is TicketStatus.CANCELLED
    kinds = [e.kind for e in engine.events_since(0)]
    assert kinds.count("ticket.expired") == 2
    assert engine.call_next(3, actor="staff") is None


def test_daily_limit_per_citizen(
    make_engine: Callable[..., QueueEngine], store: Store, clock: FixedClock
) -> None:
    engine = make_engine(daily_limit_per_citizen=2)
    citizen = "001099012345"
    engine.issue("A", citizen_id=citizen, actor="kiosk")
    engine.issue("B", citizen_id="001 099 012 345", actor="kiosk")  # same person, typed apart
    with pytest.raises(DailyLimitReached, match="tối đa 2 số thứ tự"):
        engine.issue("A", citizen_id=citizen, actor="kiosk")
    engine.issue("A", citizen_id="001099012346", actor="kiosk")  # someone else
    engine.issue("A", actor="kiosk")  # no ID given: no limit
    with pytest.raises(InvalidCitizenId):
        engine.issue("A", citizen_id="12345", actor="kiosk")
    clock.advance(days=1)
    engine.issue("A", citizen_id=citizen, actor="kiosk")  # a new day

    # The number itself is stored nowhere: not in any table, not in the outbox.
    dump = "\n".join(store.conn.iterdump())
    assert "099012345" not in dump
    assert store.conn.execute("SELECT count(*) FROM tickets").fetchone()[0] == 5


def test_outbox_events_carry_no_personal_data(engine: QueueEngine, store: Store) -> None:
    engine.issue("A", priority=PriorityCategory.DISABILITY, actor="kiosk")
    engine.call_next(1, actor="staff")
    engine.hold(1, note="Bà Nguyễn Thị Hoa về lấy sổ hộ khẩu", actor="staff")
    rows = store.conn.execute("SELECT type, payload FROM outbox ORDER BY seq").fetchall()
    assert [r[0] for r in rows] == [
        "queue.configured",
        "ticket.issued",
        "ticket.called",
        "ticket.held",
    ]
    for _, payload in rows:
        assert "Hoa" not in payload
    held = json.loads(rows[-1][1])["ticket"]
    assert held["display_number"] == "A001"
    assert held["priority_category"] == "disability"
    assert "note" not in held
