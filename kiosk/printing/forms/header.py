"""The national header at the top of every form.

Layout follows Nghị định 30/2020: the issuing unit top left and the national motto top right,
each centred in its half with a short rule under it; the number under the unit, the place and
date in italics under the motto.
"""

from __future__ import annotations

from typing import Final

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
)

from kiosk.domain.text import nfc
from kiosk.printing.forms.data import OfficeHeader
from kiosk.printing.forms.fonts import FontFamily
from kiosk.printing.forms.wording import (
    upper,
)

NATION: Final = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO: Final = "Độc lập - Tự do - Hạnh phúc"


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
