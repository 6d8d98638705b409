"""The wire protocol between a site (office hub) and the district server.

Shared by both sides, so they cannot drift apart. See ARCHITECTURE.md "Sync protocol".

Signing: every request carries
    X-Kiosk-Site:      the site id
    X-Kiosk-Timestamp: Unix seconds (integer)
    X-Kiosk-Signature: hex HMAC-SHA256(secret, "METHOD\\nPATH\\nTIMESTAMP\\nSHA256(BODY)")
PATH is the URL path with its query string, exactly as sent. A timestamp further than
MAX_SKEW_SECONDS from the server's clock is refused with 401 and the server's time in the body
(`server_time`), so a site with a wrong clock can say so plainly and sign with the offset.

Push: POST /api/sync/push with {"site_id": ..., "events": [Event, ...]} (ordered by seq, at
most MAX_BATCH_EVENTS and MAX_BODY_BYTES). The server stores each (site_id, seq) once, in one
transaction, and answers {"acked": N}: the highest seq such that every seq 1..N is stored.
- a seq already stored with another hash → 409 {"error": "conflict", "seq": S, "acked": N}
- a first seq beyond acked + 1 → 409 {"error": "gap", "acked": N}; resend from N + 1
Handshake: GET /api/sync/mark → {"acked": N}.
Pull: GET /api/catalogue and GET /api/calendar, versioned snapshots with an ETag; a request
with If-None-Match of the current ETag gets 304.

Snapshot bodies (added with the reference server, kiosk/district/snapshots.py):
- GET /api/catalogue → {"version": N, "published_at": ISO, "catalogue": {...}} where
  "catalogue" is the document of kiosk.domain.catalogue_io.catalogue_to_json (read it back with
  parse_catalogue_json(json.dumps(body["catalogue"]))).
- GET /api/calendar → {"version": N, "published_at": ISO,
  "overrides": [{"day": "YYYY-MM-DD", "kind": "holiday"|"day_off"|"workday", "reason": str}]}.
- Nothing published yet → 404 {"error": "no_snapshot"}: keep what the site has.
Error bodies: every refusal is {"error": CODE, "message": Vietnamese text, "server_time": Unix
seconds}; CODE is one of the ERROR_* names below (plus "conflict"/"gap" on 409, which also
carry "acked").
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Final

SITE_HEADER: Final = "X-Kiosk-Site"
TIMESTAMP_HEADER: Final = "X-Kiosk-Timestamp"
SIGNATURE_HEADER: Final = "X-Kiosk-Signature"

MAX_SKEW_SECONDS: Final = 300
MAX_BATCH_EVENTS: Final = 500
MAX_BODY_BYTES: Final = 2_000_000

PUSH_PATH: Final = "/api/sync/push"
MARK_PATH: Final = "/api/sync/mark"
CATALOGUE_PATH: Final = "/api/catalogue"
CALENDAR_PATH: Final = "/api/calendar"

# Error codes in refusal bodies (401 = stop and alert; 413/422 = a bug or a bad batch).
ERROR_MISSING_SIGNATURE: Final = "missing_signature"  # 401: a signing header is absent
ERROR_UNKNOWN_SITE: Final = "unknown_site"  # 401
ERROR_BAD_SIGNATURE: Final = "bad_signature"  # 401
ERROR_CLOCK_SKEW: Final = "clock_skew"  # 401: compare "server_time" with the local clock
ERROR_TOO_LARGE: Final = "too_large"  # 413: body or batch over the limits
ERROR_MALFORMED: Final = "malformed"  # 422: not JSON, or not a well-formed batch
ERROR_BAD_HASH: Final = "bad_hash"  # 422: an event's hash is not event_hash(...) of it
ERROR_CONFLICT: Final = "conflict"  # 409
ERROR_GAP: Final = "gap"  # 409
ERROR_NO_SNAPSHOT: Final = "no_snapshot"  # 404


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def signing_text(method: str, path: str, timestamp: int, body: bytes) -> bytes:
    return f"{method.upper()}\n{path}\n{timestamp}\n{body_digest(body)}".encode()


def sign(secret: str, method: str, path: str, timestamp: int, body: bytes) -> str:
    """The hex signature of one request."""
    return hmac.new(
        secret.encode("utf-8"), signing_text(method, path, timestamp, body), hashlib.sha256
    ).hexdigest()


def verify(
    secret: str, method: str, path: str, timestamp: int, body: bytes, signature: str
) -> bool:
    """Constant-time check of a request's signature."""
    return hmac.compare_digest(sign(secret, method, path, timestamp, body), signature)


def signed_headers(
    site_id: str, secret: str, method: str, path: str, body: bytes, *, now: float
) -> dict[str, str]:
    timestamp = int(now)
    return {
        SITE_HEADER: site_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, method, path, timestamp, body),
    }


@dataclass(frozen=True, slots=True)
class Event:
    """One outbox row as it travels (kiosk.store outbox; hash = kiosk.store.tx.event_hash)."""

    seq: int
    event_id: str
    type: str
    payload: dict[str, Any]
    hash: str
    created_at: str

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "event_id": self.event_id,
            "type": self.type,
            "payload": self.payload,
            "hash": self.hash,
            "created_at": self.created_at,
        }
