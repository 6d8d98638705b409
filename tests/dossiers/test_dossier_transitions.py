"""Every step after reception goes through the domain's state machine; illegal ones are refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from dossier_support import CLERK, SAME_DAY, THREE_DAYS, at, outbox

from kiosk.clock import FixedClock
from kiosk.domain.errors import TransitionError, ValidationError
from kiosk.domain.lifecycle import DossierStatus, Timeliness
from kiosk.dossiers import (
    RECEPTION_UNIT,
    Dossier,
    DossierNotFound,
    DossierService,
    MissingDocument,
    RequestIdConflict,
)
from kiosk.store import Store
from kiosk.store.dossier_repo import get_events

Receive = Callable[..., Dossier]
S = DossierStatus
MISSING = (MissingDocument("Giấy chứng sinh", "bản chính"),)


def move(service: DossierService, code: str, step: str) -> Dossier:
    """Apply one named step with plausible arguments."""
    if step == "transfer":
        held = service.get(code).current_unit
        unit = "Công chức Văn hóa" if held == "Công chức Tư pháp - Hộ tịch" else held
        unit = "Công chức Tư pháp - Hộ tịch" if held == RECEPTION_UNIT else unit
        return service.transfer(code, to_unit=unit, actor=CLERK)
    if step == "start_processing":
        return service.start_processing(code, actor=CLERK)
    if step == "request_supplement":
        service.request_supplement(code, items=MISSING, reason="Thiếu giấy tờ", actor=CLERK)
        return service.get(code)
    if step == "supplement_received":
        return service.supplement_received(code, actor=CLERK)
    if step == "request_fee":
        return service.request_fee(code, actor=CLERK, amount=5000)
    if step == "fee_paid":
        return service.fee_paid(code, actor=CLERK)
    if step == "withdraw":
        return service.withdraw(code, reason="Người nộp xin rút", actor=CLERK)
    if step == "stop":
        return service.stop(code, reason="Không đủ điều kiện", actor=CLERK)
    if step == "done":
        return service.done(code, actor=CLERK)
    if step == "return":
        return service.return_result(code, actor=CLERK, received_by="Nguyễn Văn Đức")
    raise AssertionError(step)


# How to bring a fresh dossier into each status.
ROUTES: dict[DossierStatus, tuple[str, ...]] = {
    S.RECEIVED: (),
    S.PROCESSING: ("transfer",),
    S.SUPPLEMENT_REQUESTED: ("request_supplement",),
    S.AWAITING_FEE: ("request_fee",),
    S.DONE: ("done",),
    S.RETURNED: ("done", "return"),
    S.WITHDRAWN: ("withdraw",),
    S.STOPPED: ("stop",),
}

# Which steps each status allows (the law, as kiosk.domain.lifecycle encodes it).
ALLOWED: dict[DossierStatus, set[str]] = {
    S.RECEIVED: {
        "transfer",
        "start_processing",
        "request_supplement",
        "request_fee",
        "withdraw",
        "stop",
        "done",
    },
    S.PROCESSING: {"transfer", "request_supplement", "request_fee", "withdraw", "stop", "done"},
    S.SUPPLEMENT_REQUESTED: {"supplement_received", "withdraw", "stop"},
    S.AWAITING_FEE: {"fee_paid", "withdraw", "stop", "done"},
    S.DONE: {"return"},
    S.RETURNED: set(),
    S.WITHDRAWN: set(),
    S.STOPPED: set(),
}
STEPS = sorted({step for steps in ALLOWED.values() for step in steps})
CASES = [(status, step) for status in ROUTES for step in STEPS]


@pytest.mark.parametrize(("status", "step"), CASES, ids=[f"{s.value}-{t}" for s, t in CASES])
def test_each_step_from_each_status(
    receive: Receive, service: DossierService, store: Store, status: DossierStatus, step: str
) -> None:
    code = receive(THREE_DAYS).code
    for earlier in ROUTES[status]:
        move(service, code, earlier)
    assert service.get(code).status is status
    events_before = len(get_events(store, service.get(code).row.id))
    outbox_before = len(outbox(store))
    if step in ALLOWED[status]:
        after = move(service, code, step)
        [*_, last] = get_events(store, after.row.id)
        assert last.status_from is status and last.status_to is after.status
        assert last.actor == CLERK and last.unit
        assert outbox(store)[-1]["type"] == f"dossier.{step}"
    else:
        with pytest.raises(TransitionError) as refused:
            move(service, code, step)
        assert refused.value.message  # Vietnamese, shown as is
        assert service.get(code).status is status
        assert len(get_events(store, service.get(code).row.id)) == events_before
        assert len(outbox(store)) == outbox_before


def test_a_whole_life_from_reception_to_return(
    receive: Receive, service: DossierService, store: Store, clock: FixedClock
) -> None:
    code = receive(THREE_DAYS).code  # Monday 16/3 09:00, due Thursday 19/3 16:00
    clock.now = at(2026, 3, 16, 10, 0)
    service.transfer(code, to_unit="Công chức Tư pháp - Hộ tịch", actor=CLERK, receiver="Bà Hoa")
    clock.now = at(2026, 3, 17, 9, 0)
    service.request_fee(code, actor="staff:hoa", amount=5000)
    service.fee_paid(code, actor=CLERK)
    clock.now = at(2026, 3, 17, 15, 0)
    service.transfer(
        code,
        from_unit="Công chức Tư pháp - Hộ tịch",
        to_unit=RECEPTION_UNIT,
        actor="staff:hoa",
    )
    done = service.done(code, actor=CLERK)
    assert done.status is S.DONE and done.row.result_at == at(2026, 3, 17, 15, 0)
    assert done.early_return_notice  # two days before the due day
    assert outbox(store, "dossier.done")[0]["timeliness"] == Timeliness.EARLY.value
    clock.now = at(2026, 3, 18, 8, 0)
    returned = service.return_result(code, actor=CLERK, received_by="Nguyễn Văn Đức")
    assert returned.status is S.RETURNED
    assert returned.row.returned_at == at(2026, 3, 18, 8, 0)
    assert returned.returned_to == "Nguyễn Văn Đức"
    assert returned.row.fee == 5000
    actions = [e.action for e in get_events(store, returned.row.id)]
    assert actions == [
        "receive",
        "transfer",
        "request_fee",
        "fee_paid",
        "transfer",
        "done",
        "return",
    ]
    # The audit trail names who did each step and when, on this dossier, in order.
    trail = store.query("SELECT at, actor, action FROM audit WHERE target = ? ORDER BY id", (code,))
    hoa, lan = "staff:hoa", CLERK
    assert [(row["at"], row["actor"], row["action"]) for row in trail] == [
        ("2026-03-16T09:00:00+07:00", lan, "dossier.receive"),
        ("2026-03-16T10:00:00+07:00", lan, "dossier.transfer"),
        ("2026-03-17T09:00:00+07:00", hoa, "dossier.request_fee"),
        ("2026-03-17T09:00:00+07:00", lan, "dossier.fee_paid"),
        ("2026-03-17T15:00:00+07:00", hoa, "dossier.transfer"),
        ("2026-03-17T15:00:00+07:00", lan, "dossier.done"),
        ("2026-03-18T08:00:00+07:00", lan, "dossier.return"),
    ]


def test_return_by_post_records_the_channel(receive: Receive, service: DossierService) -> None:
    code = receive(SAME_DAY).code
    service.done(code, actor=CLERK)
    returned = service.return_result(code, actor=CLERK, channel="postal")
    assert returned.status is S.RETURNED
    with pytest.raises(ValidationError, match="Kênh"):
        service.return_result(receive(SAME_DAY).code, actor=CLERK, channel="pigeon")


def test_hand_overs_are_form_05_rows_classified_against_their_deadline(
    receive: Receive, service: DossierService, store: Store, clock: FixedClock
) -> None:
    # Received before 15:00: hand over the same working day.
    on_time = receive(THREE_DAYS).code
    clock.now = at(2026, 3, 16, 16, 0)
    service.transfer(on_time, to_unit="Tư pháp", actor=CLERK)
    # Received after 15:00: the next working day is the deadline, so today is early.
    clock.now = at(2026, 3, 16, 15, 30)
    early = receive(THREE_DAYS).code
    clock.now = at(2026, 3, 16, 16, 30)
    service.transfer(early, to_unit="Tư pháp", actor=CLERK)
    # A hand-over the day after a morning reception is late.
    clock.now = at(2026, 3, 17, 8, 0)
    late_code = receive(THREE_DAYS).code
    clock.now = at(2026, 3, 18, 8, 0)
    service.transfer(late_code, to_unit="Tư pháp", actor=CLERK)
    rows = store.query("SELECT from_unit, to_unit, timeliness FROM transfers ORDER BY id")
    assert [r["timeliness"] for r in rows] == ["on_time", "early", "late"]
    assert {r["from_unit"] for r in rows} == {RECEPTION_UNIT}
    # The next hand-over is judged against the due date; the unit must change.
    with pytest.raises(ValidationError, match="đơn vị nhận khác"):
        service.transfer(late_code, to_unit="Tư pháp", actor=CLERK)
    file = service.open_file(late_code, actor=CLERK)
    [transfer] = file.transfers
    assert transfer.timeliness is Timeliness.LATE and transfer.giver == CLERK


def test_withdraw_and_stop_need_a_reason(receive: Receive, service: DossierService) -> None:
    code = receive().code
    with pytest.raises(ValidationError, match="lý do rút hồ sơ"):
        service.withdraw(code, reason=" ", actor=CLERK)
    with pytest.raises(ValidationError, match="lý do dừng xử lý"):
        service.stop(code, reason="", actor=CLERK)
    stopped = service.stop(code, reason="Hồ sơ giả mạo", actor=CLERK)
    assert stopped.status is S.STOPPED


def test_unknown_and_malformed_codes(service: DossierService) -> None:
    with pytest.raises(DossierNotFound):
        service.done("000.00.21.H12-260316-0099", actor=CLERK)
    with pytest.raises(ValidationError, match="Mã hồ sơ không đúng dạng"):
        service.done("xyz", actor=CLERK)


def test_codes_are_accepted_as_typed_or_scanned(receive: Receive, service: DossierService) -> None:
    code = receive().code
    typed = " " + code.lower().replace("-", " – ", 1) + " "
    assert service.start_processing(typed, actor=CLERK).status is S.PROCESSING


def test_a_retried_transition_is_answered_not_refused(
    receive: Receive, service: DossierService, store: Store
) -> None:
    code = receive().code
    first = service.transfer(code, to_unit="Tư pháp", actor=CLERK, request_id="tr-000000001")
    again = service.transfer(code, to_unit="Tư pháp", actor=CLERK, request_id="tr-000000001")
    assert again.replayed and not first.replayed
    assert len(store.query("SELECT id FROM transfers")) == 1
    done = service.done(code, actor=CLERK, request_id="done-00000001")
    assert service.done(code, actor=CLERK, request_id="done-00000001").status is S.DONE
    assert done.status is S.DONE
    with pytest.raises(RequestIdConflict):
        service.return_result(code, actor=CLERK, request_id="done-00000001")
