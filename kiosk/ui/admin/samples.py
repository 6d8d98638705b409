"""A stand-in hub for the admin screen's screenshots: fixed devices, staff and calendar."""

from __future__ import annotations

from typing import Any

from kiosk.domain.errors import CatalogueError
from kiosk.hub.client import HubError

CREATED = "2026-09-14T08:05:00+07:00"
_ADMIN = {"username": "quantri", "full_name": "Nguyễn Văn Quản", "role": "admin"}


class SampleAdminClient:
    def __init__(self) -> None:
        names = [("Máy lấy số sảnh", "kiosk", None), ("TV sảnh", "display", None)]
        names += [(f"Máy quầy {n}", "counter", n) for n in (1, 2, 3)]
        names += [("Đánh giá quầy 1", "rating", 1), ("Máy quản trị", "admin", None)]
        self._devices: list[dict[str, Any]] = [
            {
                "id": i,
                "name": name,
                "role": role,
                "counter_number": counter,
                "created_at": CREATED,
                "revoked_at": CREATED if i == 4 else None,
            }
            for i, (name, role, counter) in enumerate(names, 1)
        ]
        people = [
            ("hoa", "Phạm Thị Hoa", "clerk", True, None),
            ("lan", "Trần Thị Lan", "clerk", True, None),
            ("minh", "Lê Văn Minh", "supervisor", True, "2026-09-14T09:05:00+07:00"),
            ("quantri", "Nguyễn Văn Quản", "admin", True, None),
            ("tuan", "Võ Minh Tuấn", "clerk", False, None),
        ]
        self._staff: list[dict[str, Any]] = [
            {
                "id": i,
                "username": u,
                "full_name": f,
                "role": r,
                "active": active,
                "locked_until": lock,
                "locked": lock is not None,
                "created_at": CREATED,
            }
            for i, (u, f, r, active, lock) in enumerate(people, 1)
        ]

    def devices(self) -> list[dict[str, Any]]:
        return self._devices

    def add_device(self, name: str, role: str, counter_number: int | None = None) -> dict[str, Any]:
        return {
            "id": 8,
            "name": name,
            "role": role,
            "token": "q3Zk1v8N0wY-7bS2xJm4LpT9rC6aEoUdHfGiKn5Wy0s",
        }

    def revoke_device(self, device_id: int) -> None:
        return None

    def staff(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._staff]

    def update_staff(self, staff_id: int, **changes: Any) -> dict[str, Any]:
        """Changes the sample list as the hub would; a new PIN ends the member's sessions."""
        row = next(row for row in self._staff if row["id"] == staff_id)
        row.update({k: v for k, v in changes.items() if k in ("full_name", "role", "active")})
        if changes.get("unlock"):
            row.update(locked_until=None, locked=False)
        ends = "secret" in changes or "role" in changes or changes.get("active") is False
        return {**row, "sessions_ended": 1 if ends else 0}

    def calendar_overrides(self, year: int | None = None) -> list[dict[str, Any]]:
        return [
            {"day": "2026-08-22", "kind": "workday", "reason": "Làm bù cho ngày nghỉ 4/9"},
            {"day": "2026-09-04", "kind": "day_off", "reason": "Nghỉ bù Quốc khánh 2/9"},
            {
                "day": "2026-12-31",
                "kind": "holiday",
                "reason": "Nghỉ thêm theo quyết định của UBND",
            },
        ]

    def import_catalogue(self, text: str, fmt: str) -> dict[str, Any]:
        error = HubError(
            "Tệp danh mục có 3 lỗi, chưa nhập gì.", status=422, error_code=CatalogueError.code
        )
        error.details["problems"] = [
            {"line": 4, "column": "code", "message": "Thiếu mã thủ tục."},
            {"line": 7, "column": "duration_value", "message": "Thời hạn 'mười' không phải là số."},
            {
                "line": 12,
                "column": "fee_counter_vnd",
                "message": "Lệ phí '20.000đ' không phải là số đồng.",
            },
        ]
        raise error

    def backup(self) -> dict[str, Any]:
        return {
            "path": "C:\\MotCua\\du-lieu\\backups\\kiosk-20260914-101500.db",
            "bytes": 5_400_000,
        }

    # --- login and restore (kiosk/ui/admin/login_page.py, backups.py) ------------------------

    #: Logged in already (the screenshots show the tabs); "" shows the login page.
    staff_session = "phien-mau"

    def session_info(self) -> dict[str, Any]:
        if not self.staff_session:
            raise HubError("Phiên đăng nhập đã kết thúc.", status=401, error_code="auth")
        return {"staff": _ADMIN, "counter_number": None}

    def first_admin_needed(self) -> bool:
        return False

    def login(self, username: str, secret: str) -> dict[str, Any]:
        if secret != "2468":
            raise HubError("Sai tên đăng nhập hoặc mật khẩu/PIN.", status=401, error_code="auth")
        self.staff_session = "phien-mau"
        return {"token": "phien-mau", "staff": _ADMIN, "counter_number": None}

    def create_first_admin(self, username: str, full_name: str, secret: str) -> dict[str, Any]:
        return self.login(username, secret)

    def logout(self) -> None:
        self.staff_session = ""

    def backups(self) -> list[dict[str, Any]]:
        rows = [
            ("kiosk-20260914-101500.db", "2026-09-14T10:15:00+07:00", 5_400_000, True, ""),
            ("kiosk-20260913-170200.db", "2026-09-13T17:02:00+07:00", 5_350_000, True, ""),
            (
                "kiosk-20260912-170000-truoc-khoi-phuc.db",
                "2026-09-12T17:00:00+07:00",
                5_200_000,
                True,
                "",
            ),
            ("kiosk-20260911-170000.db", "2026-09-11T17:00:00+07:00", 1_024, False, "Tệp hỏng."),
        ]
        return [
            {
                "name": name,
                "taken_at": taken,
                "bytes": size,
                "verified": ok,
                "problem": problem,
                "safety": "truoc-khoi-phuc" in name,
            }
            for name, taken, size, ok, problem in rows
        ]

    def restore(self, name: str, confirm: str) -> dict[str, Any]:
        return {
            "name": name,
            "safety_backup": "kiosk-20260914-103000-truoc-khoi-phuc.db",
            "restored_at": "2026-09-14T10:30:00+07:00",
            "session_valid": True,
        }

    def office_summary(self) -> dict[str, Any]:
        return {
            "office_name": "UBND phường Tân An",
            "unit_code": "000.00.21.H12",
            "hub_url": "http://192.168.1.10:8765",
            "district_url": "",
            "data_dir": "C:\\MotCua\\du-lieu",
            "settings_file": "C:\\MotCua\\cai-dat\\settings.toml",
            "notice": "Kính mời công dân lấy số thứ tự và chờ đến lượt. Xin cảm ơn!",
            "form_set": "2018",
            "groups": [
                {"prefix": "A", "name": "Hộ tịch"},
                {"prefix": "B", "name": "Chứng thực"},
                {"prefix": "C", "name": "Đất đai – Xây dựng"},
            ],
            "counters": [
                {"number": 1, "name": "Quầy 1", "groups": ["A", "B"]},
                {"number": 2, "name": "Quầy 2", "groups": ["B"]},
                {"number": 3, "name": "Quầy 3", "groups": ["C", "A"]},
            ],
            "voice": {
                "enabled": True,
                "engine": "clips",
                "reading": "digits",
                "region": "south",
                "chime": True,
                "english": False,
                "repeat": 2,
            },
        }

    def voice_clips(self) -> dict[str, Any]:
        """The shipped set as the hub lists it, two words recorded by the office."""
        from kiosk.voice.audio import ClipSet
        from kiosk.voice.words import ALL_CLIPS, CHIME, CLIP_TEXTS

        clips = ClipSet()
        own = {"moi-cong-dan", "den-quay-so"}
        items = []
        for key in ALL_CLIPS:
            language, text = ("", "") if key == CHIME else CLIP_TEXTS[key]
            items.append(
                {
                    "key": key,
                    "language": language,
                    "text": text,
                    "source": "office" if key in own else "shipped",
                    "seconds": round(clips.clip(key).duration, 3),
                }
            )
        return {"clips": items, "problems": []}

    def update_office(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Refuses, as the hub does for these mistakes: every problem at once."""
        error = HubError("Cài đặt có 3 lỗi, chưa lưu gì.", status=422, error_code="settings_error")
        error.details["problems"] = [
            "office.unit_code: Mã định danh cơ quan chỉ gồm chữ cái không dấu, chữ số, dấu chấm, "
            "gạch dưới và gạch nối.",
            'groups[3].prefix: nhóm "A" bị khai báo hai lần',
            'counters[2].groups: quầy 2 phục vụ nhóm "D" không có trong [[groups]]',
        ]
        raise error


class SampleMicrophone:
    """A microphone that 'hears' the shipped clip of a word, with room silence around it."""

    def __init__(self, key: str = "so-5") -> None:
        self.key = key

    def start(self) -> None:
        pass

    def stop(self) -> tuple[Any, int, int]:
        from array import array

        from kiosk.voice.audio import RATE, ClipSet

        word = ClipSet().clip(self.key).samples
        quiet = array("h", bytes(2 * RATE // 2))
        return quiet + array("h", (s // 3 for s in word)) + quiet, RATE, 1
