"""Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

from __future__ import annotations

from typing import Final

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from kiosk.printing.forms.blocks import (
    applicant_lines,
    identity_block,
    signature_blocks,
    title_block,
)
from kiosk.printing.forms.data import RefusalForm
from kiosk.printing.forms.header import NationalHeader
from kiosk.printing.forms.options import FormOptions, family_for, form_label
from kiosk.printing.forms.page import A5_MARGINS, FooterNote, build_pdf, content_width
from kiosk.printing.forms.styles import styles_for
from kiosk.printing.forms.wording import place_and_date, text, text_or_blank

TITLE: Final = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"


def build(form: RefusalForm, options: FormOptions | None = None) -> bytes:
    """The PDF of form 03."""
    options = options or FormOptions()
    family = family_for(options)
    styles = styles_for(family)
    width = content_width(A5, A5_MARGINS)
    number = form.number.strip()
    unit = text(form.office.unit)
    story: list[Flowable] = [
        FooterNote(f"Mã hồ sơ: {form.code}" if form.code else ""),
        NationalHeader(
            family,
            form.office,
            label=form_label("refusal", options.form_set),
            number_line=f"Số: {number}" if number else "Số: ……",
            date_line=place_and_date(form.office, form.issued_at),
        ),
        *title_block(styles, TITLE),
        Paragraph(f"{unit} – {text(form.office.agency)} tiếp nhận hồ sơ của:", styles.body),
        identity_block(
            styles,
            form.code,
            applicant_lines(
                "Ông/bà/tổ chức",
                form.applicant_name,
                form.procedure_name,
                form.applicant_address,
                form.applicant_phone,
                form.applicant_email,
            ),
            options,
            width=width,
        ),
        Paragraph(
            "Sau khi xem xét hồ sơ, đối chiếu với các quy định hiện hành, "
            f"{unit} từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
            styles.section,
        ),
        Spacer(1, 1 * mm),
        Paragraph(f"<b>{text_or_blank(form.reason)}</b>", styles.body),
        Spacer(1, 1 * mm),
        Paragraph("Xin thông báo để ông/bà/tổ chức được biết và thực hiện./.", styles.body),
        signature_blocks(styles, [("NGƯỜI TIẾP NHẬN HỒ SƠ", form.officer_name)], width=width),
    ]
    return build_pdf(story, title=TITLE, family=family)
