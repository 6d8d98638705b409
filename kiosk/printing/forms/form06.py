"""Form 06: Sổ theo dõi hồ sơ, on A4 landscape; one book per year, numbered from 01."""

from __future__ import annotations

from typing import Final

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from kiosk.printing.forms.blocks import title_block
from kiosk.printing.forms.data import RegisterForm, RegisterRow
from kiosk.printing.forms.header import NationalHeader
from kiosk.printing.forms.options import FormOptions, family_for, form_label
from kiosk.printing.forms.page import FooterNote, build_pdf, content_width
from kiosk.printing.forms.styles import Styles, grid_style, styles_for
from kiosk.printing.forms.wording import clock_and_day, text, text_or_blank

TITLE: Final = "SỔ THEO DÕI HỒ SƠ"
PAGE: Final = landscape(A4)
MARGINS: Final = (12 * mm, 10 * mm, 10 * mm, 10 * mm)
BLANK_ROWS: Final = 12  # an empty book still prints lines to write in

# (header, width in mm); the widths add up to the A4 landscape text width (275 mm).
COLUMNS: Final = (
    ("TT", 11),
    ("Mã hồ sơ", 27),
    ("Tên thủ tục hành chính", 33),
    ("Số lượng hồ sơ (bộ)", 13),
    ("Tên cá nhân, tổ chức", 26),
    ("Địa chỉ, số điện thoại", 30),
    ("Cơ quan chủ trì giải quyết", 22),
    ("Nhận hồ sơ", 17),
    ("Hẹn trả kết quả", 17),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 19),
    ("Ngày có kết quả", 17),
    ("Ngày trả kết quả", 17),
    ("Ký nhận", 13),
    ("Ghi chú", 13),
)


def _code(code: str) -> str:
    # Break after the unit part so the code wraps where a reader expects it.
    parts = code.rsplit("-", 2)
    if len(parts) == 3:
        return f"{text(parts[0])}-<br/>{text(parts[1])}-{text(parts[2])}"
    return text(code)


def _row(styles: Styles, row: RegisterRow) -> list[object]:
    contact = text(row.applicant_address)
    if row.applicant_phone.strip():
        contact = (
            f"{contact}<br/>{text(row.applicant_phone)}" if contact else text(row.applicant_phone)
        )
    cell, center = styles.cell, styles.cell_center
    return [
        Paragraph(text(row.number), center),
        Paragraph(_code(row.code), cell),
        Paragraph(text(row.procedure_name), cell),
        Paragraph(f"{row.sets:02d}", center),
        Paragraph(text(row.applicant_name), cell),
        Paragraph(contact, cell),
        Paragraph(text(row.processing_unit), cell),
        Paragraph(clock_and_day(row.received_at), center),
        Paragraph(clock_and_day(row.due_at), center),
        Paragraph(clock_and_day(row.transferred_at), center),
        Paragraph(clock_and_day(row.result_at), center),
        Paragraph(clock_and_day(row.returned_at), center),
        "",
        Paragraph(text(row.note), cell),
    ]


def register_table(styles: Styles, form: RegisterForm) -> Table:
    head = [Paragraph(label, styles.head_cell) for label, _ in COLUMNS]
    numbers = [Paragraph(f"({i})", styles.cell_center) for i in range(1, len(COLUMNS) + 1)]
    body: list[list[object]] = [head, numbers]
    body += [_row(styles, row) for row in form.rows]
    heights: list[float | None] = [None for _ in range(2 + len(form.rows))]
    if not form.rows:
        body += [[""] * len(COLUMNS) for _ in range(BLANK_ROWS)]
        heights += [9 * mm for _ in range(BLANK_ROWS)]
    style = grid_style(styles.family, header_rows=1)
    return Table(
        body,
        colWidths=[w * mm for _, w in COLUMNS],
        rowHeights=heights,
        repeatRows=2,
        style=style,
    )


def build(form: RegisterForm, options: FormOptions | None = None) -> bytes:
    """The PDF of the register (A4 landscape); the column header repeats on every page."""
    options = options or FormOptions()
    family = family_for(options)
    styles = styles_for(family, 0.95)
    assert abs(content_width(PAGE, MARGINS) - sum(w for _, w in COLUMNS) * mm) < 1
    book = f"Quyển số: {text_or_blank(form.book)}" if form.book.strip() else ""
    subtitle = f"Năm {form.year}" + (f" – {book}" if book else "")
    story: list[Flowable] = [
        FooterNote(f"Sổ theo dõi hồ sơ năm {form.year}"),
        NationalHeader(
            family,
            form.office,
            label=form_label("register", options.form_set),
            number_line="",
            date_line="",
        ),
        *title_block(styles, TITLE, subtitle),
        Spacer(1, 2 * mm),
        register_table(styles, form),
    ]
    return build_pdf(
        story, title=f"{TITLE} {form.year}", family=family, pagesize=PAGE, margins=MARGINS
    )
