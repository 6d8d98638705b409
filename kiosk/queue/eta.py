"""Estimated waiting time, as pure arithmetic (no I/O), so the formula is easy to check.

    wait = ceil(people_ahead × typical_service_minutes ÷ max(1, open_counters))

- `typical_service_minutes` is the median of the group's most recent finished services of the
  service day (at most `RECENT_SERVICES`, newest first), each measured from the start of
  service (or from the call when service was never started) to its end; when the group has no
  finished service yet today, `DEFAULT_SERVICE_MINUTES`.
- `people_ahead` counts tickets waiting in the group before this one; people already at a
  counter are not counted (their service is partly done).
- `open_counters` counts open counters that list the group, whatever its rank in their lists;
  with none open, the estimate assumes one counter will open.
The median, not the mean, so one long land dossier does not inflate every estimate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import median
from typing import Final

RECENT_SERVICES: Final = 20
DEFAULT_SERVICE_MINUTES: Final = 5.0


def typical_service_minutes(
    recent_seconds: Sequence[float], *, default: float = DEFAULT_SERVICE_MINUTES
) -> float:
    """The median of the newest `RECENT_SERVICES` durations (seconds, newest first), in minutes."""
    newest = [s for s in recent_seconds[:RECENT_SERVICES] if s >= 0]
    if not newest:
        return default
    return float(median(newest)) / 60.0


def estimate_wait_minutes(people_ahead: int, service_minutes: float, open_counters: int) -> int:
    """Whole minutes (rounded up) until a ticket with `people_ahead` before it is called."""
    if people_ahead <= 0:
        return 0
    return math.ceil(people_ahead * service_minutes / max(1, open_counters) - 1e-9)
