"""Which kind of ticket a counter calls next: the priority rule, as a pure function.

Within one service group (the counter has already chosen the group, see `engine`):
- strict: whenever a priority ticket waits, the oldest one is called before any regular one.
- interleaved with N = `every`: for each group and service day the engine keeps `streak`, the
  number of regular tickets of that group called (by any counter, by `call_next` or out of
  order) since the group's last priority call; `None` until the group's first priority call
  of the day. When both kinds wait, the oldest priority ticket is called if `streak` is None
  or at least N, else the oldest regular ticket. So while priority tickets wait the group's
  calls run P, R×N, P, R×N, …: a priority citizen waits behind at most N regular calls after
  the previous priority call, and the first one of the day goes at once.
Either kind alone is simply called, oldest first (FIFO by issue order).
"""

from __future__ import annotations

from enum import StrEnum

from kiosk.domain.tickets import PriorityMode


class Pick(StrEnum):
    PRIORITY = "priority"
    REGULAR = "regular"


def pick_kind(
    mode: PriorityMode,
    every: int,
    streak: int | None,
    *,
    priority_waiting: bool,
    regular_waiting: bool,
) -> Pick | None:
    """The kind of the next call, or None when nobody waits."""
    if not priority_waiting:
        return Pick.REGULAR if regular_waiting else None
    if not regular_waiting or mode is PriorityMode.STRICT:
        return Pick.PRIORITY
    if streak is None or streak >= every:
        return Pick.PRIORITY
    return Pick.REGULAR


def next_streak(streak: int | None, *, called_priority: bool) -> int | None:
    """The group's streak after one more call."""
    if called_priority:
        return 0
    return None if streak is None else streak + 1
