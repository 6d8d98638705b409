"""What every action of the workflow works with: the office store, its settings now, and its
working calendar; plus the few helpers they all share (due dates, form numbers, reloading)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time
from typing import Final

from kiosk.config import Settings
from kiosk.domain.calendar import WorkCalendar
from kiosk.domain.catalogue import Duration
from kiosk.dossiers import records
from kiosk.dossiers.models import Dossier
from kiosk.store import Store, WriteTx
from kiosk.store.dossier_repo import service_day
from kiosk.store.sequences import next_sequence

#: The unit that receives dossiers and hands them over (first "from" of form 05).
RECEPTION_UNIT: Final = "Bộ phận Tiếp nhận và Trả kết quả"


@dataclass(frozen=True, slots=True)
class Context:
    """The store, the settings in force and the calendar, for one call of the service.

    `calendar` is a function: the calendar is built (or taken from the cache) only when a step
    needs it.
    """

    store: Store
    settings: Settings
    calendar: Callable[[], WorkCalendar]

    def due_at(self, received_at: datetime, duration: Duration, cut_off: time | None) -> datetime:
        """The due date of a time limit counted from `received_at` on the office's calendar."""
        return self.calendar().due_at(
            received_at,
            duration,
            cut_off=cut_off or self.settings.same_day_cutoff,
            appointment=self.settings.appointment_time,
        )

    def load(self, dossier_id: int, *, replayed: bool = False) -> Dossier:
        """The dossier as committed, marked as a replay's answer when it is one."""
        found = records.load_dossier(self.store.conn, dossier_id=dossier_id)
        assert found is not None
        return replace(found, replayed=True) if replayed else found


def form_number(tx: WriteTx, form: str) -> str:
    """The printed number of a form 02/03/04: '07/2026', numbered per year."""
    year = service_day(tx.now).year
    return f"{next_sequence(tx, f'form{form}', str(year)):02d}/{year}"
