"""Office settings: one TOML file, validated at start.

Every problem is reported with the file, the key and the reason (in Vietnamese), all at once, so
an IT officer fixes the file in one go. Unknown keys are refused too: a typo must not silently
fall back to a default.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import tomli_w

from kiosk.domain.codes import validate_unit_code
from kiosk.domain.errors import SettingsError, ValidationError
from kiosk.domain.lifecycle import SupplementPolicy
from kiosk.domain.text import clean
from kiosk.domain.tickets import Counter as Counter  # the settings are made of these
from kiosk.domain.tickets import Group as Group
from kiosk.domain.tickets import PriorityMode
from kiosk.domain.voice import NumberReading, Region, VoiceEngine, VoiceStyle

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Settings:
    office_name: str = "UBND xã Demo"
    unit_code: str = "000.00.00.H00"
    fields: tuple[str, ...] = ()
    groups: tuple[Group, ...] = (Group("A", "Tất cả thủ tục"),)
    counters: tuple[Counter, ...] = (
        Counter(1, "Quầy 1", (), ("A",)),
        Counter(2, "Quầy 2", (), ("A",)),
    )
    sessions: tuple[tuple[time, time], ...] = (
        (time(7, 0), time(11, 30)),
        (time(13, 30), time(17, 0)),
    )
    same_day_cutoff: time = time(15, 0)
    appointment_time: time = time(16, 0)
    weekend: frozenset[int] = frozenset({5, 6})
    supplement_policy: SupplementPolicy = SupplementPolicy.RESTART
    form_set: str = "2018"
    priority_mode: PriorityMode = PriorityMode.INTERLEAVED
    priority_every: int = 3
    max_recalls: int = 3
    day_start: time = time(0, 0)
    notice: str = "Kính mời công dân lấy số thứ tự và chờ đến lượt. Xin cảm ơn!"
    hub_url: str = "http://127.0.0.1:8765"
    district_url: str = ""
    #: The voice call ([voice]): on or off, how numbers are read, chime, English line, repeats.
    voice_enabled: bool = True
    voice_engine: VoiceEngine = VoiceEngine.CLIPS
    voice_reading: NumberReading = NumberReading.DIGITS
    voice_region: Region = Region.NORTH
    voice_chime: bool = True
    voice_english: bool = False
    voice_repeat: int = 1
    source: Path | None = field(default=None, compare=False)

    @property
    def voice_style(self) -> VoiceStyle:
        return VoiceStyle(
            reading=self.voice_reading,
            region=self.voice_region,
            chime=self.voice_chime,
            second_language=self.voice_english,
        )


# The file format: section -> key -> (Settings attribute, parser). Parsers raise ValueError
# with a Vietnamese reason.
def _text(max_len: int) -> Any:
    def parse(value: object) -> str:
        if not isinstance(value, str):
            raise ValueError("phải là một chuỗi văn bản")
        cleaned = clean(value)
        if not cleaned:
            raise ValueError("không được để trống")
        if len(cleaned) > max_len:
            raise ValueError(f"dài quá {max_len} ký tự")
        return cleaned

    return parse


def _unit_code(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("phải là một chuỗi văn bản")
    try:
        return validate_unit_code(value)
    except ValidationError as exc:
        raise ValueError(exc.message) from None


def _hhmm(value: object) -> time:
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        raise ValueError('phải là giờ dạng "HH:MM", ví dụ "15:00"')
    hours, minutes = (int(x) for x in value.strip().split(":"))
    if hours > 23 or minutes > 59:
        raise ValueError(f'giờ "{value}" không tồn tại')
    return time(hours, minutes)


def _sessions(value: object) -> tuple[tuple[time, time], ...]:
    if not isinstance(value, list) or not value:
        raise ValueError('phải là danh sách buổi làm việc, ví dụ ["07:00-11:30", "13:30-17:00"]')
    sessions: list[tuple[time, time]] = []
    for item in value:
        if not isinstance(item, str) or item.count("-") != 1:
            raise ValueError(f'buổi "{item}" phải có dạng "HH:MM-HH:MM"')
        start, end = (_hhmm(part) for part in item.split("-"))
        if start >= end:
            raise ValueError(f'buổi "{item}" kết thúc trước khi bắt đầu')
        if sessions and start < sessions[-1][1]:
            raise ValueError(f'buổi "{item}" chồng lên buổi trước hoặc không theo thứ tự')
        sessions.append((start, end))
    return tuple(sessions)


def _weekend(value: object) -> frozenset[int]:
    if not isinstance(value, list):
        raise ValueError('phải là danh sách ngày, ví dụ ["saturday", "sunday"]')
    days: set[int] = set()
    for item in value:
        if not isinstance(item, str) or item.lower() not in WEEKDAYS:
            raise ValueError(f'"{item}" không phải tên ngày (monday … sunday)')
        days.add(WEEKDAYS.index(item.lower()))
    if len(days) == 7:
        raise ValueError("không thể nghỉ cả bảy ngày trong tuần")
    return frozenset(days)


def _choice(enum: type[StrEnum]) -> Any:
    def parse(value: object) -> StrEnum:
        allowed = [e.value for e in enum]
        if value not in allowed:
            raise ValueError(f"phải là một trong: {', '.join(allowed)}")
        return enum(value)

    return parse


def _form_set(value: object) -> str:
    if value not in ("2018", "2025"):
        raise ValueError('phải là "2018" (Thông tư 01/2018) hoặc "2025" (Thông tư 03/2025)')
    return str(value)


def _positive_int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError("phải là số nguyên dương")
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("phải là true hoặc false")
    return value


def _repeat(value: object) -> int:
    if value not in (1, 2) or isinstance(value, bool):
        raise ValueError("phải là 1 (đọc một lần) hoặc 2 (đọc hai lần)")
    return int(value)


def _url(optional: bool) -> Any:
    def parse(value: object) -> str:
        if not isinstance(value, str):
            raise ValueError("phải là một địa chỉ dạng chuỗi")
        if optional and not value.strip():
            return ""
        parsed = urlparse(value.strip())
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f'"{value}" không phải địa chỉ http(s)://máy:cổng hợp lệ')
        return value.strip().rstrip("/")

    return parse


def _field_codes(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError("phải là danh sách mã lĩnh vực")
    return tuple(v.strip() for v in value)


SCHEMA: dict[str, dict[str, tuple[str, Any]]] = {
    "office": {
        "name": ("office_name", _text(200)),
        "unit_code": ("unit_code", _unit_code),
        "fields": ("fields", _field_codes),
    },
    "hours": {
        "sessions": ("sessions", _sessions),
        "same_day_cutoff": ("same_day_cutoff", _hhmm),
        "appointment": ("appointment_time", _hhmm),
        "weekend": ("weekend", _weekend),
    },
    "dossiers": {
        "supplement_policy": ("supplement_policy", _choice(SupplementPolicy)),
        "form_set": ("form_set", _form_set),
    },
    "queue": {
        "priority_mode": ("priority_mode", _choice(PriorityMode)),
        "priority_every": ("priority_every", _positive_int),
        "max_recalls": ("max_recalls", _positive_int),
        "day_start": ("day_start", _hhmm),
        "notice": ("notice", _text(500)),
    },
    "network": {
        "hub_url": ("hub_url", _url(optional=False)),
        "district_url": ("district_url", _url(optional=True)),
    },
    "voice": {
        "enabled": ("voice_enabled", _bool),
        "engine": ("voice_engine", _choice(VoiceEngine)),
        "reading": ("voice_reading", _choice(NumberReading)),
        "region": ("voice_region", _choice(Region)),
        "chime": ("voice_chime", _bool),
        "english": ("voice_english", _bool),
        "repeat": ("voice_repeat", _repeat),
    },
}


def parse_settings(data: Mapping[str, Any], *, source: Path | None = None) -> Settings:
    """Build Settings from parsed TOML; every problem is collected into one SettingsError."""
    where = str(source) if source else "cài đặt"
    problems: list[str] = []
    values: dict[str, Any] = {}
    for section, content in data.items():
        if section in ("counters", "groups"):
            continue
        if section not in SCHEMA:
            problems.append(f"[{section}]: mục không được hỗ trợ")
            continue
        if not isinstance(content, dict):
            problems.append(f"[{section}]: phải là một mục [{section}]")
            continue
        for key, value in content.items():
            spec = SCHEMA[section].get(key)
            if spec is None:
                problems.append(f"{section}.{key}: khóa không được hỗ trợ")
                continue
            attribute, parser = spec
            try:
                values[attribute] = parser(value)
            except ValueError as exc:
                problems.append(f"{section}.{key}: {exc}")
    if "groups" in data:
        found_groups = _groups(data["groups"], values.get("fields", ()), problems)
        if found_groups is not None:
            values["groups"] = found_groups
    group_prefixes = _prefixes(data, values)
    if "counters" in data:
        found_counters = _counters(
            data["counters"], values.get("fields", ()), group_prefixes, problems
        )
        if found_counters is not None:
            values["counters"] = found_counters
    elif "groups" in values:
        # Default counters serve every configured group.
        every = tuple(g.prefix for g in values["groups"])
        values["counters"] = tuple(
            Counter(c.number, c.name, c.fields, every) for c in Settings.counters
        )
    if "sessions" in values:
        cutoff = values.get("same_day_cutoff", Settings.same_day_cutoff)
        if not any(start <= cutoff <= end for start, end in values["sessions"]):
            problems.append(
                "hours.same_day_cutoff: giờ chốt nhận trong ngày phải nằm trong một buổi làm việc"
            )
    if problems:
        listing = "\n".join(f"  - {p}" for p in problems)
        raise SettingsError(f"Tệp cài đặt {where} không hợp lệ:\n{listing}", problems=problems)
    return Settings(source=source, **values)


def _prefixes(data: Mapping[str, Any], values: dict[str, Any]) -> set[str]:
    """The group prefixes counters may name: the parsed groups, else (when [[groups]] has
    problems of its own) the prefixes written there, so one typo is not reported twice."""
    if "groups" in values:
        return {g.prefix for g in values["groups"]}
    raw = data.get("groups")
    if isinstance(raw, list):
        return {
            item["prefix"].strip()
            for item in raw
            if isinstance(item, dict) and isinstance(item.get("prefix"), str)
        }
    return {g.prefix for g in Settings.groups}


def _groups(
    value: object, office_fields: tuple[str, ...], problems: list[str]
) -> tuple[Group, ...] | None:
    """The [[groups]] tables, or None after adding every problem found to `problems`."""
    if not isinstance(value, list) or not value:
        problems.append(
            "groups: phải có ít nhất một nhóm dịch vụ ([[groups]] với prefix, name, fields)"
        )
        return None
    groups: list[Group] = []
    before = len(problems)
    for index, item in enumerate(value, start=1):
        where = f"groups[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: phải là một bảng [[groups]]")
            continue
        unknown = set(item) - {"prefix", "name", "fields"}
        if unknown:
            problems.append(f"{where}.{sorted(unknown)[0]}: khóa không được hỗ trợ")
            continue
        letters = item.get("prefix")
        if not isinstance(letters, str) or not re.fullmatch(r"[A-Z]{1,2}", letters.strip()):
            problems.append(f'{where}.prefix: phải là 1–2 chữ cái in hoa không dấu, ví dụ "A"')
            continue
        letters = letters.strip()
        if any(g.prefix == letters for g in groups):
            problems.append(f'{where}.prefix: nhóm "{letters}" bị khai báo hai lần')
            continue
        try:
            name = _text(100)(item.get("name"))
            fields = _field_codes(item.get("fields", []))
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        stray = [f for f in fields if office_fields and f not in office_fields]
        if stray:
            problems.append(f"{where}.fields: lĩnh vực {stray[0]} không có trong office.fields")
            continue
        groups.append(Group(letters, name, fields))
    return None if len(problems) > before else tuple(groups)


def _counters(
    value: object, office_fields: tuple[str, ...], group_prefixes: set[str], problems: list[str]
) -> tuple[Counter, ...] | None:
    """The [[counters]] tables, or None after adding every problem found to `problems`."""
    if not isinstance(value, list) or not value:
        problems.append(
            "counters: phải có ít nhất một quầy ([[counters]] với number, name, fields)"
        )
        return None
    counters: list[Counter] = []
    seen: set[int] = set()
    before = len(problems)
    for index, item in enumerate(value, start=1):
        where = f"counters[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: phải là một bảng [[counters]]")
            continue
        unknown = set(item) - {"number", "name", "fields", "groups"}
        if unknown:
            problems.append(f"{where}.{sorted(unknown)[0]}: khóa không được hỗ trợ")
            continue
        try:
            number = _positive_int(item.get("number"))
        except ValueError as exc:
            problems.append(f"{where}.number: {exc}")
            continue
        if number in seen:
            problems.append(f"{where}.number: quầy số {number} bị khai báo hai lần")
            continue
        seen.add(number)
        try:
            name = _text(60)(item.get("name", f"Quầy {number}"))
            fields = _field_codes(item.get("fields", []))
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        stray = [f for f in fields if office_fields and f not in office_fields]
        if stray:
            problems.append(f"{where}.fields: lĩnh vực {stray[0]} không có trong office.fields")
            continue
        served = item.get("groups", sorted(group_prefixes))
        if not isinstance(served, list) or not all(isinstance(g, str) for g in served):
            problems.append(f'{where}.groups: phải là danh sách tiền tố nhóm, ví dụ ["A", "B"]')
            continue
        unknown_groups = [g for g in served if g not in group_prefixes]
        if unknown_groups:
            problems.append(
                f'{where}.groups: quầy {number} phục vụ nhóm "{unknown_groups[0]}" '
                "không có trong [[groups]]"
            )
            continue
        if len(set(served)) != len(served):
            problems.append(f"{where}.groups: quầy {number} liệt kê một nhóm hai lần")
            continue
        counters.append(Counter(number, name, fields, tuple(served)))
    return None if len(problems) > before else tuple(counters)


def load_settings(path: Path) -> Settings:
    """Read and validate the settings file; a missing file means the embedded defaults."""
    if not path.exists():
        return Settings()
    return parse_settings(read_settings_data(path), source=path)


def settings_to_toml(settings: Settings) -> str:
    """Write settings back in the file's own format (what `kiosk init` saves)."""
    return tomli_w.dumps(settings_to_data(settings))


def settings_to_data(settings: Settings) -> dict[str, Any]:
    """The settings as the file's sections and keys (what `tomllib` reads back)."""

    def hhmm(t: time) -> str:
        return t.strftime("%H:%M")

    data: dict[str, Any] = {
        "office": {"name": settings.office_name, "unit_code": settings.unit_code},
        "hours": {
            "sessions": [f"{hhmm(a)}-{hhmm(b)}" for a, b in settings.sessions],
            "same_day_cutoff": hhmm(settings.same_day_cutoff),
            "appointment": hhmm(settings.appointment_time),
            "weekend": [WEEKDAYS[d] for d in sorted(settings.weekend)],
        },
        "dossiers": {
            "supplement_policy": settings.supplement_policy.value,
            "form_set": settings.form_set,
        },
        "queue": {
            "priority_mode": settings.priority_mode.value,
            "priority_every": settings.priority_every,
            "max_recalls": settings.max_recalls,
            "day_start": hhmm(settings.day_start),
            "notice": settings.notice,
        },
        "network": {"hub_url": settings.hub_url, "district_url": settings.district_url},
        "voice": voice_data(settings),
        "groups": [
            {"prefix": g.prefix, "name": g.name, "fields": list(g.fields)} for g in settings.groups
        ],
        "counters": [
            {"number": c.number, "name": c.name, "fields": list(c.fields), "groups": list(c.groups)}
            for c in settings.counters
        ],
    }
    if settings.fields:
        data["office"]["fields"] = list(settings.fields)
    return data


def changed_keys(before: Settings, after: Settings) -> dict[str, dict[str, Any]]:
    """`section.key` → {before, after} for every setting that differs (for the audit row)."""
    old, new = settings_to_data(before), settings_to_data(after)
    changes: dict[str, dict[str, Any]] = {}
    for section in sorted(set(old) | set(new)):
        a, b = old.get(section), new.get(section)
        if isinstance(a, dict) or isinstance(b, dict):
            a, b = a or {}, b or {}
            for key in sorted(set(a) | set(b)):
                if a.get(key) != b.get(key):
                    changes[f"{section}.{key}"] = {"before": a.get(key), "after": b.get(key)}
        elif a != b:
            changes[section] = {"before": a, "after": b}
    return changes


def voice_data(settings: Settings) -> dict[str, Any]:
    """The [voice] section (also what screens get: how the office calls, nothing personal)."""
    return {
        "enabled": settings.voice_enabled,
        "engine": settings.voice_engine.value,
        "reading": settings.voice_reading.value,
        "region": settings.voice_region.value,
        "chime": settings.voice_chime,
        "english": settings.voice_english,
        "repeat": settings.voice_repeat,
    }


def office_facts(settings: Settings) -> dict[str, Any]:
    """The public facts screens show (GET /api/office, the `office.changed` event): no personal
    data, no addresses of other machines."""
    return {
        "office_name": settings.office_name,
        "unit_code": settings.unit_code,
        "notice": settings.notice,
        "form_set": settings.form_set,
        "fields": list(settings.fields),
        "groups": [
            {"prefix": g.prefix, "name": g.name, "fields": list(g.fields)} for g in settings.groups
        ],
        "counters": [
            {"number": c.number, "name": c.name, "groups": list(c.groups)}
            for c in settings.counters
        ],
        "same_day_cutoff": settings.same_day_cutoff.strftime("%H:%M"),
        "appointment": settings.appointment_time.strftime("%H:%M"),
        "sessions": [f"{a:%H:%M}-{b:%H:%M}" for a, b in settings.sessions],
        "voice": voice_data(settings),
    }


def read_settings_data(path: Path) -> dict[str, Any]:
    """The file's sections and keys as written (not validated); {} when there is no file."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise SettingsError(f"Tệp cài đặt {path} không phải văn bản UTF-8.") from None
    except OSError as exc:
        raise SettingsError(f"Không đọc được tệp cài đặt {path}: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"Tệp cài đặt {path} sai cú pháp TOML: {exc}.") from None


def save_settings(settings: Settings, path: Path) -> None:
    """Write atomically: a crash while saving leaves the old file, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(settings_to_toml(settings))
        handle.flush()
        # On disk before the rename: the hub saves the file first and trusts it after a crash.
        os.fsync(handle.fileno())
    tmp.replace(path)
