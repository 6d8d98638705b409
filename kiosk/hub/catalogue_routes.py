"""GET /api/catalogue: the office's procedure catalogue, for the kiosk's information pages."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from kiosk.domain.catalogue_io import catalogue_to_json
from kiosk.hub import wire
from kiosk.hub.auth import Device
from kiosk.hub.deps import device, hub_of
from kiosk.store.catalogue_repo import load_catalogue

router = APIRouter()


@router.get("/api/catalogue", tags=["danh mục"])
async def catalogue(request: Request, dev: Annotated[Device, Depends(device)]) -> wire.Catalogue:
    """Danh mục thủ tục hành chính của văn phòng (lĩnh vực, thủ tục, giấy tờ, phí, thời hạn)."""
    hub = hub_of(request)
    found = await hub.run(load_catalogue, hub.office.store)
    document: wire.Catalogue = json.loads(catalogue_to_json(found))
    return document
