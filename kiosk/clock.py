"""The injected clock: every 'now' in the product comes from here, so tests can set the time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

#: Vietnam has no daylight saving time; a fixed offset keeps stored times stable (+07:00).
VN_TZ = timezone(timedelta(hours=7), "ICT")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, tz-aware in Vietnam's time zone, to the second."""
    return datetime.now(VN_TZ).replace(microsecond=0)


class FixedClock:
    """A clock that stays where it is put; `advance` moves it (tests, demo replays)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=VN_TZ)
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now
