"""The rules of a queue ticket as one table: its statuses, the steps a counter takes, and from
which status each step may be taken (as `kiosk.domain.lifecycle` is for dossiers); and the
plain values of the queue that the store reads and writes: `Ticket`, `ServiceGroup`,
`CounterInfo`, `QueueEvent` (re-exported by `kiosk.queue.models`).

The queue engine (`kiosk.queue.engine`) asks `check_step` before it writes anything and writes
the status `status_after` gives; `tests/queue/test_ticket_rules.py` holds an independent copy
of the table. Also the one `PriorityMode`: the settings store it, the queue engine applies it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final

from kiosk.domain.errors import TransitionError


class PriorityMode(StrEnum):
    """strict: a waiting priority ticket always goes first; interleaved: one every N."""

    STRICT = "strict"
    INTERLEAVED = "interleaved"


class TicketStatus(StrEnum):
    """Where a ticket is. A transfer moves the ticket (same id, same display number) back to
    `waiting` for another group or counter, so there is no separate "transferred" state."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    ON_HOLD = "on_hold"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATUSES

    @property
    def at_counter(self) -> bool:
        """Called or being served: the ticket occupies its counter."""
        return self in (TicketStatus.CALLED, TicketStatus.SERVING)


FINAL_STATUSES = frozenset({TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED})

_STATUS_LABELS = {
    TicketStatus.WAITING: "Đang chờ",
    TicketStatus.CALLED: "Đã gọi",
    TicketStatus.SERVING: "Đang phục vụ",
    TicketStatus.ON_HOLD: "Tạm giữ",
    TicketStatus.DONE: "Đã xong",
    TicketStatus.NO_SHOW: "Vắng mặt",
    TicketStatus.CANCELLED: "Đã hủy",
}


class TicketStep(StrEnum):
    """What happens to a ticket; each has its Vietnamese verb for a refusal."""

    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    #: The finish of a ticket sent here "to come back": it waits again for the counter that sent it.
    FINISH_AND_GO_BACK = "finish_and_go_back"
    NO_SHOW = "no_show"
    HOLD = "hold"
    RETURN_FROM_HOLD = "return_from_hold"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    #: The day rolled over with the ticket still open: it is closed as cancelled.
    EXPIRE = "expire"

    @property
    def verb(self) -> str:
        return _STEP_VERBS[self]


_STEP_VERBS: Final = {
    TicketStep.CALL: "gọi",
    TicketStep.RECALL: "gọi lại",
    TicketStep.START: "bắt đầu phục vụ",
    TicketStep.FINISH: "kết thúc",
    TicketStep.FINISH_AND_GO_BACK: "kết thúc",
    TicketStep.NO_SHOW: "báo vắng",
    TicketStep.HOLD: "tạm giữ",
    TicketStep.RETURN_FROM_HOLD: "đưa trở lại hàng chờ",
    TicketStep.TRANSFER: "chuyển",
    TicketStep.CANCEL: "hủy",
    TicketStep.EXPIRE: "đóng khi sang ngày mới",
}

_S = TicketStatus
#: The statuses a ticket is still open in (the day roll-over closes them), in the order of the
#: SQL lists that name them (a partial index is only used for its WHERE written the same way).
OPEN_STATUSES: Final = (_S.WAITING, _S.CALLED, _S.SERVING, _S.ON_HOLD)
_OPEN = frozenset(OPEN_STATUSES)
_AT_COUNTER = frozenset({_S.CALLED, _S.SERVING})

#: step → (the statuses it may be taken from, the status it leads to).
STEPS: Final[dict[TicketStep, tuple[frozenset[TicketStatus], TicketStatus]]] = {
    TicketStep.CALL: (frozenset({_S.WAITING, _S.ON_HOLD}), _S.CALLED),
    TicketStep.RECALL: (frozenset({_S.CALLED}), _S.CALLED),
    TicketStep.START: (frozenset({_S.CALLED}), _S.SERVING),
    TicketStep.FINISH: (_AT_COUNTER, _S.DONE),
    TicketStep.FINISH_AND_GO_BACK: (_AT_COUNTER, _S.WAITING),
    TicketStep.NO_SHOW: (frozenset({_S.CALLED}), _S.NO_SHOW),
    TicketStep.HOLD: (_AT_COUNTER, _S.ON_HOLD),
    TicketStep.RETURN_FROM_HOLD: (frozenset({_S.ON_HOLD}), _S.WAITING),
    TicketStep.TRANSFER: (_AT_COUNTER, _S.WAITING),
    TicketStep.CANCEL: (_OPEN, _S.CANCELLED),
    TicketStep.EXPIRE: (_OPEN, _S.CANCELLED),
}


class IllegalTicketStep(TransitionError):
    """The ticket's status does not allow the step (e.g. recall while serving)."""

    code = "illegal_ticket_step"


def allowed(status: TicketStatus, step: TicketStep) -> bool:
    return status in STEPS[step][0]


def status_after(status: TicketStatus, step: TicketStep, display_number: str = "") -> TicketStatus:
    """The status `step` leads to from `status`; `IllegalTicketStep` when it may not be taken."""
    check_step(status, step, display_number)
    return STEPS[step][1]


def check_step(status: TicketStatus, step: TicketStep, display_number: str = "") -> None:
    """Refuse, in Vietnamese, a step the ticket's status does not allow."""
    if not allowed(status, step):
        who = f"Số {display_number}" if display_number else "Số này"
        raise IllegalTicketStep(
            f"{who} đang ở trạng thái «{status.label}», không thể {step.verb}.",
            display_number=display_number,
            status=status.value,
        )


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
class Group:
    """A service group as configured (the settings file, the admin screen, the queue engine):
    a ticket prefix for one or more fields (lĩnh vực)."""

    prefix: str
    name: str
    fields: tuple[str, ...] = ()
    #: Digits of the ticket number after the prefix (A001: 3).
    number_width: int = 3


@dataclass(frozen=True, slots=True)
class Counter:
    """A counter as configured: its fields, and the prefixes of the groups it calls, in the
    order it serves them."""

    number: int
    name: str
    fields: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
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

    def after(self, step: TicketStep) -> TicketStatus:
        """The status `step` takes this ticket to; `IllegalTicketStep` when its status refuses."""
        return status_after(self.status, step, self.display_number)


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
