"""Catalogue import (CSV, JSON) and export: every error located, nothing half-imported."""

from __future__ import annotations

import json
import unicodedata
from datetime import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.catalogue import (
    Catalogue,
    CopyKind,
    Duration,
    DurationUnit,
    Field,
    Procedure,
    RequiredDocument,
)
from kiosk.domain.catalogue_io import (
    catalogue_to_json,
    field_code_for,
    infer_document,
    parse_catalogue_csv,
    parse_catalogue_json,
)
from kiosk.domain.catalogue_json import _decode_located
from kiosk.domain.errors import CatalogueError, ImportProblem
from kiosk.domain.text import clean

FACTS_CSV = (
    Path(__file__).resolve().parents[2]
    / "assets"
    / "catalogue"
    / "sources"
    / "procedures-facts.csv"
)

HEADER = (
    "code,name,field,duration_value,duration_unit,same_day_cutoff,"
    "fee_counter_vnd,fee_online_vnd,fee_note,documents,processing_unit,source"
)


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def problems_of(text: str, parse: object = parse_catalogue_csv) -> list[ImportProblem]:
    assert callable(parse)
    with pytest.raises(CatalogueError) as caught:
        parse(text)
    assert caught.value.problems, "a CatalogueError must say what is wrong"
    return caught.value.problems


def locations(problems: list[ImportProblem]) -> list[tuple[int, str]]:
    return [(p.line, p.column) for p in problems]


GOOD_ROW = "1.001193,Đăng ký khai sinh,Hộ tịch,0,ngày làm việc,15:00,0,,,Tờ khai,UBND xã,DVCQG"


# --- CSV: reading ----------------------------------------------------------------------------


def test_csv_row_becomes_a_procedure_with_every_column() -> None:
    text = csv_text(
        "2.000635,Cấp bản sao trích lục,Hộ tịch,1,working_day,,8.000,0,TT 281/2016,"
        '"Tờ khai [original]; Giấy ủy quyền [certified, photocopy, x2, optional]",'
        "UBND xã,DVCQG | Hải Phòng"
    )
    catalogue = parse_catalogue_csv(text)
    assert catalogue.fields == (Field(code="ho-tich", name="Hộ tịch"),)
    (procedure,) = catalogue.procedures
    assert procedure == Procedure(
        code="2.000635",
        name="Cấp bản sao trích lục",
        field_code="ho-tich",
        duration=Duration(1, DurationUnit.WORKING_DAY),
        same_day_cutoff=None,
        fee_counter=8000,
        fee_online=0,
        fee_by_province=False,
        fee_note="TT 281/2016",
        documents=(
            RequiredDocument("Tờ khai", (CopyKind.ORIGINAL,)),
            RequiredDocument(
                "Giấy ủy quyền", (CopyKind.CERTIFIED, CopyKind.PHOTOCOPY), count=2, optional=True
            ),
        ),
        processing_unit="UBND xã",
        source="DVCQG | Hải Phòng",
    )


@pytest.mark.parametrize(
    ("unit_text", "unit"),
    [
        ("working_day", DurationUnit.WORKING_DAY),
        ("ngày làm việc", DurationUnit.WORKING_DAY),
        ("Ngày làm việc", DurationUnit.WORKING_DAY),
        ("working_hour", DurationUnit.WORKING_HOUR),
        ("giờ làm việc", DurationUnit.WORKING_HOUR),
        ("calendar_day", DurationUnit.CALENDAR_DAY),
        ("ngày", DurationUnit.CALENDAR_DAY),
    ],
)
def test_duration_units_in_english_or_vietnamese(unit_text: str, unit: DurationUnit) -> None:
    text = csv_text(f"1.0,Thủ tục,Hộ tịch,5,{unit_text},,0,,,,,")
    assert parse_catalogue_csv(text).procedures[0].duration == Duration(5, unit)


def test_empty_duration_value_means_no_fixed_limit_with_the_unit_cell_as_note() -> None:
    text = csv_text("1.011606,Công nhận hộ nghèo,Giảm nghèo,,theo kế hoạch rà soát,,0,,,,,")
    procedure = parse_catalogue_csv(text).procedures[0]
    assert procedure.duration is None
    assert procedure.duration_note == "theo kế hoạch rà soát"


def test_empty_counter_fee_means_set_by_the_province() -> None:
    text = csv_text("1.001612,Đăng ký hộ kinh doanh,Hộ kinh doanh,3,ngày làm việc,,,,NQ HĐND,,,")
    procedure = parse_catalogue_csv(text).procedures[0]
    assert procedure.fee_by_province
    assert procedure.fee_counter is None
    assert procedure.fee_note == "NQ HĐND"


def test_explicit_fee_by_province_column_wins_over_the_derivation() -> None:
    header = "code,name,field,duration_value,duration_unit,fee_counter_vnd,fee_by_province"
    text = csv_text(
        "1.1,Không thu phí cố định,Văn hóa,15,ngày,,false",
        "1.2,Tỉnh quy định có mức,Văn hóa,15,ngày,8000,true",
        header=header,
    )
    first, second = parse_catalogue_csv(text).procedures
    assert (first.fee_by_province, first.fee_counter) == (False, None)
    assert (second.fee_by_province, second.fee_counter) == (True, 8000)


def test_field_code_column_is_used_when_given() -> None:
    header = "code,name,field,field_code,duration_value,duration_unit"
    text = csv_text("1.1,Thủ tục,Hộ tịch,HT,1,ngày làm việc", header=header)
    catalogue = parse_catalogue_csv(text)
    assert catalogue.fields == (Field("HT", "Hộ tịch"),)
    assert catalogue.procedures[0].field_code == "HT"


def test_field_code_is_a_stable_slug_of_the_folded_name() -> None:
    assert field_code_for("Hộ tịch") == "ho-tich"
    assert field_code_for("Đăng ký, quản lý cư trú") == "dang-ky-quan-ly-cu-tru"
    assert field_code_for(unicodedata.normalize("NFD", "Đất  đai")) == "dat-dai"


def test_fields_keep_the_order_of_first_appearance_and_are_not_repeated() -> None:
    text = csv_text(
        "1.1,A,Hộ tịch,1,ngày làm việc,,0,,,,,",
        "1.2,B,Chứng thực,1,ngày làm việc,,0,,,,,",
        "1.3,C,Hộ tịch,1,ngày làm việc,,0,,,,,",
    )
    assert [f.name for f in parse_catalogue_csv(text).fields] == ["Hộ tịch", "Chứng thực"]


def test_unknown_columns_are_kept_in_extra() -> None:
    header = "code,name,field,duration_value,duration_unit,confidence"
    text = csv_text("1.1,A,Hộ tịch,1,ngày làm việc,secondary", header=header)
    assert parse_catalogue_csv(text).procedures[0].extra == {"confidence": "secondary"}


def test_multi_line_quoted_cells_are_read_whole() -> None:
    text = csv_text(
        '1.1,A,Hộ tịch,1,ngày làm việc,,0,,,"Tờ khai [original]\nBản sao sổ hộ khẩu\n'
        'Giấy chứng sinh",,',
    )
    documents = parse_catalogue_csv(text).procedures[0].documents
    assert [d.name for d in documents] == ["Tờ khai", "Bản sao sổ hộ khẩu", "Giấy chứng sinh"]


def test_nfd_input_is_stored_as_nfc() -> None:
    text = unicodedata.normalize("NFD", csv_text("1.1,Đăng ký khai tử,Hộ tịch,1,ngày,,0,,,,,"))
    catalogue = parse_catalogue_csv(text)
    name = catalogue.procedures[0].name
    assert name == unicodedata.normalize("NFC", "Đăng ký khai tử")
    assert unicodedata.is_normalized("NFC", name)
    assert catalogue.fields == (Field("ho-tich", unicodedata.normalize("NFC", "Hộ tịch")),)
    assert catalogue.procedures[0].duration == Duration(1, DurationUnit.CALENDAR_DAY)


def test_semicolon_separated_file_with_bom_is_accepted() -> None:
    text = "\ufeffcode;name;field;duration_value;duration_unit\n1.1;A, B;Hộ tịch;2;ngày làm việc\n"
    procedure = parse_catalogue_csv(text).procedures[0]
    assert (procedure.code, procedure.name) == ("1.1", "A, B")


def test_whitespace_is_cleaned() -> None:
    text = csv_text(" 1.1 ,  Đăng   ký\tkhai sinh ,Hộ tịch,1,ngày làm việc,,0,,,,,")
    procedure = parse_catalogue_csv(text).procedures[0]
    assert (procedure.code, procedure.name) == ("1.1", "Đăng ký khai sinh")


def test_same_day_text_with_one_working_day_is_a_same_day_procedure() -> None:
    cut_off = "15:00 – trả trong ngày, hồ sơ nhận sau 15 giờ trả trong ngày làm việc tiếp theo"
    text = csv_text(f'1.1,Khai sinh,Hộ tịch,1,ngày làm việc,"{cut_off}",0,,,,,')
    procedure = parse_catalogue_csv(text).procedures[0]
    assert procedure.duration == Duration(0, DurationUnit.WORKING_DAY)
    assert procedure.same_day_cutoff == time(15, 0)
    assert "trả trong ngày" in procedure.duration_note


def test_cut_off_that_applies_only_to_a_sub_case_keeps_the_time_limit() -> None:
    cut_off = "15:00 – chỉ áp dụng cho bổ sung thông tin hộ tịch (trả trong ngày)"
    text = csv_text(f'1.1,Cải chính,Hộ tịch,3,ngày làm việc,"{cut_off}",,,,,,')
    procedure = parse_catalogue_csv(text).procedures[0]
    assert procedure.duration == Duration(3, DurationUnit.WORKING_DAY)
    assert procedure.same_day_cutoff == time(15, 0)


def test_plain_cut_off_time_keeps_the_written_time_limit() -> None:
    text = csv_text("1.1,A,Hộ tịch,1,ngày làm việc,15:00,0,,,,,")
    procedure = parse_catalogue_csv(text).procedures[0]
    assert procedure.duration == Duration(1, DurationUnit.WORKING_DAY)
    assert procedure.same_day_cutoff == time(15, 0)


# --- documents --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kinds", "optional"),
    [
        ("Tờ khai đăng ký khai sinh theo mẫu", (CopyKind.ORIGINAL,), False),
        ("Tờ khai cấp bản sao trích lục", (CopyKind.ORIGINAL,), False),
        ("Bản sao Giấy chứng tử", (CopyKind.CERTIFIED, CopyKind.PHOTOCOPY), False),
        ("Bản sao chứng thực Bằng 'Tổ quốc ghi công'", (CopyKind.CERTIFIED,), False),
        (
            "Xuất trình giấy tờ tùy thân (Hộ chiếu/bản sao Thẻ căn cước)",
            (CopyKind.ORIGINAL,),
            False,
        ),
        (
            "Bản chính hoặc bản sao có chứng thực giấy chứng nhận",
            (CopyKind.ORIGINAL, CopyKind.CERTIFIED),
            False,
        ),
        ("Các giấy tờ liên quan (bản phô tô)", (CopyKind.PHOTOCOPY,), False),
        ("Bản sao cần chứng thực có đủ các trang của bản chính", (CopyKind.PHOTOCOPY,), False),
        (
            "Bản sao giấy chứng nhận và xuất trình bản chính để đối chiếu",
            (CopyKind.ORIGINAL, CopyKind.CERTIFIED, CopyKind.PHOTOCOPY),
            False,
        ),
        ("Văn bản ủy quyền (nếu có)", (CopyKind.ORIGINAL,), True),
        ("Biên bản về việc trẻ bị bỏ rơi (trường hợp trẻ bị bỏ rơi)", (CopyKind.ORIGINAL,), True),
        (
            "Giấy tờ chứng minh nơi cư trú (chỉ khi không khai thác được)",
            (CopyKind.ORIGINAL,),
            True,
        ),
    ],
)
def test_copy_kinds_are_inferred_from_the_wording(
    text: str, kinds: tuple[CopyKind, ...], optional: bool
) -> None:
    document = infer_document(text)
    assert document.copy_kinds == kinds
    assert document.optional is optional
    assert document.name == text


def test_leading_number_of_sets_becomes_the_count() -> None:
    assert infer_document("02 bộ bản vẽ thiết kế").count == 2


def test_vietnamese_bracket_tokens_are_accepted() -> None:
    text = csv_text('1.1,A,Hộ tịch,1,ngày,,0,,,"Sổ hộ khẩu [bản chính, bản chụp, 2 bản]",,')
    (document,) = parse_catalogue_csv(text).procedures[0].documents
    assert document == RequiredDocument(
        "Sổ hộ khẩu", (CopyKind.ORIGINAL, CopyKind.PHOTOCOPY), count=2
    )


# --- CSV: errors, each at its line and column ------------------------------------------------


def test_missing_required_columns_are_reported_on_the_header_line() -> None:
    text = "code,name,duration_value\n1.1,A,1\n"
    assert locations(problems_of(text)) == [(1, "field"), (1, "duration_unit")]


def test_empty_code_name_and_field_are_reported_at_their_line() -> None:
    text = csv_text(GOOD_ROW, ",Thiếu mã,Hộ tịch,1,ngày,,0,,,,,", "1.2,,,1,ngày,,0,,,,,")
    assert locations(problems_of(text)) == [(3, "code"), (4, "name"), (4, "field")]


def test_duplicate_code_is_reported_at_the_second_line_naming_the_first() -> None:
    text = csv_text(GOOD_ROW, "1.000656,Khai tử,Hộ tịch,1,ngày,,0,,,,,", GOOD_ROW)
    (problem,) = problems_of(text)
    assert (problem.line, problem.column) == (4, "code")
    assert "dòng 2" in problem.message


@pytest.mark.parametrize("fee", ["8000.5", "tám nghìn", "-5000", "1,5"])
def test_bad_fee_is_reported(fee: str) -> None:
    text = csv_text(GOOD_ROW.replace("1.001193", "1.2"), f'1.1,A,Hộ tịch,1,ngày,,"{fee}",,,,,')
    assert locations(problems_of(text)) == [(3, "fee_counter_vnd")]


def test_negative_online_fee_says_it_must_not_be_negative() -> None:
    (problem,) = problems_of(csv_text("1.1,A,Hộ tịch,1,ngày,,0,-2000,,,,"))
    assert (problem.line, problem.column) == (2, "fee_online_vnd")
    assert "âm" in problem.message


def test_bad_unit_is_reported() -> None:
    text = csv_text(GOOD_ROW, "1.1,A,Hộ tịch,3,tuần,,0,,,,,")
    assert locations(problems_of(text)) == [(3, "duration_unit")]


@pytest.mark.parametrize("value", ["3.5", "-1", "ba"])
def test_bad_duration_value_is_reported(value: str) -> None:
    text = csv_text(f"1.1,A,Hộ tịch,{value},ngày làm việc,,0,,,,,")
    assert locations(problems_of(text)) == [(2, "duration_value")]


@pytest.mark.parametrize("cut_off", ["25:00", "3 giờ chiều", "15:75"])
def test_bad_cut_off_time_is_reported(cut_off: str) -> None:
    text = csv_text(f"1.1,A,Hộ tịch,0,ngày làm việc,{cut_off},0,,,,,")
    assert locations(problems_of(text)) == [(2, "same_day_cutoff")]


def test_unknown_bracket_token_in_documents_is_reported() -> None:
    text = csv_text('1.1,A,Hộ tịch,1,ngày,,0,,,"Tờ khai [bản gốc xịn]",,')
    (problem,) = problems_of(text)
    assert (problem.line, problem.column) == (2, "documents")
    assert "bản gốc xịn" in problem.message


def test_line_numbers_count_physical_lines_after_a_multi_line_cell() -> None:
    text = csv_text(
        '1.1,A,Hộ tịch,1,ngày,,0,,,"Tờ khai\nGiấy chứng sinh\nSổ hộ khẩu",,',
        "1.2,B,Hộ tịch,1,ngày,,abc,,,,,",
    )
    # The first record spans lines 2–4, so the bad fee is on line 5.
    assert locations(problems_of(text)) == [(5, "fee_counter_vnd")]


def test_error_in_a_multi_line_record_is_reported_at_the_line_it_starts_on() -> None:
    text = csv_text(
        GOOD_ROW,
        '1.1,A,Hộ tịch,1,ngày,,abc,,,"Tờ khai\nGiấy chứng sinh\nSổ hộ khẩu",,',
        "1.2,B,Hộ tịch,1,tuần,,0,,,,,",
    )
    assert locations(problems_of(text)) == [(3, "fee_counter_vnd"), (6, "duration_unit")]


def test_every_error_is_collected_and_nothing_is_imported() -> None:
    text = csv_text(
        GOOD_ROW,
        "1.2,B,Hộ tịch,x,ngày,,0,,,,,",
        "1.3,C,Hộ tịch,1,ngày,,0,,,,,",
        "1.4,D,Hộ tịch,1,ngày,,-1,,,,,",
        GOOD_ROW,
    )
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue_csv(text)
    assert locations(caught.value.problems) == [
        (3, "duration_value"),
        (5, "fee_counter_vnd"),
        (6, "code"),
    ]
    assert "dòng 3, cột duration_value" in str(caught.value)


def test_row_with_more_cells_than_the_header_is_reported() -> None:
    text = csv_text(GOOD_ROW + ",thừa")
    assert locations(problems_of(text)) == [(2, "")]


def test_unterminated_quote_is_reported_at_the_record_start() -> None:
    text = csv_text(GOOD_ROW, '1.2,"B chưa đóng,Hộ tịch,1,ngày,,0,,,,,')
    assert [p.line for p in problems_of(text)] == [3]


def test_field_code_used_for_two_field_names_is_reported() -> None:
    header = "code,name,field,field_code,duration_value,duration_unit"
    text = csv_text("1.1,A,Hộ tịch,HT,1,ngày", "1.2,B,Chứng thực,HT,1,ngày", header=header)
    (problem,) = problems_of(text)
    assert (problem.line, problem.column) == (3, "field_code")


def test_empty_file_and_header_only_file_are_refused() -> None:
    assert [p.line for p in problems_of("")] == [1]
    assert [p.line for p in problems_of(HEADER + "\n")] == [1]


# --- the research file ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def facts_catalogue() -> Catalogue:
    return parse_catalogue_csv(FACTS_CSV.read_text(encoding="utf-8"))


def test_procedures_facts_csv_imports_with_67_procedures(facts_catalogue: Catalogue) -> None:
    assert len(facts_catalogue.procedures) == 67
    assert len(facts_catalogue.fields) == 14
    birth = facts_catalogue.procedure("1.001193")
    assert birth is not None
    assert birth.duration == Duration(0, DurationUnit.WORKING_DAY)
    assert birth.same_day_cutoff == time(15, 0)
    assert birth.processing_unit == "Ủy ban nhân dân cấp xã"
    assert birth.extra["confidence"] == "confirmed"
    assert "dichvucong.gov.vn" in birth.source
    residence = facts_catalogue.procedure("1.004222")
    assert residence is not None
    assert residence.fee_counter == 20000
    assert residence.duration == Duration(7, DurationUnit.WORKING_DAY)
    mediation = facts_catalogue.procedure("1.012812")
    assert mediation is not None
    assert mediation.duration == Duration(30, DurationUnit.CALENDAR_DAY)


# --- JSON -------------------------------------------------------------------------------------


def small_catalogue() -> Catalogue:
    return Catalogue(
        fields=(Field("ho-tich", "Hộ tịch"), Field("chung-thuc", "Chứng thực")),
        procedures=(
            Procedure(
                code="1.001193",
                name="Đăng ký khai sinh",
                field_code="ho-tich",
                duration=Duration(0),
                same_day_cutoff=time(15, 0),
                documents=(
                    RequiredDocument("Tờ khai"),
                    RequiredDocument(
                        "Bản sao CCCD", (CopyKind.CERTIFIED, CopyKind.PHOTOCOPY), 2, True
                    ),
                ),
                extra={"confidence": "confirmed"},
            ),
            Procedure(
                code="2.000815",
                name="Chứng thực bản sao",
                field_code="chung-thuc",
                duration=None,
                duration_note="không quy định",
                fee_counter=None,
                fee_online=0,
                fee_by_province=True,
                fee_note="NQ HĐND tỉnh",
            ),
        ),
    )


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle` in the test's own input."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the test input")


def test_json_round_trips_exactly() -> None:
    catalogue = small_catalogue()
    text = catalogue_to_json(catalogue)
    again = parse_catalogue_json(text)
    assert again == catalogue
    assert [p.extra for p in again.procedures] == [p.extra for p in catalogue.procedures]
    assert catalogue_to_json(again) == text


def test_facts_catalogue_round_trips_through_json(facts_catalogue: Catalogue) -> None:
    text = catalogue_to_json(facts_catalogue)
    again = parse_catalogue_json(text)
    assert again == facts_catalogue
    assert [p.extra for p in again.procedures] == [p.extra for p in facts_catalogue.procedures]


def test_json_is_readable_utf8_not_escaped() -> None:
    assert "Đăng ký khai sinh" in catalogue_to_json(small_catalogue())


def test_bad_json_syntax_is_reported_with_line_and_column() -> None:
    text = '{\n  "fields": [],\n  "procedures": [,]\n}\n'
    expected = json.JSONDecodeError("", text, text.index("[,") + 1)
    (problem,) = problems_of(text, parse_catalogue_json)
    assert (problem.line, problem.column) == (3, str(expected.colno))


def test_json_top_level_must_be_an_object() -> None:
    assert locations(problems_of("[]", parse_catalogue_json)) == [(1, "")]


def test_json_wrong_types_are_reported_at_the_line_of_the_value() -> None:
    text = catalogue_to_json(small_catalogue())
    text = text.replace('"fee_online_vnd": 0', '"fee_online_vnd": "0"')
    text = text.replace('"fee_by_province": false', '"fee_by_province": "không"', 1)
    problems = problems_of(text, parse_catalogue_json)
    assert locations(problems) == [
        (line_of(text, '"fee_by_province": "không"'), "fee_by_province"),
        (line_of(text, '"fee_online_vnd": "0"'), "fee_online_vnd"),
    ]


def test_json_boolean_is_not_a_fee() -> None:
    text = catalogue_to_json(small_catalogue()).replace(
        '"fee_counter_vnd": 0', '"fee_counter_vnd": true'
    )
    assert locations(problems_of(text, parse_catalogue_json)) == [
        (line_of(text, '"fee_counter_vnd": true'), "fee_counter_vnd")
    ]


def test_json_negative_fee_and_duration_are_reported() -> None:
    text = catalogue_to_json(small_catalogue())
    text = text.replace('"fee_counter_vnd": 0', '"fee_counter_vnd": -1')
    text = text.replace('"value": 0', '"value": -2')
    assert locations(problems_of(text, parse_catalogue_json)) == [
        (line_of(text, '"value": -2'), "value"),
        (line_of(text, '"fee_counter_vnd": -1'), "fee_counter_vnd"),
    ]


def test_json_unknown_copy_kind_and_unit_are_reported() -> None:
    text = catalogue_to_json(small_catalogue())
    text = text.replace('"certified",', '"notarised",')
    text = text.replace('"unit": "working_day"', '"unit": "weeks"')
    assert locations(problems_of(text, parse_catalogue_json)) == [
        (line_of(text, '"weeks"'), "unit"),
        (line_of(text, '"notarised"'), "documents[2].copy_kinds"),
    ]


def test_json_unknown_key_missing_duration_and_unknown_field_are_reported() -> None:
    data = json.loads(catalogue_to_json(small_catalogue()))
    first = data["procedures"][0]
    del first["duration"]
    first["fee_conter_vnd"] = 5
    data["procedures"][1]["field_code"] = "dat-dai"
    text = json.dumps(data, ensure_ascii=False, indent=2)
    problems = problems_of(text, parse_catalogue_json)
    assert locations(problems) == [
        (line_of(text, '"fee_conter_vnd"'), "fee_conter_vnd"),
        (line_of(text, '"code": "1.001193"') - 1, "duration"),
        (line_of(text, '"dat-dai"'), "field_code"),
    ]


def test_json_duplicate_procedure_code_is_reported() -> None:
    data = json.loads(catalogue_to_json(small_catalogue()))
    data["procedures"][1]["code"] = "1.001193"
    text = json.dumps(data, ensure_ascii=False, indent=2)
    lines = [i for i, line in enumerate(text.splitlines(), 1) if '"1.001193"' in line]
    assert locations(problems_of(text, parse_catalogue_json)) == [(lines[1], "code")]


def test_json_newer_version_is_refused() -> None:
    text = catalogue_to_json(small_catalogue()).replace('"version": 1', '"version": 2')
    assert locations(problems_of(text, parse_catalogue_json)) == [(3, "version")]


def test_json_text_is_cleaned_to_nfc() -> None:
    text = unicodedata.normalize("NFD", catalogue_to_json(small_catalogue()))
    assert parse_catalogue_json(text) == small_catalogue()


# --- round trip property ----------------------------------------------------------------------

words = st.text(
    alphabet=st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạềểễếệỳỷỹýỵ ĐÂ0123456789-.,()/"),
    min_size=1,
    max_size=20,
).map(clean)
names = words.filter(bool)
maybe_fee = st.none() | st.integers(0, 5_000_000)
documents = st.builds(
    RequiredDocument,
    names,
    st.lists(st.sampled_from(list(CopyKind)), min_size=1, max_size=3, unique=True).map(
        lambda kinds: tuple(k for k in CopyKind if k in kinds)
    ),
    st.integers(1, 5),
    st.booleans(),
)


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue:
    field_names = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    fields = tuple(Field(f"f{i}", name) for i, name in enumerate(field_names))
    codes = draw(
        st.lists(
            st.from_regex(r"[12]\.0[0-9]{5}", fullmatch=True), min_size=1, max_size=6, unique=True
        )
    )
    procedures = tuple(
        Procedure(
            code=code,
            name=draw(names),
            field_code=draw(st.sampled_from(fields)).code,
            duration=draw(
                st.none() | st.builds(Duration, st.integers(0, 60), st.sampled_from(DurationUnit))
            ),
            same_day_cutoff=draw(
                st.none() | st.builds(time, st.integers(0, 23), st.integers(0, 59))
            ),
            fee_counter=draw(maybe_fee),
            fee_online=draw(maybe_fee),
            fee_by_province=draw(st.booleans()),
            fee_note=draw(words),
            documents=tuple(draw(st.lists(documents, max_size=4))),
            processing_unit=draw(words),
            source=draw(words),
            duration_note=draw(words),
            extra=draw(st.dictionaries(st.sampled_from(["confidence", "note"]), words)),
        )
        for code in codes
    )
    return Catalogue(fields=fields, procedures=procedures)


@given(catalogues())
def test_any_catalogue_round_trips_through_json(catalogue: Catalogue) -> None:
    again = parse_catalogue_json(catalogue_to_json(catalogue))
    assert again == catalogue
    assert [p.extra for p in again.procedures] == [p.extra for p in catalogue.procedures]


# --- the located JSON reader ----------------------------------------------------------------

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@given(_JSON_VALUES, st.sampled_from([None, 0, 1, 2, "\t"]))
def test_the_located_reader_reads_what_json_reads(value: object, indent: int | str | None) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    assert _decode_located(text) == json.loads(text)


@given(st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.integers(), min_size=1))
def test_each_key_knows_the_line_of_its_value(document: dict[str, int]) -> None:
    text = json.dumps(document, indent=2)  # '{' on line 1, then one key per line
    located = _decode_located(text)
    assert located.line == 1
    assert located.key_lines == {key: line for line, key in enumerate(document, start=2)}


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [('{"a": 1,}', 1, 9), ("[1 2]", 1, 4), ('{\n  "a":\n  [1,\n  }', 4, 3), ("[1]x", 1, 4)],
)
def test_broken_json_is_refused_with_its_line_and_column(text: str, line: int, column: int) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue_json(text)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (line, str(column))
    assert problem.message.startswith("JSON sai cú pháp")
