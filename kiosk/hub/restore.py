"""Backups in the hub's `backups/` folder, and restoring one while the hub keeps running.

A restore is one job on the database thread, so no request runs inside it: a safety backup
of the current database first (a wrong restore can be undone from the same list), then the
verified restore over the open Store (`kiosk.store.backup.restore_in_place`: the same Store
object, so every service holding it keeps working), a queue engine rebuilt from the restored
tables and this office's settings, and the restore's audit row in the restored database. The
sync worker, which has its own connection to the file, is stopped before and started again
after; the restored database carries the sync marker (`RESTORED_OUTBOX_TOP_KEY`) that moves
new outbox events past what the district already holds.

Screens: every event stream is closed with `CLOSE_RESTORED`, and any resume with an id from
before the restore gets a fresh snapshot (`STREAM_FLOOR_KEY`), so no screen keeps showing
tickets that the restored database does not have.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from kiosk.clock import VN_TZ
from kiosk.domain.errors import StoreError, ValidationError
from kiosk.hub import auth
from kiosk.hub.deps import Hub
from kiosk.hub.parts import queue_engine, restart_sync
from kiosk.office import Office
from kiosk.store.backup import STREAM_FLOOR_KEY, backup_to, check_backup, restore_in_place

log = logging.getLogger(__name__)

BACKUPS_FOLDER: Final = "backups"
#: A backup's name: a plain file name in the backups folder (no folder part, no "..").
BACKUP_NAME_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.db$"
_BACKUP_NAME = re.compile(BACKUP_NAME_PATTERN)
_STAMP = re.compile(r"(\d{8}-\d{6})")
SAFETY_SUFFIX: Final = "truoc-khoi-phuc"
#: Verification results by (path, size, mtime): a backup file does not change once written.
_verified: dict[tuple[str, int, int], tuple[int | None, str]] = {}


def backups_folder(office: Office) -> Path:
    return office.paths.data_dir / BACKUPS_FOLDER


def backup_path(office: Office, stamp: datetime, suffix: str = "") -> Path:
    """A new backup's path: `kiosk-YYYYMMDD-HHMMSS[-suffix].db`, never an existing file."""
    base = f"kiosk-{stamp:%Y%m%d-%H%M%S}" + (f"-{suffix}" if suffix else "")
    folder = backups_folder(office)
    path = folder / f"{base}.db"
    n = 2
    while path.exists():
        path = folder / f"{base}-{n}.db"
        n += 1
    return path


def _verify(path: Path) -> tuple[int | None, str]:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    found = _verified.get(key)
    if found is None:
        try:
            found = (check_backup(path), "")
        except StoreError as error:
            found = (None, error.message)
        if len(_verified) > 500:
            _verified.clear()
        _verified[key] = found
    return found


def _taken_at(path: Path) -> str:
    """When the backup was taken: the office time in its name, else the file's time."""
    match = _STAMP.search(path.name)
    if match:
        try:
            moment = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=VN_TZ)
            return moment.isoformat()
        except ValueError:
            pass
    return datetime.fromtimestamp(path.stat().st_mtime, VN_TZ).isoformat(timespec="seconds")


def list_backups(office: Office) -> list[dict[str, Any]]:
    """The backups in the folder, newest first: name, taken_at, bytes, verified, problem."""
    folder = backups_folder(office)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if not path.is_file() or not _BACKUP_NAME.match(path.name):
            continue  # temporary copies, WAL files, anything a person dropped there
        version, problem = _verify(path)
        found.append(
            {
                "name": path.name,
                "taken_at": _taken_at(path),
                "bytes": path.stat().st_size,
                "verified": version is not None,
                "schema_version": version,
                "problem": problem,
                "safety": SAFETY_SUFFIX in path.name,
            }
        )
    found.sort(key=lambda b: (b["taken_at"], b["name"]), reverse=True)
    return found


def backup_file(office: Office, name: str) -> Path:
    """The backup called `name`; ValidationError (422) for anything but a backup there."""
    if not _BACKUP_NAME.match(name):
        raise ValidationError(f"Tên bản sao lưu không hợp lệ: '{name}'.", field="name")
    folder = backups_folder(office)
    path = folder / name
    if path.resolve().parent != folder.resolve() or not path.is_file():
        raise ValidationError(
            f"Không có bản sao lưu '{name}' trong thư mục {BACKUPS_FOLDER}/.", field="name"
        )
    return path


def _checked(path: Path) -> None:
    try:
        check_backup(path)
    except StoreError as error:
        raise ValidationError(error.message, field="name") from None


@dataclass(frozen=True, slots=True)
class RestoreReport:
    name: str
    safety_backup: str
    restored_at: str
    events_floor: int
    session_valid: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "safety_backup": self.safety_backup,
            "restored_at": self.restored_at,
            "session_valid": self.session_valid,
        }


def _restore_job(
    hub: Hub, path: Path, caller: auth.AdminSession, device_token: str, session_token: str
) -> RestoreReport:
    """On the database thread: safety backup, restore, new engine, audit row."""
    office = hub.office
    store = office.store
    safety = backup_path(office, office.clock(), SAFETY_SUFFIX)
    backup_to(store, safety, actor=caller.actor)
    restore_in_place(store, path)
    # The restored tables may hold another configuration: apply this office's settings again.
    hub.engine = queue_engine(office)
    floor = int(store.setting(STREAM_FLOOR_KEY) or 0)
    hub.events.restart_on_db_thread(floor)
    with store.write(
        caller.actor,
        "store.restore",
        target=path.name,
        details={"backup": path.name, "safety_backup": safety.name, "events_floor": floor},
    ) as tx:
        restored_at = tx.now_iso
        if auth.keep_device(tx, caller.device, device_token):
            tx.details["device_kept"] = caller.id
    try:
        auth.authenticate_session(store, caller.device, session_token)
        session_valid = True
    except auth.AuthError:
        session_valid = False  # the backup predates this login: the admin logs in again
    log.warning("database restored from %s (safety backup %s)", path.name, safety.name)
    return RestoreReport(path.name, safety.name, restored_at, floor, session_valid)


async def restore_online(
    hub: Hub, name: str, caller: auth.AdminSession, *, device_token: str, session_token: str
) -> RestoreReport:
    """Restore the backup `name` while the hub runs (see the module's docstring)."""
    office = hub.office
    path = backup_file(office, name)
    await hub.run(_checked, path)
    sync = hub.sync
    sync_was_running = sync is not None and sync.running
    if sync is not None and sync_was_running:
        await asyncio.to_thread(sync.stop)  # it has its own connection to the file
    try:
        report: RestoreReport = await hub.run(
            _restore_job, hub, path, caller, device_token, session_token
        )
    finally:
        hub.forget_credentials()
        if sync_was_running:
            await asyncio.to_thread(
                restart_sync, hub, office.paths, office.settings, clock=office.clock
            )
    hub.events.restored(report.events_floor)
    return report
