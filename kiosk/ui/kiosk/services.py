"""What the kiosk screen needs from the outside world, as one small interface.

The screen is coded against `KioskServices` (plain values in, plain values out, KioskError on
anything a person should read); `HubServices` implements it with the hub client and a thermal
printer; screenshots and tests of pure layout can pass their own. Every method is called on the
kiosk's worker thread, never on the UI thread.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from kiosk.domain.catalogue import Catalogue
from kiosk.domain.catalogue_io import parse_catalogue_json
from kiosk.domain.lifecycle import DossierStatus
from kiosk.domain.text import mask_name

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """One service group as the home screen shows it."""

    prefix: str
    name: str
    waiting: int
    estimated_wait_minutes: int
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IssuedTicket:
    ticket_id: int
    number: str
    group_name: str
    issued_at: datetime
    people_ahead: int
    estimated_wait_minutes: int
    priority: bool = False


@dataclass(frozen=True, slots=True)
class LookupResult:
    """A dossier as the public kiosk may show it: plain words, personal data masked."""

    code: str
    status: str
    explanation: str
    procedure_name: str = ""
    applicant: str = ""
    received_at: str = ""
    due_at: str = ""
    where_to_collect: str = ""


Lookup = Callable[[str], LookupResult]


class KioskServices(Protocol):
    office_name: str

    def groups(self) -> list[GroupInfo]: ...

    def issue(self, prefix: str, priority: str | None) -> IssuedTicket: ...

    def print_ticket(self, ticket: IssuedTicket) -> list[Path]:
        """Print; returns the PNG pages of a virtual printer (else []); raises PrinterError."""
        ...

    def lookup(self, code: str) -> LookupResult: ...

    def catalogue(self, *, refresh: bool = False) -> Catalogue:
        """The procedure catalogue (kept after the first fetch; `refresh` fetches it again)."""
        ...


#: What each status means to a citizen, in plain words (the kiosk never shows portal codes).
STATUS_EXPLANATIONS: dict[DossierStatus, str] = {
    DossierStatus.RECEIVED: "Hồ sơ đã được tiếp nhận và đang chờ chuyển đến bộ phận giải quyết.",
    DossierStatus.PROCESSING: "Hồ sơ đang được giải quyết. Quý khách chờ đến ngày hẹn trả.",
    DossierStatus.SUPPLEMENT_REQUESTED: (
        "Hồ sơ cần bổ sung giấy tờ. Quý khách vui lòng liên hệ quầy tiếp nhận."
    ),
    DossierStatus.AWAITING_FEE: "Hồ sơ đang chờ nộp phí, lệ phí.",
    DossierStatus.DONE: "Đã có kết quả. Mời quý khách đến quầy để nhận kết quả.",
    DossierStatus.RETURNED: "Kết quả đã được trả cho người nộp.",
    DossierStatus.REFUSED: "Hồ sơ không được tiếp nhận. Quý khách liên hệ quầy để biết lý do.",
    DossierStatus.WITHDRAWN: "Hồ sơ đã được rút theo đề nghị của người nộp.",
    DossierStatus.STOPPED: "Hồ sơ đã dừng xử lý. Quý khách liên hệ quầy để biết thêm.",
}


def lookup_result_from_json(data: dict[str, Any]) -> LookupResult:
    """Read the hub's lookup answer (POST /api/lookup); the name comes masked, masked again here
    if it ever did not."""
    status_value = str(data.get("status", ""))
    try:
        status = DossierStatus(status_value)
        label, explanation = status.label, STATUS_EXPLANATIONS.get(status, "")
    except ValueError:
        label, explanation = status_value or "Không rõ", ""
    applicant = str(data.get("applicant_name") or "")
    if applicant and "*" not in applicant:
        applicant = mask_name(applicant)
    return LookupResult(
        code=str(data.get("code") or ""),
        status=str(data.get("status_label") or label),
        explanation=str(data.get("status_text") or explanation),
        procedure_name=str(data.get("procedure_name") or ""),
        applicant=applicant,
        received_at=_when(data.get("received_at")),
        due_at=_when(data.get("due_at")),
        where_to_collect=str(data.get("where_to_collect") or ""),
    )


def _when(value: Any) -> str:
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def hub_lookup(client: Any) -> Lookup:
    """The lookup callable for a hub client (`HubClient.lookup_dossier`, kiosk role)."""

    def lookup(code: str) -> LookupResult:
        return lookup_result_from_json(dict(client.lookup_dossier(code)))

    return lookup


def scanned_code(text: str) -> str:
    """A scanned receipt QR may be the lookup URL `{base}/{code}`: keep the code only."""
    value = text.strip()
    if "/" in value:
        value = value.rstrip("/").rsplit("/", 1)[-1]
    return value


class HubServices:
    """The kiosk's services over the hub API and a thermal printer address (`png:` for demo).

    `printer` is an address, or a callable giving the address to use now (the device's printer
    as set in the admin screen, `kiosk.ui.device_printers`): read at every ticket.
    """

    def __init__(
        self,
        client: Any,
        printer: str | Callable[[], str],
        *,
        office_name: str = "",
        lookup: Lookup | None = None,
        paper_width: int | None = None,
    ) -> None:
        self.client = client
        self._printer = printer
        self.office_name = office_name
        self._lookup = lookup or hub_lookup(client)
        self._paper_width = paper_width
        self._catalogue: Catalogue | None = None
        self._group_names: dict[str, str] = {}

    @property
    def printer(self) -> str:
        """The ticket printer's address now."""
        return self._printer() if callable(self._printer) else self._printer

    def groups(self) -> list[GroupInfo]:
        snapshot = self.client.queue()
        if not self.office_name:
            self.office_name = str(self.client.health().get("office", ""))
        groups = [
            GroupInfo(
                prefix=str(g["group"]["prefix"]),
                name=str(g["group"]["name"]),
                waiting=int(g["waiting"]),
                estimated_wait_minutes=int(g["estimated_wait_minutes"]),
                fields=tuple(g["group"].get("fields", ())),
            )
            for g in snapshot["groups"]
        ]
        self._group_names = {g.prefix: g.name for g in groups}
        return groups

    def issue(self, prefix: str, priority: str | None) -> IssuedTicket:
        answer = self.client.issue(prefix, priority=priority)
        ticket = answer["ticket"]
        prefix = str(ticket["prefix"])
        if prefix not in self._group_names:
            self.groups()
        return IssuedTicket(
            ticket_id=int(ticket["id"]),
            number=str(ticket["display_number"]),
            group_name=self._group_names.get(prefix, prefix),
            issued_at=datetime.fromisoformat(str(ticket["issued_at"])),
            people_ahead=int(answer["people_ahead"]),
            estimated_wait_minutes=int(answer["estimated_wait_minutes"]),
            priority=bool(ticket.get("priority")),
        )

    def print_ticket(self, ticket: IssuedTicket) -> list[Path]:
        from kiosk.printing.thermal.connections import deliver, parse_printer_uri
        from kiosk.printing.thermal.escpos import encode_slip
        from kiosk.printing.thermal.layouts import TicketData, render_ticket

        printer = self.printer
        if not printer:
            from kiosk.printing.errors import PrinterSetupError

            raise PrinterSetupError(
                "Máy lấy số này chưa được đặt máy in số thứ tự (Quản trị → Máy in).",
            )
        address = parse_printer_uri(printer)
        model = address.model()
        slip = render_ticket(
            TicketData(
                office_name=self.office_name,
                field_name=ticket.group_name,
                number=ticket.number,
                issued_at=ticket.issued_at,
                people_ahead=ticket.people_ahead,
                estimated_wait_minutes=ticket.estimated_wait_minutes,
            ),
            width=self._paper_width or model.width,
        )
        delivery = deliver(address.uri, encode_slip(slip, model))
        for warning in delivery.warnings:
            log.warning("ticket printer: %s", warning)
        return list(delivery.pages)

    def lookup(self, code: str) -> LookupResult:
        return self._lookup(code)

    def catalogue(self, *, refresh: bool = False) -> Catalogue:
        if self._catalogue is None or refresh:
            document = self.client.catalogue()
            self._catalogue = parse_catalogue_json(json.dumps(document, ensure_ascii=False))
        return self._catalogue
