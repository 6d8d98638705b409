"""Sample data for the console's screenshots: no hub, the same pictures on every machine."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from kiosk.domain.catalogue import Catalogue
from kiosk.hub.client import HubUnavailable
from kiosk.ui.counter.prints import Printed, PrintItem, describe
from kiosk.ui.counter.services import CounterServices, PrintResult, PrintSetup
from kiosk.ui.samples import OFFICE, SAMPLE_NOW, _ticket, default_catalogue

GROUPS = (("A", "Hộ tịch", 7, 18), ("B", "Chứng thực", 3, 6), ("C", "Đất đai, Xây dựng", 0, 0))
CODE = "000.00.21.H99-260914-0007"


def sample_queue(serving: str | None = "A041") -> dict[str, Any]:
    current = None
    if serving:
        current = _ticket(serving, 1, SAMPLE_NOW - timedelta(minutes=2))
        current["status"] = "serving"
    return {
        "groups": [
            {
                "group": {"id": i, "prefix": p, "name": n, "fields": [], "number_width": 3},
                "waiting": w,
                "estimated_wait_minutes": m,
            }
            for i, (p, n, w, m) in enumerate(GROUPS, start=1)
        ],
        "counters": [
            {
                "counter": {"number": 1, "name": "Quầy 1", "group_ids": [1, 2, 3], "open": True},
                "current": current,
            },
            {
                "counter": {"number": 2, "name": "Quầy 2", "group_ids": [1], "open": True},
                "current": None,
            },
            {
                "counter": {
                    "number": 3,
                    "name": "Quầy Đất đai",
                    "group_ids": [3],
                    "open": True,
                },
                "current": None,
            },
            {
                "counter": {"number": 4, "name": "Quầy 4", "group_ids": [2], "open": False},
                "current": None,
            },
        ],
        "last_calls": [],
        "last_event_id": 10,
    }


def sample_dossier(index: int = 7, status: str = "received") -> dict[str, Any]:
    names = ("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Minh Châu")
    return {
        "code": f"000.00.21.H99-260914-{index:04d}",
        "applicant_name": names[index % len(names)],
        "applicant_phone": "0912345678",
        "procedure_name": "Thủ tục đăng ký kết hôn có yếu tố nước ngoài",
        "received_at": (SAMPLE_NOW - timedelta(days=index)).isoformat(),
        "due_at": (SAMPLE_NOW + timedelta(hours=6)).isoformat(),
        "status": status,
        "status_label": {"received": "Đã tiếp nhận", "processing": "Đang xử lý"}.get(
            status, status
        ),
        "current_unit": "Công chức Tư pháp - Hộ tịch",
        "register_number": f"{index:02d}/2026",
    }


def sample_held() -> list[dict[str, Any]]:
    notes = ("Đi photo giấy khai sinh của con", "Về lấy sổ hộ khẩu bản chính")
    held = []
    for index, (number, minutes) in enumerate((("A037", 26), ("B012", 9))):
        ticket = _ticket(number, 1, SAMPLE_NOW - timedelta(minutes=minutes + 5))
        ticket["status"] = "on_hold"
        ticket["note"] = notes[index]
        ticket["held_at"] = (SAMPLE_NOW - timedelta(minutes=minutes)).isoformat()
        held.append(ticket)
    return held


def sample_failed_prints() -> list[PrintItem]:
    kinds = (
        (
            "mau-01-" + CODE,
            "pdf:/dulieu/ban-in",
            "Không lưu được biểu mẫu vào thư mục "
            "/dulieu/ban-in: Permission denied. Kiểm tra thư mục hoặc chọn nơi in khác.",
            2,
        ),
        (
            "bien-nhan-" + CODE,
            "tcp://192.168.1.60:9100",
            "Máy in 192.168.1.60:9100 không "
            "trả lời. Kiểm tra máy in đã bật, cáp mạng đã cắm và địa chỉ đúng.",
            1,
        ),
        (
            "mau-02-BS-0003",
            "os:HP LaserJet P1102",
            "Máy in HP LaserJet P1102 hết giấy: nạp giấy rồi bấm «In lại».",
            1,
        ),
    )
    items = []
    for index, (kind, printer, reason, attempts) in enumerate(kinds, start=1):
        title, subject, form = describe(kind)
        items.append(
            PrintItem(
                id=index,
                kind=kind,
                title=title,
                subject=subject,
                form=form,
                printer=printer,
                status="failed",
                reason=reason,
                attempts=attempts,
                created_at=SAMPLE_NOW - timedelta(minutes=40 - 10 * index),
            )
        )
    return items


class SampleCounterServices(CounterServices):
    def __init__(self, *, offline: bool = False, failed_prints: bool = False) -> None:
        super().__init__(None, 1, PrintSetup(office_name=OFFICE, form_printer="pdf:/tmp"))  # type: ignore[arg-type]
        self.offline = offline
        self.serving: str | None = None
        self.held_tickets = sample_held()
        self.failed_items = sample_failed_prints() if failed_prints else []

    def held(self) -> list[dict[str, Any]]:
        self._check()
        return self.held_tickets

    def failed_prints(self) -> list[PrintItem]:
        return self.failed_items

    def retry_print(self, job_id: int) -> tuple[Printed, int]:
        raise NotImplementedError  # the screenshots only show the list

    def _check(self) -> None:
        if self.offline:
            raise HubUnavailable(
                "Không kết nối được máy chủ văn phòng tại http://192.168.1.10:8765. "
                "Kiểm tra mạng hoặc máy chủ rồi thử lại."
            )

    def login(self, username: str, secret: str) -> dict[str, Any]:
        self._check()
        return {"staff": {"username": username, "full_name": "Trần Thị Lan", "role": "clerk"}}

    def queue(self) -> dict[str, Any]:
        self._check()
        return sample_queue(self.serving)

    def call_next(self) -> dict[str, Any] | None:
        self._check()
        self.serving = "A041"
        ticket = sample_queue(self.serving)["counters"][0]["current"]
        assert isinstance(ticket, dict)
        return ticket

    def catalogue(self, *, refresh: bool = False) -> Catalogue:
        return default_catalogue()

    def due_preview(self, procedure_code: str) -> dict[str, Any]:
        return {
            "due_at": (SAMPLE_NOW + timedelta(days=7)).replace(hour=16, minute=0).isoformat(),
            "time_limit": "5 ngày làm việc",
        }

    def worklist(self, kind: str) -> list[dict[str, Any]]:
        self._check()
        return [sample_dossier(i) for i in range(3, 12)]

    def search(self, text: str) -> list[dict[str, Any]]:
        return [sample_dossier(i) for i in range(3, 5)]

    def dossier_file(self, code: str) -> dict[str, Any]:
        dossier = sample_dossier(7)
        at = SAMPLE_NOW - timedelta(days=7)
        return {
            "dossier": dossier,
            "transfers": [],
            "supplements": [],
            "timeline": [
                {
                    "at": at.isoformat(),
                    "kind": "event",
                    "title": "Tiếp nhận",
                    "unit": "Bộ phận Một cửa",
                    "note": "",
                },
                {
                    "at": (at + timedelta(hours=2)).isoformat(),
                    "kind": "transfer",
                    "title": "Chuyển xử lý",
                    "unit": "Công chức Tư pháp - Hộ tịch",
                    "note": "Bàn giao bản giấy",
                },
            ],
        }

    def print_receipt(self, dossier: dict[str, Any], copies: int | None = None) -> PrintResult:
        return PrintResult(written=["sample"])
