"""The two writes of every ticket step: the ticket's row, and the one event that tells of it.

Each step writes exactly one `ticket_events` row (its id is the event id of the hub's stream)
and one outbox event with it, inside the step's `store.write`.
"""

from __future__ import annotations

from typing import Any

from kiosk.queue import lookups
from kiosk.queue.models import Ticket
from kiosk.store import WriteTx, ticket_repo


def change(tx: WriteTx, ticket_id: int, **columns: Any) -> Ticket:
    """Set these columns of the ticket and return it as it is now."""
    ticket_repo.update_ticket(tx, ticket_id, **columns)
    return lookups.ticket(tx, ticket_id)


def record(
    tx: WriteTx,
    kind: str,
    ticket: Ticket | None,
    counter_number: int | None,
    details: dict[str, Any],
) -> int:
    """The one ticket_events row of this change, and its outbox event (no personal data:
    the staff note stays out of the outbox); returns the event id."""
    event_id = ticket_repo.insert_event(tx, kind, ticket, counter_number, details)
    payload: dict[str, Any] = {
        "ticket_event_id": event_id,
        "at": tx.now_iso,
        "counter_number": counter_number,
        "details": details,
        "ticket": None,
    }
    if ticket is not None:
        public = ticket.as_json()
        public["priority_category"] = None if ticket.priority is None else ticket.priority.value
        payload["ticket"] = public
    tx.emit(kind, payload)
    return event_id
