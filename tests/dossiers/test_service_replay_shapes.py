"""Every idempotent write of the dossier service behaves the same under a retried request id:
the first result comes back, nothing is written again but an audit row saying so, and an id is
remembered only together with the effect it produced."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from dossier_support import CLERK, SAME_DAY, applicant, reception

from kiosk.domain.errors import TransitionError
from kiosk.dossiers import (
    CounterRefusal,
    CounterSupplement,
    DossierService,
    MissingDocument,
    RequestIdConflict,
    TicketNotFound,
)
from kiosk.queue import QueueEngine
from kiosk.store import Store

MISSING = (MissingDocument("Giấy chứng sinh", "bản chính"),)
TABLES = (
    "dossiers",
    "dossier_events",
    "supplement_requests",
    "refusals",
    "transfers",
    "ratings",
    "outbox",
    "dossier_requests",
)


@dataclass(frozen=True)
class Result:
    id: int
    replayed: bool
    target: str  # what the audit row of a replay names


def counter_supplement(**changes: object) -> CounterSupplement:
    values: dict[str, object] = {
        "procedure_code": SAME_DAY,
        "applicant": applicant(),
        "items": MISSING,
        "reason": "Hồ sơ chưa đủ thành phần",
        "counter_number": 1,
    }
    values.update(changes)
    return CounterSupplement(**values)  # type: ignore[arg-type]


def counter_refusal(**changes: object) -> CounterRefusal:
    values: dict[str, object] = {
        "procedure_code": SAME_DAY,
        "applicant": applicant(),
        "reason": "Không thuộc thẩm quyền",
        "counter_number": 2,
    }
    values.update(changes)
    return CounterRefusal(**values)  # type: ignore[arg-type]


def receive(service: DossierService, code: str, request_id: str) -> Result:
    done = service.receive(reception(), actor=CLERK, request_id=request_id)
    return Result(done.row.id, done.replayed, done.code)


def supplement_at_counter(service: DossierService, code: str, request_id: str) -> Result:
    done = service.supplement_at_counter(counter_supplement(), actor=CLERK, request_id=request_id)
    return Result(done.id, done.replayed, "")


def refuse_at_counter(service: DossierService, code: str, request_id: str) -> Result:
    done = service.refuse_at_counter(counter_refusal(), actor=CLERK, request_id=request_id)
    return Result(done.id, done.replayed, "")


def transfer(service: DossierService, code: str, request_id: str) -> Result:
    done = service.transfer(code, to_unit="Tư pháp", actor=CLERK, request_id=request_id)
    return Result(done.row.id, done.replayed, code)


def request_supplement(service: DossierService, code: str, request_id: str) -> Result:
    done = service.request_supplement(
        code, items=MISSING, reason="Thiếu giấy tờ", actor=CLERK, request_id=request_id
    )
    return Result(done.id, done.replayed, code)


def rate(service: DossierService, code: str, request_id: str) -> Result:
    done = service.rate("satisfied", actor="device:9", counter_number=1, request_id=request_id)
    return Result(done.id, done.replayed, "")


WRITES: tuple[Callable[[DossierService, str, str], Result], ...] = (
    receive,
    supplement_at_counter,
    refuse_at_counter,
    transfer,
    request_supplement,
    rate,
)


def counts(store: Store) -> dict[str, int]:
    return {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def last_audit(store: Store) -> tuple[str, str, dict[str, object]]:
    action, target, details = store.conn.execute(
        "SELECT action, target, details FROM audit ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return action, target, json.loads(details)


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
def test_a_retried_write_returns_its_first_result_and_writes_only_an_audit_row(
    write: Callable[[DossierService, str, str], Result],
    service: DossierService,
    store: Store,
    engine: QueueEngine,
) -> None:
    code = service.receive(reception(), actor=CLERK).code
    first = write(service, code, "retry-000000001")
    assert not first.replayed
    first_action = last_audit(store)[0]
    before = counts(store)
    audit_rows = len(store.query("SELECT id FROM audit"))

    again = write(service, code, "retry-000000001")

    assert again.id == first.id and again.replayed
    assert counts(store) == before
    assert len(store.query("SELECT id FROM audit")) == audit_rows + 1
    action, target, details = last_audit(store)
    assert (action, target) == (first_action, again.target)
    assert details["replay_of"] == "retry-000000001"


def test_a_request_id_is_remembered_only_when_its_write_commits(
    service: DossierService, store: Store
) -> None:
    with pytest.raises(TicketNotFound):
        service.receive(reception(ticket_id=999), actor=CLERK, request_id="fail-000000001")
    with pytest.raises(TicketNotFound):
        service.refuse_at_counter(
            counter_refusal(ticket_id=999), actor=CLERK, request_id="fail-000000002"
        )
    code = service.receive(reception(), actor=CLERK).code
    with pytest.raises(TransitionError):
        service.fee_paid(code, actor=CLERK, request_id="fail-000000003")
    assert store.query("SELECT request_id FROM dossier_requests") == []

    # The ids are free again: a corrected request under them is a new request, not a conflict.
    received = service.receive(reception(), actor=CLERK, request_id="fail-000000001")
    refused = service.refuse_at_counter(counter_refusal(), actor=CLERK, request_id="fail-000000002")
    moved = service.transfer(code, to_unit="Tư pháp", actor=CLERK, request_id="fail-000000003")
    assert not (received.replayed or refused.replayed or moved.replayed)
    remembered = store.query(
        "SELECT request_id, kind, dossier_id, record_id FROM dossier_requests ORDER BY request_id"
    )
    assert remembered == [
        {
            "request_id": "fail-000000001",
            "kind": "receive",
            "dossier_id": received.row.id,
            "record_id": None,
        },
        {
            "request_id": "fail-000000002",
            "kind": "refuse",
            "dossier_id": None,
            "record_id": refused.id,
        },
        {
            "request_id": "fail-000000003",
            "kind": "transfer",
            "dossier_id": moved.row.id,
            "record_id": store.conn.execute("SELECT max(id) FROM transfers").fetchone()[0],
        },
    ]


def test_a_request_id_serves_one_kind_of_request_only(
    service: DossierService, store: Store
) -> None:
    service.supplement_at_counter(counter_supplement(), actor=CLERK, request_id="once-000000001")
    before = counts(store)
    with pytest.raises(RequestIdConflict, match="'once-000000001' đã được dùng"):
        service.refuse_at_counter(counter_refusal(), actor=CLERK, request_id="once-000000001")
    with pytest.raises(RequestIdConflict):
        service.rate("satisfied", actor="device:9", request_id="once-000000001")
    with pytest.raises(RequestIdConflict):
        service.supplement_at_counter(
            counter_supplement(reason="Lý do khác"), actor=CLERK, request_id="once-000000001"
        )
    assert counts(store) == before
