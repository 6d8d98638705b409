"""The steps of the ticket at a counter: recall, start serving, finish, no-show."""

from __future__ import annotations

from typing import Any

from kiosk.domain.tickets import TicketStep
from kiosk.queue.changes import change, record
from kiosk.queue.models import Outcome, Ticket
from kiosk.store import WriteTx, ticket_repo


def recall(tx: WriteTx, ticket: Ticket, counter_number: int, max_recalls: int) -> Ticket:
    """Announce the called ticket again; after `max_recalls` recalls, mark it no-show."""
    ticket.after(TicketStep.RECALL)
    if ticket.recalls >= max_recalls:
        done = change(
            tx, ticket.id, status=ticket.after(TicketStep.NO_SHOW), finished_at=tx.now_iso
        )
        details = {"automatic": True, "recalls": ticket.recalls}
        record(tx, "ticket.no_show", done, counter_number, details)
        return done
    again = change(tx, ticket.id, recalls=ticket.recalls + 1)
    record(tx, "ticket.recalled", again, counter_number, {"recall": again.recalls})
    return again


def start(tx: WriteTx, ticket: Ticket, counter_number: int) -> Ticket:
    """The citizen has come to the counter."""
    serving = change(tx, ticket.id, status=ticket.after(TicketStep.START), serving_at=tx.now_iso)
    record(tx, "ticket.serving", serving, counter_number, {})
    return serving


def no_show(tx: WriteTx, ticket: Ticket, counter_number: int) -> Ticket:
    """The called citizen did not come."""
    gone = change(tx, ticket.id, status=ticket.after(TicketStep.NO_SHOW), finished_at=tx.now_iso)
    record(tx, "ticket.no_show", gone, counter_number, {"automatic": False})
    return gone


def finish(
    tx: WriteTx, ticket: Ticket, counter_number: int, outcome: Outcome, code: str | None
) -> Ticket:
    """End the service with its outcome: one `ticket_services` row, then the ticket is done,
    or (sent here to come back) waits again for the counter that sent it, first in line."""
    back = ticket.return_to_counter
    after = ticket.after(TicketStep.FINISH if back is None else TicketStep.FINISH_AND_GO_BACK)
    assert ticket.called_at is not None
    started = ticket.serving_at or ticket.called_at
    seconds = max(0, int((tx.now - started).total_seconds()))
    ticket_repo.record_service(tx, ticket, counter_number, seconds, outcome, code)
    details: dict[str, Any] = {"outcome": outcome.value, "service_seconds": seconds}
    if code:
        details["dossier_code"] = code
    if back is None:
        finished = change(tx, ticket.id, status=after, outcome=outcome, finished_at=tx.now_iso)
    else:
        group_id = ticket_repo.return_group(tx, ticket.id)
        finished = change(
            tx,
            ticket.id,
            status=after,
            outcome=outcome,
            group_id=ticket.group_id if group_id is None else group_id,
            assigned_counter=back,
            counter_number=None,
            called_at=None,
            serving_at=None,
            return_to_counter=None,
            return_group_id=None,
        )
        details["back_to_counter"] = back
    record(tx, "ticket.finished", finished, counter_number, details)
    return finished
