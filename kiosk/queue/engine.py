"""The queue engine: issue, call, recall, serve, finish, hold, transfer, cancel.

Every step is one `store.write` (`BEGIN IMMEDIATE`): the ticket row, exactly one `ticket_events`
row (whose id is the event id of the hub's stream), one outbox event and one audit row commit
together or not at all. `QueueEngine` is the door: it takes the lock, opens the write, opens the
service day, and hands the work to the module of its job:

- `configuration`: checking and writing the groups and counters;
- `issuing`: a new ticket, the daily limit per citizen, the waiting-time estimate;
- `calling`: which ticket a counter calls next, and the call;
- `serving`: recall, start, finish, no-show of the ticket at a counter;
- `moves`: hold, back from hold, transfer, cancel;
- `board`: the snapshot the displays show;
- `days`: the service day and its roll-over (`open_day`);
- all SQL in `kiosk.store.ticket_repo`, the status rules in `kiosk.domain.tickets`.

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

The day roll-over: the first step that issues, calls or moves a ticket on a new service day
first closes the tickets past days left open, as `cancelled` (event `ticket.expired`), in its
own write (`_ticket_step`, the one place steps run it; `roll_over` runs it on request).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any

from kiosk.domain.codes import format_dossier_code, parse_dossier_code
from kiosk.domain.tickets import PriorityMode, TicketStep
from kiosk.queue import board, calling, configuration, issuing, lookups, moves, serving
from kiosk.queue.changes import record
from kiosk.queue.days import OpenedDay, open_day, service_day
from kiosk.queue.errors import (
    CounterBusy,
    CounterClosed,
    NoCurrentTicket,
    TicketExpired,
    TicketNotServedHere,
)
from kiosk.queue.models import (
    Counter,
    CounterInfo,
    Group,
    IssuedTicket,
    Outcome,
    PriorityCategory,
    QueueEvent,
    QueueSnapshot,
    ServiceGroup,
    Ticket,
)
from kiosk.store import Store, WriteTx, ticket_repo
from kiosk.store.notices import announce
from kiosk.store.ticket_repo import CounterRow

log = logging.getLogger(__name__)


class QueueEngine:
    """The office's queue over one `Store`; safe to share between threads of one process.

    The locks, and what each guards:
    - SQLite's write lock (`BEGIN IMMEDIATE`, taken by every `store.write`) serialises the
      writes of all threads and processes on the database file: inside it a step reads, checks
      and claims, so two counters, even in two processes, never get the same ticket (the race
      tests run 10 counter processes); the unique index `tickets_one_per_counter` is the net.
    - `store.write` has its own thread lock, so two threads never write on the one connection
      at once (`kiosk.store.db`).
    - The engine lock (`_lock`): a read on the shared connection while another thread's write
      is open would see that write's uncommitted rows, so every public method, reads included,
      holds it, once (it is not reentrant: internal helpers never take it). It is always taken
      before the store's lock; from inside another component's `store.write`, call only
      `announce`.
    """

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
        self._lock = threading.Lock()
        #: The service day of this engine's latest committed step (only for the log line).
        self._day_seen: date | None = None

    # -- time --------------------------------------------------------------------------------

    def service_day(self, moment: datetime | None = None) -> date:
        """The service day of `moment` (default: now), given the configured day start."""
        return service_day(moment or self.store.now(), self.day_start)

    def roll_over(self, *, actor: str) -> list[Ticket]:
        """Open today's service day now: close the tickets past days left open (as every
        ticket step does first anyway) and return them as they are now, oldest first."""
        with self._write(actor, "queue.roll_over") as tx:
            opened = open_day(tx, self.day_start)
        self._log_day(opened)
        return list(opened.expired)

    # -- configuration -----------------------------------------------------------------------

    def configure(
        self,
        groups: Sequence[Group],
        counters: Sequence[Counter],
        *,
        actor: str,
    ) -> bool:
        """Make the configuration exactly this (upsert by prefix and by counter number).

        Groups and counters missing from the lists are retired (kept for history, no longer
        listed or usable). Returns False, writing nothing, when nothing changes.
        """
        specs = configuration.checked(groups, counters)
        with self._lock:
            conn = self.store.conn
            have = ticket_repo.active_groups(conn), _infos(ticket_repo.active_counters(conn))
            if configuration.matches(*have, specs):
                return False
            with self.store.write(actor, "queue.configure", target="queue") as tx:
                self._apply_configuration(tx, specs)
            return True

    @contextmanager
    def write(
        self, actor: str, action: str, *, target: str = "", details: dict[str, Any] | None = None
    ) -> Iterator[WriteTx]:
        """The engine's lock, then one store write, for a caller that changes the queue's
        configuration together with its own rows (`Office.change_settings`): use
        `configure_in(tx, …)` inside it. The lock comes first, as in every engine step."""
        with self._lock, self.store.write(actor, action, target=target, details=details) as tx:
            yield tx

    def configure_in(
        self, tx: WriteTx, groups: Sequence[Group], counters: Sequence[Counter]
    ) -> bool:
        """`configure` inside the caller's write (opened with `write`); False when nothing
        changes. A refusal (`QueueConfigError`) rolls the caller's whole write back."""
        specs = configuration.checked(groups, counters)
        have = ticket_repo.active_groups(tx.conn), _infos(ticket_repo.active_counters(tx.conn))
        if configuration.matches(*have, specs):
            return False
        self._apply_configuration(tx, specs)
        return True

    def _apply_configuration(self, tx: WriteTx, specs: configuration.Specs) -> None:
        configuration.apply(tx, specs)
        record(tx, "queue.configured", None, None, {})

    def groups(self) -> list[ServiceGroup]:
        """The configured groups, in configuration order."""
        with self._lock:
            return ticket_repo.active_groups(self.store.conn)

    def counters(self) -> list[CounterInfo]:
        """The configured counters, by number."""
        with self._lock:
            return _infos(ticket_repo.active_counters(self.store.conn))

    def set_counter_open(self, counter_number: int, is_open: bool, *, actor: str) -> CounterInfo:
        """Open or close a counter (staff logs in or out); closed counters cannot call and do
        not count in the waiting-time estimate."""
        action = "queue.counter_open" if is_open else "queue.counter_close"
        with self._write(actor, action, f"counter:{counter_number}") as tx:
            counter = lookups.counter(tx, counter_number)
            if counter.info.open == is_open:
                return counter.info
            ticket_repo.set_counter_open(tx, counter.id, is_open)
            record(tx, "counter.opened" if is_open else "counter.closed", None, counter_number, {})
            return lookups.counter(tx, counter_number).info

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
        with self._ticket_step(actor, "queue.issue") as (tx, today):
            group = lookups.group(tx, prefix)
            if self.daily_limit_per_citizen is not None and citizen_id:
                issuing.count_citizen(tx, today, citizen_id, self.daily_limit_per_citizen)
            return issuing.issue(tx, today, group, priority)

    def call_next(self, counter_number: int, *, actor: str) -> Ticket | None:
        """Claim the next ticket for the counter (see the module docstring); None if nobody
        waits. Refused while the counter still has a called or served ticket."""
        if not self._worth_a_write(counter_number):
            return None
        target = f"counter:{counter_number}"
        with self._ticket_step(actor, "queue.call_next", target) as (tx, today):
            counter = self._ready_counter(tx, counter_number, today)
            ticket_id = calling.pick_next(
                tx, counter.info, today, self.priority_mode, self.priority_every
            )
            if ticket_id is None:
                return None
            return calling.claim(tx, ticket_id, counter_number, today, {})

    def call_ticket(self, counter_number: int, ticket_id: int, *, actor: str) -> Ticket:
        """Call one ticket out of order: a waiting ticket (or one on hold) that this counter
        serves (one of its groups, or sent to it)."""
        target = f"counter:{counter_number}"
        with self._ticket_step(actor, "queue.call_ticket", target) as (tx, today):
            counter = self._ready_counter(tx, counter_number, today)
            ticket = lookups.ticket(tx, ticket_id)
            if ticket.service_day != today:
                raise TicketExpired(ticket.display_number)
            ticket.after(TicketStep.CALL)
            if not calling.served_here(ticket, counter.info):
                raise TicketNotServedHere(counter_number, ticket.display_number)
            return calling.claim(tx, ticket.id, counter_number, today, {"out_of_order": True})

    def recall(self, counter_number: int, *, actor: str) -> Ticket:
        """Announce the called ticket again; past the allowed recalls, mark it no-show."""
        with self._counter_step(actor, "queue.recall", counter_number) as (tx, ticket):
            return serving.recall(tx, ticket, counter_number, self.max_recalls_before_no_show)

    def start_serving(self, counter_number: int, *, actor: str) -> Ticket:
        """The citizen has come to the counter."""
        with self._counter_step(actor, "queue.start_serving", counter_number) as (tx, ticket):
            return serving.start(tx, ticket, counter_number)

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
        with self._counter_step(actor, "queue.finish", counter_number) as (tx, ticket):
            return serving.finish(tx, ticket, counter_number, outcome, code)

    def no_show(self, counter_number: int, *, actor: str) -> Ticket:
        """The called citizen did not come (only from `called`)."""
        with self._counter_step(actor, "queue.no_show", counter_number) as (tx, ticket):
            return serving.no_show(tx, ticket, counter_number)

    def hold(self, counter_number: int, *, actor: str, note: str = "") -> Ticket:
        """Put the counter's ticket aside (e.g. the citizen fetches a paper); frees the counter."""
        with self._counter_step(actor, "queue.hold", counter_number) as (tx, ticket):
            return moves.hold(tx, ticket, counter_number, note)

    def return_from_hold(self, ticket_id: int, *, actor: str) -> Ticket:
        """A held ticket waits again at its original place in its group (issue order)."""
        with self._ticket_step(actor, "queue.return_from_hold") as (tx, today):
            ticket = lookups.ticket(tx, ticket_id)
            tx.target = ticket.display_number
            return moves.return_from_hold(tx, ticket, today)

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
        moves.check_transfer(counter_number, to_prefix, to_counter)
        with self._counter_step(actor, "queue.transfer", counter_number) as (tx, ticket):
            return moves.transfer(
                tx,
                ticket,
                counter_number,
                to_prefix=to_prefix,
                to_counter=to_counter,
                note=note,
                come_back=come_back,
            )

    def cancel(self, ticket_id: int, *, actor: str) -> Ticket:
        """Cancel a ticket that is not final (the citizen left, a misprint...)."""
        with self._write(actor, "queue.cancel") as tx:
            ticket = lookups.ticket(tx, ticket_id)
            tx.target = ticket.display_number
            return moves.cancel(tx, ticket)

    # -- reads -------------------------------------------------------------------------------

    def get_ticket(self, ticket_id: int) -> Ticket:
        """The ticket with this id; `UnknownTicket` if there is none."""
        with self._lock:
            return lookups.ticket(self.store.conn, ticket_id)

    def current(self, counter_number: int) -> Ticket | None:
        """The counter's called or served ticket of today, if any."""
        with self._lock:
            conn = self.store.conn
            lookups.counter(conn, counter_number)
            return ticket_repo.at_counter(conn, counter_number, self.service_day())

    def waiting_tickets(self, counter_number: int | None = None) -> list[Ticket]:
        """Today's waiting tickets in issue order: all, or those `counter_number` may call."""
        with self._lock:
            conn = self.store.conn
            tickets = ticket_repo.waiting_on(conn, self.service_day())
            if counter_number is None:
                return tickets
            groups = lookups.counter(conn, counter_number).info.group_ids
            return board.callable_by(tickets, counter_number, groups)

    def held_tickets(self, counter_number: int | None = None) -> list[Ticket]:
        """Today's tickets on hold: all, or those held at `counter_number`."""
        with self._lock:
            return ticket_repo.held_on(self.store.conn, self.service_day(), counter_number)

    def held_since(self, counter_number: int) -> list[tuple[Ticket, datetime]]:
        """Today's tickets on hold at `counter_number`, each with the time it was put on hold,
        longest held first (for the counter's own list: nothing else changes a held ticket, so
        its last update is the hold)."""
        with self._lock:
            return ticket_repo.held_since(self.store.conn, self.service_day(), counter_number)

    # -- the board ---------------------------------------------------------------------------

    def estimate_wait(self, prefix: str) -> int:
        """Minutes a ticket issued now in group `prefix` would wait (see `kiosk.queue.eta`)."""
        with self._lock:
            conn = self.store.conn
            group = lookups.group(conn, prefix)
            today = self.service_day()
            waiting = ticket_repo.count_waiting(conn, group.id, today)
            return issuing.estimate(conn, group.id, today, waiting)

    def snapshot(self) -> QueueSnapshot:
        """The board now, read in one read transaction; `last_event_id` continues it."""
        with self._lock, ticket_repo.reading(self.store.conn) as conn:
            return board.snapshot(conn, self.service_day(), self.last_calls)

    def events_since(self, after_id: int, limit: int = 500) -> list[QueueEvent]:
        """Events with an id above `after_id`, oldest first (at most `limit`)."""
        with self._lock:
            return ticket_repo.events_after(self.store.conn, after_id, limit)

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
        """The engine lock, then one store write."""
        with self._lock, self.store.write(actor, action, target=target) as tx:
            yield tx

    @contextmanager
    def _ticket_step(
        self, actor: str, action: str, target: str = ""
    ) -> Iterator[tuple[WriteTx, date]]:
        """A step that issues, calls or moves a ticket: one write, the service day opened
        first (the roll-over), and that day."""
        with self._write(actor, action, target) as tx:
            opened = open_day(tx, self.day_start)  # the day roll-over, before anything else
            yield tx, opened.day
        self._log_day(opened)  # only once the write has committed

    @contextmanager
    def _counter_step(
        self, actor: str, action: str, counter_number: int
    ) -> Iterator[tuple[WriteTx, Ticket]]:
        """A step on the counter's called or served ticket; `NoCurrentTicket` if none."""
        with self._ticket_step(actor, action, f"counter:{counter_number}") as (tx, today):
            lookups.counter(tx, counter_number)
            ticket = ticket_repo.at_counter(tx, counter_number, today)
            if ticket is None:
                raise NoCurrentTicket(counter_number)
            tx.target = ticket.display_number
            yield tx, ticket

    def _log_day(self, opened: OpenedDay) -> None:
        """Log a new service day, and the tickets its roll-over closed."""
        if opened.expired or opened.day != self._day_seen:
            log.info(
                "queue: service day %s; %d open ticket(s) of past days closed%s",
                opened.day.isoformat(),
                len(opened.expired),
                "".join(f" {t.display_number}" for t in opened.expired[:20]),
            )
        self._day_seen = opened.day

    def _worth_a_write(self, counter_number: int) -> bool:
        """A look first, without the write lock: "nobody waits" is the common answer of a
        quiet hour and needs no transaction, no fsync and no audit row of its own. A counter
        that is closed or busy goes on to the write, which refuses it."""
        with self._lock, ticket_repo.reading(self.store.conn) as conn:
            today = self.service_day()
            counter = lookups.counter(conn, counter_number)
            if (
                not counter.info.open
                or ticket_repo.at_counter(conn, counter_number, today) is not None
            ):
                return True
            mode, every = self.priority_mode, self.priority_every
            return calling.pick_next(conn, counter.info, today, mode, every) is not None

    def _ready_counter(self, tx: WriteTx, counter_number: int, today: date) -> CounterRow:
        """The counter, if it may call now: open, and with no ticket at the counter."""
        counter = lookups.counter(tx, counter_number)
        if not counter.info.open:
            raise CounterClosed(counter_number)
        busy = ticket_repo.at_counter(tx, counter_number, today)
        if busy is not None:
            raise CounterBusy(counter_number, busy.display_number)
        return counter


def _infos(rows: list[CounterRow]) -> list[CounterInfo]:
    return [row.info for row in rows]
