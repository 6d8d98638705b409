"""Statistics over what the sites sent, read from the facts folded at push time.

Periods are inclusive Vietnam-local days. Dossiers count by the day they were received (their
current status), on-time by the day the result was ready, waiting times by the ticket's service
day, ratings by the day given.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.district.storage import Database

EARLIEST = "0000-01-01"
LATEST = "9999-12-31"
SATISFIED_LEVELS = ("very_satisfied", "satisfied")
ON_TIME_KINDS = ("early", "on_time")


@dataclass(frozen=True, slots=True)
class Period:
    start: date | None = None
    end: date | None = None

    @property
    def bounds(self) -> tuple[str, str]:
        return (
            EARLIEST if self.start is None else self.start.isoformat(),
            LATEST if self.end is None else self.end.isoformat(),
        )


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def _waiting(waits: list[int], tickets: int) -> dict[str, Any]:
    ordered = sorted(waits)
    return {
        "tickets": tickets,
        "called": len(ordered),
        "average_seconds": round(statistics.fmean(ordered)) if ordered else None,
        "median_seconds": round(statistics.median(ordered)) if ordered else None,
        "p90_seconds": ordered[min(len(ordered) - 1, (len(ordered) * 9) // 10)]
        if ordered
        else None,
        "max_seconds": ordered[-1] if ordered else None,
    }


def _empty_site(site_id: str, name: str, acked: int, last_push_at: str | None) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "name": name,
        "acked": acked,
        "last_push_at": last_push_at,
        "dossiers": {},
        "on_time": {},
        "ratings": {},
    }


def _finish(entry: dict[str, Any], waits: list[int], tickets: int) -> dict[str, Any]:
    dossiers: dict[str, int] = entry["dossiers"]
    entry["dossiers_total"] = sum(dossiers.values())
    timely: dict[str, int] = entry["on_time"]
    judged = sum(n for kind, n in timely.items() if kind in ("early", "on_time", "late"))
    entry["on_time_rate"] = _rate(sum(timely.get(k, 0) for k in ON_TIME_KINDS), judged)
    entry["done_total"] = sum(timely.values())
    ratings: dict[str, int] = entry["ratings"]
    entry["ratings_total"] = sum(ratings.values())
    entry["satisfaction_rate"] = _rate(
        sum(ratings.get(k, 0) for k in SATISFIED_LEVELS), entry["ratings_total"]
    )
    entry["waiting"] = _waiting(waits, tickets)
    return entry


def compute_stats(db: Database, period: Period) -> dict[str, Any]:
    """Per site, in total and per day: dossiers by status, on-time rate, waits, ratings."""
    low, high = period.bounds
    span = (low, high)
    with db.read() as conn:
        sites = conn.all("SELECT site_id, name, acked, last_push_at FROM sites ORDER BY site_id")
        by_status = conn.all(
            "SELECT site_id, received_day, status, count(*) FROM dossier_facts "
            "WHERE received_day >= ? AND received_day <= ? GROUP BY site_id, received_day, status",
            span,
        )
        by_timeliness = conn.all(
            "SELECT site_id, done_day, coalesce(timeliness, 'unknown'), count(*) "
            "FROM dossier_facts WHERE done_day >= ? AND done_day <= ? "
            "GROUP BY site_id, done_day, coalesce(timeliness, 'unknown')",
            span,
        )
        waits = conn.all(
            "SELECT site_id, day, wait_seconds FROM ticket_facts WHERE day >= ? AND day <= ?",
            span,
        )
        ratings = conn.all(
            "SELECT site_id, day, level, count(*) FROM rating_facts "
            "WHERE day >= ? AND day <= ? GROUP BY site_id, day, level",
            span,
        )
        types = conn.all(
            "SELECT type, sum(n) FROM event_counts WHERE day >= ? AND day <= ? "
            "GROUP BY type ORDER BY type",
            span,
        )
        conflicts = conn.all(
            "SELECT site_id, seq, times, first_at, last_at FROM conflicts "
            "ORDER BY last_at DESC LIMIT 50"
        )

    per_site = {str(s[0]): _empty_site(str(s[0]), str(s[1]), int(s[2]), s[3]) for s in sites}
    total = _empty_site("", "Toàn huyện", sum(int(s[2]) for s in sites), None)
    days: dict[tuple[str, str], dict[str, Any]] = {}

    def day_entry(site_id: str, day: str) -> dict[str, Any]:
        key = (day, site_id)
        if key not in days:
            days[key] = {
                "day": day,
                "site_id": site_id,
                "received": 0,
                "done": 0,
                "on_time": 0,
                "late": 0,
                "waits": [],
                "tickets": 0,
                "ratings": {},
            }
        return days[key]

    def site(site_id: str) -> dict[str, Any]:
        # Facts of a site deleted by hand stay countable.
        return per_site.setdefault(site_id, _empty_site(site_id, "", 0, None))

    for site_id, day, status, n in by_status:
        for entry in (site(site_id), total):
            entry["dossiers"][status] = entry["dossiers"].get(status, 0) + int(n)
        day_entry(site_id, day)["received"] += int(n)
    for site_id, day, kind, n in by_timeliness:
        for entry in (site(site_id), total):
            entry["on_time"][kind] = entry["on_time"].get(kind, 0) + int(n)
        daily = day_entry(site_id, day)
        daily["done"] += int(n)
        if kind in ON_TIME_KINDS:
            daily["on_time"] += int(n)
        elif kind == "late":
            daily["late"] += int(n)
    site_waits: dict[str, list[int]] = defaultdict(list)
    site_tickets: dict[str, int] = defaultdict(int)
    for site_id, day, wait in waits:
        site_tickets[site_id] += 1
        daily = day_entry(site_id, day)
        daily["tickets"] += 1
        if wait is not None:
            site_waits[site_id].append(int(wait))
            daily["waits"].append(int(wait))
    for site_id, day, level, n in ratings:
        for entry in (site(site_id), total):
            entry["ratings"][level] = entry["ratings"].get(level, 0) + int(n)
        daily_ratings = day_entry(site_id, day)["ratings"]
        daily_ratings[level] = daily_ratings.get(level, 0) + int(n)

    every_wait = [w for values in site_waits.values() for w in values]
    per_day = []
    for key in sorted(days):
        entry = days[key]
        day_waits = entry.pop("waits")
        entry["average_wait_seconds"] = round(statistics.fmean(day_waits)) if day_waits else None
        entry["on_time_rate"] = _rate(entry["on_time"], entry["on_time"] + entry["late"])
        per_day.append(entry)
    return {
        "from": None if period.start is None else period.start.isoformat(),
        "to": None if period.end is None else period.end.isoformat(),
        "totals": _finish(total, every_wait, sum(site_tickets.values())),
        "sites": [
            _finish(entry, site_waits.get(sid, []), site_tickets.get(sid, 0))
            for sid, entry in sorted(per_site.items())
        ],
        "days": per_day,
        "event_types": [{"type": str(t), "n": int(n)} for t, n in types],
        "conflicts": [
            {
                "site_id": c[0],
                "seq": int(c[1]),
                "times": int(c[2]),
                "first_at": c[3],
                "last_at": c[4],
            }
            for c in conflicts
        ],
    }
