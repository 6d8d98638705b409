"""The injected clock: fixed, running from a moment, or the system's (kiosk --clock-start)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.clock import (
    CLOCK_START_ENV,
    VN_TZ,
    RunningClock,
    office_clock,
    parse_moment,
    system_clock,
)


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_running_clock_starts_at_its_moment_and_follows_the_monotonic_clock() -> None:
    ticks = Ticks()
    clock = RunningClock(datetime(2026, 12, 31, 23, 59, 30), monotonic=ticks)
    assert clock() == datetime(2026, 12, 31, 23, 59, 30, tzinfo=VN_TZ)
    ticks.now += 45.7
    assert clock() == datetime(2027, 1, 1, 0, 0, 15, tzinfo=VN_TZ)  # to the second
    assert clock().utcoffset() == timedelta(hours=7)


def test_a_moment_with_another_offset_is_shown_in_vietnam_time() -> None:
    clock = RunningClock(parse_moment("2026-03-16T02:00:00+00:00"), monotonic=Ticks())
    assert clock().isoformat() == "2026-03-16T09:00:00+07:00"


def test_the_office_clock_is_the_systems_unless_a_start_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(CLOCK_START_ENV, raising=False)
    assert office_clock() is system_clock
    monkeypatch.setenv(CLOCK_START_ENV, "2027-02-06T08:00")
    started = office_clock()
    assert started is not system_clock
    assert started() - datetime(2027, 2, 6, 8, 0, tzinfo=VN_TZ) < timedelta(minutes=1)


def test_a_malformed_clock_start_is_refused_in_vietnamese() -> None:
    result = CliRunner().invoke(cli, ["--clock-start", "thứ hai", "settings", "check"])
    assert result.exit_code == 2
    assert "không phải thời điểm ISO 8601" in result.output
    assert "Traceback" not in result.output
