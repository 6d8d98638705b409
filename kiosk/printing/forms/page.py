"""The page: A5 margins, the footer note on every page, and the story laid out as PDF bytes."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, Final

from reportlab.lib import colors
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
)

from kiosk.domain.text import nfc
from kiosk.printing.forms.fonts import FontFamily

A5_MARGINS: Final = (13 * mm, 10 * mm, 9 * mm, 10 * mm)  # left, right, top, bottom


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
