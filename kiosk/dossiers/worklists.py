"""The staff's work lists: due today, due soon, overdue, waiting for a supplement, ready.

Only dossiers on the office's clock are due: received, processing or awaiting the fee. A dossier
waiting for the applicant's supplement has its clock stopped, so it is never "overdue" but has
its own list, longest waiting first. Times are compared as stored text: every time in the store
is ISO 8601 in Vietnam's offset (+07:00), so text order is time order (the queries are in
`kiosk.store.dossier_repo`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Final

from kiosk.clock import VN_TZ
from kiosk.domain.calendar import WorkCalendar
from kiosk.domain.errors import ValidationError
from kiosk.domain.lifecycle import EXTENDABLE_STATUSES, DossierStatus
from kiosk.dossiers.models import Dossier, Worklist
from kiosk.dossiers.records import dossiers_from_rows
from kiosk.store import Store, to_iso
from kiosk.store.dossier_repo import records_due_between, records_in_status, service_day

MAX_DAYS_AHEAD: Final = 60


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
    conn = store.conn
    if kind is Worklist.DUE_TODAY:
        rows = records_due_between(
            conn, EXTENDABLE_STATUSES, start=_midnight(today), end=tomorrow, limit=limit
        )
    elif kind is Worklist.DUE_SOON:
        if not 1 <= days <= MAX_DAYS_AHEAD:
            raise ValidationError(
                f"Số ngày làm việc phải từ 1 đến {MAX_DAYS_AHEAD}.", field="days", value=str(days)
            )
        last = calendar.add_working_days(today, days)
        end = _midnight(last + timedelta(days=1))
        rows = records_due_between(conn, EXTENDABLE_STATUSES, start=tomorrow, end=end, limit=limit)
    elif kind is Worklist.OVERDUE:
        rows = records_due_between(
            conn, EXTENDABLE_STATUSES, start=None, end=to_iso(now), limit=limit
        )
    elif kind is Worklist.WAITING_SUPPLEMENT:
        rows = records_in_status(
            conn, DossierStatus.SUPPLEMENT_REQUESTED, oldest_by="updated_at", limit=limit
        )
    else:
        rows = records_in_status(conn, DossierStatus.DONE, oldest_by="result_at", limit=limit)
    return dossiers_from_rows(conn, rows)
