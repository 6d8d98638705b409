"""Every other step of a ticket: serve, finish, recall and automatic no-show, hold, cancel."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from kiosk.clock import FixedClock
from kiosk.domain.errors import ValidationError
from kiosk.queue import (
    IllegalTicketStep,
    NoCurrentTicket,
    Outcome,
    QueueEngine,
    Ticket,
    TicketStatus,
)
from kiosk.store import Store


def call(engine: QueueEngine, counter: int, prefix: str = "A") -> Ticket:
    engine.issue(prefix, actor="kiosk")
    ticket = engine.call_next(counter, actor="staff")
    assert ticket is not None
    return ticket


def test_serve_then_finish_with_outcome_and_dossier_code(
    engine: QueueEngine, clock: FixedClock, store: Store
) -> None:
    called = call(engine, 3)
    clock.advance(minutes=1)
    serving = engine.start_serving(3, actor="staff")
    assert serving.status is TicketStatus.SERVING and serving.serving_at == clock.now
    clock.advance(minutes=6)
    done = engine.finish(
        3, Outcome.RECEIVED, dossier_code="000.00.21.h12-260316-0001", actor="staff"
    )
    assert done.status is TicketStatus.DONE
    assert done.outcome is Outcome.RECEIVED
    assert done.finished_at == clock.now
    assert done.counter_number == 3
    assert engine.current(3) is None
    service = store.query("SELECT * FROM ticket_services")
    assert len(service) == 1
    assert service[0]["seconds"] == 6 * 60  # measured from the start of service
    assert service[0]["dossier_code"] == "000.00.21.H12-260316-0001"
    assert service[0]["ticket_id"] == called.id


def test_finish_without_start_counts_from_the_call(
    engine: QueueEngine, clock: FixedClock, store: Store
) -> None:
    call(engine, 3)
    clock.advance(minutes=4)
    assert engine.finish(3, Outcome.GUIDED, actor="staff").status is TicketStatus.DONE
    assert store.query("SELECT seconds FROM ticket_services") == [{"seconds": 240}]


def test_bad_dossier_code_is_refused_before_anything_changes(engine: QueueEngine) -> None:
    call(engine, 3)
    with pytest.raises(ValidationError):
        engine.finish(3, Outcome.RECEIVED, dossier_code="not a code", actor="staff")
    current = engine.current(3)
    assert current is not None and current.status is TicketStatus.CALLED


def test_steps_need_a_ticket_at_the_counter(engine: QueueEngine) -> None:
    steps: tuple[Callable[[], object], ...] = (
        lambda: engine.recall(1, actor="s"),
        lambda: engine.start_serving(1, actor="s"),
        lambda: engine.finish(1, Outcome.GUIDED, actor="s"),
        lambda: engine.no_show(1, actor="s"),
        lambda: engine.hold(1, actor="s"),
        lambda: engine.transfer(1, to_prefix="B", actor="s"),
    )
    for step in steps:
        with pytest.raises(NoCurrentTicket, match="Quầy 1 chưa gọi số nào"):
            step()


def test_serving_ticket_cannot_be_recalled_marked_absent_or_started_again(
    engine: QueueEngine,
) -> None:
    call(engine, 3)
    engine.start_serving(3, actor="staff")
    steps: tuple[Callable[[], object], ...] = (
        lambda: engine.recall(3, actor="s"),
        lambda: engine.no_show(3, actor="s"),
        lambda: engine.start_serving(3, actor="s"),
    )
    for step in steps:
        with pytest.raises(IllegalTicketStep, match="Đang phục vụ"):
            step()


def test_no_show_by_hand(engine: QueueEngine) -> None:
    call(engine, 3)
    gone = engine.no_show(3, actor="staff")
    assert gone.status is TicketStatus.NO_SHOW and gone.finished_at is not None
    assert engine.current(3) is None


def test_recalls_then_automatic_no_show(make_engine: Callable[..., QueueEngine]) -> None:
    engine = make_engine(max_recalls_before_no_show=2)
    call(engine, 3)
    assert engine.recall(3, actor="staff").recalls == 1
    assert engine.recall(3, actor="staff").recalls == 2
    third = engine.recall(3, actor="staff")  # one more than allowed
    assert third.status is TicketStatus.NO_SHOW
    assert third.recalls == 2
    assert engine.current(3) is None
    kinds = [(e.kind, e.counter_number) for e in engine.events_since(0)][-4:]
    assert kinds == [
        ("ticket.called", 3),
        ("ticket.recalled", 3),
        ("ticket.recalled", 3),
        ("ticket.no_show", 3),
    ]
    with pytest.raises(NoCurrentTicket):
        engine.recall(3, actor="staff")


def test_zero_recalls_allowed_makes_the_first_recall_a_no_show(
    make_engine: Callable[..., QueueEngine],
) -> None:
    engine = make_engine(max_recalls_before_no_show=0)
    call(engine, 3)
    assert engine.recall(3, actor="staff").status is TicketStatus.NO_SHOW


def test_hold_frees_the_counter_and_return_keeps_the_place(engine: QueueEngine) -> None:
    for _ in range(3):
        engine.issue("A", actor="kiosk")
    first = engine.call_next(3, actor="staff")
    assert first is not None
    held = engine.hold(3, note="về lấy giấy khai sinh bản chính", actor="staff")
    assert held.status is TicketStatus.ON_HOLD and held.counter_number == 3
    assert held.note == "về lấy giấy khai sinh bản chính"
    assert [t.id for t in engine.held_tickets(3)] == [first.id]
    assert engine.held_tickets(1) == []
    second = engine.call_next(3, actor="staff")
    assert second is not None and second.display_number == "A002"
    engine.finish(3, Outcome.GUIDED, actor="staff")
    back = engine.return_from_hold(first.id, actor="staff")
    assert back.status is TicketStatus.WAITING and back.counter_number is None
    # Back at its original place: before A003, which was issued after it.
    assert [t.display_number for t in engine.waiting_tickets()] == ["A001", "A003"]
    again = engine.call_next(1, actor="staff")
    assert again is not None and again.display_number == "A001"
    assert again.first_called_at == first.called_at
    with pytest.raises(IllegalTicketStep, match="Đã gọi"):
        engine.return_from_hold(first.id, actor="staff")


def test_held_ticket_can_be_called_back_directly(engine: QueueEngine) -> None:
    held = call(engine, 3)
    engine.hold(3, actor="staff")
    again = engine.call_ticket(3, held.id, actor="staff")
    assert again.status is TicketStatus.CALLED and again.recalls == 0


def test_cancel_any_open_ticket_but_not_a_final_one(engine: QueueEngine) -> None:
    waiting = engine.issue("B", actor="kiosk").ticket
    assert engine.cancel(waiting.id, actor="staff").status is TicketStatus.CANCELLED
    at_counter = call(engine, 3)
    engine.cancel(at_counter.id, actor="admin")
    assert engine.current(3) is None  # the counter is free again
    with pytest.raises(IllegalTicketStep, match="Đã hủy"):
        engine.cancel(waiting.id, actor="staff")
    done = call(engine, 3)
    engine.finish(3, Outcome.REFUSED, actor="staff")
    with pytest.raises(IllegalTicketStep, match="Đã xong"):
        engine.cancel(done.id, actor="staff")


def test_status_outside_the_states_is_rejected_by_the_database(
    engine: QueueEngine, store: Store
) -> None:
    engine.issue("A", actor="kiosk")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"), store.write("t", "t") as tx:
        tx.execute("UPDATE tickets SET status = 'lost'")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), store.write("t", "t") as tx:
        tx.execute("UPDATE tickets SET status = 'called', counter_number = 1")
        tx.insert(
            "tickets",
            {
                "prefix": "A",
                "number": 99,
                "display_number": "A099",
                "service_day": "2026-03-16",
                "status": "serving",
                "issued_at": "2026-03-16T07:30:00+07:00",
                "updated_at": "2026-03-16T07:30:00+07:00",
                "counter_number": 1,
            },
        )
