"""The queue engine: issue, call, recall, serve, finish, hold, transfer, cancel.

Every step is one `store.write` (`BEGIN IMMEDIATE`): the ticket row, exactly one `ticket_events`
row (whose id is the event id of the hub's stream), one outbox event and one audit row commit
together or not at all. The write lock of SQLite serialises steps across threads and processes,
so two counters can never claim the same ticket, and the partial unique index
`tickets_one_per_counter` would refuse it anyway.

How `call_next(counter)` chooses (all within the counter's service day):
1. a counter with a called or served ticket is refused (`CounterBusy`): the staff must finish,
   hold, transfer or mark the ticket no-show first; nothing is closed implicitly;
2. tickets sent to this very counter (transfer to a counter, come-back) go first, oldest first;
3. otherwise the counter's groups in its order: the first group with anyone waiting is served,
   and within it the priority rule of `kiosk.queue.priority` picks priority or regular;
4. within a kind, FIFO by issue order (the ticket id). Held and transferred tickets keep their
   id, so they return to their original place (in practice near the front).

Recalls: the call is the first announcement; `recall` repeats it while the ticket is `called`.
With `max_recalls_before_no_show = M`, recalls 1..M announce again and the next recall marks the
ticket no-show instead (event `ticket.no_show` with `automatic: true`).

Tickets of a past service day that are still open are closed as `cancelled` (event
`ticket.expired`) by the first write of the new day.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Final

from kiosk.domain.codes import (
    format_dossier_code,
    format_ticket_number,
    parse_dossier_code,
    validate_ticket_prefix,
)
from kiosk.domain.errors import ValidationError
from kiosk.domain.text import clean
from kiosk.domain.tickets import (
    OPEN_STATUSES,
    PriorityMode,
    TicketStatus,
    status_after,
)
from kiosk.domain.tickets import TicketStep as Step
from kiosk.domain.validation import parse_citizen_id
from kiosk.queue import eta
from kiosk.queue.days import service_day
from kiosk.queue.errors import (
    CounterBusy,
    CounterClosed,
    DailyLimitReached,
    InvalidTransfer,
    NoCurrentTicket,
    QueueConfigError,
    TicketExpired,
    TicketNotServedHere,
    UnknownCounter,
    UnknownGroup,
    UnknownTicket,
)
from kiosk.queue.models import (
    CounterInfo,
    CounterSpec,
    CounterStatus,
    GroupStatus,
    IssuedTicket,
    Outcome,
    PriorityCategory,
    QueueEvent,
    QueueSnapshot,
    ServiceGroup,
    ServiceGroupSpec,
    Ticket,
)
from kiosk.queue.priority import Pick, next_streak, pick_kind
from kiosk.store import Store, WriteTx, canonical_json
from kiosk.store.notices import announce
from kiosk.store.sequences import next_ticket_number

Execute = Callable[..., sqlite3.Cursor]

CALL_KINDS: Final = ("ticket.called", "ticket.recalled")

_TICKET_COLUMNS: Final = (
    "id, display_number, prefix, number, group_id, status, priority, issued_at, called_at, "
    "serving_at, finished_at, counter_number, recalls, outcome, note, return_to_counter, "
    "service_day, first_called_at, assigned_counter"
)
_OPEN_STATUSES: Final = "(" + ", ".join(f"'{s.value}'" for s in OPEN_STATUSES) + ")"

#: Office notices on the stream: the procedure catalogue / the working calendar was replaced.
#: Details: {"procedures": N, "fields": M, "source": "admin" | "district" | "cli"} and
#: {"overrides": N, "source": "district"}.


def _moment(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def _ticket(row: Sequence[Any]) -> Ticket:
    issued = _moment(row[7])
    assert issued is not None
    return Ticket(
        id=int(row[0]),
        display_number=str(row[1]),
        prefix=str(row[2]),
        number=int(row[3]),
        group_id=int(row[4]),
        status=TicketStatus(row[5]),
        priority=PriorityCategory(row[6]) if row[6] else None,
        issued_at=issued,
        called_at=_moment(row[8]),
        serving_at=_moment(row[9]),
        finished_at=_moment(row[10]),
        counter_number=row[11],
        recalls=int(row[12]),
        outcome=None if row[13] is None else Outcome(row[13]),
        note=str(row[14]),
        return_to_counter=row[15],
        service_day=date.fromisoformat(str(row[16])),
        first_called_at=_moment(row[17]),
        assigned_counter=row[18],
    )


def _group(row: Sequence[Any]) -> ServiceGroup:
    return ServiceGroup(
        id=int(row[0]),
        prefix=str(row[1]),
        name=str(row[2]),
        fields=tuple(json.loads(row[3])),
        number_width=int(row[4]),
    )


@dataclass(frozen=True, slots=True)
class _Counter:
    id: int
    info: CounterInfo


class QueueEngine:
    """The office's queue over one `Store`; safe to share between threads of one process."""

    def __init__(
        self,
        store: Store,
        *,
        day_start: time = time(0, 0),
        priority_mode: PriorityMode | str = PriorityMode.INTERLEAVED,
        priority_every: int = 3,
        max_recalls_before_no_show: int = 3,
        daily_limit_per_citizen: int | None = None,
        last_calls: int = 10,
    ) -> None:
        if priority_every < 1:
            raise ValueError(f"priority_every must be at least 1, got {priority_every}")
        if max_recalls_before_no_show < 0:
            raise ValueError("max_recalls_before_no_show cannot be negative")
        if daily_limit_per_citizen is not None and daily_limit_per_citizen < 1:
            raise ValueError("daily_limit_per_citizen must be at least 1 (or None: no limit)")
        self.store = store
        self.day_start = day_start
        self.priority_mode = PriorityMode(priority_mode)
        self.priority_every = priority_every
        self.max_recalls_before_no_show = max_recalls_before_no_show
        self.daily_limit_per_citizen = daily_limit_per_citizen
        self.last_calls = last_calls
        # Reads of this engine on the shared connection must not see another thread's
        # uncommitted write: every public method holds this lock.
        self._lock = threading.RLock()

    # -- time --------------------------------------------------------------------------------

    def service_day(self, moment: datetime | None = None) -> date:
        """The service day of `moment` (default: now), given the configured day start."""
        return service_day(moment or self.store.now(), self.day_start)

    # -- configuration -----------------------------------------------------------------------

    def configure(
        self,
        groups: Sequence[ServiceGroupSpec],
        counters: Sequence[CounterSpec],
        *,
        actor: str,
    ) -> bool:
        """Make the configuration exactly this (upsert by prefix and by counter number).

        Groups and counters missing from the lists are retired (kept for history, no longer
        listed or usable). Returns False, writing nothing, when nothing changes.
        """
        specs = self._checked_specs(groups, counters)
        with self._lock:
            before = (self._groups(self.store.conn.execute), self._counters_all())
            if self._matches(before, specs):
                return False
            with self.store.write(actor, "queue.configure", target="queue") as tx:
                self._apply(tx, *specs)
                self._record(tx, "queue.configured", None, None, {})
            return True

    def _checked_specs(
        self, groups: Sequence[ServiceGroupSpec], counters: Sequence[CounterSpec]
    ) -> tuple[list[ServiceGroupSpec], list[CounterSpec]]:
        checked: list[ServiceGroupSpec] = []
        for spec in groups:
            try:
                prefix = validate_ticket_prefix(spec.prefix)
            except ValidationError as error:
                raise QueueConfigError(error.message, prefix=spec.prefix) from None
            name = clean(spec.name)
            if not name:
                raise QueueConfigError(f"Nhóm '{prefix}' chưa có tên.", prefix=prefix)
            if not 1 <= spec.number_width <= 6:
                raise QueueConfigError(
                    f"Số chữ số của nhóm '{prefix}' phải từ 1 đến 6.", prefix=prefix
                )
            fields = tuple(clean(f) for f in spec.fields)
            checked.append(ServiceGroupSpec(prefix, name, fields, spec.number_width))
        prefixes = [g.prefix for g in checked]
        if len(set(prefixes)) != len(prefixes):
            raise QueueConfigError("Hai nhóm dịch vụ không được dùng chung một ký hiệu.")
        known = set(prefixes)
        checked_counters: list[CounterSpec] = []
        for counter in counters:
            if counter.number < 1:
                raise QueueConfigError(f"Số quầy phải từ 1 trở lên (đang là {counter.number}).")
            wanted = tuple(p.strip().upper() for p in counter.group_prefixes)
            unknown = [p for p in wanted if p not in known]
            if unknown:
                raise QueueConfigError(
                    f"Quầy {counter.number} phục vụ nhóm '{unknown[0]}' không có trong cấu hình.",
                    counter=counter.number,
                )
            if len(set(wanted)) != len(wanted):
                raise QueueConfigError(f"Quầy {counter.number} liệt kê một nhóm hai lần.")
            name = clean(counter.name) or f"Quầy {counter.number}"
            checked_counters.append(CounterSpec(counter.number, name, wanted, counter.open))
        numbers = [c.number for c in checked_counters]
        if len(set(numbers)) != len(numbers):
            raise QueueConfigError("Hai quầy không được trùng số.")
        return checked, checked_counters

    def _matches(
        self,
        before: tuple[list[ServiceGroup], list[CounterInfo]],
        specs: tuple[list[ServiceGroupSpec], list[CounterSpec]],
    ) -> bool:
        groups, counters = before
        wanted_groups, wanted_counters = specs
        have_groups = [(g.prefix, g.name, g.fields, g.number_width) for g in groups]
        if have_groups != [(g.prefix, g.name, g.fields, g.number_width) for g in wanted_groups]:
            return False
        prefix_of = {g.id: g.prefix for g in groups}
        have_counters = [
            (c.number, c.name, tuple(prefix_of[i] for i in c.group_ids), c.open) for c in counters
        ]
        return have_counters == [
            (c.number, c.name, c.group_prefixes, c.open) for c in wanted_counters
        ]

    def _apply(
        self, tx: WriteTx, groups: list[ServiceGroupSpec], counters: list[CounterSpec]
    ) -> None:
        tx.execute("UPDATE service_groups SET active = 0")
        group_ids: dict[str, int] = {}
        for position, spec in enumerate(groups):
            row = tx.execute(
                "INSERT INTO service_groups (prefix, name, fields, number_width, position, active)"
                " VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (prefix) DO UPDATE SET"
                " name = excluded.name, fields = excluded.fields,"
                " number_width = excluded.number_width, "
                "position = excluded.position, active = 1 RETURNING id",
                (
                    spec.prefix,
                    spec.name,
                    canonical_json(list(spec.fields)),
                    spec.number_width,
                    position,
                ),
            ).fetchone()
            group_ids[spec.prefix] = int(row[0])
        tx.execute("UPDATE counters SET active = 0")
        for counter in counters:
            row = tx.execute(
                "INSERT INTO counters (number, name, active, is_open) VALUES (?, ?, 1, ?) "
                "ON CONFLICT (number) DO UPDATE SET name = excluded.name, active = 1, "
                "is_open = excluded.is_open RETURNING id",
                (counter.number, counter.name, int(counter.open)),
            ).fetchone()
            counter_id = int(row[0])
            tx.execute("DELETE FROM counter_groups WHERE counter_id = ?", (counter_id,))
            tx.executemany(
                "INSERT INTO counter_groups (counter_id, position, group_id) VALUES (?, ?, ?)",
                [(counter_id, i, group_ids[p]) for i, p in enumerate(counter.group_prefixes)],
            )

    def groups(self) -> list[ServiceGroup]:
        """The configured groups, in configuration order."""
        with self._lock:
            return self._groups(self.store.conn.execute)

    def counters(self) -> list[CounterInfo]:
        """The configured counters, by number."""
        with self._lock:
            return self._counters_all()

    def set_counter_open(self, counter_number: int, is_open: bool, *, actor: str) -> CounterInfo:
        """Open or close a counter (staff logs in or out); closed counters cannot call and do
        not count in the waiting-time estimate."""
        action = "queue.counter_open" if is_open else "queue.counter_close"
        with self._write(actor, action, f"counter:{counter_number}") as tx:
            counter = self._counter(tx.execute, counter_number)
            if counter.info.open == is_open:
                return counter.info
            tx.execute("UPDATE counters SET is_open = ? WHERE id = ?", (int(is_open), counter.id))
            kind = "counter.opened" if is_open else "counter.closed"
            self._record(tx, kind, None, counter_number, {})
            return self._counter(tx.execute, counter_number).info

    # -- tickets -----------------------------------------------------------------------------

    def issue(
        self,
        prefix: str,
        *,
        priority: PriorityCategory | None = None,
        citizen_id: str | None = None,
        actor: str,
    ) -> IssuedTicket:
        """A new ticket of group `prefix`, numbered from the group's daily sequence.

        `citizen_id` only matters when a daily limit is set: it is checked, then kept only as
        a salted hash of (service day, number) in `citizen_daily_tickets`, never with the ticket.
        """
        with self._write(actor, "queue.issue") as tx:
            today = self._today(tx)
            group = self._group_by_prefix(tx.execute, prefix)
            if self.daily_limit_per_citizen is not None and citizen_id:
                self._count_citizen(tx, today, citizen_id, self.daily_limit_per_citizen)
            number = next_ticket_number(tx, group.prefix, today)
            display = format_ticket_number(group.prefix, number, group.number_width)
            ticket_id = tx.insert(
                "tickets",
                {
                    "group_id": group.id,
                    "prefix": group.prefix,
                    "number": number,
                    "display_number": display,
                    "service_day": today.isoformat(),
                    "status": TicketStatus.WAITING.value,
                    "priority": "" if priority is None else PriorityCategory(priority).value,
                    "issued_at": tx.now_iso,
                    "updated_at": tx.now_iso,
                },
            )
            tx.target = display
            ahead = int(
                tx.execute(
                    "SELECT count(*) FROM tickets WHERE status = 'waiting' AND service_day = ? "
                    "AND group_id = ? AND id < ?",
                    (today.isoformat(), group.id, ticket_id),
                ).fetchone()[0]
            )
            minutes = self._estimate(tx.execute, group.id, today, ahead)
            ticket = self._load(tx.execute, ticket_id)
            self._record(
                tx,
                "ticket.issued",
                ticket,
                None,
                {"people_ahead": ahead, "estimated_wait_minutes": minutes},
            )
            return IssuedTicket(ticket, ahead, minutes)

    def call_next(self, counter_number: int, *, actor: str) -> Ticket | None:
        """Claim the next ticket for the counter (see the module docstring); None if nobody
        waits. Refused while the counter still has a called or served ticket."""
        with self._lock:
            # A look first, without the write lock: "nobody waits" is the common answer of a
            # quiet hour and needs no transaction, no fsync and no audit row of its own.
            with self._read() as execute:
                today = service_day(self.store.now(), self.day_start)
                counter = self._counter(execute, counter_number)
                idle = counter.info.open and self._current(execute, counter_number, today) is None
                if idle and self._pick(execute, counter.info, today) is None:
                    return None
            return self._call_next_claim(counter_number, actor=actor)

    def _call_next_claim(self, counter_number: int, *, actor: str) -> Ticket | None:
        with self._write(actor, "queue.call_next", f"counter:{counter_number}") as tx:
            today = self._today(tx)
            counter = self._ready_counter(tx, counter_number)
            ticket_id = self._pick(tx.execute, counter.info, today)
            if ticket_id is None:
                return None
            return self._claim(tx, ticket_id, counter_number, today, {})

    def call_ticket(self, counter_number: int, ticket_id: int, *, actor: str) -> Ticket:
        """Call one ticket out of order: a waiting ticket (or one on hold) that this counter
        serves (one of its groups, or sent to it)."""
        with self._write(actor, "queue.call_ticket", f"counter:{counter_number}") as tx:
            today = self._today(tx)
            counter = self._ready_counter(tx, counter_number)
            ticket = self._load(tx.execute, ticket_id)
            if ticket.service_day != today:
                raise TicketExpired(ticket.display_number)
            self._check(ticket, Step.CALL)
            served_here = (
                ticket.assigned_counter == counter_number
                if ticket.assigned_counter is not None
                else ticket.group_id in counter.info.group_ids
                or ticket.counter_number == counter_number
            )
            if not served_here:
                raise TicketNotServedHere(counter_number, ticket.display_number)
            return self._claim(tx, ticket.id, counter_number, today, {"out_of_order": True})

    def recall(self, counter_number: int, *, actor: str) -> Ticket:
        """Announce the called ticket again; past the allowed recalls, mark it no-show."""
        with self._write(actor, "queue.recall", f"counter:{counter_number}") as tx:
            ticket = self._current_or_fail(tx, counter_number)
            tx.target = ticket.display_number
            self._check(ticket, Step.RECALL)
            if ticket.recalls >= self.max_recalls_before_no_show:
                done = self._update(
                    tx,
                    ticket.id,
                    status=self._check(ticket, Step.NO_SHOW).value,
                    finished_at=tx.now_iso,
                )
                details = {"automatic": True, "recalls": ticket.recalls}
                self._record(tx, "ticket.no_show", done, counter_number, details)
                return done
            again = self._update(tx, ticket.id, recalls=ticket.recalls + 1)
            self._record(tx, "ticket.recalled", again, counter_number, {"recall": again.recalls})
            return again

    def start_serving(self, counter_number: int, *, actor: str) -> Ticket:
        """The citizen has come to the counter."""
        with self._write(actor, "queue.start_serving", f"counter:{counter_number}") as tx:
            ticket = self._current_or_fail(tx, counter_number)
            tx.target = ticket.display_number
            serving = self._update(
                tx, ticket.id, status=self._check(ticket, Step.START).value, serving_at=tx.now_iso
            )
            self._record(tx, "ticket.serving", serving, counter_number, {})
            return serving

    def finish(
        self,
        counter_number: int,
        outcome: Outcome,
        *,
        actor: str,
        dossier_code: str | None = None,
    ) -> Ticket:
        """End the service (from `called` or `serving`) with its outcome.

        A ticket transferred here with "come back" returns to waiting for the counter that
        sent it (first in its line) instead of becoming done; the one event is still
        `ticket.finished`, with `back_to_counter` in its details.
        """
        outcome = Outcome(outcome)
        code = None
        if dossier_code:
            parts = parse_dossier_code(dossier_code)
            code = format_dossier_code(parts.unit_code, parts.received_on, parts.seq)
        with self._write(actor, "queue.finish", f"counter:{counter_number}") as tx:
            ticket = self._current_or_fail(tx, counter_number)
            tx.target = ticket.display_number
            back = ticket.return_to_counter
            after = self._check(ticket, Step.FINISH if back is None else Step.FINISH_AND_GO_BACK)
            assert ticket.called_at is not None
            started = ticket.serving_at or ticket.called_at
            seconds = max(0, int((tx.now - started).total_seconds()))
            tx.insert(
                "ticket_services",
                {
                    "ticket_id": ticket.id,
                    "group_id": ticket.group_id,
                    "counter_number": counter_number,
                    "service_day": ticket.service_day.isoformat(),
                    "called_at": ticket.called_at.isoformat(),
                    "serving_at": None
                    if ticket.serving_at is None
                    else ticket.serving_at.isoformat(),
                    "finished_at": tx.now_iso,
                    "seconds": seconds,
                    "outcome": outcome.value,
                    "dossier_code": code,
                    "actor": actor,
                },
            )
            details: dict[str, Any] = {"outcome": outcome.value, "service_seconds": seconds}
            if code:
                details["dossier_code"] = code
            if back is not None:
                group_id = tx.execute(
                    "SELECT return_group_id FROM tickets WHERE id = ?", (ticket.id,)
                ).fetchone()[0]
                finished = self._update(
                    tx,
                    ticket.id,
                    status=after.value,
                    outcome=outcome.value,
                    group_id=group_id if group_id is not None else ticket.group_id,
                    assigned_counter=back,
                    counter_number=None,
                    called_at=None,
                    serving_at=None,
                    return_to_counter=None,
                    return_group_id=None,
                )
                details["back_to_counter"] = back
            else:
                finished = self._update(
                    tx,
                    ticket.id,
                    status=after.value,
                    outcome=outcome.value,
                    finished_at=tx.now_iso,
                )
            self._record(tx, "ticket.finished", finished, counter_number, details)
            return finished

    def no_show(self, counter_number: int, *, actor: str) -> Ticket:
        """The called citizen did not come (only from `called`)."""
        with self._write(actor, "queue.no_show", f"counter:{counter_number}") as tx:
            ticket = self._current_or_fail(tx, counter_number)
            tx.target = ticket.display_number
            gone = self._update(
                tx,
                ticket.id,
                status=self._check(ticket, Step.NO_SHOW).value,
                finished_at=tx.now_iso,
            )
            self._record(tx, "ticket.no_show", gone, counter_number, {"automatic": False})
            return gone

    def hold(self, counter_number: int, *, actor: str, note: str = "") -> Ticket:
        """Put the counter's ticket aside (e.g. the citizen fetches a paper); frees the counter."""
        with self._write(actor, "queue.hold", f"counter:{counter_number}") as tx:
            ticket = self._current_or_fail(tx, counter_number)
            tx.target = ticket.display_number
            held = self._update(
                tx,
                ticket.id,
                status=self._check(ticket, Step.HOLD).value,
                note=clean(note) or ticket.note,
            )
            self._record(tx, "ticket.held", held, counter_number, {})
            return held

    def return_from_hold(self, ticket_id: int, *, actor: str) -> Ticket:
        """A held ticket waits again at its original place in its group (issue order)."""
        with self._write(actor, "queue.return_from_hold") as tx:
            today = self._today(tx)
            ticket = self._load(tx.execute, ticket_id)
            tx.target = ticket.display_number
            if ticket.service_day != today:
                raise TicketExpired(ticket.display_number)
            back = self._update(
                tx,
                ticket.id,
                status=self._check(ticket, Step.RETURN_FROM_HOLD).value,
                counter_number=None,
                called_at=None,
                serving_at=None,
            )
            self._record(
                tx, "ticket.returned_from_hold", back, None, {"held_at": ticket.counter_number}
            )
            return back

    def transfer(
        self,
        counter_number: int,
        *,
        to_prefix: str | None = None,
        to_counter: int | None = None,
        note: str = "",
        come_back: bool = False,
        actor: str,
    ) -> Ticket:
        """Send the counter's ticket to another group and/or counter; it keeps its id and
        display number and waits there at its original place (issue order); with `to_counter`
        only that counter calls it, first. `come_back`: once the other side finishes, it waits
        again for this counter (first in line)."""
        if to_prefix is None and to_counter is None:
            raise InvalidTransfer("Hãy chọn nhóm dịch vụ hoặc quầy nhận chuyển.")
        if to_counter == counter_number:
            raise InvalidTransfer(f"Không thể chuyển số sang chính quầy {counter_number}.")
        with self._write(actor, "queue.transfer", f"counter:{counter_number}") as tx:
            ticket = self._current_or_fail(tx, counter_number)
            tx.target = ticket.display_number
            after = self._check(ticket, Step.TRANSFER)
            group_id = ticket.group_id
            if to_prefix is not None:
                group_id = self._group_by_prefix(tx.execute, to_prefix).id
            if to_counter is not None:
                self._counter(tx.execute, to_counter)
            elif group_id == ticket.group_id:
                raise InvalidTransfer(
                    f"Số {ticket.display_number} đã thuộc nhóm này: hãy chọn nhóm hoặc quầy khác."
                )
            moved = self._update(
                tx,
                ticket.id,
                status=after.value,
                group_id=group_id,
                assigned_counter=to_counter,
                counter_number=None,
                called_at=None,
                serving_at=None,
                note=clean(note) or ticket.note,
                return_to_counter=counter_number if come_back else None,
                return_group_id=ticket.group_id if come_back else None,
            )
            details = {
                "from_group_id": ticket.group_id,
                "to_group_id": group_id,
                "to_counter": to_counter,
                "come_back": come_back,
            }
            self._record(tx, "ticket.transferred", moved, counter_number, details)
            return moved

    def cancel(self, ticket_id: int, *, actor: str) -> Ticket:
        """Cancel a ticket that is not final (the citizen left, a misprint...)."""
        with self._write(actor, "queue.cancel") as tx:
            ticket = self._load(tx.execute, ticket_id)
            tx.target = ticket.display_number
            gone = self._update(
                tx,
                ticket.id,
                status=self._check(ticket, Step.CANCEL).value,
                finished_at=tx.now_iso,
                assigned_counter=None,
            )
            self._record(tx, "ticket.cancelled", gone, ticket.counter_number, {})
            return gone

    def get_ticket(self, ticket_id: int) -> Ticket:
        """The ticket with this id; `UnknownTicket` if there is none."""
        with self._lock:
            return self._load(self.store.conn.execute, ticket_id)

    def current(self, counter_number: int) -> Ticket | None:
        """The counter's called or served ticket of today, if any."""
        with self._lock:
            execute = self.store.conn.execute
            self._counter(execute, counter_number)
            return self._current(execute, counter_number, self.service_day())

    def waiting_tickets(self, counter_number: int | None = None) -> list[Ticket]:
        """Today's waiting tickets in issue order: all, or those `counter_number` may call."""
        with self._lock:
            execute = self.store.conn.execute
            today = self.service_day().isoformat()
            rows = execute(
                f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE status = 'waiting' "
                "AND service_day = ? ORDER BY id",
                (today,),
            ).fetchall()
            tickets = [_ticket(r) for r in rows]
            if counter_number is None:
                return tickets
            groups = set(self._counter(execute, counter_number).info.group_ids)
            return [
                t
                for t in tickets
                if t.assigned_counter == counter_number
                or (t.assigned_counter is None and t.group_id in groups)
            ]

    def held_tickets(self, counter_number: int | None = None) -> list[Ticket]:
        """Today's tickets on hold: all, or those held at `counter_number`."""
        with self._lock:
            rows = self.store.conn.execute(
                f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE status = 'on_hold' "
                "AND service_day = ? AND (? IS NULL OR counter_number = ?) ORDER BY id",
                (self.service_day().isoformat(), counter_number, counter_number),
            ).fetchall()
            return [_ticket(r) for r in rows]

    def held_since(self, counter_number: int) -> list[tuple[Ticket, datetime]]:
        """Today's tickets on hold at `counter_number`, each with the time it was put on hold,
        longest held first (for the counter's own list: nothing else changes a held ticket, so
        its last update is the hold)."""
        with self._lock:
            rows = self.store.conn.execute(
                f"SELECT {_TICKET_COLUMNS}, updated_at FROM tickets WHERE status = 'on_hold' "
                "AND service_day = ? AND counter_number = ? ORDER BY updated_at, id",
                (self.service_day().isoformat(), counter_number),
            ).fetchall()
            return [(_ticket(r[:-1]), datetime.fromisoformat(str(r[-1]))) for r in rows]

    # -- the board ---------------------------------------------------------------------------

    def estimate_wait(self, prefix: str) -> int:
        """Minutes a ticket issued now in group `prefix` would wait (see `kiosk.queue.eta`)."""
        with self._lock:
            execute = self.store.conn.execute
            group = self._group_by_prefix(execute, prefix)
            today = self.service_day()
            return self._estimate(execute, group.id, today, self._waiting(execute, group.id, today))

    def snapshot(self) -> QueueSnapshot:
        """The board now, read in one read transaction; `last_event_id` continues it."""
        with self._lock, self._read() as execute:
            today = self.service_day()
            last = int(execute("SELECT coalesce(max(id), 0) FROM ticket_events").fetchone()[0])
            groups = []
            for group in self._groups(execute):
                waiting = self._waiting(execute, group.id, today)
                minutes = self._estimate(execute, group.id, today, waiting)
                groups.append(GroupStatus(group, waiting, minutes))
            counters = [
                CounterStatus(info, self._current(execute, info.number, today))
                for info in (c.info for c in self._counter_rows(execute))
            ]
            rows = execute(
                "SELECT id, kind, at, counter_number, ticket_state FROM ticket_events "
                f"WHERE kind IN {CALL_KINDS!r} ORDER BY id DESC LIMIT ?",
                (self.last_calls,),
            ).fetchall()
            calls = [self._event(r) for r in rows]
            calls = [e for e in calls if e.ticket is not None and e.ticket.service_day == today]
            return QueueSnapshot(groups, counters, calls, last)

    def events_since(self, after_id: int, limit: int = 500) -> list[QueueEvent]:
        """Events with an id above `after_id`, oldest first (at most `limit`)."""
        with self._lock:
            rows = self.store.conn.execute(
                "SELECT id, kind, at, counter_number, ticket_state, details FROM ticket_events "
                "WHERE id > ? ORDER BY id LIMIT ?",
                (after_id, limit),
            ).fetchall()
            return [self._event(r) for r in rows]

    def announce(
        self, tx: WriteTx, kind: str, details: dict[str, Any], *, counter_number: int | None = None
    ) -> int:
        """Put an office notice on the hub's event stream inside the caller's write
        (configuration changed, a device asked to print a test page…); returns its stream id.

        `details` go to every screen as they are: public facts only, never personal data.
        """
        return announce(tx, kind, details, counter_number=counter_number)

    # -- internals ---------------------------------------------------------------------------

    @contextmanager
    def _write(self, actor: str, action: str, target: str = "") -> Iterator[WriteTx]:
        with self._lock, self.store.write(actor, action, target=target) as tx:
            yield tx

    @contextmanager
    def _read(self) -> Iterator[Execute]:
        conn = self.store.conn
        if conn.in_transaction:  # another component's write on this thread: read inside it
            yield conn.execute
            return
        conn.execute("BEGIN")
        try:
            yield conn.execute
        finally:
            conn.execute("COMMIT")

    def _today(self, tx: WriteTx) -> date:
        """The service day of this write, after closing open tickets of past days."""
        today = service_day(tx.now, self.day_start)
        # INDEXED BY: without statistics the planner prefers tickets_by_day_status, whose
        # range over past days grows with the history; the partial index holds only open ones.
        rows = tx.execute(
            f"SELECT {_TICKET_COLUMNS} FROM tickets INDEXED BY tickets_open "
            f"WHERE status IN {_OPEN_STATUSES} AND service_day < ? ORDER BY id",
            (today.isoformat(),),
        ).fetchall()
        for row in rows:
            stale = _ticket(row)
            closed = self._update(
                tx,
                stale.id,
                status=self._check(stale, Step.EXPIRE).value,
                finished_at=tx.now_iso,
                assigned_counter=None,
            )
            self._record(
                tx, "ticket.expired", closed, stale.counter_number, {"from": stale.status.value}
            )
        return today

    def _record(
        self,
        tx: WriteTx,
        kind: str,
        ticket: Ticket | None,
        counter_number: int | None,
        details: dict[str, Any],
    ) -> int:
        """The one ticket_events row of this change, and its outbox event (no personal data:
        the staff note stays out of the outbox)."""
        state = None if ticket is None else canonical_json(ticket.as_json(public=False))
        event_id = tx.insert(
            "ticket_events",
            {
                "ticket_id": None if ticket is None else ticket.id,
                "at": tx.now_iso,
                "kind": kind,
                "actor": tx.actor,
                "counter_number": counter_number,
                "details": canonical_json(details),
                "ticket_state": state,
            },
        )
        payload: dict[str, Any] = {
            "ticket_event_id": event_id,
            "at": tx.now_iso,
            "counter_number": counter_number,
            "details": details,
            "ticket": None,
        }
        if ticket is not None:
            public = ticket.as_json()
            public["priority_category"] = None if ticket.priority is None else ticket.priority.value
            payload["ticket"] = public
        tx.emit(kind, payload)
        return event_id

    def _update(self, tx: WriteTx, ticket_id: int, **columns: Any) -> Ticket:
        assignments = ", ".join(f"{name} = ?" for name in columns)
        tx.execute(
            f"UPDATE tickets SET {assignments}, updated_at = ? WHERE id = ?",
            (*columns.values(), tx.now_iso, ticket_id),
        )
        return self._load(tx.execute, ticket_id)

    def _claim(
        self, tx: WriteTx, ticket_id: int, counter_number: int, today: date, details: dict[str, Any]
    ) -> Ticket:
        cursor = tx.execute(
            "UPDATE tickets SET status = 'called', counter_number = ?, called_at = ?, "
            "first_called_at = coalesce(first_called_at, ?), serving_at = NULL, "
            "finished_at = NULL, outcome = NULL, recalls = 0, assigned_counter = NULL, "
            "updated_at = ? WHERE id = ? AND status IN ('waiting', 'on_hold')",
            (counter_number, tx.now_iso, tx.now_iso, tx.now_iso, ticket_id),
        )
        # Inside BEGIN IMMEDIATE nobody else can have claimed it: anything else is a bug.
        if cursor.rowcount != 1:
            raise RuntimeError(f"ticket {ticket_id} could not be claimed")
        ticket = self._load(tx.execute, ticket_id)
        tx.target = ticket.display_number
        streak = self._streak(tx.execute, ticket.group_id, today)
        after = next_streak(streak, called_priority=ticket.priority is not None)
        if after is not None:
            tx.execute(
                "INSERT INTO priority_streaks (group_id, service_day, regular_calls) "
                "VALUES (?, ?, ?) ON CONFLICT (group_id, service_day) "
                "DO UPDATE SET regular_calls = excluded.regular_calls",
                (ticket.group_id, today.isoformat(), after),
            )
        self._record(tx, "ticket.called", ticket, counter_number, details)
        return ticket

    def _pick(self, execute: Execute, counter: CounterInfo, today: date) -> int | None:
        day = today.isoformat()
        row = execute(
            "SELECT id FROM tickets WHERE status = 'waiting' AND assigned_counter = ? "
            "AND service_day = ? ORDER BY id LIMIT 1",
            (counter.number, day),
        ).fetchone()
        if row is not None:
            return int(row[0])
        base = (
            "SELECT id FROM tickets WHERE status = 'waiting' AND service_day = ? AND group_id = ? "
            "AND priority {} '' AND assigned_counter IS NULL ORDER BY id LIMIT 1"
        )
        for group_id in counter.group_ids:
            regular = execute(base.format("="), (day, group_id)).fetchone()
            priority = execute(base.format(">"), (day, group_id)).fetchone()
            streak = (
                self._streak(execute, group_id, today)
                if regular is not None and priority is not None
                else None
            )
            kind = pick_kind(
                self.priority_mode,
                self.priority_every,
                streak,
                priority_waiting=priority is not None,
                regular_waiting=regular is not None,
            )
            if kind is Pick.PRIORITY:
                assert priority is not None
                return int(priority[0])
            if kind is Pick.REGULAR:
                assert regular is not None
                return int(regular[0])
        return None

    def _streak(self, execute: Execute, group_id: int, today: date) -> int | None:
        row = execute(
            "SELECT regular_calls FROM priority_streaks WHERE group_id = ? AND service_day = ?",
            (group_id, today.isoformat()),
        ).fetchone()
        return None if row is None else int(row[0])

    def _count_citizen(self, tx: WriteTx, today: date, citizen_id: str, limit: int) -> None:
        number = parse_citizen_id(citizen_id).number
        salt = tx.execute("SELECT value FROM settings WHERE key = 'citizen_hash_salt'").fetchone()
        key = hmac.new(
            str(salt[0]).encode(), f"{today.isoformat()}|{number}".encode(), hashlib.sha256
        ).hexdigest()
        row = tx.execute(
            "SELECT tickets FROM citizen_daily_tickets WHERE service_day = ? AND citizen_hash = ?",
            (today.isoformat(), key),
        ).fetchone()
        if row is not None and int(row[0]) >= limit:
            raise DailyLimitReached(limit)
        tx.execute(
            "INSERT INTO citizen_daily_tickets (service_day, citizen_hash, tickets) "
            "VALUES (?, ?, 1) ON CONFLICT (service_day, citizen_hash) "
            "DO UPDATE SET tickets = tickets + 1",
            (today.isoformat(), key),
        )

    def _estimate(self, execute: Execute, group_id: int, today: date, ahead: int) -> int:
        seconds = [
            float(r[0])
            for r in execute(
                "SELECT seconds FROM ticket_services WHERE group_id = ? AND service_day = ? "
                "ORDER BY id DESC LIMIT ?",
                (group_id, today.isoformat(), eta.RECENT_SERVICES),
            ).fetchall()
        ]
        open_counters = int(
            execute(
                "SELECT count(*) FROM counters AS c JOIN counter_groups AS cg "
                "ON cg.counter_id = c.id WHERE cg.group_id = ? AND c.active = 1 AND c.is_open = 1",
                (group_id,),
            ).fetchone()[0]
        )
        return eta.estimate_wait_minutes(ahead, eta.typical_service_minutes(seconds), open_counters)

    def _waiting(self, execute: Execute, group_id: int, today: date) -> int:
        return int(
            execute(
                "SELECT count(*) FROM tickets WHERE status = 'waiting' AND service_day = ? "
                "AND group_id = ?",
                (today.isoformat(), group_id),
            ).fetchone()[0]
        )

    def _load(self, execute: Execute, ticket_id: int) -> Ticket:
        row = execute(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,)
        ).fetchone()
        if row is None:
            raise UnknownTicket(ticket_id)
        return _ticket(row)

    def _current(self, execute: Execute, counter_number: int, today: date) -> Ticket | None:
        row = execute(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE counter_number = ? "
            "AND status IN ('called', 'serving') AND service_day = ?",
            (counter_number, today.isoformat()),
        ).fetchone()
        return None if row is None else _ticket(row)

    def _current_or_fail(self, tx: WriteTx, counter_number: int) -> Ticket:
        today = self._today(tx)
        self._counter(tx.execute, counter_number)
        ticket = self._current(tx.execute, counter_number, today)
        if ticket is None:
            raise NoCurrentTicket(counter_number)
        return ticket

    def _ready_counter(self, tx: WriteTx, counter_number: int) -> _Counter:
        """The counter, if it may call now: open, and with no ticket at the counter."""
        counter = self._counter(tx.execute, counter_number)
        if not counter.info.open:
            raise CounterClosed(counter_number)
        busy = self._current(tx.execute, counter_number, service_day(tx.now, self.day_start))
        if busy is not None:
            raise CounterBusy(counter_number, busy.display_number)
        return counter

    def _check(self, ticket: Ticket, step: Step) -> TicketStatus:
        """The status `step` takes the ticket to (kiosk.domain.tickets), or the refusal."""
        return status_after(ticket.status, step, ticket.display_number)

    def _groups(self, execute: Execute) -> list[ServiceGroup]:
        rows = execute(
            "SELECT id, prefix, name, fields, number_width FROM service_groups WHERE active = 1 "
            "ORDER BY position, id"
        ).fetchall()
        return [_group(r) for r in rows]

    def _group_by_prefix(self, execute: Execute, prefix: str) -> ServiceGroup:
        try:
            wanted = validate_ticket_prefix(prefix)
        except ValidationError:
            raise UnknownGroup(prefix) from None
        row = execute(
            "SELECT id, prefix, name, fields, number_width FROM service_groups "
            "WHERE prefix = ? AND active = 1",
            (wanted,),
        ).fetchone()
        if row is None:
            raise UnknownGroup(prefix)
        return _group(row)

    def _counter_rows(self, execute: Execute, number: int | None = None) -> list[_Counter]:
        rows = execute(
            "SELECT c.id, c.number, c.name, c.is_open, "
            "(SELECT json_group_array(group_id) FROM "
            " (SELECT group_id FROM counter_groups WHERE counter_id = c.id ORDER BY position)) "
            "FROM counters AS c WHERE c.active = 1 AND (? IS NULL OR c.number = ?) "
            "ORDER BY c.number",
            (number, number),
        ).fetchall()
        return [
            _Counter(
                int(r[0]),
                CounterInfo(int(r[1]), str(r[2]), tuple(json.loads(r[4])), bool(r[3])),
            )
            for r in rows
        ]

    def _counters_all(self) -> list[CounterInfo]:
        return [c.info for c in self._counter_rows(self.store.conn.execute)]

    def _counter(self, execute: Execute, number: int) -> _Counter:
        found = self._counter_rows(execute, number)
        if not found:
            raise UnknownCounter(number)
        return found[0]

    def _event(self, row: Sequence[Any]) -> QueueEvent:
        state = row[4]
        at = _moment(row[2])
        assert at is not None
        details: dict[str, Any] = {}
        if state is None and len(row) > 5 and row[5]:
            details = json.loads(row[5])
        return QueueEvent(
            id=int(row[0]),
            kind=str(row[1]),
            at=at,
            ticket=None if state is None else Ticket.from_json(json.loads(state)),
            counter_number=row[3],
            details=details,
        )
