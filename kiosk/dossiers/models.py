"""What goes into and comes out of the dossier service: plain, typed values.

Inputs are what the counter typed (validated and normalised by the service, never trusted);
outputs are JSON-ready through `as_json`, which is what the hub sends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from kiosk.domain.catalogue import CopyKind
from kiosk.domain.lifecycle import DossierStatus, Timeliness
from kiosk.store.dossier_repo import DossierDocument, DossierRow
from kiosk.store.tx import to_iso

CHANNEL_LABELS: Final[dict[str, str]] = {
    "counter": "Trực tiếp tại Bộ phận Một cửa",
    "postal": "Qua dịch vụ bưu chính công ích",
    "online": "Trực tuyến",
}


def _iso(value: datetime | None) -> str | None:
    return None if value is None else to_iso(value)


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Applicant:
    """The applicant as typed at the counter; the service validates every field."""

    name: str
    citizen_id: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class HandedDocument:
    """One line of the documents handed in.

    `catalogue_position` picks a line of the procedure's list (0-based; its name comes from the
    catalogue and the copy kind must be one the catalogue allows); without it, `name` is a free
    extra line.
    """

    name: str = ""
    copy_kind: CopyKind = CopyKind.ORIGINAL
    count: int = 1
    catalogue_position: int | None = None


@dataclass(frozen=True, slots=True)
class Reception:
    """A complete dossier handed in at the counter (form 01)."""

    procedure_code: str
    applicant: Applicant
    documents: tuple[HandedDocument, ...] = ()
    sets: int = 1
    channel: str = "counter"
    return_channel: str = "counter"
    #: VND; None takes the catalogue's fee for the channel (online fee for online dossiers).
    fee: int | None = None
    ticket_id: int | None = None
    counter_number: int | None = None
    #: Only for procedures without a fixed time limit: the due date set by hand.
    due_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class MissingDocument:
    """One thing to add or fix (form 02)."""

    name: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CounterSupplement:
    """An incomplete dossier at the counter: everything missing and why (form 02), no code."""

    procedure_code: str
    applicant: Applicant
    items: tuple[MissingDocument, ...]
    reason: str
    ticket_id: int | None = None
    counter_number: int | None = None


@dataclass(frozen=True, slots=True)
class CounterRefusal:
    """A dossier not admissible (form 03): the reason, recorded against the ticket."""

    procedure_code: str
    applicant: Applicant
    reason: str
    ticket_id: int | None = None
    counter_number: int | None = None


class RatingLevel(StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    UNSATISFIED = "unsatisfied"

    @property
    def label(self) -> str:
        return RATING_LABELS[self]


RATING_LABELS: Final[dict[RatingLevel, str]] = {
    RatingLevel.VERY_SATISFIED: "Rất hài lòng",
    RatingLevel.SATISFIED: "Hài lòng",
    RatingLevel.UNSATISFIED: "Không hài lòng",
}


class Worklist(StrEnum):
    """The staff's work lists."""

    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    WAITING_SUPPLEMENT = "waiting_supplement"
    READY_TO_RETURN = "ready_to_return"


WORKLIST_LABELS: Final[dict[Worklist, str]] = {
    Worklist.DUE_TODAY: "Đến hạn hôm nay",
    Worklist.DUE_SOON: "Sắp đến hạn",
    Worklist.OVERDUE: "Quá hạn",
    Worklist.WAITING_SUPPLEMENT: "Chờ bổ sung",
    Worklist.READY_TO_RETURN: "Chờ trả kết quả",
}


# --- outputs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dossier:
    """A stored dossier with what the service adds to the store's row."""

    row: DossierRow
    documents: tuple[DossierDocument, ...] = ()
    current_unit: str = ""
    counter_number: int | None = None
    early_return_notice: bool = False
    returned_to: str = ""
    time_limit: str = ""
    #: True when this answer repeats an earlier request with the same request id.
    replayed: bool = False

    @property
    def code(self) -> str:
        return self.row.code

    @property
    def status(self) -> DossierStatus:
        return self.row.status

    def as_json(self) -> dict[str, Any]:
        out = self.row.as_json()
        out.update(
            status_label=self.row.status.label,
            portal_code=self.row.status.portal_code,
            documents=[
                {"name": d.name, "copy_kind": CopyKind(d.copy_kind).value, "count": d.count}
                for d in self.documents
            ],
            current_unit=self.current_unit,
            counter_number=self.counter_number,
            early_return_notice=self.early_return_notice,
            returned_to=self.returned_to,
            time_limit=self.time_limit,
            replayed=self.replayed,
        )
        return out


@dataclass(frozen=True, slots=True)
class SupplementRecord:
    """A stored form 02 (at the counter or after review)."""

    id: int
    number: str
    stage: str
    requested_at: datetime
    actor: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    items: tuple[MissingDocument, ...]
    reason: str
    dossier_code: str | None = None
    ticket_id: int | None = None
    counter_number: int | None = None
    ordinal: int = 1
    within_limit: bool = True
    resumed_at: datetime | None = None
    due_at_before: datetime | None = None
    due_at_after: datetime | None = None
    replayed: bool = False

    @property
    def late_by_supplement(self) -> bool:
        """A second request counts the dossier late in the service index."""
        return self.ordinal > 1

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "stage": self.stage,
            "requested_at": _iso(self.requested_at),
            "actor": self.actor,
            "procedure_code": self.procedure_code,
            "procedure_name": self.procedure_name,
            "applicant_name": self.applicant_name,
            "items": [{"name": i.name, "detail": i.detail} for i in self.items],
            "reason": self.reason,
            "dossier_code": self.dossier_code,
            "ticket_id": self.ticket_id,
            "counter_number": self.counter_number,
            "ordinal": self.ordinal,
            "within_limit": self.within_limit,
            "late_by_supplement": self.late_by_supplement,
            "resumed_at": _iso(self.resumed_at),
            "due_at_before": _iso(self.due_at_before),
            "due_at_after": _iso(self.due_at_after),
            "replayed": self.replayed,
        }


@dataclass(frozen=True, slots=True)
class RefusalRecord:
    """A stored form 03."""

    id: int
    number: str
    at: datetime
    actor: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    reason: str
    ticket_id: int | None = None
    counter_number: int | None = None
    replayed: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "at": _iso(self.at),
            "actor": self.actor,
            "procedure_code": self.procedure_code,
            "procedure_name": self.procedure_name,
            "applicant_name": self.applicant_name,
            "reason": self.reason,
            "ticket_id": self.ticket_id,
            "counter_number": self.counter_number,
            "status": DossierStatus.REFUSED.value,
            "status_label": DossierStatus.REFUSED.label,
            "replayed": self.replayed,
        }


@dataclass(frozen=True, slots=True)
class RatingRecord:
    id: int
    at: datetime
    level: RatingLevel
    counter_number: int | None
    staff: str
    ticket_id: int | None
    dossier_code: str | None
    comment: str
    replayed: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": _iso(self.at),
            "level": self.level.value,
            "label": self.level.label,
            "counter_number": self.counter_number,
            "staff": self.staff,
            "ticket_id": self.ticket_id,
            "dossier_code": self.dossier_code,
            "comment": self.comment,
            "replayed": self.replayed,
        }


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of a dossier's history: a status event, a hand-over, a form 02 or 04."""

    at: datetime
    kind: str  # "event" | "transfer" | "supplement" | "extension"
    title: str
    actor: str = ""
    unit: str = ""
    channel: str = ""
    note: str = ""
    status_from: DossierStatus | None = None
    status_to: DossierStatus | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "at": _iso(self.at),
            "kind": self.kind,
            "title": self.title,
            "actor": self.actor,
            "unit": self.unit,
            "channel": self.channel,
            "note": self.note,
            "status_from": None if self.status_from is None else self.status_from.value,
            "status_to": None if self.status_to is None else self.status_to.value,
            "details": self.details,
        }


@dataclass(frozen=True, slots=True)
class Transfer:
    """One row of form 05."""

    id: int
    at: datetime
    from_unit: str
    to_unit: str
    giver: str
    receiver: str
    timeliness: Timeliness | None
    note: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": _iso(self.at),
            "from_unit": self.from_unit,
            "to_unit": self.to_unit,
            "giver": self.giver,
            "receiver": self.receiver,
            "timeliness": None if self.timeliness is None else self.timeliness.value,
            "timeliness_label": "" if self.timeliness is None else self.timeliness.label,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class DossierFile:
    """Everything staff see about one dossier: the dossier, its hand-overs, its timeline."""

    dossier: Dossier
    transfers: tuple[Transfer, ...]
    supplements: tuple[SupplementRecord, ...]
    timeline: tuple[TimelineEntry, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "dossier": self.dossier.as_json(),
            "transfers": [t.as_json() for t in self.transfers],
            "supplements": [s.as_json() for s in self.supplements],
            "timeline": [e.as_json() for e in self.timeline],
        }


@dataclass(frozen=True, slots=True)
class LookupResult:
    """What the kiosk shows a citizen: no personal data but a masked name."""

    code: str
    status: DossierStatus
    status_text: str
    procedure_name: str
    received_at: datetime
    due_at: datetime | None
    where_to_collect: str
    applicant_name_masked: str
    result_ready: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "status": self.status.value,
            "status_label": self.status.label,
            "status_text": self.status_text,
            "procedure_name": self.procedure_name,
            "received_at": _iso(self.received_at),
            "due_at": _iso(self.due_at),
            "where_to_collect": self.where_to_collect,
            "applicant_name": self.applicant_name_masked,
            "result_ready": self.result_ready,
        }
