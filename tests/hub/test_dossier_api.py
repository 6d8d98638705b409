"""Dossiers over the real hub process: reception, steps, lookup, ratings, retries, races."""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from typing import Any

import httpx
import pytest
from hubproc import Office

from kiosk.hub.client import HubClient, HubError
from kiosk.store import Store

UNIT = "000.00.00.T01"
THREE_DAYS = "1.004837"  # 3 working days, free
SAME_DAY = "1.001193"


def reception(name: str = "Nguyễn Văn Đức", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "procedure_code": THREE_DAYS,
        "applicant": {
            "name": name,
            "citizen_id": "001099012345",
            "phone": "0912 345 678",
            "email": "duc@example.com",
            "address": "12 Lê Lợi",
        },
        "documents": [
            {"catalogue_position": 0, "copy_kind": "original", "count": 1},
            {"name": "Giấy tờ khác", "copy_kind": "photocopy", "count": 2},
        ],
    }
    body.update(changes)
    return body


def audit_actions(office: Office) -> list[tuple[str, str, str]]:
    with Store.open(office.hub.data_dir / "office.db") as store:
        rows = store.query("SELECT actor, action, target FROM audit ORDER BY id")
    return [(r["actor"], r["action"], r["target"]) for r in rows]


def test_a_counter_receives_a_dossier(office: Office) -> None:
    dossier = office.counters[1].receive_dossier(1, reception())
    assert re.fullmatch(rf"{re.escape(UNIT)}-\d{{6}}-0001", dossier["code"])
    assert dossier["status"] == "received" and dossier["status_label"] == "Đã tiếp nhận"
    assert dossier["applicant_phone"] == "0912345678"
    assert dossier["counter_number"] == 1
    assert dossier["created_by"] == "staff:lan@counter:1"
    assert dossier["due_at"] and dossier["register_number"].startswith("01/")
    assert [d["count"] for d in dossier["documents"]] == [1, 2]


def test_a_retried_reception_returns_the_same_dossier(office: Office) -> None:
    body = reception(request_id="counter1-7f3a9c2e")
    first = office.counters[1].receive_dossier(1, body)
    again = office.counters[1].receive_dossier(1, body)
    assert again["code"] == first["code"] and again["replayed"] and not first["replayed"]
    with pytest.raises(HubError) as reused:
        office.counters[1].receive_dossier(
            1, reception("Trần Thị Mai", request_id=body["request_id"])
        )
    assert reused.value.status == 409 and "đã được dùng" in reused.value.message
    assert len(office.counters[1].search_dossiers(1, "nguyen van duc")) == 1


def test_two_counters_receiving_at_the_same_moment_get_different_codes(office: Office) -> None:
    per_counter = 8
    start = threading.Barrier(2)
    codes: dict[int, list[str]] = {1: [], 2: []}
    failures: list[BaseException] = []

    def work(number: int) -> None:
        client = office.counters[number]
        try:
            start.wait(timeout=30)
            for n in range(per_counter):
                body = reception(f"Người Nộp {'ABCDEFGH'[n]}", request_id=f"race-{number}-{n:06d}")
                codes[number].append(client.receive_dossier(number, body)["code"])
        except BaseException as error:  # re-raised in the test thread below
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    every = codes[1] + codes[2]
    assert len(every) == 2 * per_counter == len(set(every))
    # Per day of receipt the unit's sequence has no gap and no repeat (even across midnight).
    by_day: dict[str, list[int]] = defaultdict(list)
    for code in every:
        _, day, seq = code.rsplit("-", 2)
        by_day[day].append(int(seq))
    for seqs in by_day.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))


def test_steps_over_http_and_an_illegal_one_is_a_clear_409(office: Office) -> None:
    counter = office.counters[1]
    code = counter.receive_dossier(1, reception())["code"]
    moved = counter.dossier_step(1, code, "transfer", {"to_unit": "Công chức Tư pháp - Hộ tịch"})
    assert moved["dossier"]["status"] == "processing"
    asked = counter.dossier_step(
        1,
        code,
        "supplement-request",
        {"items": [{"name": "Giấy chứng sinh", "detail": "bản chính"}], "reason": "Thiếu"},
    )
    assert asked["dossier"]["status"] == "supplement_requested"
    assert asked["supplement"]["within_limit"] and asked["supplement"]["ordinal"] == 1
    with pytest.raises(HubError) as illegal:
        counter.dossier_step(1, code, "done")
    assert illegal.value.status == 409
    assert "Không thể chuyển hồ sơ" in illegal.value.message
    back = counter.dossier_step(1, code, "supplement-received")
    assert back["dossier"]["status"] == "processing"
    assert counter.dossier_step(1, code, "done")["dossier"]["status"] == "done"
    returned = counter.dossier_step(1, code, "return", {"received_by": "Nguyễn Văn Đức"})
    assert returned["dossier"]["status"] == "returned"
    with pytest.raises(HubError) as extended:
        counter.dossier_step(1, code, "extend", {"reason": "x", "new_due_date": "2026-12-01"})
    assert extended.value.status == 409 and "gia hạn" in extended.value.message
    file = counter.dossier_file(1, code)
    titles = [e["title"] for e in file["timeline"]]
    assert titles[0] == "Tiếp nhận" and titles[-1] == "Trả kết quả"
    assert len(file["transfers"]) == 1


def test_unknown_and_malformed_codes_and_bodies(office: Office) -> None:
    counter = office.counters[1]
    with pytest.raises(HubError) as unknown:
        counter.dossier_step(1, f"{UNIT}-260316-0042", "done")
    assert unknown.value.status == 404 and "Không tìm thấy hồ sơ" in unknown.value.message
    with pytest.raises(HubError) as malformed:
        counter.dossier_step(1, "not-a-code", "done")
    assert malformed.value.status == 422 and "Mã hồ sơ không đúng dạng" in malformed.value.message
    with pytest.raises(HubError) as empty:
        counter.supplement_at_counter(1, {"procedure_code": SAME_DAY, "applicant": {"name": "A"}})
    assert empty.value.status == 422
    with pytest.raises(HubError) as bad_id:
        counter.receive_dossier(1, reception(applicant={"name": "An", "citizen_id": "123"}))
    assert bad_id.value.status == 422 and "12 chữ số" in bad_id.value.message


def test_supplement_and_refusal_at_the_counter_are_recorded_against_the_ticket(
    office: Office,
) -> None:
    ticket = office.kiosk.issue("A")["ticket"]
    counter = office.counters[1]
    counter.call_next(1)
    applicant = {"name": "Lê Thị Hồng"}
    supplement = counter.supplement_at_counter(
        1,
        {
            "procedure_code": SAME_DAY,
            "applicant": applicant,
            "items": [{"name": "Giấy chứng sinh"}, {"name": "Tờ khai", "detail": "ký tên"}],
            "reason": "Chưa đủ thành phần hồ sơ",
            "ticket_id": ticket["id"],
        },
    )
    assert supplement["ticket_id"] == ticket["id"] and supplement["dossier_code"] is None
    assert supplement["counter_number"] == 1 and len(supplement["items"]) == 2
    refusal = counter.refuse_at_counter(
        1,
        {
            "procedure_code": SAME_DAY,
            "applicant": applicant,
            "reason": "Không thuộc thẩm quyền",
            "ticket_id": ticket["id"],
        },
    )
    assert refusal["status"] == "refused" and refusal["ticket_id"] == ticket["id"]


def test_the_kiosk_looks_up_a_dossier_with_the_name_masked(office: Office) -> None:
    code = office.counters[1].receive_dossier(1, reception())["code"]
    found = office.kiosk.lookup_dossier(code.lower().replace("-", " - "))
    assert found["code"] == code
    assert found["applicant_name"] == "N***** V** Đức"
    assert "0912345678" not in str(found) and "001099012345" not in str(found)
    with pytest.raises(HubError) as counter_lookup:
        office.counters[1].lookup_dossier(code)
    assert counter_lookup.value.status == 403
    with pytest.raises(HubError) as kiosk_receives:
        office.kiosk.receive_dossier(1, reception())
    assert kiosk_receives.value.status == 403


def test_guessing_codes_at_the_kiosk_is_rate_limited(office: Office) -> None:
    code = office.counters[1].receive_dossier(1, reception())["code"]
    day = code.rsplit("-", 2)[1]
    for n in range(10):
        with pytest.raises(HubError) as missed:
            office.kiosk.lookup_dossier(f"{UNIT}-{day}-{n + 100:04d}")
        assert missed.value.status == 404
    response = httpx.post(
        f"{office.hub.url}/api/lookup",
        json={"code": code},
        headers={"Authorization": f"Bearer {office.kiosk.token}"},
    )
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "thử lại sau" in response.json()["message"]


def test_a_rating_screen_rates_the_service_just_given(office: Office) -> None:
    rating_token = office.admin.add_device("Đánh giá quầy 1", "rating", 1)["token"]
    ticket = office.kiosk.issue("A")["ticket"]
    counter = office.counters[1]
    counter.call_next(1)
    dossier = counter.receive_dossier(1, reception(ticket_id=ticket["id"]))
    counter.finish(1, "received", dossier["code"])
    with HubClient(office.hub.url, rating_token) as screen:
        rating = screen.rate("very_satisfied", request_id="rating-00000001")
        assert rating["label"] == "Rất hài lòng"
        assert (rating["counter_number"], rating["staff"]) == (1, "lan")
        assert (rating["ticket_id"], rating["dossier_code"]) == (ticket["id"], dossier["code"])
        assert screen.rate("very_satisfied", request_id="rating-00000001")["id"] == rating["id"]
        with pytest.raises(HubError) as twice:
            screen.rate("unsatisfied")
        assert twice.value.status == 409
    with pytest.raises(HubError) as kiosk_rates:
        office.kiosk.rate("satisfied")
    assert kiosk_rates.value.status == 403


def test_work_lists_search_and_reads_are_audited(office: Office) -> None:
    counter = office.counters[2]
    code = counter.receive_dossier(2, reception(procedure_code=SAME_DAY))["code"]
    # The hub runs on the real clock: a same-day dossier is due today, overdue after the
    # appointment hour, or due on the next working day when received after the cut-off.
    listed = [
        d["code"]
        for kind in ("due_today", "overdue", "due_soon")
        for d in counter.worklist(2, kind, days=3)
    ]
    assert listed.count(code) == 1
    assert [d["code"] for d in counter.search_dossiers(2, "nguyễn văn đức")] == [code]
    counter.dossier_file(2, code)
    counter.record_dossier_print(2, code, "01", copies=2)
    with pytest.raises(HubError) as unknown_list:
        counter.worklist(2, "everything")
    assert unknown_list.value.status == 422
    actions = audit_actions(office)
    staff = "staff:minh@counter:2"
    assert (staff, "dossier.view", code) in actions
    assert (staff, "dossier.print", code) in actions
    assert any(a[:2] == (staff, "dossier.list") for a in actions)
    assert any(a[:2] == (staff, "dossier.search") for a in actions)
