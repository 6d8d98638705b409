"""Ticket and receipt layouts: 1-bit, paper-wide, Vietnamese, no personal data, QR payloads."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
import zxingcpp

from kiosk.clock import VN_TZ
from kiosk.printing.check import sample_receipt, sample_ticket
from kiosk.printing.thermal.layouts import (
    WIDTH_58MM,
    WIDTH_80MM,
    ReceiptSlipData,
    dossier_lookup_payload,
    format_datetime,
    queue_follow_url,
    render_receipt_slip,
    render_ticket,
)

NOW = datetime(2026, 3, 16, 8, 42, tzinfo=VN_TZ)


@pytest.mark.parametrize("width", [WIDTH_58MM, WIDTH_80MM])
def test_ticket_is_a_paper_wide_one_bit_image_with_a_readable_qr(width: int) -> None:
    slip = render_ticket(sample_ticket(NOW), width)
    assert slip.image.mode == "1"
    assert slip.width == width
    assert {colour for _, colour in slip.image.getcolors() or []} == {0, 255}
    assert slip.qr is not None
    found = [code.text for code in zxingcpp.read_barcodes(slip.image)]
    assert found == ["https://example.gov.vn/theo-doi/in-thu"]


@pytest.mark.parametrize("width", [WIDTH_58MM, WIDTH_80MM])
def test_receipt_qr_holds_only_the_dossier_code(width: int) -> None:
    data = sample_receipt(NOW)
    slip = render_receipt_slip(data, width)
    found = [code.text for code in zxingcpp.read_barcodes(slip.image)]
    assert found == [data.dossier_code]


def test_the_qr_sits_alone_on_its_rows_so_it_can_be_sent_natively() -> None:
    slip = render_ticket(sample_ticket(NOW), WIDTH_80MM)
    qr = slip.qr
    assert qr is not None
    band = slip.image.crop((0, qr.top, slip.width, qr.top + qr.size))
    left, top, right, bottom = band.point(lambda v: 255 - v).getbbox() or (0, 0, 0, 0)
    assert (left, top, right, bottom) == (qr.left, 0, qr.left + qr.size, qr.size)


def test_a_long_procedure_name_wraps_instead_of_running_off_the_paper() -> None:
    short = render_receipt_slip(sample_receipt(NOW), WIDTH_58MM)
    data = sample_receipt(NOW)
    long_name = ReceiptSlipData(
        **{**_fields(data), "procedure_name": "Đăng ký biến động quyền sử dụng đất " * 4}
    )
    wrapped = render_receipt_slip(long_name, WIDTH_58MM)
    assert wrapped.width == WIDTH_58MM
    assert wrapped.height > short.height + 40  # at least two more lines


def test_decomposed_text_renders_like_composed_text() -> None:
    composed = sample_ticket(NOW)
    decomposed = replace(composed, field_name=unicodedata.normalize("NFD", composed.field_name))
    assert render_ticket(composed).image.tobytes() == render_ticket(decomposed).image.tobytes()


def test_qr_payloads_must_be_ascii() -> None:
    assert queue_follow_url("https://a.vn/q/", 17) == "https://a.vn/q/17"
    assert dossier_lookup_payload("X-1", "https://a.vn/tra-cuu") == "https://a.vn/tra-cuu/X-1"
    with pytest.raises(ValueError):
        queue_follow_url("https://a.vn/hàng-chờ", 17)


def test_dates_print_as_day_month_year_hour_minute() -> None:
    assert format_datetime(datetime(2026, 3, 6, 7, 5, tzinfo=VN_TZ)) == "06/03/2026 07:05"


def test_layouts_are_written_as_png_for_a_person_to_look_at(tmp_path: Path) -> None:
    for width in (WIDTH_58MM, WIDTH_80MM):
        render_ticket(sample_ticket(NOW), width).image.save(tmp_path / f"ticket-{width}.png")
        render_receipt_slip(sample_receipt(NOW), width).image.save(tmp_path / f"r-{width}.png")
    assert len(list(tmp_path.glob("*.png"))) == 4


def _fields(data: ReceiptSlipData) -> dict[str, object]:
    return {name: getattr(data, name) for name in data.__slots__}
