"""User text and moments as the forms write them: NFC, markup escaped, Vietnam's time, the
dotted blank to fill by hand. Money and legal dates come from `kiosk.domain.formats`."""

from __future__ import annotations

from datetime import datetime
from typing import Final
from xml.sax.saxutils import escape

from kiosk.clock import VN_TZ
from kiosk.domain import formats
from kiosk.domain.text import nfc
from kiosk.printing.forms.data import OfficeHeader

SIGN_HINT: Final = "(Ký, ghi rõ họ tên)"
BLANK: Final = "…………………………"


def text(value: str) -> str:
    """User text ready for a Paragraph: NFC (tone marks survive), markup escaped, line breaks
    kept."""
    lines = nfc(value).strip().splitlines()
    return "<br/>".join(escape(" ".join(line.split())) for line in lines)


def text_or_blank(value: str) -> str:
    return text(value) if value.strip() else BLANK


def upper(value: str) -> str:
    return nfc(value).strip().upper()


def _vn(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: pass tz-aware times")
    return moment.astimezone(VN_TZ)


def short_date(moment: datetime | None) -> str:
    return "" if moment is None else _vn(moment).strftime("%d/%m/%Y")


def time_and_date(moment: datetime | None) -> str:
    """'10 giờ 05 phút, ngày 15/03/2026'."""
    if moment is None:
        return ""
    local = _vn(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, ngày {local:%d/%m/%Y}"


def clock_and_day(moment: datetime | None) -> str:
    """'09:05' over '16/03/2026' (markup) for narrow table cells."""
    if moment is None:
        return ""
    local = _vn(moment)
    return f"{local:%H:%M}<br/>{local:%d/%m/%Y}"


def place_and_date(office: OfficeHeader, moment: datetime) -> str:
    """'Demo, ngày 15 tháng 03 năm 2026' (capitalised 'Ngày' without a place)."""
    place = nfc(office.place).strip()
    when = formats.long_date(moment)
    return f"{place}, {when}" if place else when[0].upper() + when[1:]
