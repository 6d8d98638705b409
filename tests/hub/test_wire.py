"""The typed wire: every route of the hub and of the district server declares its answer, the
shapes in `kiosk/hub/wire.py` match the enums they spell, `HubClient` refuses a malformed
answer, and docs/hub.md lists exactly the routes of the hub's OpenAPI document."""

from __future__ import annotations

import logging
import re
import typing
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from fastapi import FastAPI
from fastapi.datastructures import DefaultPlaceholder
from fastapi.routing import APIRoute, APIWebSocketRoute
from pydantic import ValidationError
from starlette.routing import BaseRoute, Route

from kiosk.district.app import create_app as create_district_app
from kiosk.district.storage import Database
from kiosk.dossiers.models import RatingLevel, Worklist
from kiosk.hub import wire
from kiosk.hub.app import create_app
from kiosk.hub.auth import Role, StaffRole
from kiosk.hub.client import HubClient, HubError, answer_adapter
from kiosk.hub.deps import Hub


def parse(shape: Any, value: object) -> Any:
    return answer_adapter(shape).validate_python(value)


ROOT = Path(__file__).resolve().parents[2]
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def hub_app() -> FastAPI:
    # Building the app only stores the hub: nothing of it is used until the app starts.
    return create_app(cast(Hub, object()))


def district_app() -> FastAPI:
    return create_district_app(cast(Database, object()))


def every_route(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    """The routes of an app with those of its included routers (FastAPI keeps an included
    router as one entry of `app.routes`)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from every_route(included.routes)
        else:
            yield route


def vague(model: Any) -> bool:
    """No model, or one that says nothing of the keys: Any, a dict, a list of those."""
    if model is None or model is Any or model is dict:
        return True
    origin = typing.get_origin(model)
    if origin is dict:
        return True
    return origin is list and vague(typing.get_args(model)[0])


def undeclared(app: FastAPI) -> list[str]:
    """Routes that declare neither a response model nor a response class of their own."""
    own_docs = {app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url}
    missing = []
    for route in every_route(app.routes):
        if isinstance(route, APIWebSocketRoute):
            continue  # a WebSocket: its messages are wire.SnapshotMessage and wire.EventMessage
        if isinstance(route, APIRoute):
            declared_class = not isinstance(route.response_class, DefaultPlaceholder)
            if vague(route.response_model) and not declared_class:
                missing.append(f"{sorted(route.methods)} {route.path}")
        elif not (isinstance(route, Route) and route.path in own_docs):
            missing.append(f"{type(route).__name__} {getattr(route, 'path', '?')}")
    return missing


@pytest.mark.parametrize("make", [hub_app, district_app], ids=["hub", "district"])
def test_every_route_declares_its_answer(make: Any) -> None:
    app = make()
    assert len(list(every_route(app.routes))) > 10
    assert undeclared(app) == []


def test_a_route_without_a_declared_answer_is_caught() -> None:
    app = FastAPI()

    @app.get("/untyped")
    def untyped() -> dict[str, Any]:
        return {}

    @app.get("/rows")
    def rows() -> list[dict[str, Any]]:
        return []

    app.add_api_route("/bare", lambda: {})
    assert undeclared(app) == ["['GET'] /untyped", "['GET'] /rows", "['GET'] /bare"]


def test_the_district_answers_are_described_in_its_openapi_document() -> None:
    paths = district_app().openapi()["paths"]
    stats = paths["/api/stats"]["get"]["responses"]["200"]["content"]["application/json"]
    assert stats["schema"] == {"$ref": "#/components/schemas/Stats"}


# --- the shapes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("literal", "enum"),
    [
        (wire.TicketStatusName, "kiosk.domain.tickets.TicketStatus"),
        (wire.OutcomeName, "kiosk.queue.Outcome"),
        (wire.PriorityName, "kiosk.queue.PriorityCategory"),
        (wire.DossierStatusName, "kiosk.domain.lifecycle.DossierStatus"),
        (wire.CopyKindName, "kiosk.domain.catalogue.CopyKind"),
        (wire.TimelinessName, "kiosk.domain.lifecycle.Timeliness"),
        (wire.OverrideKindName, "kiosk.domain.calendar.OverrideKind"),
    ],
)
def test_the_status_names_are_the_enums_values(literal: Any, enum: str) -> None:
    module, _, name = enum.rpartition(".")
    found: type[StrEnum] = getattr(__import__(module, fromlist=[name]), name)
    assert set(typing.get_args(literal)) == {member.value for member in found}


@pytest.mark.parametrize(
    ("literal", "enum"),
    [
        (wire.RatingLevelName, RatingLevel),
        (wire.WorklistName, Worklist),
        (wire.DeviceRoleName, Role),
        (wire.StaffRoleName, StaffRole),
    ],
)
def test_the_other_names_are_the_enums_values(literal: Any, enum: type[StrEnum]) -> None:
    assert set(typing.get_args(literal)) == {member.value for member in enum}


def test_a_shape_refuses_a_missing_key_an_unknown_key_and_a_wrong_type() -> None:
    good = {"due_at": "2026-08-24T17:00:00+07:00", "time_limit": "3 ngày làm việc"}
    assert parse(wire.DuePreview, good) == good
    with pytest.raises(ValidationError):
        parse(wire.DuePreview, {"due_at": good["due_at"]})
    with pytest.raises(ValidationError):
        parse(wire.DuePreview, {**good, "due": good["due_at"]})
    with pytest.raises(ValidationError):
        parse(wire.DuePreview, {**good, "time_limit": 3})


def test_a_ticket_may_carry_its_staff_note_only_where_declared() -> None:
    ticket = {
        "id": 1,
        "display_number": "A001",
        "prefix": "A",
        "number": 1,
        "group_id": 1,
        "status": "waiting",
        "priority": False,
        "issued_at": "2026-08-24T08:00:00+07:00",
        "called_at": None,
        "serving_at": None,
        "finished_at": None,
        "first_called_at": None,
        "counter_number": None,
        "recalls": 0,
        "outcome": None,
        "return_to_counter": None,
        "assigned_counter": None,
        "service_day": "2026-08-24",
    }
    assert parse(wire.TicketAnswer, {"ticket": ticket})["ticket"] == ticket
    private = {**ticket, "priority_category": "elderly", "note": "ra lấy giấy"}
    held = {**private, "held_at": "2026-08-24T08:10:00+07:00"}
    assert parse(wire.HeldTickets, {"tickets": [held]})["tickets"] == [held]
    with pytest.raises(ValidationError):
        parse(wire.TicketAnswer, {"ticket": {**ticket, "status": "lost"}})


# --- the client's boundary ----------------------------------------------------------------------


def client_answering(body: object) -> HubClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    return HubClient("http://hub.test", "token", transport=httpx.MockTransport(answer))


def test_the_client_refuses_a_malformed_answer_with_a_clear_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    renamed = {"due": "2026-08-24T17:00:00+07:00", "time_limit": "3 ngày làm việc"}
    with (
        client_answering(renamed) as client,
        caplog.at_level(logging.ERROR),
        pytest.raises(HubError) as raised,
    ):
        client.due_preview(1, "1.001")
    error = raised.value
    assert error.error_code == "malformed_answer"
    assert "không đúng dạng" in error.message
    assert "/api/counters/1/due-preview" in error.message
    problems = error.details["problems"]
    assert any(p.startswith("due_at:") for p in problems), problems
    assert any(p.startswith("due:") for p in problems), problems
    assert any(r.message == "malformed hub answer" for r in caplog.records)


def test_the_client_checks_every_item_of_a_list_answer() -> None:
    row = {"day": "2026-09-02", "kind": "holiday", "reason": "Quốc khánh"}
    with client_answering([row]) as client:
        assert client.calendar_overrides() == [row]
    with (
        client_answering([row, {**row, "kind": "party"}]) as client,
        pytest.raises(HubError) as raised,
    ):
        client.calendar_overrides()
    assert raised.value.details["problems"][0].startswith("1.kind:")


def test_the_client_returns_the_answer_it_checked() -> None:
    answer = {"needed": True}
    with client_answering(answer) as client:
        assert client.first_admin_needed() is True
    with client_answering({"needed": "yes"}) as client, pytest.raises(HubError):
        client.first_admin_needed()


# --- docs/hub.md and the OpenAPI document --------------------------------------------------------


def normal(path: str) -> str:
    """A path with its parameters unnamed: docs may say `{id}` where the route says `{test_id}`."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def openapi_routes() -> set[tuple[str, str]]:
    paths = hub_app().openapi()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def documented_table() -> set[tuple[str, str]]:
    """The rows of the "Every route" table of docs/hub.md."""
    text = (ROOT / "docs" / "hub.md").read_text(encoding="utf-8")
    section = text.split("## Every route", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(rf"^\| `({'|'.join(METHODS)}) (/[^`\s]*)` \|", section, re.M)
    return {(method, path) for method, path in rows}


def test_docs_hub_md_lists_every_route_of_the_openapi_document() -> None:
    documented = documented_table()
    assert sorted(openapi_routes() - documented) == [], "routes missing in docs/hub.md"
    assert sorted(documented - openapi_routes()) == [], "docs/hub.md lists unknown routes"


def test_every_route_docs_hub_md_names_exists() -> None:
    text = (ROOT / "docs" / "hub.md").read_text(encoding="utf-8")
    named = re.findall(rf"`({'|'.join(METHODS)}) (/[^`\s?]*)", text)
    assert len(named) > len(openapi_routes())
    known = {(method, normal(path)) for method, path in openapi_routes()}
    for route in every_route(hub_app().routes):
        if isinstance(route, APIWebSocketRoute):
            known.add(("GET", normal(route.path)))  # a WebSocket opens with a GET
        elif isinstance(route, APIRoute):
            known |= {(method, normal(route.path)) for method in route.methods}
    unknown = sorted({(m, p) for m, p in named if (m, normal(p)) not in known})
    assert unknown == []


def test_the_docs_name_each_answers_shape() -> None:
    """Each row of the table names the `kiosk.hub.wire` shape of its answer."""
    text = (ROOT / "docs" / "hub.md").read_text(encoding="utf-8")
    section = text.split("## Every route", 1)[1].split("\n## ", 1)[0]
    shapes = set(re.findall(r"^\| `[^`]+` \| 20\d `\[?([A-Za-z]+)\]?` \|$", section, re.M))
    assert len(shapes) > 20, shapes
    assert sorted(s for s in shapes if not hasattr(wire, s)) == []
