"""Print jobs: pending → sent | failed with reason; bytes kept; retry and reprint."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.clock import VN_TZ, FixedClock
from kiosk.printing import jobs
from kiosk.printing.errors import PrintJobError
from kiosk.printing.thermal.fakeprinter import PAPER_OUT, FakePrinter
from kiosk.store import Store

JOB = b"\x1b@" + b"\x1dv0\x00\x01\x00\x02\x00\xff\x81" + b"\x1bd\x06\x1dV\x00"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    clock = FixedClock(datetime(2026, 3, 16, 8, 30, tzinfo=VN_TZ))
    with Store.open(tmp_path / "office.db", clock=clock) as opened:
        yield opened


def test_submit_keeps_the_bytes_as_a_pending_job(store: Store) -> None:
    job_id = jobs.submit(store, "ticket", "tcp://10.0.0.9:9100", JOB)
    job = jobs.get_job(store, job_id)
    assert (job.status, job.attempts, job.size) == ("pending", 0, len(JOB))
    assert jobs.job_payload(store, job_id) == JOB
    audit = store.query("SELECT action, target FROM audit ORDER BY id DESC LIMIT 1")
    assert audit == [{"action": "print.submit", "target": f"print_job:{job_id}"}]


def test_a_printed_job_is_marked_sent(store: Store) -> None:
    with FakePrinter() as printer:
        job = jobs.print_job(store, "ticket", printer.uri, JOB, actor="kiosk1")
    assert (job.status, job.reason, job.attempts) == ("sent", "", 1)
    assert printer.received == JOB
    assert jobs.failed_jobs(store) == []


def test_paper_out_fails_the_job_with_a_reason_and_a_retry_later_prints_it(store: Store) -> None:
    with FakePrinter(PAPER_OUT) as printer:
        failed = jobs.print_job(store, "receipt", printer.uri, JOB)
    assert failed.status == "failed"
    assert "hết giấy" in failed.reason
    assert [j.id for j in jobs.failed_jobs(store)] == [failed.id]
    assert jobs.job_payload(store, failed.id) == JOB

    with FakePrinter() as fixed:
        retried = jobs.retry(store, failed.id, device=fixed.uri)
    assert (retried.status, retried.reason, retried.attempts) == ("sent", "", 2)
    assert retried.device == fixed.uri
    assert fixed.received == JOB
    assert jobs.failed_jobs(store) == []


def test_unreachable_printer_fails_the_job_and_loses_nothing(store: Store) -> None:
    job = jobs.print_job(store, "ticket", "tcp://127.0.0.1:1?timeout=0.5", JOB)
    assert job.status == "failed"
    assert "Không kết nối được máy in" in job.reason
    assert jobs.job_payload(store, job.id) == JOB


def test_disconnect_mid_job_fails_it_then_retry_on_the_same_printer_succeeds(
    store: Store,
) -> None:
    big = JOB[:-6] + b"\x1dv0\x00\x48\x00\x00\x04" + bytes(72 * 1024) + JOB[-6:]
    with FakePrinter(hang_up_after=4096) as flaky:
        job = jobs.print_job(store, "ticket", flaky.uri, big)
        assert job.status == "failed"
        assert "Mất kết nối" in job.reason
        flaky.hang_up_after = None
        again = jobs.retry(store, job.id)
    assert again.status == "sent"
    assert flaky.jobs[-1] == big


def test_a_sent_job_can_be_reprinted(store: Store) -> None:
    with FakePrinter() as printer:
        job = jobs.print_job(store, "ticket", printer.uri, JOB)
        jobs.retry(store, job.id)
    assert printer.jobs == [JOB, JOB]
    assert jobs.get_job(store, job.id).attempts == 2


def test_unknown_job_is_a_clear_error(store: Store) -> None:
    with pytest.raises(PrintJobError, match="Không tìm thấy lệnh in số 99"):
        jobs.retry(store, 99)
    with pytest.raises(PrintJobError):
        jobs.mark_failed(store, 99, "x")
