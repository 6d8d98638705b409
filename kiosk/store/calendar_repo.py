"""The calendar override table: holidays, compensatory days off and make-up working days."""

from __future__ import annotations

from datetime import date

from kiosk.domain.calendar import CalendarOverride, OverrideKind
from kiosk.store.db import Store
from kiosk.store.tx import WriteTx


def list_overrides(store: Store, year: int | None = None) -> list[CalendarOverride]:
    """Every override (or those of `year`), by day."""
    sql = "SELECT day, kind, reason FROM calendar_overrides"
    params: tuple[str, ...] = ()
    if year is not None:
        sql += " WHERE day >= ? AND day < ?"
        params = (f"{year:04d}-01-01", f"{year + 1:04d}-01-01")
    rows = store.conn.execute(sql + " ORDER BY day", params).fetchall()
    return [CalendarOverride(date.fromisoformat(d), OverrideKind(k), r) for d, k, r in rows]


def upsert_override(tx: WriteTx, override: CalendarOverride) -> None:
    """Set what `override.day` is, replacing any earlier override of that day."""
    tx.execute(
        "INSERT INTO calendar_overrides (day, kind, reason) VALUES (?, ?, ?) "
        "ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, reason = excluded.reason",
        (override.day.isoformat(), OverrideKind(override.kind).value, override.reason),
    )


def delete_override(tx: WriteTx, day: date) -> bool:
    """Remove the override of `day`; False when there was none."""
    cursor = tx.execute("DELETE FROM calendar_overrides WHERE day = ?", (day.isoformat(),))
    return cursor.rowcount > 0


def replace_overrides(tx: WriteTx, overrides: list[CalendarOverride]) -> None:
    """Replace the whole table (a calendar snapshot pulled from the district server)."""
    tx.execute("DELETE FROM calendar_overrides")
    for override in overrides:
        upsert_override(tx, override)
