"""The queue in the store: every SQL statement on tickets, service groups and counters.

The queue engine (`kiosk.queue`) decides; this module only reads and writes rows. Rows are read
by column name (`sqlite3.Row`) into the values of `kiosk.domain.tickets`, never by position.

Ticket statuses come from `TicketStatus`, never as literals in the SQL text. Where a partial
index must serve the query (`tickets_waiting`, `tickets_waiting_assigned`, `tickets_open`,
`tickets_one_per_counter` in migration 0002) the status is written into the SQL from the enum,
because SQLite uses a partial index only when the query's WHERE names the index's values as
literals, in the same order; elsewhere it is a bound parameter.

Reads take a `Reader` (the store's connection, or the open `WriteTx` to read inside a write);
writes take the `WriteTx` of the caller's `store.write(...)`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, Protocol

from kiosk.domain.tickets import (
    OPEN_STATUSES,
    CounterInfo,
    Outcome,
    PriorityCategory,
    QueueEvent,
    ServiceGroup,
    Ticket,
    TicketStatus,
)
from kiosk.store.tx import WriteTx, canonical_json


class Reader(Protocol):
    """Anything that runs one SQL statement: `sqlite3.Connection` or `WriteTx`."""

    def execute(self, sql: str, params: Any = (), /) -> sqlite3.Cursor: ...


def _sql_list(statuses: Iterable[TicketStatus]) -> str:
    return "(" + ", ".join(f"'{status.value}'" for status in statuses) + ")"


_S = TicketStatus
#: SQL text made from the enum, written as the partial indexes of migration 0002 write them.
WAITING_SQL: Final = f"status = '{_S.WAITING.value}'"
OPEN_SQL: Final = f"status IN {_sql_list(OPEN_STATUSES)}"
AT_COUNTER_SQL: Final = f"status IN {_sql_list((_S.CALLED, _S.SERVING))}"

_TICKET_COLUMNS: Final = (
    "id, display_number, prefix, number, group_id, status, priority, issued_at, called_at, "
    "serving_at, finished_at, counter_number, recalls, outcome, note, return_to_counter, "
    "service_day, first_called_at, assigned_counter"
)
_GROUP_COLUMNS: Final = "id, prefix, name, fields, number_width"
_EVENT_COLUMNS: Final = "id, kind, at, counter_number, ticket_state, details"


def _rows(cursor: sqlite3.Cursor) -> list[sqlite3.Row]:
    cursor.row_factory = sqlite3.Row
    return cursor.fetchall()


def _row(cursor: sqlite3.Cursor) -> sqlite3.Row | None:
    cursor.row_factory = sqlite3.Row
    row: sqlite3.Row | None = cursor.fetchone()
    return row


def _one(cursor: sqlite3.Cursor) -> sqlite3.Row:
    """The one row a statement always returns (an aggregate, a RETURNING clause)."""
    row = _row(cursor)
    assert row is not None
    return row


def _moment(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def _stored(value: Any) -> Any:
    """An enum as its stored text; anything else as it is."""
    return value.value if isinstance(value, Enum) else value


# -- reading transactions ----------------------------------------------------------------------


@contextmanager
def reading(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Several reads that see one state of the database (one deferred read transaction);
    inside another component's write on this thread, simply read inside that write."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


# -- service groups and counters -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CounterRow:
    """A counter with its row id (the link of `counter_groups`)."""

    id: int
    info: CounterInfo


def _group(row: sqlite3.Row) -> ServiceGroup:
    return ServiceGroup(
        id=int(row["id"]),
        prefix=str(row["prefix"]),
        name=str(row["name"]),
        fields=tuple(json.loads(row["fields"])),
        number_width=int(row["number_width"]),
    )


def active_groups(db: Reader) -> list[ServiceGroup]:
    """The configured groups, in configuration order."""
    cursor = db.execute(
        f"SELECT {_GROUP_COLUMNS} FROM service_groups WHERE active = 1 ORDER BY position, id"
    )
    return [_group(row) for row in _rows(cursor)]


def active_group(db: Reader, prefix: str) -> ServiceGroup | None:
    """The configured group with this (checked) prefix."""
    cursor = db.execute(
        f"SELECT {_GROUP_COLUMNS} FROM service_groups WHERE prefix = ? AND active = 1", (prefix,)
    )
    row = _row(cursor)
    return None if row is None else _group(row)


def active_counters(db: Reader, number: int | None = None) -> list[CounterRow]:
    """The configured counters by number (all, or the one with `number`), each with its
    groups in the order it serves them."""
    cursor = db.execute(
        "SELECT c.id, c.number, c.name, c.is_open, "
        "(SELECT json_group_array(group_id) FROM "
        " (SELECT group_id FROM counter_groups WHERE counter_id = c.id ORDER BY position))"
        " AS group_ids "
        "FROM counters AS c WHERE c.active = 1 AND (? IS NULL OR c.number = ?) "
        "ORDER BY c.number",
        (number, number),
    )
    return [
        CounterRow(
            int(row["id"]),
            CounterInfo(
                int(row["number"]),
                str(row["name"]),
                tuple(json.loads(row["group_ids"])),
                bool(row["is_open"]),
            ),
        )
        for row in _rows(cursor)
    ]


def open_counters_serving(db: Reader, group_id: int) -> int:
    """How many open counters serve the group (the waiting-time estimate divides by it)."""
    cursor = db.execute(
        "SELECT count(*) AS n FROM counters AS c JOIN counter_groups AS cg ON cg.counter_id = c.id "
        "WHERE cg.group_id = ? AND c.active = 1 AND c.is_open = 1",
        (group_id,),
    )
    return int(_one(cursor)["n"])


def retire_all(tx: WriteTx) -> None:
    """Mark every group and counter retired; `save_group`/`save_counter` bring back the ones
    still configured (retired rows stay: old tickets point to them)."""
    tx.execute("UPDATE service_groups SET active = 0")
    tx.execute("UPDATE counters SET active = 0")


def save_group(
    tx: WriteTx, prefix: str, name: str, fields: Sequence[str], number_width: int, position: int
) -> int:
    """Insert or update (by prefix) an active group; returns its id."""
    cursor = tx.execute(
        "INSERT INTO service_groups (prefix, name, fields, number_width, position, active)"
        " VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (prefix) DO UPDATE SET"
        " name = excluded.name, fields = excluded.fields, number_width = excluded.number_width,"
        " position = excluded.position, active = 1 RETURNING id",
        (prefix, name, canonical_json(list(fields)), number_width, position),
    )
    return int(_one(cursor)["id"])


def save_counter(
    tx: WriteTx, number: int, name: str, is_open: bool, group_ids: Sequence[int]
) -> None:
    """Insert or update (by number) an active counter serving `group_ids` in that order."""
    cursor = tx.execute(
        "INSERT INTO counters (number, name, active, is_open) VALUES (?, ?, 1, ?) "
        "ON CONFLICT (number) DO UPDATE SET name = excluded.name, active = 1, "
        "is_open = excluded.is_open RETURNING id",
        (number, name, int(is_open)),
    )
    counter_id = int(_one(cursor)["id"])
    tx.execute("DELETE FROM counter_groups WHERE counter_id = ?", (counter_id,))
    tx.executemany(
        "INSERT INTO counter_groups (counter_id, position, group_id) VALUES (?, ?, ?)",
        [(counter_id, position, group_id) for position, group_id in enumerate(group_ids)],
    )


def set_counter_open(tx: WriteTx, counter_id: int, is_open: bool) -> None:
    tx.execute("UPDATE counters SET is_open = ? WHERE id = ?", (int(is_open), counter_id))


# -- tickets -------------------------------------------------------------------------------------


def _ticket(row: sqlite3.Row) -> Ticket:
    issued = _moment(row["issued_at"])
    assert issued is not None
    return Ticket(
        id=int(row["id"]),
        display_number=str(row["display_number"]),
        prefix=str(row["prefix"]),
        number=int(row["number"]),
        group_id=int(row["group_id"]),
        status=TicketStatus(row["status"]),
        priority=PriorityCategory(row["priority"]) if row["priority"] else None,
        issued_at=issued,
        called_at=_moment(row["called_at"]),
        serving_at=_moment(row["serving_at"]),
        finished_at=_moment(row["finished_at"]),
        counter_number=row["counter_number"],
        recalls=int(row["recalls"]),
        outcome=None if row["outcome"] is None else Outcome(row["outcome"]),
        note=str(row["note"]),
        return_to_counter=row["return_to_counter"],
        service_day=date.fromisoformat(str(row["service_day"])),
        first_called_at=_moment(row["first_called_at"]),
        assigned_counter=row["assigned_counter"],
    )


def insert_ticket(
    tx: WriteTx,
    group: ServiceGroup,
    number: int,
    display_number: str,
    day: date,
    priority: PriorityCategory | None,
) -> int:
    """A new waiting ticket of `group`; returns its id."""
    return tx.insert(
        "tickets",
        {
            "group_id": group.id,
            "prefix": group.prefix,
            "number": number,
            "display_number": display_number,
            "service_day": day.isoformat(),
            "status": TicketStatus.WAITING.value,
            "priority": "" if priority is None else PriorityCategory(priority).value,
            "issued_at": tx.now_iso,
            "updated_at": tx.now_iso,
        },
    )


def load_ticket(db: Reader, ticket_id: int) -> Ticket | None:
    cursor = db.execute(f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,))
    row = _row(cursor)
    return None if row is None else _ticket(row)


def update_ticket(tx: WriteTx, ticket_id: int, **columns: Any) -> None:
    """Set these columns (names from code, enums stored as their text) and `updated_at`."""
    assignments = ", ".join(f"{name} = ?" for name in columns)
    tx.execute(
        f"UPDATE tickets SET {assignments}, updated_at = ? WHERE id = ?",
        (*(_stored(value) for value in columns.values()), tx.now_iso, ticket_id),
    )


def claim_ticket(
    tx: WriteTx, ticket_id: int, counter_number: int, callable_from: Iterable[TicketStatus]
) -> bool:
    """Make the ticket `called` at the counter if its status is one of `callable_from`
    (a fresh call: no serving, no outcome, no recalls); False when it is not."""
    allowed = sorted(status.value for status in callable_from)
    marks = ", ".join("?" for _ in allowed)
    cursor = tx.execute(
        "UPDATE tickets SET status = ?, counter_number = ?, called_at = ?, "
        "first_called_at = coalesce(first_called_at, ?), serving_at = NULL, "
        "finished_at = NULL, outcome = NULL, recalls = 0, assigned_counter = NULL, "
        f"updated_at = ? WHERE id = ? AND status IN ({marks})",
        (
            TicketStatus.CALLED.value,
            counter_number,
            tx.now_iso,
            tx.now_iso,
            tx.now_iso,
            ticket_id,
            *allowed,
        ),
    )
    return cursor.rowcount == 1


def open_tickets_before(db: Reader, day: date) -> list[Ticket]:
    """Tickets of days before `day` still open, oldest first (the day roll-over closes them)."""
    # INDEXED BY: without statistics the planner prefers tickets_by_day_status, whose range
    # over past days grows with the history; the partial index holds only open tickets.
    cursor = db.execute(
        f"SELECT {_TICKET_COLUMNS} FROM tickets INDEXED BY tickets_open "
        f"WHERE {OPEN_SQL} AND service_day < ? ORDER BY id",
        (day.isoformat(),),
    )
    return [_ticket(row) for row in _rows(cursor)]


def at_counter(db: Reader, counter_number: int, day: date) -> Ticket | None:
    """The ticket called or served at the counter on `day`, if any (at most one: the unique
    index `tickets_one_per_counter`)."""
    cursor = db.execute(
        f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE counter_number = ? "
        f"AND {AT_COUNTER_SQL} AND service_day = ?",
        (counter_number, day.isoformat()),
    )
    row = _row(cursor)
    return None if row is None else _ticket(row)


def first_sent_to(db: Reader, counter_number: int, day: date) -> int | None:
    """The oldest waiting ticket sent to this very counter (transfer, come-back)."""
    cursor = db.execute(
        f"SELECT id FROM tickets WHERE {WAITING_SQL} AND assigned_counter = ? "
        "AND service_day = ? ORDER BY id LIMIT 1",
        (counter_number, day.isoformat()),
    )
    row = _row(cursor)
    return None if row is None else int(row["id"])


def first_waiting(db: Reader, group_id: int, day: date, *, priority: bool) -> int | None:
    """The oldest waiting ticket of the group's own line (not sent to a counter), of the
    priority or of the regular kind."""
    kind = "priority > ''" if priority else "priority = ''"
    cursor = db.execute(
        f"SELECT id FROM tickets WHERE {WAITING_SQL} AND service_day = ? AND group_id = ? "
        f"AND {kind} AND assigned_counter IS NULL ORDER BY id LIMIT 1",
        (day.isoformat(), group_id),
    )
    row = _row(cursor)
    return None if row is None else int(row["id"])


def count_waiting(db: Reader, group_id: int, day: date, *, before_id: int | None = None) -> int:
    """Waiting tickets of the group on `day` (only those issued before `before_id`)."""
    sql = f"SELECT count(*) AS n FROM tickets WHERE {WAITING_SQL} AND service_day = ? "
    sql += "AND group_id = ?"
    if before_id is None:
        return int(_one(db.execute(sql, (day.isoformat(), group_id)))["n"])
    cursor = db.execute(f"{sql} AND id < ?", (day.isoformat(), group_id, before_id))
    return int(_one(cursor)["n"])


def open_in_group(db: Reader, prefix: str, day: date) -> int:
    """Tickets of `day` still open (waiting, called, serving, on hold) in the group `prefix`."""
    cursor = db.execute(
        "SELECT count(*) AS n FROM tickets AS t JOIN service_groups AS g ON g.id = t.group_id "
        f"WHERE g.prefix = ? AND t.service_day = ? AND t.{OPEN_SQL}",
        (prefix, day.isoformat()),
    )
    return int(_one(cursor)["n"])


def open_at_counter(db: Reader, counter_number: int, day: date) -> int:
    """Tickets of `day` still open that belong to the counter: called or served there, held
    there, or sent to wait for it."""
    cursor = db.execute(
        f"SELECT count(*) AS n FROM tickets WHERE service_day = ? AND {OPEN_SQL} "
        "AND (counter_number = ? OR assigned_counter = ? OR return_to_counter = ?)",
        (day.isoformat(), counter_number, counter_number, counter_number),
    )
    return int(_one(cursor)["n"])


def waiting_on(db: Reader, day: date) -> list[Ticket]:
    """Every waiting ticket of `day`, in issue order."""
    cursor = db.execute(
        f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE {WAITING_SQL} AND service_day = ? "
        "ORDER BY id",
        (day.isoformat(),),
    )
    return [_ticket(row) for row in _rows(cursor)]


def held_on(db: Reader, day: date, counter_number: int | None = None) -> list[Ticket]:
    """The tickets on hold on `day` (all, or those held at the counter), in issue order."""
    cursor = db.execute(
        f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE status = ? "
        "AND service_day = ? AND (? IS NULL OR counter_number = ?) ORDER BY id",
        (TicketStatus.ON_HOLD.value, day.isoformat(), counter_number, counter_number),
    )
    return [_ticket(row) for row in _rows(cursor)]


def held_since(db: Reader, day: date, counter_number: int) -> list[tuple[Ticket, datetime]]:
    """The tickets on hold at the counter on `day`, each with its last update (the hold),
    longest held first."""
    cursor = db.execute(
        f"SELECT {_TICKET_COLUMNS}, updated_at FROM tickets WHERE status = ? "
        "AND service_day = ? AND counter_number = ? ORDER BY updated_at, id",
        (TicketStatus.ON_HOLD.value, day.isoformat(), counter_number),
    )
    return [(_ticket(row), datetime.fromisoformat(str(row["updated_at"]))) for row in _rows(cursor)]


def return_group(db: Reader, ticket_id: int) -> int | None:
    """The group a "come back" ticket returns to, if one was kept."""
    row = _row(db.execute("SELECT return_group_id FROM tickets WHERE id = ?", (ticket_id,)))
    return None if row is None or row["return_group_id"] is None else int(row["return_group_id"])


# -- priority streaks, services, the daily limit ------------------------------------------------


def streak(db: Reader, group_id: int, day: date) -> int | None:
    """Regular calls of the group since its last priority call on `day` (see
    `kiosk.queue.priority`); None before its first priority call."""
    row = _row(
        db.execute(
            "SELECT regular_calls FROM priority_streaks WHERE group_id = ? AND service_day = ?",
            (group_id, day.isoformat()),
        )
    )
    return None if row is None else int(row["regular_calls"])


def set_streak(tx: WriteTx, group_id: int, day: date, regular_calls: int) -> None:
    tx.execute(
        "INSERT INTO priority_streaks (group_id, service_day, regular_calls) VALUES (?, ?, ?) "
        "ON CONFLICT (group_id, service_day) DO UPDATE SET regular_calls = excluded.regular_calls",
        (group_id, day.isoformat(), regular_calls),
    )


def record_service(
    tx: WriteTx,
    ticket: Ticket,
    counter_number: int,
    seconds: int,
    outcome: Outcome,
    dossier_code: str | None,
) -> None:
    """One finished service of the ticket at the counter (the estimate's durations)."""
    assert ticket.called_at is not None
    tx.insert(
        "ticket_services",
        {
            "ticket_id": ticket.id,
            "group_id": ticket.group_id,
            "counter_number": counter_number,
            "service_day": ticket.service_day.isoformat(),
            "called_at": ticket.called_at.isoformat(),
            "serving_at": None if ticket.serving_at is None else ticket.serving_at.isoformat(),
            "finished_at": tx.now_iso,
            "seconds": seconds,
            "outcome": outcome.value,
            "dossier_code": dossier_code,
            "actor": tx.actor,
        },
    )


def recent_service_seconds(db: Reader, group_id: int, day: date, limit: int) -> list[float]:
    """The durations of the group's latest `limit` services on `day`, newest first."""
    cursor = db.execute(
        "SELECT seconds FROM ticket_services WHERE group_id = ? AND service_day = ? "
        "ORDER BY id DESC LIMIT ?",
        (group_id, day.isoformat(), limit),
    )
    return [float(row["seconds"]) for row in _rows(cursor)]


def citizen_hash_salt(db: Reader) -> str:
    cursor = db.execute("SELECT value FROM settings WHERE key = 'citizen_hash_salt'")
    return str(_one(cursor)["value"])


def citizen_tickets(db: Reader, day: date, citizen_hash: str) -> int:
    """Tickets already taken on `day` by the citizen behind this salted hash."""
    row = _row(
        db.execute(
            "SELECT tickets FROM citizen_daily_tickets WHERE service_day = ? AND citizen_hash = ?",
            (day.isoformat(), citizen_hash),
        )
    )
    return 0 if row is None else int(row["tickets"])


def add_citizen_ticket(tx: WriteTx, day: date, citizen_hash: str) -> None:
    tx.execute(
        "INSERT INTO citizen_daily_tickets (service_day, citizen_hash, tickets) VALUES (?, ?, 1) "
        "ON CONFLICT (service_day, citizen_hash) DO UPDATE SET tickets = tickets + 1",
        (day.isoformat(), citizen_hash),
    )


# -- ticket events ------------------------------------------------------------------------------


def insert_event(
    tx: WriteTx,
    kind: str,
    ticket: Ticket | None,
    counter_number: int | None,
    details: dict[str, Any],
) -> int:
    """The `ticket_events` row of one change, with the ticket's full state; returns its id
    (the event id of the hub's stream)."""
    state = None if ticket is None else canonical_json(ticket.as_json(public=False))
    return tx.insert(
        "ticket_events",
        {
            "ticket_id": None if ticket is None else ticket.id,
            "at": tx.now_iso,
            "kind": kind,
            "actor": tx.actor,
            "counter_number": counter_number,
            "details": canonical_json(details),
            "ticket_state": state,
        },
    )


def _event(row: sqlite3.Row) -> QueueEvent:
    state = row["ticket_state"]
    at = _moment(row["at"])
    assert at is not None
    details: dict[str, Any] = {}
    if state is None and row["details"]:
        details = json.loads(row["details"])
    return QueueEvent(
        id=int(row["id"]),
        kind=str(row["kind"]),
        at=at,
        ticket=None if state is None else Ticket.from_json(json.loads(state)),
        counter_number=row["counter_number"],
        details=details,
    )


def last_event_id(db: Reader) -> int:
    cursor = db.execute("SELECT coalesce(max(id), 0) AS last FROM ticket_events")
    return int(_one(cursor)["last"])


def latest_events(db: Reader, kinds: Sequence[str], limit: int) -> list[QueueEvent]:
    """The latest `limit` events of these kinds, newest first."""
    marks = ", ".join("?" for _ in kinds)
    cursor = db.execute(
        f"SELECT {_EVENT_COLUMNS} FROM ticket_events WHERE kind IN ({marks}) "
        "ORDER BY id DESC LIMIT ?",
        (*kinds, limit),
    )
    return [_event(row) for row in _rows(cursor)]


def events_after(db: Reader, after_id: int, limit: int) -> list[QueueEvent]:
    """Events with an id above `after_id`, oldest first (at most `limit`)."""
    cursor = db.execute(
        f"SELECT {_EVENT_COLUMNS} FROM ticket_events WHERE id > ? ORDER BY id LIMIT ?",
        (after_id, limit),
    )
    return [_event(row) for row in _rows(cursor)]
