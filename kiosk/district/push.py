"""Receiving a site's pushed batch: validate it whole, then store each (site_id, seq) once.

One batch is one transaction: every new event, the statistics facts folded from them and the
site's new mark are committed together, or nothing is. The site's events on the server are
always exactly its seqs 1..acked (a batch must start at or before acked + 1 and be
contiguous), so "acked" is both the highest gap-free seq and the count of stored events.
Pushes of one site are serialised by a lock on its `sites` row (PostgreSQL) or by
`BEGIN IMMEDIATE` (SQLite): two copies of the same batch racing store it once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.district.errors import Refusal
from kiosk.district.facts import fold_events
from kiosk.district.storage import Conn, Database
from kiosk.store.tx import canonical_json, event_hash, to_iso
from kiosk.sync import protocol
from kiosk.sync.protocol import Event

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Batch:
    site_id: str
    events: tuple[Event, ...]


def _malformed(message: str) -> Refusal:
    return Refusal(422, protocol.ERROR_MALFORMED, message)


def _text(item: dict[str, Any], key: str, index: int) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise _malformed(f"Sự kiện thứ {index + 1} thiếu trường '{key}' (chuỗi).")
    return value


def parse_batch(body: bytes, site_id: str) -> Batch:
    """The batch of a push body, checked whole (shape, order, hashes) before anything is stored."""
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _malformed(f"Nội dung yêu cầu không phải JSON hợp lệ: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        raise _malformed('Nội dung yêu cầu phải là {"site_id": …, "events": […]}.')
    if document.get("site_id") != site_id:
        raise _malformed("Mã đơn vị trong nội dung khác mã đơn vị đã ký yêu cầu.")
    items: list[Any] = document["events"]
    if len(items) > protocol.MAX_BATCH_EVENTS:
        raise Refusal(
            413,
            protocol.ERROR_TOO_LARGE,
            f"Lô có {len(items)} sự kiện, tối đa {protocol.MAX_BATCH_EVENTS}.",
        )
    events: list[Event] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise _malformed(f"Sự kiện thứ {index + 1} không phải một đối tượng JSON.")
        seq = item.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            raise _malformed(f"Sự kiện thứ {index + 1} có số thứ tự (seq) không hợp lệ.")
        if events and seq != events[-1].seq + 1:
            raise _malformed(
                f"Các sự kiện trong lô phải liên tiếp theo seq (sau {events[-1].seq} là {seq})."
            )
        payload = item.get("payload")
        if not isinstance(payload, dict):
            raise _malformed(f"Sự kiện seq {seq} thiếu nội dung (payload là đối tượng JSON).")
        event = Event(
            seq=seq,
            event_id=_text(item, "event_id", index),
            type=_text(item, "type", index),
            payload=payload,
            hash=_text(item, "hash", index),
            created_at=_text(item, "created_at", index),
        )
        try:
            expected = event_hash(event.event_id, event.type, payload)
        except ValueError:  # NaN or Infinity cannot be in canonical JSON
            raise _malformed(f"Sự kiện seq {seq} có giá trị số không hợp lệ.") from None
        if expected != event.hash:
            raise Refusal(
                422,
                protocol.ERROR_BAD_HASH,
                f"Mã băm của sự kiện seq {seq} không khớp nội dung: lô bị hỏng khi truyền "
                "hoặc sự kiện bị sửa.",
                seq=seq,
            )
        events.append(event)
    return Batch(site_id, tuple(events))


def current_mark(db: Database, site_id: str) -> int:
    with db.read() as conn:
        row = conn.one("SELECT acked FROM sites WHERE site_id = ?", (site_id,))
    return 0 if row is None else int(row[0])


def store_batch(db: Database, batch: Batch, *, now: datetime) -> int:
    """Store the batch's new events in one transaction; returns the site's mark (acked)."""
    try:
        return _store(db, batch, now=now)
    except Refusal as refusal:
        if refusal.error == protocol.ERROR_CONFLICT:
            _record_conflict(db, batch.site_id, refusal, now=now)
        raise


def _store(db: Database, batch: Batch, *, now: datetime) -> int:
    site_id, events = batch.site_id, batch.events
    with db.write() as conn:
        row = conn.one("SELECT acked FROM sites WHERE site_id = ?" + conn.for_update, (site_id,))
        if row is None:  # revoked and deleted between the signature check and now
            raise Refusal(401, protocol.ERROR_UNKNOWN_SITE, f"Đơn vị '{site_id}' không còn.")
        acked = int(row[0])
        if not events:
            return acked
        first, last = events[0].seq, events[-1].seq
        if first > acked + 1:
            raise Refusal(
                409,
                protocol.ERROR_GAP,
                f"Thiếu sự kiện từ seq {acked + 1} đến {first - 1}: hãy gửi lại từ seq "
                f"{acked + 1}.",
                acked=acked,
            )
        if first <= acked:
            _check_already_stored(conn, site_id, events, acked)
        new = [event for event in events if event.seq > acked]
        if new:
            received_at = to_iso(now)
            conn.executemany(
                "INSERT INTO events (site_id, seq, event_id, type, payload, hash, created_at, "
                "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        site_id,
                        e.seq,
                        e.event_id,
                        e.type,
                        canonical_json(e.payload),
                        e.hash,
                        e.created_at,
                        received_at,
                    )
                    for e in new
                ],
            )
            fold_events(conn, site_id, new)
            conn.execute(
                "UPDATE sites SET acked = ?, last_push_at = ? WHERE site_id = ?",
                (last, received_at, site_id),
            )
        return max(acked, last)


def _check_already_stored(conn: Conn, site_id: str, events: tuple[Event, ...], acked: int) -> None:
    """A seq sent again must carry the same event; otherwise the site and server disagree."""
    stored: dict[int, str] = dict(
        conn.all(
            "SELECT seq, hash FROM events WHERE site_id = ? AND seq >= ? AND seq <= ?",
            (site_id, events[0].seq, min(events[-1].seq, acked)),
        )
    )
    for event in events:
        if event.seq > acked:
            break
        if stored.get(event.seq) != event.hash:
            raise Refusal(
                409,
                protocol.ERROR_CONFLICT,
                f"Sự kiện seq {event.seq} đã được lưu với nội dung khác: cần đối soát giữa "
                "đơn vị và máy chủ cấp huyện.",
                seq=event.seq,
                acked=acked,
                stored_hash=stored.get(event.seq),
                offered_hash=event.hash,
            )


def _record_conflict(db: Database, site_id: str, refusal: Refusal, *, now: datetime) -> None:
    """Keep the conflict for the district officer (its own small write: no events stored)."""
    extra = refusal.extra
    offered = str(extra.pop("offered_hash"))
    stored = extra.pop("stored_hash")
    log.warning(
        "sync conflict: site %s seq %s stored %s offered %s",
        site_id,
        extra["seq"],
        stored,
        offered,
    )
    at = to_iso(now)
    with db.write() as conn:
        conn.execute(
            "INSERT INTO conflicts (site_id, seq, offered_hash, stored_hash, first_at, last_at, "
            "times) VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (site_id, seq, offered_hash) "
            "DO UPDATE SET last_at = excluded.last_at, times = conflicts.times + 1",
            (site_id, extra["seq"], offered, stored, at, at),
        )
