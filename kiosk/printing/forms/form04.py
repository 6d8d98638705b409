"""Form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (the date moves only once)."""

from __future__ import annotations

from typing import Final

from reportlab.lib.pagesizes import A5
from reportlab.platypus import Flowable, Paragraph

from kiosk.printing.forms.blocks import code_with_qr, signature_blocks, title_block
from kiosk.printing.forms.data import ApologyForm
from kiosk.printing.forms.header import NationalHeader
from kiosk.printing.forms.options import FormOptions, family_for, form_label
from kiosk.printing.forms.page import A5_MARGINS, FooterNote, build_pdf, content_width
from kiosk.printing.forms.qr import qr_payload
from kiosk.printing.forms.styles import styles_for
from kiosk.printing.forms.wording import place_and_date, short_date, text, text_or_blank

TITLE: Final = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"


def build(form: ApologyForm, options: FormOptions | None = None) -> bytes:
    """The PDF of form 04, signed by the head of the unit."""
    options = options or FormOptions()
    family = family_for(options)
    styles = styles_for(family)
    width = content_width(A5, A5_MARGINS)
    number = form.number.strip()
    agency = text(form.agency_name or form.office.agency)
    story: list[Flowable] = [
        FooterNote(f"Mã hồ sơ: {form.code}"),
        NationalHeader(
            family,
            form.office,
            label=form_label("apology", options.form_set),
            number_line=f"Số: {number}" if number else "Số: ……",
            date_line=place_and_date(form.office, form.issued_at),
        ),
        *title_block(styles, TITLE),
        Paragraph(f"Kính gửi: <b>{text_or_blank(form.addressee)}</b>", styles.body_center),
        code_with_qr(
            styles,
            [
                f"{agency} nhận được hồ sơ đề nghị giải quyết của ông/bà/tổ chức vào ngày "
                f"<b>{short_date(form.received_at)}</b>.",
                f"Nội dung yêu cầu giải quyết: <b>{text_or_blank(form.procedure_name)}</b>",
                f"Mã hồ sơ: <b>{text(form.code)}</b>",
                f"Ngày hẹn trả kết quả: <b>{short_date(form.original_due_at)}</b>",
            ],
            qr_payload(form.code, options.lookup_base_url),
            width=width,
        ),
        Paragraph(
            f"Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ cho ông/bà/tổ chức "
            "đúng thời hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
            styles.body,
        ),
        Paragraph(f"Lý do: {text_or_blank(form.reason)}", styles.body),
        Paragraph(
            f"Sự chậm trễ này đã gây phiền hà cho ông/bà/tổ chức. {agency} xin lỗi ông/bà/tổ "
            "chức và sẽ trả kết quả giải quyết hồ sơ cho ông/bà/tổ chức vào ngày "
            f"<b>{short_date(form.new_due_at)}</b>.",
            styles.body,
        ),
        Paragraph("Mong nhận được sự thông cảm của ông/bà/tổ chức.", styles.body),
        signature_blocks(
            styles,
            [(form.signer_title, form.signer_name)],
            width=width,
            hint="(Ký, ghi rõ họ tên, đóng dấu)",
        ),
    ]
    return build_pdf(story, title=TITLE, family=family)
