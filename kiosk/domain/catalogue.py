"""The procedure catalogue: fields (lĩnh vực), procedures (TTHC) and their required documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum


class DurationUnit(StrEnum):
    """How a procedure's time limit is counted."""

    WORKING_DAY = "working_day"
    WORKING_HOUR = "working_hour"
    CALENDAR_DAY = "calendar_day"


DURATION_UNIT_LABELS: dict[DurationUnit, str] = {
    DurationUnit.WORKING_DAY: "ngày làm việc",
    DurationUnit.WORKING_HOUR: "giờ làm việc",
    DurationUnit.CALENDAR_DAY: "ngày",
}


@dataclass(frozen=True, slots=True)
class Duration:
    """A legal time limit: `value` units; `value == 0` days means same-day (trả trong ngày)."""

    value: int
    unit: DurationUnit = DurationUnit.WORKING_DAY

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("duration must not be negative")

    @property
    def label(self) -> str:
        if self.value == 0 and self.unit != DurationUnit.WORKING_HOUR:
            return "trong ngày"
        return f"{self.value} {DURATION_UNIT_LABELS[self.unit]}"


class CopyKind(StrEnum):
    """The form in which a document is handed in (form 01 columns)."""

    ORIGINAL = "original"  # bản chính
    CERTIFIED = "certified"  # bản sao chứng thực
    PHOTOCOPY = "photocopy"  # bản photocopy / bản chụp


COPY_KIND_LABELS: dict[CopyKind, str] = {
    CopyKind.ORIGINAL: "Bản chính",
    CopyKind.CERTIFIED: "Bản sao chứng thực",
    CopyKind.PHOTOCOPY: "Bản photocopy",
}


@dataclass(frozen=True, slots=True)
class RequiredDocument:
    """One line of a procedure's thành phần hồ sơ."""

    name: str
    copy_kinds: tuple[CopyKind, ...] = (CopyKind.ORIGINAL,)
    count: int = 1
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Field:
    """A lĩnh vực: a group of procedures; counters and service groups serve fields."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Procedure:
    """A thủ tục hành chính as published in the national TTHC database.

    Fees are integer VND. `None` fee means "set by the province" (`fee_by_province` True) or not
    fixed; the note then says where the amount comes from.
    """

    code: str
    name: str
    field_code: str
    duration: Duration | None
    same_day_cutoff: time | None = None
    fee_counter: int | None = 0
    fee_online: int | None = None
    fee_by_province: bool = False
    fee_note: str = ""
    documents: tuple[RequiredDocument, ...] = ()
    processing_unit: str = ""
    source: str = ""
    duration_note: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A full catalogue snapshot: what an import produces and what the store replaces at once."""

    fields: tuple[Field, ...]
    procedures: tuple[Procedure, ...]

    def field_by_code(self) -> dict[str, Field]:
        return {f.code: f for f in self.fields}

    def procedure(self, code: str) -> Procedure | None:
        for p in self.procedures:
            if p.code == code:
                return p
        return None
