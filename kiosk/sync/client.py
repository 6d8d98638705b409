"""The site's HTTP client for the district server: signed requests, short timeouts, clock skew.

Every answer is turned into a value or a typed error (`kiosk.sync.errors`), so the worker never
looks at status codes. Nothing here retries: backoff is the worker's job.

Clock skew: an office PC with a wrong clock would be refused forever. When the server answers
401 with its `server_time` and our timestamp was too far from it, the client remembers the
offset, signs the request again with the corrected time once, and keeps the offset for later
requests. A 401 that is not about the clock is an authentication failure.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Final

import certifi
import httpx

from kiosk.sync import protocol
from kiosk.sync.errors import SyncAuthFailed, SyncConflict, SyncRefused, SyncUnreachable

log = logging.getLogger(__name__)

SECRET_FILE: Final = "sync-secret.txt"
CONNECT_TIMEOUT: Final = 3.0
READ_TIMEOUT: Final = 15.0
#: Room left under MAX_BODY_BYTES for the envelope around the events.
_ENVELOPE_BYTES: Final = 1024


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process: building one costs a quarter of a second."""
    return ssl.create_default_context(cafile=certifi.where())


def read_secret(data_dir: Path) -> str | None:
    """The site secret from `sync-secret.txt` in the data folder, or None when not set."""
    try:
        text = (data_dir / SECRET_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return text or None


def write_secret(data_dir: Path, secret: str) -> Path:
    """Write the site secret where only this user can read it (mode 0600); returns the path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / SECRET_FILE
    temporary = target.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret.strip() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temporary, 0o600)
    os.replace(temporary, target)
    return target


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    """One outbox row as read from the store; `payload` is its canonical JSON text, sent as is."""

    seq: int
    event_id: str
    type: str
    payload: str
    hash: str
    created_at: str

    def wire_json(self) -> bytes:
        # The payload is spliced in as stored (canonical JSON, checked by the hash): parsing and
        # re-encoding 100,000 events would cost more than the network.
        return (
            f'{{"seq":{self.seq},"event_id":{json.dumps(self.event_id)},'
            f'"type":{json.dumps(self.type, ensure_ascii=False)},"payload":{self.payload},'
            f'"hash":{json.dumps(self.hash)},"created_at":{json.dumps(self.created_at)}}}'
        ).encode()


def push_body(site_id: str, events: Sequence[OutboxEvent]) -> bytes:
    """The push request body for `events` (ordered by seq)."""
    head = f'{{"site_id":{json.dumps(site_id)},"events":['.encode()
    return head + b",".join(e.wire_json() for e in events) + b"]}"


def batch_for_body(events: Sequence[OutboxEvent]) -> list[OutboxEvent]:
    """The longest prefix of `events` whose push body stays under MAX_BODY_BYTES."""
    room = protocol.MAX_BODY_BYTES - _ENVELOPE_BYTES
    taken: list[OutboxEvent] = []
    for event in events[: protocol.MAX_BATCH_EVENTS]:
        size = len(event.wire_json()) + 1
        if size > room:
            break
        room -= size
        taken.append(event)
    return taken


@dataclass(frozen=True, slots=True)
class PushAnswer:
    """The server's mark after a push; `gap` when it refused the batch as not following it."""

    acked: int
    gap: bool = False


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A catalogue or calendar snapshot: its ETag and its JSON document."""

    etag: str
    document: Any


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), None if absent."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, moment.timestamp() - now)


def _server_time(document: Any) -> float | None:
    """`server_time` of a 401 answer, as Unix seconds (number or ISO 8601 text accepted)."""
    if not isinstance(document, dict):
        return None
    value = document.get("server_time")
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
        if moment.tzinfo is not None:
            return moment.timestamp()
    return None


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _int_field(document: Any, key: str) -> int | None:
    value = document.get(key) if isinstance(document, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


class DistrictClient:
    """Signed calls to one district server for one site. Not thread-safe: one per thread."""

    def __init__(
        self,
        base_url: str,
        site_id: str,
        secret: str,
        *,
        timeout: httpx.Timeout | None = None,
        wall_clock: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.site_id = site_id
        self._secret = secret
        self._wall_clock = wall_clock
        #: Seconds to add to our clock to get the server's, learnt from a skew answer.
        self.clock_offset = 0.0
        self._http = httpx.Client(
            timeout=timeout or httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
            transport=transport,
            verify=_tls_context(),
            follow_redirects=False,
            headers={"User-Agent": "mot-cua-kiosk-sync"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> DistrictClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- the protocol's calls -------------------------------------------------------------

    def mark(self) -> int:
        """The highest gap-free seq the server holds for this site (the handshake)."""
        response = self._send("GET", protocol.MARK_PATH)
        self._raise_for_common(response)
        acked = _int_field(_json_or_none(response), "acked")
        if response.status_code != 200 or acked is None:
            raise self._unexpected(response)
        return acked

    def push(self, events: Sequence[OutboxEvent]) -> PushAnswer:
        """Send one ordered batch; the server's mark, or a gap answer to resend from."""
        body = push_body(self.site_id, events)
        response = self._send("POST", protocol.PUSH_PATH, body)
        if response.status_code == 409:
            document = _json_or_none(response)
            acked = _int_field(document, "acked")
            kind = document.get("error") if isinstance(document, dict) else None
            if kind == "gap" and acked is not None:
                return PushAnswer(acked, gap=True)
            if kind == "conflict" and acked is not None:
                seq = _int_field(document, "seq")
                raise SyncConflict(
                    "Máy chủ huyện đã có một sự kiện khác với cùng số thứ tự "
                    f"{seq if seq is not None else '?'} của văn phòng này. Việc đồng bộ đã dừng; "
                    "hãy liên hệ quản trị hệ thống (có thể hai máy đang dùng chung một mã "
                    "văn phòng).",
                    seq=seq,
                    acked=acked,
                )
        self._raise_for_common(response)
        acked = _int_field(_json_or_none(response), "acked")
        if response.status_code != 200 or acked is None:
            raise self._unexpected(response)
        return PushAnswer(acked)

    def snapshot(self, path: str, etag: str | None) -> Snapshot | None:
        """A published snapshot, or None when unchanged since `etag` (304) or not published."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._send("GET", path, headers=headers)
        if response.status_code in (304, 404):
            return None
        self._raise_for_common(response)
        document = _json_or_none(response)
        new_etag = response.headers.get("ETag")
        if response.status_code != 200 or document is None or not new_etag:
            raise self._unexpected(response)
        return Snapshot(new_etag, document)

    # --- plumbing -------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        url = httpx.URL(self.base_url + path)
        signed_path = url.raw_path.decode("ascii")
        response = self._attempt(method, url, signed_path, body, headers)
        if response.status_code == 401 and self._learn_skew(response):
            response = self._attempt(method, url, signed_path, body, headers)
        return response

    def _attempt(
        self,
        method: str,
        url: httpx.URL,
        signed_path: str,
        body: bytes,
        extra: dict[str, str] | None,
    ) -> httpx.Response:
        now = self._wall_clock() + self.clock_offset
        headers = protocol.signed_headers(
            self.site_id, self._secret, method, signed_path, body, now=now
        )
        if body:
            headers["Content-Type"] = "application/json"
        headers.update(extra or {})
        try:
            return self._http.request(method, url, content=body, headers=headers)
        except httpx.TimeoutException as error:
            raise SyncUnreachable(
                f"Máy chủ huyện không trả lời kịp ({type(error).__name__})."
            ) from error
        except httpx.TransportError as error:
            raise SyncUnreachable(
                f"Không kết nối được máy chủ huyện {self.base_url} ({type(error).__name__})."
            ) from error

    def _learn_skew(self, response: httpx.Response) -> bool:
        """True when this 401 was about our clock; the offset is then corrected."""
        server_time = _server_time(_json_or_none(response))
        if server_time is None:
            return False
        offset = server_time - self._wall_clock()
        sent = self._wall_clock() + self.clock_offset
        if abs(server_time - sent) < protocol.MAX_SKEW_SECONDS * 0.8:
            return False  # our time was accepted: the refusal is about the credentials
        log.warning("clock skew with the district server: %.0f s; signing with it", offset)
        self.clock_offset = offset
        return True

    def _raise_for_common(self, response: httpx.Response) -> None:
        status = response.status_code
        if status in (401, 403):
            raise SyncAuthFailed(
                "Máy chủ huyện từ chối xác thực văn phòng này (mã văn phòng hoặc khóa đồng bộ "
                "không đúng). Việc đồng bộ đã dừng: hãy nhập lại khóa bằng lệnh "
                "'kiosk sync secret'."
            )
        if status == 429 or status >= 500:
            wait = parse_retry_after(response.headers.get("Retry-After"), now=self._wall_clock())
            raise SyncUnreachable(
                f"Máy chủ huyện đang bận hoặc gặp sự cố (mã {status}); sẽ thử lại.",
                retry_after=wait,
            )

    def _unexpected(self, response: httpx.Response) -> Exception:
        status = response.status_code
        if status == 200 or 300 <= status < 400:
            # A garbled or cut answer from a proxy on the way: try again later.
            return SyncUnreachable(f"Máy chủ huyện trả lời không đọc được (mã {status}).")
        document = _json_or_none(response)
        detail = ""
        if isinstance(document, dict):
            detail = str(document.get("message") or document.get("error") or "")
        log.error("district server refused a request: %s %s", status, response.text[:500])
        return SyncRefused(
            f"Máy chủ huyện từ chối yêu cầu đồng bộ (mã {status}{': ' + detail if detail else ''})."
            " Hãy kiểm tra địa chỉ máy chủ huyện trong cài đặt.",
        )
