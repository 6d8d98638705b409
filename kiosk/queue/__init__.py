"""The queue engine: tickets issued at the kiosk, called and served at the counters.

Public face: `QueueEngine` (one per office store) and the values it speaks in (`models`), the
typed refusals (`errors`), the priority rule (`priority`) and the waiting-time formula (`eta`).
`announce(tx, kind, details)` puts an office notice on the hub's event stream from any write,
with or without an engine (the sync puller, the CLI).
"""

from __future__ import annotations

from kiosk.domain.tickets import PriorityMode, TicketStatus
from kiosk.queue.engine import QueueEngine
from kiosk.queue.errors import (
    CounterBusy,
    CounterClosed,
    DailyLimitReached,
    IllegalTicketStep,
    InvalidTransfer,
    NoCurrentTicket,
    QueueConfigError,
    QueueConflict,
    QueueError,
    QueueNotFound,
    TicketExpired,
    TicketNotServedHere,
    UnknownCounter,
    UnknownGroup,
    UnknownTicket,
)
from kiosk.queue.models import (
    Counter,
    CounterInfo,
    CounterStatus,
    Group,
    GroupStatus,
    IssuedTicket,
    Outcome,
    PriorityCategory,
    QueueEvent,
    QueueSnapshot,
    ServiceGroup,
    Ticket,
)
from kiosk.store.notices import CALENDAR_CHANGED, CATALOGUE_CHANGED, announce

__all__ = [
    "CALENDAR_CHANGED",
    "CATALOGUE_CHANGED",
    "Counter",
    "CounterBusy",
    "CounterClosed",
    "CounterInfo",
    "CounterStatus",
    "DailyLimitReached",
    "Group",
    "GroupStatus",
    "IllegalTicketStep",
    "InvalidTransfer",
    "IssuedTicket",
    "NoCurrentTicket",
    "Outcome",
    "PriorityCategory",
    "PriorityMode",
    "QueueConfigError",
    "QueueConflict",
    "QueueEngine",
    "QueueError",
    "QueueEvent",
    "QueueNotFound",
    "QueueSnapshot",
    "ServiceGroup",
    "Ticket",
    "TicketExpired",
    "TicketNotServedHere",
    "TicketStatus",
    "UnknownCounter",
    "UnknownGroup",
    "UnknownTicket",
    "announce",
]
