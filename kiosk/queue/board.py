"""What the screens read: the board at one instant, the waiting lines, the recent calls."""

from __future__ import annotations

from datetime import date
from typing import Final

from kiosk.queue.issuing import estimate
from kiosk.queue.models import CounterStatus, GroupStatus, QueueSnapshot, Ticket
from kiosk.store import ticket_repo
from kiosk.store.ticket_repo import Reader

#: The events a display announces (and lists as "last calls").
CALL_KINDS: Final = ("ticket.called", "ticket.recalled")


def snapshot(db: Reader, today: date, last_calls: int) -> QueueSnapshot:
    """The board of `today`; read it inside one read transaction so that `last_event_id`
    matches what it shows."""
    last = ticket_repo.last_event_id(db)
    groups = []
    for group in ticket_repo.active_groups(db):
        waiting = ticket_repo.count_waiting(db, group.id, today)
        groups.append(GroupStatus(group, waiting, estimate(db, group.id, today, waiting)))
    counters = [
        CounterStatus(row.info, ticket_repo.at_counter(db, row.info.number, today))
        for row in ticket_repo.active_counters(db)
    ]
    calls = [
        event
        for event in ticket_repo.latest_events(db, CALL_KINDS, last_calls)
        if event.ticket is not None and event.ticket.service_day == today
    ]
    return QueueSnapshot(groups, counters, calls, last)


def callable_by(
    tickets: list[Ticket], counter_number: int, group_ids: tuple[int, ...]
) -> list[Ticket]:
    """The waiting tickets a counter may call: those sent to it, and (sent to no counter)
    those of its groups."""
    groups = set(group_ids)
    return [
        t
        for t in tickets
        if t.assigned_counter == counter_number
        or (t.assigned_counter is None and t.group_id in groups)
    ]
