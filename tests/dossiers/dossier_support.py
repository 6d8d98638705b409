"""Values and helpers shared by the dossier service tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from kiosk.clock import VN_TZ
from kiosk.dossiers import Applicant, Reception
from kiosk.store import Store

UNIT = "000.00.21.H12"
SAME_DAY = "1.001193"  # khai sinh: same day, cut-off 15:00, free
ONE_DAY = "2.002516"  # 1 working day, 8,000 VND
THREE_DAYS = "1.004837"  # 3 working days, free
FIVE_DAYS = "1.010833"  # 5 working days, free
PROVINCE_FEE = "1.001022"  # 3 working days, fee set by the province
NO_LIMIT = "1.011606"  # no fixed time limit
CLERK = "staff:lan@counter:1"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A time in Vietnam."""
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def applicant(**changes: str) -> Applicant:
    values = {
        "name": "Nguyễn Văn Đức",
        "citizen_id": "001099012345",
        "phone": "0912345678",
        "email": "duc@example.com",
        "address": "12 Lê Lợi, phường Thử",
    }
    values.update(changes)
    return Applicant(**values)


def reception(procedure: str = THREE_DAYS, **changes: Any) -> Reception:
    values: dict[str, Any] = {"procedure_code": procedure, "applicant": applicant()}
    values.update(changes)
    return Reception(**values)


def outbox(store: Store, event_type: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT type, payload FROM outbox"
    params: tuple[str, ...] = ()
    if event_type is not None:
        sql += " WHERE type = ?"
        params = (event_type,)
    return [
        {"type": t, **json.loads(p)} for t, p in store.conn.execute(sql + " ORDER BY seq", params)
    ]


def audit(store: Store, action: str) -> list[dict[str, Any]]:
    return store.query(
        "SELECT actor, action, target, details FROM audit WHERE action = ? ORDER BY id", (action,)
    )
