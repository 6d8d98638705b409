"""Office notices on the hub's event stream, written by any layer inside its own write.

The stream is the `ticket_events` table (its ids are the stream ids; see kiosk.queue): a
notice is a row without a ticket. It lives here, in the store, so that the layers below the
queue (the sync puller) and the command line can announce a change too without importing the
queue engine; the hub sends rows written on other connections within seconds
(kiosk.hub.runtime.EventHub.watch).
"""

from __future__ import annotations

from typing import Any, Final

from kiosk.store.tx import WriteTx, canonical_json

CATALOGUE_CHANGED: Final = "catalogue.changed"
CALENDAR_CHANGED: Final = "calendar.changed"


def announce(
    tx: WriteTx, kind: str, details: dict[str, Any], *, counter_number: int | None = None
) -> int:
    """Put an office notice on the hub's event stream inside the caller's write; returns its
    stream id.

    `details` go to every screen as they are: public facts only, never personal data. The row
    and its outbox event are those of `kiosk.queue.changes.record` for an event without a ticket.
    """
    event_id = tx.insert(
        "ticket_events",
        {
            "ticket_id": None,
            "at": tx.now_iso,
            "kind": kind,
            "actor": tx.actor,
            "counter_number": counter_number,
            "details": canonical_json(details),
            "ticket_state": None,
        },
    )
    tx.emit(
        kind,
        {
            "ticket_event_id": event_id,
            "at": tx.now_iso,
            "counter_number": counter_number,
            "details": details,
            "ticket": None,
        },
    )
    return event_id
