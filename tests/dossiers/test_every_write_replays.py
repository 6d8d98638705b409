"""Every idempotent write of `DossierService` replays through the one helper,
`kiosk.dossiers.idempotency.write_once`: the same request id with the same request returns the
first answer and writes no second row or event; the same id with another request is refused
(`RequestIdConflict`) and writes nothing.

The table below has one case per public method that takes a `request_id`; a new idempotent
method without a case fails `test_the_table_covers_every_idempotent_method`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from dossier_support import CLERK, SAME_DAY, applicant, reception

from kiosk.dossiers import (
    CounterRefusal,
    CounterSupplement,
    DossierService,
    MissingDocument,
    RequestIdConflict,
    idempotency,
)
from kiosk.store import Store

MISSING = (MissingDocument("Giấy chứng sinh", "bản chính"),)
TABLES = (
    "dossiers",
    "dossier_documents",
    "dossier_events",
    "supplement_requests",
    "refusals",
    "transfers",
    "extensions",
    "ratings",
    "outbox",
    "dossier_requests",
    "sequences",
)
KEY = "replay-00000001"

Prepare = Callable[[DossierService], str]
Write = Callable[[DossierService, str, str, str], Any]


@dataclass(frozen=True)
class Case:
    """How to bring a dossier to where `method` applies, and how to call it: `other` is ""
    for the first request and a different text for a different request under the same id."""

    method: str
    write: Write
    prepare: Prepare | None = None


def received(service: DossierService) -> str:
    return service.receive(reception(), actor=CLERK).code


def after(*steps: Callable[[DossierService, str], object]) -> Prepare:
    def prepare(service: DossierService) -> str:
        code = received(service)
        for step in steps:
            step(service, code)
        return code

    return prepare


def supplement_asked(service: DossierService, code: str) -> object:
    return service.request_supplement(code, items=MISSING, reason="Thiếu", actor=CLERK)


def fee_asked(service: DossierService, code: str) -> object:
    return service.request_fee(code, actor=CLERK)


def result_ready(service: DossierService, code: str) -> object:
    return service.done(code, actor=CLERK)


def at_counter(other: str) -> CounterSupplement:
    return CounterSupplement(SAME_DAY, applicant(), MISSING, f"Chưa đủ{other}", counter_number=1)


def refusal(other: str) -> CounterRefusal:
    return CounterRefusal(SAME_DAY, applicant(), f"Không thuộc thẩm quyền{other}")


CASES = (
    Case(
        "receive",
        lambda s, code, key, other: s.receive(reception(note=other), actor=CLERK, request_id=key),
    ),
    Case(
        "supplement_at_counter",
        lambda s, code, key, other: s.supplement_at_counter(
            at_counter(other), actor=CLERK, request_id=key
        ),
    ),
    Case(
        "refuse_at_counter",
        lambda s, code, key, other: s.refuse_at_counter(
            refusal(other), actor=CLERK, request_id=key
        ),
    ),
    Case(
        "transfer",
        lambda s, code, key, other: s.transfer(
            code, to_unit="Tư pháp", note=other, actor=CLERK, request_id=key
        ),
        received,
    ),
    Case(
        "start_processing",
        lambda s, code, key, other: s.start_processing(
            code, note=other, actor=CLERK, request_id=key
        ),
        received,
    ),
    Case(
        "request_supplement",
        lambda s, code, key, other: s.request_supplement(
            code, items=MISSING, reason=f"Thiếu{other}", actor=CLERK, request_id=key
        ),
        received,
    ),
    Case(
        "supplement_received",
        lambda s, code, key, other: s.supplement_received(
            code, note=other, actor=CLERK, request_id=key
        ),
        after(supplement_asked),
    ),
    Case(
        "request_fee",
        lambda s, code, key, other: s.request_fee(code, note=other, actor=CLERK, request_id=key),
        received,
    ),
    Case(
        "fee_paid",
        lambda s, code, key, other: s.fee_paid(code, note=other, actor=CLERK, request_id=key),
        after(fee_asked),
    ),
    Case(
        "extend",
        lambda s, code, key, other: s.extend(
            code,
            new_due_at=date(2026, 3, 27),
            reason=f"Cần xác minh{other}",
            actor=CLERK,
            request_id=key,
        ),
        received,
    ),
    Case(
        "withdraw",
        lambda s, code, key, other: s.withdraw(
            code, reason=f"Đơn xin rút{other}", actor=CLERK, request_id=key
        ),
        received,
    ),
    Case(
        "stop",
        lambda s, code, key, other: s.stop(
            code, reason=f"Thông báo dừng{other}", actor=CLERK, request_id=key
        ),
        received,
    ),
    Case(
        "done",
        lambda s, code, key, other: s.done(code, note=other, actor=CLERK, request_id=key),
        received,
    ),
    Case(
        "return_result",
        lambda s, code, key, other: s.return_result(code, note=other, actor=CLERK, request_id=key),
        after(result_ready),
    ),
    Case(
        "rate",
        lambda s, code, key, other: s.rate(
            "satisfied", dossier_code=code, comment=other, actor="device:9", request_id=key
        ),
        received,
    ),
)


def answer_id(answer: Any) -> int:
    """The id a write answered with: its dossier's, or its record's (form, rating)."""
    row = getattr(answer, "row", None)
    return int(row.id) if row is not None else int(answer.id)


def counts(store: Store) -> dict[str, int]:
    return {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def audit_rows(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM audit").fetchone()[0])


def test_the_table_covers_every_idempotent_method() -> None:
    idempotent = {
        name
        for name, member in inspect.getmembers(DossierService, inspect.isfunction)
        if not name.startswith("_") and "request_id" in inspect.signature(member).parameters
    }
    assert idempotent == {case.method for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.method)
def test_the_same_key_replays_and_another_request_under_it_is_refused(
    case: Case, service: DossierService, store: Store
) -> None:
    code = case.prepare(service) if case.prepare is not None else ""
    first = case.write(service, code, KEY, "")
    assert not first.replayed
    before, audited = counts(store), audit_rows(store)

    again = case.write(service, code, KEY, "")

    assert again.replayed and answer_id(again) == answer_id(first)
    assert counts(store) == before  # no second row, event, number or outbox event
    assert audit_rows(store) == audited + 1  # only the audit row saying it was a replay
    with pytest.raises(RequestIdConflict):
        case.write(service, code, KEY, " (khác)")
    assert counts(store) == before and audit_rows(store) == audited + 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.method)
def test_every_idempotent_write_goes_through_the_one_helper(
    case: Case, service: DossierService, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = case.prepare(service) if case.prepare is not None else ""
    looked_up: list[str] = []
    remembered: list[str] = []
    find, remember = idempotency.find_request, idempotency.remember_request

    def spy_find(conn: Any, request_id: str) -> Any:
        looked_up.append(request_id)
        return find(conn, request_id)

    def spy_remember(tx: Any, row: Any) -> None:
        remembered.append(row["request_id"])
        remember(tx, row)

    monkeypatch.setattr(idempotency, "find_request", spy_find)
    monkeypatch.setattr(idempotency, "remember_request", spy_remember)

    case.write(service, code, KEY, "")
    assert (looked_up, remembered) == ([KEY], [KEY])
    case.write(service, code, KEY, "")
    assert (looked_up, remembered) == ([KEY, KEY], [KEY])


def test_only_the_helper_opens_a_write_transaction_for_a_change() -> None:
    # The audited reads (queries.py) open one for their audit row; every other write transaction
    # of the workflow is opened by `write_once`, so none can skip the request-id check.
    package = Path(idempotency.__file__).parent
    opening = {
        path.name
        for path in package.glob("*.py")
        if re.search(r"\.write\(", path.read_text(encoding="utf-8"))
    }
    assert opening == {"idempotency.py", "queries.py"}
