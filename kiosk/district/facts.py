"""Folding pushed events into the facts the statistics read, inside the push transaction.

What a site sends is whatever its outbox holds (see `tx.emit(` across kiosk/): dossier
receptions and transitions, refusals, queue ticket steps, ratings, catalogue changes… Each
known type updates a fact row; every type, known or not, is counted per site and day, and
nothing unexpected in a payload stops a push (the event itself is already stored verbatim).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.clock import VN_TZ
from kiosk.district.storage import Conn
from kiosk.domain.lifecycle import classify
from kiosk.store.tx import to_iso
from kiosk.sync.protocol import Event


def local_moment(value: Any) -> datetime | None:
    """An ISO 8601 time from a payload, in Vietnam's time; None when absent or not a time."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


def local_day(value: Any) -> str | None:
    moment = local_moment(value)
    return None if moment is None else moment.date().isoformat()


def event_day(event: Event) -> str:
    """The day an event happened: its payload's own time, else when the site recorded it."""
    payload = event.payload
    for key in ("at", "received_at"):
        day = local_day(payload.get(key))
        if day is not None:
            return day
    return local_day(event.created_at) or event.created_at[:10]


@dataclass
class _Dossier:
    code: str
    procedure_code: str = ""
    status: str = ""
    received_day: str | None = None
    received_at: str | None = None
    due_at: str | None = None
    done_day: str | None = None
    done_at: str | None = None
    timeliness: str | None = None
    last_seq: int = 0

    def row(self, site_id: str) -> tuple[Any, ...]:
        return (
            site_id,
            self.code,
            self.procedure_code,
            self.status,
            self.received_day,
            self.received_at,
            self.due_at,
            self.done_day,
            self.done_at,
            self.timeliness,
            self.last_seq,
        )


_DOSSIER_COLUMNS = (
    "site_id, code, procedure_code, status, received_day, received_at, due_at, done_day, "
    "done_at, timeliness, last_seq"
)


def _dossier_code(event: Event) -> str | None:
    payload = event.payload
    code = payload.get("code")
    if isinstance(code, str) and code:
        return code
    number = payload.get("number")
    if event.type == "dossier.refused" and number is not None:
        # A refusal at the counter never becomes a dossier; its form 03 number stands for it.
        return f"refusal:{number}"
    return None


def _apply_dossier_event(fact: _Dossier, event: Event) -> None:
    payload = event.payload
    at = payload.get("at")
    status = payload.get("status_to") or payload.get("status")
    if isinstance(status, str) and status:
        fact.status = status
    procedure = payload.get("procedure_code")
    if isinstance(procedure, str) and procedure:
        fact.procedure_code = procedure
    if event.type in ("dossier.received", "dossier.refused"):
        received = payload.get("received_at") or at
        fact.received_at = received if isinstance(received, str) else None
        fact.received_day = local_day(received) or event_day(event)
    due = payload.get("due_at")
    if isinstance(due, str) and due:
        fact.due_at = due  # reception, extension and resumption after a supplement carry it
    if status == "done":
        moment = local_moment(at) or local_moment(event.created_at)
        fact.done_at = None if moment is None else to_iso(moment)
        fact.done_day = None if moment is None else moment.date().isoformat()
        timeliness = payload.get("timeliness")
        if isinstance(timeliness, str) and timeliness:
            fact.timeliness = timeliness
        else:
            due_moment = local_moment(fact.due_at)
            fact.timeliness = (
                None if moment is None or due_moment is None else classify(moment, due_moment).value
            )
    fact.last_seq = event.seq


def _fold_dossiers(conn: Conn, site_id: str, events: Sequence[Event]) -> None:
    touched: dict[str, list[Event]] = {}
    for event in events:
        if event.type.startswith("dossier."):
            code = _dossier_code(event)
            if code is not None:
                touched.setdefault(code, []).append(event)
    if not touched:
        return
    known = _load_dossiers(conn, site_id, list(touched))
    facts = []
    for code, mine in touched.items():
        fact = known.get(code) or _Dossier(code)
        for event in mine:
            _apply_dossier_event(fact, event)
        facts.append(fact.row(site_id))
    updates = ", ".join(f"{name} = excluded.{name}" for name in _DOSSIER_COLUMNS.split(", ")[2:])
    conn.executemany(
        f"INSERT INTO dossier_facts ({_DOSSIER_COLUMNS}) VALUES ({', '.join('?' * 11)}) "
        f"ON CONFLICT (site_id, code) DO UPDATE SET {updates}",
        facts,
    )


def _load_dossiers(conn: Conn, site_id: str, codes: list[str]) -> dict[str, _Dossier]:
    found: dict[str, _Dossier] = {}
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        condition, params = conn.in_list("code", chunk)
        rows = conn.all(
            f"SELECT {_DOSSIER_COLUMNS} FROM dossier_facts WHERE site_id = ? AND {condition}",
            (site_id, *params),
        )
        for row in rows:
            found[row[1]] = _Dossier(
                code=row[1],
                procedure_code=row[2],
                status=row[3],
                received_day=row[4],
                received_at=row[5],
                due_at=row[6],
                done_day=row[7],
                done_at=row[8],
                timeliness=row[9],
                last_seq=int(row[10]),
            )
    return found


def _seconds_between(start: Any, end: Any) -> int | None:
    first, second = local_moment(start), local_moment(end)
    if first is None or second is None:
        return None
    return max(0, int((second - first).total_seconds()))


def _fold_tickets(conn: Conn, site_id: str, events: Sequence[Event]) -> None:
    latest: dict[int, tuple[Event, dict[str, Any]]] = {}
    for event in events:
        if not event.type.startswith("ticket."):
            continue
        ticket = event.payload.get("ticket")
        if isinstance(ticket, dict) and isinstance(ticket.get("id"), int):
            latest[ticket["id"]] = (event, ticket)  # a ticket's latest state wins
    rows = []
    for ticket_id, (event, ticket) in latest.items():
        issued, called = ticket.get("issued_at"), ticket.get("first_called_at")
        day = ticket.get("service_day")
        rows.append(
            (
                site_id,
                ticket_id,
                day if isinstance(day, str) and day else event_day(event),
                issued if isinstance(issued, str) else None,
                called if isinstance(called, str) else None,
                _seconds_between(issued, called),
                str(ticket.get("status") or ""),
                event.seq,
            )
        )
    conn.executemany(
        "INSERT INTO ticket_facts (site_id, ticket_id, day, issued_at, first_called_at, "
        "wait_seconds, status, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (site_id, ticket_id) DO UPDATE SET day = excluded.day, "
        "issued_at = excluded.issued_at, "
        "first_called_at = coalesce(ticket_facts.first_called_at, excluded.first_called_at), "
        "wait_seconds = coalesce(ticket_facts.wait_seconds, excluded.wait_seconds), "
        "status = excluded.status, last_seq = excluded.last_seq",
        rows,
    )


def _fold_ratings(conn: Conn, site_id: str, events: Sequence[Event]) -> None:
    rows = []
    for event in events:
        if event.type != "rating.given":
            continue
        level = event.payload.get("level")
        counter = event.payload.get("counter_number")
        if isinstance(level, str) and level:
            rows.append(
                (
                    site_id,
                    event.seq,
                    event_day(event),
                    level,
                    counter if isinstance(counter, int) else None,
                )
            )
    conn.executemany(
        "INSERT INTO rating_facts (site_id, seq, day, level, counter_number) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )


def _count(conn: Conn, site_id: str, events: Iterable[Event]) -> None:
    counts = Counter((event_day(event), event.type) for event in events)
    conn.executemany(
        "INSERT INTO event_counts (site_id, day, type, n) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (site_id, day, type) DO UPDATE SET n = event_counts.n + excluded.n",
        [(site_id, day, kind, n) for (day, kind), n in sorted(counts.items())],
    )


def fold_events(conn: Conn, site_id: str, events: Sequence[Event]) -> None:
    """Update the statistics facts with new events (ordered by seq, never seen before)."""
    _fold_dossiers(conn, site_id, events)
    _fold_tickets(conn, site_id, events)
    _fold_ratings(conn, site_id, events)
    _count(conn, site_id, events)
