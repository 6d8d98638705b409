"""User text on the forms: printed as typed (escaped, NFC), wrapped, continued on new pages."""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

from forms_support import pdf_info, pdf_text

from kiosk.printing.forms import ReceiptForm, RefusalForm, render_form
from kiosk.printing.forms.samples import sample_receipt, sample_refusal


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _write(tmp_path: Path, form: ReceiptForm | RefusalForm, name: str = "f.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(render_form(form))
    return path


def test_names_with_markup_characters_print_as_typed(tmp_path: Path) -> None:
    name = "Công ty <TNHH> Hùng & Vượng"
    form = dataclasses.replace(sample_receipt(), applicant_name=name, applicant_address="<b>x</b>")
    text = _one_line(pdf_text(_write(tmp_path, form)))
    assert name in text
    assert "Địa chỉ: <b>x</b>" in text


def test_decomposed_input_keeps_its_tone_marks(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Đặng Thị Ngọc Ánh")
    form = dataclasses.replace(sample_refusal(), applicant_name=nfd)
    text = pdf_text(_write(tmp_path, form))
    assert "Đặng Thị Ngọc Ánh" in text  # the NFC form: nothing lost, nothing left apart


def test_long_names_and_addresses_wrap_inside_the_page(tmp_path: Path) -> None:
    address = "Số 123, ngõ 45, ngách 67, hẻm 89, đường Nguyễn Văn Cừ kéo dài, khu dân cư số 7, " * 3
    form = dataclasses.replace(
        sample_receipt(),
        applicant_name="Tôn Nữ Thị Phương Thảo Nguyễn Hoàng Bảo Ngọc Trâm Anh",
        applicant_address=address,
    )
    pdf = _write(tmp_path, form)
    raw = pdf_text(pdf, page=1)
    assert _one_line(address) in _one_line(raw)
    # wrapped: no single line of the page carries the whole address
    assert max(len(line) for line in raw.splitlines()) < len(address.strip())


def test_forty_documents_continue_on_a_second_page_with_the_header_repeated(
    tmp_path: Path,
) -> None:
    pdf = _write(tmp_path, sample_receipt(documents=40))
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 4  # two copies, each on two pages or more
    first = pdf_text(pdf, page=1)
    second = pdf_text(pdf, page=2)
    assert "Giấy tờ số 40" not in first
    assert "Giấy tờ số 40" in _one_line(second)
    assert "Tên giấy tờ" in second  # the column header again on the continuation page
    assert "Liên 1: Lưu" in second  # the footer says which copy a loose page belongs to
    copy_one = " ".join(pdf_text(pdf, page=p) for p in range(1, pages // 2 + 1))
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in copy_one
    last = _one_line(pdf_text(pdf, page=pages))
    assert "Liên 2: Giao người nộp" in last
    assert "NGƯỜI NỘP HỒ SƠ" in last


def test_missing_values_print_a_dotted_blank_to_fill_by_hand(tmp_path: Path) -> None:
    form = dataclasses.replace(sample_receipt(), applicant_email="", applicant_phone="", fee=None)
    text = _one_line(pdf_text(_write(tmp_path, form)))
    assert "Điện thoại: …" in text
    assert "Phí, lệ phí: …" in text
