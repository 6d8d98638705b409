"""The rows a step needs, or its typed refusal when the row does not exist."""

from __future__ import annotations

from kiosk.domain.codes import validate_ticket_prefix
from kiosk.domain.errors import ValidationError
from kiosk.queue.errors import UnknownCounter, UnknownGroup, UnknownTicket
from kiosk.queue.models import ServiceGroup, Ticket
from kiosk.store import ticket_repo
from kiosk.store.ticket_repo import CounterRow, Reader


def ticket(db: Reader, ticket_id: int) -> Ticket:
    """The ticket with this id; `UnknownTicket` if there is none."""
    found = ticket_repo.load_ticket(db, ticket_id)
    if found is None:
        raise UnknownTicket(ticket_id)
    return found


def group(db: Reader, prefix: str) -> ServiceGroup:
    """The configured group of `prefix` (any case, spaces around); `UnknownGroup` otherwise."""
    try:
        wanted = validate_ticket_prefix(prefix)
    except ValidationError:
        raise UnknownGroup(prefix) from None
    found = ticket_repo.active_group(db, wanted)
    if found is None:
        raise UnknownGroup(prefix)
    return found


def counter(db: Reader, number: int) -> CounterRow:
    """The configured counter `number`; `UnknownCounter` otherwise."""
    found = ticket_repo.active_counters(db, number)
    if not found:
        raise UnknownCounter(number)
    return found[0]
