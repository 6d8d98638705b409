"""The shape of every answer of the hub: what travels on the wire between the hub and a screen.

Each shape is a `TypedDict`: an answer stays a plain mapping (screens index it, events carry the
same shapes) and mypy checks every key a screen reads. The routes return them, so FastAPI checks
each answer and the OpenAPI document describes it; `HubClient` checks what it receives against
the same shape, so a renamed key fails at the boundary instead of printing a blank form. Shapes
forbid undeclared keys (a new key goes into its shape first, it is never dropped silently).
Times are ISO 8601 strings with their offset; days are `YYYY-MM-DD`.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired

from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict, is_typeddict

from kiosk.hub import catalogue_wire, voice_wire
from kiosk.hub.catalogue_wire import Catalogue as Catalogue
from kiosk.hub.catalogue_wire import CopyKindName as CopyKindName
from kiosk.hub.voice_wire import OfficeVoice as OfficeVoice
from kiosk.hub.voice_wire import VoiceClip as VoiceClip
from kiosk.hub.voice_wire import VoiceClips as VoiceClips

#: Every shape forbids undeclared keys and converts nothing ("1" is no int) (`_make_strict`).
STRICT = ConfigDict(extra="forbid", strict=True)

TicketStatusName = Literal[
    "waiting", "called", "serving", "on_hold", "done", "no_show", "cancelled"
]
OutcomeName = Literal["guided", "received", "supplement_requested", "refused"]
PriorityName = Literal["elderly", "disability", "pregnant_or_small_child", "merit"]
DossierStatusName = Literal[
    "received",
    "refused",
    "processing",
    "supplement_requested",
    "awaiting_fee",
    "withdrawn",
    "stopped",
    "done",
    "returned",
]
RatingLevelName = Literal["very_satisfied", "satisfied", "unsatisfied"]
TimelinessName = Literal["early", "on_time", "late"]
WorklistName = Literal["due_today", "due_soon", "overdue", "waiting_supplement", "ready_to_return"]
DeviceRoleName = Literal["kiosk", "counter", "display", "rating", "admin"]
StaffRoleName = Literal["clerk", "supervisor", "admin"]
OverrideKindName = Literal["holiday", "day_off", "workday"]
PrinterKindName = Literal["ticket", "receipt", "form"]


class SyncWorkerState(TypedDict):
    running: bool
    state: str
    message: str
    last_success_at: str | None
    last_error_at: str | None
    failures_in_a_row: int


class SyncState(TypedDict):
    """The sync with the district as the hub records it, plus the live worker's view."""

    synced: bool
    pending: int
    oldest_pending_at: str | None
    acked: int
    last_seq: int
    state: str | None
    last_success_at: str | None
    last_error: str | None
    last_error_at: str | None
    label: str
    alert: str | None
    configured: bool
    worker: NotRequired[SyncWorkerState]


class Health(TypedDict):
    status: Literal["ok"]
    version: str
    schema_version: int
    office: str
    notice: str
    time: str
    streams: int
    sync: SyncState


class Ticket(TypedDict):
    """A ticket as screens see it; `priority_category` and `note` only in a counter's lists."""

    id: int
    display_number: str
    prefix: str
    number: int
    group_id: int
    status: TicketStatusName
    priority: bool
    issued_at: str
    called_at: str | None
    serving_at: str | None
    finished_at: str | None
    first_called_at: str | None
    counter_number: int | None
    recalls: int
    outcome: OutcomeName | None
    return_to_counter: int | None
    assigned_counter: int | None
    service_day: str
    priority_category: NotRequired[PriorityName | None]
    note: NotRequired[str]


class HeldTicket(Ticket):
    held_at: str


class IssuedTicket(TypedDict):
    ticket: Ticket
    people_ahead: int
    estimated_wait_minutes: int


class ServiceGroup(TypedDict):
    id: int
    prefix: str
    name: str
    fields: list[str]
    number_width: int


class GroupStatus(TypedDict):
    group: ServiceGroup
    waiting: int
    estimated_wait_minutes: int


class CounterInfo(TypedDict):
    number: int
    name: str
    group_ids: list[int]
    open: bool


class CounterStatus(TypedDict):
    counter: CounterInfo
    current: Ticket | None


class QueueEvent(TypedDict):
    """One event of the stream; `details` only on office notices (events without a ticket)."""

    id: int
    kind: str
    at: str
    counter_number: int | None
    ticket: Ticket | None
    details: NotRequired[dict[str, Any]]


class QueueSnapshot(TypedDict):
    groups: list[GroupStatus]
    counters: list[CounterStatus]
    last_calls: list[QueueEvent]
    last_event_id: int


class SnapshotMessage(TypedDict):
    """The event stream's first message when it starts without `after`."""

    type: Literal["snapshot"]
    snapshot: QueueSnapshot
    id: int


class EventMessage(TypedDict):
    """Every later message of the event stream (and the replayed ones)."""

    type: Literal["event"]
    event: QueueEvent
    id: int


class SessionStaff(TypedDict):
    username: str
    full_name: str
    role: StaffRoleName


class SessionInfo(TypedDict):
    """Who is logged in on this device (GET /api/session)."""

    staff: SessionStaff
    counter_number: int | None
    expires_at: str


class Login(SessionInfo):
    """A new session; `token` travels as `X-Staff-Session` from then on."""

    token: str


class DossierDocument(TypedDict):
    name: str
    copy_kind: CopyKindName
    count: int


class Dossier(TypedDict):
    """A dossier: its stored row, the register line and what the service adds to it."""

    id: int
    code: str
    unit_code: str
    received_at: str
    due_at: str | None
    original_due_at: str | None
    status: DossierStatusName
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id_number: str
    applicant_id_legacy: bool
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    sets: int
    channel: str
    return_channel: str
    fee: int
    ticket_id: int | None
    register_year: int
    register_no: int
    created_by: str
    extensions: int
    supplement_requests: int
    result_at: str | None
    returned_at: str | None
    note: str
    updated_at: str
    register_number: str
    status_label: str
    portal_code: int
    documents: list[DossierDocument]
    current_unit: str
    counter_number: int | None
    early_return_notice: bool
    returned_to: str
    time_limit: str
    replayed: bool


class MissingItem(TypedDict):
    name: str
    detail: str


class Supplement(TypedDict):
    """A stored form 02 (at the counter, or after review of a received dossier)."""

    id: int
    number: str
    stage: str
    requested_at: str | None
    actor: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    items: list[MissingItem]
    reason: str
    dossier_code: str | None
    ticket_id: int | None
    counter_number: int | None
    ordinal: int
    within_limit: bool
    late_by_supplement: bool
    resumed_at: str | None
    due_at_before: str | None
    due_at_after: str | None
    replayed: bool


class Refusal(TypedDict):
    """A stored form 03."""

    id: int
    number: str
    at: str | None
    actor: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    reason: str
    ticket_id: int | None
    counter_number: int | None
    status: Literal["refused"]
    status_label: str
    replayed: bool


class Rating(TypedDict):
    id: int
    at: str | None
    level: RatingLevelName
    label: str
    counter_number: int | None
    staff: str
    ticket_id: int | None
    dossier_code: str | None
    comment: str
    replayed: bool


class Transfer(TypedDict):
    """One row of form 05 (a hand-over between units)."""

    id: int
    at: str | None
    from_unit: str
    to_unit: str
    giver: str
    receiver: str
    timeliness: TimelinessName | None
    timeliness_label: str
    note: str


class TimelineEntry(TypedDict):
    at: str | None
    kind: Literal["event", "transfer", "supplement", "extension"]
    title: str
    actor: str
    unit: str
    channel: str
    note: str
    status_from: DossierStatusName | None
    status_to: DossierStatusName | None
    details: dict[str, Any]


class DossierFile(TypedDict):
    """Everything staff see about one dossier."""

    dossier: Dossier
    transfers: list[Transfer]
    supplements: list[Supplement]
    timeline: list[TimelineEntry]


class DossierAnswer(TypedDict):
    """A dossier written (received, printed, a step); `supplement` after a form 02 request."""

    dossier: Dossier
    supplement: NotRequired[Supplement]


class Lookup(TypedDict):
    """What the kiosk shows a citizen: no personal data but a masked name."""

    code: str
    status: DossierStatusName
    status_label: str
    status_text: str
    procedure_name: str
    received_at: str | None
    due_at: str | None
    where_to_collect: str
    applicant_name: str
    result_ready: bool


class DuePreview(TypedDict):
    due_at: str
    time_limit: str


class NewDevice(TypedDict):
    """A device just registered; its token is shown this once."""

    id: int
    name: str
    role: DeviceRoleName
    counter_number: int | None
    token: str


class DeviceRow(TypedDict):
    id: int
    name: str
    role: DeviceRoleName
    counter_number: int | None
    created_at: str
    revoked_at: str | None
    last_seen_at: str | None


class NewStaff(TypedDict):
    id: int
    username: str
    full_name: str
    role: StaffRoleName


class StaffAccount(TypedDict):
    """A staff account without secrets; `locked` by the hub's clock."""

    id: int
    username: str
    full_name: str
    role: StaffRoleName
    active: bool
    locked_until: str | None
    locked: bool
    created_at: str


class StaffChanged(StaffAccount):
    sessions_ended: int


class CalendarOverride(TypedDict):
    day: str
    kind: OverrideKindName
    reason: str


class BackupMade(TypedDict):
    path: str
    name: str
    bytes: int


class Backup(TypedDict):
    name: str
    taken_at: str
    bytes: int
    verified: bool
    schema_version: int | None
    problem: str
    safety: bool


class Restored(TypedDict):
    """`session_valid` false: the backup predates this login, log in again."""

    name: str
    safety_backup: str
    restored_at: str
    session_valid: bool


class OfficeGroup(TypedDict):
    prefix: str
    name: str
    fields: list[str]


class OfficeCounter(TypedDict):
    number: int
    name: str
    groups: list[str]


class Office(TypedDict):
    """What screens show of the office (also the details of the `office.changed` event)."""

    office_name: str
    unit_code: str
    notice: str
    form_set: str
    fields: list[str]
    groups: list[OfficeGroup]
    counters: list[OfficeCounter]
    same_day_cutoff: str
    appointment: str
    sessions: list[str]
    voice: OfficeVoice


class OfficeSettings(Office):
    """Everything the admin screen edits, plus where the hub keeps its data."""

    hub_url: str
    district_url: str
    priority_mode: str
    priority_every: int
    max_recalls: int
    supplement_policy: str
    data_dir: str
    settings_file: str


class OfficeChanged(TypedDict):
    office: OfficeSettings
    changed: list[str]
    message: str


class ThisDevice(TypedDict):
    id: int
    name: str
    role: DeviceRoleName
    counter_number: int | None
    kinds: list[PrinterKindName]
    printers: dict[str, str]


class DevicePrinters(TypedDict):
    """A device's printer kinds and the URIs set for them (unset kinds are absent)."""

    device_id: int
    name: str
    role: DeviceRoleName
    counter_number: int | None
    revoked: bool
    kinds: list[PrinterKindName]
    printers: dict[str, str]


class PrintTest(TypedDict):
    id: int
    device_id: int
    kind: PrinterKindName
    state: Literal["pending", "done"]
    ok: bool | None
    message: str
    printer: str
    printer_status: dict[str, Any] | str | None
    requested_at: str
    requested_by: str
    finished_at: str | None


class TicketAnswer(TypedDict):
    """A counter's action: the ticket it now has, or None (nobody waiting, nothing called)."""

    ticket: Ticket | None


class HeldTickets(TypedDict):
    tickets: list[HeldTicket]


class FirstAdminNeeded(TypedDict):
    needed: bool


class SupplementAnswer(TypedDict):
    supplement: Supplement


class RefusalAnswer(TypedDict):
    refusal: Refusal


class WorklistAnswer(TypedDict):
    kind: WorklistName
    dossiers: list[Dossier]


class DossierList(TypedDict):
    dossiers: list[Dossier]


class LookupAnswer(TypedDict):
    dossier: Lookup


class RatingAnswer(TypedDict):
    rating: Rating


class CatalogueImported(TypedDict):
    """What an imported catalogue holds: how many procedures and fields."""

    procedures: int
    fields: int


def _make_strict() -> None:
    """Give every shape of this module (and its parts') the STRICT configuration."""
    shapes = [*globals().values(), *vars(catalogue_wire).values(), *vars(voice_wire).values()]
    for value in shapes:
        if is_typeddict(value):
            with_config(STRICT)(value)


_make_strict()
