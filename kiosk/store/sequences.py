"""Numbers that are never handed out twice: dossier codes, register lines, ticket numbers.

A sequence is a row `(name, scope, value)` incremented inside the caller's `BEGIN IMMEDIATE`
write transaction, together with the business row that uses the number. Both commit or neither
does, so after a crash the next number follows the highest committed one, and two writers (even
two processes) cannot take the same number: the write lock of SQLite serialises them.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from kiosk.domain.codes import format_dossier_code, validate_ticket_prefix, validate_unit_code
from kiosk.store.tx import WriteTx

DOSSIER_CODE: Final = "dossier_code"
REGISTER: Final = "register"
TICKET: Final = "ticket"


def next_sequence(tx: WriteTx, name: str, scope: str) -> int:
    """The next number (from 1) of sequence `name` within `scope`, taken in this transaction."""
    row = tx.execute(
        "INSERT INTO sequences (name, scope, value) VALUES (?, ?, 1) "
        "ON CONFLICT (name, scope) DO UPDATE SET value = value + 1 RETURNING value",
        (name, scope),
    ).fetchone()
    return int(row[0])


def current_sequence(tx: WriteTx, name: str, scope: str) -> int:
    """The last number handed out (0 when none yet)."""
    row = tx.execute(
        "SELECT value FROM sequences WHERE name = ? AND scope = ?", (name, scope)
    ).fetchone()
    return 0 if row is None else int(row[0])


def dossier_scope(unit_code: str, day: date) -> str:
    return f"{validate_unit_code(unit_code)}|{day.isoformat()}"


def next_dossier_seq(tx: WriteTx, unit_code: str, day: date) -> int:
    """The unit's next dossier number of `day` (Thông tư 01/2018 Art. 19: per unit, per day)."""
    return next_sequence(tx, DOSSIER_CODE, dossier_scope(unit_code, day))


def next_dossier_code(tx: WriteTx, unit_code: str, day: date) -> str:
    """A fresh dossier code '{unit}-{YYMMDD}-{NNNN}' for a dossier received on `day`."""
    return format_dossier_code(unit_code, day, next_dossier_seq(tx, unit_code, day))


def next_register_no(tx: WriteTx, year: int) -> int:
    """The next line of the year's dossier register (form 06), numbered from 1 each year."""
    return next_sequence(tx, REGISTER, str(year))


def next_ticket_number(tx: WriteTx, prefix: str, service_day: date) -> int:
    """The next queue number of `prefix` on `service_day` (resets every day, survives restarts)."""
    return next_sequence(tx, TICKET, f"{validate_ticket_prefix(prefix)}|{service_day.isoformat()}")


def take_sequence_block(tx: WriteTx, name: str, scope: str, count: int) -> int:
    """Reserve `count` consecutive numbers at once (bulk loads); returns the first of them."""
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    row = tx.execute(
        "INSERT INTO sequences (name, scope, value) VALUES (?, ?, ?) "
        "ON CONFLICT (name, scope) DO UPDATE SET value = value + excluded.value RETURNING value",
        (name, scope, count),
    ).fetchone()
    return int(row[0]) - count + 1
