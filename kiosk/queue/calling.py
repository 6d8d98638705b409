"""Which ticket a counter calls, and the call itself (see the engine's docstring for the order).

A call is a conditional UPDATE (`status` still one of the statuses `call` may leave) inside the
step's `BEGIN IMMEDIATE` write: no other writer, thread or process, can claim the ticket in
between, and the partial unique index `tickets_one_per_counter` would refuse a second ticket
at one counter anyway.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.domain.tickets import STEPS, PriorityMode, TicketStep
from kiosk.queue import lookups
from kiosk.queue.changes import record
from kiosk.queue.models import CounterInfo, Ticket
from kiosk.queue.priority import Pick, next_streak, pick_kind
from kiosk.store import WriteTx, ticket_repo
from kiosk.store.ticket_repo import Reader

#: The statuses a ticket can be called from (kiosk.domain.tickets: waiting, on hold).
CALLABLE_FROM = STEPS[TicketStep.CALL][0]


def pick_next(
    db: Reader, counter: CounterInfo, today: date, mode: PriorityMode, every: int
) -> int | None:
    """The id of the ticket `counter` calls next, or None when nobody waits for it: first the
    tickets sent to it, then its groups in order, each by the priority rule, FIFO within."""
    sent = ticket_repo.first_sent_to(db, counter.number, today)
    if sent is not None:
        return sent
    for group_id in counter.group_ids:
        regular = ticket_repo.first_waiting(db, group_id, today, priority=False)
        priority = ticket_repo.first_waiting(db, group_id, today, priority=True)
        both = regular is not None and priority is not None
        kind = pick_kind(
            mode,
            every,
            ticket_repo.streak(db, group_id, today) if both else None,
            priority_waiting=priority is not None,
            regular_waiting=regular is not None,
        )
        if kind is Pick.PRIORITY:
            return priority
        if kind is Pick.REGULAR:
            return regular
    return None


def served_here(ticket: Ticket, counter: CounterInfo) -> bool:
    """Whether the counter may call this ticket out of order: one sent to it, or (sent to no
    counter) one of its groups or one it held."""
    if ticket.assigned_counter is not None:
        return ticket.assigned_counter == counter.number
    return ticket.group_id in counter.group_ids or ticket.counter_number == counter.number


def claim(
    tx: WriteTx, ticket_id: int, counter_number: int, today: date, details: dict[str, Any]
) -> Ticket:
    """Call the ticket to the counter: its row, the group's priority streak, the event."""
    # Inside BEGIN IMMEDIATE nobody else can have claimed it: anything else is a bug.
    if not ticket_repo.claim_ticket(tx, ticket_id, counter_number, CALLABLE_FROM):
        raise RuntimeError(f"ticket {ticket_id} could not be claimed")
    ticket = lookups.ticket(tx, ticket_id)
    tx.target = ticket.display_number
    streak = ticket_repo.streak(tx, ticket.group_id, today)
    after = next_streak(streak, called_priority=ticket.priority is not None)
    if after is not None:
        ticket_repo.set_streak(tx, ticket.group_id, today, after)
    record(tx, "ticket.called", ticket, counter_number, details)
    return ticket
