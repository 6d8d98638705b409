"""The ticket rules as one table (kiosk.domain.tickets), checked against an independent copy."""

from __future__ import annotations

import pytest

from kiosk.domain.errors import TransitionError
from kiosk.domain.tickets import STEPS, IllegalTicketStep, TicketStatus, TicketStep, status_after

W, C, S, H = "waiting", "called", "serving", "on_hold"
D, N, X = "done", "no_show", "cancelled"

#: Written from the counter's practice, not from the code: step → {from status: to status}.
EXPECTED: dict[str, dict[str, str]] = {
    "call": {W: C, H: C},  # the next number, or one called out of order or back from hold
    "recall": {C: C},  # announced again while the citizen has not come
    "start": {C: S},  # the citizen is at the counter
    "finish": {C: D, S: D},
    "finish_and_go_back": {C: W, S: W},  # sent here to come back: waits for the sender
    "no_show": {C: N},  # only a called citizen can be absent
    "hold": {C: H, S: H},
    "return_from_hold": {H: W},
    "transfer": {C: W, S: W},
    "cancel": {W: X, C: X, S: X, H: X},
    "expire": {W: X, C: X, S: X, H: X},  # the day rolled over with the ticket open
}


def test_the_table_has_every_step() -> None:
    assert {step.value for step in TicketStep} == set(EXPECTED)
    assert set(STEPS) == set(TicketStep)


@pytest.mark.parametrize("step", list(TicketStep))
@pytest.mark.parametrize("status", list(TicketStatus))
def test_each_step_from_each_status(status: TicketStatus, step: TicketStep) -> None:
    expected = EXPECTED[step.value].get(status.value)
    if expected is None:
        with pytest.raises(IllegalTicketStep) as refused:
            status_after(status, step, "A001")
        assert refused.value.message == (
            f"Số A001 đang ở trạng thái «{status.label}», không thể {step.verb}."
        )
        assert isinstance(refused.value, TransitionError)  # the hub answers 409
    else:
        assert status_after(status, step, "A001") is TicketStatus(expected)


def test_a_final_ticket_takes_no_step() -> None:
    for status in (TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED):
        assert status.is_final
        assert not any(status in allowed for allowed, _ in STEPS.values())


def test_the_open_statuses_are_those_a_step_can_leave() -> None:
    from kiosk.domain.tickets import OPEN_STATUSES

    leavable = {status for allowed, _ in STEPS.values() for status in allowed}
    assert set(OPEN_STATUSES) == leavable
