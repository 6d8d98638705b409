"""Pulling the district's catalogue and calendar snapshots, each applied in one transaction.

A snapshot is fetched with the ETag of the last one applied (If-None-Match), parsed and checked
completely before the write opens (no network inside a transaction), then replaces the office's
table in one `store.write`, together with its new ETag: a site never holds half a catalogue.
The same write puts `catalogue.changed` / `calendar.changed` on the hub's event stream, so the
running kiosks and counter consoles reload the catalogue without a restart.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from kiosk.domain.calendar import CalendarOverride, OverrideKind
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.catalogue_io import parse_catalogue_json
from kiosk.domain.errors import CatalogueError
from kiosk.store.calendar_repo import replace_overrides
from kiosk.store.catalogue_repo import replace_catalogue
from kiosk.store.db import Store
from kiosk.store.notices import CALENDAR_CHANGED, CATALOGUE_CHANGED, announce
from kiosk.sync import protocol
from kiosk.sync.client import DistrictClient
from kiosk.sync.errors import SyncRefused
from kiosk.sync.state import ACTOR, CALENDAR_ETAG_KEY, CATALOGUE_ETAG_KEY, set_setting

log = logging.getLogger(__name__)


def parse_catalogue_snapshot(document: Any) -> Catalogue:
    """The catalogue of a snapshot: the catalogue JSON format, bare or under "catalogue"."""
    inner = document.get("catalogue", document) if isinstance(document, dict) else document
    if isinstance(inner, dict):
        # The snapshot's own version/ETag keys are not the catalogue format's "version".
        inner = {k: inner[k] for k in ("format", "fields", "procedures") if k in inner}
    try:
        return parse_catalogue_json(json.dumps(inner, ensure_ascii=False))
    except CatalogueError as error:
        shown = "; ".join(str(p) for p in error.problems[:3]) or error.message
        raise SyncRefused(
            f"Danh mục thủ tục từ máy chủ huyện không hợp lệ, chưa áp dụng: {shown}"
        ) from error


def parse_calendar_snapshot(document: Any) -> list[CalendarOverride]:
    """The overrides of a calendar snapshot: a list, bare or under "overrides"."""
    items = document.get("overrides") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise SyncRefused("Lịch làm việc từ máy chủ huyện không đúng định dạng, chưa áp dụng.")
    overrides: list[CalendarOverride] = []
    for item in items:
        try:
            overrides.append(
                CalendarOverride(
                    date.fromisoformat(str(item["day"])),
                    OverrideKind(str(item["kind"])),
                    str(item.get("reason", "")),
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise SyncRefused(
                f"Lịch làm việc từ máy chủ huyện có một ngày không hợp lệ ({item!r}), chưa áp dụng."
            ) from error
    return overrides


def pull_catalogue(store: Store, client: DistrictClient) -> bool:
    """Fetch and apply the catalogue snapshot if it changed; True when applied."""
    snapshot = client.snapshot(protocol.CATALOGUE_PATH, store.setting(CATALOGUE_ETAG_KEY))
    if snapshot is None:
        return False
    catalogue = parse_catalogue_snapshot(snapshot.document)
    if not catalogue.procedures:
        # An empty catalogue is a district not set up yet, not an order to erase ours.
        log.warning("district catalogue snapshot %s is empty: not applied", snapshot.etag)
        return False
    with store.write(ACTOR, "sync.pull_catalogue", target=snapshot.etag) as tx:
        replace_catalogue(tx, catalogue)
        set_setting(tx, CATALOGUE_ETAG_KEY, snapshot.etag)
        tx.details["procedures"] = len(catalogue.procedures)
        announce(
            tx,
            CATALOGUE_CHANGED,
            {
                "procedures": len(catalogue.procedures),
                "fields": len(catalogue.fields),
                "source": "district",
            },
        )
    return True


def pull_calendar(store: Store, client: DistrictClient) -> bool:
    """Fetch and apply the calendar snapshot if it changed; True when applied."""
    snapshot = client.snapshot(protocol.CALENDAR_PATH, store.setting(CALENDAR_ETAG_KEY))
    if snapshot is None:
        return False
    overrides = parse_calendar_snapshot(snapshot.document)
    with store.write(ACTOR, "sync.pull_calendar", target=snapshot.etag) as tx:
        replace_overrides(tx, overrides)
        set_setting(tx, CALENDAR_ETAG_KEY, snapshot.etag)
        tx.details["overrides"] = len(overrides)
        # No screen computes dates itself (the hub reads the override table at each due date);
        # the notice says the dates the hub gives may have moved.
        announce(tx, CALENDAR_CHANGED, {"overrides": len(overrides), "source": "district"})
    return True


def pull_snapshots(store: Store, client: DistrictClient) -> list[str]:
    """Pull both snapshots; the names of those applied ("catalogue", "calendar")."""
    applied = []
    if pull_catalogue(store, client):
        applied.append("catalogue")
    if pull_calendar(store, client):
        applied.append("calendar")
    return applied
