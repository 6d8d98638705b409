"""Creating an office: settings file, database, default catalogue, and the demo office."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from kiosk.clock import Clock, system_clock
from kiosk.config import Counter, Group, Settings, load_settings, save_settings
from kiosk.domain.calendar import WorkCalendar
from kiosk.domain.catalogue_io import parse_catalogue_json
from kiosk.office import Office
from kiosk.paths import Paths, assets_dir
from kiosk.store.catalogue_repo import load_catalogue, replace_catalogue
from kiosk.store.dossier_repo import NewDossier, count_dossiers

log = logging.getLogger(__name__)

DEMO_DOSSIERS = 300
#: The demo office's admin account (the admin screen, `kiosk run admin`): printed by
#: `kiosk init --demo` and `kiosk demo`. A real office creates its own (docs/hub.md).
DEMO_ADMIN = ("quantri", "Quản trị văn phòng mẫu", "2468")
POLICE_FIELD = "dang-ky-quan-ly-cu-tru"
#: Demo dossiers are spread over the working days before this date (the demo's "today").
DEMO_START = date(2026, 9, 1)

_BUSINESS_AND_SOCIAL = (
    "thanh-lap-va-hoat-dong-doanh-nghiep-ho-kinh-doanh",
    "bao-tro-xa-hoi",
    "nguoi-co-cong",
    "giam-ngheo",
)

DEMO_SETTINGS = Settings(
    office_name="UBND phường Tân An (văn phòng mẫu)",
    unit_code="000.00.21.H99",
    groups=(
        Group("A", "Hộ tịch", ("ho-tich",)),
        Group("B", "Chứng thực", ("chung-thuc",)),
        Group("C", "Đất đai, Xây dựng", ("dat-dai", "hoat-dong-xay-dung")),
        Group("D", "Kinh doanh, Xã hội", _BUSINESS_AND_SOCIAL),
    ),
    counters=(
        Counter(1, "Quầy 1 — Hộ tịch", ("ho-tich",), ("A",)),
        Counter(2, "Quầy 2 — Chứng thực", ("chung-thuc",), ("B",)),
        Counter(3, "Quầy 3 — Đất đai, Xây dựng", ("dat-dai", "hoat-dong-xay-dung"), ("C", "A")),
        Counter(4, "Quầy 4 — Kinh doanh, Xã hội", _BUSINESS_AND_SOCIAL, ("D", "B")),
    ),
)


def default_catalogue_file() -> Path:
    return assets_dir() / "catalogue" / "default.json"


@dataclass
class InitReport:
    paths: Paths
    settings_created: bool
    database_created: bool
    schema_version: int
    procedures_loaded: int
    dossiers_added: int
    dossiers_total: int
    office_name: str
    #: The demo admin account (username, secret) when this is a demo office.
    demo_admin: tuple[str, str] | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "settings_file": str(self.paths.settings_file),
            "database": str(self.paths.database),
            "settings_created": self.settings_created,
            "database_created": self.database_created,
            "schema_version": self.schema_version,
            "procedures_loaded": self.procedures_loaded,
            "dossiers_added": self.dossiers_added,
            "dossiers_total": self.dossiers_total,
            "office_name": self.office_name,
            "demo_admin": None if self.demo_admin is None else self.demo_admin[0],
        }

    def describe(self) -> str:
        lines = [f"Văn phòng: {self.office_name}"]
        lines.append(
            f"Cài đặt:   {self.paths.settings_file}"
            + (" (vừa tạo)" if self.settings_created else "")
        )
        lines.append(
            f"CSDL:      {self.paths.database}"
            + (" (vừa tạo)" if self.database_created else "")
            + f", lược đồ {self.schema_version}"
        )
        if self.procedures_loaded:
            lines.append(f"Danh mục:  đã nạp {self.procedures_loaded} thủ tục mặc định")
        lines.append(
            f"Hồ sơ:     {self.dossiers_total}"
            + (f" (vừa thêm {self.dossiers_added} hồ sơ mẫu)" if self.dossiers_added else "")
        )
        if self.demo_admin is not None:
            username, secret = self.demo_admin
            lines.append(f"Quản trị:  tài khoản mẫu '{username}', mã PIN {secret}")
        return "\n".join(lines)


def init_office(
    paths: Paths, *, demo: bool, dossiers: int | None, seed: int, clock: Clock = system_clock
) -> InitReport:
    """Create what is missing of an office; never duplicates what is already there."""
    settings_created = not paths.settings_file.exists()
    if settings_created:
        save_settings(DEMO_SETTINGS if demo else Settings(), paths.settings_file)
        log.info("settings written to %s", paths.settings_file)
    else:
        load_settings(paths.settings_file)  # refuse to go on with an invalid file
    database_created = not paths.database.exists()
    with Office.open(paths, create=True, clock=clock) as office:
        store = office.store
        procedures_loaded = 0
        catalogue = load_catalogue(store)
        if not catalogue.procedures:
            catalogue = parse_catalogue_json(default_catalogue_file().read_text(encoding="utf-8"))
            with store.write("system:init", "catalogue.import", target="default") as tx:
                replace_catalogue(tx, catalogue)
            procedures_loaded = len(catalogue.procedures)
        count = dossiers if dossiers is not None else (DEMO_DOSSIERS if demo else 0)
        added = 0
        if count and count_dossiers(store) == 0:
            added = _add_demo_dossiers(office, count, seed)
        demo_admin = _ensure_demo_admin(office) if demo else None
        return InitReport(
            paths=paths,
            settings_created=settings_created,
            database_created=database_created,
            schema_version=store.schema_version,
            procedures_loaded=procedures_loaded,
            dossiers_added=added,
            dossiers_total=count_dossiers(store),
            office_name=office.settings.office_name,
            demo_admin=demo_admin,
        )


def _ensure_demo_admin(office: Office) -> tuple[str, str]:
    """The demo admin account, added once (a demo office must be usable from the admin
    screen, whose every action needs an admin staff member logged in)."""
    from kiosk.hub.auth import StaffRole, create_staff

    username, full_name, secret = DEMO_ADMIN
    known = office.store.conn.execute(
        "SELECT 1 FROM staff WHERE username = ?", (username,)
    ).fetchone()
    if not known:
        create_staff(
            office.store,
            username=username,
            full_name=full_name,
            secret=secret,
            role=StaffRole.ADMIN,
            actor="system:init",
        )
    return username, secret


def _add_demo_dossiers(office: Office, count: int, seed: int) -> int:
    """Synthetic dossiers over the working days before DEMO_START, with real due dates."""
    from kiosk.demo_data import bulk_insert_dossiers, generate_dossiers

    catalogue = load_catalogue(office.store)
    # Residence procedures go to the commune police, not this counter; a dossier needs a limit.
    served = dataclasses.replace(
        catalogue,
        procedures=tuple(
            p
            for p in catalogue.procedures
            if p.duration is not None and p.field_code != POLICE_FIELD
        ),
    )
    by_code = {p.code: p for p in served.procedures}
    calendar = office.calendar()
    settings = office.settings
    per_day = 60
    first_day = DEMO_START
    for _ in range(count // per_day + 1):
        first_day = _previous_working_day(calendar, first_day)

    def with_due(new: NewDossier) -> NewDossier:
        procedure = by_code[new.procedure_code]
        assert procedure.duration is not None
        due = calendar.due_at(
            new.received_at,
            procedure.duration,
            cut_off=procedure.same_day_cutoff or settings.same_day_cutoff,
            appointment=settings.appointment_time,
        )
        return dataclasses.replace(new, unit_code=settings.unit_code, due_at=due)

    rows = (
        with_due(d)
        for d in generate_dossiers(
            count,
            seed=seed,
            catalogue_codes=served,
            unit_code=settings.unit_code,
            start=first_day,
            per_day=per_day,
        )
    )
    return bulk_insert_dossiers(office.store, rows, actor="system:demo")


def _previous_working_day(calendar: WorkCalendar, day: date) -> date:
    day -= timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day
