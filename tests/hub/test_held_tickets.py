"""A counter's tickets on hold over real HTTP: its own list with the note and the time of hold."""

from __future__ import annotations

from datetime import datetime

import pytest
from hubproc import Office

from kiosk.hub.client import HubError


def test_a_counter_lists_its_held_tickets_with_note_and_time(office: Office) -> None:
    first = office.kiosk.issue("A")["ticket"]
    second = office.kiosk.issue("A")["ticket"]
    one, two = office.counters[1], office.counters[2]
    one.call_next(1)
    one.hold(1, "Đi photo giấy khai sinh")
    two.call_next(2)
    two.hold(2)

    held = one.held(1)
    assert [t["id"] for t in held] == [first["id"]]
    assert held[0]["note"] == "Đi photo giấy khai sinh"
    assert held[0]["status"] == "on_hold"
    assert datetime.fromisoformat(held[0]["held_at"]).tzinfo is not None
    assert [t["id"] for t in two.held(2)] == [second["id"]]

    # Back to this counter: the list empties; a cancelled ticket leaves it too.
    one.call(1, first["id"])
    assert one.held(1) == []
    two.cancel(2, second["id"])
    assert two.held(2) == []


def test_a_counter_cannot_read_another_counters_held_list(office: Office) -> None:
    with pytest.raises(HubError) as info:
        office.counters[1].held(2)
    assert info.value.status == 403
