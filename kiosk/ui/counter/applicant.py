"""The reception form's applicant fields: each input checked as it is typed with the domain's
own rules (kiosk.domain.validation), the hint under it saying what is wrong, and the QR code of a
chip citizen ID card read into name, ID, birth date and address."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit

from kiosk.domain.errors import ValidationError
from kiosk.domain.text import clean
from kiosk.domain.validation import (
    clean_person_name,
    normalise_email,
    normalise_phone,
    parse_citizen_id,
)
from kiosk.ui.counter.controls import small_label
from kiosk.ui.widgets import set_role

#: The label before each applicant field, by its key in the form's state.
FIELD_LABELS = {
    "name": "Họ tên *",
    "citizen_id": "Số định danh",
    "phone": "Điện thoại",
    "email": "E-mail",
    "address": "Địa chỉ",
}


def parse_id_card_qr(text: str) -> dict[str, str] | None:
    """The QR on a chip citizen ID card: 'ID|old ID|name|ddmmyyyy|gender|address|issued'.
    Returns name, citizen_id, birth date (dd/mm/yyyy) and address, or None if it is not one."""
    parts = [clean(p) for p in text.split("|")]
    if len(parts) < 6 or not parts[0].isdigit() or not parts[2]:
        return None
    born = parts[3]
    birth = f"{born[:2]}/{born[2:4]}/{born[4:]}" if len(born) == 8 and born.isdigit() else ""
    return {"citizen_id": parts[0], "name": parts[2], "birth": birth, "address": parts[5]}


class StillTyping(ValidationError):
    """Not wrong yet, only unfinished: shown as a neutral hint, not in red."""


class Field:
    """One applicant input with its hint line, checked on every keystroke."""

    def __init__(
        self, placeholder: str, check: Callable[[str], str], neutral: str, *, required: bool
    ) -> None:
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.hint = small_label(neutral, "hint")
        self.neutral = neutral
        self.required = required
        self._check = check
        self.problem = ""
        self.edit.textChanged.connect(lambda _text: self.validate())

    def validate(self) -> str:
        """'' when the value is acceptable (or empty and optional); else the message."""
        text = self.edit.text()
        self.problem = ""
        if not text.strip():
            if self.required:
                self.problem = "Bắt buộc nhập."
            self._show(self.neutral, "hint", "")
            return self.problem
        try:
            note = self._check(text)
        except StillTyping as unfinished:
            self.problem = unfinished.message
            self._show(unfinished.message, "hint", "")
            return self.problem
        except ValidationError as error:
            self.problem = error.message
            self._show(error.message, "hint-bad", "bad")
            return self.problem
        self._show(note or "✓ Hợp lệ", "hint-ok", "ok")
        return ""

    def _show(self, text: str, role: str, state: str) -> None:
        self.hint.setText(text)
        set_role(self.hint, role)
        self.edit.setProperty("state", state)
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)


def check_name(text: str) -> str:
    cleaned = clean_person_name(text)
    return f"✓ Sẽ ghi: {cleaned}" if cleaned != clean(text) else ""


def check_citizen_id(text: str) -> str:
    digits = "".join(ch for ch in text if not ch.isspace())
    if digits.isdigit() and len(digits) < 12 and len(digits) != 9:
        # Still typing: say how far along, not "wrong".
        raise StillTyping(f"Đang nhập {len(digits)}/12 chữ số.", field="citizen_id")
    found = parse_citizen_id(text)
    if found.legacy:
        return "✓ Số CMND cũ (9 chữ số)"
    gender = "Nam" if found.gender == "nam" else "Nữ"
    return f"✓ {gender}, sinh năm {found.birth_year}, đăng ký khai sinh tại {found.province_name}"


def check_phone(text: str) -> str:
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits.startswith("0") and len(digits) < 10 and digits == "".join(text.split()):
        raise StillTyping(f"Đang nhập {len(digits)}/10 chữ số.", field="phone")
    return f"✓ {normalise_phone(text)}"


def check_email(text: str) -> str:
    normalise_email(text)
    return ""


def check_address(text: str) -> str:
    return ""
