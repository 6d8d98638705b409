"""The rows that record a dossier's steps: request ids, forms 02, 03, 04 and 05, and ratings.

Every SQL statement of the dossier workflow outside the `dossiers` table itself lives here (the
dossier row, its documents and events are in `dossier_repo`), including the few reads of the
queue's tables that a rating or a reception needs. Writes take the caller's `WriteTx`; reads take
a `sqlite3.Connection`, so they also see an open transaction's own rows (`tx.conn`). Rows come
back as dicts by column name (`kiosk.store.rows`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any, Final

from kiosk.store.rows import Row, all_rows, first_row
from kiosk.store.tx import WriteTx

# --- request ids (idempotency) --------------------------------------------------------------------


def find_request(conn: sqlite3.Connection, request_id: str) -> Row | None:
    """What an earlier request with this id was and produced: kind, fingerprint, dossier_id,
    record_id; None for an id never used."""
    return first_row(
        conn.execute(
            "SELECT kind, fingerprint, dossier_id, record_id FROM dossier_requests "
            "WHERE request_id = ?",
            (request_id,),
        )
    )


def remember_request(tx: WriteTx, row: Mapping[str, Any]) -> None:
    """Keep a request id with what its request produced, in the same transaction as the effect."""
    tx.insert("dossier_requests", row)


# --- form 02: supplement requests -----------------------------------------------------------------

_SUPPLEMENT: Final = (
    "SELECT s.id, s.number, s.stage, s.requested_at, s.actor, s.procedure_code, "
    "s.procedure_name, s.applicant_name, s.items, s.reason, d.code AS dossier_code, s.ticket_id, "
    "s.counter_number, s.ordinal, s.within_limit, s.resumed_at, s.due_at_before, s.due_at_after "
    "FROM supplement_requests AS s LEFT JOIN dossiers AS d ON d.id = s.dossier_id"
)


def insert_supplement(tx: WriteTx, row: Mapping[str, Any]) -> int:
    return tx.insert("supplement_requests", row)


def supplement_by_id(conn: sqlite3.Connection, record_id: int) -> Row | None:
    return first_row(conn.execute(f"{_SUPPLEMENT} WHERE s.id = ?", (record_id,)))


def supplements_of(conn: sqlite3.Connection, dossier_id: int) -> list[Row]:
    return all_rows(
        conn.execute(f"{_SUPPLEMENT} WHERE s.dossier_id = ? ORDER BY s.id", (dossier_id,))
    )


def open_supplement(conn: sqlite3.Connection, dossier_id: int) -> Row | None:
    """The newest supplement request of a dossier not yet answered, if any."""
    return first_row(
        conn.execute(
            f"{_SUPPLEMENT} WHERE s.dossier_id = ? AND s.resumed_at IS NULL "
            "ORDER BY s.id DESC LIMIT 1",
            (dossier_id,),
        )
    )


def supplement_resume_to(conn: sqlite3.Connection, record_id: int) -> str | None:
    """The status a dossier goes back to when this supplement arrives (None: not recorded)."""
    row = first_row(
        conn.execute("SELECT resume_to FROM supplement_requests WHERE id = ?", (record_id,))
    )
    return None if row is None else row["resume_to"]


def mark_supplement_received(
    tx: WriteTx, record_id: int, *, resumed_at: str, due_at_after: str | None
) -> None:
    tx.execute(
        "UPDATE supplement_requests SET resumed_at = ?, due_at_after = ? WHERE id = ?",
        (resumed_at, due_at_after, record_id),
    )


# --- form 03: refusals ----------------------------------------------------------------------------


def insert_refusal(tx: WriteTx, row: Mapping[str, Any]) -> int:
    return tx.insert("refusals", row)


def refusal_by_id(conn: sqlite3.Connection, record_id: int) -> Row | None:
    return first_row(
        conn.execute(
            "SELECT id, number, at, actor, procedure_code, procedure_name, applicant_name, "
            "reason, ticket_id, counter_number FROM refusals WHERE id = ?",
            (record_id,),
        )
    )


# --- form 04: extensions --------------------------------------------------------------------------


def insert_extension(tx: WriteTx, row: Mapping[str, Any]) -> int:
    return tx.insert("extensions", row)


def extensions_of(conn: sqlite3.Connection, dossier_id: int) -> list[Row]:
    return all_rows(
        conn.execute(
            "SELECT number, at, actor, reason, due_at_before, new_due_at FROM extensions "
            "WHERE dossier_id = ? ORDER BY id",
            (dossier_id,),
        )
    )


# --- form 05: hand-overs --------------------------------------------------------------------------


def insert_transfer(tx: WriteTx, row: Mapping[str, Any]) -> int:
    return tx.insert("transfers", row)


def transfers_of(conn: sqlite3.Connection, dossier_id: int) -> list[Row]:
    return all_rows(
        conn.execute(
            "SELECT id, at, from_unit, to_unit, giver, receiver, timeliness, note FROM transfers "
            "WHERE dossier_id = ? ORDER BY at, id",
            (dossier_id,),
        )
    )


def was_handed_over(conn: sqlite3.Connection, dossier_id: int) -> bool:
    """Whether the dossier has had at least one hand-over (form 05 row)."""
    found = conn.execute("SELECT 1 FROM transfers WHERE dossier_id = ? LIMIT 1", (dossier_id,))
    return found.fetchone() is not None


# --- ratings --------------------------------------------------------------------------------------


def insert_rating(tx: WriteTx, row: Mapping[str, Any]) -> int:
    return tx.insert("ratings", row)


def rating_by_id(conn: sqlite3.Connection, record_id: int) -> Row | None:
    return first_row(
        conn.execute(
            "SELECT r.id, r.at, r.level, c.number AS counter_number, r.staff, r.ticket_id, "
            "d.code AS dossier_code, r.comment "
            "FROM ratings AS r LEFT JOIN counters AS c ON c.id = r.counter_id "
            "LEFT JOIN dossiers AS d ON d.id = r.dossier_id WHERE r.id = ?",
            (record_id,),
        )
    )


def ticket_is_rated(conn: sqlite3.Connection, ticket_id: int) -> bool:
    found = conn.execute("SELECT 1 FROM ratings WHERE ticket_id = ? LIMIT 1", (ticket_id,))
    return found.fetchone() is not None


# --- what the workflow reads of the queue ---------------------------------------------------------


def ticket_exists(conn: sqlite3.Connection, ticket_id: int) -> bool:
    return conn.execute("SELECT 1 FROM tickets WHERE id = ?", (ticket_id,)).fetchone() is not None


def counter_id(conn: sqlite3.Connection, counter_number: int) -> int | None:
    """The row id of the counter with this number, or None."""
    row = first_row(conn.execute("SELECT id FROM counters WHERE number = ?", (counter_number,)))
    return None if row is None else int(row["id"])


def staff_at_counter(conn: sqlite3.Connection, counter_number: int, now_iso: str) -> str | None:
    """The username of the staff member logged in on the counter's console now."""
    row = first_row(
        conn.execute(
            "SELECT s.username FROM staff_sessions AS ss JOIN staff AS s ON s.id = ss.staff_id "
            "JOIN devices AS d ON d.id = ss.device_id "
            "WHERE d.role = 'counter' AND d.counter_number = ? AND d.revoked_at IS NULL "
            "AND ss.ended_at IS NULL AND ss.expires_at > ? ORDER BY ss.created_at DESC LIMIT 1",
            (counter_number, now_iso),
        )
    )
    return None if row is None else str(row["username"])


def ticket_at_counter(
    conn: sqlite3.Connection, counter_number: int, service_day: str
) -> tuple[int | None, str | None]:
    """(ticket id, dossier code) of the ticket being served at the counter, else of the last one
    it finished on `service_day` (ISO date); (None, None) when there is neither."""
    serving = first_row(
        conn.execute(
            "SELECT id FROM tickets WHERE counter_number = ? AND status IN ('called', 'serving')",
            (counter_number,),
        )
    )
    if serving is not None:
        return int(serving["id"]), None
    last = first_row(
        conn.execute(
            "SELECT ticket_id, dossier_code FROM ticket_services "
            "WHERE counter_number = ? AND service_day = ? ORDER BY id DESC LIMIT 1",
            (counter_number, service_day),
        )
    )
    if last is None:
        return None, None
    return int(last["ticket_id"]), last["dossier_code"]
