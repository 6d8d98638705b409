"""Push and mark against the real district server: each (site, seq) stored exactly once."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from district_harness import DistrictProcess, SiteClient, make_event, make_events, stored

from kiosk.district.storage import Database
from kiosk.sync import protocol


def hashes(events: list[protocol.Event]) -> list[tuple[int, str]]:
    return [(e.seq, e.hash) for e in events]


def test_a_new_site_has_mark_zero(site: SiteClient) -> None:
    assert site.mark() == 0


def test_batches_pushed_in_order_are_acknowledged_and_stored(
    site: SiteClient, db: Database
) -> None:
    events = make_events(1, 250)
    for start in range(0, 250, 100):
        response = site.push(events[start : start + 100])
        assert response.status_code == 200, response.text
        assert response.json() == {"acked": min(start + 100, 250)}
    assert site.mark() == 250
    assert stored(db, site.site_id) == hashes(events)


def test_a_duplicate_batch_gets_the_same_mark_and_stores_nothing_twice(
    site: SiteClient, db: Database
) -> None:
    events = make_events(1, 20)
    assert site.push(events).json() == {"acked": 20}
    again = site.push(events)
    assert again.status_code == 200 and again.json() == {"acked": 20}
    assert stored(db, site.site_id) == hashes(events)
    # An old batch resent after newer ones were stored answers the newer mark.
    newer = make_events(21, 30)
    assert site.push(newer).json() == {"acked": 30}
    assert site.push(events[:5]).json() == {"acked": 30}
    assert stored(db, site.site_id) == hashes(events + newer)


def test_an_overlapping_batch_stores_only_its_new_events(site: SiteClient, db: Database) -> None:
    events = make_events(1, 30)
    assert site.push(events[:20]).json() == {"acked": 20}
    assert site.push(events[10:30]).json() == {"acked": 30}
    assert stored(db, site.site_id) == hashes(events)


def test_the_same_seq_with_another_hash_is_a_conflict_and_nothing_is_stored(
    site: SiteClient, db: Database
) -> None:
    events = make_events(1, 10)
    site.push(events)
    other = [*events[5:8], make_event(9, "dossier.changed", code="X"), *make_events(10, 12)]
    response = site.push(other)
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "conflict" and body["seq"] == 9 and body["acked"] == 10
    assert body["message"] and isinstance(body["server_time"], int)
    assert stored(db, site.site_id) == hashes(events)  # 11 and 12 were not stored either
    with db.read() as conn:
        assert conn.all("SELECT site_id, seq, times FROM conflicts") == [(site.site_id, 9, 1)]


def test_a_gap_is_refused_with_the_mark_to_resend_from(site: SiteClient, db: Database) -> None:
    site.push(make_events(1, 5))
    response = site.push(make_events(8, 12))
    assert response.status_code == 409
    assert response.json()["error"] == "gap" and response.json()["acked"] == 5
    assert [seq for seq, _ in stored(db, site.site_id)] == [1, 2, 3, 4, 5]
    # The first push of a new site must start at seq 1 too.
    assert site.push(make_events(6, 7)).json() == {"acked": 7}


def test_an_empty_batch_answers_the_mark(site: SiteClient) -> None:
    site.push(make_events(1, 3))
    assert site.push([]).json() == {"acked": 3}


def test_the_same_batch_pushed_by_two_threads_at_once_is_stored_once(
    site: SiteClient, db: Database
) -> None:
    events = make_events(1, 400)
    batches = [events[i : i + 50] for i in range(0, 400, 50)]
    clients = [SiteClient(site.base_url, site.site_id, site.secret) for _ in range(4)]
    start = threading.Barrier(len(clients))

    def push_all(client: SiteClient) -> list[int]:
        start.wait()
        marks = []
        for batch in batches:
            response = client.push(batch)
            assert response.status_code == 200, response.text
            marks.append(response.json()["acked"])
        return marks

    try:
        with ThreadPoolExecutor(len(clients)) as pool:
            results = list(pool.map(push_all, clients))
    finally:
        for client in clients:
            client.close()
    for marks in results:
        assert marks == sorted(marks) and marks[-1] == 400
        assert all(mark >= batch[-1].seq for mark, batch in zip(marks, batches, strict=True))
    assert stored(db, site.site_id) == hashes(events)
    assert site.mark() == 400


def test_events_are_kept_verbatim_with_unicode_payloads(site: SiteClient, db: Database) -> None:
    event = make_event(1, "dossier.received", code="000.00.00.T01-260302-0001", ten="Nguyễn Đức")
    assert site.push([event]).json() == {"acked": 1}
    with db.read() as conn:
        row = conn.one("SELECT event_id, type, payload, hash, created_at FROM events")
    assert row is not None
    assert row[:2] == (event.event_id, event.type)
    assert json.loads(row[2]) == event.payload
    assert row[3:] == (event.hash, event.created_at)


def test_what_the_server_acknowledged_survives_a_sigkill(
    server: DistrictProcess, site: SiteClient, db: Database
) -> None:
    events = make_events(1, 120)
    assert site.push(events).json() == {"acked": 120}
    server.kill()
    server.start()
    assert site.mark() == 120
    more = make_events(121, 130)
    assert site.push(more).json() == {"acked": 130}
    assert stored(db, site.site_id) == hashes(events + more)


def test_health_answers_the_server_time_unsigned(server: DistrictProcess) -> None:
    body = httpx.get(f"{server.url}/api/health").json()
    assert body["ok"] is True and abs(body["server_time"] - time.time()) < 60
