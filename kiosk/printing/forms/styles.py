"""The paragraph styles and the table grid of the forms."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    TableStyle,
)

from kiosk.printing.forms.fonts import FontFamily


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
