"""Dossier codes, ticket numbers and register numbers as pure formatting and parsing.

The sequences themselves come from the store (one authority per office); this module only turns
numbers into the printed form and back.

Dossier code (Thông tư 01/2018/TT-VPCP Art. 19): `{unit}-{YYMMDD}-{NNNN}`, e.g.
`000.00.21.H12-210315-0001`. The unit code (mã định danh cơ quan) is opaque, ≤ 35 characters of
`A–Z 0–9 . _ -`, starting and ending with a letter or digit, stored in upper case. A '-' inside a
unit code is allowed because a code is parsed from the right: the last two '-'-separated parts
are always the date and the sequence. Years are 2000–2099 (YY). The sequence has 4 digits, more
from 10000 on, and is written in exactly one way (no extra leading zeros), so one dossier has
one code.

Ticket numbers: 0–2 upper-case letters (the field's prefix) + the daily sequence, zero-padded to
`width` digits ("A007"; "1023").

Register numbers (form 06, sổ theo dõi hồ sơ, one register per year numbered from 01):
"01/2026".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Final

from kiosk.domain.errors import ValidationError

UNIT_CODE_MAX_LENGTH: Final = 35
DOSSIER_SEQ_WIDTH: Final = 4
DOSSIER_CODE_EXAMPLE: Final = "000.00.21.H12-210315-0001"

_UNIT_CODE = re.compile(r"^[A-Z0-9](?:[A-Z0-9._-]*[A-Z0-9])?$")
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})
_WHITESPACE = re.compile(r"\s+")
_TICKET_PREFIX = re.compile(r"^[A-Z]{0,2}$")
_REGISTER_NUMBER = re.compile(r"^(\d{2,})/(\d{4})$")


@dataclass(frozen=True, slots=True)
class DossierCodeParts:
    """The three parts of a dossier code."""

    unit_code: str
    received_on: date
    seq: int


def _scanner_text(raw: str) -> str:
    # NFKC turns full-width digits/letters (some IMEs) into ASCII; scanners and keyboards add
    # spaces, lower case and typographic dashes that are never part of a code.
    text = unicodedata.normalize("NFKC", raw).translate(_DASHES)
    return _WHITESPACE.sub("", text).upper()


def validate_unit_code(code: str) -> str:
    """The unit code in its stored form (upper case), or ValidationError naming the problem."""
    value = unicodedata.normalize("NFKC", code).strip().upper()
    if not value:
        raise ValidationError("Chưa nhập mã định danh cơ quan.", field="unit_code", value=code)
    if len(value) > UNIT_CODE_MAX_LENGTH:
        raise ValidationError(
            f"Mã định danh cơ quan dài tối đa {UNIT_CODE_MAX_LENGTH} ký tự (đang có {len(value)}).",
            field="unit_code",
            value=code,
        )
    if not _UNIT_CODE.match(value):
        raise ValidationError(
            "Mã định danh cơ quan chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch dưới và "
            "gạch nối, bắt đầu và kết thúc bằng chữ hoặc số (ví dụ 000.00.21.H12).",
            field="unit_code",
            value=code,
        )
    return value


def format_dossier_code(unit_code: str, received_on: date, seq: int) -> str:
    """'000.00.21.H12', 15/3/2021, 1 → '000.00.21.H12-210315-0001'."""
    unit = validate_unit_code(unit_code)
    if seq < 1:
        raise ValueError(f"dossier sequence starts at 1, got {seq}")
    if not 2000 <= received_on.year <= 2099:
        raise ValueError(f"dossier codes carry a 2-digit year (2000–2099), got {received_on}")
    return f"{unit}-{received_on:%y%m%d}-{seq:0{DOSSIER_SEQ_WIDTH}d}"


def parse_dossier_code(code: str) -> DossierCodeParts:
    """Split a typed or scanned dossier code; tolerant of case, spaces and typographic dashes."""
    value = _scanner_text(code)

    def fail(reason: str) -> ValidationError:
        return ValidationError(
            f"Mã hồ sơ không đúng dạng: {reason} Ví dụ: {DOSSIER_CODE_EXAMPLE}",
            field="dossier_code",
            value=code,
        )

    if not value:
        raise ValidationError("Chưa nhập mã hồ sơ.", field="dossier_code", value=code)
    parts = value.rsplit("-", 2)
    if len(parts) != 3:
        raise fail("cần có mã cơ quan, ngày tiếp nhận và số thứ tự, cách nhau bởi dấu '-'.")
    unit_part, date_part, seq_part = parts
    if not unit_part:
        raise fail("thiếu mã cơ quan.")
    if not (len(date_part) == 6 and date_part.isascii() and date_part.isdigit()):
        raise fail(f"ngày tiếp nhận '{date_part}' phải gồm 6 chữ số YYMMDD.")
    try:
        received_on = date(2000 + int(date_part[:2]), int(date_part[2:4]), int(date_part[4:]))
    except ValueError:
        raise fail(f"ngày tiếp nhận '{date_part}' không phải ngày có thật.") from None
    if not (seq_part.isascii() and seq_part.isdigit()) or len(seq_part) < DOSSIER_SEQ_WIDTH:
        raise fail(f"số thứ tự '{seq_part}' phải gồm ít nhất {DOSSIER_SEQ_WIDTH} chữ số.")
    seq = int(seq_part)
    if seq < 1 or seq_part != f"{seq:0{DOSSIER_SEQ_WIDTH}d}":
        raise fail(f"số thứ tự '{seq_part}' không hợp lệ.")
    try:
        unit = validate_unit_code(unit_part)
    except ValidationError as error:
        raise fail(error.message) from None
    return DossierCodeParts(unit, received_on, seq)


def validate_ticket_prefix(prefix: str) -> str:
    """A ticket prefix: 0–2 upper-case Latin letters (lower case is accepted and raised)."""
    value = prefix.strip().upper()
    if not _TICKET_PREFIX.match(value):
        raise ValidationError(
            f"Ký hiệu số thứ tự '{prefix}' chỉ được gồm tối đa 2 chữ cái không dấu (A–Z).",
            field="ticket_prefix",
            value=prefix,
        )
    return value


def format_ticket_number(prefix: str, seq: int, width: int = 3) -> str:
    """('A', 7) → 'A007'; ('', 1023, 4) → '1023'; more digits when the day runs past width."""
    if seq < 1:
        raise ValueError(f"ticket sequence starts at 1, got {seq}")
    if width < 1:
        raise ValueError(f"ticket width must be at least 1, got {width}")
    return f"{validate_ticket_prefix(prefix)}{seq:0{width}d}"


def format_register_number(year: int, seq: int) -> str:
    """(2026, 1) → '01/2026': the line of the year's register (form 06), numbered from 01."""
    if seq < 1:
        raise ValueError(f"register sequence starts at 1, got {seq}")
    if not 1000 <= year <= 9999:
        raise ValueError(f"register year must have 4 digits, got {year}")
    return f"{seq:02d}/{year}"


def parse_register_number(number: str) -> tuple[int, int]:
    """'01/2026' → (2026, 1)."""
    compact = _WHITESPACE.sub("", number)
    match = _REGISTER_NUMBER.match(compact)
    # Only the canonical form: "001/2026" and "01/2026" must not both name line 1.
    if match is None or int(match.group(1)) < 1 or f"{int(match.group(1)):02d}" != match.group(1):
        raise ValidationError(
            f"Số sổ '{number}' không đúng dạng (ví dụ 01/2026).",
            field="register_number",
            value=number,
        )
    return int(match.group(2)), int(match.group(1))
