"""The site's side of the sync with no network: marks, outbox counter, status, batches, backoff."""

from __future__ import annotations

import json
import random
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.clock import VN_TZ, FixedClock
from kiosk.domain.calendar import OverrideKind
from kiosk.paths import assets_dir
from kiosk.store import Store
from kiosk.store.tx import event_hash
from kiosk.sync import protocol
from kiosk.sync.client import (
    OutboxEvent,
    batch_for_body,
    parse_retry_after,
    push_body,
    read_secret,
    write_secret,
)
from kiosk.sync.errors import SyncRefused
from kiosk.sync.puller import parse_calendar_snapshot, parse_catalogue_snapshot
from kiosk.sync.state import adopt_mark, outbox_counter, pending_events, recorded_mark
from kiosk.sync.status import sync_status
from kiosk.sync.worker import backoff_delay


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 16, 8, 30, tzinfo=VN_TZ))


@pytest.fixture
def store(tmp_path: Path, clock: FixedClock) -> Iterator[Store]:
    with Store.open(tmp_path / "office.db", clock=clock) as opened:
        yield opened


def emit(store: Store, n: int, *, text: str = "Nguyễn Văn Đức") -> list[int]:
    with store.write("test", "emit") as tx:
        return [tx.emit("test.event", {"i": i, "name": text}) for i in range(n)]


def test_status_counts_unsent_events_from_the_oldest(store: Store, clock: FixedClock) -> None:
    assert sync_status(store).label == "đã đồng bộ"
    emit(store, 3)
    clock.advance(minutes=5)
    emit(store, 2)
    status = sync_status(store)
    assert not status.synced and status.pending == 5
    assert status.label == "chưa đồng bộ (5 sự kiện, từ 08:30 16/03/2026)"
    adopt_mark(store, 3)
    status = sync_status(store)
    assert status.label == "chưa đồng bộ (2 sự kiện, từ 08:35 16/03/2026)"
    assert status.state == "ok" and status.last_success_at == "2026-03-16T08:35:00+07:00"
    adopt_mark(store, 5)
    assert sync_status(store).synced


def test_a_server_mark_beyond_the_outbox_raises_the_counter_so_no_seq_is_reused(
    store: Store,
) -> None:
    # A site restored from an old backup: the server already holds seqs 1..10.
    assert emit(store, 3) == [1, 2, 3]
    adopted = adopt_mark(store, 10)
    assert adopted.raised_counter_to == 10
    assert outbox_counter(store) == 10
    assert emit(store, 2) == [11, 12]
    assert [e.seq for e in pending_events(store, recorded_mark(store), 100)] == [11, 12]


def test_a_server_mark_below_ours_means_resending_from_it(store: Store) -> None:
    # A server restored from an old backup: it lost seqs 5..8 that it had acknowledged.
    emit(store, 8)
    adopt_mark(store, 8)
    adopted = adopt_mark(store, 4)
    assert adopted.server_behind and adopted.raised_counter_to is None
    assert [e.seq for e in pending_events(store, recorded_mark(store), 100)] == [5, 6, 7, 8]
    assert sync_status(store).pending == 4


def test_push_body_carries_the_stored_payload_and_hash_verbatim(store: Store) -> None:
    emit(store, 2, text='Trần Thị Ánh "Tuyết" \\ ổ')
    events = pending_events(store, 0, 10)
    document = json.loads(push_body(store.site_id, events))
    assert document["site_id"] == store.site_id
    for sent in document["events"]:
        assert sent["hash"] == event_hash(sent["event_id"], sent["type"], sent["payload"])
    assert [e["seq"] for e in document["events"]] == [1, 2]


def test_a_batch_stops_at_the_event_count_and_body_size_limits(store: Store) -> None:
    small = [OutboxEvent(i, f"e{i}", "t", "{}", "h", "c") for i in range(1, 1001)]
    assert len(batch_for_body(small)) == protocol.MAX_BATCH_EVENTS
    big_payload = json.dumps({"x": "a" * 300_000})
    big = [OutboxEvent(i, f"e{i}", "t", big_payload, "h", "c") for i in range(1, 20)]
    batch = batch_for_body(big)
    assert 1 <= len(batch) < 19
    assert len(push_body("site", batch)) <= protocol.MAX_BODY_BYTES
    too_big = [OutboxEvent(1, "e", "t", json.dumps({"x": "a" * 2_100_000}), "h", "c")]
    assert batch_for_body(too_big) == []


def test_backoff_is_full_jitter_and_never_sooner_than_retry_after() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(attempt, None, base=1, cap=60, rng=rng) for attempt in range(12)]
    assert all(0 <= d <= min(60, 2**a) for a, d in enumerate(delays))
    assert len(set(delays)) == len(delays)  # jittered, not a fixed ladder
    assert all(backoff_delay(a, 30.0, base=1, cap=60, rng=rng) >= 30 for a in range(12))


def test_retry_after_is_read_as_seconds_or_an_http_date() -> None:
    assert parse_retry_after("7", now=0) == 7
    assert parse_retry_after(None, now=0) is None
    assert parse_retry_after("soon", now=0) is None
    at = datetime(2015, 10, 21, 7, 28, tzinfo=UTC).timestamp()
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=at - 7) == 7
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=at + 60) == 0


def test_the_site_secret_is_kept_readable_by_this_user_only(tmp_path: Path) -> None:
    assert read_secret(tmp_path) is None
    target = write_secret(tmp_path, "  s3cret-of-the-site-0123456789  ")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert read_secret(tmp_path) == "s3cret-of-the-site-0123456789"


def test_snapshots_are_read_bare_or_wrapped_and_refused_whole_when_wrong() -> None:
    catalogue = json.loads((assets_dir() / "catalogue" / "default.json").read_text("utf-8"))
    codes = [p["code"] for p in catalogue["procedures"]]
    wrapped = {"version": 3, "published_at": "2026-03-16T08:00:00+07:00", "catalogue": catalogue}
    assert [p.code for p in parse_catalogue_snapshot(wrapped).procedures] == codes
    assert [p.code for p in parse_catalogue_snapshot(catalogue).procedures] == codes
    with pytest.raises(SyncRefused):
        parse_catalogue_snapshot({"catalogue": {"fields": "nope"}})
    overrides = parse_calendar_snapshot(
        {"version": 1, "overrides": [{"day": "2026-08-22", "kind": "workday", "reason": "Làm bù"}]}
    )
    assert overrides[0].kind is OverrideKind.WORKDAY
    with pytest.raises(SyncRefused):
        parse_calendar_snapshot({"overrides": [{"day": "22/08/2026", "kind": "workday"}]})
