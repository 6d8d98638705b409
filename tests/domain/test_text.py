"""Vietnamese text at the boundaries: NFC, clean-up, folding for search, masking."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.text import (
    clean,
    fold,
    mask,
    mask_citizen_id,
    mask_name,
    mask_phone,
    nfc,
    strip_diacritics,
)

VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
vietnamese_text = st.text(
    alphabet=VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " \t\n\u00a0'-", max_size=40
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_nfc_composes_text_typed_with_combining_marks() -> None:
    typed = nfd("Nguyễn Văn Đức")
    assert typed != "Nguyễn Văn Đức"
    assert nfc(typed) == "Nguyễn Văn Đức"


def test_clean_collapses_tabs_newlines_and_non_breaking_spaces() -> None:
    assert clean("  Nguyễn\t\tVăn\u00a0\nĐức  ") == "Nguyễn Văn Đức"


def test_clean_removes_zero_width_characters_and_byte_order_marks() -> None:
    assert clean("\ufeffNguyễn\u200b Văn\u2060 Đức") == "Nguyễn Văn Đức"


def test_clean_of_only_whitespace_is_empty() -> None:
    assert clean(" \t\u00a0\n ") == ""


def test_strip_diacritics_keeps_case_and_folds_d_with_stroke() -> None:
    assert strip_diacritics("Đặng Thị Ngọc Ánh") == "Dang Thi Ngoc Anh"
    assert strip_diacritics("đường Lê Lợi") == "duong Le Loi"


def test_strip_diacritics_removes_horn_and_breve_marks() -> None:
    assert strip_diacritics("ƯỚC ƠN ẮT") == "UOC ON AT"


def test_fold_makes_accented_decomposed_and_bare_spellings_equal() -> None:
    assert fold("Nguyễn  Văn Đức") == "nguyen van duc"
    assert fold(nfd("NGUYỄN VĂN ĐỨC")) == "nguyen van duc"
    assert fold("nguyen van duc") == "nguyen van duc"


def test_fold_treats_the_eth_lookalike_as_d() -> None:
    # Text from old encodings writes Đ as U+00D0; a search for "duc" must still find it.
    assert fold("\u00d0ức") == fold("Đức") == "duc"


@given(vietnamese_text)
def test_fold_ignores_whether_text_arrives_composed_or_decomposed(text: str) -> None:
    assert fold(nfd(text)) == fold(nfc(text))


@given(vietnamese_text)
def test_fold_of_vietnamese_text_is_plain_lowercase_ascii(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert fold(folded) == folded


@given(vietnamese_text)
def test_clean_is_idempotent_and_leaves_no_double_spaces(text: str) -> None:
    once = clean(text)
    assert clean(once) == once
    assert "  " not in once
    assert once == once.strip()


def test_mask_keeps_the_requested_ends() -> None:
    assert mask("abcdefgh", keep_start=2, keep_end=3) == "ab***fgh"
    assert mask("abcdefgh", keep_start=2, keep_end=0) == "ab******"


def test_mask_hides_everything_when_the_value_is_too_short_to_show_ends() -> None:
    assert mask("abc", keep_start=2, keep_end=2) == "***"


def test_mask_phone_shows_network_prefix_and_last_three_digits() -> None:
    assert mask_phone("0912345678") == "0912***678"
    assert mask_phone("0912.345.678") == "0912***678"


def test_mask_citizen_id_shows_four_then_two_digits() -> None:
    assert mask_citizen_id("001099012345") == "0010******45"


def test_mask_legacy_citizen_id_keeps_two_and_two() -> None:
    assert mask_citizen_id("123456789") == "12*****89"


@given(st.text(alphabet="0123456789", min_size=10, max_size=12))
def test_masked_numbers_keep_their_length_and_hide_the_middle(digits: str) -> None:
    masked = mask_citizen_id(digits)
    assert len(masked) == len(digits)
    assert "*" in masked
    assert digits not in masked


def test_mask_name_keeps_initials_and_given_name() -> None:
    assert mask_name("Nguyễn Văn Đức") == "N***** V** Đức"


def test_mask_name_of_a_single_word_keeps_only_its_initial() -> None:
    assert mask_name("Đức") == "Đ**"


def test_mask_name_of_an_empty_name_is_empty() -> None:
    assert mask_name("   ") == ""


def test_mask_name_composes_decomposed_input_before_masking() -> None:
    # Masking by characters on NFD text would count tone marks as letters.
    assert mask_name(nfd("Lê Thị Hồng")) == "L* T** Hồng"


# --- formats (kiosk.domain.formats): one way to write money, days and dates --------------------


def test_money_days_and_dates_are_written_one_way() -> None:
    from datetime import date, datetime

    from kiosk.clock import VN_TZ
    from kiosk.domain import formats

    assert formats.vnd(1234567) == "1.234.567 đồng"
    assert formats.fee(0) == "Không thu" and formats.fee(8000) == "8.000 đồng"
    assert [formats.weekday(date(2026, 3, d)) for d in (16, 22)] == ["Thứ Hai", "Chủ nhật"]
    assert formats.day_and_date(date(2026, 3, 22)) == "Chủ nhật, 22/03/2026"
    # Nghị định 30/2020: a leading zero for days below 10 and for January and February.
    assert (
        formats.long_date(datetime(2026, 2, 5, 23, 0, tzinfo=VN_TZ)) == "ngày 05 tháng 02 năm 2026"
    )
    assert formats.long_date(datetime(2026, 3, 16, tzinfo=VN_TZ)) == "ngày 16 tháng 3 năm 2026"
    # Given in another offset, the date is Vietnam's: 20:00 UTC on the 4th is the 5th here.
    utc = datetime.fromisoformat("2026-02-04T20:00:00+00:00")
    assert formats.long_date(utc) == "ngày 05 tháng 02 năm 2026"


def test_every_part_of_the_product_names_the_weekdays_the_same_way() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "kiosk"
    sources = [p for p in root.rglob("*") if p.suffix in {".py", ".js", ".html"}]
    spelled = [str(p.relative_to(root)) for p in sources if "Chủ Nhật" in p.read_text("utf-8")]
    assert spelled == []
