"""The citizens' lookup at the kiosk: plain words, a masked name, helpful errors, rate limit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from dossier_support import CLERK, THREE_DAYS, UNIT, at

from kiosk.clock import FixedClock
from kiosk.domain.errors import ValidationError
from kiosk.dossiers import Dossier, DossierService, LookupNotFound, LookupRateLimited
from kiosk.dossiers.lookup import MAX_FAILURES


def test_lookup_shows_status_procedure_due_date_and_a_masked_name(
    receive: Callable[..., Dossier], service: DossierService
) -> None:
    dossier = receive(THREE_DAYS)
    found = service.lookup(dossier.code, device="device:7")
    shown = found.as_json()
    assert shown["applicant_name"] == "N***** V** Đức"
    assert shown["status_text"].startswith("Hồ sơ đã được tiếp nhận")
    assert shown["procedure_name"] == dossier.row.procedure_name
    assert shown["due_at"] == "2026-03-19T16:00:00+07:00"
    assert "UBND phường Thử" in shown["where_to_collect"]
    for personal in ("001099012345", "0912345678", "duc@example.com", "Lê Lợi", "Nguyễn"):
        assert personal not in str(shown)


def test_lookup_accepts_a_scanned_or_carelessly_typed_code(
    receive: Callable[..., Dossier], service: DossierService
) -> None:
    code = receive().code
    assert service.lookup(f"  {code.lower()}\n", device="d").code == code


def test_status_words_follow_the_dossier(
    receive: Callable[..., Dossier], service: DossierService, clock: FixedClock
) -> None:
    code = receive().code
    service.done(code, actor=CLERK)
    ready = service.lookup(code, device="d")
    assert ready.result_ready and "sớm hơn ngày hẹn" in ready.status_text
    clock.now = at(2026, 3, 17, 9, 0)
    service.return_result(code, actor=CLERK)
    assert service.lookup(code, device="d").status_text == "Đã trả kết quả ngày 17/03/2026."


def test_wrong_codes_get_a_helpful_message(
    receive: Callable[..., Dossier], service: DossierService
) -> None:
    receive()
    with pytest.raises(ValidationError, match=r"Mã hồ sơ không đúng dạng.*Giấy tiếp nhận"):
        service.lookup("12345", device="d")
    with pytest.raises(LookupNotFound, match="kiểm tra lại từng chữ số"):
        service.lookup(f"{UNIT}-260316-0002", device="d")
    with pytest.raises(LookupNotFound, match="cơ quan khác"):
        service.lookup("000.00.99.H99-260316-0001", device="d")
    with pytest.raises(LookupNotFound, match="tương lai"):
        service.lookup(f"{UNIT}-261231-0001", device="d")


def test_repeated_guessing_is_rate_limited_per_device(
    receive: Callable[..., Dossier], service: DossierService, clock: FixedClock
) -> None:
    code = receive().code
    for n in range(MAX_FAILURES):
        with pytest.raises(LookupNotFound) as missed:
            service.lookup(f"{UNIT}-260316-{n + 10:04d}", device="kiosk-1")
    assert "Đã hết số lần thử" in missed.value.message
    with pytest.raises(LookupRateLimited) as limited:
        service.lookup(code, device="kiosk-1")  # even a right code, until the window passes
    assert limited.value.retry_after_seconds > 0 and "thử lại sau" in limited.value.message
    assert service.lookup(code, device="kiosk-2").code == code  # another device is not blocked
    clock.advance(minutes=5, seconds=1)
    assert service.lookup(code, device="kiosk-1").code == code
