"""The shape of every JSON answer of the district server (see `kiosk/hub/wire.py` for the hub's).

Shapes are `TypedDict`s: the routes return plain mappings, FastAPI validates them and the OpenAPI
document describes them. They forbid keys they do not declare, so an answer cannot gain a key
its shape (and this documentation) lacks. Days are `YYYY-MM-DD`.
"""

from __future__ import annotations

from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict

STRICT = ConfigDict(extra="forbid", strict=True)


@with_config(STRICT)
class Health(TypedDict):
    ok: bool
    server_time: int


@with_config(STRICT)
class Acked(TypedDict):
    """The highest sequence number of the site the district has stored."""

    acked: int


@with_config(STRICT)
class Waiting(TypedDict):
    """Waits of called tickets, in seconds (None while no ticket was called)."""

    tickets: int
    called: int
    average_seconds: int | None
    median_seconds: int | None
    p90_seconds: int | None
    max_seconds: int | None


@with_config(STRICT)
class SiteStats(TypedDict):
    """One site (or the district, `site_id` empty) over the period: counts by status,
    timeliness and rating level, and the rates made of them."""

    site_id: str
    name: str
    acked: int
    last_push_at: str | None
    dossiers: dict[str, int]
    on_time: dict[str, int]
    ratings: dict[str, int]
    dossiers_total: int
    on_time_rate: float | None
    done_total: int
    ratings_total: int
    satisfaction_rate: float | None
    waiting: Waiting


@with_config(STRICT)
class DayStats(TypedDict):
    day: str
    site_id: str
    received: int
    done: int
    on_time: int
    late: int
    tickets: int
    ratings: dict[str, int]
    average_wait_seconds: int | None
    on_time_rate: float | None


@with_config(STRICT)
class EventCount(TypedDict):
    type: str
    n: int


@with_config(STRICT)
class Conflict(TypedDict):
    """A sequence number a site sent again with other content (kept for the officer)."""

    site_id: str
    seq: int
    times: int
    first_at: str
    last_at: str


# "from" is a Python keyword: this shape is spelled the functional way.
Stats = TypedDict(
    "Stats",
    {
        "from": str | None,
        "to": str | None,
        "totals": SiteStats,
        "sites": list[SiteStats],
        "days": list[DayStats],
        "event_types": list[EventCount],
        "conflicts": list[Conflict],
    },
)
with_config(STRICT)(Stats)
