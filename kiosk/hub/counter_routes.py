"""Counter helpers that write nothing: the due date a reception would get, shown before saving.

The clerk reads the appointment date to the citizen before the dossier is saved, so it must be
the date the hub will compute (office calendar with its overrides, the procedure's cut-off, the
appointment hour); computing it in the console from a stale calendar could promise a wrong day.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from kiosk.hub import wire
from kiosk.hub.deps import Staffed, hub_of
from kiosk.office import due_for

router = APIRouter(tags=["quầy"])


class DuePreviewIn(BaseModel):
    procedure_code: str = Field(min_length=1, max_length=60)


@router.post("/api/counters/{counter}/due-preview")
async def due_preview(
    counter: int, body: DuePreviewIn, request: Request, session: Staffed
) -> wire.DuePreview:
    """Ngày hẹn trả nếu tiếp nhận ngay bây giờ (không ghi gì)."""
    hub = hub_of(request)
    office = hub.office

    def compute() -> wire.DuePreview:
        result = due_for(office, office.clock(), procedure_code=body.procedure_code)
        return {"due_at": result.due_at.isoformat(), "time_limit": result.limit_label}

    answer: wire.DuePreview = await hub.run(compute)
    return answer
