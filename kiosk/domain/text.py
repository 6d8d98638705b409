"""Vietnamese text at the boundaries: NFC, whitespace, diacritics folding, masking."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Invisible characters that copy-paste and CSV files carry (zero-width space/joiners, word
# joiner, BOM): \s does not match them, and a name with one inside would not match its search.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Combining marks (tones and vowel hats); đ/Đ are letters of their own, not a base + mark.
# Ð/ð (U+00D0/U+00F0, the Icelandic eth) stand in for Đ/đ in text from old encodings and fonts.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D", "ð": "d"})


def nfc(text: str) -> str:
    """Compose text to NFC: keyboards send either form, we store and compare only NFC."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, with runs of whitespace (tabs, NBSP, newlines) collapsed to one space and trimmed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", nfc(text))).strip()


def strip_diacritics(text: str) -> str:
    """Remove every tone and vowel mark and fold đ/Đ to d/D, keeping case: 'Đức' → 'Duc'."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).translate(_D_MAP)


def fold(text: str) -> str:
    """Search key: cleaned, diacritics removed, lower case: 'Nguyễn  Văn Đức' → 'nguyen van duc'."""
    return strip_diacritics(clean(text)).casefold()


def mask(value: str, *, keep_start: int, keep_end: int, mask_char: str = "*") -> str:
    """Hide the middle of `value`, keeping `keep_start` and `keep_end` characters visible."""
    if len(value) <= keep_start + keep_end:
        return mask_char * len(value)
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + mask_char * hidden + (value[-keep_end:] if keep_end else "")


def mask_phone(phone: str) -> str:
    """'0912345678' → '0912***678' (public screens, kiosk lookup)."""
    digits = re.sub(r"\D", "", phone)
    return mask(digits, keep_start=4, keep_end=3)


def mask_citizen_id(number: str) -> str:
    """'001099012345' → '0010******45'; a 9-digit legacy ID keeps 2 + 2."""
    digits = re.sub(r"\D", "", number)
    if len(digits) == 12:
        return mask(digits, keep_start=4, keep_end=2)
    return mask(digits, keep_start=2, keep_end=2)


def mask_name(name: str) -> str:
    """'Nguyễn Văn Đức' → 'N***** V** Đức': initials kept, the given name kept (kiosk lookup)."""
    words = clean(name).split(" ")
    if len(words) <= 1:
        return words[0][:1] + "*" * max(len(words[0]) - 1, 0) if words and words[0] else ""
    masked = [w[:1] + "*" * (len(w) - 1) for w in words[:-1]]
    return " ".join([*masked, words[-1]])
