"""Rows of a query as dicts keyed by column name, so no reader depends on column positions."""

from __future__ import annotations

import sqlite3
from typing import Any

Row = dict[str, Any]


def _names(cursor: sqlite3.Cursor) -> list[str]:
    return [column[0] for column in cursor.description]


def first_row(cursor: sqlite3.Cursor) -> Row | None:
    """The first row of an executed query by column name, or None when there is none."""
    values = cursor.fetchone()
    return None if values is None else dict(zip(_names(cursor), values, strict=True))


def all_rows(cursor: sqlite3.Cursor) -> list[Row]:
    """Every row of an executed query by column name."""
    names = _names(cursor)
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
