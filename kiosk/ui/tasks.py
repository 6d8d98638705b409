"""Background work for the screens: one worker thread per screen, results back by signal.

A screen never blocks on the network or a printer: it hands a callable to `Tasks.run`, which
runs it on the screen's own QThread; the result (or the KioskError) comes back to the main
thread through a queued signal, and only there does the screen touch its widgets. Jobs run one
at a time in submission order, so a screen's requests never overtake each other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from itertools import count
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from kiosk.domain.errors import KioskError

log = logging.getLogger(__name__)

OnDone = Callable[[Any], None]
OnError = Callable[[KioskError], None]


class _Runner(QObject):
    # (result, error) travels as one tuple: PySide6 miscounts references to a bare None sent
    # through a queued `object` argument, which ends in "deallocating None" on Python 3.11.
    finished = Signal(int, object)

    @Slot(int, object)
    def execute(self, job_id: int, fn: Callable[[], Any]) -> None:
        try:
            result = fn()
        except KioskError as error:
            self.finished.emit(job_id, (None, error))
            return
        except Exception as bug:  # noqa: BLE001 - carried to the main thread and re-raised there
            self.finished.emit(job_id, (None, bug))
            return
        self.finished.emit(job_id, (result, None))


class Tasks(QObject):
    """Runs callables off the UI thread; `stop()` must be called before the owner goes away."""

    _submit = Signal(int, object)
    #: Emitted after every job's callbacks ran (tests wait on it).
    idle = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = count(1)
        self._pending: dict[int, tuple[OnDone, OnError | None]] = {}
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.execute)
        self._runner.finished.connect(self._finished)
        self._thread.start()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, fn: Callable[[], Any], on_done: OnDone, on_error: OnError | None = None) -> int:
        """Run `fn()` in the background; `on_done(result)` or `on_error(KioskError)` follow on
        the main thread. A non-KioskError is a bug: it is re-raised on the main thread."""
        job_id = next(self._ids)
        self._pending[job_id] = (on_done, on_error)
        self._submit.emit(job_id, fn)
        return job_id

    @Slot(int, object)
    def _finished(self, job_id: int, outcome: tuple[Any, BaseException | None]) -> None:
        result, error = outcome
        on_done, on_error = self._pending.pop(job_id, (None, None))
        try:
            if error is None:
                if on_done is not None:
                    on_done(result)
            elif isinstance(error, KioskError) and on_error is not None:
                on_error(error)
            else:
                raise error
        finally:
            if not self._pending:
                self.idle.emit()

    def stop(self) -> None:
        """Let the running job end, then stop the thread (never destroy a running QThread)."""
        self._pending.clear()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
