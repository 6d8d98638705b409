"""The dossier lifecycle: statuses, transitions, extension, supplement clock, timeliness.

Statuses carry the national portal's codes (Cổng Dịch vụ công quốc gia) in brackets:

    (new) ──receive──▶ RECEIVED [2]        (new) ──refuse──▶ REFUSED [3]  (terminal)

    from                  allowed targets
    RECEIVED [2]          PROCESSING, SUPPLEMENT_REQUESTED, AWAITING_FEE, DONE, WITHDRAWN, STOPPED
    PROCESSING [4]        SUPPLEMENT_REQUESTED, AWAITING_FEE, DONE, WITHDRAWN, STOPPED
    SUPPLEMENT_REQ. [5]   RECEIVED, PROCESSING, WITHDRAWN, STOPPED
    AWAITING_FEE [6]      PROCESSING, DONE, WITHDRAWN, STOPPED
    DONE [9]              RETURNED
    REFUSED [3], WITHDRAWN [7], STOPPED [8], RETURNED [10]: terminal

Why the table looks like this:
- REFUSED [3] ("không được tiếp nhận") is decided at reception only (form 03), so it is a
  starting status, never reached from another. A dossier found ineligible while being processed
  ends with a written answer (DONE, then RETURNED) or a stop notice (STOPPED).
- RECEIVED → DONE covers same-day procedures finished at the counter (certification, civil
  status) without a hand-over.
- A supplement requested before the hand-over returns to RECEIVED when the complete dossier comes
  back; one requested by the processing unit returns to PROCESSING.
- After the fee is paid the dossier goes on being processed, or its result is ready at once.
- Once the result exists (DONE) the applicant can no longer withdraw; the result waits to be
  handed over (RETURNED), at the counter, by post or online.
- A hand-over between units while processing (one row of form 05) and an extension (form 04) are
  events that keep the status; `status_after` knows them, `TRANSITIONS` lists status changes only.
  `status_after` also narrows events that name one way into a status: a hand-over starts from
  RECEIVED or PROCESSING only, "start processing" from RECEIVED, "fee paid" from AWAITING_FEE.

Extension (gia hạn / hẹn lại, form 04): at most once, sent at least one day before the due date in
force, to a new date strictly after it. The store keeps the original due date beside the current
one, because the statistics judge timeliness against the original promise.

Supplement clock (`SupplementPolicy`): by law (Nghị định 61/2018 Art. 19) the time limit restarts
when the complete dossier comes back (RESTART); some offices instead extend the current due date
by the time the dossier waited for the applicant (EXTEND_BY_PAUSE, practice).

Timeliness: on time means finished ≤ due; early means finished on a day before the due day; more
than one supplement request counts the dossier as late in the service index (Quyết định 766/2022).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from kiosk.domain.errors import CalendarError, TransitionError, ValidationError


class DossierStatus(StrEnum):
    """Where a dossier stands; `portal_code` is the national portal's number."""

    RECEIVED = "received"
    REFUSED = "refused"
    PROCESSING = "processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    AWAITING_FEE = "awaiting_fee"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    DONE = "done"
    RETURNED = "returned"

    @property
    def portal_code(self) -> int:
        return PORTAL_CODES[self]

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATUSES

    @classmethod
    def from_portal_code(cls, code: int) -> DossierStatus:
        """The status the national portal numbers `code` (2–10)."""
        for status, number in PORTAL_CODES.items():
            if number == code:
                return status
        raise ValueError(f"no dossier status has portal code {code}")


S = DossierStatus

PORTAL_CODES: Final[Mapping[DossierStatus, int]] = MappingProxyType(
    {
        S.RECEIVED: 2,
        S.REFUSED: 3,
        S.PROCESSING: 4,
        S.SUPPLEMENT_REQUESTED: 5,
        S.AWAITING_FEE: 6,
        S.WITHDRAWN: 7,
        S.STOPPED: 8,
        S.DONE: 9,
        S.RETURNED: 10,
    }
)

STATUS_LABELS: Final[Mapping[DossierStatus, str]] = MappingProxyType(
    {
        S.RECEIVED: "Đã tiếp nhận",
        S.REFUSED: "Từ chối",
        S.PROCESSING: "Đang xử lý",
        S.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung",
        S.AWAITING_FEE: "Chờ nộp phí",
        S.WITHDRAWN: "Rút hồ sơ",
        S.STOPPED: "Dừng xử lý",
        S.DONE: "Đã có kết quả",
        S.RETURNED: "Đã trả kết quả",
    }
)

INITIAL_STATUSES: Final = frozenset({S.RECEIVED, S.REFUSED})
TERMINAL_STATUSES: Final = frozenset({S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RETURNED})
# Still on the office's clock: can be extended, counts in "in progress" statistics.
OPEN_STATUSES: Final = frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_FEE})
# While a supplement is awaited the clock is stopped, so there is nothing to extend.
EXTENDABLE_STATUSES: Final = frozenset({S.RECEIVED, S.PROCESSING, S.AWAITING_FEE})

_ENDINGS = frozenset({S.WITHDRAWN, S.STOPPED})
TRANSITIONS: Final[Mapping[DossierStatus, frozenset[DossierStatus]]] = MappingProxyType(
    {
        S.RECEIVED: frozenset({S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_FEE, S.DONE})
        | _ENDINGS,
        S.PROCESSING: frozenset({S.SUPPLEMENT_REQUESTED, S.AWAITING_FEE, S.DONE}) | _ENDINGS,
        S.SUPPLEMENT_REQUESTED: frozenset({S.RECEIVED, S.PROCESSING}) | _ENDINGS,
        S.AWAITING_FEE: frozenset({S.PROCESSING, S.DONE}) | _ENDINGS,
        S.DONE: frozenset({S.RETURNED}),
        S.REFUSED: frozenset(),
        S.WITHDRAWN: frozenset(),
        S.STOPPED: frozenset(),
        S.RETURNED: frozenset(),
    }
)


def check_transition(current: DossierStatus, target: DossierStatus) -> None:
    """Raise TransitionError unless a dossier may move from `current` to `target`."""
    if current == target:
        raise TransitionError(
            f"Hồ sơ đã ở trạng thái '{current.label}'.", current=current, target=target
        )
    if target not in TRANSITIONS[current]:
        raise TransitionError(
            f"Không thể chuyển hồ sơ từ '{current.label}' sang '{target.label}'.",
            current=current,
            target=target,
        )


def check_initial(status: DossierStatus) -> None:
    """A new dossier starts received or refused, nothing else."""
    if status not in INITIAL_STATUSES:
        raise TransitionError(
            f"Hồ sơ mới không thể bắt đầu ở trạng thái '{status.label}'.", target=status
        )


class DossierEvent(StrEnum):
    """What happens to a dossier; each is one row of its history."""

    RECEIVE = "receive"
    REFUSE = "refuse"
    TRANSFER = "transfer"
    START_PROCESSING = "start_processing"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT_RECEIVED = "supplement_received"
    REQUEST_FEE = "request_fee"
    FEE_PAID = "fee_paid"
    EXTEND = "extend"
    WITHDRAW = "withdraw"
    STOP = "stop"
    DONE = "done"
    RETURN = "return"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


E = DossierEvent

EVENT_LABELS: Final[Mapping[DossierEvent, str]] = MappingProxyType(
    {
        E.RECEIVE: "Tiếp nhận",
        E.REFUSE: "Từ chối tiếp nhận",
        E.TRANSFER: "Chuyển xử lý",
        E.START_PROCESSING: "Bắt đầu xử lý",
        E.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung",
        E.SUPPLEMENT_RECEIVED: "Nhận hồ sơ bổ sung",
        E.REQUEST_FEE: "Yêu cầu nộp phí",
        E.FEE_PAID: "Đã nộp phí",
        E.EXTEND: "Gia hạn",
        E.WITHDRAW: "Rút hồ sơ",
        E.STOP: "Dừng xử lý",
        E.DONE: "Có kết quả",
        E.RETURN: "Trả kết quả",
    }
)

_EVENT_TARGETS: Final[Mapping[DossierEvent, DossierStatus]] = MappingProxyType(
    {
        E.START_PROCESSING: S.PROCESSING,
        E.REQUEST_SUPPLEMENT: S.SUPPLEMENT_REQUESTED,
        E.REQUEST_FEE: S.AWAITING_FEE,
        E.FEE_PAID: S.PROCESSING,
        E.WITHDRAW: S.WITHDRAWN,
        E.STOP: S.STOPPED,
        E.DONE: S.DONE,
        E.RETURN: S.RETURNED,
    }
)


# Events whose target can be reached by other routes too: they may only start from these.
_EVENT_SOURCES: Final[Mapping[DossierEvent, frozenset[DossierStatus]]] = MappingProxyType(
    {
        E.TRANSFER: frozenset({S.RECEIVED, S.PROCESSING}),
        E.START_PROCESSING: frozenset({S.RECEIVED}),
        E.FEE_PAID: frozenset({S.AWAITING_FEE}),
    }
)


def status_after(
    current: DossierStatus | None,
    event: DossierEvent,
    *,
    resume_to: DossierStatus | None = None,
) -> DossierStatus:
    """The status after `event`, or TransitionError when the event is not allowed now.

    `current` is None for a dossier not yet created (RECEIVE, REFUSE). SUPPLEMENT_RECEIVED needs
    `resume_to`: RECEIVED if the supplement was asked before the hand-over, else PROCESSING.
    """
    if event in (E.RECEIVE, E.REFUSE):
        target = S.RECEIVED if event is E.RECEIVE else S.REFUSED
        if current is not None:
            raise TransitionError(
                f"Hồ sơ đã có (trạng thái '{current.label}'); không thể {event.label.lower()} lại.",
                current=current,
                target=target,
            )
        return target
    if current is None:
        raise ValueError(f"{event} needs an existing dossier")

    sources = _EVENT_SOURCES.get(event)
    if sources is not None and current not in sources:
        raise TransitionError(
            f"Không thể '{event.label.lower()}' khi hồ sơ ở trạng thái '{current.label}'.",
            current=current,
        )
    if event is E.TRANSFER:
        if current is S.PROCESSING:
            return current  # one more hand-over between units: a new form-05 row
        check_transition(current, S.PROCESSING)
        return S.PROCESSING
    if event is E.EXTEND:
        if current not in EXTENDABLE_STATUSES:
            raise TransitionError(
                f"Không thể gia hạn hồ sơ ở trạng thái '{current.label}'.", current=current
            )
        return current
    if event is E.SUPPLEMENT_RECEIVED:
        if current is not S.SUPPLEMENT_REQUESTED:
            raise TransitionError(
                f"Hồ sơ ở trạng thái '{current.label}' không chờ bổ sung.", current=current
            )
        if resume_to not in (S.RECEIVED, S.PROCESSING):
            raise ValueError(f"supplement_received resumes to received or processing: {resume_to}")
        return resume_to
    target = _EVENT_TARGETS[event]
    check_transition(current, target)
    return target


# ---------------------------------------------------------------------------------------------
# Extension


def _day_in_zone_of(moment: datetime, reference: datetime) -> date:
    # Compare calendar days in the office's zone (the due date's), not the caller's.
    if moment.tzinfo is not None and reference.tzinfo is not None:
        return moment.astimezone(reference.tzinfo).date()
    return moment.date()


def check_extension(
    *,
    now: datetime,
    due_at: datetime,
    new_due_at: datetime,
    extensions_so_far: int,
    working_calendar_is_working_day: Callable[[date], bool] | None = None,
) -> None:
    """Raise unless a dossier due at `due_at` may be moved once to `new_due_at` (form 04).

    `due_at` is the due date in force (after any supplement restart): the one the apology letter
    replaces. The caller keeps the original due date for the statistics.
    """
    if extensions_so_far >= 1:
        raise TransitionError(
            "Hồ sơ đã được gia hạn một lần; ngày hẹn trả chỉ được điều chỉnh một lần.",
            extensions_so_far=extensions_so_far,
        )
    due_day = due_at.date()
    today = _day_in_zone_of(now, due_at)
    latest = due_day - timedelta(days=1)
    if today > latest:
        raise TransitionError(
            "Thư xin lỗi và hẹn lại ngày trả phải gửi chậm nhất 1 ngày trước ngày hẹn trả "
            f"({due_day:%d/%m/%Y}), tức là trước hết ngày {latest:%d/%m/%Y}; "
            f"hôm nay là {today:%d/%m/%Y}.",
            now=now,
            due_at=due_at,
        )
    new_day = _day_in_zone_of(new_due_at, due_at)
    if new_day <= due_day:
        raise ValidationError(
            f"Ngày hẹn trả mới ({new_day:%d/%m/%Y}) phải sau ngày hẹn trả hiện tại "
            f"({due_day:%d/%m/%Y}).",
            field="new_due_at",
            value=new_due_at.isoformat(),
        )
    if working_calendar_is_working_day is not None and not working_calendar_is_working_day(new_day):
        raise ValidationError(
            f"Ngày hẹn trả mới ({new_day:%d/%m/%Y}) không phải ngày làm việc.",
            field="new_due_at",
            value=new_due_at.isoformat(),
        )


# ---------------------------------------------------------------------------------------------
# Supplement clock


class SupplementPolicy(StrEnum):
    """How the time limit runs after a supplement request (an office setting)."""

    RESTART = "restart"  # law: counts again from when the complete dossier comes back
    EXTEND_BY_PAUSE = "extend_by_pause"  # practice: due date moved by the waiting time


SUPPLEMENT_REQUEST_WORKING_DAYS: Final = 3
# A calendar that never has a working day is a broken calendar, not an endless wait.
_MAX_DAYS_WALKED: Final = 3 * 366


def _working_days_after(start: date, end: date, is_working_day: Callable[[date], bool]) -> int:
    """Working days d with start < d ≤ end: what `add_working_days(start, n)` walks to reach end."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def _add_working_days(start: date, days: int, is_working_day: Callable[[date], bool]) -> date:
    day = start
    walked = 0
    while days > 0:
        day += timedelta(days=1)
        walked += 1
        if walked > _MAX_DAYS_WALKED:
            raise CalendarError("Lịch làm việc không có ngày làm việc nào trong nhiều năm.")
        days -= is_working_day(day)
    return day


def due_after_supplement(
    policy: SupplementPolicy,
    *,
    original_received_at: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    current_due_at: datetime,
    recompute: Callable[[datetime], datetime],
    is_working_day: Callable[[date], bool] | None = None,
) -> datetime:
    """The due date in force once the complete dossier is back after a supplement request.

    RESTART: `recompute(resumed_at)`, the procedure's time limit counted from the day the complete
    dossier came back (the caller's `recompute` is the calendar's due-date rule).
    EXTEND_BY_PAUSE with `is_working_day`: the due day moves forward by the working days d with
    paused day < d ≤ resumed day (a request and answer on the same day move nothing), keeping the
    time of day. Without a calendar: moved by the elapsed time `resumed_at - paused_at`.
    """
    if not original_received_at <= paused_at <= resumed_at:
        raise ValueError(
            "supplement times out of order: "
            f"received {original_received_at}, paused {paused_at}, resumed {resumed_at}"
        )
    if policy is SupplementPolicy.RESTART:
        return recompute(resumed_at)
    if is_working_day is None:
        return current_due_at + (resumed_at - paused_at)
    paused_day = _day_in_zone_of(paused_at, current_due_at)
    resumed_day = _day_in_zone_of(resumed_at, current_due_at)
    shift = _working_days_after(paused_day, resumed_day, is_working_day)
    new_day = _add_working_days(current_due_at.date(), shift, is_working_day)
    return current_due_at + timedelta(days=(new_day - current_due_at.date()).days)


def supplement_request_deadline(
    received_at: datetime,
    add_working_days: Callable[[date, int], date],
    *,
    days: int = SUPPLEMENT_REQUEST_WORKING_DAYS,
) -> date:
    """Last day on which a supplement may be asked: `days` working days after receipt."""
    return add_working_days(received_at.date(), days)


def check_supplement_request(
    received_at: datetime,
    now: datetime,
    add_working_days: Callable[[date, int], date],
    *,
    days: int = SUPPLEMENT_REQUEST_WORKING_DAYS,
    allow_late: bool = False,
) -> bool:
    """True if a supplement request now is within the 3 working days after receipt.

    A late request raises TransitionError, unless `allow_late` (a sector law sets another limit,
    or the officer accepts the lateness on the record): then it returns False.
    """
    deadline = supplement_request_deadline(received_at, add_working_days, days=days)
    today = _day_in_zone_of(now, received_at)
    if today <= deadline:
        return True
    if allow_late:
        return False
    raise TransitionError(
        f"Đã quá hạn yêu cầu bổ sung hồ sơ: chậm nhất {days} ngày làm việc sau khi tiếp nhận "
        f"(đến hết ngày {deadline:%d/%m/%Y}); hôm nay là {today:%d/%m/%Y}.",
        received_at=received_at,
        now=now,
    )


def is_late_by_supplement(supplement_requests: int) -> bool:
    """More than one supplement request counts the dossier as late (service index)."""
    return supplement_requests > 1


# ---------------------------------------------------------------------------------------------
# Timeliness


class Timeliness(StrEnum):
    """Early / on time / late, for a dossier or one hand-over step (form 05)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label(self) -> str:
        return TIMELINESS_LABELS[self]


TIMELINESS_LABELS: Final[Mapping[Timeliness, str]] = MappingProxyType(
    {
        Timeliness.EARLY: "Trước hạn",
        Timeliness.ON_TIME: "Đúng hạn",
        Timeliness.LATE: "Trễ hạn",
    }
)


def classify(
    finished_at: datetime, due_at: datetime, *, supplement_requests: int = 0
) -> Timeliness:
    """Late after `due_at` (or with more than one supplement request); early on an earlier day."""
    if finished_at > due_at or is_late_by_supplement(supplement_requests):
        return Timeliness.LATE
    if _day_in_zone_of(finished_at, due_at) < due_at.date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME
