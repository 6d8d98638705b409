"""The catalogue as JSON (`catalogue_to_json` writes it, `parse_catalogue_json` reads it back),
every error located by line.

See `kiosk.domain.catalogue_io` for the format.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from datetime import time
from typing import Any, Final, cast

from kiosk.domain.catalogue import (
    Catalogue,
    CopyKind,
    Duration,
    Field,
    Procedure,
    RequiredDocument,
)
from kiosk.domain.catalogue_cells import (
    _NO_CUTOFF,
    CATALOGUE_FORMAT,
    CATALOGUE_VERSION,
    T,
    _CatalogueBuilder,
    _failure,
    _parse_cutoff,
    _parse_unit,
    _Problems,
)
from kiosk.domain.errors import ImportProblem
from kiosk.domain.text import clean


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

    duration = _json_duration(obj, read)
    cut_off = _json_cutoff(obj, read)

    fee_counter = read.get(obj, "fee_counter_vnd", int, default=0, nullable=True)
    fee_counter = read.non_negative(obj, "fee_counter_vnd", fee_counter, "Lệ phí")
    fee_online = read.get(obj, "fee_online_vnd", int, nullable=True)
    fee_online = read.non_negative(obj, "fee_online_vnd", fee_online, "Lệ phí")
    fee_by_province = read.get(obj, "fee_by_province", bool, default=False)

    documents = _json_documents(obj, read)
    extra = _json_extra(obj, read)

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


def _json_duration(obj: _Obj, read: _JsonReader) -> Duration | None:
    """The procedure's `duration` ({"value": N, "unit": …} or null); the key must be there."""
    p = read.problems
    if "duration" not in obj:
        p.add(obj.line, "duration", "Thiếu khóa 'duration' (null nếu không có thời hạn).")
    raw_duration = read.get(obj, "duration", _Obj, nullable=True)
    if raw_duration is None:
        return None
    read.unknown_keys(raw_duration, {"value", "unit"}, "thời hạn")
    value = read.get(raw_duration, "value", int, required=True)
    value = read.non_negative(raw_duration, "value", value, "Thời hạn")
    unit_text = read.get(raw_duration, "unit", str, required=True)
    unit = (
        p.check(raw_duration.key_lines["unit"], "unit", lambda: _parse_unit(unit_text or ""), None)
        if unit_text is not None
        else None
    )
    if value is not None and unit is not None:
        return Duration(value, unit)
    return None


def _json_cutoff(obj: _Obj, read: _JsonReader) -> time | None:
    """The same-day cut-off 'HH:MM' of `same_day_cutoff`, or None."""
    p = read.problems
    cut_off_text = read.get(obj, "same_day_cutoff", str, nullable=True)
    if not cut_off_text:
        return None
    line = obj.key_lines["same_day_cutoff"]
    cut_off, remark = p.check(
        line, "same_day_cutoff", lambda: _parse_cutoff(cut_off_text), _NO_CUTOFF
    )
    if remark:
        p.add(line, "same_day_cutoff", f"Giờ chốt '{cut_off_text}' phải viết đúng dạng HH:MM.")
    return cut_off


def _json_documents(obj: _Obj, read: _JsonReader) -> list[RequiredDocument]:
    documents: list[RequiredDocument] = []
    raw_documents = read.get(obj, "documents", _Arr)
    if raw_documents is not None:
        for index, (item, line) in enumerate(
            zip(raw_documents, raw_documents.item_lines, strict=True), start=1
        ):
            document = _json_document(item, line, index, read)
            if document is not None:
                documents.append(document)
    return documents


def _json_extra(obj: _Obj, read: _JsonReader) -> dict[str, str]:
    """The free `extra` texts of a procedure, keys cleaned."""
    extra: dict[str, str] = {}
    raw_extra = read.get(obj, "extra", _Obj, default=None)
    if raw_extra is not None:
        for key in raw_extra:
            text = read.get(raw_extra, key, str, column=f"extra.{key}")
            if text is not None:
                extra[clean(key)] = text
    return extra


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
