"""What the queue is made of: tickets, groups, counters, events and snapshots (plain values).

The values the store also reads and writes (`Ticket`, `ServiceGroup`, `CounterInfo`,
`QueueEvent`, `Outcome`, `PriorityCategory`) live in `kiosk.domain.tickets`, so that
`kiosk.store.ticket_repo` can map rows into them; they are named here too, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.domain.tickets import (
    Counter,
    CounterInfo,
    Group,
    Outcome,
    PriorityCategory,
    QueueEvent,
    ServiceGroup,
    Ticket,
    TicketStatus,
)

__all__ = [
    "Counter",
    "CounterInfo",
    "CounterStatus",
    "Group",
    "GroupStatus",
    "IssuedTicket",
    "Outcome",
    "PriorityCategory",
    "QueueEvent",
    "QueueSnapshot",
    "ServiceGroup",
    "Ticket",
    "TicketStatus",
]


@dataclass(frozen=True, slots=True)
class IssuedTicket:
    ticket: Ticket
    people_ahead: int
    estimated_wait_minutes: int


@dataclass(frozen=True, slots=True)
class GroupStatus:
    group: ServiceGroup
    waiting: int
    estimated_wait_minutes: int

    def as_json(self) -> dict[str, Any]:
        return {
            "group": self.group.as_json(),
            "waiting": self.waiting,
            "estimated_wait_minutes": self.estimated_wait_minutes,
        }


@dataclass(frozen=True, slots=True)
class CounterStatus:
    counter: CounterInfo
    current: Ticket | None

    def as_json(self) -> dict[str, Any]:
        return {
            "counter": self.counter.as_json(),
            "current": None if self.current is None else self.current.as_json(),
        }


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    """The whole board at one instant; events after `last_event_id` continue it."""

    groups: list[GroupStatus]
    counters: list[CounterStatus]
    last_calls: list[QueueEvent]
    last_event_id: int

    def as_json(self) -> dict[str, Any]:
        return {
            "groups": [g.as_json() for g in self.groups],
            "counters": [c.as_json() for c in self.counters],
            "last_calls": [e.as_json() for e in self.last_calls],
            "last_event_id": self.last_event_id,
        }
