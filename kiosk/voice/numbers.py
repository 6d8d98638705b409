"""Reading a number aloud in Vietnamese, as clip keys.

Two ways offices read a ticket number (a setting): digit by digit ("không hai ba" for 023, the
way most queue systems do, and what espeak-ng does not do by itself), or as a Vietnamese number
("hai mươi ba"). The number words follow the usual rules:

- 10–19: "mười …" ("mười một", "mười lăm"); 20–99: "… mươi …" with "mốt" for a final 1 and
  "lăm" for a final 5 ("hai mươi mốt", "hai mươi lăm"); 10, 20: "mười", "hai mươi".
- A zero in the tens after a hundred: "linh" in the North, "lẻ" in the South ("một trăm linh năm"
  / "một trăm lẻ năm"), and the unit keeps its own name ("năm", "một").
- A zero in the hundreds after a thousand: "không trăm" ("một nghìn không trăm hai mươi ba"), and
  "nghìn" (North) or "ngàn" (South).
"""

from __future__ import annotations

from kiosk.domain.voice import NumberReading, Region
from kiosk.voice import words as w

__all__ = ["MAX_NUMBER", "NumberReading", "Region", "digit_keys", "number_keys"]


MAX_NUMBER = 999_999


def digit_keys(digits: str) -> list[str]:
    """ "023" -> không, hai, ba."""
    return [w.DIGITS[int(d)] for d in digits]


def _below_hundred(n: int, *, after_hundred: bool, region: Region) -> list[str]:
    tens, unit = divmod(n, 10)
    if tens == 0:
        if unit == 0:
            return []
        zero_tens = w.ZERO_TENS_NORTH if region is Region.NORTH else w.ZERO_TENS_SOUTH
        return [zero_tens, w.DIGITS[unit]] if after_hundred else [w.DIGITS[unit]]
    head = [w.TEN] if tens == 1 else [w.DIGITS[tens], w.TENS]
    if unit == 0:
        return head
    if unit == 5:
        return [*head, w.FIVE_AFTER_TEN]
    if unit == 1 and tens > 1:
        return [*head, w.ONE_AFTER_TENS]
    return [*head, w.DIGITS[unit]]


def _below_thousand(n: int, *, inside: bool, region: Region) -> list[str]:
    """0–999; `inside` when a thousand came before (then a zero hundred is said: "không trăm")."""
    hundreds, rest = divmod(n, 100)
    if hundreds == 0 and not inside:
        return _below_hundred(rest, after_hundred=False, region=region)
    if hundreds == 0 and rest == 0:
        return []
    return [w.DIGITS[hundreds], w.HUNDRED, *_below_hundred(rest, after_hundred=True, region=region)]


def number_keys(n: int, region: Region = Region.NORTH) -> list[str]:
    """A whole number 0–999,999 read as Vietnamese words."""
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"số ngoài khoảng đọc được (0–{MAX_NUMBER}): {n}")
    if n == 0:
        return [w.DIGITS[0]]
    thousands, rest = divmod(n, 1000)
    if thousands == 0:
        return _below_thousand(rest, inside=False, region=region)
    thousand = w.THOUSAND_NORTH if region is Region.NORTH else w.THOUSAND_SOUTH
    head = [*_below_thousand(thousands, inside=False, region=region), thousand]
    return [*head, *_below_thousand(rest, inside=True, region=region)]
