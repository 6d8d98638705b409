"""Bad requests get a clear 4xx (Vietnamese message, server time) and store nothing."""

from __future__ import annotations

import json
import time

import httpx
from district_harness import SiteClient, make_event, make_events, stored

from kiosk.district.storage import Database
from kiosk.sync import protocol


def refused(response: httpx.Response, status: int, error: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    body: dict[str, object] = response.json()
    assert body["error"] == error
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["server_time"], int)
    return body


def nothing_stored(db: Database, site: SiteClient) -> None:
    assert stored(db, site.site_id) == []
    with db.read() as conn:
        assert conn.one("SELECT acked FROM sites WHERE site_id = ?", (site.site_id,)) == (0,)
        assert conn.all("SELECT * FROM event_counts") == []


def test_a_bad_signature_is_refused(site: SiteClient, db: Database) -> None:
    response = site.push(make_events(1, 3), secret="not-the-secret")
    refused(response, 401, "bad_signature")
    nothing_stored(db, site)


def test_a_tampered_body_is_refused(site: SiteClient, db: Database) -> None:
    body = site.push_body(make_events(1, 3))
    headers = protocol.signed_headers(
        site.site_id, site.secret, "POST", protocol.PUSH_PATH, body, now=time.time()
    )
    tampered = body.replace(b'"seq": 3', b'"seq": 4')
    response = site.http.post(site.base_url + protocol.PUSH_PATH, content=tampered, headers=headers)
    refused(response, 401, "bad_signature")
    nothing_stored(db, site)


def test_an_unknown_site_is_refused(site: SiteClient, db: Database) -> None:
    stranger = SiteClient(site.base_url, "xa-khong-co", site.secret)
    try:
        refused(stranger.push(make_events(1, 3)), 401, "unknown_site")
        refused(stranger.request("GET", protocol.MARK_PATH), 401, "unknown_site")
    finally:
        stranger.close()
    nothing_stored(db, site)


def test_missing_signature_headers_are_refused(site: SiteClient, db: Database) -> None:
    response = httpx.post(
        site.base_url + protocol.PUSH_PATH, content=site.push_body(make_events(1, 2))
    )
    refused(response, 401, "missing_signature")
    refused(httpx.get(site.base_url + protocol.CATALOGUE_PATH), 401, "missing_signature")
    nothing_stored(db, site)


def test_an_old_request_replayed_is_refused_with_the_server_time(
    site: SiteClient, db: Database
) -> None:
    an_hour_ago = time.time() - 3600
    body = refused(site.push(make_events(1, 3), now=an_hour_ago), 401, "clock_skew")
    assert abs(int(str(body["server_time"])) - time.time()) < 60
    # A site whose clock runs ahead is told the same way.
    refused(site.request("GET", protocol.MARK_PATH, now=time.time() + 3600), 401, "clock_skew")
    nothing_stored(db, site)


def test_a_request_within_the_allowed_skew_is_accepted(site: SiteClient) -> None:
    slightly_off = time.time() - protocol.MAX_SKEW_SECONDS + 30
    assert site.push(make_events(1, 2), now=slightly_off).json() == {"acked": 2}


def test_an_oversized_body_is_refused_before_parsing(site: SiteClient, db: Database) -> None:
    padding = "x" * 1000
    events = [make_event(seq, "test.big", pad=padding) for seq in range(1, 2_100)]
    body = site.push_body(events)
    assert len(body) > protocol.MAX_BODY_BYTES
    refused(site.request("POST", protocol.PUSH_PATH, body), 413, "too_large")
    nothing_stored(db, site)


def test_a_batch_with_too_many_events_is_refused(site: SiteClient, db: Database) -> None:
    events = make_events(1, protocol.MAX_BATCH_EVENTS + 1)
    refused(site.push(events), 413, "too_large")
    nothing_stored(db, site)


MALFORMED = [
    b"{not json",
    b"\xff\xfe",
    b"[]",
    b'{"site_id": "xa-tan-lap"}',
    b'{"site_id": "xa-tan-lap", "events": [1]}',
    b'{"site_id": "xa-tan-lap", "events": [{"seq": "1"}]}',
    b'{"site_id": "xa-tan-lap", "events": [{"seq": 1, "event_id": "e", "type": "t"}]}',
    b'{"site_id": "xa-tan-lap", "events": [{"seq": 1, "event_id": "e", "type": "t", '
    b'"payload": {"x": NaN}, "hash": "h", "created_at": "2026-03-02T09:00:00+07:00"}]}',
]


def test_malformed_json_is_refused(site: SiteClient, db: Database) -> None:
    for body in MALFORMED:
        refused(site.request("POST", protocol.PUSH_PATH, body), 422, "malformed")
    nothing_stored(db, site)


def test_a_batch_naming_another_site_is_refused(site: SiteClient, db: Database) -> None:
    document = {"site_id": "xa-khac", "events": [e.as_json() for e in make_events(1, 2)]}
    body = json.dumps(document).encode()
    refused(site.request("POST", protocol.PUSH_PATH, body), 422, "malformed")
    nothing_stored(db, site)


def test_a_batch_with_a_hole_is_refused(site: SiteClient, db: Database) -> None:
    events = [*make_events(1, 3), *make_events(5, 6)]
    refused(site.push(events), 422, "malformed")
    nothing_stored(db, site)


def test_an_event_whose_hash_does_not_match_is_refused_with_the_whole_batch(
    site: SiteClient, db: Database
) -> None:
    events = make_events(1, 5)
    wrong = events[3]
    events[3] = protocol.Event(
        wrong.seq, wrong.event_id, wrong.type, {"n": 999}, wrong.hash, wrong.created_at
    )
    body = refused(site.push(events), 422, "bad_hash")
    assert body["seq"] == 4
    nothing_stored(db, site)
