"""Fonts, QR payloads, form sets, file output and the DossierRow helper of the PDF forms."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from forms_support import pdf_fonts

from kiosk.clock import VN_TZ
from kiosk.domain.catalogue import CopyKind
from kiosk.domain.lifecycle import DossierStatus
from kiosk.paths import assets_dir
from kiosk.printing.forms import (
    FolderPrinter,
    FormError,
    FormOptions,
    clean_file_name,
    form_file_stem,
    form_label,
    qr_payload,
    receipt_from_dossier,
    register_fonts,
    render_form,
)
from kiosk.printing.forms.fonts import BUNDLED_FILES, TIMES_FILES
from kiosk.printing.forms.samples import SAMPLE_CODE, sample_receipt, sample_supplement
from kiosk.store.dossier_repo import DossierDocument, DossierRow


def test_without_times_new_roman_the_bundled_liberation_serif_is_used(tmp_path: Path) -> None:
    family = register_fonts(search_dirs=[tmp_path])  # an empty folder: no system font
    assert family.label.startswith("Liberation Serif")
    assert all(path.is_file() for path in family.files)


def test_times_new_roman_is_preferred_when_the_system_has_it(tmp_path: Path) -> None:
    # Stand-in files under the Windows names: the choice is by file name and coverage.
    fonts_dir = tmp_path / "Fonts"
    fonts_dir.mkdir()
    for style, names in TIMES_FILES.items():
        shutil.copy(assets_dir() / "fonts" / BUNDLED_FILES[style], fonts_dir / names[0])
    options = FormOptions(font_dirs=(fonts_dir,))
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(render_form(sample_receipt(), options))
    family = register_fonts(search_dirs=[fonts_dir])
    assert family.name == "KioskTimes"
    assert family.files[0] == fonts_dir / "times.ttf"
    assert all(emb == "yes" for _, emb in pdf_fonts(pdf))


def test_a_damaged_system_font_is_passed_over(tmp_path: Path) -> None:
    # A truncated copy stands for a damaged font file.
    regular = (assets_dir() / "fonts" / BUNDLED_FILES["regular"]).read_bytes()
    for names in TIMES_FILES.values():
        (tmp_path / names[0]).write_bytes(regular[:1000])
    assert register_fonts(search_dirs=[tmp_path]).name == "KioskSerif"


def test_qr_payload_is_the_code_or_a_lookup_url() -> None:
    assert qr_payload(SAMPLE_CODE) == SAMPLE_CODE
    assert qr_payload(SAMPLE_CODE, "https://x.vn/tra-cuu/") == f"https://x.vn/tra-cuu/{SAMPLE_CODE}"
    assert qr_payload(SAMPLE_CODE, "https://x.vn/hs") == f"https://x.vn/hs/{SAMPLE_CODE}"
    assert qr_payload("A-1", "https://x.vn/?ma={code}&n=1") == "https://x.vn/?ma=A-1&n=1"


def test_a_lookup_url_with_accents_or_spaces_is_refused_in_vietnamese() -> None:
    with pytest.raises(FormError, match="không dấu"):
        qr_payload(SAMPLE_CODE, "https://tra-cứu.vn/")
    with pytest.raises(FormError):
        qr_payload(SAMPLE_CODE, "https://x.vn/a b")


def test_form_sets_name_their_circular_and_unknown_sets_are_refused() -> None:
    assert form_label("receipt", "2018") == "Mẫu số 01 - Thông tư số 01/2018/TT-VPCP"
    assert "03/2025/TT-VPCP" in form_label("register", "2025")
    with pytest.raises(FormError, match="2019"):
        form_label("receipt", "2019")


def test_clean_file_names_are_ascii_and_safe_everywhere() -> None:
    assert clean_file_name("Mẫu 01: Đức/Hà") == "Mau-01-Duc-Ha.pdf"
    assert clean_file_name("CON") == "_CON.pdf"
    assert clean_file_name("") == "bieu-mau.pdf"
    assert len(clean_file_name("x" * 500)) <= 124


def test_folder_printer_never_overwrites_an_earlier_form(tmp_path: Path) -> None:
    printer = FolderPrinter(tmp_path / "prints")
    first = printer.save(b"%PDF-1 first", name=form_file_stem(sample_receipt()))
    second = printer.save(b"%PDF-1 second", name=form_file_stem(sample_receipt()))
    assert first.name == f"mau-01-{SAMPLE_CODE}.pdf"
    assert second.name == f"mau-01-{SAMPLE_CODE}-2.pdf"
    assert first.read_bytes() == b"%PDF-1 first"
    assert "Đã lưu" in printer.print_pdf(b"%PDF-1 third", name="x")


def test_supplement_without_a_code_is_named_by_its_time() -> None:
    assert form_file_stem(sample_supplement()) == "mau-02-20260316-090500"


def test_an_unwritable_folder_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(FormError, match="Không lưu được biểu mẫu"):
        FolderPrinter(blocker).save(b"%PDF", name="x")


def test_receipt_data_from_a_stored_dossier() -> None:
    at = datetime(2026, 3, 16, 9, 5, tzinfo=VN_TZ)
    row = DossierRow(
        id=1, code=SAMPLE_CODE, unit_code="000.00.21.H12", received_at=at, due_at=at,
        original_due_at=at, status=DossierStatus.RECEIVED, procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh", applicant_name="Lê Thị Hoa",
        applicant_id_number="033190012345", applicant_id_legacy=False,
        applicant_phone="0912345678", applicant_email="", applicant_address="Thôn Đông",
        sets=2, channel="counter", return_channel="postal", fee=8000, ticket_id=None,
        register_year=2026, register_no=7, created_by="staff1", extensions=0,
        supplement_requests=0, result_at=None, returned_at=None, note="", updated_at=at,
    )  # fmt: skip
    docs = [
        DossierDocument("Tờ khai", CopyKind.ORIGINAL, 1),
        DossierDocument("CCCD", CopyKind.PHOTOCOPY, 2),
    ]
    form = receipt_from_dossier(row, docs, office_name="UBND xã Demo", time_limit="Trong ngày")
    assert form.office.agency == "UBND xã Demo"
    assert form.register_number == row.register_number
    assert form.register_book == "2026"
    assert form.sets == 2 and form.fee == 8000 and form.return_channel == "postal"
    assert [(d.name, d.originals, d.photocopies) for d in form.documents] == [
        ("Tờ khai", 1, 0),
        ("CCCD", 0, 2),
    ]
