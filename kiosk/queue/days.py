"""The service day: ticket numbers restart when the office's day starts, not at midnight.

`open_day` is the day roll-over, one named step: the engine runs it first in every write that
issues, calls or moves a ticket (`QueueEngine._ticket_step`). It finds the tickets that
past service days left open (waiting, called, serving, on hold) and closes each as `cancelled`
with event `ticket.expired`, inside that same write; numbering needs nothing of it, since each
group's sequence is kept per service day (`kiosk.store.sequences.next_ticket_number`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from kiosk.clock import VN_TZ
from kiosk.domain.tickets import Ticket, TicketStep
from kiosk.queue.changes import change, record
from kiosk.store import WriteTx, ticket_repo


def service_day(moment: datetime, day_start: time) -> date:
    """The day whose queue `moment` belongs to: before `day_start` it is still the day before."""
    local = moment.astimezone(VN_TZ)
    if local.time().replace(tzinfo=None) < day_start:
        return local.date() - timedelta(days=1)
    return local.date()


@dataclass(frozen=True, slots=True)
class OpenedDay:
    """The service day of a write, and the tickets of past days it closed (as they are now)."""

    day: date
    expired: tuple[Ticket, ...]


def open_day(tx: WriteTx, day_start: time) -> OpenedDay:
    """The service day of this write, after closing the open tickets of past days."""
    today = service_day(tx.now, day_start)
    expired = []
    for stale in ticket_repo.open_tickets_before(tx, today):
        closed = change(
            tx,
            stale.id,
            status=stale.after(TicketStep.EXPIRE),
            finished_at=tx.now_iso,
            assigned_counter=None,
        )
        record(tx, "ticket.expired", closed, stale.counter_number, {"from": stale.status.value})
        expired.append(closed)
    return OpenedDay(today, tuple(expired))
