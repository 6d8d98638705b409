"""The procedure catalogue in the store: replaced as a whole, read as a `Catalogue`."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import time
from typing import Any

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
from kiosk.store.db import Store
from kiosk.store.tx import WriteTx, canonical_json


def _check(catalogue: Catalogue) -> None:
    problems: list[ImportProblem] = []
    field_codes = Counter(f.code for f in catalogue.fields)
    problems += [
        ImportProblem(0, "field", f"lĩnh vực '{code}' xuất hiện {n} lần")
        for code, n in field_codes.items()
        if n > 1
    ]
    procedure_codes = Counter(p.code for p in catalogue.procedures)
    problems += [
        ImportProblem(0, "code", f"thủ tục '{code}' xuất hiện {n} lần")
        for code, n in procedure_codes.items()
        if n > 1
    ]
    problems += [
        ImportProblem(0, "field", f"thủ tục '{p.code}' thuộc lĩnh vực '{p.field_code}' không có")
        for p in catalogue.procedures
        if p.field_code not in field_codes
    ]
    if problems:
        raise CatalogueError("Danh mục thủ tục không hợp lệ, chưa thay thế gì.", problems)


def replace_catalogue(tx: WriteTx, catalogue: Catalogue) -> None:
    """Replace fields, procedures and their documents with `catalogue`, in the caller's write.

    All or nothing: a problem raises CatalogueError and the caller's transaction rolls back.
    Dossiers keep their own snapshot of the procedure, so removing a procedure is allowed.
    """
    _check(catalogue)
    tx.execute("DELETE FROM procedure_documents")
    tx.execute("DELETE FROM procedures")
    tx.execute("DELETE FROM fields")
    tx.executemany(
        "INSERT INTO fields (code, name, position) VALUES (?, ?, ?)",
        [(f.code, f.name, i) for i, f in enumerate(catalogue.fields)],
    )
    tx.executemany(
        "INSERT INTO procedures (code, name, field_code, duration_value, duration_unit, "
        "duration_note, same_day_cutoff, fee_counter, fee_online, fee_by_province, fee_note, "
        "processing_unit, source, extra, position) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                p.code,
                p.name,
                p.field_code,
                None if p.duration is None else p.duration.value,
                None if p.duration is None else p.duration.unit.value,
                p.duration_note,
                None if p.same_day_cutoff is None else p.same_day_cutoff.strftime("%H:%M"),
                p.fee_counter,
                p.fee_online,
                int(p.fee_by_province),
                p.fee_note,
                p.processing_unit,
                p.source,
                canonical_json(p.extra),
                i,
            )
            for i, p in enumerate(catalogue.procedures)
        ],
    )
    tx.executemany(
        "INSERT INTO procedure_documents (procedure_code, position, name, copy_kinds, count, "
        "optional) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                p.code,
                i,
                d.name,
                json.dumps([k.value for k in d.copy_kinds]),
                d.count,
                int(d.optional),
            )
            for p in catalogue.procedures
            for i, d in enumerate(p.documents)
        ],
    )
    tx.details.setdefault("fields", len(catalogue.fields))
    tx.details.setdefault("procedures", len(catalogue.procedures))


def _rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[sqlite3.Row]:
    cursor = conn.execute(sql, params)
    cursor.row_factory = sqlite3.Row
    return list(cursor.fetchall())


def _documents(conn: sqlite3.Connection, code: str | None) -> dict[str, list[RequiredDocument]]:
    sql = "SELECT * FROM procedure_documents"
    params: tuple[str, ...] = ()
    if code is not None:
        sql += " WHERE procedure_code = ?"
        params = (code,)
    found: dict[str, list[RequiredDocument]] = {}
    for row in _rows(conn, sql + " ORDER BY procedure_code, position", params):
        found.setdefault(row["procedure_code"], []).append(
            RequiredDocument(
                name=row["name"],
                copy_kinds=tuple(CopyKind(k) for k in json.loads(row["copy_kinds"])),
                count=row["count"],
                optional=bool(row["optional"]),
            )
        )
    return found


def _procedure(row: sqlite3.Row, documents: list[RequiredDocument]) -> Procedure:
    duration = None
    if row["duration_value"] is not None:
        duration = Duration(row["duration_value"], DurationUnit(row["duration_unit"]))
    cutoff = row["same_day_cutoff"]
    return Procedure(
        code=row["code"],
        name=row["name"],
        field_code=row["field_code"],
        duration=duration,
        same_day_cutoff=None if cutoff is None else time.fromisoformat(cutoff),
        fee_counter=row["fee_counter"],
        fee_online=row["fee_online"],
        fee_by_province=bool(row["fee_by_province"]),
        fee_note=row["fee_note"],
        documents=tuple(documents),
        processing_unit=row["processing_unit"],
        source=row["source"],
        duration_note=row["duration_note"],
        extra=json.loads(row["extra"]),
    )


def load_catalogue(store: Store) -> Catalogue:
    """The whole catalogue, in the order it was imported."""
    documents = _documents(store.conn, None)
    fields = tuple(
        Field(r["code"], r["name"])
        for r in _rows(store.conn, "SELECT * FROM fields ORDER BY position, code")
    )
    procedures = tuple(
        _procedure(r, documents.get(r["code"], []))
        for r in _rows(store.conn, "SELECT * FROM procedures ORDER BY position, code")
    )
    return Catalogue(fields=fields, procedures=procedures)


def get_procedure(store: Store, code: str) -> Procedure | None:
    """One procedure by its code, or None."""
    rows = _rows(store.conn, "SELECT * FROM procedures WHERE code = ?", (code,))
    if not rows:
        return None
    return _procedure(rows[0], _documents(store.conn, code).get(code, []))


def procedure_codes(store: Store) -> list[str]:
    """Every procedure code, in catalogue order."""
    return [r[0] for r in store.conn.execute("SELECT code FROM procedures ORDER BY position")]
