"""Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (everything missing, in one go)."""

from __future__ import annotations

from typing import Final

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from kiosk.printing.forms.blocks import (
    applicant_lines,
    identity_block,
    signature_blocks,
    title_block,
)
from kiosk.printing.forms.data import SupplementForm
from kiosk.printing.forms.header import NationalHeader
from kiosk.printing.forms.options import FormOptions, family_for, form_label
from kiosk.printing.forms.page import A5_MARGINS, FooterNote, build_pdf, content_width
from kiosk.printing.forms.styles import Styles, grid_style, styles_for
from kiosk.printing.forms.wording import BLANK, place_and_date, text, text_or_blank

TITLE: Final = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"


def items_table(styles: Styles, form: SupplementForm, width: float) -> Table:
    rows: list[list[object]] = [
        [
            Paragraph("TT", styles.head_cell),
            Paragraph("Giấy tờ cần bổ sung, hoàn thiện", styles.head_cell),
            Paragraph("Nội dung cụ thể", styles.head_cell),
        ]
    ]
    for i, item in enumerate(form.items, start=1):
        rows.append(
            [
                Paragraph(str(i), styles.cell_center),
                Paragraph(text(item.name), styles.cell),
                Paragraph(text(item.detail), styles.cell),
            ]
        )
    if not form.items:
        rows.append(["", Paragraph(BLANK, styles.cell), ""])
    first = 9 * mm
    rest = width - first
    return Table(
        rows,
        colWidths=[first, rest * 0.55, rest * 0.45],
        repeatRows=1,
        style=grid_style(styles.family),
    )


def build(form: SupplementForm, options: FormOptions | None = None) -> bytes:
    """The PDF of form 02 (one page unless the list is long)."""
    options = options or FormOptions()
    family = family_for(options)
    styles = styles_for(family)
    width = content_width(A5, A5_MARGINS)
    number = form.number.strip()
    contact = text_or_blank(form.contact)
    story: list[Flowable] = [
        FooterNote(f"Mã hồ sơ: {form.code}" if form.code else ""),
        NationalHeader(
            family,
            form.office,
            label=form_label("supplement", options.form_set),
            number_line=f"Số: {number}" if number else "Số: ……",
            date_line=place_and_date(form.office, form.issued_at),
        ),
        *title_block(styles, TITLE),
        identity_block(
            styles,
            form.code,
            applicant_lines(
                "Hồ sơ của",
                form.applicant_name,
                form.procedure_name,
                form.applicant_address,
                form.applicant_phone,
                form.applicant_email,
            ),
            options,
            width=width,
        ),
        Paragraph("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", styles.section),
        Spacer(1, 1 * mm),
        items_table(styles, form, width),
        Spacer(1, 1.5 * mm),
        Paragraph(f"Lý do: {text_or_blank(form.reason)}", styles.body),
        Paragraph(
            "Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ với "
            f"{contact} để được hướng dẫn.",
            styles.body,
        ),
        signature_blocks(styles, [("NGƯỜI HƯỚNG DẪN", form.officer_name)], width=width),
    ]
    return build_pdf(story, title=TITLE, family=family)
