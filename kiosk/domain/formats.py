"""How numbers, money, days and dates are written in Vietnamese, in one place (pure, no I/O).

Screens, forms, the command line and the district page all write "12.000 đồng" and
"Thứ Hai, 16/03/2026" through these functions, so they never disagree (five copies used to spell
Sunday two ways). Dates of legal forms (`long_date`) follow Nghị định 30/2020/NĐ-CP,
Phụ lục I: days below 10 and the months January and February take a leading zero.
"""

from __future__ import annotations

from datetime import date, datetime

from kiosk.domain.zone import VN_TZ

#: Monday first, as `date.weekday()` counts. "Chủ nhật": only the first word is capitalised
#: (Nghị định 30/2020, Phụ lục II; as in "Thứ Hai", where the number word is the name).
WEEKDAYS: tuple[str, ...] = (
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ nhật",
)


def weekday(day: date) -> str:
    """'Thứ Hai' … 'Chủ nhật'."""
    return WEEKDAYS[day.weekday()]


def grouped(number: int) -> str:
    """1234567 → '1.234.567' (the Vietnamese thousands separator is a dot)."""
    return f"{number:,}".replace(",", ".")


def vnd(amount: int) -> str:
    """12000 → '12.000 đồng'."""
    return f"{grouped(amount)} đồng"


def fee(amount: int) -> str:
    """A fee on a legal form: '10.000 đồng', or 'Không thu' when it is 0."""
    return "Không thu" if amount == 0 else vnd(amount)


def day_and_date(moment: date) -> str:
    """'Thứ Hai, 16/03/2026'."""
    return f"{weekday(moment)}, {moment:%d/%m/%Y}"


def long_date(moment: datetime) -> str:
    """'ngày 05 tháng 02 năm 2026', in Vietnam's time (Nghị định 30/2020); `moment` must carry
    its offset (a naive time on a legal form would be a guess)."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: pass tz-aware times")
    local = moment.astimezone(VN_TZ)
    month = f"{local.month:02d}" if local.month < 3 else str(local.month)
    return f"ngày {local.day:02d} tháng {month} năm {local.year}"
