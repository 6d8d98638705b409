"""What the display board shows, kept from the hub's snapshot and events (no Qt here).

Numbers only, never names: the stream carries public ticket JSON (number, counter, status).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CALL_KINDS = frozenset({"ticket.called", "ticket.recalled"})
#: Events after which a ticket no longer occupies its counter.
LEAVE_KINDS = frozenset(
    {
        "ticket.finished",
        "ticket.no_show",
        "ticket.held",
        "ticket.transferred",
        "ticket.cancelled",
        "ticket.expired",
    }
)
LAST_CALLS = 6


@dataclass
class CounterRow:
    number: int
    name: str
    open: bool
    ticket_id: int | None = None
    serving: str = ""


@dataclass(frozen=True)
class Call:
    event_id: int
    number: str
    counter: int
    ticket_id: int
    #: How many times this ticket was called before (0 for a first call): the voice says
    #: "Mời lần thứ hai …" for a recall.
    recall: int = 0


@dataclass
class Board:
    counters: dict[int, CounterRow] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)  # newest first
    #: The hub's counters changed shape (configuration): take a fresh snapshot.
    needs_snapshot: bool = False

    @property
    def latest(self) -> Call | None:
        return self.calls[0] if self.calls else None

    def open_counters(self) -> list[CounterRow]:
        return [c for c in sorted(self.counters.values(), key=lambda c: c.number) if c.open]

    def apply_snapshot(self, snapshot: dict[str, Any]) -> None:
        self.needs_snapshot = False
        self.counters = {}
        for row in snapshot.get("counters", []):
            info = row["counter"]
            current = row.get("current")
            self.counters[int(info["number"])] = CounterRow(
                number=int(info["number"]),
                name=str(info.get("name", "")),
                open=bool(info.get("open", True)),
                ticket_id=None if current is None else int(current["id"]),
                serving="" if current is None else str(current["display_number"]),
            )
        self.calls = []
        for event in snapshot.get("last_calls", []):
            call = _call(event)
            if call is not None and all(c.ticket_id != call.ticket_id for c in self.calls):
                self.calls.append(call)
        self.calls = self.calls[:LAST_CALLS]

    def apply_event(self, event: dict[str, Any]) -> Call | None:
        """Apply one event; returns the call to announce when it is a call or a recall."""
        kind = str(event.get("kind", ""))
        counter_number = event.get("counter_number")
        ticket = event.get("ticket")
        if kind in ("counter.opened", "counter.closed") and counter_number is not None:
            row = self.counters.get(int(counter_number))
            if row is None:
                self.needs_snapshot = True
            else:
                row.open = kind == "counter.opened"
            return None
        if kind == "queue.configured":
            self.needs_snapshot = True
            return None
        if ticket is None:
            return None
        ticket_id = int(ticket["id"])
        if kind in CALL_KINDS:
            call = _call(event)
            if call is None:
                return None
            for row in self.counters.values():
                if row.ticket_id == ticket_id and row.number != call.counter:
                    row.ticket_id, row.serving = None, ""
            row = self.counters.get(call.counter)
            if row is None:
                self.needs_snapshot = True
            else:
                row.ticket_id, row.serving = ticket_id, call.number
            self.calls = [call, *(c for c in self.calls if c.ticket_id != ticket_id)][:LAST_CALLS]
            return call
        if kind in LEAVE_KINDS:
            for row in self.counters.values():
                if row.ticket_id == ticket_id:
                    row.ticket_id, row.serving = None, ""
        return None


def _call(event: dict[str, Any]) -> Call | None:
    ticket = event.get("ticket")
    counter = event.get("counter_number")
    if ticket is None or counter is None:
        return None
    recall = int(ticket.get("recalls") or 0) if event.get("kind") == "ticket.recalled" else 0
    return Call(
        int(event["id"]), str(ticket["display_number"]), int(counter), int(ticket["id"]), recall
    )
