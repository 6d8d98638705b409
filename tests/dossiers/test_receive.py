"""Receiving a complete dossier: code, register line, due date, documents, fee, ticket."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from dossier_support import (
    CLERK,
    FIVE_DAYS,
    NO_LIMIT,
    ONE_DAY,
    PROVINCE_FEE,
    SAME_DAY,
    THREE_DAYS,
    UNIT,
    applicant,
    at,
    audit,
    outbox,
    reception,
)

from kiosk.clock import FixedClock
from kiosk.domain.catalogue import CopyKind
from kiosk.domain.errors import InvalidCitizenId, InvalidPhone, ValidationError
from kiosk.domain.lifecycle import DossierStatus
from kiosk.dossiers import (
    RECEPTION_UNIT,
    Dossier,
    DossierService,
    HandedDocument,
    ProcedureNotFound,
    RequestIdConflict,
    TicketNotFound,
)
from kiosk.queue import QueueEngine
from kiosk.store import Store
from kiosk.store.dossier_repo import count_dossiers, get_events

Receive = Callable[..., Dossier]


def test_receive_issues_code_register_line_and_due_date(receive: Receive, store: Store) -> None:
    dossier = receive(THREE_DAYS)  # Monday 16/3/2026 09:00
    assert dossier.code == f"{UNIT}-260316-0001"
    assert dossier.row.register_number == "01/2026"
    assert dossier.status is DossierStatus.RECEIVED
    assert dossier.row.received_at == at(2026, 3, 16, 9, 0)
    assert dossier.row.due_at == at(2026, 3, 19, 16, 0)  # 17, 18, 19; appointment 16:00
    assert dossier.row.original_due_at == dossier.row.due_at
    assert dossier.time_limit == "3 ngày làm việc"
    assert dossier.current_unit == RECEPTION_UNIT
    assert dossier.row.created_by == CLERK
    second = receive(THREE_DAYS)
    assert second.code == f"{UNIT}-260316-0002"
    assert second.row.register_number == "02/2026"
    [event] = get_events(store, dossier.row.id)
    assert (event.status_to, event.actor, event.channel) == (
        DossierStatus.RECEIVED,
        CLERK,
        "counter",
    )


def test_receive_writes_an_outbox_event_without_personal_data(
    receive: Receive, store: Store
) -> None:
    dossier = receive(THREE_DAYS)
    [event] = outbox(store, "dossier.received")
    assert event["code"] == dossier.code
    text = str(event)
    for personal in ("Nguyễn", "001099012345", "0912345678", "duc@example.com", "Lê Lợi"):
        assert personal not in text
    [row] = audit(store, "dossier.receive")
    assert row["target"] == dossier.code and row["actor"] == CLERK


def test_same_day_procedure_before_and_after_the_cut_off(
    receive: Receive, clock: FixedClock
) -> None:
    clock.now = at(2026, 3, 16, 14, 59)
    assert receive(SAME_DAY).row.due_at == at(2026, 3, 16, 16, 0)
    clock.now = at(2026, 3, 16, 15, 1)
    assert receive(SAME_DAY).row.due_at == at(2026, 3, 17, 16, 0)


def test_tet_2026_friday_13_february(receive: Receive, clock: FixedClock) -> None:
    # Tết: 14–22/2/2026 off (weekends and 16–20/2); the period starts Monday 23/2.
    clock.now = at(2026, 2, 13, 10, 0)
    assert receive(THREE_DAYS).row.due_at == at(2026, 2, 25, 16, 0)
    clock.now = at(2026, 2, 13, 15, 30)
    assert receive(SAME_DAY).row.due_at == at(2026, 2, 23, 16, 0)


def test_make_up_saturday_22_august_2026_is_a_working_day(
    receive: Receive, clock: FixedClock
) -> None:
    clock.now = at(2026, 8, 21, 10, 0)  # Friday
    assert receive(ONE_DAY).row.due_at == at(2026, 8, 22, 16, 0)  # the make-up Saturday
    # 22/8 (Sat), 24, 25, 26, 27: Monday 31/8 and 1–2/9 are off, not yet reached.
    assert receive(FIVE_DAYS).row.due_at == at(2026, 8, 27, 16, 0)


def test_applicant_is_validated_and_stored_nfc(receive: Receive) -> None:
    decomposed = unicodedata.normalize("NFD", "nguyễn  thị   hoà")
    dossier = receive(
        applicant=applicant(
            name=decomposed, phone="+84 912 345 678", email="An@Example.COM", citizen_id=""
        )
    )
    assert dossier.row.applicant_name == "Nguyễn Thị Hoà"
    assert unicodedata.is_normalized("NFC", dossier.row.applicant_name)
    assert dossier.row.applicant_phone == "0912345678"
    assert dossier.row.applicant_email == "An@example.com"
    assert dossier.row.applicant_id_number == ""


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"citizen_id": "12345"}, InvalidCitizenId),
        ({"phone": "0243 1234 567"}, InvalidPhone),
        ({"name": ""}, ValidationError),
        ({"name": "Nguyễn Văn 2"}, ValidationError),
        ({"address": "x" * 301}, ValidationError),
    ],
)
def test_bad_applicant_data_is_refused_and_nothing_is_written(
    receive: Receive, store: Store, change: dict[str, str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        receive(applicant=applicant(**change))
    assert count_dossiers(store) == 0


def test_documents_from_the_catalogue_and_free_lines(receive: Receive) -> None:
    dossier = receive(
        SAME_DAY,
        documents=(
            HandedDocument(catalogue_position=0, copy_kind=CopyKind.ORIGINAL, count=1),
            HandedDocument(name="Bản sao  sổ hộ khẩu", copy_kind=CopyKind.PHOTOCOPY, count=2),
        ),
        sets=2,
    )
    assert [(d.name[:14], d.copy_kind, d.count) for d in dossier.documents] == [
        ("Tờ khai đăng k", CopyKind.ORIGINAL, 1),
        ("Bản sao sổ hộ ", CopyKind.PHOTOCOPY, 2),
    ]
    assert dossier.row.sets == 2


def test_a_document_in_a_copy_kind_the_catalogue_does_not_allow_is_refused(
    receive: Receive,
) -> None:
    with pytest.raises(ValidationError, match="phải nộp bản chính"):
        receive(
            SAME_DAY,
            documents=(HandedDocument(catalogue_position=0, copy_kind=CopyKind.PHOTOCOPY),),
        )
    with pytest.raises(ValidationError, match="không có giấy tờ số 100"):
        receive(SAME_DAY, documents=(HandedDocument(catalogue_position=99),))
    with pytest.raises(ValidationError, match="tên giấy tờ dòng 1"):
        receive(SAME_DAY, documents=(HandedDocument(name="  "),))


def test_fee_comes_from_the_catalogue_or_must_be_typed(receive: Receive) -> None:
    assert receive(ONE_DAY).row.fee == 8000
    assert receive(ONE_DAY, fee=0).row.fee == 0
    with pytest.raises(ValidationError, match="do tỉnh quy định"):
        receive(PROVINCE_FEE)
    assert receive(PROVINCE_FEE, fee=10000).row.fee == 10000


def test_channels_are_checked(receive: Receive) -> None:
    dossier = receive(channel="postal", return_channel="online")
    assert (dossier.row.channel, dossier.row.return_channel) == ("postal", "online")
    with pytest.raises(ValidationError, match="Kênh 'fax'"):
        receive(channel="fax")


def test_unknown_procedure(receive: Receive) -> None:
    with pytest.raises(ProcedureNotFound, match=r"9\.999999"):
        receive("9.999999")


def test_a_procedure_without_a_time_limit_needs_a_due_date_by_hand(
    receive: Receive, clock: FixedClock
) -> None:
    with pytest.raises(ValidationError, match="hãy nhập ngày hẹn trả"):
        receive(NO_LIMIT)
    dossier = receive(NO_LIMIT, due_at=at(2026, 4, 1, 16, 0))
    assert dossier.row.due_at == at(2026, 4, 1, 16, 0)
    assert dossier.time_limit == ""
    with pytest.raises(ValidationError, match="tính tự động"):
        receive(THREE_DAYS, due_at=at(2026, 4, 1, 16, 0))


def test_the_ticket_it_came_from_is_linked(
    receive: Receive, engine: QueueEngine, store: Store
) -> None:
    ticket = engine.issue("A", actor="kiosk").ticket
    dossier = receive(ticket_id=ticket.id, counter_number=1)
    assert dossier.row.ticket_id == ticket.id
    assert dossier.counter_number == 1
    with pytest.raises(TicketNotFound):
        receive(ticket_id=ticket.id + 100)


def test_a_retried_request_never_creates_a_second_dossier(
    receive: Receive, store: Store, clock: FixedClock
) -> None:
    first = receive(request_id="req-0001-abcdef")
    clock.advance(seconds=30)
    again = receive(request_id="req-0001-abcdef")
    assert again.code == first.code and again.replayed and not first.replayed
    assert count_dossiers(store) == 1
    assert len(outbox(store, "dossier.received")) == 1
    replays = [r for r in audit(store, "dossier.receive") if "replay_of" in r["details"]]
    assert len(replays) == 1


def test_a_request_id_reused_for_another_request_is_refused(receive: Receive, store: Store) -> None:
    receive(request_id="req-0002-abcdef")
    with pytest.raises(RequestIdConflict):
        receive(applicant=applicant(name="Trần Thị Mai"), request_id="req-0002-abcdef")
    with pytest.raises(ValidationError, match="Mã yêu cầu"):
        receive(request_id="short")
    assert count_dossiers(store) == 1


def test_service_reads_the_default_settings(service: DossierService) -> None:
    assert service.settings.unit_code == UNIT
    assert reception().procedure_code == THREE_DAYS
