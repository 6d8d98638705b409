"""Citizen ID, phone, e-mail and name as typed at the counter: normalised or refused clearly."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.errors import InvalidCitizenId, InvalidEmail, InvalidPhone, ValidationError
from kiosk.domain.validation import (
    MOBILE_PREFIXES,
    PROVINCE_CODES,
    PROVINCE_NAMES,
    clean_person_name,
    normalise_email,
    normalise_phone,
    parse_citizen_id,
)

# ---------------------------------------------------------------------------------------------
# Citizen ID


def test_province_codes_are_the_63_provinces_of_circular_07_2016() -> None:
    assert len(PROVINCE_CODES) == 63
    assert {"001", "031", "048", "079", "092", "096"} <= PROVINCE_CODES
    # Codes the circular skips are not provinces.
    assert not {"000", "003", "005", "097", "099"} & PROVINCE_CODES
    assert PROVINCE_NAMES["079"] == "Hồ Chí Minh"


def test_a_citizen_id_of_a_man_born_in_1999_in_hanoi() -> None:
    cid = parse_citizen_id("001099012345")
    assert cid.number == "001099012345"
    assert not cid.legacy
    assert cid.province_code == "001"
    assert cid.province_name == "Hà Nội"
    assert cid.gender == "nam"
    assert cid.birth_century == 20
    assert cid.birth_year_2 == "99"
    assert cid.birth_year == 1999


def test_a_citizen_id_of_a_girl_born_in_2005_in_ho_chi_minh_city() -> None:
    cid = parse_citizen_id("079305123456")
    assert (cid.gender, cid.birth_century, cid.birth_year) == ("nữ", 21, 2005)


@pytest.mark.parametrize(
    ("digit", "gender", "first_year"),
    [
        ("0", "nam", 1900),
        ("1", "nữ", 1900),
        ("2", "nam", 2000),
        ("3", "nữ", 2000),
        ("4", "nam", 2100),
        ("5", "nữ", 2100),
        ("6", "nam", 2200),
        ("7", "nữ", 2200),
        ("8", "nam", 2300),
        ("9", "nữ", 2300),
    ],
)
def test_fourth_digit_gives_gender_and_century_as_in_the_circular(
    digit: str, gender: str, first_year: int
) -> None:
    cid = parse_citizen_id(f"001{digit}00000001")
    assert cid.gender == gender
    assert cid.birth_year == first_year


@pytest.mark.parametrize(
    "typed", ["001 099 012 345", "001.099.012.345", "001-099-012-345", " 0010990 12345\t"]
)
def test_spaces_dots_and_dashes_inside_a_citizen_id_are_removed(typed: str) -> None:
    assert parse_citizen_id(typed).number == "001099012345"


def test_citizen_id_with_eleven_digits_says_how_many_it_has() -> None:
    with pytest.raises(InvalidCitizenId) as caught:
        parse_citizen_id("00109901234")
    assert caught.value.message == "Số định danh cá nhân phải gồm đúng 12 chữ số (đang có 11)."
    assert caught.value.field == "citizen_id"


def test_citizen_id_with_a_letter_names_the_letter() -> None:
    with pytest.raises(InvalidCitizenId, match=r"chỉ được gồm chữ số.*'O'"):
        parse_citizen_id("0O1099012345")


def test_citizen_id_with_non_latin_digits_is_refused() -> None:
    # Arabic-Indic digits pass str.isdigit() but are not what the card shows.
    with pytest.raises(InvalidCitizenId, match="chữ số"):
        parse_citizen_id("٠٠١٠٩٩٠١٢٣٤٥")


def test_citizen_id_with_an_unknown_province_names_the_code() -> None:
    with pytest.raises(InvalidCitizenId, match=r"'003'.*mã tỉnh"):
        parse_citizen_id("003099012345")


def test_unknown_province_can_be_accepted_by_a_staff_override() -> None:
    cid = parse_citizen_id("003099012345", allow_unknown_province=True)
    assert cid.province_code == "003"
    assert cid.province_name is None


def test_empty_citizen_id_says_nothing_was_typed() -> None:
    with pytest.raises(InvalidCitizenId, match="Chưa nhập"):
        parse_citizen_id("  ")


def test_old_nine_digit_id_is_accepted_as_legacy_without_structure() -> None:
    cid = parse_citizen_id("123 456 789")
    assert cid.number == "123456789"
    assert cid.legacy
    assert (cid.province_code, cid.gender, cid.birth_century, cid.birth_year) == (
        None,
        None,
        None,
        None,
    )


def test_old_nine_digit_id_is_refused_where_legacy_is_not_allowed() -> None:
    with pytest.raises(InvalidCitizenId, match=r"9 chữ số.*lưu trữ"):
        parse_citizen_id("123456789", allow_legacy=False)


@given(
    province=st.sampled_from(sorted(PROVINCE_CODES)),
    digit=st.integers(0, 9),
    year=st.integers(0, 99),
    rest=st.integers(0, 999_999),
)
def test_every_well_formed_citizen_id_parses_back_to_its_parts(
    province: str, digit: int, year: int, rest: int
) -> None:
    number = f"{province}{digit}{year:02d}{rest:06d}"
    cid = parse_citizen_id(number)
    assert cid.number == number
    assert cid.province_code == province
    assert cid.birth_year is not None
    assert cid.birth_year % 100 == year
    assert 1900 + 100 * (digit // 2) <= cid.birth_year < 2000 + 100 * (digit // 2)
    assert cid.gender == ("nam" if digit % 2 == 0 else "nữ")


# ---------------------------------------------------------------------------------------------
# Phone


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "+84 912 345 678",
        "84912345678",
        "0912.345.678",
        "0912-345-678",
        "0912 345 678",
        "+84 (0) 912 345 678",
        "+840912345678",
        "0084 912 345 678",
        "(+84) 912-345-678",
        "912345678",
    ],
)
def test_every_usual_way_of_writing_a_mobile_number_gives_one_stored_form(typed: str) -> None:
    assert normalise_phone(typed) == "0912345678"


@pytest.mark.parametrize(
    "number",
    ["0321234567", "0389999999", "0523456789", "0559876543", "0701234567", "0797654321",
     "0812345678", "0861234567", "0871234567", "0889876543", "0901234567", "0991234567"],
)  # fmt: skip
def test_numbers_of_current_networks_are_accepted(number: str) -> None:
    assert normalise_phone(number) == number


def test_mobile_prefixes_cover_the_networks_and_leave_out_unassigned_ones() -> None:
    assert {"32", "39", "52", "56", "58", "59", "70", "79", "81", "89", "90", "99"} <= (
        MOBILE_PREFIXES
    )
    assert not {"30", "31", "50", "51", "71", "75", "80", "95"} & MOBILE_PREFIXES


@pytest.mark.parametrize("typed", ["024 3825 3456", "0283 822 1234", "+84 24 3825 3456"])
def test_landlines_are_refused_as_landlines(typed: str) -> None:
    with pytest.raises(InvalidPhone, match="máy bàn"):
        normalise_phone(typed)


@pytest.mark.parametrize("typed", ["1900 1234", "1800 588 888"])
def test_service_numbers_are_refused_as_such(typed: str) -> None:
    with pytest.raises(InvalidPhone, match="tổng đài"):
        normalise_phone(typed)


def test_an_old_eleven_digit_mobile_number_is_explained() -> None:
    with pytest.raises(InvalidPhone, match="2018"):
        normalise_phone("01689 123 456")


@pytest.mark.parametrize(("typed", "count"), [("091234567", 9), ("09123456789", 11)])
def test_wrong_length_mobile_numbers_say_how_many_digits_they_have(typed: str, count: int) -> None:
    with pytest.raises(InvalidPhone, match=f"10 chữ số.*đang có {count}"):
        normalise_phone(typed)


def test_an_unassigned_mobile_prefix_is_named() -> None:
    with pytest.raises(InvalidPhone, match="'095'"):
        normalise_phone("0951234567")


def test_a_foreign_number_is_refused() -> None:
    with pytest.raises(InvalidPhone, match=r"\+84"):
        normalise_phone("+33 6 12 34 56 78")


def test_letters_in_a_phone_number_are_named() -> None:
    with pytest.raises(InvalidPhone, match="'O'"):
        normalise_phone("09123456O8")


def test_empty_phone_says_nothing_was_typed() -> None:
    with pytest.raises(InvalidPhone, match="Chưa nhập"):
        normalise_phone("")


@given(prefix=st.sampled_from(sorted(MOBILE_PREFIXES)), rest=st.integers(0, 9_999_999))
def test_national_and_international_forms_of_a_mobile_number_agree(prefix: str, rest: int) -> None:
    subscriber = f"{prefix}{rest:07d}"
    stored = normalise_phone("0" + subscriber)
    assert stored == "0" + subscriber
    assert normalise_phone("+84" + subscriber) == stored
    assert normalise_phone("84" + subscriber) == stored
    assert normalise_phone(f"0{subscriber[:3]}.{subscriber[3:6]}.{subscriber[6:]}") == stored


# ---------------------------------------------------------------------------------------------
# E-mail


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("nguyen.van.a@gmail.com", "nguyen.van.a@gmail.com"),
        ("  Ng.VanA@Example.COM.VN ", "Ng.VanA@example.com.vn"),
        ("a+ubnd@phuong-1.hcm.gov.vn", "a+ubnd@phuong-1.hcm.gov.vn"),
    ],
)
def test_valid_emails_keep_the_local_part_and_lower_the_domain(typed: str, stored: str) -> None:
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "Chưa nhập"),
        ("nguyen van a@gmail.com", "dấu cách"),
        ("nguyen.gmail.com", "một dấu @"),
        ("a@b@gmail.com", "một dấu @"),
        ("@gmail.com", "trước dấu @"),
        ("a..b@gmail.com", "dấu chấm sai chỗ"),
        (".a@gmail.com", "dấu chấm sai chỗ"),
        ("nguyễn@gmail.com", "ký tự không được phép"),
        ("a@localhost", "phải có dấu chấm"),
        ("a@gmail..com", "không đúng dạng"),
        ("a@-gmail.com", "không đúng dạng"),
        ("a@gmail.c", "ít nhất 2 chữ cái"),
        ("a@gmail.c0m", "ít nhất 2 chữ cái"),
        ("a" * 65 + "@gmail.com", "64"),
        ("a@" + "b" * 250 + ".com", "254"),
    ],
)
def test_invalid_emails_are_refused_with_the_reason(typed: str, reason: str) -> None:
    with pytest.raises(InvalidEmail, match=reason) as caught:
        normalise_email(typed)
    assert caught.value.field == "email"


# ---------------------------------------------------------------------------------------------
# Name


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("nguyễn văn đức", "Nguyễn Văn Đức"),
        ("  NGUYỄN   THỊ  ÁNH\tTUYẾT ", "Nguyễn Thị Ánh Tuyết"),
        ("đặng ngọc ước", "Đặng Ngọc Ước"),
        ("h'hen niê", "H'Hen Niê"),
        ("ksor h’bia", "Ksor H'Bia"),
        ("y-moan ênuôl", "Y-Moan Ênuôl"),
    ],
)
def test_names_are_cleaned_and_capitalised_word_by_word(typed: str, stored: str) -> None:
    assert clean_person_name(typed) == stored


def test_a_name_typed_with_combining_marks_is_stored_composed() -> None:
    stored = clean_person_name(unicodedata.normalize("NFD", "lê thị hồng"))
    assert stored == "Lê Thị Hồng"
    assert unicodedata.is_normalized("NFC", stored)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("   ", "Chưa nhập"),
        ("Nguyễn Văn 2", "chữ số"),
        ("Nguyễn Văn A.", "'\\.'"),
        ("Trần @ Bình", "'@'"),
        ("Nguyễn -Văn", "giữa hai chữ cái"),
        ("Lê'", "giữa hai chữ cái"),
        ("Văn " * 30, "100 ký tự"),
    ],
)
def test_unacceptable_names_are_refused_with_the_reason(typed: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        clean_person_name(typed)
    assert caught.value.field == "name"


def test_a_name_of_exactly_one_hundred_characters_is_accepted() -> None:
    name = " ".join(["Nguyễn"] * 14) + " Ab"  # 14 × 7 - 1 + 3 = 100
    assert len(name) == 100
    assert clean_person_name(name) == name


@given(
    st.lists(
        st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậ", min_size=1, max_size=7),
        min_size=1,
        max_size=5,
    )
)
def test_cleaning_a_name_twice_changes_nothing(words: list[str]) -> None:
    once = clean_person_name(" ".join(words))
    assert clean_person_name(once) == once
    assert all(word[0].isupper() for word in once.split(" "))
