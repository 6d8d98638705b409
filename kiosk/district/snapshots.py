"""The catalogue and holiday-calendar overrides the district publishes, as versioned snapshots.

Each publication that changes the content gets the next version; publishing the same content
again changes nothing, so sites are not made to re-apply it. The ETag names kind, version and
content digest; the body served is stored ready-made (see kiosk.sync.protocol for its shape).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final, Literal

from kiosk.district.storage import Database
from kiosk.domain.calendar import OverrideKind
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.catalogue_io import catalogue_to_json, parse_catalogue_csv, parse_catalogue_json
from kiosk.domain.errors import CalendarError, CatalogueError, KioskError
from kiosk.store.tx import canonical_json, to_iso

Kind = Literal["catalogue", "calendar"]
CATALOGUE: Final = "catalogue"
CALENDAR: Final = "calendar"
_CONTENT_KEY: Final[dict[str, str]] = {CATALOGUE: "catalogue", CALENDAR: "overrides"}


@dataclass(frozen=True, slots=True)
class Snapshot:
    kind: str
    version: int
    etag: str
    body: str
    published_at: str
    #: False when the same content was already the latest version (nothing published).
    new: bool = True


def _digest(content: object) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def latest(db: Database, kind: str) -> Snapshot | None:
    """The current snapshot of `kind`, or None when nothing was published yet."""
    with db.read() as conn:
        row = conn.one(
            "SELECT version, etag, body, published_at FROM snapshots WHERE kind = ? "
            "ORDER BY version DESC LIMIT 1",
            (kind,),
        )
    if row is None:
        return None
    return Snapshot(kind, int(row[0]), str(row[1]), str(row[2]), str(row[3]), new=False)


def publish(db: Database, kind: Kind, content: Any, *, now: datetime, by: str = "") -> Snapshot:
    """Publish `content` (already validated) as the next version of `kind`."""
    digest = _digest(content)
    published_at = to_iso(now)
    with db.write() as conn:
        row = conn.one(
            "SELECT version, etag, body, published_at, digest FROM snapshots WHERE kind = ? "
            "ORDER BY version DESC LIMIT 1",
            (kind,),
        )
        if row is not None and row[4] == digest:
            return Snapshot(kind, int(row[0]), str(row[1]), str(row[2]), str(row[3]), new=False)
        version = 1 if row is None else int(row[0]) + 1
        etag = f'"{kind}-{version}-{digest[:16]}"'
        body = json.dumps(
            {"version": version, "published_at": published_at, _CONTENT_KEY[kind]: content},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        conn.execute(
            "INSERT INTO snapshots (kind, version, etag, digest, body, published_at, "
            "published_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kind, version, etag, digest, body, published_at, by),
        )
    return Snapshot(kind, version, etag, body, published_at)


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of an If-None-Match header against our ETag."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


# --- reading what the district publishes -------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KioskError(f"Không đọc được tệp {path}: {exc.strerror}.") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KioskError(
            f"Tệp {path} không phải văn bản UTF-8 (byte lỗi ở vị trí {exc.start})."
        ) from None


def read_catalogue_file(path: Path, fmt: str = "auto") -> Catalogue:
    """A catalogue file (CSV or JSON, the office import formats), every error with its line."""
    if fmt == "auto":
        fmt = "json" if path.suffix.lower() == ".json" else "csv"
    text = _read_text(path)
    try:
        return parse_catalogue_json(text) if fmt == "json" else parse_catalogue_csv(text)
    except CatalogueError as exc:
        raise CatalogueError(
            f"Tệp {path} có {len(exc.problems)} lỗi, chưa công bố gì:", exc.problems
        ) from None


def catalogue_content(catalogue: Catalogue) -> Any:
    """The catalogue as the JSON document sites read back with `parse_catalogue_json`."""
    return json.loads(catalogue_to_json(catalogue))


def parse_calendar_overrides(text: str) -> list[dict[str, str]]:
    """A JSON list of {day, kind: holiday|day_off|workday, reason}, checked and sorted by day."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalendarError(
            f"Tệp lịch không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})."
        ) from None
    if not isinstance(items, list):
        raise CalendarError("Tệp lịch phải là một danh sách JSON [{day, kind, reason}, …].")
    problems: list[str] = []
    seen: dict[str, int] = {}
    overrides: list[dict[str, str]] = []
    kinds = ", ".join(k.value for k in OverrideKind)
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(f"mục {index}: phải là đối tượng {{day, kind, reason}}")
            continue
        day_text, kind, reason = item.get("day"), item.get("kind"), item.get("reason", "")
        try:
            day = date.fromisoformat(str(day_text))
        except ValueError:
            problems.append(f"mục {index}: ngày '{day_text}' không hợp lệ (YYYY-MM-DD)")
            continue
        if kind not in {k.value for k in OverrideKind}:
            problems.append(f"mục {index}: loại '{kind}' không hợp lệ (một trong: {kinds})")
            continue
        if not isinstance(reason, str):
            problems.append(f"mục {index}: lý do phải là chuỗi")
            continue
        if day.isoformat() in seen:
            problems.append(f"mục {index}: ngày {day:%d/%m/%Y} đã có ở mục {seen[day.isoformat()]}")
            continue
        seen[day.isoformat()] = index
        overrides.append({"day": day.isoformat(), "kind": str(kind), "reason": reason.strip()})
    if problems:
        raise CalendarError(
            f"Tệp lịch có {len(problems)} lỗi, chưa công bố gì: " + "; ".join(problems) + "."
        )
    return sorted(overrides, key=lambda o: o["day"])


def read_calendar_file(path: Path) -> list[dict[str, str]]:
    return parse_calendar_overrides(_read_text(path))
