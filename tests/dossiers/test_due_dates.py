"""Due-date effects of a supplement request (both clock policies) and of an extension (form 04),
with the Tết 2026 holidays and the make-up Saturday 22/8/2026."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from dossier_support import CLERK, FIVE_DAYS, ONE_DAY, THREE_DAYS, at, outbox, reception

from kiosk.clock import FixedClock
from kiosk.domain.errors import TransitionError, ValidationError
from kiosk.domain.lifecycle import DossierStatus, SupplementPolicy
from kiosk.dossiers import Dossier, DossierService, MissingDocument, Reception
from kiosk.store import Store

MISSING = (
    MissingDocument("Giấy chứng sinh", "bản chính"),
    MissingDocument("Văn bản ủy quyền", "có chứng thực"),
)


def received_before_tet(service: DossierService, clock: FixedClock) -> Dossier:
    clock.now = at(2026, 2, 13, 10, 0)  # Friday before Tết
    dossier = service.receive(_reception(THREE_DAYS), actor=CLERK)
    assert dossier.row.due_at == at(2026, 2, 25, 16, 0)
    return dossier


def _reception(procedure: str) -> Reception:
    return reception(procedure)


@pytest.mark.parametrize(
    ("policy", "due"),
    [
        # Law: 3 working days counted again from Tuesday 24/2 → 25, 26, 27.
        (SupplementPolicy.RESTART, at(2026, 2, 27, 16, 0)),
        # Practice: the due day moves by the working days waited (24/2 only) → Thursday 26/2.
        (SupplementPolicy.EXTEND_BY_PAUSE, at(2026, 2, 26, 16, 0)),
    ],
)
def test_supplement_after_tet_moves_the_due_date_by_policy(
    make_service: Callable[..., DossierService],
    clock: FixedClock,
    store: Store,
    policy: SupplementPolicy,
    due: datetime,
) -> None:
    service = make_service(policy)
    code = received_before_tet(service, clock).code
    clock.now = at(2026, 2, 23, 9, 0)  # first working day after Tết: within 3 working days
    record = service.request_supplement(code, items=MISSING, reason="Thiếu giấy tờ", actor=CLERK)
    assert record.within_limit and record.ordinal == 1 and not record.late_by_supplement
    assert [i.name for i in record.items] == ["Giấy chứng sinh", "Văn bản ủy quyền"]
    assert record.number == "01/2026" and record.dossier_code == code
    assert service.get(code).status is DossierStatus.SUPPLEMENT_REQUESTED
    clock.now = at(2026, 2, 24, 10, 0)
    back = service.supplement_received(code, actor=CLERK)
    assert back.status is DossierStatus.RECEIVED  # asked before the hand-over
    assert back.row.due_at == due
    assert back.row.original_due_at == due  # a legal restart, not an extension
    [event] = outbox(store, "dossier.supplement_received")
    assert event["policy"] == policy.value
    file = service.open_file(code, actor=CLERK)
    [supplement] = file.supplements
    assert supplement.resumed_at == at(2026, 2, 24, 10, 0) and supplement.due_at_after == due


def test_extend_by_pause_counts_the_make_up_saturday(
    make_service: Callable[..., DossierService], clock: FixedClock
) -> None:
    service = make_service(SupplementPolicy.EXTEND_BY_PAUSE)
    clock.now = at(2026, 8, 19, 9, 0)  # Wednesday; 5 working days: 20, 21, 22 (Sat), 24, 25
    code = service.receive(_reception(FIVE_DAYS), actor=CLERK).code
    assert service.get(code).row.due_at == at(2026, 8, 25, 16, 0)
    service.transfer(code, to_unit="Địa chính", actor=CLERK)
    clock.now = at(2026, 8, 20, 9, 0)
    service.request_supplement(code, items=MISSING, reason="Thiếu", actor=CLERK)
    clock.now = at(2026, 8, 24, 9, 0)  # waited 21, 22 (the make-up Saturday) and 24
    back = service.supplement_received(code, actor=CLERK)
    assert back.status is DossierStatus.PROCESSING  # asked by the processing unit
    # 25/8 + 3 working days: 26, 27, 28 → Friday 28/8 (before the 31/8–2/9 days off).
    assert back.row.due_at == at(2026, 8, 28, 16, 0)


def test_supplement_request_after_three_working_days_is_refused_or_recorded_late(
    service: DossierService, clock: FixedClock
) -> None:
    code = received_before_tet(service, clock).code
    clock.now = at(2026, 2, 26, 9, 0)  # 23, 24, 25 were the three working days
    with pytest.raises(TransitionError, match="Đã quá hạn yêu cầu bổ sung"):
        service.request_supplement(code, items=MISSING, reason="Thiếu", actor=CLERK)
    record = service.request_supplement(
        code, items=MISSING, reason="Luật chuyên ngành cho phép", actor=CLERK, allow_late=True
    )
    assert not record.within_limit


def test_a_second_supplement_request_is_flagged_late(
    service: DossierService, clock: FixedClock, store: Store
) -> None:
    code = received_before_tet(service, clock).code
    clock.now = at(2026, 2, 23, 9, 0)
    service.request_supplement(code, items=MISSING, reason="Thiếu", actor=CLERK)
    service.supplement_received(code, actor=CLERK)
    second = service.request_supplement(code, items=MISSING[:1], reason="Vẫn thiếu", actor=CLERK)
    assert second.ordinal == 2 and second.late_by_supplement
    assert second.number == "02/2026"
    flags = [e["late_by_supplement"] for e in outbox(store, "dossier.request_supplement")]
    assert flags == [False, True]
    assert service.get(code).row.supplement_requests == 2


def test_supplement_request_needs_every_item_and_a_reason(
    receive: Callable[..., Dossier], service: DossierService
) -> None:
    code = receive().code
    with pytest.raises(ValidationError, match="ít nhất một dòng"):
        service.request_supplement(code, items=(), reason="Thiếu", actor=CLERK)
    with pytest.raises(ValidationError, match="Chưa nhập lý do"):
        service.request_supplement(code, items=MISSING, reason=" ", actor=CLERK)


def received_before_make_up_saturday(service: DossierService, clock: FixedClock) -> Dossier:
    clock.now = at(2026, 8, 21, 10, 0)  # Friday; 1 working day → the make-up Saturday
    dossier = service.receive(_reception(ONE_DAY), actor=CLERK)
    assert dossier.row.due_at == at(2026, 8, 22, 16, 0)
    return dossier


def test_extension_moves_the_due_date_once_and_keeps_the_original(
    service: DossierService, clock: FixedClock, store: Store
) -> None:
    code = received_before_make_up_saturday(service, clock).code
    # Friday 21/8 is one day before Saturday 22/8: still in time for the apology letter.
    extended = service.extend(
        code, new_due_at=date(2026, 8, 25), reason="Cần xác minh thêm", actor=CLERK
    )
    assert extended.row.due_at == at(2026, 8, 25, 16, 0)
    assert extended.row.original_due_at == at(2026, 8, 22, 16, 0)
    assert extended.row.extensions == 1
    assert extended.status is DossierStatus.RECEIVED
    [event] = outbox(store, "dossier.extend")
    assert event["original_due_at"] == "2026-08-22T16:00:00+07:00"
    assert event["number"] == "01/2026"
    with pytest.raises(TransitionError, match="chỉ được điều chỉnh một lần"):
        service.extend(code, new_due_at=date(2026, 8, 26), reason="Lần nữa", actor=CLERK)


def test_extension_on_the_due_day_itself_is_too_late(
    service: DossierService, clock: FixedClock
) -> None:
    code = received_before_make_up_saturday(service, clock).code
    clock.now = at(2026, 8, 22, 8, 0)  # the make-up Saturday is the due day
    with pytest.raises(TransitionError, match="chậm nhất 1 ngày trước ngày hẹn trả"):
        service.extend(code, new_due_at=date(2026, 8, 25), reason="Trễ", actor=CLERK)
    assert service.get(code).row.extensions == 0


def test_the_new_date_must_be_a_later_working_day(
    service: DossierService, clock: FixedClock
) -> None:
    code = received_before_make_up_saturday(service, clock).code
    with pytest.raises(ValidationError, match="không phải ngày làm việc"):
        service.extend(code, new_due_at=date(2026, 8, 31), reason="Xác minh", actor=CLERK)
    with pytest.raises(ValidationError, match="phải sau ngày hẹn trả hiện tại"):
        service.extend(code, new_due_at=date(2026, 8, 22), reason="Xác minh", actor=CLERK)
    with pytest.raises(ValidationError, match="Chưa nhập lý do"):
        service.extend(code, new_due_at=date(2026, 9, 3), reason="", actor=CLERK)
    assert service.extend(
        code, new_due_at=date(2026, 9, 3), reason="Xác minh", actor=CLERK
    ).row.due_at == at(2026, 9, 3, 16, 0)


def test_no_extension_while_waiting_for_a_supplement(
    service: DossierService, clock: FixedClock
) -> None:
    code = received_before_tet(service, clock).code
    clock.now = at(2026, 2, 23, 9, 0)
    service.request_supplement(code, items=MISSING, reason="Thiếu", actor=CLERK)
    with pytest.raises(TransitionError, match="Không thể gia hạn"):
        service.extend(code, new_due_at=date(2026, 3, 2), reason="Chậm", actor=CLERK)


def test_restart_after_an_extension_keeps_the_later_promise(
    service: DossierService, clock: FixedClock
) -> None:
    code = received_before_tet(service, clock).code  # due 25/2
    clock.now = at(2026, 2, 23, 9, 0)
    service.extend(code, new_due_at=date(2026, 3, 10), reason="Xác minh", actor=CLERK)
    service.request_supplement(code, items=MISSING, reason="Thiếu", actor=CLERK)
    clock.now = at(2026, 2, 24, 10, 0)
    back = service.supplement_received(code, actor=CLERK)
    assert back.row.due_at == at(2026, 3, 10, 16, 0)  # the apology's date is later: kept
    assert back.row.original_due_at == at(2026, 2, 27, 16, 0)  # the limit counted afresh


def test_done_late_is_judged_against_the_original_due_date(
    service: DossierService, clock: FixedClock, store: Store
) -> None:
    code = received_before_make_up_saturday(service, clock).code
    service.extend(code, new_due_at=date(2026, 8, 25), reason="Xác minh", actor=CLERK)
    clock.now = at(2026, 8, 24, 10, 0)
    done = service.done(code, actor=CLERK)
    assert done.early_return_notice  # before the date in force (25/8)
    [event] = outbox(store, "dossier.done")
    assert event["timeliness"] == "late"  # after the original promise (22/8)
    assert event["timeliness_in_force"] == "early"
