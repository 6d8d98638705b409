"""Sample data for screenshots: an empty office, a busy one, long names, faults, offline.

`SampleServices` implements `KioskServices` in memory (no hub): it renders every state without a
network, so `kiosk screenshots` runs anywhere in a second. Flows are tested with the real hub.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.clock import VN_TZ
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.catalogue_io import parse_catalogue_json
from kiosk.hub.client import HubUnavailable
from kiosk.printing.errors import PaperOut
from kiosk.ui.kiosk.services import GroupInfo, IssuedTicket, LookupResult

SAMPLE_NOW = datetime(2026, 9, 14, 9, 41, tzinfo=VN_TZ)
OFFICE = "UBND phường Tân An"
LONG_OFFICE = "Trung tâm Phục vụ hành chính công phường Nguyễn Trung Trực"

BUSY_GROUPS = [
    GroupInfo("A", "Hộ tịch", 12, 34),
    GroupInfo("B", "Chứng thực", 5, 9),
    GroupInfo("C", "Đất đai, Xây dựng", 0, 0),
    GroupInfo("D", "Kinh doanh, Xã hội", 3, 15),
]
LONG_GROUPS = [
    GroupInfo("A", "Hộ tịch, Chứng thực bản sao, Chứng thực chữ ký và hợp đồng giao dịch", 27, 95),
    GroupInfo("B", "Đất đai, Xây dựng, Tài nguyên môi trường, Quy hoạch đô thị", 8, 40),
    GroupInfo("C", "Đăng ký thành lập và hoạt động của hộ kinh doanh", 1, 5),
    GroupInfo("D", "Bảo trợ xã hội, Người có công, Giảm nghèo", 0, 0),
    GroupInfo("E", "Tư pháp", 2, 12),
    GroupInfo("G", "Thi đua, Khen thưởng", 0, 0),
]

SAMPLE_LOOKUP = LookupResult(
    code="000.00.21.H99-260914-0007",
    status="Đang giải quyết",
    explanation="Hồ sơ đang được giải quyết. Quý khách chờ đến ngày hẹn trả.",
    procedure_name="Đăng ký biến động quyền sử dụng đất (chuyển nhượng, thừa kế, tặng cho)",
    applicant="N***** T** Hồng",
    received_at="09:12 ngày 08/09/2026",
    due_at="16:00 ngày 18/09/2026",
)


def default_catalogue() -> Catalogue:
    from kiosk.setup import default_catalogue_file

    return parse_catalogue_json(default_catalogue_file().read_text(encoding="utf-8"))


@dataclass
class SampleServices:
    """In-memory kiosk services; `offline` and `printer_fault` switch the failure states."""

    groups_list: list[GroupInfo] = field(default_factory=lambda: list(BUSY_GROUPS))
    office_name: str = OFFICE
    offline: bool = False
    printer_fault: bool = False
    issued: int = 0

    def groups(self) -> list[GroupInfo]:
        if self.offline:
            raise HubUnavailable("Không kết nối được máy chủ văn phòng.")
        return list(self.groups_list)

    def issue(self, prefix: str, priority: str | None) -> IssuedTicket:
        if self.offline:
            raise HubUnavailable(
                "Không kết nối được máy chủ văn phòng tại http://192.168.1.10:8765. "
                "Kiểm tra mạng hoặc máy chủ rồi thử lại."
            )
        group = next(g for g in self.groups_list if g.prefix == prefix)
        self.issued += 1
        return IssuedTicket(
            ticket_id=self.issued,
            number=f"{prefix}{group.waiting + 40 + self.issued:03d}",
            group_name=group.name,
            issued_at=SAMPLE_NOW,
            people_ahead=group.waiting,
            estimated_wait_minutes=group.estimated_wait_minutes,
            priority=priority is not None,
        )

    def print_ticket(self, ticket: IssuedTicket) -> list[Path]:
        if self.printer_fault:
            raise PaperOut("Máy in phiếu hết giấy.", printer="usb:0x0416:0x5011")
        return []

    def lookup(self, code: str) -> LookupResult:
        return SAMPLE_LOOKUP

    def catalogue(self, *, refresh: bool = False) -> Catalogue:
        return default_catalogue()


def sample_snapshot(*, busy: bool = True, counters: int = 4) -> dict[str, Any]:
    """A hub snapshot (the JSON of `QueueSnapshot.as_json`) for the display board."""
    names = {
        1: "Quầy 1 — Hộ tịch",
        2: "Quầy 2 — Chứng thực",
        3: "Quầy 3 — Đất đai, Xây dựng",
        4: "Quầy 4 — Kinh doanh, Xã hội",
    }
    serving = {1: "A041", 2: "B017", 3: "C006", 4: "D012", 5: "A043", 6: "B019"}
    rows = []
    for number in range(1, counters + 1):
        current = None
        if busy and number in serving and number != 5:
            current = _ticket(serving[number], number, SAMPLE_NOW - timedelta(minutes=number))
        rows.append(
            {
                "counter": {
                    "number": number,
                    "name": names.get(number, f"Quầy {number}"),
                    "group_ids": [1],
                    "open": number != 6,
                },
                "current": current,
            }
        )
    calls = []
    if busy:
        for index, (number, counter) in enumerate(
            (("D012", 4), ("C006", 3), ("B017", 2), ("A041", 1), ("A040", 3), ("B016", 2))
        ):
            at = SAMPLE_NOW - timedelta(minutes=index * 2)
            calls.append(
                {
                    "id": 100 - index,
                    "kind": "ticket.called",
                    "at": at.isoformat(),
                    "counter_number": counter,
                    "ticket": _ticket(number, counter, at),
                }
            )
    return {"groups": [], "counters": rows, "last_calls": calls, "last_event_id": 100}


def call_event(number: str, counter: int, event_id: int = 101) -> dict[str, Any]:
    return {
        "id": event_id,
        "kind": "ticket.called",
        "at": SAMPLE_NOW.isoformat(),
        "counter_number": counter,
        "ticket": _ticket(number, counter, SAMPLE_NOW),
    }


def finished_event(
    number: str, counter: int, ticket_id: int = 500, event_id: int = 102
) -> dict[str, Any]:
    ticket = _ticket(number, counter, SAMPLE_NOW)
    ticket.update({"id": ticket_id, "status": "done", "finished_at": SAMPLE_NOW.isoformat()})
    return {
        "id": event_id,
        "kind": "ticket.finished",
        "at": SAMPLE_NOW.isoformat(),
        "counter_number": counter,
        "ticket": ticket,
    }


def _ticket(number: str, counter: int, at: datetime) -> dict[str, Any]:
    return {
        "id": counter * 1000 + int(number[1:]),
        "display_number": number,
        "prefix": number[0],
        "number": int(number[1:]),
        "group_id": 1,
        "status": "called",
        "priority": False,
        "issued_at": (at - timedelta(minutes=20)).isoformat(),
        "called_at": at.isoformat(),
        "serving_at": None,
        "finished_at": None,
        "first_called_at": at.isoformat(),
        "counter_number": counter,
        "recalls": 0,
        "outcome": None,
        "return_to_counter": None,
        "assigned_counter": None,
        "service_day": at.date().isoformat(),
    }


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
