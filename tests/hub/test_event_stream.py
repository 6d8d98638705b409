"""The WebSocket event stream with a real client: snapshot, live events, resume without gaps."""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any

import pytest
from hubproc import Office
from websockets.exceptions import InvalidStatus, WebSocketException
from websockets.sync.client import ClientConnection, connect


def receive(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv(timeout=timeout))
    return message


def events_until(ws: ClientConnection, kind: str) -> list[dict[str, Any]]:
    seen = []
    while True:
        message = receive(ws)
        assert message["type"] == "event"
        seen.append(message["event"])
        if message["event"]["kind"] == kind:
            return seen


def test_a_display_gets_a_snapshot_then_every_call(office: Office) -> None:
    office.kiosk.issue("A")
    with connect(office.display.events_url()) as ws:
        first = receive(ws)
        assert first["type"] == "snapshot"
        waiting = {g["group"]["prefix"]: g["waiting"] for g in first["snapshot"]["groups"]}
        assert waiting["A"] == 1
        office.counters[1].call_next(1)
        seen = events_until(ws, "ticket.called")
        called = seen[-1]
        assert called["ticket"]["display_number"] == "A001"
        assert called["counter_number"] == 1
        assert [e["id"] for e in seen] == sorted(e["id"] for e in seen)
        assert all(e["id"] > first["id"] for e in seen)


def test_events_carry_no_personal_data(office: Office) -> None:
    with connect(office.display.events_url()) as ws:
        receive(ws)
        office.kiosk.issue("A", citizen_id="001099012345")
        office.counters[1].call_next(1)
        office.counters[1].hold(1, note="Ông Nguyễn Văn Đức quên CCCD")
        events = events_until(ws, "ticket.held")
    text = json.dumps(events, ensure_ascii=False)
    assert "001099012345" not in text
    assert "Nguyễn" not in text


def test_a_reconnecting_display_resumes_without_missing_or_repeating(office: Office) -> None:
    for _ in range(4):
        office.kiosk.issue("A")
    with connect(office.display.events_url()) as ws:
        receive(ws)
        office.counters[1].call_next(1)
        last = events_until(ws, "ticket.called")[-1]["id"]
    # While the display is away, the room goes on.
    office.counters[1].finish(1, "guided")
    office.counters[1].call_next(1)
    office.counters[2].call_next(2)
    office.counters[1].recall(1)
    with connect(office.display.events_url(after=last)) as ws:
        replayed = events_until(ws, "ticket.recalled")
        office.counters[2].no_show(2)
        live = events_until(ws, "ticket.no_show")
    ids = [e["id"] for e in replayed + live]
    assert ids == list(range(last + 1, last + 1 + len(ids))), "a gap or a repeat in the stream"
    kinds = [e["kind"] for e in replayed]
    assert kinds == ["ticket.finished", "ticket.called", "ticket.called", "ticket.recalled"]


def test_the_stream_refuses_an_unknown_token(office: Office) -> None:
    url = office.display.events_url().replace(office.display.token, "wrong")
    with pytest.raises((InvalidStatus, WebSocketException)), connect(url) as ws:
        ws.recv(timeout=5)


def test_many_displays_see_the_same_calls(office: Office) -> None:
    office.kiosk.issue("B")
    with ExitStack() as stack:
        streams = [stack.enter_context(connect(office.display.events_url())) for _ in range(5)]
        for ws in streams:
            assert receive(ws)["type"] == "snapshot"
        office.counters[2].call_next(2)
        calls = [events_until(ws, "ticket.called")[-1] for ws in streams]
    assert {c["id"] for c in calls} == {calls[0]["id"]}
    assert calls[0]["ticket"]["display_number"] == "B001"
