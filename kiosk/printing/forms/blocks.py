"""Building blocks of the form bodies: field lines, titles, the code beside its QR, the
applicant's lines, signature blocks.

Titles are bold capitals; signature blocks have their title in bold capitals over
"(Ký, ghi rõ họ tên)" (Thông tư 01/2018/TT-VPCP, Nghị định 30/2020).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.printing.forms.options import FormOptions
from kiosk.printing.forms.qr import QrCode, qr_payload
from kiosk.printing.forms.styles import Styles
from kiosk.printing.forms.wording import (
    BLANK,
    SIGN_HINT,
    text,
)


def field_text(label: str, value: str, *, bold: bool = True) -> str:
    """'Label: value' markup with the value in bold, or a dotted blank to fill by hand."""
    if not value.strip():
        return f"{label}: {BLANK}"
    shown = text(value)
    return f"{label}: <b>{shown}</b>" if bold else f"{label}: {shown}"


def field_line(styles: Styles, label: str, value: str, *, bold: bool = True) -> Paragraph:
    return Paragraph(field_text(label, value, bold=bold), styles.body)


def pair_text(first: tuple[str, str], second: tuple[str, str]) -> str:
    """Two short fields on one line: 'Số điện thoại: …    Email: …'."""
    gap = "&nbsp;" * 6
    return field_text(*first) + gap + field_text(*second)


def pair_line(styles: Styles, first: tuple[str, str], second: tuple[str, str]) -> Paragraph:
    return Paragraph(pair_text(first, second), styles.body)


def title_block(styles: Styles, title: str, subtitle: str = "") -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, 3 * mm), Paragraph(escape(title), styles.title)]
    if subtitle:
        out.append(Paragraph(subtitle, styles.subtitle))
    return out


def code_with_qr(
    styles: Styles, lines: Sequence[str], payload: str, *, width: float, qr_size: float = 22 * mm
) -> Table:
    """Text lines (markup allowed) on the left, the QR on the right, vertically centred."""
    left = [Paragraph(line, styles.body_left) for line in lines]
    table = Table(
        [[left, QrCode(payload, qr_size)]],
        colWidths=[width - qr_size - 2 * mm, qr_size + 2 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.family.regular),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def applicant_lines(
    label: str, name: str, procedure: str, address: str, phone: str, email: str
) -> list[str]:
    """The applicant's lines shared by forms 02 and 03 (markup, user text escaped)."""
    return [
        field_text(label, name),
        field_text("Nội dung yêu cầu giải quyết", procedure),
        field_text("Địa chỉ", address, bold=False),
        pair_text(("Số điện thoại", phone), ("Email", email)),
    ]


def identity_block(
    styles: Styles, code: str, lines: Sequence[str], options: FormOptions, *, width: float
) -> Flowable:
    """The lines beside the QR of `code`, or plain lines when there is no dossier code yet."""
    if code.strip():
        return code_with_qr(
            styles,
            [f"Mã hồ sơ: <b>{text(code)}</b>", *lines],
            qr_payload(code, options.lookup_base_url),
            width=width,
        )
    return KeepTogether([Paragraph(line, styles.body) for line in lines])


def signature_blocks(
    styles: Styles,
    blocks: Sequence[tuple[str, str]],
    *,
    width: float,
    hint: str = SIGN_HINT,
    space: float = 20 * mm,
    align_right: bool = True,
) -> Flowable:
    """Signature blocks side by side: (title, name) each; a single block sits on the right."""
    cells: list[list[Flowable]] = []
    for title, name in blocks:
        cell: list[Flowable] = [
            Paragraph(escape(title), styles.sign_title),
            Paragraph(escape(hint), styles.italic_center),
            Spacer(1, space),
        ]
        if name.strip():
            cell.append(Paragraph(text(name), styles.sign_name))
        cells.append(cell)
    if len(cells) == 1:
        row: list[Any] = [[], cells[0]] if align_right else [cells[0], []]
        col_widths = [width * 0.4, width * 0.6]
    else:
        row = list(cells)
        col_widths = [width / len(cells)] * len(cells)
    # One row: a table never splits inside a row, so the block moves to a new page whole.
    table = Table([row], colWidths=col_widths, spaceBefore=3 * mm)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.family.regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table
