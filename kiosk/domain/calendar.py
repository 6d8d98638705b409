"""Working days, public holidays and due dates (ngày hẹn trả).

Public holidays come from the `holidays` package (Vietnam, Vietnamese names), which in the
version pinned by the project (0.109) already knows, for 2026: Tết 16–20/2 (the weekdays of the
Prime Minister's 14–22/2 break), Hùng Kings on Sunday 26/4 with Monday 27/4 off (nghỉ bù),
30/4, 1/5, National Day 1–2/9, Monday 31/8 off traded for the make-up Saturday 22/8 (which the
package records as a weekend working day), and 24/11 (Ngày Văn hóa Việt Nam). What it does not
know is the weekend part of the Tết break (14–15/2 and 21–22/2: a weekend either way, so no due
date changes) and any notice published after the package was released. The override table
(holiday, compensatory day off, make-up working day) fills such gaps and always wins over both the
package and the weekend, because the annual notices come late and an office must be able to
follow them the day they arrive.

Due dates follow DOMAIN.md "Due dates":
- a receipt on a non-working day, or after the end of the day's last session, counts as a
  receipt on the next working day at the start of its first session;
- working days: the period starts the day after receipt and ends at the end of its last
  working day;
- calendar days: the period starts the day after receipt, counts every day, and one that ends
  on a non-working day moves to the next working day (Civil Code Art. 147–148);
- same day (0 days): due the same working day if received before the cut-off, else the next
  working day;
- working hours: walk the office sessions from the receipt, skipping the lunch gap and
  non-working days; the result is the exact instant.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

import holidays

from kiosk.domain.catalogue import Duration, DurationUnit
from kiosk.domain.errors import CalendarError
from kiosk.domain.formats import WEEKDAYS

__all__ = [
    "DEFAULT_SESSIONS",
    "WEEKDAY_NAMES",
    "CalendarOverride",
    "DayInfo",
    "DayKind",
    "OverrideKind",
    "Session",
    "WorkCalendar",
]

Session = tuple[time, time]

DEFAULT_SESSIONS: tuple[Session, ...] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))

#: The weekday names, Monday first (kiosk.domain.formats).
WEEKDAY_NAMES = WEEKDAYS

# A calendar with no working day for this long is misconfigured; stop instead of looping forever.
_MAX_SEARCH_DAYS = 366 * 3


class OverrideKind(StrEnum):
    """What an entry of the admin/district override table declares about one day."""

    HOLIDAY = "holiday"  # an extra public holiday (e.g. a newly declared one)
    DAY_OFF = "day_off"  # a compensatory day off (nghỉ bù)
    WORKDAY = "workday"  # a make-up working day (làm bù), e.g. Saturday 22/8/2026


@dataclass(frozen=True, slots=True)
class CalendarOverride:
    """One row of the override table; overrides beat the package and the weekend."""

    day: date
    kind: OverrideKind
    reason: str = ""


class DayKind(StrEnum):
    """Why a day is or is not a working day."""

    WORKING = "working"  # an ordinary working day
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    DAY_OFF = "day_off"  # compensatory or substituted day off
    WORKDAY = "workday"  # make-up working day


_OVERRIDE_DAY_KIND: dict[OverrideKind, DayKind] = {
    OverrideKind.HOLIDAY: DayKind.HOLIDAY,
    OverrideKind.DAY_OFF: DayKind.DAY_OFF,
    OverrideKind.WORKDAY: DayKind.WORKDAY,
}

_OVERRIDE_DEFAULT_REASON: dict[OverrideKind, str] = {
    OverrideKind.HOLIDAY: "Ngày lễ",
    OverrideKind.DAY_OFF: "Ngày nghỉ bù",
    OverrideKind.WORKDAY: "Ngày làm bù",
}


@dataclass(frozen=True, slots=True)
class DayInfo:
    """One day of the calendar with a Vietnamese reason, e.g. "Tết Nguyên Đán", "Thứ Bảy"."""

    day: date
    working: bool
    kind: DayKind
    reason: str


@dataclass(frozen=True, slots=True)
class _PublicYear:
    holidays: dict[date, str]
    workdays: dict[date, str]


def _day_month(d: date) -> str:
    return f"{d.day}/{d.month}"


def _is_day_off_name(name: str) -> bool:
    # The package labels observed days "(nghỉ bù)" and traded days "Ngày nghỉ (thay cho …)".
    return "nghỉ bù" in name or "thay cho" in name


def _load_public_year(year: int) -> _PublicYear:
    # A make-up Saturday may belong to the year before the day it is traded for (27/12/2014 was
    # worked for 2/1/2015), so the following year is loaded too and both are filtered to `year`.
    vn = holidays.country_holidays("VN", years=(year, year + 1), language="vi")
    days = {d: str(name) for d, name in vn.items() if d.year == year}
    traded = {d: str(name) for d, name in vn.items()}
    workdays: dict[date, str] = {}
    for d in sorted(vn.weekend_workdays):
        if d.year != year:
            continue
        stamp = d.strftime("%d/%m/%Y")
        day_off = next((o for o, name in sorted(traded.items()) if stamp in name), None)
        if day_off is None:
            workdays[d] = "Ngày làm bù"
        else:
            weekday = WEEKDAY_NAMES[day_off.weekday()]
            workdays[d] = f"Làm bù cho {weekday[0].lower()}{weekday[1:]} {_day_month(day_off)}"
    return _PublicYear(holidays=days, workdays=workdays)


class WorkCalendar:
    """Vietnam's working days: weekend, public holidays and an override table that wins."""

    def __init__(
        self,
        overrides: Iterable[CalendarOverride] = (),
        *,
        weekend: frozenset[int] = frozenset({5, 6}),
        sessions: tuple[Session, ...] = DEFAULT_SESSIONS,
        use_public_holidays: bool = True,
    ) -> None:
        if not all(0 <= d <= 6 for d in weekend):
            raise CalendarError("Ngày nghỉ cuối tuần phải là thứ trong tuần từ 0 (thứ Hai) đến 6.")
        if not sessions:
            raise CalendarError("Phải có ít nhất một buổi làm việc.")
        for (start, end), nxt in zip(sessions, (*sessions[1:], None), strict=True):
            if not start < end:
                raise CalendarError(
                    f"Buổi làm việc {start:%H:%M}–{end:%H:%M} phải kết thúc sau khi bắt đầu."
                )
            if nxt is not None and nxt[0] < end:
                raise CalendarError("Các buổi làm việc phải theo thứ tự và không chồng lên nhau.")
        # The last row for a day wins, as in a table edited over time.
        self._overrides: dict[date, CalendarOverride] = {o.day: o for o in overrides}
        self.weekend = frozenset(weekend)
        self.sessions = tuple(sessions)
        self.use_public_holidays = use_public_holidays
        self._years: dict[int, _PublicYear] = {}

    @property
    def overrides(self) -> tuple[CalendarOverride, ...]:
        return tuple(self._overrides[d] for d in sorted(self._overrides))

    @property
    def day_start(self) -> time:
        """When the first session opens."""
        return self.sessions[0][0]

    @property
    def day_end(self) -> time:
        """When the last session closes: the end of a working day."""
        return self.sessions[-1][1]

    def _public(self, year: int) -> _PublicYear:
        cached = self._years.get(year)
        if cached is None:
            cached = self._years[year] = _load_public_year(year)
        return cached

    def day_info(self, d: date) -> DayInfo:
        """Whether `d` is a working day, and why."""
        override = self._overrides.get(d)
        if override is not None:
            return DayInfo(
                day=d,
                working=override.kind is OverrideKind.WORKDAY,
                kind=_OVERRIDE_DAY_KIND[override.kind],
                reason=override.reason or _OVERRIDE_DEFAULT_REASON[override.kind],
            )
        weekday_name = WEEKDAY_NAMES[d.weekday()]
        is_weekend = d.weekday() in self.weekend
        if self.use_public_holidays:
            public = self._public(d.year)
            name = public.holidays.get(d)
            if name is not None:
                kind = DayKind.DAY_OFF if _is_day_off_name(name) else DayKind.HOLIDAY
                return DayInfo(day=d, working=False, kind=kind, reason=name)
            workday_reason = public.workdays.get(d)
            if workday_reason is not None and is_weekend:
                return DayInfo(day=d, working=True, kind=DayKind.WORKDAY, reason=workday_reason)
        if is_weekend:
            return DayInfo(day=d, working=False, kind=DayKind.WEEKEND, reason=weekday_name)
        return DayInfo(day=d, working=True, kind=DayKind.WORKING, reason=weekday_name)

    def is_working_day(self, d: date) -> bool:
        return self.day_info(d).working

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        for offset in range(1, _MAX_SEARCH_DAYS + 1):
            candidate = d + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise CalendarError(
            f"Không có ngày làm việc nào trong {_MAX_SEARCH_DAYS} ngày sau {d:%d/%m/%Y}: "
            "kiểm tra lại ngày nghỉ cuối tuần và bảng ngày nghỉ."
        )

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d` (the period starts the day after `d`); n=0 gives `d`."""
        if n < 0:
            raise ValueError("n must not be negative")
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    def days_of_year(self, year: int) -> list[DayInfo]:
        """Holidays and days off (even on a weekend) and make-up working days of `year`."""
        result: list[DayInfo] = []
        d = date(year, 1, 1)
        while d.year == year:
            info = self.day_info(d)
            if info.kind not in (DayKind.WORKING, DayKind.WEEKEND):
                result.append(info)
            d += timedelta(days=1)
        return result

    def _effective_receipt(self, local: datetime) -> datetime:
        """Outside working time, a dossier counts as received when the next working day opens."""
        d = local.date()
        if self.is_working_day(d) and local.time() < self.day_end:
            return local
        return datetime.combine(self.next_working_day(d), self.day_start)

    def due_at(
        self,
        received_at: datetime,
        duration: Duration | None,
        *,
        cut_off: time | None = None,
        appointment: time | None = None,
    ) -> datetime:
        """The due instant (ngày giờ hẹn trả) of a dossier received at `received_at`.

        `received_at` must carry its offset (+07:00); the result keeps it. `appointment` is the
        hour printed on the receipt for the due day (default: the end of the last session);
        working-hour durations give the exact instant and ignore it. `cut_off` applies to
        same-day procedures only (default: the end of the last session).
        """
        if received_at.tzinfo is None:
            raise ValueError("received_at must be timezone-aware")
        if duration is None:
            raise CalendarError(
                "Thủ tục này không có thời hạn giải quyết cố định: không tính được ngày hẹn trả, "
                "hãy nhập ngày hẹn trả bằng tay."
            )
        tz = received_at.tzinfo
        # Work in the office's wall-clock time; Vietnam has no daylight saving.
        local = received_at.replace(tzinfo=None)

        if duration.unit is DurationUnit.WORKING_HOUR:
            return self._walk_hours(local, duration.value).replace(tzinfo=tz)

        if duration.value == 0:
            limit = cut_off if cut_off is not None else self.day_end
            d = local.date()
            same_day = self.is_working_day(d) and local.time() < min(limit, self.day_end)
            due_day = d if same_day else self.next_working_day(d)
        else:
            receipt_day = self._effective_receipt(local).date()
            if duration.unit is DurationUnit.WORKING_DAY:
                due_day = self.add_working_days(receipt_day, duration.value)
            else:
                last_day = receipt_day + timedelta(days=duration.value)
                due_day = (
                    last_day if self.is_working_day(last_day) else self.next_working_day(last_day)
                )

        due = datetime.combine(due_day, appointment if appointment is not None else self.day_end)
        if due < local:
            # A same-day dossier received after the appointment hour is due at the day's end.
            due = datetime.combine(due_day, self.day_end)
        return due.replace(tzinfo=tz)

    def due_date(
        self,
        received_at: datetime,
        duration: Duration | None,
        *,
        cut_off: time | None = None,
    ) -> date:
        """The due day (ngày hẹn trả) only."""
        return self.due_at(received_at, duration, cut_off=cut_off).date()

    def _walk_hours(self, local: datetime, hours: int) -> datetime:
        remaining = timedelta(hours=hours)
        day = local.date()
        clock = local.time()
        if not self.is_working_day(day):
            day, clock = self.next_working_day(day), time.min
        while True:
            for start, end in self.sessions:
                if clock >= end:
                    continue
                begin = datetime.combine(day, max(clock, start))
                available = datetime.combine(day, end) - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
                clock = end
            day, clock = self.next_working_day(day), time.min
