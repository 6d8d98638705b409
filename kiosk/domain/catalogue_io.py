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

from kiosk.domain.catalogue_cells import (
    CATALOGUE_FORMAT,
    CATALOGUE_VERSION,
    CSV_REQUIRED_COLUMNS,
    field_code_for,
    infer_document,
    parse_documents,
)
from kiosk.domain.catalogue_csv import parse_catalogue_csv
from kiosk.domain.catalogue_json import catalogue_to_json, parse_catalogue_json, procedure_to_json

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
    "procedure_to_json",
]
