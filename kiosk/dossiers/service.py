"""The counter workflow: receive, supplement, refuse, and every step until the result is returned.

`DossierService` is the public face: one method is one user action and one write transaction
(`Store.write`): the business rows, a `dossier_events` row (time, acting user, unit, channel), an
outbox event without personal data and an audit row commit together, or nothing does. Status
changes go through the domain's state machine (`kiosk.domain.lifecycle.status_after`); an illegal
one raises `TransitionError` with the Vietnamese reason, before anything is written.

Idempotency: every write accepts a client `request_id` and runs through the one helper
`kiosk.dossiers.idempotency.write_once`: the same id again returns the first result
(`replayed=True`) and writes nothing but an audit row saying so; the same id with a different
request is refused.

Reads of a dossier by staff (`open_file`, `worklist`, `search`) and prints (`record_print`) write
an audit row each: the personal data protection law wants to know who looked at whom.

Where the work is done:

- `reception`: receive (form 01), and at the counter without a dossier, forms 02 and 03;
- `steps`: hand-over (form 05), processing, fee, withdrawal, stop, result ready and returned;
- `deadlines`: the steps that move the due date (supplement after review, its arrival, extension);
- `ratings`: the citizens' ratings; `queries`: the audited reads; `lookup`: the kiosk's lookup;
- `transition`: the frame of every step after reception; `checks`: the shared input checks;
- the SQL: `kiosk.store.dossier_repo` and `kiosk.store.dossier_forms_repo`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from kiosk.config import Settings
from kiosk.domain.calendar import WorkCalendar
from kiosk.domain.lifecycle import DossierEvent
from kiosk.dossiers import deadlines, queries, ratings, steps
from kiosk.dossiers import reception as at_counter  # `reception` names the methods' argument
from kiosk.dossiers.checks import canonical_code
from kiosk.dossiers.context import RECEPTION_UNIT, Context
from kiosk.dossiers.idempotency import fingerprint
from kiosk.dossiers.lookup import LookupLimiter, lookup_dossier
from kiosk.dossiers.models import (
    CounterRefusal,
    CounterSupplement,
    Dossier,
    DossierFile,
    LookupResult,
    MissingDocument,
    RatingLevel,
    RatingRecord,
    Reception,
    RefusalRecord,
    SupplementRecord,
    Worklist,
)
from kiosk.store import Store
from kiosk.store.calendar_repo import list_overrides

__all__ = ["RECEPTION_UNIT", "DossierService", "canonical_code", "fingerprint"]


class DossierService:
    """The dossier workflow over one office store, its settings and its working calendar."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        calendar: Callable[[], WorkCalendar] | None = None,
        limiter: LookupLimiter | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self._calendar_source = calendar
        self._calendar_key: tuple[Any, ...] | None = None
        self._calendar: WorkCalendar | None = None
        self.limiter = limiter or LookupLimiter(store.now)

    def calendar(self) -> WorkCalendar:
        """The office's working calendar, rebuilt only when the override table changed."""
        if self._calendar_source is not None:
            return self._calendar_source()
        overrides = tuple(list_overrides(self.store))
        if self._calendar is None or self._calendar_key != overrides:
            self._calendar = WorkCalendar(
                overrides, weekend=self.settings.weekend, sessions=self.settings.sessions
            )
            self._calendar_key = overrides
        return self._calendar

    def _context(self) -> Context:
        # Built per call: the hub replaces `settings` when the admin changes them.
        return Context(self.store, self.settings, self.calendar)

    # --- at the counter (kiosk.dossiers.reception) ------------------------------------------

    def receive(
        self, reception: Reception, *, actor: str, request_id: str | None = None
    ) -> Dossier:
        """Receive a complete dossier: code, register line, due date, documents (form 01)."""
        return at_counter.receive(self._context(), reception, actor=actor, request_id=request_id)

    def supplement_at_counter(
        self, request: CounterSupplement, *, actor: str, request_id: str | None = None
    ) -> SupplementRecord:
        """An incomplete dossier: form 02 lists everything missing, in one go; no code."""
        return at_counter.supplement_at_counter(
            self._context(), request, actor=actor, request_id=request_id
        )

    def refuse_at_counter(
        self, request: CounterRefusal, *, actor: str, request_id: str | None = None
    ) -> RefusalRecord:
        """A dossier not admissible: form 03 with the reason, recorded against the ticket."""
        return at_counter.refuse_at_counter(
            self._context(), request, actor=actor, request_id=request_id
        )

    # --- after reception (kiosk.dossiers.steps, kiosk.dossiers.deadlines) --------------------

    def transfer(
        self,
        code: str,
        *,
        to_unit: str,
        actor: str,
        from_unit: str = "",
        giver: str = "",
        receiver: str = "",
        step_due_at: datetime | None = None,
        note: str = "",
        request_id: str | None = None,
    ) -> Dossier:
        """Hand the dossier to a unit (one row of form 05), classified early/on time/late."""
        return steps.transfer(
            self._context(),
            code,
            to_unit=to_unit,
            actor=actor,
            from_unit=from_unit,
            giver=giver,
            receiver=receiver,
            step_due_at=step_due_at,
            note=note,
            request_id=request_id,
        )

    def start_processing(
        self,
        code: str,
        *,
        actor: str,
        unit: str = "",
        note: str = "",
        request_id: str | None = None,
    ) -> Dossier:
        """Processing starts without a hand-over (the receiving unit decides itself)."""
        return steps.simple_step(
            self._context(),
            code,
            DossierEvent.START_PROCESSING,
            actor=actor,
            note=note,
            unit=unit,
            request_id=request_id,
        )

    def request_supplement(
        self,
        code: str,
        *,
        items: tuple[MissingDocument, ...],
        reason: str,
        actor: str,
        allow_late: bool = False,
        request_id: str | None = None,
    ) -> SupplementRecord:
        """After review: ask for what is missing (form 02), within 3 working days of receipt
        (see `kiosk.dossiers.deadlines.request_supplement`)."""
        return deadlines.request_supplement(
            self._context(),
            code,
            items=items,
            reason=reason,
            actor=actor,
            allow_late=allow_late,
            request_id=request_id,
        )

    def supplement_received(
        self, code: str, *, actor: str, note: str = "", request_id: str | None = None
    ) -> Dossier:
        """The complete dossier is back: processing resumes and the due date moves (policy)."""
        return deadlines.supplement_received(
            self._context(), code, actor=actor, note=note, request_id=request_id
        )

    def request_fee(
        self,
        code: str,
        *,
        actor: str,
        amount: int | None = None,
        note: str = "",
        request_id: str | None = None,
    ) -> Dossier:
        """The dossier waits for the fee; `amount` (VND) replaces the fee when given."""
        return steps.request_fee(
            self._context(), code, actor=actor, amount=amount, note=note, request_id=request_id
        )

    def fee_paid(
        self, code: str, *, actor: str, note: str = "", request_id: str | None = None
    ) -> Dossier:
        return steps.simple_step(
            self._context(),
            code,
            DossierEvent.FEE_PAID,
            actor=actor,
            note=note,
            request_id=request_id,
        )

    def extend(
        self,
        code: str,
        *,
        new_due_at: datetime | date,
        reason: str,
        actor: str,
        request_id: str | None = None,
    ) -> Dossier:
        """Move the due date once, with an apology (form 04), at least one day before it.

        A date without a time gets the appointment hour of the settings. The original due date
        stays for the statistics.
        """
        return deadlines.extend(
            self._context(),
            code,
            new_due_at=new_due_at,
            reason=reason,
            actor=actor,
            request_id=request_id,
        )

    def withdraw(
        self, code: str, *, reason: str, actor: str, request_id: str | None = None
    ) -> Dossier:
        """The applicant withdraws the dossier (their written request)."""
        return steps.simple_step(
            self._context(),
            code,
            DossierEvent.WITHDRAW,
            actor=actor,
            note=reason,
            note_required="lý do rút hồ sơ",
            request_id=request_id,
        )

    def stop(self, code: str, *, reason: str, actor: str, request_id: str | None = None) -> Dossier:
        """Processing stops (stop notice, Thông tư 03/2025) with its reason."""
        return steps.simple_step(
            self._context(),
            code,
            DossierEvent.STOP,
            actor=actor,
            note=reason,
            note_required="lý do dừng xử lý",
            request_id=request_id,
        )

    def done(
        self,
        code: str,
        *,
        actor: str,
        unit: str = "",
        note: str = "",
        request_id: str | None = None,
    ) -> Dossier:
        """The result is ready; before the due day the applicant gets an early-return notice."""
        return steps.done(
            self._context(), code, actor=actor, unit=unit, note=note, request_id=request_id
        )

    def return_result(
        self,
        code: str,
        *,
        actor: str,
        channel: str = "counter",
        received_by: str = "",
        note: str = "",
        request_id: str | None = None,
    ) -> Dossier:
        """The result is handed over: at the counter (to whom), by post, or online."""
        return steps.return_result(
            self._context(),
            code,
            actor=actor,
            channel=channel,
            received_by=received_by,
            note=note,
            request_id=request_id,
        )

    # --- reading, with the audit the law asks for (kiosk.dossiers.queries) -----------------

    def get(self, code: str) -> Dossier:
        """A dossier by code, for the service's own use (not audited: not shown to anyone)."""
        return queries.get(self._context(), code)

    def open_file(self, code: str, *, actor: str) -> DossierFile:
        """A dossier with its hand-overs, forms 02 and timeline, for staff (audited)."""
        return queries.open_file(self._context(), code, actor=actor)

    def record_print(self, code: str, *, actor: str, form: str, copies: int = 1) -> Dossier:
        """Note in the audit that staff printed a form of this dossier."""
        return queries.record_print(self._context(), code, actor=actor, form=form, copies=copies)

    def worklist(
        self, kind: Worklist | str, *, actor: str, days: int = 3, limit: int = 200
    ) -> list[Dossier]:
        """One of the staff's work lists (see `kiosk.dossiers.worklists`); audited."""
        return queries.worklist(self._context(), kind, actor=actor, days=days, limit=limit)

    def search(self, query: str, *, actor: str, limit: int = 20) -> list[Dossier]:
        """Diacritics-insensitive search (name, code, phone, ID, procedure); audited."""
        return queries.search(self._context(), query, actor=actor, limit=limit)

    # --- citizens ----------------------------------------------------------------------------

    def lookup(self, code: str, *, device: str) -> LookupResult:
        """The kiosk's lookup by dossier code: masked, rate-limited per device."""
        return lookup_dossier(
            self.store, self.limiter, code, device=device, office_name=self.settings.office_name
        )

    def rate(
        self,
        level: RatingLevel | str,
        *,
        actor: str,
        counter_number: int | None = None,
        staff: str | None = None,
        ticket_id: int | None = None,
        dossier_code: str | None = None,
        comment: str = "",
        request_id: str | None = None,
    ) -> RatingRecord:
        """A citizen's rating (3 levels) with an optional reason, tied to counter, staff, ticket
        and dossier (see `kiosk.dossiers.ratings`). One rating per ticket."""
        return ratings.rate(
            self._context(),
            level,
            actor=actor,
            counter_number=counter_number,
            staff=staff,
            ticket_id=ticket_id,
            dossier_code=dossier_code,
            comment=comment,
            request_id=request_id,
        )
