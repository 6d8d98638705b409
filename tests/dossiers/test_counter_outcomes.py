"""Supplement at the counter (form 02) and refusal (form 03): recorded against the ticket, with
no dossier code, in their own rows with an outbox event."""

from __future__ import annotations

import pytest
from dossier_support import CLERK, SAME_DAY, applicant, audit, outbox

from kiosk.domain.errors import ValidationError
from kiosk.dossiers import (
    CounterRefusal,
    CounterSupplement,
    DossierService,
    MissingDocument,
    ProcedureNotFound,
    TicketNotFound,
)
from kiosk.queue import QueueEngine
from kiosk.store import Store
from kiosk.store.dossier_repo import count_dossiers

MISSING = (
    MissingDocument("Giấy chứng sinh", "bản chính"),
    MissingDocument("Giấy tờ tùy thân của người đi đăng ký", "bản chính để đối chiếu"),
)


def supplement(ticket_id: int | None = None, **changes: object) -> CounterSupplement:
    values: dict[str, object] = {
        "procedure_code": SAME_DAY,
        "applicant": applicant(citizen_id="", email=""),
        "items": MISSING,
        "reason": "Hồ sơ chưa đủ thành phần theo quy định",
        "ticket_id": ticket_id,
        "counter_number": 1,
    }
    values.update(changes)
    return CounterSupplement(**values)  # type: ignore[arg-type]


def test_supplement_at_the_counter_lists_everything_missing_against_the_ticket(
    service: DossierService, engine: QueueEngine, store: Store
) -> None:
    ticket = engine.issue("A", actor="kiosk").ticket
    record = service.supplement_at_counter(supplement(ticket.id), actor=CLERK)
    assert record.stage == "counter" and record.dossier_code is None
    assert record.ticket_id == ticket.id and record.counter_number == 1
    assert [i.name for i in record.items] == [m.name for m in MISSING]
    assert record.number == "01/2026"
    assert record.applicant_name == "Nguyễn Văn Đức"
    assert count_dossiers(store) == 0
    [event] = outbox(store, "dossier.supplement_at_counter")
    assert event["items"] == 2 and event["ticket_id"] == ticket.id
    assert "Nguyễn" not in str(event) and "0912345678" not in str(event)
    [row] = audit(store, "dossier.supplement_at_counter")
    assert row["target"] == "form02:01/2026"


def test_supplement_at_the_counter_needs_items_and_a_reason(service: DossierService) -> None:
    with pytest.raises(ValidationError, match="ít nhất một dòng"):
        service.supplement_at_counter(supplement(items=()), actor=CLERK)
    with pytest.raises(ValidationError, match="Chưa nhập lý do"):
        service.supplement_at_counter(supplement(reason=""), actor=CLERK)
    with pytest.raises(ValidationError, match="dòng 2"):
        service.supplement_at_counter(
            supplement(items=(MISSING[0], MissingDocument(" "))), actor=CLERK
        )
    with pytest.raises(TicketNotFound):
        service.supplement_at_counter(supplement(ticket_id=999), actor=CLERK)


def test_refusal_at_the_counter(service: DossierService, engine: QueueEngine, store: Store) -> None:
    ticket = engine.issue("A", actor="kiosk").ticket
    request = CounterRefusal(
        procedure_code=SAME_DAY,
        applicant=applicant(),
        reason="Không thuộc thẩm quyền giải quyết của UBND xã",
        ticket_id=ticket.id,
        counter_number=2,
    )
    record = service.refuse_at_counter(request, actor=CLERK, request_id="refuse-0000001")
    assert record.number == "01/2026" and record.ticket_id == ticket.id
    again = service.refuse_at_counter(request, actor=CLERK, request_id="refuse-0000001")
    assert again.id == record.id and again.replayed
    [event] = outbox(store, "dossier.refused")
    assert event["status"] == "refused" and event["portal_code"] == 3
    assert "Nguyễn" not in str(event)
    assert len(store.query("SELECT id FROM refusals")) == 1
    with pytest.raises(ValidationError, match="lý do từ chối"):
        service.refuse_at_counter(
            CounterRefusal(procedure_code=SAME_DAY, applicant=applicant(), reason=""), actor=CLERK
        )
    with pytest.raises(ProcedureNotFound):
        service.refuse_at_counter(
            CounterRefusal(procedure_code="0.0", applicant=applicant(), reason="x"), actor=CLERK
        )


def test_a_retried_supplement_at_the_counter_is_one_form(
    service: DossierService, store: Store
) -> None:
    first = service.supplement_at_counter(supplement(), actor=CLERK, request_id="supp-0000001")
    again = service.supplement_at_counter(supplement(), actor=CLERK, request_id="supp-0000001")
    assert again.id == first.id and again.replayed and again.number == first.number
    assert len(outbox(store, "dossier.supplement_at_counter")) == 1
