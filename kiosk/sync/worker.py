"""The hub's sync worker: push the outbox, pull snapshots, back off, stop when retrying cannot help.

`Syncer` is one pass over the protocol with one store and one client (used as is by
`kiosk sync now`); `SyncWorker` runs passes on its own thread, with its own Store connection,
for as long as the hub runs.

Handshake (on start, periodically and on a conflict): GET the server's mark and adopt it
(`kiosk.sync.state.adopt_mark`):
- a site restored from an old backup finds the server ahead of its outbox counter: the counter
  is raised past the server's mark, so new events never reuse a seq the server holds;
- a server restored from an old backup answers a mark below ours: we resend from its mark + 1,
  from the outbox rows that are kept for that reason.
A conflict (the server holds another event under one of our seqs) that survives a handshake is
real: the worker stops and alerts. So does an authentication failure (until the secret changes or
a manual `kiosk sync now` succeeds) and a request the server refuses as malformed.

Network failures, 5xx and 429 are retried with full-jitter exponential backoff, never sooner than
the server's Retry-After.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Final

from kiosk.clock import Clock, system_clock
from kiosk.config import Settings
from kiosk.domain.errors import StoreError
from kiosk.paths import Paths
from kiosk.store.backup import RESTORED_OUTBOX_TOP_KEY
from kiosk.store.db import Store
from kiosk.sync import protocol
from kiosk.sync.client import SECRET_FILE, DistrictClient, batch_for_body, read_secret
from kiosk.sync.errors import (
    SyncAuthFailed,
    SyncConflict,
    SyncError,
    SyncNotConfigured,
    SyncRefused,
    SyncUnreachable,
)
from kiosk.sync.state import (
    LAST_SUCCESS_KEY,
    STATE_KEY,
    Adopted,
    State,
    adopt_mark,
    outbox_counter,
    pending_events,
    record_failure,
    record_success,
    recorded_mark,
)

log = logging.getLogger(__name__)

POLL_SECONDS: Final = 5.0
HANDSHAKE_SECONDS: Final = 300.0
PULL_SECONDS: Final = 300.0
BACKOFF_BASE_SECONDS: Final = 1.0
BACKOFF_CAP_SECONDS: Final = 300.0
#: An idle, healthy site records "last success" this often at most (each write is audited).
SUCCESS_RECORD_SECONDS: Final = 900.0
#: Gap answers in a row without progress before the server is treated as misbehaving.
_MAX_GAPS_IN_A_ROW: Final = 3


def full_jitter(attempt: int, *, base: float, cap: float, rng: random.Random) -> float:
    """AWS-style full jitter: uniform in [0, min(cap, base·2^attempt)]."""
    return rng.uniform(0.0, min(cap, base * (2.0 ** min(attempt, 30))))


def backoff_delay(
    attempt: int,
    retry_after: float | None,
    *,
    base: float = BACKOFF_BASE_SECONDS,
    cap: float = BACKOFF_CAP_SECONDS,
    rng: random.Random,
) -> float:
    """How long to wait before attempt `attempt + 1`; never less than the server's Retry-After."""
    delay = full_jitter(attempt, base=base, cap=cap, rng=rng)
    if retry_after is not None:
        delay = max(delay, min(retry_after, 3600.0))
    return delay


@dataclass(frozen=True, slots=True)
class PassReport:
    """What one pass did."""

    mark: int
    pushed: int
    batches: int
    handshake: Adopted | None
    pulled: tuple[str, ...]


class Syncer:
    """One site's protocol passes over one store and one client (same thread as both)."""

    def __init__(
        self,
        store: Store,
        client: DistrictClient,
        *,
        batch_events: int = protocol.MAX_BATCH_EVENTS,
    ) -> None:
        if not 1 <= batch_events <= protocol.MAX_BATCH_EVENTS:
            raise ValueError(f"batch_events must be 1..{protocol.MAX_BATCH_EVENTS}")
        self.store = store
        self.client = client
        self.batch_events = batch_events
        self.handshaken = False

    def handshake(self) -> Adopted:
        """Adopt the server's mark (see the module's docstring)."""
        mark = self.client.mark()
        adopted = self._adopt(mark)
        self.handshaken = True
        if adopted.raised_counter_to is not None:
            log.warning(
                "district server holds seqs up to %d beyond this database's outbox: "
                "restored from a backup? outbox counter raised",
                mark,
            )
        if adopted.server_behind:
            log.warning(
                "district server acknowledges %d, below our mark %d: restored from a backup? "
                "resending from %d",
                mark,
                adopted.previous,
                mark + 1,
            )
        return adopted

    def _adopt(self, mark: int) -> Adopted:
        store = self.store
        if (
            mark == recorded_mark(store)
            and store.setting(STATE_KEY) == State.OK
            and not _success_is_stale(store)
            and mark <= outbox_counter(store)
            and store.setting(RESTORED_OUTBOX_TOP_KEY) is None
        ):
            return Adopted(mark, mark, None)  # nothing changed: no write, no audit row
        return adopt_mark(store, mark)

    def push_all(self) -> tuple[int, int]:
        """Push every pending event; returns (events newly acknowledged, batches sent)."""
        start = mark = recorded_mark(self.store)
        batches = 0
        gaps = 0
        conflict_retried = False
        while True:
            events = pending_events(self.store, mark, self.batch_events)
            if not events:
                break
            batch = batch_for_body(events)
            if not batch:
                raise SyncRefused(
                    f"Sự kiện số {events[0].seq} quá lớn để gửi lên máy chủ huyện; "
                    "hãy liên hệ quản trị hệ thống."
                )
            try:
                answer = self.client.push(batch)
            except SyncConflict:
                if conflict_retried:
                    raise
                conflict_retried = True
                mark = self.handshake().mark
                continue
            batches += 1
            if answer.gap:
                gaps += 1
                if gaps > _MAX_GAPS_IN_A_ROW:
                    raise SyncUnreachable("Máy chủ huyện liên tục từ chối thứ tự sự kiện.")
                mark = self._adopt(answer.acked).mark
                continue
            if answer.acked < batch[-1].seq:
                raise SyncUnreachable(
                    f"Máy chủ huyện chỉ xác nhận đến {answer.acked}, chưa đến {batch[-1].seq}."
                )
            gaps = 0
            conflict_retried = False
            mark = adopt_mark(self.store, answer.acked).mark
        return max(0, mark - start), batches

    def run(self, *, pull: bool = True, handshake: bool | None = None) -> PassReport:
        """Handshake (first time, or when asked), push everything, then pull the snapshots."""
        adopted = None
        if handshake or (handshake is None and not self.handshaken):
            adopted = self.handshake()
        pushed, batches = self.push_all()
        pulled: tuple[str, ...] = ()
        if pull:
            # Imported here: the catalogue and calendar code is heavy to import, and a pass
            # without a pull (tests, benchmarks) does not need it.
            from kiosk.sync.puller import pull_snapshots

            pulled = tuple(pull_snapshots(self.store, self.client))
        if self.store.setting(STATE_KEY) != State.OK or _success_is_stale(self.store):
            record_success(self.store)
        return PassReport(recorded_mark(self.store), pushed, batches, adopted, pulled)


def _success_is_stale(store: Store) -> bool:
    last = store.setting(LAST_SUCCESS_KEY)
    if last is None:
        return True
    try:
        moment = datetime.fromisoformat(last)
    except ValueError:
        return True
    return (store.now() - moment).total_seconds() >= SUCCESS_RECORD_SECONDS


def failure_state(error: SyncError) -> str:
    """The `sync.state` an error leaves the site in."""
    if isinstance(error, SyncAuthFailed):
        return State.AUTH_FAILED
    if isinstance(error, SyncConflict):
        return State.CONFLICT
    if isinstance(error, SyncRefused):
        return State.REFUSED
    return State.OFFLINE


@dataclass
class LiveStatus:
    """The running worker's view, fresher than what it records in the store."""

    state: str = "starting"
    message: str = ""
    last_success_at: str | None = None
    last_error_at: str | None = None
    passes: int = 0
    failures_in_a_row: int = 0
    pauses: int = 0
    #: The last pauses (reason, seconds), newest last.
    waits: list[tuple[str, float]] = field(default_factory=list)


Waiter = Callable[[float, str], None]


class SyncWorker:
    """The sync thread of a hub: `start()`, `stop()`, `wake()`; `live` for the health page."""

    def __init__(
        self,
        database: Path,
        district_url: str,
        secret: Callable[[], str | None],
        *,
        clock: Clock = system_clock,
        batch_events: int = protocol.MAX_BATCH_EVENTS,
        poll_seconds: float = POLL_SECONDS,
        handshake_seconds: float = HANDSHAKE_SECONDS,
        pull_seconds: float = PULL_SECONDS,
        backoff_base: float = BACKOFF_BASE_SECONDS,
        backoff_cap: float = BACKOFF_CAP_SECONDS,
        waiter: Waiter | None = None,
        rng: random.Random | None = None,
        client_factory: Callable[[str, str, str], DistrictClient] | None = None,
    ) -> None:
        self.database = database
        self.district_url = district_url
        self._secret = secret
        self._clock = clock
        self._batch_events = batch_events
        self._poll = poll_seconds
        self._handshake_every = handshake_seconds
        self._pull_every = pull_seconds
        self._base = backoff_base
        self._cap = backoff_cap
        self._waiter = waiter
        self._rng = rng or random.Random()
        self._client_factory = client_factory or (
            lambda url, site, secret: DistrictClient(url, site, secret)
        )
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self.live = LiveStatus()

    # --- control ----------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the sync worker is already started")
        self._thread = threading.Thread(target=self._main, name="kiosk-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 20.0) -> None:
        """Ask the thread to finish its current request and wait for it."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wake(self) -> None:
        """Run a pass now instead of at the end of the current wait (new events, a retry)."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, seconds: float) -> None:
        """The default pause: ends early on wake() or stop()."""
        self._wake.wait(seconds)
        self._wake.clear()

    def wait_until(self, predicate: Callable[[LiveStatus], bool], timeout: float) -> bool:
        """Block until `predicate(live)` holds after a pass (for tests and `sync now`)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self.live):
                left = deadline - time.monotonic()
                if left <= 0 or not self.running:
                    return predicate(self.live)
                self._changed.wait(left)
            return True

    # --- the thread -------------------------------------------------------------------------

    def _pause(self, seconds: float, reason: str) -> None:
        self.live.waits.append((reason, seconds))
        del self.live.waits[:-50]
        self.live.pauses += 1
        self._publish()
        if self._stopping.is_set():
            return
        if self._waiter is not None:
            self._waiter(seconds, reason)
        else:
            self.wait(seconds)

    def _publish(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def _main(self) -> None:
        try:
            store = Store.open(self.database, clock=self._clock)
        except StoreError as error:
            log.error("sync worker cannot open the store: %s", error.message)
            self.live.state, self.live.message = State.REFUSED, error.message
            self._publish()
            return
        try:
            self._loop(store)
        finally:
            store.close()
            self._publish()

    def _loop(self, store: Store) -> None:
        site_id = store.site_id
        client: DistrictClient | None = None
        syncer: Syncer | None = None
        used_secret: str | None = None
        stopped_state: str | None = None
        attempt = 0
        next_handshake = next_pull = 0.0
        try:
            while not self._stopping.is_set():
                secret = self._secret()
                if not secret:
                    self.live.state = "not_configured"
                    self.live.message = "Chưa có khóa đồng bộ (lệnh 'kiosk sync secret')."
                    self._publish()
                    self._pause(self._poll * 6, "not_configured")
                    continue
                if secret != used_secret:
                    if client is not None:
                        client.close()
                    client = self._client_factory(self.district_url, site_id, secret)
                    syncer = Syncer(store, client, batch_events=self._batch_events)
                    if used_secret is not None:
                        stopped_state = None  # a new secret: try again
                    used_secret = secret
                    next_handshake = 0.0
                assert syncer is not None
                if stopped_state is not None:
                    # Resume when someone fixed it by hand (`kiosk sync now` recorded success).
                    if store.setting(STATE_KEY) == State.OK:
                        stopped_state = None
                        next_handshake = 0.0
                    else:
                        self._pause(self._poll * 6, "stopped")
                        continue
                now = time.monotonic()
                try:
                    report = syncer.run(pull=now >= next_pull, handshake=now >= next_handshake)
                except SyncError as error:
                    state = failure_state(error)
                    self._record_failure(store, state, error.message)
                    if state in State.STOPPED:
                        log.error("sync stopped (%s): %s", state, error.message)
                        stopped_state = state
                        self._publish()
                        continue
                    retry_after = getattr(error, "retry_after", None)
                    delay = backoff_delay(
                        attempt, retry_after, base=self._base, cap=self._cap, rng=self._rng
                    )
                    attempt += 1
                    self.live.failures_in_a_row = attempt
                    log.info("sync failed (%s); retry in %.1f s", error.message, delay)
                    self._publish()
                    self._pause(delay, "backoff")
                    continue
                except StoreError as error:
                    self._record_failure(store, State.OFFLINE, error.message, persist=False)
                    self._pause(backoff_delay(attempt, None, rng=self._rng), "backoff")
                    attempt += 1
                    continue
                if report.handshake is not None:
                    next_handshake = now + self._handshake_every
                if report.pulled or now >= next_pull:
                    next_pull = now + self._pull_every
                attempt = 0
                self.live.state, self.live.message = State.OK, ""
                self.live.last_success_at = store.now().isoformat(timespec="seconds")
                self.live.failures_in_a_row = 0
                self.live.passes += 1
                self._publish()
                if report.batches == 0:
                    self._pause(self._poll, "idle")
        finally:
            if client is not None:
                client.close()

    def _record_failure(
        self, store: Store, state: str, message: str, *, persist: bool = True
    ) -> None:
        self.live.state, self.live.message = state, message
        self.live.last_error_at = store.now().isoformat(timespec="seconds")
        if persist:
            try:
                record_failure(store, state, message)
            except StoreError as error:
                log.error("could not record the sync failure: %s", error.message)


def not_configured_error(paths: Paths, settings: Settings) -> SyncNotConfigured | None:
    """Why this office cannot sync (no district address, no secret), or None when it can."""
    if not settings.district_url:
        return SyncNotConfigured(
            f"Chưa cài địa chỉ máy chủ huyện (network.district_url trong {paths.settings_file})."
        )
    if read_secret(paths.data_dir) is None:
        return SyncNotConfigured(
            f"Chưa có khóa đồng bộ của văn phòng ({paths.data_dir / SECRET_FILE}): "
            "hãy chạy 'kiosk sync secret KHÓA' với khóa do máy chủ huyện cấp."
        )
    return None


def worker_for(
    paths: Paths, settings: Settings, *, clock: Clock = system_clock
) -> SyncWorker | None:
    """The hub's sync worker (not started) when a district URL and a secret are configured."""
    if not_configured_error(paths, settings) is not None:
        return None
    data_dir = paths.data_dir
    return SyncWorker(
        paths.database, settings.district_url, lambda: read_secret(data_dir), clock=clock
    )


def sync_now(store: Store, paths: Paths, settings: Settings) -> PassReport:
    """One full pass (handshake, push everything, pull), recording the outcome in the store."""
    problem = not_configured_error(paths, settings)
    if problem is not None:
        raise problem
    secret = read_secret(paths.data_dir)
    assert secret is not None
    with DistrictClient(settings.district_url, store.site_id, secret) as client:
        try:
            return Syncer(store, client).run(pull=True, handshake=True)
        except SyncError as error:
            record_failure(store, failure_state(error), error.message)
            raise
