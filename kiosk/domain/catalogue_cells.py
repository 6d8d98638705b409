"""What the CSV and JSON catalogue readers share: the cell parsers (durations, cut-offs, fees,
yes/no, documents), the list of problems found, and the builder that checks what spans rows.

See `kiosk.domain.catalogue_io` for the formats.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from typing import Final, TypeVar

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
