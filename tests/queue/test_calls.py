"""Calling: next in line by the counter's group order, refusals, out-of-order calls."""

from __future__ import annotations

import pytest

from kiosk.clock import FixedClock
from kiosk.queue import (
    CounterBusy,
    CounterClosed,
    IllegalTicketStep,
    Outcome,
    QueueEngine,
    TicketExpired,
    TicketNotServedHere,
    TicketStatus,
    UnknownCounter,
    UnknownTicket,
)


def issue(engine: QueueEngine, *prefixes: str) -> list[int]:
    return [engine.issue(p, actor="kiosk").ticket.id for p in prefixes]


def finish_all(engine: QueueEngine, counter: int) -> list[str]:
    """Call and finish everything the counter can call; the display numbers in call order."""
    called = []
    while (ticket := engine.call_next(counter, actor="staff")) is not None:
        called.append(ticket.display_number)
        engine.finish(counter, Outcome.GUIDED, actor="staff")
    return called


def test_nobody_waiting_gives_none(engine: QueueEngine) -> None:
    assert engine.call_next(1, actor="staff") is None
    assert engine.current(1) is None


def test_call_next_is_fifo_and_follows_the_counter_group_order(engine: QueueEngine) -> None:
    issue(engine, "B", "A", "B", "A", "C")
    # Counter 1 serves A before B; C is nobody's here, so it stays.
    assert finish_all(engine, 1) == ["A001", "A002", "B001", "B002"]
    assert [t.display_number for t in engine.waiting_tickets()] == ["C0001"]


def test_call_sets_counter_and_times(engine: QueueEngine, clock: FixedClock) -> None:
    issue(engine, "A")
    clock.advance(minutes=7)
    called = engine.call_next(3, actor="staff")
    assert called is not None
    assert called.status is TicketStatus.CALLED
    assert called.counter_number == 3
    assert called.called_at is not None and called.first_called_at == called.called_at
    assert (called.called_at - called.issued_at).total_seconds() == 7 * 60
    assert engine.current(3) == called


def test_counter_with_a_ticket_cannot_call_another(engine: QueueEngine) -> None:
    issue(engine, "A", "A")
    engine.call_next(3, actor="staff")
    with pytest.raises(CounterBusy) as refused:
        engine.call_next(3, actor="staff")
    assert refused.value.message == (
        "Quầy 3 đang phục vụ số A001: hãy kết thúc, tạm giữ hoặc báo vắng trước khi gọi số mới."
    )
    engine.start_serving(3, actor="staff")
    with pytest.raises(CounterBusy):
        engine.call_next(3, actor="staff")
    # The refused call changed nothing: A002 still waits for another counter.
    second = engine.call_next(1, actor="staff")
    assert second is not None and second.display_number == "A002"


def test_closed_or_unknown_counter_cannot_call(engine: QueueEngine) -> None:
    issue(engine, "A")
    engine.set_counter_open(3, False, actor="staff")
    with pytest.raises(CounterClosed, match="Quầy 3 đang đóng"):
        engine.call_next(3, actor="staff")
    engine.set_counter_open(3, True, actor="staff")
    assert engine.call_next(3, actor="staff") is not None
    with pytest.raises(UnknownCounter, match="quầy số 9"):
        engine.call_next(9, actor="staff")


def test_a_ticket_can_be_called_out_of_order(engine: QueueEngine) -> None:
    first, second, third = issue(engine, "A", "A", "A")
    called = engine.call_ticket(3, third, actor="staff")
    assert called.display_number == "A003" and called.counter_number == 3
    events = engine.events_since(0)
    assert events[-1].kind == "ticket.called"
    assert [t.id for t in engine.waiting_tickets()] == [first, second]


def test_out_of_order_call_refusals(engine: QueueEngine, clock: FixedClock) -> None:
    a1, b1, a2 = issue(engine, "A", "B", "A")
    with pytest.raises(TicketNotServedHere, match="Số B001 không thuộc"):
        engine.call_ticket(3, b1, actor="staff")
    engine.call_ticket(3, a1, actor="staff")
    with pytest.raises(IllegalTicketStep, match="Đã gọi"):
        engine.call_ticket(1, a1, actor="staff")
    with pytest.raises(CounterBusy):
        engine.call_ticket(3, a2, actor="staff")
    with pytest.raises(UnknownTicket):
        engine.call_ticket(1, 999, actor="staff")
    clock.advance(days=1)
    with pytest.raises(TicketExpired, match="ngày trước"):
        engine.call_ticket(1, a2, actor="staff")


def test_waiting_tickets_for_a_counter(engine: QueueEngine) -> None:
    issue(engine, "A", "B", "C")
    assert [t.display_number for t in engine.waiting_tickets(2)] == ["B001"]
    assert [t.display_number for t in engine.waiting_tickets(1)] == ["A001", "B001"]
    assert len(engine.waiting_tickets()) == 3
