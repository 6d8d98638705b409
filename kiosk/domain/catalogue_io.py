"""Catalogue import and export: CSV or JSON text ↔ `Catalogue` (pure; files are read elsewhere).

An import either returns a complete `Catalogue` or raises one `CatalogueError` whose `problems`
list every error found, each with its line (1-based, the header is line 1) and column; nothing is
ever half-imported. All text is cleaned to NFC with single spaces. The full description with
examples is docs/catalogue-format.md; in short:

CSV (UTF-8, header row, comma- or semicolon-separated, RFC 4180 quoting; a record's line is the
line it starts on, even when a quoted cell spans several lines):
- required columns: code, name, field, duration_value, duration_unit;
- optional: field_code (default: a slug of the folded field name, "Hộ tịch" → "ho-tich"),
  duration_note, same_day_cutoff (HH:MM, or a text starting with HH:MM), fee_counter_vnd,
  fee_online_vnd (integer VND, empty = not fixed), fee_by_province (true/false; empty = true
  when fee_counter_vnd is empty), fee_note, documents, processing_unit (alias: authority),
  source; any other column is kept in `Procedure.extra`;
- duration_unit: working_day | working_hour | calendar_day, or the Vietnamese "ngày làm việc" |
  "giờ làm việc" | "ngày"; an empty duration_value means no fixed time limit (duration None) and
  the unit cell, if any, becomes the duration note;
- documents: separated by ";" or line breaks; each may end with a bracket of comma-separated
  tokens: copy kinds (original / certified / photocopy, or "bản chính" / "bản sao chứng thực" /
  "bản chụp"), a count ("x2" or "2 bản") and "optional" ("không bắt buộc"), e.g.
  "Giấy chứng sinh [original]" or "Ảnh 4x6 [original, x2]". Without a bracket the kinds are
  inferred from the wording (see `infer_document`).

The columns of the research file procedures-facts.csv are accepted as they are (extra columns
such as `confidence` go to `extra`). Its convention for same-day procedures is honoured: a row
whose cut-off cell says "15:00 – trả trong ngày …" and whose time limit is 1 working day is a
same-day procedure (0 working days, cut-off 15:00), because the national portal writes "1 ngày
làm việc" for what the law calls "trong ngày"; a cut-off text that "chỉ áp dụng" (applies only)
to a sub-case keeps the row's time limit.

JSON: {"format": "kiosk-catalogue", "version": 1, "fields": [{"code", "name"}],
"procedures": [{"code", "name", "field_code", "duration": {"value", "unit"} | null, …}]}, exactly
what `catalogue_to_json` writes; unknown keys are errors, so a typo cannot silently drop a fee.
"""

from __future__ import annotations

import csv
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from datetime import time
from typing import Any, Final, TypeVar, cast

from kiosk.domain.catalogue import (
    Catalogue,
    CopyKind,
    Duration,
    DurationUnit,
    Field,
    Procedure,
    RequiredDocument,
)
from kiosk.domain.errors import CatalogueError, ImportProblem
from kiosk.domain.text import clean, fold

__all__ = [
    "CATALOGUE_FORMAT",
    "CATALOGUE_VERSION",
    "CSV_REQUIRED_COLUMNS",
    "catalogue_to_json",
    "field_code_for",
    "infer_document",
    "parse_catalogue_csv",
    "parse_catalogue_json",
    "parse_documents",
]

CATALOGUE_FORMAT: Final = "kiosk-catalogue"
CATALOGUE_VERSION: Final = 1

CSV_REQUIRED_COLUMNS: Final = ("code", "name", "field", "duration_value", "duration_unit")
_CSV_OPTIONAL_COLUMNS: Final = (
    "field_code",
    "duration_note",
    "same_day_cutoff",
    "fee_counter_vnd",
    "fee_online_vnd",
    "fee_by_province",
    "fee_note",
    "documents",
    "processing_unit",
    "authority",
    "source",
)

T = TypeVar("T")


class _CellError(Exception):
    """A cell's value is wrong; caught by the row loop and recorded with line and column."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Problems:
    def __init__(self) -> None:
        self.items: list[ImportProblem] = []

    def add(self, line: int, column: str, message: str) -> None:
        self.items.append(ImportProblem(line, column, message))

    def check(self, line: int, column: str, parse: Callable[[], T], default: T) -> T:
        """Run one cell's parser; on a `_CellError` record it and return `default`."""
        try:
            return parse()
        except _CellError as error:
            self.add(line, column, error.message)
            return default

    def raise_if_any(self) -> None:
        if self.items:
            raise _failure(self.items)


def _failure(problems: list[ImportProblem]) -> CatalogueError:
    count = len(problems)
    return CatalogueError(
        f"Tệp danh mục có {count} lỗi; chưa nhập thủ tục nào. Sửa các lỗi dưới đây rồi nhập lại.",
        problems,
    )


# --- cell parsers shared by CSV and JSON ------------------------------------------------------

_UNIT_WORDS: Final[dict[str, DurationUnit]] = {
    "working_day": DurationUnit.WORKING_DAY,
    "working_hour": DurationUnit.WORKING_HOUR,
    "calendar_day": DurationUnit.CALENDAR_DAY,
    "ngay lam viec": DurationUnit.WORKING_DAY,
    "gio lam viec": DurationUnit.WORKING_HOUR,
    "ngay": DurationUnit.CALENDAR_DAY,
}


def _unit_or_none(text: str) -> DurationUnit | None:
    return _UNIT_WORDS.get(fold(text))


def _parse_unit(text: str) -> DurationUnit:
    unit = _unit_or_none(text)
    if unit is None:
        raise _CellError(
            f"Đơn vị thời hạn '{text}' không hợp lệ: dùng working_day, working_hour, calendar_day "
            "hoặc 'ngày làm việc', 'giờ làm việc', 'ngày'."
        )
    return unit


_NO_CUTOFF: Final[tuple[time | None, str]] = (None, "")
_NO_DOCUMENTS: Final[tuple[RequiredDocument, ...]] = ()
_CUTOFF = re.compile(r"^(\d{1,2})[:hg](\d{2})(?!\d)\s*[-–—:,.]?\s*(.*)$", re.DOTALL)


def _parse_cutoff(text: str) -> tuple[time | None, str]:
    """'15:00' or '15:00 – remark' → (15:00, remark); '' → (None, '')."""
    text = clean(text)
    if not text:
        return None, ""
    match = _CUTOFF.match(text)
    if match is None:
        raise _CellError(f"Giờ chốt '{text}' không hợp lệ: viết theo dạng HH:MM, ví dụ 15:00.")
    hour, minute, remark = int(match[1]), int(match[2]), match[3].strip()
    if hour > 23 or minute > 59:
        raise _CellError(f"Giờ chốt '{text}' không có thật: giờ 0–23, phút 0–59.")
    return time(hour, minute), remark


_GROUPED_INT = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")


def _parse_fee(text: str) -> int | None:
    """Integer VND; '8.000' and '8000đ' are accepted; '' means not given."""
    raw = clean(text)
    if not raw:
        return None
    compact = re.sub(r"\s*(đ|vnd|vnđ|đồng)$", "", raw, flags=re.IGNORECASE).replace(" ", "")
    if compact.startswith("-") and compact[1:].isdigit():
        raise _CellError(f"Lệ phí {raw} không được âm.")
    if compact.isdigit():
        return int(compact)
    if _GROUPED_INT.match(compact):
        return int(re.sub(r"[.,]", "", compact))
    raise _CellError(f"Lệ phí '{raw}' phải là số nguyên đồng, ví dụ 8000.")


_TRUE_WORDS: Final = {"true", "1", "yes", "x", "co", "dung"}
_FALSE_WORDS: Final = {"false", "0", "no", "khong", "sai"}


def _parse_bool(text: str) -> bool | None:
    word = fold(text)
    if not word:
        return None
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise _CellError(f"Giá trị '{clean(text)}' phải là true hoặc false.")


def field_code_for(name: str) -> str:
    """A stable field code from its name: 'Đăng ký, quản lý cư trú' → 'dang-ky-quan-ly-cu-tru'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


# --- documents --------------------------------------------------------------------------------

_KIND_WORDS: Final[dict[str, CopyKind]] = {
    "original": CopyKind.ORIGINAL,
    "ban chinh": CopyKind.ORIGINAL,
    "certified": CopyKind.CERTIFIED,
    "ban sao chung thuc": CopyKind.CERTIFIED,
    "ban sao co chung thuc": CopyKind.CERTIFIED,
    "photocopy": CopyKind.PHOTOCOPY,
    "ban chup": CopyKind.PHOTOCOPY,
    "ban photocopy": CopyKind.PHOTOCOPY,
    "ban sao": CopyKind.PHOTOCOPY,
}
_OPTIONAL_WORDS: Final = {"optional", "khong bat buoc", "neu co"}
_COUNT_TOKEN = re.compile(r"^(?:x\s*(\d+)|(\d+)\s*(?:ban|bo)?)$")
_TRAILING_BRACKET = re.compile(r"\[([^\[\]]*)\]\s*$")
_DOCUMENT_SPLIT = re.compile(r"[;\r\n]+")

# Forms and requests are always handed in as the signed original.
_FORM_PREFIXES: Final = (
    "to khai",
    "don ",
    "giay de nghi",
    "van ban de nghi",
    "de nghi",
    "du thao",
    "ban dich",
    "thong bao",
)
_OPTIONAL_HINTS = re.compile(
    r"\(neu |\(truong hop|\(khi |\(tuy truong hop|\bneu co\b|chi khi|neu uy quyen|^truong hop "
)
_LEADING_COUNT = re.compile(r"^0*(\d+) (?:bo|ban) ")


def infer_document(text: str) -> RequiredDocument:
    """A document from its wording alone, as the national portal writes it.

    Forms, requests and drafts are originals; "xuất trình" (shown, not kept) is the original;
    "bản sao có chứng thực" is a certified copy; a plain "bản sao" may be certified or a
    photocopy; "bản chụp"/"phô tô" is a photocopy; anything else is the original. Items that
    apply only to some cases ("(nếu …)", "(trường hợp …)", "nếu có") are optional.
    """
    name = clean(text)
    folded = fold(name)
    kinds: set[CopyKind] = set()
    if folded.startswith(_FORM_PREFIXES) or folded.startswith("xuat trinh"):
        kinds.add(CopyKind.ORIGINAL)
    else:
        # "Bản sao … của bản chính" names a copy; the original counts only when it is shown.
        mentions_original = "ban chinh" in folded or "ban goc" in folded
        if mentions_original and (
            not folded.startswith("ban sao") or "xuat trinh ban chinh" in folded
        ):
            kinds.add(CopyKind.ORIGINAL)
        if "ban sao can chung thuc" in folded:
            kinds.add(CopyKind.PHOTOCOPY)
        elif re.search(r"ban sao (co |duoc )?chung thuc", folded) or "ban co chung thuc" in folded:
            kinds.add(CopyKind.CERTIFIED)
        elif "ban sao" in folded:
            kinds.update((CopyKind.CERTIFIED, CopyKind.PHOTOCOPY))
        if "ban chup" in folded or "pho to" in folded or "photo" in folded:
            kinds.add(CopyKind.PHOTOCOPY)
    if not kinds:
        kinds.add(CopyKind.ORIGINAL)
    count_match = _LEADING_COUNT.match(folded)
    return RequiredDocument(
        name=name,
        copy_kinds=tuple(k for k in CopyKind if k in kinds),
        count=int(count_match[1]) if count_match else 1,
        optional=_OPTIONAL_HINTS.search(folded) is not None,
    )


def _parse_document(text: str) -> RequiredDocument:
    match = _TRAILING_BRACKET.search(text)
    if match is None:
        return infer_document(text)
    name = clean(text[: match.start()])
    if not name:
        raise _CellError(f"Giấy tờ '{clean(text)}' không có tên trước dấu [ ].")
    kinds: list[CopyKind] = []
    count = 1
    optional = False
    for raw_token in match[1].split(","):
        token = fold(raw_token)
        if not token:
            continue
        if token in _KIND_WORDS:
            kind = _KIND_WORDS[token]
            if kind not in kinds:
                kinds.append(kind)
        elif token in _OPTIONAL_WORDS:
            optional = True
        elif (count_match := _COUNT_TOKEN.match(token)) is not None:
            count = int(count_match[1] or count_match[2])
            if count < 1:
                raise _CellError(f"Số bản của giấy tờ '{name}' phải từ 1 trở lên.")
        else:
            raise _CellError(
                f"Không hiểu '{clean(raw_token)}' trong [ ] của giấy tờ '{name}': dùng original, "
                "certified, photocopy, số bản (x2) hoặc optional."
            )
    if not kinds:
        kinds = list(infer_document(name).copy_kinds)
    return RequiredDocument(
        name=name,
        copy_kinds=tuple(k for k in CopyKind if k in kinds),
        count=count,
        optional=optional,
    )


def parse_documents(text: str) -> tuple[RequiredDocument, ...]:
    """The documents cell: items separated by ';' or line breaks, each with an optional [ ]."""
    problems: list[str] = []
    documents: list[RequiredDocument] = []
    for item in _DOCUMENT_SPLIT.split(text):
        if not clean(item):
            continue
        try:
            documents.append(_parse_document(item))
        except _CellError as error:
            problems.append(error.message)
    if problems:
        raise _CellError(" ".join(problems))
    return tuple(documents)


# --- CSV --------------------------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _physical_lines(text: str) -> list[str]:
    # Only CR, LF and CRLF end a line, as in an editor; str.splitlines would also split on
    # characters such as U+2028 inside a cell and shift every line number after it.
    return _LINE.findall(text)


def _records(
    lines: list[str], delimiter: str, problems: _Problems
) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the physical line it starts on."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.add(start, "", f"Lỗi cú pháp CSV (thường do dấu ngoặc kép chưa đóng): {error}")
            return
        yield start, record
        start = reader.line_num + 1


def _delimiter_for(header_line: str) -> str:
    # Spreadsheets set to Vietnamese often save with ';' because ',' is the decimal separator.
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_catalogue_csv(text: str) -> Catalogue:
    """Parse a catalogue CSV (see the module docstring); raises `CatalogueError` with all errors."""
    text = text.removeprefix("\ufeff")
    lines = _physical_lines(text)
    problems = _Problems()
    if not any(line.strip() for line in lines):
        raise _failure(
            [ImportProblem(1, "", "Tệp trống: cần dòng tiêu đề và ít nhất một thủ tục.")]
        )
    records = _records(lines, _delimiter_for(lines[0]), problems)
    first = next(records, None)
    problems.raise_if_any()
    assert first is not None  # the text has a non-blank line, so the reader yields a record
    raw_header = first[1]
    header = [clean(name).lower() for name in raw_header]
    seen_columns: set[str] = set()
    for name in header:
        if name and name in seen_columns:
            problems.add(1, name, f"Cột '{name}' xuất hiện hai lần trong dòng tiêu đề.")
        seen_columns.add(name)
    for name in CSV_REQUIRED_COLUMNS:
        if name not in seen_columns:
            problems.add(1, name, f"Thiếu cột bắt buộc '{name}'.")
    problems.raise_if_any()

    builder = _CatalogueBuilder(problems, has_field_code="field_code" in seen_columns)
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            problems.add(
                line,
                "",
                f"Dòng có {len(record)} ô, nhiều hơn {len(header)} cột của dòng tiêu đề "
                "(kiểm tra dấu phẩy và dấu ngoặc kép).",
            )
            continue
        cells = dict(zip(header, [*record, *[""] * (len(header) - len(record))], strict=True))
        cells.pop("", None)
        builder.add_csv_row(line, cells)
    return builder.finish()


class _CatalogueBuilder:
    """Collects fields and procedures row by row, checking what spans rows (codes, fields)."""

    def __init__(self, problems: _Problems, *, has_field_code: bool) -> None:
        self.problems = problems
        self.has_field_code = has_field_code
        self.fields: dict[str, tuple[Field, int]] = {}
        self.field_code_by_name: dict[str, tuple[str, int]] = {}
        self.procedures: list[Procedure] = []
        self.code_lines: dict[str, int] = {}

    def check_code(self, line: int, column: str, code: str) -> bool:
        if not code:
            self.problems.add(line, column, "Thiếu mã thủ tục.")
            return False
        first = self.code_lines.get(code)
        if first is not None:
            self.problems.add(line, column, f"Mã thủ tục {code} trùng với dòng {first}.")
            return False
        self.code_lines[code] = line
        return True

    def add_field(self, line: int, field_name: str, field_code: str) -> bool:
        column = "field_code" if self.has_field_code else "field"
        known = self.fields.get(field_code)
        if known is not None and known[0].name != field_name:
            self.problems.add(
                line,
                column,
                f"Mã lĩnh vực '{field_code}' đã dùng cho lĩnh vực '{known[0].name}' "
                f"(dòng {known[1]}).",
            )
            return False
        by_name = self.field_code_by_name.get(field_name)
        if by_name is not None and by_name[0] != field_code:
            self.problems.add(
                line,
                column,
                f"Lĩnh vực '{field_name}' đã có mã '{by_name[0]}' (dòng {by_name[1]}).",
            )
            return False
        if known is None:
            self.fields[field_code] = (Field(code=field_code, name=field_name), line)
            self.field_code_by_name[field_name] = (field_code, line)
        return True

    def add_csv_row(self, line: int, cells: dict[str, str]) -> None:
        p = self.problems
        before = len(p.items)
        code = clean(cells["code"])
        self.check_code(line, "code", code)
        name = clean(cells["name"])
        if not name:
            p.add(line, "name", "Thiếu tên thủ tục.")
        field_name = clean(cells["field"])
        field_code = clean(cells.get("field_code", "")) or field_code_for(field_name)
        if not field_name:
            p.add(line, "field", "Thiếu lĩnh vực.")
        elif not field_code:
            p.add(
                line,
                "field",
                f"Không tạo được mã cho lĩnh vực '{field_name}': thêm cột field_code.",
            )
        else:
            self.add_field(line, field_name, field_code)

        duration, duration_note = self._csv_duration(line, cells)
        cut_off, cut_off_remark = p.check(
            line,
            "same_day_cutoff",
            lambda: _parse_cutoff(cells.get("same_day_cutoff", "")),
            _NO_CUTOFF,
        )
        if (
            duration == Duration(1, DurationUnit.WORKING_DAY)
            and cut_off is not None
            and "tra trong ngay" in fold(cut_off_remark)
            and "chi ap dung" not in fold(cut_off_remark)
        ):
            duration = Duration(0, DurationUnit.WORKING_DAY)
        if duration is not None:
            duration_note = duration_note or cut_off_remark

        fee_counter = p.check(
            line, "fee_counter_vnd", lambda: _parse_fee(cells.get("fee_counter_vnd", "")), None
        )
        fee_online = p.check(
            line, "fee_online_vnd", lambda: _parse_fee(cells.get("fee_online_vnd", "")), None
        )
        by_province = p.check(
            line, "fee_by_province", lambda: _parse_bool(cells.get("fee_by_province", "")), None
        )
        if by_province is None:
            by_province = not clean(cells.get("fee_counter_vnd", ""))
        documents = p.check(
            line, "documents", lambda: parse_documents(cells.get("documents", "")), _NO_DOCUMENTS
        )

        known = {*CSV_REQUIRED_COLUMNS, *_CSV_OPTIONAL_COLUMNS}
        extra = {k: clean(v) for k, v in cells.items() if k not in known and clean(v)}
        if cut_off_remark:
            extra["same_day_cutoff_note"] = cut_off_remark
        if len(p.items) > before:
            return
        self.procedures.append(
            Procedure(
                code=code,
                name=name,
                field_code=field_code,
                duration=duration,
                same_day_cutoff=cut_off,
                fee_counter=fee_counter,
                fee_online=fee_online,
                fee_by_province=by_province,
                fee_note=clean(cells.get("fee_note", "")),
                documents=documents,
                processing_unit=clean(cells.get("processing_unit", ""))
                or clean(cells.get("authority", "")),
                source=clean(cells.get("source", "")),
                duration_note=duration_note,
                extra=extra,
            )
        )

    def _csv_duration(self, line: int, cells: dict[str, str]) -> tuple[Duration | None, str]:
        value_text = clean(cells["duration_value"])
        unit_text = clean(cells["duration_unit"])
        note = clean(cells.get("duration_note", ""))
        if not value_text:
            # No fixed time limit; the research file writes the reason in the unit cell.
            if unit_text and _unit_or_none(unit_text) is not None:
                self.problems.add(
                    line,
                    "duration_value",
                    f"Thiếu số {unit_text}: để trống cả hai ô nếu thủ tục không có thời hạn.",
                )
                return None, ""
            return None, note or unit_text
        if not value_text.isdigit():
            self.problems.add(
                line,
                "duration_value",
                f"Thời hạn '{value_text}' phải là số nguyên không âm.",
            )
            value = None
        else:
            value = int(value_text)
        if not unit_text:
            self.problems.add(line, "duration_unit", "Thiếu đơn vị thời hạn.")
            return None, ""
        unit = self.problems.check(line, "duration_unit", lambda: _parse_unit(unit_text), None)
        if value is None or unit is None:
            return None, ""
        return Duration(value, unit), note

    def finish(self) -> Catalogue:
        self.problems.raise_if_any()
        if not self.procedures:
            raise _failure([ImportProblem(1, "", "Tệp không có thủ tục nào.")])
        return Catalogue(
            fields=tuple(f for f, _ in self.fields.values()),
            procedures=tuple(self.procedures),
        )


# --- JSON -------------------------------------------------------------------------------------


class _Obj(dict[str, Any]):
    """A JSON object that remembers the line of its '{' and of each key's value."""

    line: int
    key_lines: dict[str, int]


class _Arr(list[Any]):
    """A JSON array that remembers the line of its '[' and of each item."""

    line: int
    item_lines: list[int]


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = json.JSONDecoder()


def _decode_located(text: str) -> Any:
    """`json.loads`, but objects and arrays carry the line numbers of their values.

    Objects and arrays are walked here; every string, number and literal is read by the standard
    decoder's public `raw_decode`, whose end position says where to go on. Errors are the
    standard `json.JSONDecodeError`, with its line and column.
    """
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def line_at(offset: int) -> int:
        return bisect_right(line_starts, offset)

    def skip(index: int) -> int:
        match = _WHITESPACE.match(text, index)
        return match.end() if match else index

    def expect(index: int, what: str) -> int:
        if text.startswith(what, index):
            return index + 1
        raise json.JSONDecodeError(f"Expecting '{what}' delimiter", text, index)

    def value(index: int) -> tuple[Any, int]:
        if text.startswith("{", index):
            return parse_object(index)
        if text.startswith("[", index):
            return parse_array(index)
        try:
            return _SCALAR.raw_decode(text, index)
        except json.JSONDecodeError as error:
            if error.pos == index:  # nothing a value can start with
                raise json.JSONDecodeError("Expecting value", text, index) from None
            raise

    def parse_object(start: int) -> tuple[_Obj, int]:
        obj = _Obj()
        obj.line, obj.key_lines = line_at(start), {}
        index = skip(start + 1)
        if text.startswith("}", index):
            return obj, index + 1
        while True:
            if not text.startswith('"', index):
                raise json.JSONDecodeError(
                    "Expecting property name enclosed in double quotes", text, index
                )
            key, index = _SCALAR.raw_decode(text, index)
            index = skip(expect(skip(index), ":"))
            obj.key_lines[key] = line_at(index)
            obj[key], index = value(index)
            index = skip(index)
            if text.startswith("}", index):
                return obj, index + 1
            index = skip(expect(index, ","))

    def parse_array(start: int) -> tuple[_Arr, int]:
        arr = _Arr()
        arr.line, arr.item_lines = line_at(start), []
        index = skip(start + 1)
        if text.startswith("]", index):
            return arr, index + 1
        while True:
            arr.item_lines.append(line_at(index))
            item, index = value(index)
            arr.append(item)
            index = skip(index)
            if text.startswith("]", index):
                return arr, index + 1
            index = skip(expect(index, ","))

    document, end = value(skip(0))
    if skip(end) != len(text):
        raise json.JSONDecodeError("Extra data", text, skip(end))
    return document


_JSON_TYPE_NAMES: Final[dict[type, str]] = {
    str: "chuỗi",
    int: "số nguyên",
    bool: "true/false",
    _Obj: "đối tượng { }",
    _Arr: "danh sách [ ]",
}

_PROCEDURE_KEYS: Final = {
    "code",
    "name",
    "field_code",
    "duration",
    "duration_note",
    "same_day_cutoff",
    "fee_counter_vnd",
    "fee_online_vnd",
    "fee_by_province",
    "fee_note",
    "documents",
    "processing_unit",
    "source",
    "extra",
}
_DOCUMENT_KEYS: Final = {"name", "copy_kinds", "count", "optional"}


class _JsonReader:
    """Typed access to located JSON values, recording a problem for each wrong one."""

    def __init__(self, problems: _Problems) -> None:
        self.problems = problems

    def get(
        self,
        obj: _Obj,
        key: str,
        kind: type[T],
        *,
        default: T | None = None,
        required: bool = False,
        nullable: bool = False,
        column: str | None = None,
    ) -> T | None:
        column = column or key
        if key not in obj:
            if required:
                self.problems.add(obj.line, column, f"Thiếu khóa '{key}'.")
            return default
        value = obj[key]
        if value is None and nullable:
            return None
        # bool is an int in Python, but true is not a fee.
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            if isinstance(value, str):
                return cast(T, clean(value))
            return value
        self.problems.add(
            obj.key_lines.get(key, obj.line),
            column,
            f"'{key}' phải là {_JSON_TYPE_NAMES[kind]}"
            + (" hoặc null" if nullable else "")
            + f", không phải {json.dumps(value, ensure_ascii=False)[:40]}.",
        )
        return default

    def unknown_keys(self, obj: _Obj, allowed: set[str], where: str) -> None:
        for key in obj:
            if key not in allowed:
                self.problems.add(
                    obj.key_lines.get(key, obj.line), key, f"Khóa '{key}' không dùng trong {where}."
                )

    def non_negative(self, obj: _Obj, key: str, value: int | None, what: str) -> int | None:
        if value is not None and value < 0:
            self.problems.add(obj.key_lines.get(key, obj.line), key, f"{what} không được âm.")
            return None
        return value


def parse_catalogue_json(text: str) -> Catalogue:
    """Parse the JSON written by `catalogue_to_json`; raises `CatalogueError` listing all errors."""
    text = text.removeprefix("\ufeff")
    try:
        document = _decode_located(text)
    except json.JSONDecodeError as error:
        raise _failure(
            [ImportProblem(error.lineno, str(error.colno), f"JSON sai cú pháp: {error.msg}.")]
        ) from None
    problems = _Problems()
    read = _JsonReader(problems)
    if not isinstance(document, _Obj):
        raise _failure(
            [ImportProblem(1, "", "Tệp JSON phải là một đối tượng có 'fields' và 'procedures'.")]
        )
    fmt = read.get(document, "format", str)
    if fmt is not None and fmt != CATALOGUE_FORMAT:
        problems.add(
            document.key_lines["format"], "format", f"Định dạng phải là '{CATALOGUE_FORMAT}'."
        )
    version = read.get(document, "version", int)
    if version is not None and version != CATALOGUE_VERSION:
        problems.add(
            document.key_lines["version"],
            "version",
            f"Phiên bản {version} chưa được hỗ trợ (phiên bản này đọc được {CATALOGUE_VERSION}).",
        )
    read.unknown_keys(document, {"format", "version", "fields", "procedures"}, "tệp danh mục")
    raw_fields = read.get(document, "fields", _Arr, required=True)
    raw_procedures = read.get(document, "procedures", _Arr, required=True)
    problems.raise_if_any()
    assert raw_fields is not None and raw_procedures is not None

    builder = _CatalogueBuilder(problems, has_field_code=True)
    field_codes: dict[str, int] = {}
    for item, line in zip(raw_fields, raw_fields.item_lines, strict=True):
        if not isinstance(item, _Obj):
            problems.add(line, "fields", 'Mỗi lĩnh vực phải là đối tượng {"code", "name"}.')
            continue
        read.unknown_keys(item, {"code", "name"}, "lĩnh vực")
        code = read.get(item, "code", str, required=True) or ""
        name = read.get(item, "name", str, required=True) or ""
        if "code" in item and not code:
            problems.add(item.key_lines["code"], "code", "Mã lĩnh vực không được để trống.")
        if "name" in item and not name:
            problems.add(item.key_lines["name"], "name", "Tên lĩnh vực không được để trống.")
        if not code or not name:
            continue
        if code in field_codes:
            problems.add(
                item.line, "code", f"Mã lĩnh vực '{code}' trùng với dòng {field_codes[code]}."
            )
            continue
        field_codes[code] = item.line
        builder.fields[code] = (Field(code=code, name=name), item.line)

    for item, line in zip(raw_procedures, raw_procedures.item_lines, strict=True):
        if not isinstance(item, _Obj):
            problems.add(line, "procedures", "Mỗi thủ tục phải là một đối tượng { }.")
            continue
        procedure = _json_procedure(item, read, builder, field_codes)
        if procedure is not None:
            builder.procedures.append(procedure)
    return builder.finish()


def _json_procedure(
    obj: _Obj, read: _JsonReader, builder: _CatalogueBuilder, field_codes: dict[str, int]
) -> Procedure | None:
    p = read.problems
    before = len(p.items)
    read.unknown_keys(obj, _PROCEDURE_KEYS, "thủ tục")
    code = read.get(obj, "code", str, required=True)
    if code is not None:
        builder.check_code(obj.key_lines.get("code", obj.line), "code", code)
    name = read.get(obj, "name", str, required=True)
    if name is not None and not name:
        p.add(obj.key_lines["name"], "name", "Thiếu tên thủ tục.")
    field_code = read.get(obj, "field_code", str, required=True)
    if field_code is not None and field_code not in field_codes:
        p.add(
            obj.key_lines["field_code"],
            "field_code",
            f"Lĩnh vực '{field_code}' không có trong danh sách 'fields'.",
        )

    duration: Duration | None = None
    if "duration" not in obj:
        p.add(obj.line, "duration", "Thiếu khóa 'duration' (null nếu không có thời hạn).")
    raw_duration = read.get(obj, "duration", _Obj, nullable=True)
    if raw_duration is not None:
        read.unknown_keys(raw_duration, {"value", "unit"}, "thời hạn")
        value = read.get(raw_duration, "value", int, required=True)
        value = read.non_negative(raw_duration, "value", value, "Thời hạn")
        unit_text = read.get(raw_duration, "unit", str, required=True)
        unit = (
            p.check(
                raw_duration.key_lines["unit"], "unit", lambda: _parse_unit(unit_text or ""), None
            )
            if unit_text is not None
            else None
        )
        if value is not None and unit is not None:
            duration = Duration(value, unit)

    cut_off = None
    cut_off_text = read.get(obj, "same_day_cutoff", str, nullable=True)
    if cut_off_text:
        line = obj.key_lines["same_day_cutoff"]
        cut_off, remark = p.check(
            line, "same_day_cutoff", lambda: _parse_cutoff(cut_off_text), _NO_CUTOFF
        )
        if remark:
            p.add(line, "same_day_cutoff", f"Giờ chốt '{cut_off_text}' phải viết đúng dạng HH:MM.")

    fee_counter = read.get(obj, "fee_counter_vnd", int, default=0, nullable=True)
    fee_counter = read.non_negative(obj, "fee_counter_vnd", fee_counter, "Lệ phí")
    fee_online = read.get(obj, "fee_online_vnd", int, nullable=True)
    fee_online = read.non_negative(obj, "fee_online_vnd", fee_online, "Lệ phí")
    fee_by_province = read.get(obj, "fee_by_province", bool, default=False)

    documents: list[RequiredDocument] = []
    raw_documents = read.get(obj, "documents", _Arr)
    if raw_documents is not None:
        for index, (item, line) in enumerate(
            zip(raw_documents, raw_documents.item_lines, strict=True), start=1
        ):
            document = _json_document(item, line, index, read)
            if document is not None:
                documents.append(document)

    extra: dict[str, str] = {}
    raw_extra = read.get(obj, "extra", _Obj, default=None)
    if raw_extra is not None:
        for key in raw_extra:
            text = read.get(raw_extra, key, str, column=f"extra.{key}")
            if text is not None:
                extra[clean(key)] = text

    fee_note = read.get(obj, "fee_note", str, default="") or ""
    processing_unit = read.get(obj, "processing_unit", str, default="") or ""
    source = read.get(obj, "source", str, default="") or ""
    duration_note = read.get(obj, "duration_note", str, default="") or ""
    if len(p.items) > before or code is None or name is None or field_code is None:
        return None
    return Procedure(
        code=code,
        name=name,
        field_code=field_code,
        duration=duration,
        same_day_cutoff=cut_off,
        fee_counter=fee_counter,
        fee_online=fee_online,
        fee_by_province=bool(fee_by_province),
        fee_note=fee_note,
        documents=tuple(documents),
        processing_unit=processing_unit,
        source=source,
        duration_note=duration_note,
        extra=extra,
    )


def _json_document(item: Any, line: int, index: int, read: _JsonReader) -> RequiredDocument | None:
    p = read.problems
    column = f"documents[{index}]"
    if not isinstance(item, _Obj):
        p.add(line, column, f'Giấy tờ thứ {index} phải là đối tượng {{"name", "copy_kinds"}}.')
        return None
    before = len(p.items)
    read.unknown_keys(item, _DOCUMENT_KEYS, "giấy tờ")
    name = read.get(item, "name", str, required=True, column=f"{column}.name")
    if name is not None and not name:
        p.add(item.key_lines["name"], f"{column}.name", f"Giấy tờ thứ {index} không có tên.")
    kinds: list[CopyKind] = []
    raw_kinds = read.get(item, "copy_kinds", _Arr, column=f"{column}.copy_kinds")
    if raw_kinds is not None:
        for kind, kind_line in zip(raw_kinds, raw_kinds.item_lines, strict=True):
            if kind not in {k.value for k in CopyKind}:
                p.add(
                    kind_line,
                    f"{column}.copy_kinds",
                    f"Loại bản '{kind}' không hợp lệ: dùng original, certified hoặc photocopy.",
                )
            elif CopyKind(kind) not in kinds:
                kinds.append(CopyKind(kind))
        if not raw_kinds:
            p.add(raw_kinds.line, f"{column}.copy_kinds", "Cần ít nhất một loại bản.")
    count = read.get(item, "count", int, default=1, column=f"{column}.count")
    if count is not None and count < 1:
        p.add(item.key_lines["count"], f"{column}.count", "Số bản phải từ 1 trở lên.")
    optional = read.get(item, "optional", bool, default=False, column=f"{column}.optional")
    if len(p.items) > before or not name:
        return None
    return RequiredDocument(
        name=name,
        copy_kinds=tuple(kinds) if raw_kinds is not None else (CopyKind.ORIGINAL,),
        count=count or 1,
        optional=bool(optional),
    )


def catalogue_to_json(catalogue: Catalogue) -> str:
    """The JSON text of a catalogue; `parse_catalogue_json` reads it back to an equal catalogue."""
    document = {
        "format": CATALOGUE_FORMAT,
        "version": CATALOGUE_VERSION,
        "fields": [{"code": f.code, "name": f.name} for f in catalogue.fields],
        "procedures": [procedure_to_json(p) for p in catalogue.procedures],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def procedure_to_json(procedure: Procedure) -> dict[str, Any]:
    duration = procedure.duration
    cut_off = procedure.same_day_cutoff
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field_code": procedure.field_code,
        "duration": None if duration is None else {"value": duration.value, "unit": duration.unit},
        "duration_note": procedure.duration_note,
        "same_day_cutoff": None if cut_off is None else f"{cut_off:%H:%M}",
        "fee_counter_vnd": procedure.fee_counter,
        "fee_online_vnd": procedure.fee_online,
        "fee_by_province": procedure.fee_by_province,
        "fee_note": procedure.fee_note,
        "documents": [
            {
                "name": d.name,
                "copy_kinds": [k.value for k in d.copy_kinds],
                "count": d.count,
                "optional": d.optional,
            }
            for d in procedure.documents
        ],
        "processing_unit": procedure.processing_unit,
        "source": procedure.source,
        "extra": dict(procedure.extra),
    }
