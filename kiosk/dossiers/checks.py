"""The checks every action of the workflow shares: free text, channels, request ids, the
applicant, the list of missing documents, the procedure and the ticket named.

Each check returns the cleaned value or raises `ValidationError` (or a not-found error) with a
Vietnamese message naming the field, before anything is written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Final

from kiosk.domain.catalogue import Procedure
from kiosk.domain.codes import format_dossier_code, parse_dossier_code
from kiosk.domain.errors import ValidationError
from kiosk.domain.text import clean
from kiosk.domain.validation import (
    clean_person_name,
    normalise_email,
    normalise_phone,
    parse_citizen_id,
)
from kiosk.dossiers.errors import ProcedureNotFound, TicketNotFound
from kiosk.dossiers.models import CHANNEL_LABELS, Applicant, MissingDocument
from kiosk.store import Store
from kiosk.store.catalogue_repo import get_procedure
from kiosk.store.dossier_forms_repo import ticket_exists

MAX_DOCUMENTS: Final = 100
MAX_ITEMS: Final = 50
MAX_SETS: Final = 99
MAX_COUNT: Final = 999
MAX_FEE: Final = 1_000_000_000
NAME_MAX: Final = 100
ADDRESS_MAX: Final = 300
DOCUMENT_MAX: Final = 500
UNIT_MAX: Final = 200
NOTE_MAX: Final = 1000
REQUEST_ID_MIN, REQUEST_ID_MAX = 8, 100

CHANNELS: Final = tuple(CHANNEL_LABELS)


def text(value: str, *, field_name: str, label: str, max_len: int, required: bool = False) -> str:
    """A free-text field, cleaned (NFC, spaces), at most `max_len` long, present if required."""
    cleaned = clean(value)
    if required and not cleaned:
        raise ValidationError(f"Chưa nhập {label}.", field=field_name, value=value)
    if len(cleaned) > max_len:
        raise ValidationError(
            f"{label[:1].upper()}{label[1:]} dài quá {max_len} ký tự (đang có {len(cleaned)}).",
            field=field_name,
            value=value[:max_len],
        )
    return cleaned


def channel(value: str, field_name: str) -> str:
    """One of the channels a dossier comes in or goes back by (`CHANNEL_LABELS`)."""
    if value not in CHANNEL_LABELS:
        allowed = ", ".join(f"{k} ({v})" for k, v in CHANNEL_LABELS.items())
        raise ValidationError(
            f"Kênh '{value}' không có. Chọn một trong: {allowed}.", field=field_name, value=value
        )
    return value


def canonical_code(raw: str) -> str:
    """A typed or scanned dossier code in its stored form (case, spaces and dashes forgiven)."""
    parts = parse_dossier_code(raw)
    return format_dossier_code(parts.unit_code, parts.received_on, parts.seq)


def request_id(value: str | None) -> str | None:
    """A client's request id, stripped: 8 to 100 ASCII characters (None: not idempotent)."""
    if value is None:
        return None
    stripped = value.strip()
    if not (REQUEST_ID_MIN <= len(stripped) <= REQUEST_ID_MAX) or not stripped.isascii():
        raise ValidationError(
            f"Mã yêu cầu phải gồm {REQUEST_ID_MIN}–{REQUEST_ID_MAX} ký tự ASCII.",
            field="request_id",
            value=value[:REQUEST_ID_MAX],
        )
    return stripped


@dataclass(frozen=True, slots=True)
class ValidApplicant:
    """An applicant after the checks: name, ID number (and whether it is a legacy 9-digit
    one), phone, e-mail and address in their stored forms."""

    name: str
    id_number: str
    id_legacy: bool
    phone: str
    email: str
    address: str


def applicant(typed: Applicant) -> ValidApplicant:
    name = clean_person_name(typed.name)
    id_number, legacy = "", False
    if clean(typed.citizen_id):
        parsed = parse_citizen_id(typed.citizen_id)
        id_number, legacy = parsed.number, parsed.legacy
    phone = normalise_phone(typed.phone) if clean(typed.phone) else ""
    email = normalise_email(typed.email) if clean(typed.email) else ""
    address = text(typed.address, field_name="address", label="địa chỉ", max_len=ADDRESS_MAX)
    return ValidApplicant(name, id_number, legacy, phone, email, address)


def missing_items(items: tuple[MissingDocument, ...]) -> list[dict[str, str]]:
    """The lines of a form 02, as stored: at least one, at most `MAX_ITEMS`, each named."""
    if not items:
        raise ValidationError(
            "Phiếu yêu cầu bổ sung phải ghi đủ mọi giấy tờ còn thiếu (ít nhất một dòng).",
            field="items",
        )
    if len(items) > MAX_ITEMS:
        raise ValidationError(f"Phiếu yêu cầu bổ sung ghi tối đa {MAX_ITEMS} dòng.", field="items")
    out = []
    for n, item in enumerate(items, 1):
        name = text(
            item.name,
            field_name=f"items.{n}.name",
            label=f"tên giấy tờ dòng {n}",
            max_len=DOCUMENT_MAX,
            required=True,
        )
        detail = text(
            item.detail,
            field_name=f"items.{n}.detail",
            label=f"nội dung dòng {n}",
            max_len=DOCUMENT_MAX,
        )
        out.append({"name": name, "detail": detail})
    return out


def procedure(store: Store, code: str) -> Procedure:
    """The catalogue's procedure with this code."""
    wanted = clean(code)
    if not wanted:
        raise ValidationError("Chưa chọn thủ tục.", field="procedure_code", value=code)
    found = get_procedure(store, wanted)
    if found is None:
        raise ProcedureNotFound(wanted)
    return found


def ticket(conn: sqlite3.Connection, ticket_id: int | None) -> None:
    """Refuse a ticket id that names no ticket (None: no ticket, fine)."""
    if ticket_id is not None and not ticket_exists(conn, ticket_id):
        raise TicketNotFound(ticket_id)
