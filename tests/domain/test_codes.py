"""Dossier codes, ticket numbers and register numbers: formatted one way, parsed back exactly."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.codes import (
    DossierCodeParts,
    format_dossier_code,
    format_register_number,
    format_ticket_number,
    parse_dossier_code,
    parse_register_number,
    validate_ticket_prefix,
    validate_unit_code,
)
from kiosk.domain.errors import ValidationError

# ---------------------------------------------------------------------------------------------
# Unit codes


@pytest.mark.parametrize("code", ["000.00.21.H12", "H15.50.05.13", "G01", "UBND_PHUONG-1"])
def test_real_unit_codes_are_accepted_as_they_are(code: str) -> None:
    assert validate_unit_code(code) == code


def test_unit_codes_are_stored_in_upper_case_without_surrounding_space() -> None:
    assert validate_unit_code("  000.00.21.h12 ") == "000.00.21.H12"


def test_a_unit_code_of_35_characters_is_accepted_and_36_refused() -> None:
    assert validate_unit_code("A" * 35) == "A" * 35
    with pytest.raises(ValidationError, match="tối đa 35 ký tự"):
        validate_unit_code("A" * 36)


@pytest.mark.parametrize("code", ["", "   ", ".H12", "H12.", "H12-", "UBND PHUONG", "ĐH.01", "A/B"])
def test_malformed_unit_codes_are_refused(code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_unit_code(code)
    assert caught.value.field == "unit_code"


# ---------------------------------------------------------------------------------------------
# Dossier codes


def test_dossier_code_of_the_circular_example() -> None:
    assert format_dossier_code("000.00.21.H12", date(2021, 3, 15), 1) == (
        "000.00.21.H12-210315-0001"
    )


def test_dossier_sequence_grows_past_four_digits_when_needed() -> None:
    assert format_dossier_code("H15.50.05.13", date(2026, 1, 2), 9999).endswith("-9999")
    assert format_dossier_code("H15.50.05.13", date(2026, 1, 2), 10000).endswith("-10000")


def test_dossier_code_uses_the_stored_form_of_the_unit() -> None:
    assert format_dossier_code("h15.50.05.13", date(2026, 1, 2), 3) == "H15.50.05.13-260102-0003"


def test_dossier_code_refuses_a_zero_sequence_and_a_year_outside_two_digits() -> None:
    with pytest.raises(ValueError):
        format_dossier_code("H12", date(2026, 1, 2), 0)
    with pytest.raises(ValueError):
        format_dossier_code("H12", date(2100, 1, 1), 1)


def test_parsing_the_circular_example_gives_its_parts() -> None:
    assert parse_dossier_code("000.00.21.H12-210315-0001") == DossierCodeParts(
        "000.00.21.H12", date(2021, 3, 15), 1
    )


@pytest.mark.parametrize(
    "typed",
    [
        "000.00.21.h12-210315-0001",
        "  000.00.21.H12-210315-0001\n",
        "000.00.21.H12 - 210315 - 0001",
        "000.00.21.H12–210315–0001",
        "０００.００.２１.Ｈ１２-２１０３１５-０００１",
    ],
)
def test_codes_from_a_scanner_or_keyboard_are_understood(typed: str) -> None:
    assert parse_dossier_code(typed) == DossierCodeParts("000.00.21.H12", date(2021, 3, 15), 1)


def test_a_unit_code_with_dashes_is_split_from_the_right() -> None:
    code = format_dossier_code("UBND-P1-2026", date(2026, 8, 22), 42)
    assert code == "UBND-P1-2026-260822-0042"
    assert parse_dossier_code(code) == DossierCodeParts("UBND-P1-2026", date(2026, 8, 22), 42)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("000.00.21.H12", "cách nhau"),
        ("210315-0001", "cách nhau"),
        ("-210315-0001", "thiếu mã cơ quan"),
        ("H12-21031-0001", "6 chữ số"),
        ("H12-2103AB-0001", "6 chữ số"),
        ("H12-210230-0001", "ngày có thật"),
        ("H12-211315-0001", "ngày có thật"),
        ("H12-210315-001", "ít nhất 4 chữ số"),
        ("H12-210315-00A1", "ít nhất 4 chữ số"),
        ("H12-210315-0000", "không hợp lệ"),
        ("H12-210315-00001", "không hợp lệ"),
        ("H 12.Đ-210315-0001", "chữ cái không dấu"),
    ],
)
def test_malformed_dossier_codes_are_refused_with_an_example(typed: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        parse_dossier_code(typed)
    assert "000.00.21.H12-210315-0001" in caught.value.message
    assert caught.value.field == "dossier_code"


def test_an_empty_dossier_code_says_nothing_was_typed() -> None:
    with pytest.raises(ValidationError, match="Chưa nhập mã hồ sơ"):
        parse_dossier_code("  ")


UNIT_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
unit_codes = st.builds(
    lambda head, middle, tail: head + middle + tail,
    st.sampled_from(UNIT_CHARS),
    st.text(alphabet=UNIT_CHARS + "._-", max_size=33),
    st.sampled_from(UNIT_CHARS),
)
receipt_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
sequences = st.integers(min_value=1, max_value=10**7)


@given(unit_codes, receipt_dates, sequences)
def test_parse_undoes_format(unit: str, received_on: date, seq: int) -> None:
    code = format_dossier_code(unit, received_on, seq)
    assert parse_dossier_code(code) == DossierCodeParts(unit, received_on, seq)


@given(unit_codes, receipt_dates, sequences)
def test_parse_undoes_format_of_a_lower_case_scan(unit: str, received_on: date, seq: int) -> None:
    scanned = f"  {format_dossier_code(unit, received_on, seq).lower()} "
    assert parse_dossier_code(scanned) == DossierCodeParts(unit, received_on, seq)


@given(unit_codes, receipt_dates, sequences, sequences)
def test_different_sequences_never_share_a_code(
    unit: str, received_on: date, seq: int, other: int
) -> None:
    if seq != other:
        assert format_dossier_code(unit, received_on, seq) != format_dossier_code(
            unit, received_on, other
        )


# ---------------------------------------------------------------------------------------------
# Ticket numbers


@pytest.mark.parametrize(
    ("prefix", "seq", "width", "number"),
    [
        ("A", 7, 3, "A007"),
        ("", 1023, 4, "1023"),
        ("HT", 12, 3, "HT012"),
        ("B", 1000, 3, "B1000"),
        ("", 5, 1, "5"),
    ],
)
def test_ticket_numbers_are_prefix_and_padded_sequence(
    prefix: str, seq: int, width: int, number: str
) -> None:
    assert format_ticket_number(prefix, seq, width) == number


def test_ticket_width_defaults_to_three_digits() -> None:
    assert format_ticket_number("C", 1) == "C001"


def test_lower_case_ticket_prefixes_are_raised() -> None:
    assert validate_ticket_prefix(" hs ") == "HS"
    assert format_ticket_number("a", 7) == "A007"


@pytest.mark.parametrize("prefix", ["ABC", "Đ", "A1", "A-"])
def test_ticket_prefixes_are_at_most_two_plain_letters(prefix: str) -> None:
    with pytest.raises(ValidationError, match="tối đa 2 chữ cái"):
        format_ticket_number(prefix, 1)


def test_ticket_sequence_and_width_must_be_positive() -> None:
    with pytest.raises(ValueError):
        format_ticket_number("A", 0)
    with pytest.raises(ValueError):
        format_ticket_number("A", 1, 0)


@given(st.sampled_from(["", "A", "HT"]), st.integers(1, 10**6), st.integers(1, 6))
def test_ticket_number_ends_with_its_sequence_and_is_at_least_width_digits(
    prefix: str, seq: int, width: int
) -> None:
    number = format_ticket_number(prefix, seq, width)
    digits = number.removeprefix(prefix)
    assert int(digits) == seq
    assert len(digits) == max(width, len(str(seq)))


# ---------------------------------------------------------------------------------------------
# Register numbers (form 06)


def test_register_numbers_start_at_01_each_year() -> None:
    assert format_register_number(2026, 1) == "01/2026"
    assert format_register_number(2026, 123) == "123/2026"


def test_register_sequence_and_year_are_checked() -> None:
    with pytest.raises(ValueError):
        format_register_number(2026, 0)
    with pytest.raises(ValueError):
        format_register_number(26, 1)


@given(st.integers(1000, 9999), st.integers(1, 10**6))
def test_register_numbers_parse_back(year: int, seq: int) -> None:
    assert parse_register_number(format_register_number(year, seq)) == (year, seq)


@pytest.mark.parametrize("typed", ["1/2026", "001/2026", "00/2026", "01-2026", "01/26", ""])
def test_register_numbers_not_in_the_one_printed_form_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError, match="01/2026"):
        parse_register_number(typed)
