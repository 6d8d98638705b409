"""`kiosk selfcheck`: is everything this installation needs really there?

An installed copy can miss a module or a data file that the developer's checkout has (a
PyInstaller bundle without the ESC/POS capabilities file, fonts left out of a wheel…), and it
shows only when a citizen presses the button. This runs each part once, offline, in a temporary
folder: the database schema, the fonts, a ticket through the whole thermal pipeline back to an
image, a form 01 PDF, the holiday calendar, the hub's web board and server stack, the screens'
Qt modules. The IT officer runs it after installing; the bundle build runs it too.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kiosk import __version__


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    seconds: float

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "ok": self.ok,
            "detail": self.detail,
            "seconds": round(self.seconds, 3),
        }


def _python(_: Path) -> str:
    return f"Python {sys.version.split()[0]} ({sys.executable})"


def _sqlite(_: Path) -> str:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')"
        )
        conn.execute("CREATE TABLE s (a INTEGER) STRICT")
    except sqlite3.Error as exc:
        raise RuntimeError(
            f"SQLite {sqlite3.sqlite_version} thiếu FTS5 hoặc STRICT: {exc}"
        ) from None
    finally:
        conn.close()
    return f"SQLite {sqlite3.sqlite_version}, FTS5"


def _database(folder: Path) -> str:
    from kiosk.store import Store
    from kiosk.store.db import SCHEMA_VERSION

    with Store.open(folder / "selfcheck.db") as store:
        version = store.schema_version
    if version != SCHEMA_VERSION:
        raise RuntimeError(f"lược đồ {version}, mong đợi {SCHEMA_VERSION}")
    return f"lược đồ cơ sở dữ liệu phiên bản {version}"


def _catalogue(_: Path) -> str:
    from kiosk.domain.catalogue_io import parse_catalogue_json
    from kiosk.setup import default_catalogue_file

    catalogue = parse_catalogue_json(default_catalogue_file().read_text("utf-8"))
    return f"danh mục mặc định: {len(catalogue.procedures)} thủ tục"


def _calendar(_: Path) -> str:
    from kiosk.domain.calendar import WorkCalendar

    year = date.today().year
    calendar = WorkCalendar(())
    holidays = [
        d
        for d in (date(year, 1, 1), date(year, 4, 30), date(year, 5, 1), date(year, 9, 2))
        if not calendar.is_working_day(d)
    ]
    if len(holidays) < 4:
        raise RuntimeError(f"lịch nghỉ lễ năm {year} không đầy đủ (gói holidays)")
    return f"lịch nghỉ lễ năm {year}"


def _thermal(folder: Path) -> str:
    from kiosk.printing.check import print_test

    report = print_test(f"png:{folder / 'tickets'}", "ticket")
    if not report.ok:
        raise RuntimeError(report.message)
    from kiosk.printing.fonts import FAMILY

    return f"phiếu số in ra máy in ảo ({report.bytes_sent} byte ESC/POS, phông {FAMILY})"


def _form(folder: Path) -> str:
    from kiosk.printing.check import print_test

    report = print_test(f"pdf:{folder / 'forms'}", "form01")
    if not report.ok:
        raise RuntimeError(report.message)
    written = sorted((folder / "forms").glob("*.pdf"))
    if not written or not written[0].read_bytes().startswith(b"%PDF"):
        raise RuntimeError("không thấy tệp PDF của mẫu 01")
    return f"mẫu 01 (PDF, {written[0].stat().st_size // 1024} KB)"


def _escpos(_: Path) -> str:
    from escpos.capabilities import get_profile

    profile = get_profile("TM-T20II")
    return f"python-escpos, hồ sơ máy in {profile.profile_data['name']}"


def _hub(_: Path) -> str:
    static = Path(importlib.import_module("kiosk.hub.app").__file__ or "").parent / "static"
    missing = [
        n for n in ("display.html", "display.js", "display.css") if not (static / n).is_file()
    ]
    if missing:
        raise RuntimeError(f"thiếu tệp bảng hiển thị web: {', '.join(missing)}")
    for name in (
        "uvicorn.protocols.http.h11_impl",
        "uvicorn.protocols.websockets.websockets_sansio_impl",
        "uvicorn.lifespan.on",
        "websockets",
        "httpx",
    ):
        importlib.import_module(name)
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    hasher.verify(hasher.hash("2468"), "2468")
    return "máy chủ văn phòng: API, WebSocket, bảng hiển thị web, mã hóa mật khẩu"


def _qt(_: Path) -> str:
    # Through the ui layer: only kiosk/ui imports PySide6.
    screens = importlib.import_module("kiosk.ui.install_check")
    return str(screens.check_screens())


CHECKS: tuple[tuple[str, Callable[[Path], str]], ...] = (
    ("Python", _python),
    ("SQLite", _sqlite),
    ("Cơ sở dữ liệu", _database),
    ("Danh mục thủ tục", _catalogue),
    ("Lịch làm việc", _calendar),
    ("Máy in nhiệt", _escpos),
    ("In phiếu số", _thermal),
    ("Biểu mẫu PDF", _form),
    ("Máy chủ văn phòng", _hub),
    ("Màn hình", _qt),
)


def run_checks() -> list[Check]:
    """Every check, each isolated: one failure is reported and the others still run."""
    results: list[Check] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-selfcheck-") as tmp:
        for name, check in CHECKS:
            started = time.perf_counter()
            try:
                detail, ok = check(Path(tmp)), True
            except FileNotFoundError as exc:
                detail, ok = f"thiếu tệp {exc.filename}", False
            except Exception as exc:  # a broken installation shows here, as words
                last = traceback.extract_tb(exc.__traceback__)[-1:]
                where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
                detail, ok = f"{type(exc).__name__}: {exc}{where}", False
            results.append(Check(name, ok, detail, time.perf_counter() - started))
    return results


def summary(results: list[Check]) -> str:
    lines = [f"Một Cửa Kiosk {__version__} — tự kiểm tra bản cài đặt"]
    for check in results:
        mark = "✓" if check.ok else "✗"
        lines.append(f"  {mark} {check.name}: {check.detail}")
    failed = sum(not c.ok for c in results)
    lines.append(
        "Tất cả đều ổn." if not failed else f"{failed} mục lỗi: bản cài đặt thiếu thành phần."
    )
    return "\n".join(lines)
