"""One office opened for work: its settings, its store and its working calendar, together."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from kiosk.clock import Clock, system_clock
from kiosk.config import Settings, changed_keys, load_settings, save_settings
from kiosk.domain.calendar import WorkCalendar
from kiosk.domain.catalogue import Catalogue, Duration, DurationUnit
from kiosk.domain.catalogue_io import parse_catalogue_csv, parse_catalogue_json
from kiosk.domain.errors import CalendarError, CatalogueError, KioskError, StoreError
from kiosk.paths import Paths, resolve_paths
from kiosk.store import Store, WriteTx
from kiosk.store.calendar_repo import list_overrides
from kiosk.store.catalogue_repo import get_procedure, replace_catalogue
from kiosk.store.notices import CATALOGUE_CHANGED, announce

log = logging.getLogger(__name__)


class Writer(Protocol):
    """Opens one write: `Store.write`, or a layer's own that takes its lock first (the queue
    engine's `write`)."""

    def __call__(
        self, actor: str, action: str, *, target: str = "", details: dict[str, Any] | None = None
    ) -> AbstractContextManager[WriteTx]: ...


@dataclass
class Office:
    paths: Paths
    settings: Settings
    store: Store
    clock: Clock

    @classmethod
    def open(
        cls, paths: Paths | None = None, *, clock: Clock = system_clock, create: bool = False
    ) -> Office:
        """Open an existing office (or create its database when `create`)."""
        paths = paths or resolve_paths()
        settings = load_settings(paths.settings_file)
        if not create and not paths.database.exists():
            raise StoreError(
                f"Chưa có cơ sở dữ liệu văn phòng tại {paths.database}. "
                "Hãy chạy 'kiosk init' (hoặc 'kiosk init --demo') trước."
            )
        paths.data_dir.mkdir(parents=True, exist_ok=True)
        store = Store.open(paths.database, clock=clock)
        return cls(paths=paths, settings=settings, store=store, clock=clock)

    def calendar(self) -> WorkCalendar:
        """The working calendar: public holidays, this office's weekend and the override table."""
        return WorkCalendar(
            list_overrides(self.store),
            weekend=self.settings.weekend,
            sessions=self.settings.sessions,
        )

    def change_settings(
        self,
        after: Settings,
        *,
        actor: str,
        during: Callable[[WriteTx], None] = lambda tx: None,
        write: Writer | None = None,
    ) -> dict[str, dict[str, Any]]:
        """Change the office's settings as one operation: one write holds the audit row
        (`office.update` with each changed key, before and after), whatever `during(tx)` writes
        with it (the hub: the busy check, the screens' notice, the queue's configuration), and
        the settings file, saved last inside it. Any failure leaves everything as it was: the
        write rolls back and a file already saved is put back. Returns the changed keys ({} and
        nothing written when nothing changes)."""
        changes = changed_keys(self.settings, after)
        if not changes:
            return changes
        path = self.paths.settings_file
        with (
            _file_kept(path),
            (write or self.store.write)(
                actor, "office.update", target="settings", details={"changed": changes}
            ) as tx,
        ):
            during(tx)
            try:
                save_settings(after, path)
            except OSError as exc:
                raise StoreError(
                    f"Không lưu được tệp cài đặt {path}: {exc.strerror or exc}. Chưa thay đổi gì."
                ) from exc
        self.settings = after
        log.info("office settings changed: %s", ", ".join(changes))
        return changes

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Office:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@contextmanager
def _file_kept(path: Path) -> Iterator[None]:
    """Put the file back as it was if the block fails (after it saved a new one)."""
    before = path.read_bytes() if path.exists() else None
    try:
        yield
    except BaseException:
        if before is None:
            path.unlink(missing_ok=True)
        elif not path.exists() or path.read_bytes() != before:
            tmp = path.with_suffix(".toml.restore")
            tmp.write_bytes(before)
            tmp.replace(path)
        raise


@dataclass(frozen=True)
class DueResult:
    due_at: datetime
    limit_label: str


def due_for(
    office: Office,
    received_at: datetime,
    *,
    working_days: int | None = None,
    procedure_code: str | None = None,
) -> DueResult:
    """The due date of a dossier received at `received_at`, for a procedure or N working days.

    Same-day limits use the procedure's own cut-off, else the office's (15:00 by default); the
    appointment hour of the settings is the time printed on the receipt.
    """
    settings = office.settings
    cut_off = settings.same_day_cutoff
    if procedure_code is not None:
        procedure = get_procedure(office.store, procedure_code.strip())
        if procedure is None:
            raise KioskError(
                f"Không có thủ tục mã '{procedure_code}' trong danh mục của văn phòng. "
                "Xem 'kiosk catalog list'."
            )
        if procedure.duration is None:
            raise CalendarError(
                f"Thủ tục {procedure.code} không quy định thời hạn giải quyết"
                + (f" ({procedure.duration_note})" if procedure.duration_note else "")
                + ": không tính được ngày hẹn trả."
            )
        duration = procedure.duration
        cut_off = procedure.same_day_cutoff or cut_off
    else:
        duration = Duration(working_days or 0, DurationUnit.WORKING_DAY)
    due = office.calendar().due_at(
        received_at, duration, cut_off=cut_off, appointment=settings.appointment_time
    )
    return DueResult(due_at=due, limit_label=duration.label)


def import_catalogue_file(
    office: Office, path: Path, *, fmt: str = "auto", actor: str
) -> Catalogue:
    """Parse a CSV/JSON catalogue file and replace the office catalogue in one transaction."""
    if fmt == "auto":
        fmt = "json" if path.suffix.lower() == ".json" else "csv"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KioskError(f"Không đọc được tệp {path}: {exc.strerror}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            f"Tệp {path} không phải văn bản UTF-8 (byte lỗi ở vị trí {exc.start}). "
            "Hãy lưu lại tệp với mã hóa UTF-8."
        ) from None
    try:
        catalogue = parse_catalogue_json(text) if fmt == "json" else parse_catalogue_csv(text)
    except CatalogueError as exc:
        raise CatalogueError(
            f"Tệp {path} có {len(exc.problems)} lỗi, chưa nhập gì:", exc.problems
        ) from None
    with office.store.write(
        actor,
        "catalogue.import",
        target=str(path),
        details={"procedures": len(catalogue.procedures)},
    ) as tx:
        replace_catalogue(tx, catalogue)
        facts = {"procedures": len(catalogue.procedures), "fields": len(catalogue.fields)}
        tx.emit("catalogue.replaced", facts)
        # A hub running on this database sends it to the screens within seconds.
        announce(tx, CATALOGUE_CHANGED, {**facts, "source": "cli"})
    log.info("catalogue imported from %s: %d procedures", path, len(catalogue.procedures))
    return catalogue
