"""The hub's dossier routes: thin HTTP over `kiosk.dossiers.DossierService`.

Who may call what:
- counter consoles with a logged-in staff session (`/api/counters/{counter}/...`): every step of
  the workflow, the work lists, search and a dossier's file (each read is audited);
- the kiosk (and admin): only the citizens' lookup `/api/lookup`, rate-limited per device;
- rating screens and counter consoles: `/api/ratings`.

Every write accepts a client `request_id` (8–100 characters): a retry after a timeout with the
same id gets the first answer back instead of a second dossier. All service calls run on the
hub's single database thread (`Hub.run`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, cast

from fastapi import APIRouter, Depends, Header, Path, Query
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, Field

from kiosk.domain.catalogue import CopyKind
from kiosk.domain.errors import ValidationError
from kiosk.dossiers import (
    Applicant,
    CounterRefusal,
    CounterSupplement,
    Dossier,
    HandedDocument,
    LookupRateLimited,
    MissingDocument,
    RatingLevel,
    Reception,
    Worklist,
)
from kiosk.hub import wire
from kiosk.hub.auth import Device, Role
from kiosk.hub.deps import MAX_ROW_ID, HubDep, Staffed, actor_of, allow, error_body
from kiosk.hub.errors import status_for

Channel = Literal["counter", "postal", "online"]
RequestId = Annotated[
    str | None, Field(min_length=8, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")
]
Code = Annotated[str, Path(min_length=1, max_length=60)]


# --- request bodies ----------------------------------------------------------------------------


class ApplicantIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    citizen_id: str = Field(default="", max_length=20)
    phone: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=254)
    address: str = Field(default="", max_length=300)

    def value(self) -> Applicant:
        return Applicant(self.name, self.citizen_id, self.phone, self.email, self.address)


class DocumentIn(BaseModel):
    name: str = Field(default="", max_length=500)
    copy_kind: CopyKind = CopyKind.ORIGINAL
    count: int = Field(default=1, ge=1, le=999)
    catalogue_position: int | None = Field(default=None, ge=0, le=999)


class ReceiveIn(BaseModel):
    request_id: RequestId = None
    procedure_code: str = Field(min_length=1, max_length=60)
    applicant: ApplicantIn
    documents: list[DocumentIn] = Field(default_factory=list, max_length=100)
    sets: int = Field(default=1, ge=1, le=99)
    channel: Channel = "counter"
    return_channel: Channel = "counter"
    fee: int | None = Field(default=None, ge=0, le=1_000_000_000)
    ticket_id: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)
    due_at: AwareDatetime | None = None
    note: str = Field(default="", max_length=1000)


class MissingIn(BaseModel):
    name: str = Field(min_length=1, max_length=500)
    detail: str = Field(default="", max_length=500)


class CounterSupplementIn(BaseModel):
    request_id: RequestId = None
    procedure_code: str = Field(min_length=1, max_length=60)
    applicant: ApplicantIn
    items: list[MissingIn] = Field(min_length=1, max_length=50)
    reason: str = Field(min_length=1, max_length=1000)
    ticket_id: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)


class RefusalIn(BaseModel):
    request_id: RequestId = None
    procedure_code: str = Field(min_length=1, max_length=60)
    applicant: ApplicantIn
    reason: str = Field(min_length=1, max_length=1000)
    ticket_id: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)


class StepIn(BaseModel):
    request_id: RequestId = None
    note: str = Field(default="", max_length=1000)
    unit: str = Field(default="", max_length=200)


class ReasonIn(BaseModel):
    request_id: RequestId = None
    reason: str = Field(min_length=1, max_length=1000)


class TransferIn(BaseModel):
    request_id: RequestId = None
    to_unit: str = Field(min_length=1, max_length=200)
    from_unit: str = Field(default="", max_length=200)
    giver: str = Field(default="", max_length=100)
    receiver: str = Field(default="", max_length=100)
    step_due_at: AwareDatetime | None = None
    note: str = Field(default="", max_length=1000)


class SupplementRequestIn(BaseModel):
    request_id: RequestId = None
    items: list[MissingIn] = Field(min_length=1, max_length=50)
    reason: str = Field(min_length=1, max_length=1000)
    allow_late: bool = False


class FeeIn(BaseModel):
    request_id: RequestId = None
    amount: int | None = Field(default=None, ge=0, le=1_000_000_000)
    note: str = Field(default="", max_length=1000)


class ExtendIn(BaseModel):
    request_id: RequestId = None
    reason: str = Field(min_length=1, max_length=1000)
    new_due_date: date | None = None
    new_due_at: AwareDatetime | None = None


class ReturnIn(BaseModel):
    request_id: RequestId = None
    channel: Channel = "counter"
    received_by: str = Field(default="", max_length=100)
    note: str = Field(default="", max_length=1000)


class PrintIn(BaseModel):
    form: str = Field(min_length=1, max_length=40)
    copies: int = Field(default=1, ge=1, le=20)


class LookupIn(BaseModel):
    code: str = Field(min_length=1, max_length=100)


class RatingIn(BaseModel):
    request_id: RequestId = None
    level: RatingLevel
    comment: str = Field(default="", max_length=1000)
    ticket_id: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)
    dossier_code: str | None = Field(default=None, max_length=60)


def _in_range(value: datetime | date | None, field: str) -> None:
    """Dates a person could mean; anything else is a typo (and would overflow the store)."""
    if value is not None and not 2000 <= value.year <= 2099:
        raise ValidationError(
            f"Ngày {value:%d/%m/%Y} nằm ngoài khoảng cho phép (2000–2099).", field=field
        )


def _missing(items: list[MissingIn]) -> tuple[MissingDocument, ...]:
    return tuple(MissingDocument(i.name, i.detail) for i in items)


# --- the router --------------------------------------------------------------------------------


router = APIRouter(tags=["hồ sơ"])
counter_path = "/api/counters/{counter}"


# --- reception and outcomes at the counter ---------------------------------------------


@router.post(f"{counter_path}/dossiers", status_code=201)
async def receive(
    hub: HubDep, counter: int, body: ReceiveIn, session: Staffed
) -> wire.DossierAnswer:
    """Tiếp nhận hồ sơ đầy đủ: cấp mã hồ sơ, số sổ, ngày hẹn trả (mẫu 01)."""
    _in_range(body.due_at, "due_at")
    reception = Reception(
        procedure_code=body.procedure_code,
        applicant=body.applicant.value(),
        documents=tuple(
            HandedDocument(d.name, d.copy_kind, d.count, d.catalogue_position)
            for d in body.documents
        ),
        sets=body.sets,
        channel=body.channel,
        return_channel=body.return_channel,
        fee=body.fee,
        ticket_id=body.ticket_id,
        counter_number=counter,
        due_at=body.due_at,
        note=body.note,
    )
    dossier = await hub.run(
        hub.dossiers.receive, reception, actor=actor_of(session), request_id=body.request_id
    )
    return dossier_answer(dossier)


@router.post(f"{counter_path}/supplements", status_code=201)
async def supplement_at_counter(
    hub: HubDep, counter: int, body: CounterSupplementIn, session: Staffed
) -> wire.SupplementAnswer:
    """Hồ sơ chưa đầy đủ: phiếu yêu cầu bổ sung (mẫu 02), ghi theo số thứ tự, chưa có mã."""
    request = CounterSupplement(
        procedure_code=body.procedure_code,
        applicant=body.applicant.value(),
        items=_missing(body.items),
        reason=body.reason,
        ticket_id=body.ticket_id,
        counter_number=counter,
    )
    record = await hub.run(
        hub.dossiers.supplement_at_counter,
        request,
        actor=actor_of(session),
        request_id=body.request_id,
    )
    return {"supplement": cast(wire.Supplement, record.as_json())}


@router.post(f"{counter_path}/refusals", status_code=201)
async def refuse(
    hub: HubDep, counter: int, body: RefusalIn, session: Staffed
) -> wire.RefusalAnswer:
    """Từ chối tiếp nhận hồ sơ (mẫu 03) với lý do, ghi theo số thứ tự."""
    request = CounterRefusal(
        procedure_code=body.procedure_code,
        applicant=body.applicant.value(),
        reason=body.reason,
        ticket_id=body.ticket_id,
        counter_number=counter,
    )
    record = await hub.run(
        hub.dossiers.refuse_at_counter, request, actor=actor_of(session), request_id=body.request_id
    )
    return {"refusal": cast(wire.Refusal, record.as_json())}


# --- reading (audited) --------------------------------------------------------------------


@router.get(f"{counter_path}/dossiers/{{code}}")
async def dossier_file(hub: HubDep, counter: int, code: Code, session: Staffed) -> wire.DossierFile:
    """Toàn bộ hồ sơ: thông tin, phiếu kiểm soát (mẫu 05), lịch sử (ghi nhật ký xem)."""
    found = await hub.run(hub.dossiers.open_file, code, actor=actor_of(session))
    return cast(wire.DossierFile, found.as_json())


@router.post(f"{counter_path}/dossiers/{{code}}/print")
async def record_print(
    hub: HubDep, counter: int, code: Code, body: PrintIn, session: Staffed
) -> wire.DossierAnswer:
    """Ghi nhật ký in một mẫu của hồ sơ."""
    dossier = await hub.run(
        hub.dossiers.record_print, code, actor=actor_of(session), form=body.form, copies=body.copies
    )
    return dossier_answer(dossier)


@router.get(f"{counter_path}/worklists/{{kind}}")
async def worklist(
    hub: HubDep,
    counter: int,
    kind: Worklist,
    session: Staffed,
    days: Annotated[int, Query(ge=1, le=60)] = 3,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> wire.WorklistAnswer:
    """Danh sách công việc: đến hạn hôm nay, sắp đến hạn, quá hạn, chờ bổ sung, chờ trả."""
    found = await hub.run(
        hub.dossiers.worklist, kind, actor=actor_of(session), days=days, limit=limit
    )
    return {"kind": kind.value, "dossiers": dossier_list(found)}


@router.get(f"{counter_path}/dossier-search")
async def search(
    hub: HubDep,
    counter: int,
    session: Staffed,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> wire.DossierList:
    """Tìm hồ sơ theo tên (không dấu cũng được), mã, số điện thoại, số định danh, thủ tục."""
    found = await hub.run(hub.dossiers.search, q, actor=actor_of(session), limit=limit)
    return {"dossiers": dossier_list(found)}


# --- after reception ------------------------------------------------------------------------


def dossier_json(dossier: Dossier) -> wire.Dossier:
    return cast(wire.Dossier, dossier.as_json())


def dossier_list(found: list[Dossier]) -> list[wire.Dossier]:
    return [dossier_json(d) for d in found]


def dossier_answer(dossier: Dossier) -> wire.DossierAnswer:
    return {"dossier": dossier_json(dossier)}


@router.post(f"{counter_path}/dossiers/{{code}}/transfer")
async def transfer(
    hub: HubDep, counter: int, code: Code, body: TransferIn, session: Staffed
) -> wire.DossierAnswer:
    """Chuyển hồ sơ cho đơn vị giải quyết (một dòng của phiếu kiểm soát, mẫu 05)."""
    _in_range(body.step_due_at, "step_due_at")
    return dossier_answer(
        await hub.run(
            hub.dossiers.transfer,
            code,
            to_unit=body.to_unit,
            from_unit=body.from_unit,
            giver=body.giver,
            receiver=body.receiver,
            step_due_at=body.step_due_at,
            note=body.note,
            actor=actor_of(session),
            request_id=body.request_id,
        )
    )


@router.post(f"{counter_path}/dossiers/{{code}}/start-processing")
async def start_processing(
    hub: HubDep, counter: int, code: Code, body: StepIn, session: Staffed
) -> wire.DossierAnswer:
    return dossier_answer(
        await hub.run(
            hub.dossiers.start_processing,
            code,
            unit=body.unit,
            note=body.note,
            actor=actor_of(session),
            request_id=body.request_id,
        )
    )


@router.post(f"{counter_path}/dossiers/{{code}}/supplement-request")
async def request_supplement(
    hub: HubDep, counter: int, code: Code, body: SupplementRequestIn, session: Staffed
) -> wire.DossierAnswer:
    """Yêu cầu bổ sung sau khi thẩm định (mẫu 02), trong 3 ngày làm việc."""
    record = await hub.run(
        hub.dossiers.request_supplement,
        code,
        items=_missing(body.items),
        reason=body.reason,
        allow_late=body.allow_late,
        actor=actor_of(session),
        request_id=body.request_id,
    )
    dossier = await hub.run(hub.dossiers.get, code)
    return {"dossier": dossier_json(dossier), "supplement": cast(wire.Supplement, record.as_json())}


@router.post(f"{counter_path}/dossiers/{{code}}/supplement-received")
async def supplement_received(
    hub: HubDep, counter: int, code: Code, body: StepIn, session: Staffed
) -> wire.DossierAnswer:
    return dossier_answer(
        await hub.run(
            hub.dossiers.supplement_received,
            code,
            note=body.note,
            actor=actor_of(session),
            request_id=body.request_id,
        )
    )


@router.post(f"{counter_path}/dossiers/{{code}}/fee-request")
async def request_fee(
    hub: HubDep, counter: int, code: Code, body: FeeIn, session: Staffed
) -> wire.DossierAnswer:
    return dossier_answer(
        await hub.run(
            hub.dossiers.request_fee,
            code,
            amount=body.amount,
            note=body.note,
            actor=actor_of(session),
            request_id=body.request_id,
        )
    )


@router.post(f"{counter_path}/dossiers/{{code}}/fee-paid")
async def fee_paid(
    hub: HubDep, counter: int, code: Code, body: StepIn, session: Staffed
) -> wire.DossierAnswer:
    return dossier_answer(
        await hub.run(
            hub.dossiers.fee_paid,
            code,
            note=body.note,
            actor=actor_of(session),
            request_id=body.request_id,
        )
    )


@router.post(f"{counter_path}/dossiers/{{code}}/extend")
async def extend(
    hub: HubDep, counter: int, code: Code, body: ExtendIn, session: Staffed
) -> wire.DossierAnswer:
    """Gia hạn một lần, kèm thư xin lỗi (mẫu 04), chậm nhất 1 ngày trước ngày hẹn trả."""
    if (body.new_due_date is None) == (body.new_due_at is None):
        raise ValidationError(
            "Chọn đúng một ngày hẹn trả mới (new_due_date hoặc new_due_at).",
            field="new_due_date",
        )
    new_due: date | datetime
    if body.new_due_at is not None:
        new_due = body.new_due_at
    else:
        assert body.new_due_date is not None
        new_due = body.new_due_date
    _in_range(new_due, "new_due_date")
    return dossier_answer(
        await hub.run(
            hub.dossiers.extend,
            code,
            new_due_at=new_due,
            reason=body.reason,
            actor=actor_of(session),
            request_id=body.request_id,
        )
    )


@router.post(f"{counter_path}/dossiers/{{code}}/withdraw")
async def withdraw(
    hub: HubDep, counter: int, code: Code, body: ReasonIn, session: Staffed
) -> wire.DossierAnswer:
    return dossier_answer(
        await hub.run(
            hub.dossiers.withdraw,
            code,
            reason=body.reason,
            actor=actor_of(session),
            request_id=body.request_id,
        )
    )


@router.post(f"{counter_path}/dossiers/{{code}}/stop")
async def stop(
    hub: HubDep, counter: int, code: Code, body: ReasonIn, session: Staffed
) -> wire.DossierAnswer:
    return dossier_answer(
        await hub.run(
            hub.dossiers.stop,
            code,
            reason=body.reason,
            actor=actor_of(session),
            request_id=body.request_id,
        )
    )


@router.post(f"{counter_path}/dossiers/{{code}}/done")
async def done(
    hub: HubDep, counter: int, code: Code, body: StepIn, session: Staffed
) -> wire.DossierAnswer:
    """Có kết quả (trả sớm thì báo cho người nộp)."""
    return dossier_answer(
        await hub.run(
            hub.dossiers.done,
            code,
            unit=body.unit,
            note=body.note,
            actor=actor_of(session),
            request_id=body.request_id,
        )
    )


@router.post(f"{counter_path}/dossiers/{{code}}/return")
async def return_result(
    hub: HubDep, counter: int, code: Code, body: ReturnIn, session: Staffed
) -> wire.DossierAnswer:
    """Trả kết quả: tại quầy (ghi người nhận), qua bưu chính hoặc trực tuyến."""
    return dossier_answer(
        await hub.run(
            hub.dossiers.return_result,
            code,
            channel=body.channel,
            received_by=body.received_by,
            note=body.note,
            actor=actor_of(session),
            request_id=body.request_id,
        )
    )


# --- citizens ---------------------------------------------------------------------------


@router.post("/api/lookup", response_model=wire.LookupAnswer)
async def lookup(
    hub: HubDep, body: LookupIn, dev: Annotated[Device, Depends(allow(Role.KIOSK, Role.ADMIN))]
) -> wire.LookupAnswer | JSONResponse:
    """Tra cứu hồ sơ cho công dân theo mã hồ sơ (tên được che, không có dữ liệu cá nhân)."""
    try:
        found = await hub.run(hub.dossiers.lookup, body.code, device=f"device:{dev.id}")
    except LookupRateLimited as exc:
        return JSONResponse(
            error_body(exc.code, exc.message),
            status_code=status_for(exc),
            headers={"Retry-After": str(exc.retry_after_seconds)},
        )
    return {"dossier": cast(wire.Lookup, found.as_json())}


@router.post("/api/ratings", status_code=201)
async def rate(
    hub: HubDep,
    body: RatingIn,
    dev: Annotated[Device, Depends(allow(Role.RATING, Role.COUNTER))],
    x_staff_session: Annotated[str, Header()] = "",
) -> wire.RatingAnswer:
    """Đánh giá mức độ hài lòng (3 mức), gắn với quầy, cán bộ, số thứ tự và hồ sơ."""
    staff = None
    if dev.role is Role.COUNTER and x_staff_session:
        session = await hub.session(dev, x_staff_session)
        staff = session.staff.username
    record = await hub.run(
        hub.dossiers.rate,
        body.level,
        actor=f"device:{dev.id}",
        counter_number=dev.counter_number,
        staff=staff,
        ticket_id=body.ticket_id,
        dossier_code=body.dossier_code or None,
        comment=body.comment,
        request_id=body.request_id,
    )
    return {"rating": cast(wire.Rating, record.as_json())}
