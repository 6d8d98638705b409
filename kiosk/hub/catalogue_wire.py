"""The catalogue document as `GET /api/catalogue` answers it (the catalogue JSON format of
docs/catalogue.md); part of `kiosk.hub.wire`, which names it `wire.Catalogue`."""

from __future__ import annotations

from typing import Any, Literal

from typing_extensions import TypedDict

CopyKindName = Literal["original", "certified", "photocopy"]


class CatalogueField(TypedDict):
    code: str
    name: str


class Duration(TypedDict):
    value: int
    unit: str


class RequiredDocument(TypedDict):
    name: str
    copy_kinds: list[CopyKindName]
    count: int
    optional: bool


class Procedure(TypedDict):
    code: str
    name: str
    field_code: str
    duration: Duration | None
    duration_note: str
    same_day_cutoff: str | None
    fee_counter_vnd: int | None
    fee_online_vnd: int | None
    fee_by_province: bool
    fee_note: str
    documents: list[RequiredDocument]
    processing_unit: str
    source: str
    extra: dict[str, Any]


class Catalogue(TypedDict):
    """The catalogue JSON format (`docs/catalogue.md`)."""

    format: str
    version: int
    fields: list[CatalogueField]
    procedures: list[Procedure]
