"""What the queue is made of: tickets, groups, counters, events and snapshots (plain values)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from kiosk.domain.tickets import TicketStatus


class Outcome(StrEnum):
    """How a service at the counter ended."""

    GUIDED = "guided"
    RECEIVED = "received"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    Outcome.GUIDED: "Hướng dẫn",
    Outcome.RECEIVED: "Tiếp nhận hồ sơ",
    Outcome.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung hồ sơ",
    Outcome.REFUSED: "Từ chối tiếp nhận",
}


class PriorityCategory(StrEnum):
    """Why a ticket is served first; only the category is stored, never a health reason."""

    ELDERLY = "elderly"
    DISABILITY = "disability"
    PREGNANT_OR_SMALL_CHILD = "pregnant_or_small_child"
    MERIT = "merit"

    @property
    def label(self) -> str:
        return _PRIORITY_LABELS[self]


_PRIORITY_LABELS = {
    PriorityCategory.ELDERLY: "Người cao tuổi",
    PriorityCategory.DISABILITY: "Người khuyết tật",
    PriorityCategory.PREGNANT_OR_SMALL_CHILD: "Phụ nữ mang thai, người có con nhỏ",
    PriorityCategory.MERIT: "Người có công với cách mạng",
}


@dataclass(frozen=True, slots=True)
class ServiceGroupSpec:
    """A group as configured: letter prefix, name, the fields (lĩnh vực) it covers."""

    prefix: str
    name: str
    fields: tuple[str, ...] = ()
    number_width: int = 3


@dataclass(frozen=True, slots=True)
class CounterSpec:
    """A counter as configured; `group_prefixes` in the order the counter serves them."""

    number: int
    name: str
    group_prefixes: tuple[str, ...]
    open: bool = True


@dataclass(frozen=True, slots=True)
class ServiceGroup:
    id: int
    prefix: str
    name: str
    fields: tuple[str, ...]
    number_width: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "prefix": self.prefix,
            "name": self.name,
            "fields": list(self.fields),
            "number_width": self.number_width,
        }


@dataclass(frozen=True, slots=True)
class CounterInfo:
    number: int
    name: str
    group_ids: tuple[int, ...]
    open: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "group_ids": list(self.group_ids),
            "open": self.open,
        }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _moment(text: Any) -> datetime | None:
    return None if text is None else datetime.fromisoformat(str(text))


@dataclass(frozen=True, slots=True)
class Ticket:
    """One queue ticket. Times are those of the latest step of its kind: `called_at` is the
    latest call (recalls keep it), `serving_at` is None until service starts after that call,
    `finished_at` is set when the ticket reaches a final state. `first_called_at` is the first
    call ever (waiting time). `counter_number` is the counter the ticket is at (called, serving,
    on hold) or was last at (done, no-show); None while waiting."""

    id: int
    display_number: str
    prefix: str
    number: int
    group_id: int
    status: TicketStatus
    priority: PriorityCategory | None
    issued_at: datetime
    called_at: datetime | None
    serving_at: datetime | None
    finished_at: datetime | None
    counter_number: int | None
    recalls: int
    outcome: Outcome | None
    note: str
    return_to_counter: int | None
    service_day: date
    first_called_at: datetime | None = None
    #: A waiting ticket sent to one counter (transfer to a counter, come-back): only that
    #: counter calls it, before its group queue.
    assigned_counter: int | None = None

    def as_json(self, *, public: bool = True) -> dict[str, Any]:
        """JSON for screens; `public` leaves out the staff note (free text may name a person)
        and the priority category (only whether the ticket has priority)."""
        data: dict[str, Any] = {
            "id": self.id,
            "display_number": self.display_number,
            "prefix": self.prefix,
            "number": self.number,
            "group_id": self.group_id,
            "status": self.status.value,
            "priority": self.priority is not None,
            "issued_at": _iso(self.issued_at),
            "called_at": _iso(self.called_at),
            "serving_at": _iso(self.serving_at),
            "finished_at": _iso(self.finished_at),
            "first_called_at": _iso(self.first_called_at),
            "counter_number": self.counter_number,
            "recalls": self.recalls,
            "outcome": None if self.outcome is None else self.outcome.value,
            "return_to_counter": self.return_to_counter,
            "assigned_counter": self.assigned_counter,
            "service_day": self.service_day.isoformat(),
        }
        if not public:
            data["priority_category"] = None if self.priority is None else self.priority.value
            data["note"] = self.note
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Ticket:
        """The inverse of `as_json(public=False)`."""
        category = data.get("priority_category")
        outcome = data.get("outcome")
        issued = _moment(data["issued_at"])
        assert issued is not None
        return cls(
            id=int(data["id"]),
            display_number=str(data["display_number"]),
            prefix=str(data["prefix"]),
            number=int(data["number"]),
            group_id=int(data["group_id"]),
            status=TicketStatus(data["status"]),
            priority=None if category is None else PriorityCategory(category),
            issued_at=issued,
            called_at=_moment(data.get("called_at")),
            serving_at=_moment(data.get("serving_at")),
            finished_at=_moment(data.get("finished_at")),
            counter_number=data.get("counter_number"),
            recalls=int(data.get("recalls", 0)),
            outcome=None if outcome is None else Outcome(outcome),
            note=str(data.get("note", "")),
            return_to_counter=data.get("return_to_counter"),
            service_day=date.fromisoformat(str(data["service_day"])),
            first_called_at=_moment(data.get("first_called_at")),
            assigned_counter=data.get("assigned_counter"),
        )


@dataclass(frozen=True, slots=True)
class IssuedTicket:
    ticket: Ticket
    people_ahead: int
    estimated_wait_minutes: int


@dataclass(frozen=True, slots=True)
class QueueEvent:
    """One row of `ticket_events`: `id` is the event id of the hub's stream (never reused),
    `ticket` the ticket's state right after the change (None for configuration events)."""

    id: int
    kind: str
    at: datetime
    ticket: Ticket | None
    counter_number: int | None
    #: Details of an office notice (an event with no ticket, see `QueueEngine.announce`);
    #: always empty for ticket events, whose details may hold a staff note.
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """For displays and the event stream: numbers, groups, counters, states and times only."""
        body: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "at": self.at.isoformat(),
            "counter_number": self.counter_number,
            "ticket": None if self.ticket is None else self.ticket.as_json(),
        }
        if self.ticket is None:
            body["details"] = self.details
        return body


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
