"""The one table from errors to HTTP answers: domain errors know nothing of HTTP.

A `KioskError` is a refusal a person can act on (4xx with the Vietnamese message), but a
`StoreError` is the environment (disk full, database damaged or locked): 503, so a screen says
"try again / call IT" and keeps what was typed, never "conflict". Request validation is a 422
naming the fields; Starlette's own 404/405 get Vietnamese text.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk.domain.errors import KioskError, StoreError, ValidationError
from kiosk.dossiers import errors as dossier_errors
from kiosk.hub.deps import error_body
from kiosk.queue import errors as queue_errors

log = logging.getLogger(__name__)


#: The HTTP status of each error of the layers below the hub, most specific first. The hub's own
#: errors (auth, devices, office) say theirs as `status`. Anything else is a 409: a conflict with
#: the state of the queue or the dossier, told in Vietnamese.
STATUSES: tuple[tuple[type[KioskError], int], ...] = (
    (StoreError, 503),
    (ValidationError, 422),
    (queue_errors.QueueNotFound, 404),
    (dossier_errors.DossierNotFound, 404),
    (dossier_errors.LookupNotFound, 404),
    (dossier_errors.ProcedureNotFound, 404),
    (dossier_errors.TicketNotFound, 404),
    (dossier_errors.CounterNotFound, 404),
    (dossier_errors.LookupRateLimited, 429),
)


def status_for(error: KioskError) -> int:
    """The HTTP status of an error a person can read: the message is the Vietnamese text."""
    for kind, status in STATUSES:
        if isinstance(error, kind):
            return status
    explicit = getattr(error, "status", None)
    return explicit if isinstance(explicit, int) else 409


def install_error_handlers(app: FastAPI) -> None:
    """Answer every refusal as `error_body` JSON with the status of `status_for`."""

    @app.exception_handler(KioskError)
    async def kiosk_error(request: Request, exc: KioskError) -> JSONResponse:
        status = status_for(exc)
        log.info("refused %s %s: %s", request.method, request.url.path, exc.message)
        return JSONResponse(error_body(exc.code, exc.message), status_code=status)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())[1:]), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        fields = ", ".join(p["field"] or "nội dung" for p in problems) or "nội dung"
        return JSONResponse(
            error_body(
                "bad_request", f"Dữ liệu gửi lên không hợp lệ ({fields}).", problems=problems
            ),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "Không có địa chỉ này.", 405: "Phương thức không được hỗ trợ."}
        message = messages.get(exc.status_code, str(exc.detail))
        return JSONResponse(
            error_body("http_error", message), status_code=exc.status_code, headers=exc.headers
        )
