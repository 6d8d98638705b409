"""The dossier lifecycle: one transition table, extension once, supplement clock, timeliness."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.errors import CalendarError, TransitionError, ValidationError
from kiosk.domain.lifecycle import (
    EXTENDABLE_STATUSES,
    INITIAL_STATUSES,
    TERMINAL_STATUSES,
    TRANSITIONS,
    DossierEvent,
    DossierStatus,
    SupplementPolicy,
    Timeliness,
    check_extension,
    check_initial,
    check_supplement_request,
    check_transition,
    classify,
    due_after_supplement,
    is_late_by_supplement,
    status_after,
    supplement_request_deadline,
)

S = DossierStatus
E = DossierEvent
VN = timezone(timedelta(hours=7))


def at(day: str, clock: str = "08:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}:00+07:00")


# A plain Monday–Friday calendar stands in for the office calendar (tested on its own).
def weekday(d: date) -> bool:
    return d.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The period starts the day after `start` (Civil Code Art. 147)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= weekday(day)
    return day


# ---------------------------------------------------------------------------------------------
# Statuses


def test_statuses_carry_the_national_portal_codes_2_to_10() -> None:
    assert {s: s.portal_code for s in S} == {
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


@pytest.mark.parametrize("status", list(S))
def test_a_status_is_found_again_from_its_portal_code(status: DossierStatus) -> None:
    assert S.from_portal_code(status.portal_code) is status


def test_an_unknown_portal_code_is_a_bug() -> None:
    with pytest.raises(ValueError):
        S.from_portal_code(1)


def test_statuses_have_their_vietnamese_labels() -> None:
    assert S.RECEIVED.label == "Đã tiếp nhận"
    assert S.DONE.label == "Đã có kết quả"
    assert S.RETURNED.label == "Đã trả kết quả"
    assert len({s.label for s in S}) == len(S)


def test_statuses_are_stored_as_plain_strings() -> None:
    assert S("supplement_requested") is S.SUPPLEMENT_REQUESTED
    assert f"{S.AWAITING_FEE}" == "awaiting_fee"


# ---------------------------------------------------------------------------------------------
# Transition table

ALLOWED = sorted((a, b) for a, targets in TRANSITIONS.items() for b in targets)
REFUSED_PAIRS = sorted((a, b) for a in S for b in S if a != b and b not in TRANSITIONS[a])


def test_the_table_covers_every_status() -> None:
    assert set(TRANSITIONS) == set(S)


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_every_allowed_transition_is_accepted(
    current: DossierStatus, target: DossierStatus
) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), REFUSED_PAIRS)
def test_every_other_transition_is_refused_naming_both_statuses(
    current: DossierStatus, target: DossierStatus
) -> None:
    with pytest.raises(TransitionError) as caught:
        check_transition(current, target)
    assert caught.value.message == (
        f"Không thể chuyển hồ sơ từ '{current.label}' sang '{target.label}'."
    )


def test_a_returned_dossier_cannot_go_back_to_processing() -> None:
    with pytest.raises(TransitionError) as caught:
        check_transition(S.RETURNED, S.PROCESSING)
    assert caught.value.message == "Không thể chuyển hồ sơ từ 'Đã trả kết quả' sang 'Đang xử lý'."


@pytest.mark.parametrize("status", list(S))
def test_moving_to_the_same_status_is_refused(status: DossierStatus) -> None:
    with pytest.raises(TransitionError, match="đã ở trạng thái"):
        check_transition(status, status)


def test_refused_withdrawn_stopped_and_returned_are_terminal() -> None:
    assert {S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RETURNED} == TERMINAL_STATUSES
    assert all(not TRANSITIONS[s] for s in TERMINAL_STATUSES)
    assert all(s.is_terminal == (not TRANSITIONS[s]) for s in S)


def test_refusal_happens_only_at_reception() -> None:
    assert not any(S.REFUSED in targets for targets in TRANSITIONS.values())
    assert S.REFUSED in INITIAL_STATUSES


def test_a_result_can_only_be_handed_over() -> None:
    assert TRANSITIONS[S.DONE] == {S.RETURNED}
    assert [a for a, targets in TRANSITIONS.items() if S.RETURNED in targets] == [S.DONE]


def test_every_status_is_reachable_and_every_open_dossier_can_end() -> None:
    reachable = set(INITIAL_STATUSES)
    frontier = list(INITIAL_STATUSES)
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(S)

    def ends(status: DossierStatus, seen: frozenset[DossierStatus] = frozenset()) -> bool:
        if status.is_terminal:
            return True
        return any(ends(t, seen | {status}) for t in TRANSITIONS[status] if t not in seen)

    assert all(ends(s) for s in S)


def test_a_new_dossier_starts_received_or_refused() -> None:
    check_initial(S.RECEIVED)
    check_initial(S.REFUSED)
    with pytest.raises(TransitionError, match="Đang xử lý"):
        check_initial(S.PROCESSING)


# ---------------------------------------------------------------------------------------------
# Events


def test_receiving_and_refusing_create_a_dossier() -> None:
    assert status_after(None, E.RECEIVE) is S.RECEIVED
    assert status_after(None, E.REFUSE) is S.REFUSED


def test_a_dossier_cannot_be_received_twice() -> None:
    with pytest.raises(TransitionError, match="Hồ sơ đã có"):
        status_after(S.RECEIVED, E.RECEIVE)


def test_events_other_than_creation_need_a_dossier() -> None:
    with pytest.raises(ValueError):
        status_after(None, E.DONE)


def test_the_first_hand_over_starts_processing_and_later_ones_keep_it() -> None:
    assert status_after(S.RECEIVED, E.TRANSFER) is S.PROCESSING
    assert status_after(S.PROCESSING, E.TRANSFER) is S.PROCESSING


@pytest.mark.parametrize("status", sorted(set(S) - {S.RECEIVED, S.PROCESSING}))
def test_only_a_received_or_processing_dossier_can_be_handed_over(status: DossierStatus) -> None:
    with pytest.raises(TransitionError, match=status.label):
        status_after(status, E.TRANSFER)


@pytest.mark.parametrize("status", sorted(EXTENDABLE_STATUSES))
def test_extending_keeps_the_status(status: DossierStatus) -> None:
    assert status_after(status, E.EXTEND) is status


@pytest.mark.parametrize("status", sorted(set(S) - EXTENDABLE_STATUSES))
def test_only_a_dossier_on_the_clock_can_be_extended(status: DossierStatus) -> None:
    with pytest.raises(TransitionError, match="gia hạn"):
        status_after(status, E.EXTEND)


@pytest.mark.parametrize("resume_to", [S.RECEIVED, S.PROCESSING])
def test_a_supplement_brings_the_dossier_back_where_it_was(resume_to: DossierStatus) -> None:
    assert status_after(S.SUPPLEMENT_REQUESTED, E.SUPPLEMENT_RECEIVED, resume_to=resume_to) is (
        resume_to
    )


def test_a_supplement_needs_to_know_where_to_resume() -> None:
    with pytest.raises(ValueError):
        status_after(S.SUPPLEMENT_REQUESTED, E.SUPPLEMENT_RECEIVED)
    with pytest.raises(ValueError):
        status_after(S.SUPPLEMENT_REQUESTED, E.SUPPLEMENT_RECEIVED, resume_to=S.DONE)


def test_a_supplement_cannot_arrive_for_a_dossier_that_did_not_ask_for_one() -> None:
    with pytest.raises(TransitionError, match="không chờ bổ sung"):
        status_after(S.PROCESSING, E.SUPPLEMENT_RECEIVED, resume_to=S.PROCESSING)


SIMPLE_EVENTS = {
    E.START_PROCESSING: S.PROCESSING,
    E.REQUEST_SUPPLEMENT: S.SUPPLEMENT_REQUESTED,
    E.REQUEST_FEE: S.AWAITING_FEE,
    E.FEE_PAID: S.PROCESSING,
    E.WITHDRAW: S.WITHDRAWN,
    E.STOP: S.STOPPED,
    E.DONE: S.DONE,
    E.RETURN: S.RETURNED,
}


# Processing can also be reached by a supplement or a fee; these events name one way in.
ONLY_FROM = {E.START_PROCESSING: {S.RECEIVED}, E.FEE_PAID: {S.AWAITING_FEE}}


@pytest.mark.parametrize("event", sorted(SIMPLE_EVENTS))
@pytest.mark.parametrize("current", list(S))
def test_events_obey_the_transition_table(current: DossierStatus, event: DossierEvent) -> None:
    target = SIMPLE_EVENTS[event]
    if target in TRANSITIONS[current] and current in ONLY_FROM.get(event, set(S)):
        assert status_after(current, event) is target
    else:
        with pytest.raises(TransitionError):
            status_after(current, event)


def test_every_event_has_a_label() -> None:
    assert all(e.label for e in E)
    assert E.EXTEND.label == "Gia hạn"


# ---------------------------------------------------------------------------------------------
# Extension (form 04)

DUE = at("2026-03-10", "17:00")  # a Tuesday


def test_an_extension_two_days_ahead_is_allowed() -> None:
    check_extension(
        now=at("2026-03-08"), due_at=DUE, new_due_at=at("2026-03-13", "17:00"), extensions_so_far=0
    )


def test_an_extension_on_the_last_evening_before_the_due_day_is_allowed() -> None:
    check_extension(
        now=at("2026-03-09", "23:59"),
        due_at=DUE,
        new_due_at=at("2026-03-11", "17:00"),
        extensions_so_far=0,
    )


@pytest.mark.parametrize(
    "now", [at("2026-03-10", "00:01"), at("2026-03-10", "16:00"), at("2026-03-12")]
)
def test_an_extension_on_or_after_the_due_day_is_refused(now: datetime) -> None:
    with pytest.raises(TransitionError, match="chậm nhất 1 ngày trước") as caught:
        check_extension(
            now=now, due_at=DUE, new_due_at=at("2026-03-20", "17:00"), extensions_so_far=0
        )
    assert "10/03/2026" in caught.value.message


def test_the_day_is_judged_in_the_office_time_zone() -> None:
    # 18:00 UTC on the 9th is already 01:00 on the 10th in Vietnam: too late.
    with pytest.raises(TransitionError):
        check_extension(
            now=datetime(2026, 3, 9, 18, 0, tzinfo=UTC),
            due_at=DUE,
            new_due_at=at("2026-03-13", "17:00"),
            extensions_so_far=0,
        )
    check_extension(
        now=datetime(2026, 3, 8, 18, 0, tzinfo=UTC),
        due_at=DUE,
        new_due_at=at("2026-03-13", "17:00"),
        extensions_so_far=0,
    )


@pytest.mark.parametrize("so_far", [1, 2])
def test_a_due_date_is_moved_at_most_once(so_far: int) -> None:
    with pytest.raises(TransitionError, match="một lần"):
        check_extension(
            now=at("2026-03-02"),
            due_at=DUE,
            new_due_at=at("2026-03-13", "17:00"),
            extensions_so_far=so_far,
        )


@pytest.mark.parametrize("new", [at("2026-03-10", "17:30"), at("2026-03-09", "17:00")])
def test_the_new_date_must_be_a_later_day(new: datetime) -> None:
    with pytest.raises(ValidationError, match="phải sau ngày hẹn trả hiện tại") as caught:
        check_extension(now=at("2026-03-02"), due_at=DUE, new_due_at=new, extensions_so_far=0)
    assert caught.value.field == "new_due_at"


def test_the_new_date_must_be_a_working_day_when_a_calendar_is_given() -> None:
    saturday = at("2026-03-14", "10:00")
    check_extension(now=at("2026-03-02"), due_at=DUE, new_due_at=saturday, extensions_so_far=0)
    with pytest.raises(ValidationError, match="không phải ngày làm việc"):
        check_extension(
            now=at("2026-03-02"),
            due_at=DUE,
            new_due_at=saturday,
            extensions_so_far=0,
            working_calendar_is_working_day=weekday,
        )


# ---------------------------------------------------------------------------------------------
# Supplement clock

RECEIVED_AT = at("2026-03-02", "09:00")  # Monday
PAUSED_AT = at("2026-03-03", "10:00")  # Tuesday
RESUMED_AT = at("2026-03-05", "14:00")  # Thursday
CURRENT_DUE = at("2026-03-06", "17:00")  # Friday


def recompute_three_working_days(received: datetime) -> datetime:
    day = add_working_days(received.date(), 3)
    return datetime.combine(day, datetime.min.time(), received.tzinfo).replace(hour=17)


def supplement(
    policy: SupplementPolicy,
    *,
    paused_at: datetime = PAUSED_AT,
    resumed_at: datetime = RESUMED_AT,
    current_due_at: datetime = CURRENT_DUE,
    recompute: Callable[[datetime], datetime] = recompute_three_working_days,
    is_working_day: Callable[[date], bool] | None = None,
) -> datetime:
    return due_after_supplement(
        policy,
        original_received_at=RECEIVED_AT,
        paused_at=paused_at,
        resumed_at=resumed_at,
        current_due_at=current_due_at,
        recompute=recompute,
        is_working_day=is_working_day,
    )


def test_policies_are_stored_by_their_setting_names() -> None:
    assert SupplementPolicy("restart") is SupplementPolicy.RESTART
    assert SupplementPolicy("extend_by_pause") is SupplementPolicy.EXTEND_BY_PAUSE


def test_restart_counts_the_time_limit_again_from_the_complete_dossier() -> None:
    # Back on Thursday 5/3: three working days → Tuesday 10/3.
    assert supplement(SupplementPolicy.RESTART) == at("2026-03-10", "17:00")


def test_restart_uses_the_resumption_time_not_the_original_receipt() -> None:
    seen: list[datetime] = []

    def recompute(moment: datetime) -> datetime:
        seen.append(moment)
        return moment + timedelta(days=30)

    assert supplement(SupplementPolicy.RESTART, recompute=recompute) == RESUMED_AT + timedelta(30)
    assert seen == [RESUMED_AT]


def test_extend_by_pause_without_calendar_adds_the_elapsed_time() -> None:
    # Paused Tue 10:00, resumed Thu 14:00: 2 days 4 hours later than Fri 17:00.
    assert supplement(SupplementPolicy.EXTEND_BY_PAUSE) == at("2026-03-08", "21:00")


def test_extend_by_pause_with_calendar_adds_the_working_days_waited() -> None:
    # Waited Wed and Thu (the days after the request up to the return): Fri + 2 WD = Tue.
    assert supplement(SupplementPolicy.EXTEND_BY_PAUSE, is_working_day=weekday) == at(
        "2026-03-10", "17:00"
    )


def test_extend_by_pause_over_a_weekend_counts_only_working_days() -> None:
    result = supplement(
        SupplementPolicy.EXTEND_BY_PAUSE,
        paused_at=at("2026-03-06", "10:00"),  # Friday
        resumed_at=at("2026-03-09", "09:00"),  # Monday: one working day waited
        current_due_at=at("2026-03-13", "17:00"),  # Friday
        is_working_day=weekday,
    )
    assert result == at("2026-03-16", "17:00")


def test_a_supplement_brought_back_the_same_day_moves_nothing_by_working_days() -> None:
    result = supplement(
        SupplementPolicy.EXTEND_BY_PAUSE,
        resumed_at=at("2026-03-03", "16:00"),
        is_working_day=weekday,
    )
    assert result == CURRENT_DUE


def test_supplement_times_out_of_order_are_a_bug() -> None:
    with pytest.raises(ValueError):
        supplement(SupplementPolicy.RESTART, resumed_at=at("2026-03-03", "09:00"))
    with pytest.raises(ValueError):
        supplement(SupplementPolicy.RESTART, paused_at=at("2026-03-01"))


def test_a_calendar_without_working_days_is_reported() -> None:
    with pytest.raises(CalendarError):
        supplement(
            SupplementPolicy.EXTEND_BY_PAUSE,
            is_working_day=lambda d: d < date(2026, 3, 6),
        )


def test_a_supplement_may_be_asked_until_the_third_working_day_after_receipt() -> None:
    assert supplement_request_deadline(RECEIVED_AT, add_working_days) == date(2026, 3, 5)
    assert check_supplement_request(RECEIVED_AT, at("2026-03-05", "16:59"), add_working_days)


def test_the_supplement_window_skips_the_weekend() -> None:
    thursday = at("2026-03-05", "10:00")
    assert supplement_request_deadline(thursday, add_working_days) == date(2026, 3, 10)
    assert check_supplement_request(thursday, at("2026-03-10", "16:00"), add_working_days)


def test_a_late_supplement_request_is_refused_with_the_deadline() -> None:
    with pytest.raises(TransitionError, match="05/03/2026"):
        check_supplement_request(RECEIVED_AT, at("2026-03-06", "08:00"), add_working_days)


def test_a_late_supplement_request_can_be_recorded_as_late() -> None:
    assert not check_supplement_request(
        RECEIVED_AT, at("2026-03-06", "08:00"), add_working_days, allow_late=True
    )


@pytest.mark.parametrize(("count", "late"), [(0, False), (1, False), (2, True), (3, True)])
def test_more_than_one_supplement_request_makes_a_dossier_late(count: int, late: bool) -> None:
    assert is_late_by_supplement(count) is late


# ---------------------------------------------------------------------------------------------
# Timeliness


def test_finishing_exactly_at_the_due_time_is_on_time() -> None:
    assert classify(DUE, DUE) is Timeliness.ON_TIME


def test_one_second_after_the_due_time_is_late() -> None:
    assert classify(DUE + timedelta(seconds=1), DUE) is Timeliness.LATE


def test_earlier_on_the_due_day_is_on_time() -> None:
    assert classify(at("2026-03-10", "07:00"), DUE) is Timeliness.ON_TIME


def test_the_day_before_the_due_day_is_early() -> None:
    assert classify(at("2026-03-09", "23:59"), DUE) is Timeliness.EARLY


def test_timeliness_is_judged_on_the_due_dates_own_calendar_day() -> None:
    # 20:00 UTC on the 9th is 03:00 on the 10th in Vietnam: on time, not early.
    assert classify(datetime(2026, 3, 9, 20, 0, tzinfo=UTC), DUE) is Timeliness.ON_TIME


def test_two_supplement_requests_make_even_an_early_dossier_late() -> None:
    assert classify(at("2026-03-02"), DUE, supplement_requests=2) is Timeliness.LATE
    assert classify(at("2026-03-02"), DUE, supplement_requests=1) is Timeliness.EARLY


def test_timeliness_labels() -> None:
    assert [t.label for t in Timeliness] == ["Trước hạn", "Đúng hạn", "Trễ hạn"]


RANK = {Timeliness.EARLY: 0, Timeliness.ON_TIME: 1, Timeliness.LATE: 2}


@given(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)),
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)),
)
def test_finishing_later_never_looks_better(
    first: datetime, gap: timedelta, due_naive: datetime
) -> None:
    due = due_naive.replace(tzinfo=VN)
    earlier, later = first.replace(tzinfo=VN), first.replace(tzinfo=VN) + gap
    assert RANK[classify(earlier, due)] <= RANK[classify(later, due)]
    assert (classify(later, due) is Timeliness.LATE) == (later > due)
