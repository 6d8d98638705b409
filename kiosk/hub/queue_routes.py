"""The queue over HTTP: the snapshot, a ticket from the kiosk, and a counter's calls.

Every write runs on the database thread through `hub.write`, which then pushes the events it
committed to the stream. A counter acts only through its own device and logged-in staff session
(`Staffed`).
"""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter
from pydantic import BaseModel, Field

from kiosk.domain.errors import ValidationError
from kiosk.hub import wire
from kiosk.hub.deps import MAX_ROW_ID, AnyDevice, HubDep, KioskOrAdmin, RowId, Staffed, actor_of
from kiosk.queue import Outcome, PriorityCategory, Ticket

router = APIRouter()


class TicketIn(BaseModel):
    prefix: str = Field(min_length=1, max_length=2, pattern=r"^[A-Za-z]{1,2}$")
    priority: PriorityCategory | None = None
    citizen_id: str | None = Field(default=None, max_length=20)


class CallIn(BaseModel):
    ticket_id: int = Field(ge=1, le=MAX_ROW_ID)


class FinishIn(BaseModel):
    outcome: Outcome
    dossier_code: str | None = Field(default=None, max_length=60)


class HoldIn(BaseModel):
    note: str = Field(default="", max_length=500)


class TransferIn(BaseModel):
    to_prefix: str | None = Field(default=None, max_length=2, pattern=r"^[A-Za-z]{1,2}$")
    to_counter: int | None = Field(default=None, ge=1, le=999)
    note: str = Field(default="", max_length=500)
    come_back: bool = False


@router.get("/api/queue", tags=["hàng đợi"])
async def snapshot(hub: HubDep, dev: AnyDevice) -> wire.QueueSnapshot:
    """Toàn cảnh hàng đợi: nhóm dịch vụ, số người chờ, quầy và số đang phục vụ."""
    snap = await hub.run(hub.engine.snapshot)
    return cast(wire.QueueSnapshot, snap.as_json())


@router.post("/api/tickets", tags=["hàng đợi"], status_code=201)
async def issue(hub: HubDep, body: TicketIn, dev: KioskOrAdmin) -> wire.IssuedTicket:
    """Cấp số thứ tự cho một nhóm dịch vụ."""
    issued = await hub.write(
        hub.engine.issue,
        body.prefix.upper(),
        priority=body.priority,
        citizen_id=body.citizen_id,
        actor=f"device:{dev.id}",
    )
    return {
        "ticket": cast(wire.Ticket, issued.ticket.as_json()),
        "people_ahead": issued.people_ahead,
        "estimated_wait_minutes": issued.estimated_wait_minutes,
    }


def ticket_or_none(ticket: Ticket | None) -> wire.TicketAnswer:
    """A counter action's answer: the ticket it now has, or None."""
    return {"ticket": None if ticket is None else cast(wire.Ticket, ticket.as_json())}


@router.post("/api/counters/{counter}/call-next", tags=["quầy"])
async def call_next(hub: HubDep, counter: int, session: Staffed) -> wire.TicketAnswer:
    """Gọi số tiếp theo cho quầy (nguyên tử: hai quầy không bao giờ gọi cùng một số)."""
    return ticket_or_none(await hub.write(hub.engine.call_next, counter, actor=actor_of(session)))


@router.post("/api/counters/{counter}/call", tags=["quầy"])
async def call_ticket(
    hub: HubDep, counter: int, body: CallIn, session: Staffed
) -> wire.TicketAnswer:
    """Gọi một số cụ thể (không theo thứ tự)."""
    return ticket_or_none(
        await hub.write(hub.engine.call_ticket, counter, body.ticket_id, actor=actor_of(session))
    )


@router.post("/api/counters/{counter}/recall", tags=["quầy"])
async def recall(hub: HubDep, counter: int, session: Staffed) -> wire.TicketAnswer:
    return ticket_or_none(await hub.write(hub.engine.recall, counter, actor=actor_of(session)))


@router.post("/api/counters/{counter}/start", tags=["quầy"])
async def start(hub: HubDep, counter: int, session: Staffed) -> wire.TicketAnswer:
    return ticket_or_none(
        await hub.write(hub.engine.start_serving, counter, actor=actor_of(session))
    )


@router.post("/api/counters/{counter}/finish", tags=["quầy"])
async def finish(hub: HubDep, counter: int, body: FinishIn, session: Staffed) -> wire.TicketAnswer:
    return ticket_or_none(
        await hub.write(
            hub.engine.finish,
            counter,
            body.outcome,
            actor=actor_of(session),
            dossier_code=body.dossier_code,
        )
    )


@router.post("/api/counters/{counter}/no-show", tags=["quầy"])
async def no_show(hub: HubDep, counter: int, session: Staffed) -> wire.TicketAnswer:
    return ticket_or_none(await hub.write(hub.engine.no_show, counter, actor=actor_of(session)))


@router.post("/api/counters/{counter}/hold", tags=["quầy"])
async def hold(hub: HubDep, counter: int, body: HoldIn, session: Staffed) -> wire.TicketAnswer:
    return ticket_or_none(
        await hub.write(hub.engine.hold, counter, actor=actor_of(session), note=body.note)
    )


@router.post("/api/counters/{counter}/transfer", tags=["quầy"])
async def transfer(
    hub: HubDep, counter: int, body: TransferIn, session: Staffed
) -> wire.TicketAnswer:
    if (body.to_prefix is None) == (body.to_counter is None):
        raise ValidationError("Chọn đúng một nơi chuyển đến: một nhóm dịch vụ hoặc một quầy.")
    return ticket_or_none(
        await hub.write(
            hub.engine.transfer,
            counter,
            to_prefix=body.to_prefix.upper() if body.to_prefix else None,
            to_counter=body.to_counter,
            note=body.note,
            come_back=body.come_back,
            actor=actor_of(session),
        )
    )


@router.post("/api/counters/{counter}/return/{ticket_id}", tags=["quầy"])
async def return_from_hold(
    hub: HubDep, counter: int, ticket_id: RowId, session: Staffed
) -> wire.TicketAnswer:
    """Đưa một số đang tạm giữ trở lại hàng chờ (giữ nguyên vị trí)."""
    return ticket_or_none(
        await hub.write(hub.engine.return_from_hold, ticket_id, actor=actor_of(session))
    )


@router.post("/api/counters/{counter}/cancel/{ticket_id}", tags=["quầy"])
async def cancel(
    hub: HubDep, counter: int, ticket_id: RowId, session: Staffed
) -> wire.TicketAnswer:
    return ticket_or_none(await hub.write(hub.engine.cancel, ticket_id, actor=actor_of(session)))


@router.get("/api/counters/{counter}/held", tags=["quầy"])
async def held(hub: HubDep, counter: int, session: Staffed) -> wire.HeldTickets:
    """Các số đang tạm giữ tại quầy, kèm ghi chú và giờ tạm giữ (chỉ máy của quầy đó)."""
    found = await hub.run(hub.engine.held_since, counter)
    return {
        "tickets": [
            cast(wire.HeldTicket, {**ticket.as_json(public=False), "held_at": since.isoformat()})
            for ticket, since in found
        ]
    }
