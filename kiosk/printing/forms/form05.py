"""Form 05: Phiếu kiểm soát quá trình giải quyết hồ sơ (one row per hand-over)."""

from __future__ import annotations

from typing import Final

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from kiosk.printing.forms.blocks import code_with_qr, field_line, field_text, title_block
from kiosk.printing.forms.data import ControlSlipForm, HandoverRow
from kiosk.printing.forms.header import NationalHeader
from kiosk.printing.forms.options import FormOptions, family_for, form_label
from kiosk.printing.forms.page import A5_MARGINS, FooterNote, build_pdf, content_width
from kiosk.printing.forms.qr import qr_payload
from kiosk.printing.forms.styles import Styles, grid_style, styles_for
from kiosk.printing.forms.wording import clock_and_day, place_and_date, text, time_and_date

TITLE: Final = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
OUTCOME_LABELS: Final[dict[str, str]] = {
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "late": "Quá hạn",
}
MIN_ROWS: Final = 4  # blank rows left for hand-overs written by hand


def _party(unit: str, role: str, person: str) -> str:
    shown = f"<b>{text(unit)}</b>" if unit.strip() else ""
    who = text(person) if person.strip() else ""
    return f"{shown}<br/><i>{role}:</i> {who}" if shown else f"<i>{role}:</i> {who}"


def handover_table(styles: Styles, rows: tuple[HandoverRow, ...], width: float) -> Table:
    head = [
        Paragraph(label, styles.head_cell)
        for label in ("TT", "Bên giao", "Bên nhận", "Thời gian giao, nhận", "Kết quả", "Ghi chú")
    ]
    body: list[list[object]] = [head]
    for i, row in enumerate(rows, start=1):
        when = clock_and_day(row.at)
        body.append(
            [
                Paragraph(str(i), styles.cell_center),
                Paragraph(_party(row.from_unit, "Người giao", row.giver), styles.cell),
                Paragraph(_party(row.to_unit, "Người nhận", row.receiver), styles.cell),
                Paragraph(when, styles.cell_center),
                Paragraph(OUTCOME_LABELS.get(row.outcome, text(row.outcome)), styles.cell_center),
                Paragraph(text(row.note), styles.cell),
            ]
        )
    for i in range(len(rows) + 1, max(MIN_ROWS, len(rows)) + 1):
        body.append([Paragraph(str(i), styles.cell_center), "", "", "", "", ""])
    fixed = [7 * mm, 0.0, 0.0, 21 * mm, 16 * mm, 15 * mm]
    party = (width - sum(fixed)) / 2
    widths = [fixed[0], party, party, *fixed[3:]]
    table = Table(
        body,
        colWidths=widths,
        rowHeights=[None] + [None] * len(rows) + [11 * mm] * (len(body) - 1 - len(rows)),
        repeatRows=1,
        style=grid_style(styles.family),
    )
    return table


def build(form: ControlSlipForm, options: FormOptions | None = None) -> bytes:
    """The PDF of form 05: the header of the dossier, then its hand-overs."""
    options = options or FormOptions()
    family = family_for(options)
    styles = styles_for(family)
    width = content_width(A5, A5_MARGINS)
    receipt = form.receipt_number.strip()
    story: list[Flowable] = [
        FooterNote(f"Mã hồ sơ: {form.code}"),
        NationalHeader(
            family,
            form.office,
            label=form_label("control_slip", options.form_set),
            number_line="",
            date_line=place_and_date(form.office, form.received_at),
        ),
        *title_block(
            styles,
            TITLE,
            "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
            + (f" số {text(receipt)})" if receipt else ")"),
        ),
        code_with_qr(
            styles,
            [
                f"Mã hồ sơ: <b>{text(form.code)}</b>",
                field_text("Người nộp hồ sơ", form.applicant_name),
                field_text("Thủ tục", form.procedure_name),
                f"Nhận hồ sơ: <b>{time_and_date(form.received_at)}</b>",
                f"Hẹn trả kết quả: <b>{time_and_date(form.due_at)}</b>",
            ],
            qr_payload(form.code, options.lookup_base_url),
            width=width,
        ),
        field_line(styles, "Cơ quan (bộ phận) giải quyết hồ sơ", form.lead_unit),
        field_line(styles, "Cơ quan phối hợp giải quyết hồ sơ", form.coordinating_units),
        Spacer(1, 1.5 * mm),
        handover_table(styles, form.handovers, width),
    ]
    return build_pdf(story, title=TITLE, family=family)
