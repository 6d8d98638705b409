"""The legal forms 01–06 (Thông tư 01/2018/TT-VPCP) as PDF, and where they go.

pdf = render_form(ReceiptForm(...), FormOptions(form_set="2018", lookup_base_url=...))
FolderPrinter(paths.prints_dir).save(pdf, name=form_file_stem(form))
"""

from __future__ import annotations

from kiosk.clock import VN_TZ
from kiosk.printing.forms import form01, form02, form03, form04, form05, form06
from kiosk.printing.forms.data import (
    ApologyForm,
    ControlSlipForm,
    DocumentLine,
    HandoverRow,
    MissingItem,
    OfficeHeader,
    ReceiptForm,
    RefusalForm,
    RegisterForm,
    RegisterRow,
    SupplementForm,
    receipt_from_dossier,
)
from kiosk.printing.forms.errors import FormError
from kiosk.printing.forms.fonts import FontFamily, register_fonts
from kiosk.printing.forms.options import FORM_SETS, FormOptions, form_label
from kiosk.printing.forms.output import FolderPrinter, PdfPrinter, clean_file_name
from kiosk.printing.forms.qr import qr_payload

AnyForm = ReceiptForm | SupplementForm | RefusalForm | ApologyForm | ControlSlipForm | RegisterForm


def render_form(form: AnyForm, options: FormOptions | None = None) -> bytes:
    """The PDF bytes of any form."""
    if isinstance(form, ReceiptForm):
        return form01.build(form, options)
    if isinstance(form, SupplementForm):
        return form02.build(form, options)
    if isinstance(form, RefusalForm):
        return form03.build(form, options)
    if isinstance(form, ApologyForm):
        return form04.build(form, options)
    if isinstance(form, ControlSlipForm):
        return form05.build(form, options)
    return form06.build(form, options)


_NUMBERS: dict[type, str] = {
    ReceiptForm: "01",
    SupplementForm: "02",
    RefusalForm: "03",
    ApologyForm: "04",
    ControlSlipForm: "05",
}


def form_file_stem(form: AnyForm) -> str:
    """A readable name for the saved file: 'mau-01-<dossier code>' (no personal data)."""
    if isinstance(form, RegisterForm):
        return f"so-theo-doi-ho-so-{form.year}"
    ident = form.code.strip()
    if not ident and isinstance(form, SupplementForm | RefusalForm):
        ident = form.issued_at.astimezone(VN_TZ).strftime("%Y%m%d-%H%M%S")
    return f"mau-{_NUMBERS[type(form)]}-{ident}"


__all__ = [
    "FORM_SETS",
    "AnyForm",
    "ApologyForm",
    "ControlSlipForm",
    "DocumentLine",
    "FolderPrinter",
    "FontFamily",
    "FormError",
    "FormOptions",
    "HandoverRow",
    "MissingItem",
    "OfficeHeader",
    "PdfPrinter",
    "ReceiptForm",
    "RefusalForm",
    "RegisterForm",
    "RegisterRow",
    "SupplementForm",
    "clean_file_name",
    "form_file_stem",
    "form_label",
    "qr_payload",
    "receipt_from_dossier",
    "register_fonts",
    "render_form",
]
