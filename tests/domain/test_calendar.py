"""Working days and due dates (DOMAIN.md "Due dates"), on Vietnam's real 2026 calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.calendar import (
    CalendarOverride,
    DayKind,
    OverrideKind,
    WorkCalendar,
)
from kiosk.domain.catalogue import Duration, DurationUnit
from kiosk.domain.errors import CalendarError

VN = timezone(timedelta(hours=7))

# The Prime Minister's 2026 National Day notice: Saturday 22/8 worked, Monday 31/8 off.
OVERRIDES_2026 = (
    CalendarOverride(date(2026, 8, 22), OverrideKind.WORKDAY, "Làm bù cho thứ Hai 31/8"),
    CalendarOverride(date(2026, 8, 31), OverrideKind.DAY_OFF, "Nghỉ bù dịp Quốc khánh"),
)

CALENDAR = WorkCalendar(OVERRIDES_2026)

WORKING_DAYS = DurationUnit.WORKING_DAY
CALENDAR_DAYS = DurationUnit.CALENDAR_DAY
WORKING_HOURS = DurationUnit.WORKING_HOUR


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture
def overrides_only() -> WorkCalendar:
    """The 2026 override table alone, without the holidays package."""
    return WorkCalendar(OVERRIDES_2026, use_public_holidays=False)


# --- working days -----------------------------------------------------------------------------


def test_tet_2026_weekdays_are_holidays() -> None:
    for day in range(16, 21):
        info = CALENDAR.day_info(date(2026, 2, day))
        assert not info.working
        assert info.kind is DayKind.HOLIDAY
        assert "Tết" in info.reason
    assert CALENDAR.is_working_day(date(2026, 2, 13))
    assert CALENDAR.is_working_day(date(2026, 2, 23))


def test_dossier_received_friday_before_tet_with_one_working_day_is_due_monday_after_tet() -> None:
    due = CALENDAR.due_at(at(2026, 2, 13, 10), Duration(1))
    assert due == at(2026, 2, 23, 17)


def test_make_up_saturday_is_a_working_day_when_its_override_is_present(
    overrides_only: WorkCalendar,
) -> None:
    saturday, monday = date(2026, 8, 22), date(2026, 8, 31)
    assert overrides_only.is_working_day(saturday)
    assert overrides_only.day_info(saturday).kind is DayKind.WORKDAY
    assert not overrides_only.is_working_day(monday)
    assert overrides_only.day_info(monday).reason == "Nghỉ bù dịp Quốc khánh"

    plain = WorkCalendar(use_public_holidays=False)
    assert not plain.is_working_day(saturday)
    assert plain.is_working_day(monday)


def test_holidays_package_knows_the_2026_make_up_saturday_and_its_day_off() -> None:
    package_only = WorkCalendar()
    saturday = package_only.day_info(date(2026, 8, 22))
    assert saturday.working
    assert saturday.kind is DayKind.WORKDAY
    assert saturday.reason == "Làm bù cho thứ Hai 31/8"
    assert package_only.day_info(date(2026, 8, 31)).kind is DayKind.DAY_OFF


def test_dossier_received_friday_before_the_make_up_saturday_is_due_that_saturday() -> None:
    assert CALENDAR.due_at(at(2026, 8, 21, 10), Duration(1)) == at(2026, 8, 22, 17)


def test_national_day_2026_holidays_are_skipped() -> None:
    assert not CALENDAR.is_working_day(date(2026, 9, 1))
    assert not CALENDAR.is_working_day(date(2026, 9, 2))
    # Fri 28/8 is day 1; 29/8–2/9 are off; Thu 3/9 is day 2 and Fri 4/9 day 3.
    assert CALENDAR.due_date(at(2026, 8, 27), Duration(3)) == date(2026, 9, 4)


def test_hung_kings_2026_falls_on_sunday_and_monday_is_substituted() -> None:
    sunday = CALENDAR.day_info(date(2026, 4, 26))
    assert sunday.kind is DayKind.HOLIDAY
    assert "Hùng Vương" in sunday.reason
    monday = CALENDAR.day_info(date(2026, 4, 27))
    assert not monday.working
    assert monday.kind is DayKind.DAY_OFF
    assert CALENDAR.due_date(at(2026, 4, 24), Duration(1)) == date(2026, 4, 28)
    # Tue 28/4, Wed 29/4, then 30/4, 1/5 and the weekend: day 3 is Monday 4/5.
    assert CALENDAR.due_date(at(2026, 4, 24), Duration(3)) == date(2026, 5, 4)


def test_override_wins_over_the_package_and_the_weekend() -> None:
    calendar = WorkCalendar(
        [
            CalendarOverride(date(2026, 3, 10), OverrideKind.HOLIDAY, "Ngày lễ mới"),
            CalendarOverride(date(2026, 9, 1), OverrideKind.WORKDAY, "Đi làm theo thông báo"),
            CalendarOverride(date(2026, 3, 14), OverrideKind.WORKDAY, ""),
        ]
    )
    new_holiday = calendar.day_info(date(2026, 3, 10))
    assert (new_holiday.working, new_holiday.kind, new_holiday.reason) == (
        False,
        DayKind.HOLIDAY,
        "Ngày lễ mới",
    )
    assert calendar.is_working_day(date(2026, 9, 1))
    saturday = calendar.day_info(date(2026, 3, 14))
    assert saturday.working
    assert saturday.reason == "Ngày làm bù"


def test_last_override_row_for_a_day_wins() -> None:
    day = date(2026, 3, 10)
    calendar = WorkCalendar(
        [
            CalendarOverride(day, OverrideKind.DAY_OFF, "nhập nhầm"),
            CalendarOverride(day, OverrideKind.WORKDAY, "sửa lại"),
        ]
    )
    assert calendar.is_working_day(day)


def test_weekend_is_configurable_to_sunday_only() -> None:
    calendar = WorkCalendar(weekend=frozenset({6}), use_public_holidays=False)
    saturday = date(2026, 3, 7)
    assert calendar.is_working_day(saturday)
    assert calendar.day_info(date(2026, 3, 8)).reason == "Chủ nhật"
    assert calendar.add_working_days(date(2026, 3, 6), 1) == saturday
    assert calendar.due_date(at(2026, 3, 6), Duration(2)) == date(2026, 3, 9)


def test_weekend_day_reason_is_its_vietnamese_name() -> None:
    info = CALENDAR.day_info(date(2026, 3, 7))
    assert (info.working, info.kind, info.reason) == (False, DayKind.WEEKEND, "Thứ Bảy")


def test_next_working_day_is_strictly_after() -> None:
    assert CALENDAR.next_working_day(date(2026, 3, 9)) == date(2026, 3, 10)
    assert CALENDAR.next_working_day(date(2026, 3, 6)) == date(2026, 3, 9)


def test_add_zero_working_days_is_the_same_day_and_negative_is_refused() -> None:
    assert CALENDAR.add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)
    assert CALENDAR.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)
    with pytest.raises(ValueError):
        CALENDAR.add_working_days(date(2026, 3, 6), -1)


def test_days_of_year_lists_holidays_days_off_and_make_up_days_with_reasons() -> None:
    days = {info.day: info for info in CALENDAR.days_of_year(2026)}
    assert days[date(2026, 1, 1)].kind is DayKind.HOLIDAY
    assert days[date(2026, 4, 26)].kind is DayKind.HOLIDAY  # on a Sunday, listed anyway
    assert days[date(2026, 4, 27)].kind is DayKind.DAY_OFF
    assert days[date(2026, 8, 22)].working
    assert days[date(2026, 8, 22)].reason == "Làm bù cho thứ Hai 31/8"
    assert not days[date(2026, 8, 31)].working
    assert date(2026, 3, 7) not in days  # an ordinary Saturday
    assert date(2026, 3, 9) not in days  # an ordinary Monday
    assert all(info.reason for info in days.values())
    assert list(days) == sorted(days)


def test_a_calendar_with_no_working_day_fails_clearly() -> None:
    calendar = WorkCalendar(weekend=frozenset(range(7)), use_public_holidays=False)
    with pytest.raises(CalendarError, match="ngày làm việc"):
        calendar.next_working_day(date(2026, 1, 1))


@pytest.mark.parametrize(
    "sessions",
    [
        (),
        ((time(11, 30), time(7, 0)),),
        ((time(7, 0), time(12, 0)), (time(11, 0), time(17, 0))),
    ],
)
def test_bad_sessions_are_refused(sessions: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(CalendarError):
        WorkCalendar(sessions=sessions)


def test_weekend_outside_monday_to_sunday_is_refused() -> None:
    with pytest.raises(CalendarError):
        WorkCalendar(weekend=frozenset({7}))


# --- due dates --------------------------------------------------------------------------------


def test_due_at_keeps_the_receipt_time_zone() -> None:
    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    received = datetime(2026, 3, 10, 9, 0, tzinfo=hcm)
    due = CALENDAR.due_at(received, Duration(2))
    assert due.tzinfo is hcm
    assert due == datetime(2026, 3, 12, 17, 0, tzinfo=hcm)


def test_working_day_period_starts_the_day_after_receipt() -> None:
    assert CALENDAR.due_at(at(2026, 3, 10, 7, 5), Duration(1)) == at(2026, 3, 11, 17)
    assert CALENDAR.due_at(at(2026, 3, 10, 7, 5), Duration(5)) == at(2026, 3, 17, 17)


def test_appointment_hour_is_printed_for_the_due_day() -> None:
    due = CALENDAR.due_at(at(2026, 3, 10), Duration(3), appointment=time(16, 0))
    assert due == at(2026, 3, 13, 16)


def test_due_time_is_the_end_of_the_last_configured_session() -> None:
    calendar = WorkCalendar(
        sessions=((time(8, 0), time(12, 0)), (time(13, 0), time(17, 30))),
        use_public_holidays=False,
    )
    assert calendar.due_at(at(2026, 3, 10), Duration(1)) == at(2026, 3, 11, 17, 30)


def test_online_dossier_received_on_sunday_counts_from_monday() -> None:
    # Received Sunday → counts as Monday 07:00; the period starts Tuesday.
    assert CALENDAR.due_at(at(2026, 3, 8, 20), Duration(1)) == at(2026, 3, 10, 17)


def test_dossier_received_after_closing_counts_from_the_next_working_day() -> None:
    assert CALENDAR.due_at(at(2026, 3, 9, 18), Duration(1)) == at(2026, 3, 11, 17)
    assert CALENDAR.due_at(at(2026, 3, 9, 16, 59), Duration(1)) == at(2026, 3, 10, 17)


def test_same_day_before_the_cut_off_is_due_today() -> None:
    due = CALENDAR.due_at(at(2026, 3, 10, 14, 59), Duration(0), cut_off=time(15, 0))
    assert due == at(2026, 3, 10, 17)


def test_same_day_at_or_after_the_cut_off_is_due_the_next_working_day() -> None:
    due = CALENDAR.due_at(at(2026, 3, 10, 15, 0), Duration(0), cut_off=time(15, 0))
    assert due == at(2026, 3, 11, 17)


def test_same_day_received_friday_after_the_cut_off_is_due_monday() -> None:
    due = CALENDAR.due_at(at(2026, 3, 6, 15, 30), Duration(0), cut_off=time(15, 0))
    assert due == at(2026, 3, 9, 17)


def test_same_day_without_cut_off_uses_the_end_of_the_last_session() -> None:
    assert CALENDAR.due_at(at(2026, 3, 10, 16, 30), Duration(0)) == at(2026, 3, 10, 17)
    assert CALENDAR.due_at(at(2026, 3, 10, 17, 0), Duration(0)) == at(2026, 3, 11, 17)


def test_same_day_received_on_a_holiday_is_due_the_next_working_day() -> None:
    due = CALENDAR.due_at(at(2026, 9, 2, 9), Duration(0), cut_off=time(15, 0))
    assert due == at(2026, 9, 3, 17)


def test_same_day_received_after_the_appointment_hour_is_due_at_closing() -> None:
    early = CALENDAR.due_at(at(2026, 3, 10, 9), Duration(0), appointment=time(16, 0))
    late = CALENDAR.due_at(at(2026, 3, 10, 16, 30), Duration(0), appointment=time(16, 0))
    assert early == at(2026, 3, 10, 16)
    assert late == at(2026, 3, 10, 17)


def test_calendar_days_ending_on_a_sunday_move_to_monday() -> None:
    # Wed 4/3 + 4 days = Sunday 8/3 → Monday 9/3.
    assert CALENDAR.due_date(at(2026, 3, 4), Duration(4, CALENDAR_DAYS)) == date(2026, 3, 9)
    # Mon 2/3 + 4 days = Friday 6/3, a working day: it stays.
    assert CALENDAR.due_date(at(2026, 3, 2), Duration(4, CALENDAR_DAYS)) == date(2026, 3, 6)


def test_calendar_days_count_holidays() -> None:
    # Tue 10/2 + 10 days = Fri 20/2 (Tết) → Monday 23/2; in working days it would be far later.
    assert CALENDAR.due_date(at(2026, 2, 10), Duration(10, CALENDAR_DAYS)) == date(2026, 2, 23)
    assert CALENDAR.due_date(at(2026, 2, 10), Duration(10)) == date(2026, 3, 3)


def test_working_hours_skip_the_lunch_gap() -> None:
    # 10:00–11:30 is 1.5 h; 2.5 h more from 13:30 ends at 16:00.
    due = CALENDAR.due_at(at(2026, 3, 10, 10), Duration(4, WORKING_HOURS))
    assert due == at(2026, 3, 10, 16)


def test_working_hours_ending_at_noon_end_at_noon() -> None:
    due = CALENDAR.due_at(at(2026, 3, 10, 10), Duration(1, WORKING_HOURS))
    assert due == at(2026, 3, 10, 11)
    assert CALENDAR.due_at(at(2026, 3, 10, 9, 30), Duration(2, WORKING_HOURS)) == at(
        2026, 3, 10, 11, 30
    )


def test_working_hours_cross_a_weekend() -> None:
    # Friday 15:00–17:00 is 2 h; the other 2 h run Monday 07:00–09:00.
    due = CALENDAR.due_at(at(2026, 3, 6, 15), Duration(4, WORKING_HOURS))
    assert due == at(2026, 3, 9, 9)


def test_working_hours_received_at_lunch_start_after_lunch() -> None:
    due = CALENDAR.due_at(at(2026, 3, 10, 12), Duration(1, WORKING_HOURS))
    assert due == at(2026, 3, 10, 14, 30)


def test_working_hours_ignore_the_appointment_hour() -> None:
    due = CALENDAR.due_at(at(2026, 3, 10, 10), Duration(1, WORKING_HOURS), appointment=time(16, 0))
    assert due == at(2026, 3, 10, 11)


def test_no_fixed_time_limit_cannot_give_a_due_date() -> None:
    with pytest.raises(CalendarError, match="không có thời hạn"):
        CALENDAR.due_at(at(2026, 3, 10), None)


def test_receipt_time_without_offset_is_a_bug() -> None:
    with pytest.raises(ValueError):
        CALENDAR.due_at(datetime(2026, 3, 10, 9, 0), Duration(1))


# --- properties -------------------------------------------------------------------------------

received_times = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31, 23, 59)
).map(lambda d: d.replace(second=0, microsecond=0, tzinfo=VN))
units = st.sampled_from(list(DurationUnit))
# Small limits, same-day above all, are where the edge cases live.
values = st.sampled_from([0, 0, 1, 2]) | st.integers(min_value=0, max_value=30)
durations = st.builds(Duration, values, units)
clock_times = st.builds(time, st.integers(6, 18), st.sampled_from([0, 15, 30, 45]))
optional_times = st.none() | clock_times


@given(received_times, durations, optional_times, optional_times)
def test_due_date_is_always_a_working_day(
    received: datetime, duration: Duration, cut_off: time | None, appointment: time | None
) -> None:
    due = CALENDAR.due_at(received, duration, cut_off=cut_off, appointment=appointment)
    assert CALENDAR.is_working_day(due.date())


@given(received_times, durations, optional_times, optional_times)
def test_due_date_is_never_before_receipt(
    received: datetime, duration: Duration, cut_off: time | None, appointment: time | None
) -> None:
    due = CALENDAR.due_at(received, duration, cut_off=cut_off, appointment=appointment)
    assert due >= received


@given(
    received_times,
    st.integers(min_value=0, max_value=60 * 24 * 10),
    durations,
    optional_times,
    optional_times,
)
def test_due_date_never_goes_back_when_received_later(
    received: datetime,
    later_by_minutes: int,
    duration: Duration,
    cut_off: time | None,
    appointment: time | None,
) -> None:
    later = received + timedelta(minutes=later_by_minutes)
    first = CALENDAR.due_at(received, duration, cut_off=cut_off, appointment=appointment)
    second = CALENDAR.due_at(later, duration, cut_off=cut_off, appointment=appointment)
    assert first <= second


@given(received_times, units, values, st.integers(0, 10), optional_times, optional_times)
def test_due_date_never_goes_back_with_a_longer_time_limit(
    received: datetime,
    unit: DurationUnit,
    value: int,
    extra: int,
    cut_off: time | None,
    appointment: time | None,
) -> None:
    shorter = CALENDAR.due_at(
        received, Duration(value, unit), cut_off=cut_off, appointment=appointment
    )
    longer = CALENDAR.due_at(
        received, Duration(value + extra, unit), cut_off=cut_off, appointment=appointment
    )
    assert shorter <= longer


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)), st.integers(0, 40))
def test_one_more_working_day_is_strictly_later(start: date, n: int) -> None:
    assert CALENDAR.add_working_days(start, n + 1) > CALENDAR.add_working_days(start, n)


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)), st.integers(1, 40))
def test_added_working_days_land_on_a_working_day(start: date, n: int) -> None:
    end = CALENDAR.add_working_days(start, n)
    assert CALENDAR.is_working_day(end)
    counted = sum(
        CALENDAR.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1)
    )
    assert counted == n
