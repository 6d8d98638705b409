"""Every form rendered by poppler: NFC Vietnamese text, embedded fonts, a QR that decodes."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from forms_support import (
    decode_qr,
    page_size_pt,
    pdf_fonts,
    pdf_info,
    pdf_text,
    render_page,
)
from reportlab.lib.pagesizes import A4, A5, landscape

from kiosk.printing.forms import FormOptions, render_form
from kiosk.printing.forms.samples import (
    KINDS,
    SAMPLE_CODE,
    SAMPLE_NAME,
    sample_form,
    sample_receipt,
)

# Phrases each form must show, as pdftotext reads them back.
EXPECTED = {
    "form01": [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        SAMPLE_NAME,
        SAMPLE_CODE,
        "Liên 1: Lưu",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Đăng ký khai sinh",
        "09 giờ 05 phút, ngày 16/03/2026",
        "16 giờ 00 phút, ngày 17/03/2026",
        "Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp",
    ],
    "form02": ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Lê Văn Đức", "NGƯỜI HƯỚNG DẪN"],
    "form03": ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Hoàng Minh Tuấn", "Chứng thực chữ ký"],
    "form04": [
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Ông Vũ Đình Khải",
        "14/04/2026",
        "000.00.21.H12-260320-0003",
    ],
    "form05": ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Đúng hạn", "Trước hạn", SAMPLE_CODE],
    "form06": ["SỔ THEO DÕI HỒ SƠ", "Đặng Thị Ngọc", "Chứng thực bản sao từ bản chính"],
}
HEADER = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND XÃ TÂN PHONG"]
QR_PAYLOADS = {
    "form01": SAMPLE_CODE,
    "form04": "000.00.21.H12-260320-0003",
    "form05": SAMPLE_CODE,
}


def _one_line(text: str) -> str:
    # pdftotext keeps line breaks where a paragraph wrapped; phrases are compared on one line.
    return " ".join(text.split())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("forms")
    out = {}
    for kind in KINDS:
        path = folder / f"{kind}.pdf"
        path.write_bytes(render_form(sample_form(kind)))
        out[kind] = path
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_every_form_reads_back_as_nfc_vietnamese(rendered: dict[str, Path], kind: str) -> None:
    raw = pdf_text(rendered[kind])
    assert raw == unicodedata.normalize("NFC", raw)
    text = _one_line(raw)
    for phrase in [*HEADER, *EXPECTED[kind]]:
        assert phrase in text, f"{kind}: {phrase!r} missing"


@pytest.mark.parametrize("kind", KINDS)
def test_every_font_is_embedded(rendered: dict[str, Path], kind: str) -> None:
    fonts = pdf_fonts(rendered[kind])
    assert fonts, "no fonts at all"
    assert all(emb == "yes" for _, emb in fonts), fonts
    assert not any("Helvetica" in name for name, _ in fonts)


@pytest.mark.parametrize("kind", sorted(QR_PAYLOADS))
def test_the_qr_decodes_to_the_dossier_code(
    rendered: dict[str, Path], kind: str, tmp_path: Path
) -> None:
    png = render_page(rendered[kind], 1, tmp_path)
    assert decode_qr(png) == [QR_PAYLOADS[kind]]


def test_the_qr_holds_the_lookup_url_when_one_is_set(tmp_path: Path) -> None:
    pdf = tmp_path / "f01.pdf"
    options = FormOptions(lookup_base_url="https://dichvucong.example.vn/tra-cuu?ma=")
    pdf.write_bytes(render_form(sample_receipt(), options))
    assert decode_qr(render_page(pdf, 1, tmp_path)) == [
        f"https://dichvucong.example.vn/tra-cuu?ma={SAMPLE_CODE}"
    ]


def test_receipt_has_two_copies_on_two_a5_pages(rendered: dict[str, Path]) -> None:
    pdf = rendered["form01"]
    assert pdf_info(pdf)["Pages"] == "2"
    width, height = page_size_pt(pdf)
    assert (round(width), round(height)) == (round(A5[0]), round(A5[1]))
    first, second = pdf_text(pdf, page=1), pdf_text(pdf, page=2)
    assert "Liên 1: Lưu" in first and "Liên 2" not in first
    assert "Liên 2: Giao người nộp" in second and "Liên 1" not in second
    assert SAMPLE_NAME in _one_line(second)


@pytest.mark.parametrize("kind", ["form02", "form03", "form04", "form05"])
def test_small_forms_are_one_a5_portrait_page(rendered: dict[str, Path], kind: str) -> None:
    width, height = page_size_pt(rendered[kind])
    assert (round(width), round(height)) == (round(A5[0]), round(A5[1]))
    assert pdf_info(rendered[kind])["Pages"] == "1"


def test_register_is_a4_landscape(rendered: dict[str, Path]) -> None:
    width, height = page_size_pt(rendered["form06"])
    a4 = landscape(A4)
    assert (round(width), round(height)) == (round(a4[0]), round(a4[1]))
    assert width > height


def test_form_set_2025_changes_the_legal_reference(tmp_path: Path) -> None:
    pdf = tmp_path / "f01.pdf"
    pdf.write_bytes(render_form(sample_receipt(), FormOptions(form_set="2025")))
    text = _one_line(pdf_text(pdf))
    assert "03/2025/TT-VPCP" in text
    assert "01/2018/TT-VPCP" not in text
