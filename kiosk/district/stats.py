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


@dataclass(frozen=True, slots=True)
class _Facts:
    """The rows `compute_stats` reads, in one read transaction."""

    sites: list[Any]
    by_status: list[Any]
    by_timeliness: list[Any]
    waits: list[Any]
    ratings: list[Any]
    types: list[Any]
    conflicts: list[Any]


def _read_facts(db: Database, span: tuple[str, str]) -> _Facts:
    with db.read() as conn:
        return _Facts(
            sites=conn.all("SELECT site_id, name, acked, last_push_at FROM sites ORDER BY site_id"),
            by_status=conn.all(
                "SELECT site_id, received_day, status, count(*) FROM dossier_facts "
                "WHERE received_day >= ? AND received_day <= ? "
                "GROUP BY site_id, received_day, status",
                span,
            ),
            by_timeliness=conn.all(
                "SELECT site_id, done_day, coalesce(timeliness, 'unknown'), count(*) "
                "FROM dossier_facts WHERE done_day >= ? AND done_day <= ? "
                "GROUP BY site_id, done_day, coalesce(timeliness, 'unknown')",
                span,
            ),
            waits=conn.all(
                "SELECT site_id, day, wait_seconds FROM ticket_facts WHERE day >= ? AND day <= ?",
                span,
            ),
            ratings=conn.all(
                "SELECT site_id, day, level, count(*) FROM rating_facts "
                "WHERE day >= ? AND day <= ? GROUP BY site_id, day, level",
                span,
            ),
            types=conn.all(
                "SELECT type, sum(n) FROM event_counts WHERE day >= ? AND day <= ? "
                "GROUP BY type ORDER BY type",
                span,
            ),
            conflicts=conn.all(
                "SELECT site_id, seq, times, first_at, last_at FROM conflicts "
                "ORDER BY last_at DESC LIMIT 50"
            ),
        )


def _empty_day(site_id: str, day: str) -> dict[str, Any]:
    return {
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


class _Tally:
    """The counts being added up: per site, for the whole district, per (day, site)."""

    def __init__(self, sites: list[Any]) -> None:
        self.per_site = {
            str(s[0]): _empty_site(str(s[0]), str(s[1]), int(s[2]), s[3]) for s in sites
        }
        self.total = _empty_site("", "Toàn huyện", sum(int(s[2]) for s in sites), None)
        self.days: dict[tuple[str, str], dict[str, Any]] = {}
        self.site_waits: dict[str, list[int]] = defaultdict(list)
        self.site_tickets: dict[str, int] = defaultdict(int)

    def day(self, site_id: str, day: str) -> dict[str, Any]:
        return self.days.setdefault((day, site_id), _empty_day(site_id, day))

    def site(self, site_id: str) -> dict[str, Any]:
        # Facts of a site deleted by hand stay countable.
        return self.per_site.setdefault(site_id, _empty_site(site_id, "", 0, None))

    def count(self, site_id: str, section: str, key: str, n: int) -> None:
        """Add `n` to `section[key]` (dossiers, on_time, ratings) of the site and the total."""
        for entry in (self.site(site_id), self.total):
            entry[section][key] = entry[section].get(key, 0) + n

    def add_statuses(self, rows: list[Any]) -> None:
        for site_id, day, status, n in rows:
            self.count(site_id, "dossiers", status, int(n))
            self.day(site_id, day)["received"] += int(n)

    def add_timeliness(self, rows: list[Any]) -> None:
        for site_id, day, kind, n in rows:
            self.count(site_id, "on_time", kind, int(n))
            daily = self.day(site_id, day)
            daily["done"] += int(n)
            if kind in ON_TIME_KINDS:
                daily["on_time"] += int(n)
            elif kind == "late":
                daily["late"] += int(n)

    def add_waits(self, rows: list[Any]) -> None:
        for site_id, day, wait in rows:
            self.site_tickets[site_id] += 1
            daily = self.day(site_id, day)
            daily["tickets"] += 1
            if wait is not None:
                self.site_waits[site_id].append(int(wait))
                daily["waits"].append(int(wait))

    def add_ratings(self, rows: list[Any]) -> None:
        for site_id, day, level, n in rows:
            self.count(site_id, "ratings", level, int(n))
            daily_ratings = self.day(site_id, day)["ratings"]
            daily_ratings[level] = daily_ratings.get(level, 0) + int(n)

    def per_day(self) -> list[dict[str, Any]]:
        """The day entries in (day, site) order, their waits folded into an average."""
        out = []
        for key in sorted(self.days):
            entry = self.days[key]
            day_waits = entry.pop("waits")
            entry["average_wait_seconds"] = (
                round(statistics.fmean(day_waits)) if day_waits else None
            )
            entry["on_time_rate"] = _rate(entry["on_time"], entry["on_time"] + entry["late"])
            out.append(entry)
        return out

    def totals(self) -> dict[str, Any]:
        every_wait = [w for values in self.site_waits.values() for w in values]
        return _finish(self.total, every_wait, sum(self.site_tickets.values()))

    def sites(self) -> list[dict[str, Any]]:
        return [
            _finish(entry, self.site_waits.get(sid, []), self.site_tickets.get(sid, 0))
            for sid, entry in sorted(self.per_site.items())
        ]


def compute_stats(db: Database, period: Period) -> dict[str, Any]:
    """Per site, in total and per day: dossiers by status, on-time rate, waits, ratings."""
    facts = _read_facts(db, period.bounds)
    tally = _Tally(facts.sites)
    tally.add_statuses(facts.by_status)
    tally.add_timeliness(facts.by_timeliness)
    tally.add_waits(facts.waits)
    tally.add_ratings(facts.ratings)
    return {
        "from": None if period.start is None else period.start.isoformat(),
        "to": None if period.end is None else period.end.isoformat(),
        "totals": tally.totals(),
        "sites": tally.sites(),
        "days": tally.per_day(),
        "event_types": [{"type": str(t), "n": int(n)} for t, n in facts.types],
        "conflicts": [
            {
                "site_id": c[0],
                "seq": int(c[1]),
                "times": int(c[2]),
                "first_at": c[3],
                "last_at": c[4],
            }
            for c in facts.conflicts
        ],
    }
