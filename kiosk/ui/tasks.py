"""Background work for the screens: one worker thread per screen, results back on the UI thread.

A screen never blocks on the network or a printer: it hands a callable to `Tasks.run`, which
runs it on the screen's own worker thread; the result (or the KioskError) is picked up on the
main thread, and only there does the screen touch its widgets. Jobs run one at a time in
submission order, so a screen's requests never overtake each other.

Why a Python thread and a queue rather than a QThread with queued signals: no Qt object is ever
touched off the main thread, so nothing depends on the binding's cross-thread signal handling
(PySide6 6.12 on Python 3.11 corrupts reference counts there: "deallocating True/None" aborts;
the project pins PySide6 6.9, which does not). Results cross threads through a `queue.Queue`; a
short main-thread timer, running only while work is pending, delivers them.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from itertools import count
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.domain.errors import KioskError

log = logging.getLogger(__name__)

OnDone = Callable[[Any], None]
OnError = Callable[[KioskError], None]
POLL_MS = 10


class Tasks(QObject):
    """Runs callables off the UI thread; `stop()` must be called before the owner goes away."""

    #: Emitted (on the main thread) after every job's callbacks ran: tests wait on it.
    idle = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = count(1)
        self._pending: dict[int, tuple[OnDone, OnError | None]] = {}
        self._jobs: queue.Queue[tuple[int, Callable[[], Any]] | None] = queue.Queue()
        self._results: queue.Queue[tuple[int, Any, BaseException | None]] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._deliver)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, fn: Callable[[], Any], on_done: OnDone, on_error: OnError | None = None) -> int:
        """Run `fn()` in the background; `on_done(result)` or `on_error(KioskError)` follow on
        the main thread. A non-KioskError is a bug: it is re-raised on the main thread."""
        if not self._thread.is_alive():
            raise RuntimeError("Tasks.run after stop()")
        job_id = next(self._ids)
        self._pending[job_id] = (on_done, on_error)
        self._jobs.put((job_id, fn))
        if not self._poll.isActive():
            self._poll.start()
        return job_id

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            job_id, fn = job
            try:
                self._results.put((job_id, fn(), None))
            except KioskError as error:
                self._results.put((job_id, None, error))
            except Exception as bug:
                self._results.put((job_id, None, bug))

    def _deliver(self) -> None:
        while True:
            try:
                job_id, result, error = self._results.get_nowait()
            except queue.Empty:
                break
            callbacks = self._pending.pop(job_id, None)
            if not self._pending:
                self._poll.stop()
            if callbacks is None:
                continue  # stopped meanwhile
            on_done, on_error = callbacks
            try:
                if error is None:
                    on_done(result)
                elif isinstance(error, KioskError) and on_error is not None:
                    on_error(error)
                else:
                    raise error
            finally:
                if not self._pending:
                    self.idle.emit()

    def stop(self) -> None:
        """Let the running job end, then stop the thread (joined: nothing outlives its screen)."""
        self._pending.clear()
        self._poll.stop()
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()
