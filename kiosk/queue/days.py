"""The service day: ticket numbers restart when the office's day starts, not at midnight."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from kiosk.clock import VN_TZ


def service_day(moment: datetime, day_start: time) -> date:
    """The day whose queue `moment` belongs to: before `day_start` it is still the day before."""
    local = moment.astimezone(VN_TZ)
    if local.time().replace(tzinfo=None) < day_start:
        return local.date() - timedelta(days=1)
    return local.date()
