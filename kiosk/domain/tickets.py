"""The rules of a queue ticket as one table: its statuses, the steps a counter takes, and from
which status each step may be taken (as `kiosk.domain.lifecycle` is for dossiers).

The queue engine (`kiosk.queue.engine`) asks `check_step` before it writes anything and writes
the status `status_after` gives; `tests/queue/test_ticket_rules.py` holds an independent copy
of the table. Also the one `PriorityMode`: the settings store it, the queue engine applies it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

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
