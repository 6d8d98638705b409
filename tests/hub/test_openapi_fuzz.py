"""The hub's OpenAPI document fuzzed with schemathesis against the real process: never a 5xx,
every refusal a 4xx with a Vietnamese message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hubproc import HubProcess, make_office
from hypothesis import HealthCheck, given, settings

from kiosk.hub.client import HubClient


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
        counter_token = admin.add_device("Quầy 1", "counter", 1)["token"]
        admin.add_staff("fuzz", "Cán bộ thử", "9876")
        kiosk_token = admin.add_device("Máy lấy số", "kiosk")["token"]
    with HubClient(fuzzed_hub.url, counter_token) as counter:
        session = counter.login("fuzz", "9876")["token"]
    return {
        "admin": fuzzed_hub.admin_token,
        "counter": counter_token,
        "session": session,
        "kiosk": kiosk_token,
    }


@pytest.fixture(scope="module")
def hub_schema(fuzzed_hub: HubProcess) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{fuzzed_hub.url}/openapi.json")


def call_as_every_role(case: schemathesis.Case, tokens: dict[str, str]) -> None:
    """Send one generated request as every kind of caller, so role checks are fuzzed too."""
    for as_role in ("admin", "counter", "kiosk", "none"):
        headers = {}
        if as_role != "none":
            headers["Authorization"] = f"Bearer {tokens[as_role]}"
        if as_role == "counter":
            headers["X-Staff-Session"] = tokens["session"]
        response = case.call(headers=headers, timeout=10)
        assert response.status_code < 500, (case.method, case.path, as_role, response.text)
        if response.status_code >= 400:
            body = response.json()
            assert body["message"] and body["error"], (case.path, as_role, body)


def test_no_input_makes_the_hub_fail(
    hub_schema: schemathesis.BaseSchema, tokens: dict[str, str]
) -> None:
    operations = [result.ok() for result in hub_schema.get_all_operations()]
    assert len(operations) >= 15, "the OpenAPI document lost its routes"
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: schemathesis.Case) -> None:
            call_as_every_role(case, tokens)

        fuzz()
