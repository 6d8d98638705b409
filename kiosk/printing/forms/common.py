"""Parts every form shares: the national header, titles, field lines, signatures, the QR.

Layout follows Thông tư 01/2018/TT-VPCP and the presentation rules of Nghị định 30/2020: the
issuing unit top left and the national motto top right, each centred in its half with a short
rule under it; the number under the unit, the place and date in italics under the motto; the
title in bold capitals; signature blocks with their title in bold capitals over "(Ký, ghi rõ họ
tên)".
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.clock import VN_TZ
from kiosk.domain import formats
from kiosk.domain.text import nfc
from kiosk.printing.forms.data import OfficeHeader
from kiosk.printing.forms.errors import FormError
from kiosk.printing.forms.fonts import FontFamily, register_fonts

NATION: Final = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO: Final = "Độc lập - Tự do - Hạnh phúc"
SIGN_HINT: Final = "(Ký, ghi rõ họ tên)"
BLANK: Final = "…………………………"
A5_MARGINS: Final = (13 * mm, 10 * mm, 9 * mm, 10 * mm)  # left, right, top, bottom


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


# --- text -------------------------------------------------------------------------------------


def text(value: str) -> str:
    """User text ready for a Paragraph: NFC (tone marks survive), markup escaped, line breaks
    kept."""
    lines = nfc(value).strip().splitlines()
    return "<br/>".join(escape(" ".join(line.split())) for line in lines)


def text_or_blank(value: str) -> str:
    return text(value) if value.strip() else BLANK


def upper(value: str) -> str:
    return nfc(value).strip().upper()


def _vn(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: pass tz-aware times")
    return moment.astimezone(VN_TZ)


def long_date(moment: datetime) -> str:
    """'ngày 05 tháng 02 năm 2026': days < 10 and months 1–2 get a leading 0 (Nghị định 30)."""
    return formats.long_date(moment)


def short_date(moment: datetime | None) -> str:
    return "" if moment is None else _vn(moment).strftime("%d/%m/%Y")


def time_and_date(moment: datetime | None) -> str:
    """'10 giờ 05 phút, ngày 15/03/2026'."""
    if moment is None:
        return ""
    local = _vn(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, ngày {local:%d/%m/%Y}"


def clock_and_day(moment: datetime | None) -> str:
    """'09:05' over '16/03/2026' (markup) for narrow table cells."""
    if moment is None:
        return ""
    local = _vn(moment)
    return f"{local:%H:%M}<br/>{local:%d/%m/%Y}"


def place_and_date(office: OfficeHeader, moment: datetime) -> str:
    """'Demo, ngày 15 tháng 03 năm 2026' (capitalised 'Ngày' without a place)."""
    place = nfc(office.place).strip()
    when = long_date(moment)
    return f"{place}, {when}" if place else when[0].upper() + when[1:]


def format_vnd(amount: int) -> str:
    """10000 → '10.000 đồng'; 0 → 'Không thu'."""
    return formats.fee(amount)


# --- QR ---------------------------------------------------------------------------------------


def qr_payload(code: str, lookup_base_url: str = "") -> str:
    """The QR text: the dossier code, or the lookup URL for it. ASCII only, no personal data.

    A base URL with `{code}` gets the code there; one ending in '=' or '/' gets it appended;
    any other gets '/' + code.
    """
    code = code.strip()
    base = lookup_base_url.strip()
    if not base:
        payload = code
    elif "{code}" in base:
        payload = base.replace("{code}", quote(code, safe=""))
    elif base.endswith(("=", "/")):
        payload = base + quote(code, safe="")
    else:
        payload = f"{base}/{quote(code, safe='')}"
    if not payload.isascii() or any(ch.isspace() for ch in payload):
        raise FormError(
            "Địa chỉ tra cứu hồ sơ (mã QR) chỉ được gồm chữ không dấu, chữ số và ký hiệu, "
            f"không có dấu cách: “{lookup_base_url}”.",
            lookup_base_url=lookup_base_url,
        )
    return payload


QR_BORDER: Final = 2  # quiet zone in modules; the paper around it is white anyway


@lru_cache(maxsize=64)
def qr_runs(payload: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(module count, dark runs as (row, first column, length)) of the QR of `payload`.

    Encoded once per payload by QrCodeWidget's encoder (form 01 draws the same code on both
    copies); runs of dark modules become one rectangle each, so the PDF stays small.
    """
    widget = QrCodeWidget(payload, barLevel="M")
    widget.qr.make()
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(widget.qr.modules):
        c = 0
        for dark, group in groupby(bool(m) for m in row):
            count = len(list(group))
            if dark:
                runs.append((r, c, count))
            c += count
    return int(widget.qr.getModuleCount()), tuple(runs)


class QrCode(Flowable):  # type: ignore[misc]
    """A vector QR `size` points wide, crisp at any printer resolution.

    Drawn as plain rectangles: rendering QrCodeWidget as a Drawing would also set Helvetica on
    the page, a font that is never embedded.
    """

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.payload = payload
        self.width = self.height = size
        self.count, self.runs = qr_runs(payload)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c: Canvas = self.canv
        box = self.width / (self.count + 2 * QR_BORDER)
        c.saveState()
        c.setFillColor(colors.black)
        path = c.beginPath()
        for row, col, length in self.runs:
            y = self.height - (row + QR_BORDER + 1) * box
            path.rect((col + QR_BORDER) * box, y, length * box, box)
        c.drawPath(path, stroke=0, fill=1)
        c.restoreState()


# --- styles -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Styles:
    family: FontFamily
    body: ParagraphStyle
    body_center: ParagraphStyle
    body_left: ParagraphStyle
    italic_center: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    section: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    head_cell: ParagraphStyle
    sign_title: ParagraphStyle
    sign_name: ParagraphStyle


@cache
def styles_for(family: FontFamily, scale: float = 1.0) -> Styles:
    """Paragraph styles of the forms; `scale` shrinks them for the dense register."""
    size = 10.5 * scale
    body = ParagraphStyle(
        "body",
        fontName=family.regular,
        fontSize=size,
        leading=size * 1.22,
        alignment=TA_JUSTIFY,
        spaceAfter=1.5,
    )
    cell = ParagraphStyle(
        "cell", parent=body, fontSize=size - 1.5, leading=(size - 1.5) * 1.22, alignment=TA_LEFT
    )
    return Styles(
        family=family,
        body=body,
        body_center=ParagraphStyle("body_center", parent=body, alignment=TA_CENTER),
        body_left=ParagraphStyle("body_left", parent=body, alignment=TA_LEFT),
        italic_center=ParagraphStyle(
            "italic_center", parent=body, fontName=family.italic, alignment=TA_CENTER
        ),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=family.bold,
            fontSize=size + 2,
            leading=(size + 2) * 1.25,
            alignment=TA_CENTER,
            spaceBefore=4,
            spaceAfter=2,
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontName=family.italic, alignment=TA_CENTER, spaceAfter=4
        ),
        section=ParagraphStyle("section", parent=body, spaceBefore=3),
        cell=cell,
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        head_cell=ParagraphStyle(
            "head_cell", parent=cell, fontName=family.bold, alignment=TA_CENTER
        ),
        sign_title=ParagraphStyle(
            "sign_title", parent=body, fontName=family.bold, alignment=TA_CENTER, spaceAfter=0
        ),
        sign_name=ParagraphStyle(
            "sign_name", parent=body, fontName=family.bold, alignment=TA_CENTER
        ),
    )


# --- the national header ----------------------------------------------------------------------


def balanced_lines(value: str, font: str, size: float, width: float) -> list[str]:
    """Lines of at most `width`; a two-line result is balanced ('UBND XÃ / TÂN PHONG' rather
    than 'ỦY BAN NHÂN DÂN XÃ TÂN / PHONG' with an orphan)."""
    if not value:
        return []
    lines: list[str] = simpleSplit(value, font, size, width)
    if len(lines) != 2:
        return lines
    words = value.split()
    best = lines
    best_width = max(stringWidth(line, font, size) for line in lines)
    for cut in range(1, len(words)):
        pair = [" ".join(words[:cut]), " ".join(words[cut:])]
        widest = max(stringWidth(line, font, size) for line in pair)
        if widest <= width and widest < best_width:
            best, best_width = pair, widest
    return best


class NationalHeader(Flowable):  # type: ignore[misc]
    """Unit (left) and national motto (right), each centred in its half with a rule under it,
    then the number under the unit and the place and date under the motto."""

    def __init__(
        self,
        family: FontFamily,
        office: OfficeHeader,
        *,
        label: str,
        number_line: str,
        date_line: str,
        scale: float = 1.0,
    ) -> None:
        super().__init__()
        self.family = family
        self.label = label
        self.agency_lines: list[str] = []
        self.unit_lines: list[str] = []
        self.agency = upper(office.agency)
        self.unit = upper(office.unit)
        self.number_line = nfc(number_line)
        self.date_line = nfc(date_line)
        self.size = 10.0 * scale
        self.motto_size = 11.0 * scale
        self.label_size = 7.5 * scale
        self.lead = self.size * 1.25
        self.left_width = 0.0
        self.right_width = 0.0
        self.nation_size = self.size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.left_width = avail_width * 0.4
        self.right_width = avail_width - self.left_width
        f = self.family
        inner = self.left_width - 4
        self.agency_lines = balanced_lines(self.agency, f.regular, self.size, inner)
        self.unit_lines = balanced_lines(self.unit, f.bold, self.size, inner)
        # The nation line must stay on one line: shrink it to fit a narrow page.
        self.nation_size = self.size
        while stringWidth(NATION, f.bold, self.nation_size) > self.right_width - 2:
            self.nation_size -= 0.25
        left_lines = len(self.agency_lines) + len(self.unit_lines)
        block = max(left_lines, 2) * self.lead
        self.height = self.label_size + 4 + block + 6 + self.lead * 1.4
        return self.width, self.height

    def draw(self) -> None:
        c: Canvas = self.canv
        f = self.family
        top = self.height
        c.setFont(f.italic, self.label_size)
        c.drawRightString(self.width, top - self.label_size, self.label)
        y = top - self.label_size - 4 - self.size
        left_mid = self.left_width / 2
        right_mid = self.left_width + self.right_width / 2
        # left: agency (regular) then unit (bold), a rule a third of the widest line under it
        ly = y
        widest = 0.0
        for font, lines in ((f.regular, self.agency_lines), (f.bold, self.unit_lines)):
            c.setFont(font, self.size)
            for line in lines:
                c.drawCentredString(left_mid, ly, line)
                widest = max(widest, stringWidth(line, font, self.size))
                ly -= self.lead
        rule_y_left = ly + self.lead - 5
        # right: nation line and motto, the rule as long as the motto
        c.setFont(f.bold, self.nation_size)
        c.drawCentredString(right_mid, y, NATION)
        c.setFont(f.bold, self.motto_size)
        motto_y = y - self.lead
        c.drawCentredString(right_mid, motto_y, MOTTO)
        motto_w = stringWidth(MOTTO, f.bold, self.motto_size)
        rule_y_right = motto_y - 5
        c.setLineWidth(0.6)
        c.line(right_mid - motto_w / 2, rule_y_right, right_mid + motto_w / 2, rule_y_right)
        rule_y = min(rule_y_left, rule_y_right)
        rule_left = max(widest / 3, 12 * mm)
        c.line(left_mid - rule_left / 2, rule_y_left, left_mid + rule_left / 2, rule_y_left)
        # number under the unit, place and date under the motto, on one baseline
        base = rule_y - self.lead * 1.1
        c.setFont(f.regular, self.size)
        if self.number_line:
            c.drawCentredString(left_mid, base, self.number_line)
        c.setFont(f.italic, self.size)
        c.drawCentredString(right_mid, base, self.date_line)


# --- building blocks --------------------------------------------------------------------------


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


def grid_style(family: FontFamily, header_rows: int = 1) -> TableStyle:
    """Thin black grid, shaded header; rows vertically centred."""
    return TableStyle(
        [
            # Tables set a font for every cell, Helvetica by default, even when the cell holds
            # paragraphs; it would end up in the PDF unembedded.
            ("FONTNAME", (0, 0), (-1, -1), family.regular),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.93, 0.93, 0.93)),
        ]
    )


def content_width(
    pagesize: tuple[float, float], margins: tuple[float, float, float, float]
) -> float:
    return pagesize[0] - margins[0] - margins[1]


class FooterNote(Flowable):  # type: ignore[misc]
    """Invisible marker: from here on, pages carry `note` in their footer (e.g. which copy)."""

    def __init__(self, note: str) -> None:
        super().__init__()
        self.note = nfc(note)
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._kiosk_footer = self.note


def _paint_footer(family: FontFamily) -> Callable[[Canvas, Any], None]:
    """Draws the current footer note small and grey at the bottom right, so a loose second
    page still says which dossier and copy it belongs to. Runs at the end of each page, after
    the page's FooterNote markers have been drawn."""

    def paint(canvas: Canvas, doc: Any) -> None:
        note = getattr(canvas, "_kiosk_footer", "")
        if not note:
            return
        canvas.saveState()
        canvas.setFont(family.italic, 7.5)
        canvas.setFillColor(colors.Color(0.35, 0.35, 0.35))
        width, _ = doc.pagesize
        canvas.drawRightString(width - doc.rightMargin, doc.bottomMargin / 2, note)
        canvas.restoreState()

    return paint


def build_pdf(
    story: list[Flowable],
    *,
    title: str,
    family: FontFamily,
    pagesize: tuple[float, float] = A5,
    margins: tuple[float, float, float, float] = A5_MARGINS,
) -> bytes:
    """Lay the story out on pages and return the PDF bytes (same input → same bytes)."""
    buffer = io.BytesIO()
    left, right, top, bottom = margins
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=nfc(title),
        author="Một Cửa Kiosk",
        creator="Một Cửa Kiosk",
        invariant=1,
        # Without an initial font every page names Helvetica, which is never embedded.
        initialFontName=family.regular,
        initialFontSize=10,
    )
    frame = Frame(
        left,
        bottom,
        pagesize[0] - left - right,
        pagesize[1] - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate("page", [frame], onPageEnd=_paint_footer(family))])
    doc.build(story)
    return buffer.getvalue()
