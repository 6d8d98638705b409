"""The catalogue as CSV (the research file's columns and the export's), every error located.

See `kiosk.domain.catalogue_io` for the format.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from kiosk.domain.catalogue import (
    Catalogue,
)
from kiosk.domain.catalogue_cells import (
    CSV_REQUIRED_COLUMNS,
    _CatalogueBuilder,
    _failure,
    _Problems,
)
from kiosk.domain.errors import ImportProblem
from kiosk.domain.text import clean

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
