"""Queue tickets and short receipts drawn as 1-bit rasters for 58 mm and 80 mm thermal paper.

Text is NFC Vietnamese drawn with the bundled font (anti-aliased, then a hard threshold: never
dithered), so no printer code page is involved. Neither slip carries personal data: a ticket
shows a number, a receipt a dossier code; their QR codes hold only a URL or that code.

A slip is laid out top to bottom on a canvas as wide as the paper's printable dots; the QR, when
there is one, sits alone on its rows, centred, so the encoder can send it as a native `GS ( k`
symbol instead of raster rows (see `escpos.py`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Final

from PIL import Image, ImageChops, ImageDraw, ImageFont

from kiosk.clock import VN_TZ
from kiosk.printing.fonts import Weight, thermal_font
from kiosk.printing.thermal.qr import EcLevel, qr_image, qr_modules

#: Printable dots across the paper at 203 dpi: 58 mm rolls print 48 mm, 80 mm rolls 72 mm.
WIDTH_58MM: Final = 384
WIDTH_80MM: Final = 576
MIN_WIDTH: Final = 320

#: Anti-aliased text becomes black from this grey level down (slightly bold for thermal heads).
THRESHOLD: Final = 150

DEFAULT_UNIT_NAME: Final = "Bộ phận Tiếp nhận và Trả kết quả"
DEFAULT_TICKET_NOTICE: Final = (
    "Xin vui lòng chờ đến khi số của quý khách được gọi và hiển thị trên màn hình. "
    "Phiếu chỉ có giá trị trong ngày."
)
DEFAULT_RECEIPT_NOTICE: Final = (
    "Vui lòng mang theo phiếu này khi đến nhận kết quả. "
    "Quét mã QR hoặc nhập mã hồ sơ để tra cứu tình trạng."
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def format_datetime(moment: datetime) -> str:
    """dd/mm/yyyy hh:mm in Vietnam's time."""
    local = moment.astimezone(VN_TZ) if moment.tzinfo else moment
    return local.strftime("%d/%m/%Y %H:%M")


def _ascii_url(url: str) -> str:
    if not url.isascii() or any(c.isspace() for c in url):
        raise ValueError(f"QR URLs must be ASCII without spaces: {url!r}")
    return url


def queue_follow_url(base_url: str, ticket_ref: str | int) -> str:
    """The URL in a ticket's QR: `{base}/{ticket ref}` (ASCII only; no personal data)."""
    return _ascii_url(f"{base_url.rstrip('/')}/{ticket_ref}")


def dossier_lookup_payload(dossier_code: str, base_url: str | None = None) -> str:
    """A receipt's QR: the lookup URL `{base}/{code}` when a base is set, else the code alone."""
    if not base_url:
        return _ascii_url(dossier_code)
    return _ascii_url(f"{base_url.rstrip('/')}/{dossier_code}")


@dataclass(frozen=True, slots=True)
class TicketData:
    """What a queue ticket shows. Numbers only: never a name, ID or phone."""

    office_name: str
    field_name: str
    number: str
    issued_at: datetime
    people_ahead: int
    estimated_wait_minutes: int | None
    follow_url: str | None = None
    unit_name: str = DEFAULT_UNIT_NAME
    notice: str = DEFAULT_TICKET_NOTICE


@dataclass(frozen=True, slots=True)
class ReceiptSlipData:
    """The short thermal receipt of a received dossier. No applicant data on it."""

    office_name: str
    dossier_code: str
    procedure_name: str
    received_at: datetime
    due_at: datetime
    collect_at: str
    lookup_payload: str
    unit_name: str = DEFAULT_UNIT_NAME
    notice: str = DEFAULT_RECEIPT_NOTICE


@dataclass(frozen=True, slots=True)
class QrPlacement:
    """Where a slip's QR sits: alone on rows [top, top + size), centred; `module` dots/module."""

    payload: str
    module: int
    left: int
    top: int
    size: int
    ec: EcLevel = "M"


@dataclass(frozen=True, slots=True)
class RenderedSlip:
    """A slip as printed: a mode "1" image (white = 1) as wide as the paper's dots."""

    image: Image.Image
    qr: QrPlacement | None = None

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height


@dataclass(slots=True)
class _Style:
    """Sizes in dots for one paper width, scaled from the 80 mm design."""

    width: int
    scale: float = field(init=False)
    margin: int = field(init=False)

    def __post_init__(self) -> None:
        self.scale = self.width / WIDTH_80MM
        self.margin = max(10, round(20 * self.scale))

    def size(self, at_80mm: int, minimum: int) -> int:
        # 58 mm paper keeps text larger than a plain scale would: readable at arm's length.
        return max(minimum, round(at_80mm * (0.35 + 0.65 * self.scale)))

    def gap(self, at_80mm: int) -> int:
        return max(2, round(at_80mm * self.scale))


class _Canvas:
    """A tall grey canvas drawn top to bottom; `finish` crops it and applies the threshold."""

    def __init__(self, width: int, max_height: int = 2400) -> None:
        if width < MIN_WIDTH:
            raise ValueError(f"paper width {width} dots is below {MIN_WIDTH}")
        self.style = _Style(width)
        self.width = width
        self.image = Image.new("L", (width, max_height), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = 0
        self.qr: QrPlacement | None = None

    @property
    def inner(self) -> int:
        return self.width - 2 * self.style.margin

    def space(self, dots: int) -> None:
        self.y += dots

    def _line_box(self, font: ImageFont.FreeTypeFont) -> tuple[int, int]:
        ascent, descent = font.getmetrics()
        return ascent, descent

    def wrap(self, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
        """Words packed into lines no wider than `width`; an over-long word is cut by letters."""
        lines: list[str] = []
        for paragraph in nfc(text).split("\n"):
            current = ""
            for word in paragraph.split():
                candidate = f"{current} {word}" if current else word
                if font.getlength(candidate) <= width:
                    current = candidate
                    continue
                if current:
                    lines.append(current)
                current = ""
                for piece in _cut_word(word, font, width):
                    if font.getlength(piece) <= width and not current:
                        current = piece
                    else:
                        lines.append(current)
                        current = piece
            lines.append(current)
        return lines

    def text(
        self,
        text: str,
        font: ImageFont.FreeTypeFont,
        *,
        align: str = "center",
        leading: float = 1.12,
        max_lines: int = 6,
    ) -> None:
        """Wrapped text across the inner width, advancing the cursor by whole lines."""
        ascent, descent = self._line_box(font)
        step = round((ascent + descent) * leading)
        for line in self.wrap(text, font, self.inner)[:max_lines]:
            self._draw_line(line, font, align)
            self.y += step
        # The last line needs only its own height, not the leading below it.
        self.y -= step - (ascent + descent)

    def _draw_line(self, line: str, font: ImageFont.FreeTypeFont, align: str) -> None:
        margin = self.style.margin
        if align == "center":
            x = (self.width - font.getlength(line)) / 2
        elif align == "right":
            x = self.width - margin - font.getlength(line)
        else:
            x = margin
        self.paste_line(line, font, round(x), self.y)

    def paste_line(self, line: str, font: ImageFont.FreeTypeFont, x: int, y: int) -> None:
        """Draw one line with its top-left (ascender) at (x, y), from the rendered-line cache."""
        image, left, top = _line_image(line, font)
        box = (x + left, y + top, x + left + image.width, y + top + image.height)
        self.image.paste(ImageChops.darker(self.image.crop(box), image), box)

    def fit_text(self, text: str, weight: Weight, largest: int, width: int) -> None:
        """One line, centred, at the largest size up to `largest` that fits `width`."""
        size = largest
        font = thermal_font(weight, size)
        while size > 12 and font.getlength(text) > width:
            size -= 4
            font = thermal_font(weight, size)
        # Cap-height box: digits and capitals have no descenders, so trim the empty metrics.
        left, top, right, bottom = font.getbbox(text, anchor="ls")
        x = round((self.width - (right - left)) / 2 - left)
        self.draw.text((x, round(self.y - top)), text, font=font, fill=0, anchor="ls")
        self.y += round(bottom - top)

    def row(
        self, label: str, value: str, font: ImageFont.FreeTypeFont, bold: ImageFont.FreeTypeFont
    ) -> None:
        """`label ........ value` on one line, or value under label when both do not fit."""
        margin = self.style.margin
        gap = self.style.gap(16)
        ascent, descent = self._line_box(bold)
        height = ascent + descent
        label, value = nfc(label), nfc(value)
        if font.getlength(label) + gap + bold.getlength(value) <= self.inner:
            self.paste_line(label, font, margin, self.y)
            x = self.width - margin - bold.getlength(value)
            self.paste_line(value, bold, round(x), self.y)
            self.y += height
            return
        self.text(label, font, align="left")
        self.y += self.style.gap(4)
        self.text(value, bold, align="right")

    def rule(self, *, thickness: int = 2, inset: int = 0, dashed: bool = False) -> None:
        margin = self.style.margin + inset
        if not dashed:
            self.draw.rectangle(
                (margin, self.y, self.width - margin - 1, self.y + thickness - 1), fill=0
            )
        else:
            dash = self.style.gap(10)
            for x in range(margin, self.width - margin, dash * 2):
                end = min(x + dash, self.width - margin) - 1
                self.draw.rectangle((x, self.y, end, self.y + thickness - 1), fill=0)
        self.y += thickness

    def place_qr(self, payload: str, module: int) -> None:
        symbol = qr_image(payload, module)
        left = (self.width - symbol.width) // 2
        self.image.paste(symbol.convert("L"), (left, self.y))
        self.qr = QrPlacement(payload, module, left, self.y, symbol.width)
        self.y += symbol.height

    def finish(self, bottom: int) -> RenderedSlip:
        height = self.y + bottom
        grey = self.image.crop((0, 0, self.width, height))
        table = [0 if level < THRESHOLD else 255 for level in range(256)]
        return RenderedSlip(grey.point(table, "1"), self.qr)


@lru_cache(maxsize=1024)
def _line_image(line: str, font: ImageFont.FreeTypeFont) -> tuple[Image.Image, int, int]:
    """One anti-aliased line (black on white) and its offset from the ascender origin.

    Headers, labels and notices repeat on every slip: rendering them once keeps a ticket fast.
    """
    left, top, right, bottom = (round(v) for v in font.getbbox(line, anchor="la"))
    image = Image.new("L", (max(1, right - left), max(1, bottom - top)), 255)
    ImageDraw.Draw(image).text((-left, -top), line, font=font, fill=0, anchor="la")
    return image, left, top


def _cut_word(word: str, font: ImageFont.FreeTypeFont, width: int) -> Iterator[str]:
    piece = ""
    for char in word:
        if piece and font.getlength(piece + char) > width:
            yield piece
            piece = ""
        piece += char
    yield piece


def _qr_module(width: int, payload: str) -> int:
    """Dots per module: a QR about 26 mm wide on 80 mm paper, 20 mm on 58 mm, 4–8 dots."""
    target = 210 if width >= WIDTH_80MM else 160
    return max(4, min(8, target // len(qr_modules(payload))))


def _header(canvas: _Canvas, office_name: str, unit_name: str) -> None:
    style = canvas.style
    canvas.text(nfc(office_name).upper(), thermal_font(Weight.BOLD, style.size(26, 20)))
    if unit_name:
        canvas.space(style.gap(6))
        canvas.text(unit_name, thermal_font(Weight.REGULAR, style.size(21, 17)))
    canvas.space(style.gap(14))
    canvas.rule(thickness=2)


def render_ticket(data: TicketData, width: int = WIDTH_80MM) -> RenderedSlip:
    """A queue ticket at `width` dots: office, field, big number, time, queue, QR, notice."""
    canvas = _Canvas(width)
    style = canvas.style
    canvas.space(style.gap(10))
    _header(canvas, data.office_name, data.unit_name)

    canvas.space(style.gap(18))
    canvas.text(data.field_name, thermal_font(Weight.SEMIBOLD, style.size(30, 22)), max_lines=3)
    canvas.space(style.gap(14))
    canvas.text("SỐ THỨ TỰ CỦA QUÝ KHÁCH", thermal_font(Weight.MEDIUM, style.size(19, 16)))
    canvas.space(style.gap(16))
    canvas.fit_text(nfc(data.number), Weight.EXTRABOLD, round(180 * style.scale), canvas.inner)
    canvas.space(style.gap(22))
    canvas.rule(thickness=2, dashed=True)
    canvas.space(style.gap(14))

    label = thermal_font(Weight.REGULAR, style.size(21, 17))
    value = thermal_font(Weight.SEMIBOLD, style.size(21, 17))
    row_gap = style.gap(8)
    canvas.row("Giờ lấy số", format_datetime(data.issued_at), label, value)
    canvas.space(row_gap)
    ahead = "Không có ai" if data.people_ahead <= 0 else f"{data.people_ahead} người"
    canvas.row("Số người chờ trước", ahead, label, value)
    if data.estimated_wait_minutes is not None:
        canvas.space(row_gap)
        canvas.row("Thời gian chờ dự kiến", _wait_text(data.estimated_wait_minutes), label, value)
    canvas.space(style.gap(14))
    canvas.rule(thickness=2, dashed=True)

    if data.follow_url:
        canvas.space(style.gap(20))
        canvas.place_qr(data.follow_url, _qr_module(width, data.follow_url))
        canvas.space(style.gap(10))
        canvas.text(
            "Quét mã để theo dõi lượt gọi số", thermal_font(Weight.MEDIUM, style.size(18, 15))
        )
    canvas.space(style.gap(16))
    canvas.text(data.notice, thermal_font(Weight.REGULAR, style.size(18, 15)), leading=1.2)
    return canvas.finish(style.gap(8))


def _wait_text(minutes: int) -> str:
    if minutes <= 0:
        return "Sắp đến lượt"
    if minutes < 60:
        return f"khoảng {minutes} phút"
    hours, rest = divmod(minutes, 60)
    return f"khoảng {hours} giờ {rest:02d} phút" if rest else f"khoảng {hours} giờ"


def render_receipt_slip(data: ReceiptSlipData, width: int = WIDTH_80MM) -> RenderedSlip:
    """A short receipt at `width` dots: dossier code, procedure, dates, where to collect, QR."""
    canvas = _Canvas(width)
    style = canvas.style
    canvas.space(style.gap(10))
    _header(canvas, data.office_name, data.unit_name)

    canvas.space(style.gap(18))
    canvas.text("PHIẾU HẸN TRẢ KẾT QUẢ", thermal_font(Weight.BOLD, style.size(27, 21)))
    canvas.space(style.gap(16))
    canvas.text("Mã hồ sơ", thermal_font(Weight.REGULAR, style.size(18, 15)))
    canvas.space(style.gap(6))
    canvas.fit_text(nfc(data.dossier_code), Weight.BOLD, style.size(30, 22), canvas.inner)
    canvas.space(style.gap(18))
    canvas.rule(thickness=2, dashed=True)
    canvas.space(style.gap(14))

    small = thermal_font(Weight.REGULAR, style.size(18, 15))
    body = thermal_font(Weight.SEMIBOLD, style.size(21, 17))
    label = thermal_font(Weight.REGULAR, style.size(21, 17))
    canvas.text("Thủ tục", small, align="left")
    canvas.space(style.gap(4))
    canvas.text(data.procedure_name, body, align="left", max_lines=5)
    canvas.space(style.gap(16))
    canvas.row("Ngày tiếp nhận", format_datetime(data.received_at), label, body)
    canvas.space(style.gap(8))
    canvas.row("Ngày hẹn trả", format_datetime(data.due_at), label, body)
    canvas.space(style.gap(16))
    canvas.text("Nơi nhận kết quả", small, align="left")
    canvas.space(style.gap(4))
    canvas.text(data.collect_at, body, align="left", max_lines=3)
    canvas.space(style.gap(16))
    canvas.rule(thickness=2, dashed=True)

    canvas.space(style.gap(20))
    canvas.place_qr(data.lookup_payload, _qr_module(width, data.lookup_payload))
    canvas.space(style.gap(16))
    canvas.text(data.notice, small, leading=1.2)
    return canvas.finish(style.gap(8))
