"""Events and the board: one event per change, resumable by id; snapshots; configuration."""

from __future__ import annotations

import json

import pytest

from kiosk.clock import FixedClock
from kiosk.queue import (
    Counter,
    Group,
    Outcome,
    QueueConfigError,
    QueueEngine,
    TicketStatus,
)
from kiosk.store import Store


def busy_morning(engine: QueueEngine, clock: FixedClock) -> None:
    for prefix in "AABAB":
        engine.issue(prefix, actor="kiosk")
        clock.advance(seconds=30)
    engine.call_next(1, actor="s1")
    engine.recall(1, actor="s1")
    engine.start_serving(1, actor="s1")
    engine.call_next(2, actor="s2")
    engine.no_show(2, actor="s2")
    engine.call_next(3, actor="s3")
    engine.hold(3, actor="s3")
    engine.finish(1, Outcome.GUIDED, actor="s1")


def test_every_change_writes_one_event_one_outbox_row_and_one_audit_row(
    engine: QueueEngine, store: Store, clock: FixedClock
) -> None:
    busy_morning(engine, clock)
    events = store.query("SELECT id, kind FROM ticket_events ORDER BY id")
    outbox = store.query("SELECT type, payload FROM outbox ORDER BY seq")
    assert [e["kind"] for e in events] == [o["type"] for o in outbox]
    assert [e["id"] for e in events] == [
        json.loads(o["payload"])["ticket_event_id"] for o in outbox
    ]
    assert [e["kind"] for e in events][1:] == ["ticket.issued"] * 5 + [
        "ticket.called",
        "ticket.recalled",
        "ticket.serving",
        "ticket.called",
        "ticket.no_show",
        "ticket.called",
        "ticket.held",
        "ticket.finished",
    ]
    audit = store.query("SELECT action FROM audit WHERE action LIKE 'queue.%' ORDER BY id")
    assert len(audit) == len(events)


def test_refused_step_writes_nothing(engine: QueueEngine, store: Store) -> None:
    before = store.query("SELECT count(*) AS n FROM ticket_events")
    with pytest.raises(QueueConfigError):
        engine.configure([Group("A", "X"), Group("a", "Y")], [], actor="a")
    engine.issue("A", actor="kiosk")
    engine.call_next(3, actor="s")
    counts = "SELECT (SELECT count(*) FROM ticket_events) AS e, (SELECT count(*) FROM outbox) AS o"
    middle = store.query(counts)
    with pytest.raises(Exception, match="Quầy 3 đang phục vụ"):
        engine.call_next(3, actor="s")
    assert store.query(counts) == middle
    assert before[0]["n"] + 2 == middle[0]["e"]


def test_events_since_returns_each_event_once_in_order(
    engine: QueueEngine, clock: FixedClock
) -> None:
    busy_morning(engine, clock)
    everything = engine.events_since(0)
    seen = []
    mark = 0
    while batch := engine.events_since(mark, limit=4):
        assert len(batch) <= 4
        seen.extend(batch)
        mark = batch[-1].id
    assert seen == everything
    assert [e.id for e in seen] == sorted({e.id for e in seen})
    assert engine.events_since(everything[-1].id) == []


def test_events_keep_the_ticket_as_it_was_then(engine: QueueEngine, clock: FixedClock) -> None:
    engine.issue("A", actor="kiosk")
    clock.advance(minutes=2)
    engine.call_next(3, actor="s")
    engine.start_serving(3, actor="s")
    issued, called, serving = engine.events_since(1)
    assert issued.ticket is not None and issued.ticket.status is TicketStatus.WAITING
    assert called.ticket is not None and called.ticket.status is TicketStatus.CALLED
    assert called.counter_number == 3 and called.at == clock.now
    assert serving.ticket is not None and serving.ticket.status is TicketStatus.SERVING


def test_event_json_has_numbers_and_times_but_no_note(engine: QueueEngine) -> None:
    engine.issue("A", actor="kiosk")
    engine.call_next(3, actor="s")
    engine.hold(3, note="Ông Trần Văn Bình, SĐT 0912345678", actor="s")
    data = engine.events_since(0)[-1].as_json()
    text = json.dumps(data, ensure_ascii=False)
    assert "Bình" not in text and "0912345678" not in text
    assert data["kind"] == "ticket.held"
    assert data["ticket"]["display_number"] == "A001"
    assert data["ticket"]["status"] == "on_hold"
    assert data["counter_number"] == 3


def test_snapshot_shows_groups_counters_and_last_calls(
    engine: QueueEngine, clock: FixedClock
) -> None:
    busy_morning(engine, clock)
    snap = engine.snapshot()
    assert snap.last_event_id == engine.events_since(0)[-1].id
    waiting = {g.group.prefix: g.waiting for g in snap.groups}
    assert waiting == {"A": 1, "B": 1, "C": 0}  # A003, B002
    current = {c.counter.number: c.current for c in snap.counters}
    assert current[1] is None and current[2] is None and current[3] is None
    assert [(e.kind, e.ticket.display_number) for e in snap.last_calls if e.ticket] == [
        ("ticket.called", "A002"),
        ("ticket.called", "B001"),
        ("ticket.recalled", "A001"),
        ("ticket.called", "A001"),
    ]
    assert json.loads(json.dumps(snap.as_json()))["last_event_id"] == snap.last_event_id
    clock.advance(days=1)
    assert engine.snapshot().last_calls == []


def test_configure_is_idempotent_and_retires_what_is_left_out(
    engine: QueueEngine, store: Store
) -> None:
    groups = [
        Group("A", "Hộ tịch", ("HT",)),
        Group("B", "Chứng thực", ("CT",)),
        Group("C", "Đất đai", ("DD",), number_width=4),
    ]
    counters = [
        Counter(1, "Quầy 1", groups=("A", "B")),
        Counter(2, "Quầy 2", groups=("B",)),
        Counter(3, "Quầy 3", groups=("A",)),
    ]
    assert engine.configure(groups, counters, actor="admin") is False
    assert engine.configure(groups[:2], [Counter(1, "Quầy 1", groups=("B", "A"))], actor="a")
    assert [g.prefix for g in engine.groups()] == ["A", "B"]
    (only,) = engine.counters()
    by_id = {g.id: g.prefix for g in engine.groups()}
    assert [by_id[i] for i in only.group_ids] == ["B", "A"]
    assert engine.events_since(0)[-1].kind == "queue.configured"
    with pytest.raises(QueueConfigError, match="không có trong cấu hình"):
        engine.configure(groups, [Counter(4, "Quầy 4", groups=("Z",))], actor="a")
    with pytest.raises(QueueConfigError, match="trùng số"):
        engine.configure(
            groups, [Counter(4, "", groups=("A",)), Counter(4, "", groups=())], actor="a"
        )


def test_an_announcement_reaches_the_stream_with_its_details_and_ticket_notes_do_not(
    engine: QueueEngine, store: Store
) -> None:
    before = engine.snapshot().last_event_id
    ticket = engine.issue("A", actor="kiosk")
    engine.call_next(1, actor="s1")
    engine.hold(1, actor="s1", note="Chờ bản sao giấy khai sinh của ông Nguyễn Văn A")
    with store.write("admin", "office.update", target="office") as tx:
        engine.announce(tx, "office.changed", {"office_name": "UBND phường Mới"})
    events = engine.events_since(before)
    assert [e.kind for e in events] == [
        "ticket.issued",
        "ticket.called",
        "ticket.held",
        "office.changed",
    ]
    streamed = [e.as_json() for e in events]
    assert streamed[-1]["details"] == {"office_name": "UBND phường Mới"}
    assert streamed[-1]["ticket"] is None
    # A held ticket's staff note is in its row's details but never on the public stream.
    assert all("details" not in e for e in streamed[:-1])
    assert "Nguyễn" not in json.dumps(streamed, ensure_ascii=False)
    assert streamed[0]["ticket"]["id"] == ticket.ticket.id
