"""Work lists, search and the timeline for staff; every read or print is in the audit."""

from __future__ import annotations

import json
from collections.abc import Callable

from dossier_support import CLERK, FIVE_DAYS, SAME_DAY, THREE_DAYS, at, audit

from kiosk.clock import FixedClock
from kiosk.dossiers import Dossier, DossierService, MissingDocument, Worklist
from kiosk.store import Store


def codes(found: list[Dossier]) -> list[str]:
    return [d.code for d in found]


def test_work_lists_with_a_fixed_clock(
    receive: Callable[..., Dossier], service: DossierService, clock: FixedClock
) -> None:
    clock.now = at(2026, 3, 12, 9, 0)  # Thursday
    overdue = receive(SAME_DAY).code  # due 12/3
    clock.now = at(2026, 3, 13, 9, 0)  # Friday
    due_monday = receive(SAME_DAY).code  # due 13/3 ... done below
    service.done(due_monday, actor=CLERK)
    waiting = receive(THREE_DAYS).code  # due Wed 18/3
    service.request_supplement(
        waiting, items=(MissingDocument("Tờ khai"),), reason="Thiếu", actor=CLERK
    )
    clock.now = at(2026, 3, 16, 8, 0)  # Monday
    today = receive(SAME_DAY).code  # due today 16:00
    soon = receive(THREE_DAYS).code  # due Thursday 19/3
    later = receive(FIVE_DAYS).code  # due Monday 23/3
    clock.now = at(2026, 3, 16, 9, 0)

    def listed(kind: Worklist, **options: int) -> list[str]:
        return codes(service.worklist(kind, actor=CLERK, **options))

    assert listed(Worklist.DUE_TODAY) == [today]
    assert listed(Worklist.OVERDUE) == [overdue]
    assert listed(Worklist.DUE_SOON, days=3) == [soon]  # up to Thursday 19/3
    assert listed(Worklist.DUE_SOON, days=5) == [soon, later]
    assert listed(Worklist.WAITING_SUPPLEMENT) == [waiting]  # its clock is stopped
    assert listed(Worklist.READY_TO_RETURN) == [due_monday]


def test_work_list_reads_are_audited(
    receive: Callable[..., Dossier], service: DossierService, store: Store
) -> None:
    code = receive(SAME_DAY).code
    service.worklist(Worklist.DUE_TODAY, actor=CLERK)
    [row] = audit(store, "dossier.list")
    assert row["actor"] == CLERK and row["target"] == "due_today"
    assert json.loads(row["details"])["codes"] == [code]


def test_search_ignores_diacritics_and_is_audited(
    receive: Callable[..., Dossier], service: DossierService, store: Store
) -> None:
    code = receive().code
    assert codes(service.search("nguyen van duc", actor=CLERK)) == [code]
    assert codes(service.search("5678", actor=CLERK)) == [code]
    rows = audit(store, "dossier.search")
    assert [json.loads(r["details"])["query"] for r in rows] == ["nguyen van duc", "5678"]
    assert json.loads(rows[0]["details"])["codes"] == [code]


def test_the_full_file_and_its_view_are_audited(
    receive: Callable[..., Dossier], service: DossierService, store: Store, clock: FixedClock
) -> None:
    code = receive(THREE_DAYS).code
    clock.now = at(2026, 3, 16, 10, 0)
    service.transfer(code, to_unit="Tư pháp", actor=CLERK)
    clock.now = at(2026, 3, 17, 10, 0)
    service.request_supplement(
        code, items=(MissingDocument("Tờ khai"),), reason="Thiếu", actor=CLERK
    )
    file = service.open_file(code, actor="staff:minh@counter:2")
    kinds = [(e.kind, e.title) for e in file.timeline]
    assert kinds == [
        ("event", "Tiếp nhận"),
        ("event", "Chuyển xử lý"),
        ("transfer", "Bàn giao: Bộ phận Tiếp nhận và Trả kết quả → Tư pháp"),
        ("event", "Yêu cầu bổ sung"),
        ("supplement", "Phiếu yêu cầu bổ sung số 01/2026 (lần 1)"),
    ]
    assert file.as_json()["dossier"]["code"] == code
    [view] = audit(store, "dossier.view")
    assert (view["actor"], view["target"]) == ("staff:minh@counter:2", code)
    service.record_print(code, actor=CLERK, form="01", copies=2)
    [printed] = audit(store, "dossier.print")
    assert printed["target"] == code
    assert json.loads(printed["details"]) == {"copies": 2, "form": "01"}
