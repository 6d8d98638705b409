"""The injected clock: every 'now' in the product comes from here, so tests can set the time."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from kiosk.domain.zone import VN_TZ

__all__ = [
    "CLOCK_START_ENV",
    "VN_TZ",
    "Clock",
    "FixedClock",
    "RunningClock",
    "office_clock",
    "parse_moment",
    "system_clock",
]

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


class RunningClock:
    """A clock set to `start` that then runs on in real time (by the monotonic clock).

    For a whole office run at another moment: tests that start real hub processes, training,
    a demo of a Monday morning. Wall-clock changes (NTP, libfaketime) do not move it.
    """

    def __init__(self, start: datetime, *, monotonic: Callable[[], float] = time.monotonic):
        if start.tzinfo is None:
            start = start.replace(tzinfo=VN_TZ)
        self.start = start.astimezone(VN_TZ)
        self._monotonic = monotonic
        self._origin = monotonic()

    def __call__(self) -> datetime:
        elapsed = timedelta(seconds=self._monotonic() - self._origin)
        return (self.start + elapsed).replace(microsecond=0)


#: The environment variable that starts an office's clock at another moment (see `office_clock`).
CLOCK_START_ENV = "KIOSK_CLOCK_START"


def parse_moment(text: str) -> datetime:
    """An ISO 8601 moment ('2026-03-16T09:00', offset optional: Vietnam's time is assumed)."""
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=VN_TZ)


def office_clock(start: str | None = None) -> Clock:
    """The clock of this process: the system's, or one started at `start` (an ISO moment, from
    `--clock-start` or KIOSK_CLOCK_START) and running on from there."""
    if start is None:
        start = os.environ.get(CLOCK_START_ENV) or None
    if start is None:
        return system_clock
    return RunningClock(parse_moment(start))
