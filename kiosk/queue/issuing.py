"""Issuing a ticket at the kiosk, the daily limit per citizen, and the waiting-time estimate."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from kiosk.domain.codes import format_ticket_number
from kiosk.domain.validation import parse_citizen_id
from kiosk.queue import eta, lookups
from kiosk.queue.changes import record
from kiosk.queue.errors import DailyLimitReached
from kiosk.queue.models import IssuedTicket, PriorityCategory, ServiceGroup
from kiosk.store import WriteTx, ticket_repo
from kiosk.store.sequences import next_ticket_number
from kiosk.store.ticket_repo import Reader


def issue(
    tx: WriteTx, today: date, group: ServiceGroup, priority: PriorityCategory | None
) -> IssuedTicket:
    """A new waiting ticket of `group`, numbered from the group's sequence of `today`."""
    number = next_ticket_number(tx, group.prefix, today)
    display = format_ticket_number(group.prefix, number, group.number_width)
    ticket_id = ticket_repo.insert_ticket(tx, group, number, display, today, priority)
    tx.target = display
    ahead = ticket_repo.count_waiting(tx, group.id, today, before_id=ticket_id)
    minutes = estimate(tx, group.id, today, ahead)
    ticket = lookups.ticket(tx, ticket_id)
    details = {"people_ahead": ahead, "estimated_wait_minutes": minutes}
    record(tx, "ticket.issued", ticket, None, details)
    return IssuedTicket(ticket, ahead, minutes)


def count_citizen(tx: WriteTx, today: date, citizen_id: str, limit: int) -> None:
    """Count one more ticket of the citizen today, or refuse past `limit`. Only a salted hash
    of (service day, ID number) is kept, never the number, and never with the ticket."""
    number = parse_citizen_id(citizen_id).number
    salt = ticket_repo.citizen_hash_salt(tx)
    key = hmac.new(
        salt.encode(), f"{today.isoformat()}|{number}".encode(), hashlib.sha256
    ).hexdigest()
    if ticket_repo.citizen_tickets(tx, today, key) >= limit:
        raise DailyLimitReached(limit)
    ticket_repo.add_citizen_ticket(tx, today, key)


def estimate(db: Reader, group_id: int, today: date, ahead: int) -> int:
    """Minutes a ticket with `ahead` people before it waits (see `kiosk.queue.eta`)."""
    seconds = ticket_repo.recent_service_seconds(db, group_id, today, eta.RECENT_SERVICES)
    open_counters = ticket_repo.open_counters_serving(db, group_id)
    return eta.estimate_wait_minutes(ahead, eta.typical_service_minutes(seconds), open_counters)
