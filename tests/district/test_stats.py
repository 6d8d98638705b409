"""Statistics of what sites pushed: the API and the district officer's page show the numbers."""

from __future__ import annotations

from typing import Any

import httpx
from district_harness import DistrictProcess, SiteClient, make_event

from kiosk.clock import system_clock
from kiosk.district.sites import add_site
from kiosk.district.storage import Database
from kiosk.sync import protocol


def received(seq: int, code: str, day: str, due: str) -> protocol.Event:
    return make_event(
        seq,
        "dossier.received",
        status="received",
        code=code,
        unit_code="000.00.00.T01",
        procedure_code="1.001",
        received_at=f"{day}T08:30:00+07:00",
        due_at=due,
        channel="counter",
        return_channel="counter",
        sets=1,
        fee=0,
        register_year=2026,
        register_no=seq,
        created_by="lan",
    )


def transition(seq: int, code: str, event: str, to: str, at: str, **extra: Any) -> protocol.Event:
    return make_event(
        seq,
        f"dossier.{event}",
        code=code,
        unit_code="000.00.00.T01",
        procedure_code="1.001",
        event=event,
        status_from="processing",
        status_to=to,
        at=at,
        actor="lan",
        unit="Bộ phận Một cửa",
        channel="",
        **extra,
    )


def ticket(seq: int, kind: str, ticket_id: int, issued: str, called: str | None) -> protocol.Event:
    state = {
        "id": ticket_id,
        "display_number": f"A{ticket_id:03d}",
        "status": "called" if called else "waiting",
        "issued_at": issued,
        "first_called_at": called,
        "service_day": issued[:10],
    }
    return make_event(
        seq,
        kind,
        ticket_event_id=seq,
        at=called or issued,
        counter_number=1 if called else None,
        details={},
        ticket=state,
    )


def rating(seq: int, level: str, at: str) -> protocol.Event:
    return make_event(
        seq,
        "rating.given",
        level=level,
        at=at,
        counter_number=1,
        staff="lan",
        ticket_id=None,
        dossier_code=None,
        has_comment=False,
        unit_code="000.00.00.T01",
    )


def site_events() -> list[protocol.Event]:
    """Two days at one commune: 3 dossiers (one done on time, one late), a refusal,
    tickets waited 10 and 20 minutes, ratings, and an event type the server does not know."""
    events = [
        received(1, "D1", "2026-03-02", "2026-03-04T17:00:00+07:00"),
        received(2, "D2", "2026-03-02", "2026-03-03T17:00:00+07:00"),
        received(3, "D3", "2026-03-03", "2026-03-10T17:00:00+07:00"),
        make_event(
            4, "dossier.refused", number=1, status="refused", at="2026-03-03T09:00:00+07:00"
        ),
        transition(5, "D1", "done", "done", "2026-03-03T10:00:00+07:00", timeliness="early"),
        transition(6, "D2", "done", "done", "2026-03-04T10:00:00+07:00", timeliness="late"),
        transition(7, "D1", "return", "returned", "2026-03-03T15:00:00+07:00"),
        ticket(8, "ticket.issued", 1, "2026-03-02T08:00:00+07:00", None),
        ticket(9, "ticket.called", 1, "2026-03-02T08:00:00+07:00", "2026-03-02T08:10:00+07:00"),
        ticket(10, "ticket.issued", 2, "2026-03-02T08:05:00+07:00", None),
        ticket(11, "ticket.called", 2, "2026-03-02T08:05:00+07:00", "2026-03-02T08:25:00+07:00"),
        ticket(12, "ticket.issued", 3, "2026-03-03T08:00:00+07:00", None),
        rating(13, "very_satisfied", "2026-03-02T08:40:00+07:00"),
        rating(14, "satisfied", "2026-03-02T09:00:00+07:00"),
        rating(15, "unsatisfied", "2026-03-03T09:00:00+07:00"),
        make_event(16, "something.new", at="2026-03-03T09:30:00+07:00", whatever=[1, 2]),
        make_event(17, "catalogue.replaced", procedures=67, fields=12),
    ]
    return events


def test_stats_aggregate_what_the_sites_pushed(
    server: DistrictProcess, site: SiteClient, db: Database
) -> None:
    assert site.push(site_events()).json() == {"acked": 17}
    # A second site with one reception, to see per-site and total figures apart.
    other_secret = add_site(db, "phuong-2", now=system_clock(), name="UBND phường 2")
    other = SiteClient(server.url, "phuong-2", other_secret)
    try:
        assert other.push(
            [received(1, "P1", "2026-03-03", "2026-03-05T17:00:00+07:00")]
        ).json() == {"acked": 1}
    finally:
        other.close()

    stats = httpx.get(f"{server.url}/api/stats").json()
    sites = {s["site_id"]: s for s in stats["sites"]}
    mine = sites["xa-tan-lap"]
    assert mine["acked"] == 17 and mine["name"] == "UBND xã Tân Lập"
    assert mine["dossiers"] == {"returned": 1, "done": 1, "received": 1, "refused": 1}
    assert mine["on_time"] == {"early": 1, "late": 1}
    assert mine["on_time_rate"] == 0.5
    assert mine["waiting"]["tickets"] == 3 and mine["waiting"]["called"] == 2
    assert mine["waiting"]["average_seconds"] == 900
    assert mine["ratings"] == {"very_satisfied": 1, "satisfied": 1, "unsatisfied": 1}
    assert mine["satisfaction_rate"] == round(2 / 3, 4)
    assert sites["phuong-2"]["dossiers"] == {"received": 1}
    assert stats["totals"]["dossiers_total"] == 5 and stats["totals"]["acked"] == 18
    types = {t["type"]: t["n"] for t in stats["event_types"]}
    assert types["something.new"] == 1 and types["dossier.received"] == 4

    day = {(d["day"], d["site_id"]): d for d in stats["days"]}
    first = day[("2026-03-02", "xa-tan-lap")]
    assert first["received"] == 2 and first["tickets"] == 2 and first["average_wait_seconds"] == 900
    assert first["ratings"] == {"very_satisfied": 1, "satisfied": 1}
    assert day[("2026-03-04", "xa-tan-lap")]["done"] == 1

    one_day = httpx.get(
        f"{server.url}/api/stats", params={"from": "2026-03-03", "to": "2026-03-03"}
    )
    narrowed = {s["site_id"]: s for s in one_day.json()["sites"]}
    assert narrowed["xa-tan-lap"]["dossiers"] == {"received": 1, "refused": 1}
    assert narrowed["xa-tan-lap"]["on_time"] == {"early": 1}
    assert narrowed["xa-tan-lap"]["ratings"] == {"unsatisfied": 1}

    bad = httpx.get(f"{server.url}/api/stats", params={"from": "3/3/2026"})
    assert bad.status_code == 422 and bad.json()["error"] == "malformed"

    page = httpx.get(f"{server.url}/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "UBND xã Tân Lập" in html and "UBND phường 2" in html
    assert "Toàn huyện" in html and "50,0 %" in html and "15 phút" in html
    assert "Đã trả kết quả" in html and "something.new" in html
    assert ">18<" in html  # events received from both sites


def test_a_conflict_shows_on_the_page(server: DistrictProcess, site: SiteClient) -> None:
    site.push([make_event(1)])
    assert site.push([make_event(1, "other")]).status_code == 409
    html = httpx.get(f"{server.url}/").text
    assert "Xung đột cần đối soát" in html
