"""The hub's OpenAPI document fuzzed with schemathesis against the real process: never a 5xx,
every refusal a 4xx with a Vietnamese message; admin routes reached as a logged-in admin and
refused to the admin device without a session (401) or with a clerk's session (403)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hubproc import HubProcess, make_office
from hypothesis import HealthCheck, given, settings

from kiosk.hub.client import HubClient

#: Callers: (device token name, staff session name or None).
CALLERS = {
    "admin": ("admin", "admin_session"),
    "admin-device-only": ("admin", None),
    "admin-clerk": ("admin2", "clerk_session"),
    "counter": ("counter", "session"),
    "kiosk": ("kiosk", None),
    "none": (None, None),
}
#: Admin routes that need the admin device only (the first-admin bootstrap).
DEVICE_ONLY = "/api/admin/first-admin"


@pytest.fixture(scope="module")
def fuzzed_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    hub = HubProcess(make_office(Path(tmp_path_factory.mktemp("fuzz")) / "office"))
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture(scope="module")
def tokens(fuzzed_hub: HubProcess) -> dict[str, str]:
    with fuzzed_hub.client() as admin:
        counter = admin.add_device("Quầy 1", "counter", 1)
        admin2 = admin.add_device("Máy quản trị 2", "admin")
        clerk_id = admin.add_staff("fuzz", "Cán bộ thử", "9876")["id"]
        kiosk = admin.add_device("Máy lấy số", "kiosk")
    counter_token, admin2_token, kiosk_token = counter["token"], admin2["token"], kiosk["token"]
    with HubClient(fuzzed_hub.url, counter_token) as counter_client:
        session = counter_client.login("fuzz", "9876")["token"]
    with HubClient(fuzzed_hub.url, admin2_token) as admin2_client:
        clerk_session = admin2_client.login("fuzz", "9876")["token"]
    return {
        "admin": fuzzed_hub.admin_token,
        "admin_session": fuzzed_hub.admin_session(),
        "admin2": admin2_token,
        "clerk_session": clerk_session,
        "counter": counter_token,
        "session": session,
        "kiosk": kiosk_token,
        "clerk_id": str(clerk_id),
        # the hub's own admin device is left to the fuzzer: revoking it must be refused
        "caller_devices": ",".join(str(device["id"]) for device in (counter, admin2, kiosk)),
    }


@pytest.fixture(scope="module")
def hub_schema(fuzzed_hub: HubProcess) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{fuzzed_hub.url}/openapi.json")


def call_as_every_role(
    case: schemathesis.Case, tokens: dict[str, str], seen: dict[tuple[str, str], set[int]]
) -> None:
    """Send one generated request as every kind of caller, so role checks are fuzzed too."""
    for caller, (device, session) in CALLERS.items():
        if case.path == "/api/session/logout" and session is not None:
            continue  # it would end the session the other calls need
        if (
            caller == "admin"
            and case.path == "/api/admin/staff/{staff_id}"
            and str((case.path_parameters or {}).get("staff_id")) == tokens["clerk_id"]
        ):
            continue  # a new PIN, a role or leaving would end the clerk's sessions used here
        if (
            caller == "admin"
            and case.method == "DELETE"
            and case.path == "/api/admin/devices/{device_id}"
            and str((case.path_parameters or {}).get("device_id"))
            in tokens["caller_devices"].split(",")
        ):
            continue  # revoking a caller's device would turn its later calls into 401s
        headers = {}
        if device is not None:
            headers["Authorization"] = f"Bearer {tokens[device]}"
        if session is not None:
            headers["X-Staff-Session"] = tokens[session]
        response = case.call(headers=headers, timeout=10)
        status = response.status_code
        assert status < 500, (case.method, case.path, caller, response.text)
        if status >= 400:
            body = response.json()
            assert body["message"] and body["error"], (case.path, caller, body)
        admin_route = case.path.startswith("/api/admin/") and case.path != DEVICE_ONLY
        if admin_route and status != 404:  # 404: a generated path no route matches
            seen[(case.path, caller)].add(status)
            if caller == "admin-device-only":
                assert status == 401, (case.method, case.path, response.text)
            elif caller in ("admin-clerk", "counter", "kiosk"):
                assert status == 403, (case.method, case.path, caller, response.text)


def test_no_input_makes_the_hub_fail(
    hub_schema: schemathesis.BaseSchema, tokens: dict[str, str]
) -> None:
    operations = [result.ok() for result in hub_schema.get_all_operations()]
    assert len(operations) >= 15, "the OpenAPI document lost its routes"
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: schemathesis.Case) -> None:
            call_as_every_role(case, tokens, seen)

        fuzz()
    # The logged-in admin got through to the admin routes, not stopped at the door.
    reached = {
        path
        for (path, caller), codes in seen.items()
        if caller == "admin" and codes & {200, 201, 204}
    }
    for path in ("/api/admin/staff", "/api/admin/devices", "/api/admin/backups"):
        assert path in reached, sorted(reached)
