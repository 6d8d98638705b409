"""Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả, two copies on separate pages."""

from __future__ import annotations

from typing import Final

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from kiosk.domain import formats
from kiosk.printing.forms.blocks import (
    code_with_qr,
    field_line,
    field_text,
    pair_text,
    signature_blocks,
    title_block,
)
from kiosk.printing.forms.data import RETURN_CHANNEL_LABELS, ReceiptForm
from kiosk.printing.forms.header import NationalHeader
from kiosk.printing.forms.options import FormOptions, family_for, form_label
from kiosk.printing.forms.page import A5_MARGINS, FooterNote, build_pdf, content_width
from kiosk.printing.forms.qr import qr_payload
from kiosk.printing.forms.styles import Styles, grid_style, styles_for
from kiosk.printing.forms.wording import BLANK, place_and_date, text, text_or_blank, time_and_date

TITLE: Final = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
COPIES: Final = ("Liên 1: Lưu", "Liên 2: Giao người nộp")


def _count(value: int) -> str:
    return str(value) if value else ""


def documents_table(styles: Styles, form: ReceiptForm, width: float) -> Table:
    """TT | Tên giấy tờ | Bản chính | Bản sao | Bản chụp; the header repeats on a new page."""
    head = [
        Paragraph("TT", styles.head_cell),
        Paragraph("Tên giấy tờ", styles.head_cell),
        Paragraph("Bản chính", styles.head_cell),
        Paragraph("Bản sao", styles.head_cell),
        Paragraph("Bản chụp", styles.head_cell),
    ]
    rows: list[list[object]] = [head]
    for i, doc in enumerate(form.documents, start=1):
        name = text(doc.name)
        if doc.note.strip():
            name += f" <i>({text(doc.note)})</i>"
        rows.append(
            [
                Paragraph(str(i), styles.cell_center),
                Paragraph(name, styles.cell),
                Paragraph(_count(doc.originals), styles.cell_center),
                Paragraph(_count(doc.certified), styles.cell_center),
                Paragraph(_count(doc.photocopies), styles.cell_center),
            ]
        )
    if not form.documents:
        rows.append(["", Paragraph(BLANK, styles.cell), "", "", ""])
    counts = 15 * mm
    widths = [9 * mm, width - 9 * mm - 3 * counts, counts, counts, counts]
    return Table(rows, colWidths=widths, repeatRows=1, style=grid_style(styles.family))


def copy_story(
    form: ReceiptForm, styles: Styles, options: FormOptions, copy: str
) -> list[Flowable]:
    width = content_width(A5, A5_MARGINS)
    number = form.register_number.strip()
    closing = closing_lines(form, styles, width)
    return [
        NationalHeader(
            styles.family,
            form.office,
            label=form_label("receipt", options.form_set),
            number_line=f"Số: {number}/TNHS" if number else "Số: ……/TNHS",
            date_line=place_and_date(form.office, form.received_at),
        ),
        *title_block(styles, TITLE),
        code_with_qr(
            styles,
            [
                f"Mã hồ sơ: <b>{text(form.code)}</b>&nbsp;&nbsp;&nbsp;<i>({copy})</i>",
                f"{text(form.office.unit)} đã tiếp nhận hồ sơ của:",
                field_text("Ông/bà/tổ chức", form.applicant_name),
                pair_text(
                    ("Số định danh cá nhân", form.applicant_id_number),
                    ("Điện thoại", form.applicant_phone),
                ),
            ],
            qr_payload(form.code, options.lookup_base_url),
            width=width,
            qr_size=21 * mm,
        ),
        field_line(styles, "Địa chỉ", form.applicant_address, bold=False),
        *([field_line(styles, "Email", form.applicant_email)] if form.applicant_email else []),
        field_line(styles, "Nội dung yêu cầu giải quyết", form.procedure_name),
        Paragraph("1. Thành phần hồ sơ nộp gồm:", styles.section),
        Spacer(1, 1 * mm),
        documents_table(styles, form, width),
        # The closing lines travel with the signatures: a page with signatures alone would
        # look like a separate, unsigned document.
        KeepTogether(closing),
    ]


def closing_lines(form: ReceiptForm, styles: Styles, width: float) -> list[Flowable]:
    """Items 2–7, the register line and the two signature blocks."""
    channel = RETURN_CHANNEL_LABELS.get(form.return_channel, form.return_channel)
    return [
        Spacer(1, 1 * mm),
        Paragraph(f"2. Số lượng hồ sơ: <b>{form.sets:02d}</b> (bộ)", styles.body),
        Paragraph(
            f"3. Thời hạn giải quyết hồ sơ theo quy định: <b>{text_or_blank(form.time_limit)}</b>",
            styles.body,
        ),
        Paragraph(
            f"4. Thời gian nhận hồ sơ: <b>{time_and_date(form.received_at)}</b>", styles.body
        ),
        Paragraph(
            "5. Thời gian trả kết quả giải quyết hồ sơ: "
            f"<b>{time_and_date(form.due_at) or BLANK}</b>",
            styles.body,
        ),
        Paragraph(f"6. Nơi nhận kết quả: {text(channel)}", styles.body),
        Paragraph(
            "7. Phí, lệ phí: " + (BLANK if form.fee is None else f"<b>{formats.fee(form.fee)}</b>"),
            styles.body,
        ),
        Paragraph(
            f"Vào Sổ theo dõi hồ sơ, Quyển số: <b>{text_or_blank(form.register_book)}</b>, "
            f"Số thứ tự: <b>{text_or_blank(form.register_number)}</b>",
            styles.body,
        ),
        signature_blocks(
            styles,
            [
                ("NGƯỜI NỘP HỒ SƠ", form.applicant_name),
                ("NGƯỜI TIẾP NHẬN HỒ SƠ", form.receiver_name),
            ],
            width=width,
            space=14 * mm,
        ),
    ]


def build(form: ReceiptForm, options: FormOptions | None = None) -> bytes:
    """The PDF of form 01: copy 1 (kept) then copy 2 (for the applicant), each from a new page."""
    options = options or FormOptions()
    family = family_for(options)
    styles = styles_for(family)
    story: list[Flowable] = []
    for i, copy in enumerate(COPIES):
        if i:
            story.append(PageBreak())
        story.append(FooterNote(f"Mã hồ sơ: {form.code} – {copy}"))
        story += copy_story(form, styles, options, copy)
    return build_pdf(story, title=f"{TITLE} {form.code}", family=family)
