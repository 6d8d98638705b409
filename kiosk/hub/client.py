"""The typed client of the hub API, used by every screen and by the tests.

Errors come back as `HubError` (the hub refused: its Vietnamese message, HTTP status and error
code) or `HubUnavailable` (no answer: the network or the hub is down). Both are KioskErrors,
so a screen shows `error.message` as is.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any, Literal, TypeVar, cast
from urllib.parse import quote, urlencode

import httpx
from pydantic import TypeAdapter
from pydantic import ValidationError as ShapeError

from kiosk.domain.errors import KioskError
from kiosk.hub import wire

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(5.0, connect=2.0)


class HubError(KioskError):
    """The hub answered with a refusal (4xx) or failed (5xx)."""

    code = "hub_error"

    def __init__(self, message: str, *, status: int, error_code: str) -> None:
        super().__init__(message, status=status, error_code=error_code)
        self.status = status
        self.error_code = error_code


class HubUnavailable(KioskError):
    code = "hub_unavailable"


#: A request body as sent (answers come back as their `kiosk.hub.wire` shapes).
Body = dict[str, Any]
Outcome = Literal["guided", "received", "supplement_requested", "refused"]


class HubClient:
    """One device's connection to the hub: its token, and the staff session once logged in."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        staff_session: str = "",
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.staff_session = staff_session
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    # --- plumbing ---------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _request(
        self,
        method: str,
        path: str,
        json: Body | None = None,
        *,
        content: bytes | None = None,
        content_type: str = "",
    ) -> Any:
        response = self._send(method, path, json, content=content, content_type=content_type)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def _send(
        self,
        method: str,
        path: str,
        json: Body | None = None,
        *,
        content: bytes | None = None,
        content_type: str = "",
        params: dict[str, str | int] | None = None,
    ) -> httpx.Response:
        """One request; the answer when it is a success, else the hub's error raised."""
        headers = {"Authorization": f"Bearer {self.token}"}
        if self.staff_session:
            headers["X-Staff-Session"] = self.staff_session
        if content_type:
            headers["Content-Type"] = content_type
        try:
            response = self._http.request(
                method, path, json=json, content=content, headers=headers, params=params
            )
        except httpx.TransportError as exc:
            raise HubUnavailable(
                f"Không kết nối được máy chủ văn phòng tại {self.base_url}. "
                "Kiểm tra mạng hoặc máy chủ rồi thử lại."
            ) from exc
        if response.status_code >= 400:
            raise _error_from(response)
        return response

    def _answer(
        self,
        shape: type[T],
        method: str,
        path: str,
        json: Body | None = None,
        *,
        content: bytes | None = None,
        content_type: str = "",
    ) -> T:
        """The hub's answer to one request, checked against its wire shape."""
        found = self._request(method, path, json, content=content, content_type=content_type)
        return self._checked(answer_adapter(shape), found, method, path)

    def _answers(self, shape: type[T], method: str, path: str) -> list[T]:
        """A list answer, each item checked against its wire shape."""
        found = self._request(method, path)
        return self._checked(list_adapter(shape), found, method, path)

    def _checked(self, adapter: TypeAdapter[T], found: object, method: str, path: str) -> T:
        """`found` as its shape; a HubError (logged) when the hub answered something else."""
        try:
            return adapter.validate_python(found)
        except ShapeError as exc:
            problems = [
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
            ]
            log.error(
                "malformed hub answer",
                extra={"method": method, "path": path, "problems": problems},
            )
            error = HubError(
                f"Máy chủ văn phòng trả lời {method} {path.split('?')[0]} không đúng dạng "
                "mong đợi (có thể máy chủ và máy này khác phiên bản). Hãy báo quản trị viên.",
                status=502,
                error_code="malformed_answer",
            )
            error.details["problems"] = problems
            raise error from None

    def events_url(self, after: int | None = None) -> str:
        """The WebSocket address of the event stream for this device."""
        scheme = "wss" if self.base_url.startswith("https") else "ws"
        url = f"{scheme}{self.base_url[self.base_url.index(':') :]}/api/events?token={self.token}"
        return url if after is None else f"{url}&after={after}"

    # --- system and admin -------------------------------------------------------------------

    def health(self) -> wire.Health:
        return self._answer(wire.Health, "GET", "/api/health")

    def add_device(self, name: str, role: str, counter_number: int | None = None) -> wire.NewDevice:
        body = {"name": name, "role": role, "counter_number": counter_number}
        return self._answer(wire.NewDevice, "POST", "/api/admin/devices", body)

    def devices(self) -> list[wire.DeviceRow]:
        return self._answers(wire.DeviceRow, "GET", "/api/admin/devices")

    def revoke_device(self, device_id: int) -> None:
        self._request("DELETE", f"/api/admin/devices/{device_id}")

    def add_staff(
        self, username: str, full_name: str, secret: str, role: str = "clerk"
    ) -> wire.NewStaff:
        body = {"username": username, "full_name": full_name, "secret": secret, "role": role}
        return self._answer(wire.NewStaff, "POST", "/api/admin/staff", body)

    # --- staff session ----------------------------------------------------------------------

    def login(self, username: str, secret: str) -> wire.Login:
        """Log a staff member in; later calls carry the session."""
        body = {"username": username, "secret": secret}
        result = self._answer(wire.Login, "POST", "/api/session/login", body)
        self.staff_session = result["token"]
        return result

    def logout(self) -> None:
        self._request("POST", "/api/session/logout")
        self.staff_session = ""

    # --- queue ------------------------------------------------------------------------------

    def queue(self) -> wire.QueueSnapshot:
        return self._answer(wire.QueueSnapshot, "GET", "/api/queue")

    def issue(
        self, prefix: str, *, priority: str | None = None, citizen_id: str | None = None
    ) -> wire.IssuedTicket:
        body = {"prefix": prefix, "priority": priority, "citizen_id": citizen_id}
        return self._answer(wire.IssuedTicket, "POST", "/api/tickets", body)

    def _counter(self, counter: int, action: str, body: Body | None = None) -> wire.Ticket | None:
        path = f"/api/counters/{counter}/{action}"
        return self._answer(wire.TicketAnswer, "POST", path, body or {})["ticket"]

    def call_next(self, counter: int) -> wire.Ticket | None:
        return self._counter(counter, "call-next")

    def call(self, counter: int, ticket_id: int) -> wire.Ticket | None:
        return self._counter(counter, "call", {"ticket_id": ticket_id})

    def recall(self, counter: int) -> wire.Ticket | None:
        return self._counter(counter, "recall")

    def start(self, counter: int) -> wire.Ticket | None:
        return self._counter(counter, "start")

    def finish(
        self, counter: int, outcome: Outcome, dossier_code: str | None = None
    ) -> wire.Ticket | None:
        return self._counter(counter, "finish", {"outcome": outcome, "dossier_code": dossier_code})

    def no_show(self, counter: int) -> wire.Ticket | None:
        return self._counter(counter, "no-show")

    def hold(self, counter: int, note: str = "") -> wire.Ticket | None:
        return self._counter(counter, "hold", {"note": note})

    def transfer(
        self,
        counter: int,
        *,
        to_prefix: str | None = None,
        to_counter: int | None = None,
        note: str = "",
        come_back: bool = False,
    ) -> wire.Ticket | None:
        body = {
            "to_prefix": to_prefix,
            "to_counter": to_counter,
            "note": note,
            "come_back": come_back,
        }
        return self._counter(counter, "transfer", body)

    def return_from_hold(self, counter: int, ticket_id: int) -> wire.Ticket | None:
        return self._counter(counter, f"return/{ticket_id}")

    def cancel(self, counter: int, ticket_id: int) -> wire.Ticket | None:
        return self._counter(counter, f"cancel/{ticket_id}")

    def held(self, counter: int) -> list[wire.HeldTicket]:
        """The counter's tickets on hold today, longest held first, each with its staff note
        and `held_at`."""
        path = f"/api/counters/{counter}/held"
        return self._answer(wire.HeldTickets, "GET", path)["tickets"]

    # --- catalogue --------------------------------------------------------------------------

    def catalogue(self) -> wire.Catalogue:
        """The office's procedure catalogue (GET /api/catalogue), in the catalogue JSON format."""
        return self._answer(wire.Catalogue, "GET", "/api/catalogue")

    # --- dossiers (kiosk/hub/dossier_routes.py) -----------------------------------------------
    # Writes take an optional `request_id`: send the same one again after a timeout and the hub
    # answers with what the first request did instead of doing it twice.

    def _dossier_path(self, counter: int, code: str, action: str = "") -> str:
        path = f"/api/counters/{counter}/dossiers/{quote(code.strip(), safe='')}"
        return f"{path}/{action}" if action else path

    def receive_dossier(self, counter: int, reception: Body) -> wire.Dossier:
        """Receive a complete dossier (body: see ReceiveIn); returns the dossier."""
        path = f"/api/counters/{counter}/dossiers"
        return self._answer(wire.DossierAnswer, "POST", path, reception)["dossier"]

    def supplement_at_counter(self, counter: int, request: Body) -> wire.Supplement:
        """Form 02 at the counter (no dossier code); returns the stored form."""
        path = f"/api/counters/{counter}/supplements"
        return self._answer(wire.SupplementAnswer, "POST", path, request)["supplement"]

    def refuse_at_counter(self, counter: int, request: Body) -> wire.Refusal:
        """Form 03 at the counter; returns the stored refusal."""
        path = f"/api/counters/{counter}/refusals"
        return self._answer(wire.RefusalAnswer, "POST", path, request)["refusal"]

    def dossier_file(self, counter: int, code: str) -> wire.DossierFile:
        """A dossier with its hand-overs and timeline (the hub audits the read)."""
        return self._answer(wire.DossierFile, "GET", self._dossier_path(counter, code))

    def record_dossier_print(
        self, counter: int, code: str, form: str, copies: int = 1
    ) -> wire.DossierAnswer:
        path = self._dossier_path(counter, code, "print")
        return self._answer(wire.DossierAnswer, "POST", path, {"form": form, "copies": copies})

    def dossier_step(
        self, counter: int, code: str, action: str, body: Body | None = None
    ) -> wire.DossierAnswer:
        """One step after reception; `action` is one of transfer, start-processing,
        supplement-request, supplement-received, fee-request, fee-paid, extend, withdraw, stop,
        done, return. Returns the hub's answer ({"dossier": ...}, plus "supplement")."""
        path = self._dossier_path(counter, code, action)
        return self._answer(wire.DossierAnswer, "POST", path, body or {})

    def worklist(
        self, counter: int, kind: str, *, days: int = 3, limit: int = 200
    ) -> list[wire.Dossier]:
        query = urlencode({"days": days, "limit": limit})
        path = f"/api/counters/{counter}/worklists/{kind}?{query}"
        return self._answer(wire.WorklistAnswer, "GET", path)["dossiers"]

    def search_dossiers(self, counter: int, text: str, *, limit: int = 20) -> list[wire.Dossier]:
        query = urlencode({"q": text, "limit": limit})
        path = f"/api/counters/{counter}/dossier-search?{query}"
        return self._answer(wire.DossierList, "GET", path)["dossiers"]

    def lookup_dossier(self, code: str) -> wire.Lookup:
        """The citizens' lookup (kiosk): status, procedure, due date, masked name."""
        return self._answer(wire.LookupAnswer, "POST", "/api/lookup", {"code": code})["dossier"]

    def rate(
        self,
        level: str,
        *,
        comment: str = "",
        ticket_id: int | None = None,
        dossier_code: str | None = None,
        request_id: str | None = None,
    ) -> wire.Rating:
        """A rating from this rating screen or counter (very_satisfied/satisfied/unsatisfied)."""
        body = {
            "level": level,
            "comment": comment,
            "ticket_id": ticket_id,
            "dossier_code": dossier_code,
            "request_id": request_id,
        }
        return self._answer(wire.RatingAnswer, "POST", "/api/ratings", body)["rating"]

    # --- counter helpers (kiosk/hub/counter_routes.py) ----------------------------------------

    def due_preview(self, counter: int, procedure_code: str) -> wire.DuePreview:
        """The due date a reception of this procedure would get now: {due_at, time_limit}."""
        body = {"procedure_code": procedure_code}
        path = f"/api/counters/{counter}/due-preview"
        return self._answer(wire.DuePreview, "POST", path, body)

    # --- admin (kiosk/hub/admin_routes.py) ----------------------------------------------------

    def staff(self) -> list[wire.StaffAccount]:
        """Staff accounts (no secrets): id, username, full_name, role, active, locked_until."""
        return self._answers(wire.StaffAccount, "GET", "/api/admin/staff")

    def update_staff(self, staff_id: int, **changes: Any) -> wire.StaffChanged:
        """Change a staff account: any of full_name, role, active, secret, unlock=True.
        Returns the account as `staff()` lists it, plus `sessions_ended`."""
        path = f"/api/admin/staff/{staff_id}"
        return self._answer(wire.StaffChanged, "PATCH", path, changes)

    def calendar_overrides(self, year: int | None = None) -> list[wire.CalendarOverride]:
        query = "" if year is None else f"?year={year}"
        path = f"/api/admin/calendar/overrides{query}"
        return self._answers(wire.CalendarOverride, "GET", path)

    def set_calendar_override(self, day: str, kind: str, reason: str = "") -> wire.CalendarOverride:
        """`day` ISO (YYYY-MM-DD); `kind` holiday, day_off or workday."""
        body = {"kind": kind, "reason": reason}
        path = f"/api/admin/calendar/overrides/{day}"
        return self._answer(wire.CalendarOverride, "PUT", path, body)

    def delete_calendar_override(self, day: str) -> None:
        self._request("DELETE", f"/api/admin/calendar/overrides/{day}")

    def import_catalogue(self, text: str, fmt: Literal["json", "csv"]) -> wire.CatalogueImported:
        """Replace the catalogue; a bad file raises HubError (422) with `problems` in `details`:
        [{line, column, message}, ...]."""
        kind = "application/json" if fmt == "json" else "text/csv"
        return self._answer(
            wire.CatalogueImported,
            "POST",
            "/api/admin/catalogue",
            content=text.encode("utf-8"),
            content_type=kind,
        )

    def backup(self) -> wire.BackupMade:
        """A verified backup in the hub's data folder: {path, name, bytes}."""
        return self._answer(wire.BackupMade, "POST", "/api/admin/backup")

    def office_summary(self) -> wire.OfficeSettings:
        return self._answer(wire.OfficeSettings, "GET", "/api/admin/office")

    # --- admin login and restore ----------------------------------------------------------------

    def session_info(self) -> wire.SessionInfo:
        """The staff member logged in with this client's session: {staff, counter_number,
        expires_at}; HubError 401 when the session is over."""
        return self._answer(wire.SessionInfo, "GET", "/api/session")

    def first_admin_needed(self) -> bool:
        """True while the office has no admin account (an admin device may create the first)."""
        return self._answer(wire.FirstAdminNeeded, "GET", "/api/admin/first-admin")["needed"]

    def create_first_admin(self, username: str, full_name: str, secret: str) -> wire.Login:
        """Create the office's first admin account and log it in here (as `login`)."""
        body = {"username": username, "full_name": full_name, "secret": secret}
        result = self._answer(wire.Login, "POST", "/api/admin/first-admin", body)
        self.staff_session = result["token"]
        return result

    def backups(self) -> list[wire.Backup]:
        """Backups in the hub's backups/ folder, newest first: name, taken_at, bytes, verified,
        problem, safety (a safety backup taken before a restore)."""
        return self._answers(wire.Backup, "GET", "/api/admin/backups")

    def restore(self, name: str, confirm: str) -> wire.Restored:
        """Restore the backup `name` on the running hub (`confirm` is its name typed again):
        {name, safety_backup, restored_at, session_valid}. When `session_valid` is false the
        backup predates this login: the session is gone, log in again."""
        body = {"name": name, "confirm": confirm}
        result = self._answer(wire.Restored, "POST", "/api/admin/restore", body)
        if not result["session_valid"]:
            self.staff_session = ""
        return result

    # --- the office's settings (kiosk/hub/office_routes.py) ------------------------------------

    def office(self) -> wire.Office:
        """What screens show of the office: office_name, unit_code, notice, form_set, fields,
        groups [{prefix, name, fields}], counters [{number, name, groups}], hours."""
        return self._answer(wire.Office, "GET", "/api/office")

    def call_audio(self, number: str, counter: int, *, recall: int = 0) -> bytes:
        """The WAV of a call as the office speaks it (its clips, its `[voice]` style): what a
        display board plays. A HubError when the hub answers anything but a WAV."""
        params: dict[str, str | int] = {"number": number, "counter": counter, "recall": recall}
        return self._wav("/api/voice/call.wav", params)

    def voice_clips(self) -> wire.VoiceClips:
        """The office's clip set (admin): each clip, what it says, whose recording is used."""
        return self._answer(wire.VoiceClips, "GET", "/api/admin/voice/clips")

    def voice_clip(self, key: str) -> bytes:
        """The WAV the office uses for one clip (its own recording, else the shipped one)."""
        return self._wav(f"/api/admin/voice/clips/{quote(key, safe='')}.wav")

    def save_voice_clip(self, key: str, wav: bytes) -> wire.VoiceClip:
        """Save the office's own recording of a clip (a WAV of the clip format, docs/voice.md)."""
        path = f"/api/admin/voice/clips/{quote(key, safe='')}.wav"
        return self._answer(wire.VoiceClip, "PUT", path, content=wav, content_type="audio/wav")

    def drop_voice_clip(self, key: str) -> wire.VoiceClip:
        """Go back to the shipped clip for `key`."""
        path = f"/api/admin/voice/clips/{quote(key, safe='')}.wav"
        return self._answer(wire.VoiceClip, "DELETE", path)

    def _wav(self, path: str, params: dict[str, str | int] | None = None) -> bytes:
        response = self._send("GET", path, params=params)
        wav = response.content
        kind = response.headers.get("content-type", "")
        if not (kind.startswith("audio/wav") and wav[:4] == b"RIFF"):
            log.error("GET %s answered %s, not a WAV", path, kind)
            raise HubError(
                "Máy chủ văn phòng trả về âm thanh lời mời không đúng định dạng.",
                status=502,
                error_code="bad_audio",
            )
        return wav

    def update_office(self, changes: Body) -> wire.OfficeChanged:
        """Change the office's settings (admin): any of office_name, unit_code, fields, notice,
        form_set, groups, counters, hub_url, district_url, priority_mode, priority_every,
        max_recalls, supplement_policy, same_day_cutoff, appointment, voice {enabled, engine,
        reading, region, chime, english, repeat}. Returns {office, changed,
        message}. A refusal raises HubError (422 invalid, 409 a counter or group still busy)
        with every problem, in Vietnamese, in `error.details["problems"]`."""
        try:
            return self._answer(wire.OfficeChanged, "PUT", "/api/admin/office", changes)
        except HubError as error:
            found = error.details.get("problems")
            assert isinstance(found, list)  # _error_from and _checked always set it
            error.details["problems"] = [
                p if isinstance(p, str) else f"{p.get('field', '')}: {p.get('problem', '')}"
                for p in found
            ]
            raise

    # --- printers per device (kiosk/hub/device_routes.py) -------------------------------------

    def device_profile(self) -> wire.ThisDevice:
        """This device: id, name, role, counter_number, kinds and printers ({kind: uri})."""
        return self._answer(wire.ThisDevice, "GET", "/api/device")

    def device_printers(self, device_id: int) -> wire.DevicePrinters:
        """A device's printers (admin): device_id, name, role, kinds, printers {kind: uri}."""
        path = f"/api/admin/devices/{device_id}/printers"
        return self._answer(wire.DevicePrinters, "GET", path)

    def set_device_printers(
        self, device_id: int, printers: dict[str, str | None]
    ) -> wire.DevicePrinters:
        """Set a device's printers {kind: uri}; an empty or None uri removes that printer."""
        path = f"/api/admin/devices/{device_id}/printers"
        return self._answer(wire.DevicePrinters, "PUT", path, {"printers": printers})

    def request_print_test(self, device_id: int, kind: str) -> wire.PrintTest:
        """Ask a device to print a test page on its own printer; returns the pending test."""
        path = f"/api/admin/devices/{device_id}/print-test"
        return self._answer(wire.PrintTest, "POST", path, {"kind": kind})

    def print_test_result(self, test_id: int) -> wire.PrintTest:
        """A print test: state pending | done, ok, message, printer, printer_status."""
        return self._answer(wire.PrintTest, "GET", f"/api/admin/print-tests/{test_id}")

    def claim_print_test(self, test_id: int) -> wire.PrintTest:
        """Before printing: is this test still wanted? A HubError (409) when it was answered
        already or asked too long ago (code `print_test_expired`): then print nothing."""
        return self._answer(wire.PrintTest, "POST", f"/api/device/print-tests/{test_id}/claim")

    def report_print_test(
        self,
        test_id: int,
        *,
        ok: bool,
        message: str,
        printer: str = "",
        status: Body | str | None = None,
    ) -> wire.PrintTest:
        """This device's answer to a print test meant for it."""
        body = {"ok": ok, "message": message, "printer": printer, "status": status}
        path = f"/api/device/print-tests/{test_id}/result"
        return self._answer(wire.PrintTest, "POST", path, body)


_ADAPTERS: dict[object, TypeAdapter[Any]] = {}


def answer_adapter(shape: type[T]) -> TypeAdapter[T]:
    """The pydantic validator of a `kiosk.hub.wire` shape, built once (building one is slow)."""
    found = _ADAPTERS.get(shape)
    if found is None:
        found = _ADAPTERS[shape] = TypeAdapter(shape)
    return found


def list_adapter(shape: type[T]) -> TypeAdapter[list[T]]:
    """The pydantic validator of a list of `shape`, built once."""
    key = ("list", shape)
    found = _ADAPTERS.get(key)
    if found is None:
        found = _ADAPTERS[key] = TypeAdapter(cast(Any, list)[shape])
    return found


def _error_from(response: httpx.Response) -> HubError:
    """The hub's refusal as a HubError; every problem it lists (catalogue lines, settings
    keys, request fields) is in `details["problems"]`."""
    problems: list[Any] = []
    try:
        body = response.json()
        message = str(body.get("message") or body.get("detail") or "")
        code = str(body.get("error") or "http_error")
        problems = list(body.get("problems") or [])
    except (ValueError, AttributeError):
        message, code = "", "http_error"
    if not message:
        message = f"Máy chủ văn phòng trả lỗi {response.status_code}."
    error = HubError(message, status=response.status_code, error_code=code)
    error.details["problems"] = problems
    return error
