"""The staff's work lists: due today, due soon, overdue, waiting for a supplement, ready.

Only dossiers on the office's clock are due: received, processing or awaiting the fee. A dossier
waiting for the applicant's supplement has its clock stopped, so it is never "overdue" but has
its own list, longest waiting first. Times are compared as stored text: every time in the store
is ISO 8601 in Vietnam's offset (+07:00), so text order is time order.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Final

from kiosk.clock import VN_TZ
from kiosk.domain.calendar import WorkCalendar
from kiosk.domain.errors import ValidationError
from kiosk.domain.lifecycle import EXTENDABLE_STATUSES, DossierStatus
from kiosk.dossiers.models import Dossier, Worklist
from kiosk.dossiers.records import load_dossiers
from kiosk.store import Store, to_iso
from kiosk.store.dossier_repo import service_day

MAX_DAYS_AHEAD: Final = 60
_ON_THE_CLOCK: Final = tuple(sorted(s.value for s in EXTENDABLE_STATUSES))
_MARKS: Final = ", ".join("?" for _ in _ON_THE_CLOCK)


def _midnight(day: date) -> str:
    return to_iso(datetime.combine(day, time.min, tzinfo=VN_TZ))


def list_worklist(
    store: Store,
    calendar: WorkCalendar,
    kind: Worklist,
    *,
    now: datetime,
    days: int = 3,
    limit: int = 200,
) -> list[Dossier]:
    """The dossiers of one work list, most urgent first.

    DUE_SOON: due after today and at the latest on the `days`-th working day from today.
    """
    today = service_day(now)
    tomorrow = _midnight(today + timedelta(days=1))
    on_clock = f"status IN ({_MARKS})"
    if kind is Worklist.DUE_TODAY:
        return load_dossiers(
            store.conn,
            f"WHERE {on_clock} AND due_at >= ? AND due_at < ? ORDER BY due_at, id LIMIT ?",
            (*_ON_THE_CLOCK, _midnight(today), tomorrow, limit),
        )
    if kind is Worklist.DUE_SOON:
        if not 1 <= days <= MAX_DAYS_AHEAD:
            raise ValidationError(
                f"Số ngày làm việc phải từ 1 đến {MAX_DAYS_AHEAD}.", field="days", value=str(days)
            )
        last = calendar.add_working_days(today, days)
        return load_dossiers(
            store.conn,
            f"WHERE {on_clock} AND due_at >= ? AND due_at < ? ORDER BY due_at, id LIMIT ?",
            (*_ON_THE_CLOCK, tomorrow, _midnight(last + timedelta(days=1)), limit),
        )
    if kind is Worklist.OVERDUE:
        return load_dossiers(
            store.conn,
            f"WHERE {on_clock} AND due_at < ? ORDER BY due_at, id LIMIT ?",
            (*_ON_THE_CLOCK, to_iso(now), limit),
        )
    if kind is Worklist.WAITING_SUPPLEMENT:
        return load_dossiers(
            store.conn,
            "WHERE status = ? ORDER BY updated_at, id LIMIT ?",
            (DossierStatus.SUPPLEMENT_REQUESTED.value, limit),
        )
    return load_dossiers(
        store.conn,
        "WHERE status = ? ORDER BY result_at, id LIMIT ?",
        (DossierStatus.DONE.value, limit),
    )
