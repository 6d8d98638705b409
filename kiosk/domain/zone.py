"""Vietnam's time zone, a fact of the domain: UTC+7 all year (no daylight saving time)."""

from __future__ import annotations

from datetime import timedelta, timezone

#: A fixed offset keeps stored times stable (+07:00); `kiosk.clock` gives "now" in it.
VN_TZ = timezone(timedelta(hours=7), "ICT")
