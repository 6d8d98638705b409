"""The typed client of the hub API, used by every screen and by the tests.

Errors come back as `HubError` (the hub refused: its Vietnamese message, HTTP status and error
code) or `HubUnavailable` (no answer: the network or the hub is down). Both are KioskErrors,
so a screen shows `error.message` as is.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Literal
from urllib.parse import quote, urlencode

import httpx

from kiosk.domain.errors import KioskError

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


Json = dict[str, Any]
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
        json: Json | None = None,
        *,
        content: bytes | None = None,
        content_type: str = "",
    ) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        if self.staff_session:
            headers["X-Staff-Session"] = self.staff_session
        if content_type:
            headers["Content-Type"] = content_type
        try:
            response = self._http.request(method, path, json=json, content=content, headers=headers)
        except httpx.TransportError as exc:
            raise HubUnavailable(
                f"Không kết nối được máy chủ văn phòng tại {self.base_url}. "
                "Kiểm tra mạng hoặc máy chủ rồi thử lại."
            ) from exc
        if response.status_code >= 400:
            raise _error_from(response)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def events_url(self, after: int | None = None) -> str:
        """The WebSocket address of the event stream for this device."""
        scheme = "wss" if self.base_url.startswith("https") else "ws"
        url = f"{scheme}{self.base_url[self.base_url.index(':') :]}/api/events?token={self.token}"
        return url if after is None else f"{url}&after={after}"

    # --- system and admin -------------------------------------------------------------------

    def health(self) -> Json:
        result: Json = self._request("GET", "/api/health")
        return result

    def add_device(self, name: str, role: str, counter_number: int | None = None) -> Json:
        body = {"name": name, "role": role, "counter_number": counter_number}
        result: Json = self._request("POST", "/api/admin/devices", body)
        return result

    def devices(self) -> list[Json]:
        result: list[Json] = self._request("GET", "/api/admin/devices")
        return result

    def revoke_device(self, device_id: int) -> None:
        self._request("DELETE", f"/api/admin/devices/{device_id}")

    def add_staff(self, username: str, full_name: str, secret: str, role: str = "clerk") -> Json:
        body = {"username": username, "full_name": full_name, "secret": secret, "role": role}
        result: Json = self._request("POST", "/api/admin/staff", body)
        return result

    # --- staff session ----------------------------------------------------------------------

    def login(self, username: str, secret: str) -> Json:
        """Log a staff member in; later calls carry the session."""
        result: Json = self._request(
            "POST", "/api/session/login", {"username": username, "secret": secret}
        )
        self.staff_session = str(result["token"])
        return result

    def logout(self) -> None:
        self._request("POST", "/api/session/logout")
        self.staff_session = ""

    # --- queue ------------------------------------------------------------------------------

    def queue(self) -> Json:
        result: Json = self._request("GET", "/api/queue")
        return result

    def issue(
        self, prefix: str, *, priority: str | None = None, citizen_id: str | None = None
    ) -> Json:
        body = {"prefix": prefix, "priority": priority, "citizen_id": citizen_id}
        result: Json = self._request("POST", "/api/tickets", body)
        return result

    def _counter(self, counter: int, action: str, body: Json | None = None) -> Json | None:
        result: Json = self._request("POST", f"/api/counters/{counter}/{action}", body or {})
        ticket: Json | None = result["ticket"]
        return ticket

    def call_next(self, counter: int) -> Json | None:
        return self._counter(counter, "call-next")

    def call(self, counter: int, ticket_id: int) -> Json | None:
        return self._counter(counter, "call", {"ticket_id": ticket_id})

    def recall(self, counter: int) -> Json | None:
        return self._counter(counter, "recall")

    def start(self, counter: int) -> Json | None:
        return self._counter(counter, "start")

    def finish(
        self, counter: int, outcome: Outcome, dossier_code: str | None = None
    ) -> Json | None:
        return self._counter(counter, "finish", {"outcome": outcome, "dossier_code": dossier_code})

    def no_show(self, counter: int) -> Json | None:
        return self._counter(counter, "no-show")

    def hold(self, counter: int, note: str = "") -> Json | None:
        return self._counter(counter, "hold", {"note": note})

    def transfer(
        self,
        counter: int,
        *,
        to_prefix: str | None = None,
        to_counter: int | None = None,
        note: str = "",
        come_back: bool = False,
    ) -> Json | None:
        body = {
            "to_prefix": to_prefix,
            "to_counter": to_counter,
            "note": note,
            "come_back": come_back,
        }
        return self._counter(counter, "transfer", body)

    def return_from_hold(self, counter: int, ticket_id: int) -> Json | None:
        return self._counter(counter, f"return/{ticket_id}")

    def cancel(self, counter: int, ticket_id: int) -> Json | None:
        return self._counter(counter, f"cancel/{ticket_id}")

    def held(self, counter: int) -> list[Json]:
        """The counter's tickets on hold today, longest held first, each with its staff note
        and `held_at`."""
        result: Json = self._request("GET", f"/api/counters/{counter}/held")
        tickets: list[Json] = result["tickets"]
        return tickets

    # --- catalogue --------------------------------------------------------------------------

    def catalogue(self) -> Json:
        """The office's procedure catalogue (GET /api/catalogue), in the catalogue JSON format."""
        result: Json = self._request("GET", "/api/catalogue")
        return result

    # --- dossiers (kiosk/hub/dossier_routes.py) -----------------------------------------------
    # Writes take an optional `request_id`: send the same one again after a timeout and the hub
    # answers with what the first request did instead of doing it twice.

    def _dossier_path(self, counter: int, code: str, action: str = "") -> str:
        path = f"/api/counters/{counter}/dossiers/{quote(code.strip(), safe='')}"
        return f"{path}/{action}" if action else path

    def receive_dossier(self, counter: int, reception: Json) -> Json:
        """Receive a complete dossier (body: see ReceiveIn); returns the dossier."""
        result: Json = self._request("POST", f"/api/counters/{counter}/dossiers", reception)
        dossier: Json = result["dossier"]
        return dossier

    def supplement_at_counter(self, counter: int, request: Json) -> Json:
        """Form 02 at the counter (no dossier code); returns the stored form."""
        result: Json = self._request("POST", f"/api/counters/{counter}/supplements", request)
        supplement: Json = result["supplement"]
        return supplement

    def refuse_at_counter(self, counter: int, request: Json) -> Json:
        """Form 03 at the counter; returns the stored refusal."""
        result: Json = self._request("POST", f"/api/counters/{counter}/refusals", request)
        refusal: Json = result["refusal"]
        return refusal

    def dossier_file(self, counter: int, code: str) -> Json:
        """A dossier with its hand-overs and timeline (the hub audits the read)."""
        result: Json = self._request("GET", self._dossier_path(counter, code))
        return result

    def record_dossier_print(self, counter: int, code: str, form: str, copies: int = 1) -> Json:
        result: Json = self._request(
            "POST", self._dossier_path(counter, code, "print"), {"form": form, "copies": copies}
        )
        return result

    def dossier_step(self, counter: int, code: str, action: str, body: Json | None = None) -> Json:
        """One step after reception; `action` is one of transfer, start-processing,
        supplement-request, supplement-received, fee-request, fee-paid, extend, withdraw, stop,
        done, return. Returns the hub's answer ({"dossier": ...}, plus "supplement")."""
        result: Json = self._request("POST", self._dossier_path(counter, code, action), body or {})
        return result

    def worklist(self, counter: int, kind: str, *, days: int = 3, limit: int = 200) -> list[Json]:
        query = urlencode({"days": days, "limit": limit})
        result: Json = self._request("GET", f"/api/counters/{counter}/worklists/{kind}?{query}")
        dossiers: list[Json] = result["dossiers"]
        return dossiers

    def search_dossiers(self, counter: int, text: str, *, limit: int = 20) -> list[Json]:
        query = urlencode({"q": text, "limit": limit})
        result: Json = self._request("GET", f"/api/counters/{counter}/dossier-search?{query}")
        dossiers: list[Json] = result["dossiers"]
        return dossiers

    def lookup_dossier(self, code: str) -> Json:
        """The citizens' lookup (kiosk): status, procedure, due date, masked name."""
        result: Json = self._request("POST", "/api/lookup", {"code": code})
        dossier: Json = result["dossier"]
        return dossier

    def rate(
        self,
        level: str,
        *,
        comment: str = "",
        ticket_id: int | None = None,
        dossier_code: str | None = None,
        request_id: str | None = None,
    ) -> Json:
        """A rating from this rating screen or counter (very_satisfied/satisfied/unsatisfied)."""
        body = {
            "level": level,
            "comment": comment,
            "ticket_id": ticket_id,
            "dossier_code": dossier_code,
            "request_id": request_id,
        }
        result: Json = self._request("POST", "/api/ratings", body)
        rating: Json = result["rating"]
        return rating

    # --- counter helpers (kiosk/hub/counter_routes.py) ----------------------------------------

    def due_preview(self, counter: int, procedure_code: str) -> Json:
        """The due date a reception of this procedure would get now: {due_at, time_limit}."""
        body = {"procedure_code": procedure_code}
        result: Json = self._request("POST", f"/api/counters/{counter}/due-preview", body)
        return result

    # --- admin (kiosk/hub/admin_routes.py) ----------------------------------------------------

    def staff(self) -> list[Json]:
        """Staff accounts (no secrets): id, username, full_name, role, active, locked_until."""
        result: list[Json] = self._request("GET", "/api/admin/staff")
        return result

    def update_staff(self, staff_id: int, **changes: Any) -> Json:
        """Change a staff account: any of full_name, role, active, secret, unlock=True.
        Returns the account as `staff()` lists it, plus `sessions_ended`."""
        result: Json = self._request("PATCH", f"/api/admin/staff/{staff_id}", changes)
        return result

    def calendar_overrides(self, year: int | None = None) -> list[Json]:
        query = "" if year is None else f"?year={year}"
        result: list[Json] = self._request("GET", f"/api/admin/calendar/overrides{query}")
        return result

    def set_calendar_override(self, day: str, kind: str, reason: str = "") -> Json:
        """`day` ISO (YYYY-MM-DD); `kind` holiday, day_off or workday."""
        body = {"kind": kind, "reason": reason}
        result: Json = self._request("PUT", f"/api/admin/calendar/overrides/{day}", body)
        return result

    def delete_calendar_override(self, day: str) -> None:
        self._request("DELETE", f"/api/admin/calendar/overrides/{day}")

    def import_catalogue(self, text: str, fmt: Literal["json", "csv"]) -> Json:
        """Replace the catalogue; a bad file raises HubError (422) with `problems` in `details`:
        [{line, column, message}, ...]."""
        kind = "application/json" if fmt == "json" else "text/csv"
        result: Json = self._request(
            "POST", "/api/admin/catalogue", content=text.encode("utf-8"), content_type=kind
        )
        return result

    def backup(self) -> Json:
        """A verified backup in the hub's data folder: {path, bytes}."""
        result: Json = self._request("POST", "/api/admin/backup")
        return result

    def office_summary(self) -> Json:
        result: Json = self._request("GET", "/api/admin/office")
        return result

    # --- admin login and restore ----------------------------------------------------------------

    def session_info(self) -> Json:
        """The staff member logged in with this client's session: {staff, counter_number,
        expires_at}; HubError 401 when the session is over."""
        result: Json = self._request("GET", "/api/session")
        return result

    def first_admin_needed(self) -> bool:
        """True while the office has no admin account (an admin device may create the first)."""
        result: Json = self._request("GET", "/api/admin/first-admin")
        return bool(result["needed"])

    def create_first_admin(self, username: str, full_name: str, secret: str) -> Json:
        """Create the office's first admin account and log it in here (as `login`)."""
        body = {"username": username, "full_name": full_name, "secret": secret}
        result: Json = self._request("POST", "/api/admin/first-admin", body)
        self.staff_session = str(result["token"])
        return result

    def backups(self) -> list[Json]:
        """Backups in the hub's backups/ folder, newest first: name, taken_at, bytes, verified,
        problem, safety (a safety backup taken before a restore)."""
        result: list[Json] = self._request("GET", "/api/admin/backups")
        return result

    def restore(self, name: str, confirm: str) -> Json:
        """Restore the backup `name` on the running hub (`confirm` is its name typed again):
        {name, safety_backup, restored_at, session_valid}. When `session_valid` is false the
        backup predates this login: the session is gone, log in again."""
        body = {"name": name, "confirm": confirm}
        result: Json = self._request("POST", "/api/admin/restore", body)
        if not result.get("session_valid", True):
            self.staff_session = ""
        return result

    # --- the office's settings (kiosk/hub/office_routes.py) ------------------------------------

    def office(self) -> Json:
        """What screens show of the office: office_name, unit_code, notice, form_set, fields,
        groups [{prefix, name, fields}], counters [{number, name, groups}], hours."""
        result: Json = self._request("GET", "/api/office")
        return result

    def update_office(self, changes: Json) -> Json:
        """Change the office's settings (admin): any of office_name, unit_code, fields, notice,
        form_set, groups, counters, hub_url, district_url, priority_mode, priority_every,
        max_recalls, supplement_policy, same_day_cutoff, appointment. Returns {office, changed,
        message}. A refusal raises HubError (422 invalid, 409 a counter or group still busy)
        with every problem, in Vietnamese, in `error.details["problems"]`."""
        try:
            result: Json = self._request("PUT", "/api/admin/office", changes)
        except HubError as error:
            found = error.details.get("problems")
            assert isinstance(found, list)  # _error_from always sets it
            error.details["problems"] = [
                p if isinstance(p, str) else f"{p.get('field', '')}: {p.get('problem', '')}"
                for p in found
            ]
            raise
        return result

    # --- printers per device (kiosk/hub/device_routes.py) -------------------------------------

    def device_profile(self) -> Json:
        """This device: id, name, role, counter_number, kinds and printers ({kind: uri})."""
        result: Json = self._request("GET", "/api/device")
        return result

    def device_printers(self, device_id: int) -> Json:
        """A device's printers (admin): device_id, name, role, kinds, printers {kind: uri}."""
        result: Json = self._request("GET", f"/api/admin/devices/{device_id}/printers")
        return result

    def set_device_printers(self, device_id: int, printers: dict[str, str | None]) -> Json:
        """Set a device's printers {kind: uri}; an empty or None uri removes that printer."""
        result: Json = self._request(
            "PUT", f"/api/admin/devices/{device_id}/printers", {"printers": printers}
        )
        return result

    def request_print_test(self, device_id: int, kind: str) -> Json:
        """Ask a device to print a test page on its own printer; returns the pending test."""
        result: Json = self._request(
            "POST", f"/api/admin/devices/{device_id}/print-test", {"kind": kind}
        )
        return result

    def print_test_result(self, test_id: int) -> Json:
        """A print test: state pending | done, ok, message, printer, printer_status."""
        result: Json = self._request("GET", f"/api/admin/print-tests/{test_id}")
        return result

    def claim_print_test(self, test_id: int) -> Json:
        """Before printing: is this test still wanted? A HubError (409) when it was answered
        already or asked too long ago (code `print_test_expired`): then print nothing."""
        result: Json = self._request("POST", f"/api/device/print-tests/{test_id}/claim")
        return result

    def report_print_test(
        self,
        test_id: int,
        *,
        ok: bool,
        message: str,
        printer: str = "",
        status: Json | str | None = None,
    ) -> Json:
        """This device's answer to a print test meant for it."""
        body = {"ok": ok, "message": message, "printer": printer, "status": status}
        result: Json = self._request("POST", f"/api/device/print-tests/{test_id}/result", body)
        return result


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
