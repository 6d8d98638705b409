"""A citizen's rating of the service (3 levels), tied to the counter, the staff member, the
ticket and the dossier; what is not given is taken from the counter. One rating per ticket."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiosk.dossiers import checks, records
from kiosk.dossiers.checks import NOTE_MAX
from kiosk.dossiers.context import Context
from kiosk.dossiers.errors import CounterNotFound, DossierNotFound, RatingAlreadyGiven
from kiosk.dossiers.idempotency import Outcome, write_once
from kiosk.dossiers.models import RatingLevel, RatingRecord
from kiosk.store import WriteTx
from kiosk.store import dossier_forms_repo as forms
from kiosk.store.dossier_repo import dossier_ticket, last_dossier_of_ticket, service_day


@dataclass(frozen=True, slots=True)
class _Rated:
    """Who and what a rating is about, once the counter has filled in what was not given."""

    counter_id: int | None
    staff: str | None
    ticket_id: int | None
    code: str | None
    dossier_id: int | None


def _about(
    tx: WriteTx,
    *,
    counter_number: int | None,
    staff: str | None,
    ticket_id: int | None,
    code: str | None,
) -> _Rated:
    counter_id = None
    if counter_number is not None:
        counter_id = forms.counter_id(tx.conn, counter_number)
        if counter_id is None:
            raise CounterNotFound(counter_number)
        if staff is None:
            staff = forms.staff_at_counter(tx.conn, counter_number, tx.now_iso)
        if ticket_id is None and code is None:
            day = service_day(tx.now).isoformat()
            ticket_id, code = forms.ticket_at_counter(tx.conn, counter_number, day)
    dossier_id = None
    if code is not None:
        found = dossier_ticket(tx.conn, code)
        if found is None:
            raise DossierNotFound(code)
        dossier_id = int(found["id"])
        if ticket_id is None and found["ticket_id"] is not None:
            ticket_id = int(found["ticket_id"])
    elif ticket_id is not None:
        dossier_id = last_dossier_of_ticket(tx.conn, ticket_id)
    if ticket_id is not None:
        checks.ticket(tx.conn, ticket_id)
        if forms.ticket_is_rated(tx.conn, ticket_id):
            raise RatingAlreadyGiven(ticket_id)
    return _Rated(counter_id, staff, ticket_id, code, dossier_id)


def _insert_rating(
    ctx: Context,
    tx: WriteTx,
    level: RatingLevel,
    *,
    counter_number: int | None,
    about: _Rated,
    comment: str,
) -> int:
    record_id = forms.insert_rating(
        tx,
        {
            "at": tx.now_iso,
            "level": level.value,
            "counter_id": about.counter_id,
            "staff": about.staff or "",
            "dossier_id": about.dossier_id,
            "ticket_id": about.ticket_id,
            "comment": comment,
        },
    )
    ticket_id = about.ticket_id
    tx.target = about.code or (f"ticket:{ticket_id}" if ticket_id is not None else "")
    tx.emit(
        "rating.given",
        {
            "level": level.value,
            "at": tx.now_iso,
            "counter_number": counter_number,
            "staff": about.staff or "",
            "ticket_id": ticket_id,
            "dossier_code": about.code,
            # The reason may name people: only whether there was one leaves the office.
            "has_comment": bool(comment),
            "unit_code": ctx.settings.unit_code,
        },
    )
    return record_id


def rate(
    ctx: Context,
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
    and dossier. What is not given is taken from the counter: the staff logged in there, its
    current (or last finished) ticket, and that ticket's dossier. One rating per ticket.
    """
    request_id = checks.request_id(request_id)
    chosen = RatingLevel(level)
    reason = checks.text(comment, field_name="comment", label="ý kiến", max_len=NOTE_MAX)
    wanted_code = None if not dossier_code else checks.canonical_code(dossier_code)
    request = {
        "level": chosen.value,
        "counter": counter_number,
        "staff": staff,
        "ticket": ticket_id,
        "code": wanted_code,
        "comment": reason,
    }

    def write(tx: WriteTx) -> Outcome:
        about = _about(
            tx, counter_number=counter_number, staff=staff, ticket_id=ticket_id, code=wanted_code
        )
        record_id = _insert_rating(
            ctx, tx, chosen, counter_number=counter_number, about=about, comment=reason
        )
        return Outcome(dossier_id=None, record_id=record_id)

    done, replayed = write_once(
        ctx.store,
        write,
        kind="rate",
        request=request,
        request_id=request_id,
        actor=actor,
        action="rating.give",
        details={"level": chosen.value},
    )
    assert done.record_id is not None
    rating = records.load_rating(ctx.store.conn, done.record_id)
    return replace(rating, replayed=True) if replayed else rating
