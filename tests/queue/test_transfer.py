"""Transfers: to another group, to one counter, and "come back here after"."""

from __future__ import annotations

import pytest

from kiosk.queue import (
    InvalidTransfer,
    Outcome,
    QueueEngine,
    Ticket,
    TicketStatus,
    UnknownCounter,
    UnknownGroup,
)


def called_at(engine: QueueEngine, counter: int, prefix: str) -> Ticket:
    engine.issue(prefix, actor="kiosk")
    ticket = engine.call_next(counter, actor="staff")
    assert ticket is not None
    return ticket


def test_transfer_to_another_group_keeps_the_number_and_its_place(engine: QueueEngine) -> None:
    engine.issue("B", actor="kiosk")  # B001 waits before the transfer
    ticket = called_at(engine, 3, "A")
    moved = engine.transfer(3, to_prefix="B", note="cần chứng thực bản sao", actor="staff")
    assert moved.display_number == "A001"
    assert moved.status is TicketStatus.WAITING
    assert moved.group_id != ticket.group_id and moved.counter_number is None
    assert engine.current(3) is None
    # Counter 2 (group B) now sees it; issue order puts B001 first, then A001.
    first = engine.call_next(2, actor="staff")
    assert first is not None and first.display_number == "B001"
    engine.finish(2, Outcome.GUIDED, actor="staff")
    second = engine.call_next(2, actor="staff")
    assert second is not None and second.id == ticket.id
    assert second.note == "cần chứng thực bản sao"


def test_transfer_to_a_counter_goes_first_there_and_only_there(engine: QueueEngine) -> None:
    engine.issue("A", actor="kiosk")
    engine.issue("B", actor="kiosk")
    sent = called_at(engine, 3, "A")  # counter 3 calls A001
    engine.transfer(3, to_counter=2, actor="staff")
    # Counter 1 serves A and B, but the ticket is for counter 2 only.
    other = engine.call_next(1, actor="staff")
    assert other is not None and other.display_number == "A002"
    mine = engine.call_next(2, actor="staff")  # before B001, which waits in counter 2's group
    assert mine is not None and mine.id == sent.id and mine.display_number == "A001"


def test_come_back_returns_to_the_sending_counter_after_the_other_finishes(
    engine: QueueEngine,
) -> None:
    ticket = called_at(engine, 3, "A")
    engine.issue("A", actor="kiosk")  # A002 waits at counter 3's group meanwhile
    moved = engine.transfer(3, to_prefix="B", come_back=True, actor="staff")
    assert moved.return_to_counter == 3
    at_b = engine.call_next(2, actor="staff")
    assert at_b is not None and at_b.id == ticket.id
    engine.start_serving(2, actor="staff")
    back = engine.finish(2, Outcome.GUIDED, actor="staff")
    assert back.status is TicketStatus.WAITING
    assert back.assigned_counter == 3 and back.return_to_counter is None
    assert back.group_id == ticket.group_id
    assert engine.events_since(0)[-1].kind == "ticket.finished"
    # Counter 1 also serves A, but the returning ticket waits for counter 3 only.
    other = engine.call_next(1, actor="staff")
    assert other is not None and other.display_number == "A002"
    again = engine.call_next(3, actor="staff")
    assert again is not None and again.id == ticket.id
    done = engine.finish(3, Outcome.RECEIVED, actor="staff")
    assert done.status is TicketStatus.DONE and done.outcome is Outcome.RECEIVED


def test_transfer_refusals(engine: QueueEngine) -> None:
    called_at(engine, 3, "A")
    with pytest.raises(InvalidTransfer, match="Hãy chọn nhóm dịch vụ hoặc quầy"):
        engine.transfer(3, actor="staff")
    with pytest.raises(InvalidTransfer, match="chính quầy 3"):
        engine.transfer(3, to_counter=3, actor="staff")
    with pytest.raises(InvalidTransfer, match="đã thuộc nhóm này"):
        engine.transfer(3, to_prefix="A", actor="staff")
    with pytest.raises(UnknownGroup):
        engine.transfer(3, to_prefix="Q", actor="staff")
    with pytest.raises(UnknownCounter):
        engine.transfer(3, to_counter=42, actor="staff")
    current = engine.current(3)
    assert current is not None and current.status is TicketStatus.CALLED
