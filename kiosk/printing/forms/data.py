"""What each form prints: plain data, built by the caller (dossier service, counter screen).

Times are tz-aware and printed in Vietnam time. Text may arrive NFD or with markup characters:
the renderers normalise and escape it, so callers pass values exactly as typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from kiosk.domain.catalogue import CopyKind
from kiosk.store.dossier_repo import DossierDocument, DossierRow

DEFAULT_UNIT: Final = "Bộ phận Tiếp nhận và Trả kết quả"

RETURN_CHANNEL_LABELS: Final[dict[str, str]] = {
    "counter": "Bộ phận Tiếp nhận và Trả kết quả (nhận trực tiếp)",
    "postal": "Qua dịch vụ bưu chính công ích",
    "online": "Trực tuyến, qua Cổng Dịch vụ công",
}


@dataclass(frozen=True, slots=True)
class OfficeHeader:
    """The issuing office as printed in the top-left corner and the date line."""

    agency: str  # "UBND xã Demo": printed in capitals on the first line
    unit: str = DEFAULT_UNIT  # printed in bold capitals under it
    place: str = ""  # "Demo" → "Demo, ngày 15 tháng 03 năm 2026"


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One document handed in, with its count in each form (form 01 table)."""

    name: str
    originals: int = 0
    certified: int = 0
    photocopies: int = 0
    note: str = ""

    @classmethod
    def from_document(cls, document: DossierDocument) -> DocumentLine:
        kind = CopyKind(document.copy_kind)
        return cls(
            name=document.name,
            originals=document.count if kind is CopyKind.ORIGINAL else 0,
            certified=document.count if kind is CopyKind.CERTIFIED else 0,
            photocopies=document.count if kind is CopyKind.PHOTOCOPY else 0,
        )


@dataclass(frozen=True, slots=True)
class ReceiptForm:
    """Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

    office: OfficeHeader
    code: str
    applicant_name: str
    procedure_name: str
    received_at: datetime
    due_at: datetime | None
    time_limit: str  # "05 ngày làm việc", "Trong ngày": the legal limit as the catalogue says it
    documents: tuple[DocumentLine, ...] = ()
    sets: int = 1
    applicant_address: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_id_number: str = ""
    return_channel: str = "counter"
    fee: int | None = None  # VND; None prints a blank to fill by hand
    register_book: str = ""  # Quyển số
    register_number: str = ""  # Số thứ tự, "01/2026"
    receiver_name: str = ""


@dataclass(frozen=True, slots=True)
class MissingItem:
    """One thing to add or fix (form 02)."""

    name: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class SupplementForm:
    """Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

    office: OfficeHeader
    issued_at: datetime
    applicant_name: str
    procedure_name: str
    items: tuple[MissingItem, ...]
    reason: str = ""
    number: str = ""
    code: str = ""  # a supplement at the counter has no dossier code yet
    applicant_address: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    contact: str = ""  # who to call: "Ông Trần Văn B, số điện thoại 0203 3456 789"
    officer_name: str = ""


@dataclass(frozen=True, slots=True)
class RefusalForm:
    """Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    office: OfficeHeader
    issued_at: datetime
    applicant_name: str
    procedure_name: str
    reason: str
    number: str = ""
    code: str = ""
    applicant_address: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    officer_name: str = ""


@dataclass(frozen=True, slots=True)
class ApologyForm:
    """Form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả."""

    office: OfficeHeader
    issued_at: datetime
    addressee: str
    code: str
    procedure_name: str
    received_at: datetime
    original_due_at: datetime
    new_due_at: datetime
    reason: str
    agency_name: str = ""  # the body that apologises; defaults to the office's agency
    number: str = ""
    signer_title: str = "THỦ TRƯỞNG CƠ QUAN"
    signer_name: str = ""


@dataclass(frozen=True, slots=True)
class HandoverRow:
    """One hand-over of a dossier between units (form 05)."""

    from_unit: str
    to_unit: str
    at: datetime | None = None
    giver: str = ""
    receiver: str = ""
    outcome: str = ""  # "early" | "on_time" | "late" | "" (not yet known)
    note: str = ""


@dataclass(frozen=True, slots=True)
class ControlSlipForm:
    """Form 05: Phiếu kiểm soát quá trình giải quyết hồ sơ."""

    office: OfficeHeader
    code: str
    applicant_name: str
    procedure_name: str
    received_at: datetime
    due_at: datetime | None
    handovers: tuple[HandoverRow, ...] = ()
    receipt_number: str = ""
    lead_unit: str = ""
    coordinating_units: str = ""


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One line of the dossier register (form 06)."""

    number: str  # "01/2026"
    code: str
    procedure_name: str
    applicant_name: str
    received_at: datetime
    due_at: datetime | None = None
    sets: int = 1
    applicant_address: str = ""
    applicant_phone: str = ""
    processing_unit: str = ""
    transferred_at: datetime | None = None
    result_at: datetime | None = None
    returned_at: datetime | None = None
    note: str = ""

    @classmethod
    def from_dossier(cls, row: DossierRow, *, processing_unit: str = "") -> RegisterRow:
        return cls(
            number=row.register_number,
            code=row.code,
            procedure_name=row.procedure_name,
            applicant_name=row.applicant_name,
            received_at=row.received_at,
            due_at=row.due_at,
            sets=row.sets,
            applicant_address=row.applicant_address,
            applicant_phone=row.applicant_phone,
            processing_unit=processing_unit,
            result_at=row.result_at,
            returned_at=row.returned_at,
            note=row.note,
        )


@dataclass(frozen=True, slots=True)
class RegisterForm:
    """Form 06: Sổ theo dõi hồ sơ (A4 landscape), one book per year."""

    office: OfficeHeader
    year: int
    rows: tuple[RegisterRow, ...] = field(default_factory=tuple)
    book: str = ""


def receipt_from_dossier(
    row: DossierRow,
    documents: tuple[DossierDocument, ...] | list[DossierDocument],
    *,
    office_name: str,
    time_limit: str,
    unit: str = DEFAULT_UNIT,
    place: str = "",
    register_book: str = "",
    receiver_name: str = "",
) -> ReceiptForm:
    """Form 01 data for a stored dossier; office values come from the settings."""
    return ReceiptForm(
        office=OfficeHeader(agency=office_name, unit=unit, place=place),
        code=row.code,
        applicant_name=row.applicant_name,
        procedure_name=row.procedure_name,
        received_at=row.received_at,
        due_at=row.due_at,
        time_limit=time_limit,
        documents=tuple(DocumentLine.from_document(d) for d in documents),
        sets=row.sets,
        applicant_address=row.applicant_address,
        applicant_phone=row.applicant_phone,
        applicant_email=row.applicant_email,
        applicant_id_number=row.applicant_id_number,
        return_channel=row.return_channel,
        fee=row.fee,
        register_book=register_book or str(row.register_year),
        register_number=row.register_number,
        receiver_name=receiver_name,
    )
