"""Job bytes decoded back to pages: pixel-identical text, readable QR, native or raster."""

from __future__ import annotations

from datetime import datetime

import pytest
import zxingcpp
from PIL import Image, ImageChops

from kiosk.clock import VN_TZ
from kiosk.printing.check import sample_receipt, sample_ticket
from kiosk.printing.errors import PrinterSetupError
from kiosk.printing.thermal.decode import DecodeError, decode
from kiosk.printing.thermal.escpos import encode_raster, encode_slip, printer_model
from kiosk.printing.thermal.layouts import (
    WIDTH_58MM,
    WIDTH_80MM,
    RenderedSlip,
    render_receipt_slip,
    render_ticket,
)

NOW = datetime(2026, 3, 16, 8, 42, tzinfo=VN_TZ)
GS_QR_PRINT = b"\x1d(k\x03\x001Q0"
GS_V0 = b"\x1dv0\x00"


def slips(width: int) -> list[RenderedSlip]:
    return [
        render_ticket(sample_ticket(NOW), width),
        render_receipt_slip(sample_receipt(NOW), width),
    ]


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    return (
        a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None
    )


@pytest.mark.parametrize(
    ("width", "profile"),
    [
        (WIDTH_80MM, "TM-T20II"),
        (WIDTH_58MM, "POS-5890"),
        (WIDTH_58MM, "TM-T20II"),
        (WIDTH_80MM, "simple"),
    ],
)
def test_decoded_page_matches_the_layout_and_the_qr_decodes(width: int, profile: str) -> None:
    model = printer_model(profile, width)
    for slip in slips(width):
        job = encode_slip(slip, model)
        assert slip.qr is not None
        assert (GS_QR_PRINT in job) == model.native_qr
        page = decode(job, width).pages[0]
        printed = page.crop((0, 0, width, slip.height))
        qr = slip.qr
        above = (0, 0, width, qr.top)
        below = (0, qr.top + qr.size, width, slip.height)
        assert same_pixels(printed.crop(above), slip.image.crop(above))
        assert same_pixels(printed.crop(below), slip.image.crop(below))
        assert [c.text for c in zxingcpp.read_barcodes(page)] == [qr.payload]
        # Below the slip only the feed to the cutter: white paper.
        tail = page.crop((0, slip.height, width, page.height)).convert("L")
        assert tail.height >= 6 * 30
        assert tail.getextrema() == (255, 255)


def test_native_qr_is_drawn_at_the_module_size_asked() -> None:
    slip = render_ticket(sample_ticket(NOW), WIDTH_80MM)
    job = encode_slip(slip, printer_model("TM-T20II", WIDTH_80MM))
    assert slip.qr is not None
    assert f"\x1d(k\x03\x001C{chr(slip.qr.module)}".encode("latin-1") in job
    assert decode(job).qr_payloads == [slip.qr.payload]


def test_job_is_init_raster_cut_in_that_order() -> None:
    job = encode_slip(slips(WIDTH_80MM)[0], printer_model("TM-T20II", WIDTH_80MM))
    assert job.startswith(b"\x1b@")
    assert job.endswith(b"\x1bd\x06\x1dV\x00")
    assert decode(job).cuts == 1


def test_printers_without_cutter_only_feed() -> None:
    job = encode_slip(slips(WIDTH_58MM)[0], printer_model("POS-5890", WIDTH_58MM))
    assert job.endswith(b"\x1bd\x06")
    assert decode(job, WIDTH_58MM).cuts == 0


def test_80mm_ticket_stays_under_25_kb_with_a_native_qr() -> None:
    job = encode_slip(slips(WIDTH_80MM)[0], printer_model("TM-T20II", WIDTH_80MM))
    assert len(job) <= 25_000


def test_white_rows_cost_almost_nothing() -> None:
    blank = Image.new("1", (576, 400), 1)
    assert len(encode_raster(blank)) < 420
    assert same_pixels(decode(encode_raster(blank)).pages[0], blank)


def test_grey_images_are_refused_rather_than_dithered() -> None:
    with pytest.raises(ValueError):
        encode_raster(Image.new("L", (576, 10), 128))


def test_a_slip_wider_than_the_printer_is_refused_in_vietnamese() -> None:
    with pytest.raises(PrinterSetupError, match="chỉ in được 512"):
        printer_model("TM-T88V", WIDTH_80MM)


def test_the_decoder_refuses_unknown_commands_and_truncated_rasters() -> None:
    with pytest.raises(DecodeError):
        decode(b"\x1b@\x1b\x99")
    with pytest.raises(DecodeError):
        decode(GS_V0 + bytes((2, 0, 10, 0)) + b"\x00" * 5)


def test_python_escpos_text_mode_decodes_as_text_not_pixels() -> None:
    from escpos.printer import Dummy

    printer = Dummy(profile="TM-T20II")
    printer.set(align="center", bold=True)
    printer.textln("A023")
    assert "A023" in decode(printer.output).text
