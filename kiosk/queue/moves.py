"""Tickets that leave a counter without being finished: hold, back from hold, transfer, cancel.

A held or transferred ticket keeps its id, so it waits again at its original place (issue
order), in practice near the front.
"""

from __future__ import annotations

from datetime import date

from kiosk.domain.text import clean
from kiosk.domain.tickets import TicketStep
from kiosk.queue import lookups
from kiosk.queue.changes import change, record
from kiosk.queue.errors import InvalidTransfer, TicketExpired
from kiosk.queue.models import Ticket
from kiosk.store import WriteTx


def hold(tx: WriteTx, ticket: Ticket, counter_number: int, note: str) -> Ticket:
    """Put the counter's ticket aside; the counter is free to call the next one."""
    held = change(
        tx, ticket.id, status=ticket.after(TicketStep.HOLD), note=clean(note) or ticket.note
    )
    record(tx, "ticket.held", held, counter_number, {})
    return held


def return_from_hold(tx: WriteTx, ticket: Ticket, today: date) -> Ticket:
    """A held ticket of today waits again, in its group or for the counter it was sent to."""
    if ticket.service_day != today:
        raise TicketExpired(ticket.display_number)
    back = change(
        tx,
        ticket.id,
        status=ticket.after(TicketStep.RETURN_FROM_HOLD),
        counter_number=None,
        called_at=None,
        serving_at=None,
    )
    record(tx, "ticket.returned_from_hold", back, None, {"held_at": ticket.counter_number})
    return back


def check_transfer(counter_number: int, to_prefix: str | None, to_counter: int | None) -> None:
    """Refuse a transfer that names no destination, or this very counter."""
    if to_prefix is None and to_counter is None:
        raise InvalidTransfer("Hãy chọn nhóm dịch vụ hoặc quầy nhận chuyển.")
    if to_counter == counter_number:
        raise InvalidTransfer(f"Không thể chuyển số sang chính quầy {counter_number}.")


def transfer(
    tx: WriteTx,
    ticket: Ticket,
    counter_number: int,
    *,
    to_prefix: str | None,
    to_counter: int | None,
    note: str,
    come_back: bool,
) -> Ticket:
    """Send the counter's ticket to another group and/or counter (see `QueueEngine.transfer`)."""
    after = ticket.after(TicketStep.TRANSFER)
    group_id = ticket.group_id
    if to_prefix is not None:
        group_id = lookups.group(tx, to_prefix).id
    if to_counter is not None:
        lookups.counter(tx, to_counter)
    elif group_id == ticket.group_id:
        raise InvalidTransfer(
            f"Số {ticket.display_number} đã thuộc nhóm này: hãy chọn nhóm hoặc quầy khác."
        )
    moved = change(
        tx,
        ticket.id,
        status=after,
        group_id=group_id,
        assigned_counter=to_counter,
        counter_number=None,
        called_at=None,
        serving_at=None,
        note=clean(note) or ticket.note,
        return_to_counter=counter_number if come_back else None,
        return_group_id=ticket.group_id if come_back else None,
    )
    details = {
        "from_group_id": ticket.group_id,
        "to_group_id": group_id,
        "to_counter": to_counter,
        "come_back": come_back,
    }
    record(tx, "ticket.transferred", moved, counter_number, details)
    return moved


def cancel(tx: WriteTx, ticket: Ticket) -> Ticket:
    """Close an open ticket (the citizen left, a misprint...)."""
    gone = change(
        tx,
        ticket.id,
        status=ticket.after(TicketStep.CANCEL),
        finished_at=tx.now_iso,
        assigned_counter=None,
    )
    record(tx, "ticket.cancelled", gone, ticket.counter_number, {})
    return gone
