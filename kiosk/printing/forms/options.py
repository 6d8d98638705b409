"""Which legal set of forms prints, and the settings that change how forms print."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kiosk.printing.forms.errors import FormError
from kiosk.printing.forms.fonts import FontFamily, register_fonts


@dataclass(frozen=True, slots=True)
class FormSet:
    """How one legal set numbers the forms and names itself on the page."""

    reference: str
    numbers: dict[str, str]
    checked: bool


# ONE PLACE for the form numbering. The 2018 set is Thông tư 01/2018/TT-VPCP (ngày 23/11/2018),
# forms 01–06. TO CHECK for 2025: Thông tư 03/2025/TT-VPCP renumbers the forms and adds a stop
# notice (thông báo dừng giải quyết hồ sơ); the numbers below repeat the 2018 ones until someone
# compares them with the published text — fix the numbers here, set checked=True, and nothing
# else changes. The content of each form stays the 2018 one.
FORM_SETS: Final[dict[str, FormSet]] = {
    "2018": FormSet(
        reference="Thông tư số 01/2018/TT-VPCP",
        numbers={
            "receipt": "01",
            "supplement": "02",
            "refusal": "03",
            "apology": "04",
            "control_slip": "05",
            "register": "06",
        },
        checked=True,
    ),
    "2025": FormSet(
        reference="Thông tư số 03/2025/TT-VPCP",
        numbers={
            "receipt": "01",
            "supplement": "02",
            "refusal": "03",
            "apology": "04",
            "control_slip": "05",
            "register": "06",
        },
        checked=False,
    ),
}


@dataclass(frozen=True, slots=True)
class FormOptions:
    """Settings that change how forms print (from kiosk.config.Settings at the call site)."""

    form_set: str = "2018"
    lookup_base_url: str = ""  # empty: the QR holds the dossier code itself
    prefer_system_font: bool = True
    font_dirs: tuple[Path, ...] | None = None  # None: the OS font folders


def form_label(kind: str, form_set: str) -> str:
    """'Mẫu số 01 - Thông tư số 01/2018/TT-VPCP'."""
    chosen = FORM_SETS.get(form_set)
    if chosen is None:
        raise FormError(
            f"Bộ mẫu biểu “{form_set}” không có; chọn một trong: {', '.join(FORM_SETS)}.",
            form_set=form_set,
        )
    return f"Mẫu số {chosen.numbers[kind]} - {chosen.reference}"


def family_for(options: FormOptions) -> FontFamily:
    return register_fonts(prefer_system=options.prefer_system_font, search_dirs=options.font_dirs)
