"""The one place where package errors become HTTP responses (and CLI messages).

Every package has an ``errors.py`` with one base class whose instances carry data. Here each known
class gets its HTTP status; anything unknown becomes a 500 with a plain Swedish message and an
error id that is written to the log together with the stack trace, never shown to the user.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant import errors as assistant_errors
from assistant.access import current_request_id
from index_engine import errors as engine_errors
from ingest import errors as ingest_errors

log = logging.getLogger("digirapport.web")

#: Most specific class first; the first match wins.
STATUS_BY_ERROR: list[tuple[type[Exception], int]] = [
    (engine_errors.NoDataForYearError, 404),
    (engine_errors.UnknownFigureError, 404),
    (engine_errors.DataValidationError, 422),
    (engine_errors.InvalidScenarioError, 422),
    (engine_errors.IndexEngineError, 400),
    (ingest_errors.DocumentNotFoundError, 404),
    (ingest_errors.FileTooLargeError, 413),
    (ingest_errors.DocumentTooLargeError, 413),
    (ingest_errors.UnsupportedFileTypeError, 415),
    (ingest_errors.InvalidLevelError, 422),
    (ingest_errors.EmbeddingError, 502),
    (ingest_errors.StoreError, 503),
    (ingest_errors.IngestError, 400),
    (assistant_errors.ConversationNotFoundError, 404),
    (assistant_errors.DraftDataMissingError, 404),
    (assistant_errors.VerifiedNotFoundError, 404),
    (assistant_errors.FeedbackNotFoundError, 404),
    (assistant_errors.InvalidInputError, 422),
    (assistant_errors.ModelError, 502),
    (assistant_errors.SchemaOutdatedError, 503),
    (assistant_errors.WordListError, 500),
    (assistant_errors.AssistantError, 400),
]

KNOWN_ERRORS: tuple[type[Exception], ...] = (
    engine_errors.IndexEngineError,
    ingest_errors.IngestError,
    assistant_errors.AssistantError,
)


def error_body(
    code: str, message: str, *, request_id: str | None = None, **data: Any
) -> dict[str, Any]:
    """The app's error shape: ``{"error": {"code", "message", ...data, "request_id"}}``.

    ``request_id`` defaults to the current request's (absent outside a request).
    """
    body: dict[str, Any] = {"code": code, "message": message, **data}
    if rid := request_id or current_request_id.get():
        body["request_id"] = rid
    return {"error": body}


def error_payload(exc: Exception) -> dict[str, Any]:
    """The JSON body for a package error: ``{"error": {"code", "message", ...data}}``."""
    to_dict = getattr(exc, "to_dict", None)
    data = to_dict() if callable(to_dict) else {"code": "error", "message": str(exc)}
    return error_body(**data)


def status_for(exc: Exception) -> int:
    """The HTTP status for a package error."""
    for cls, status in STATUS_BY_ERROR:
        if isinstance(exc, cls):
            return status
    return 500


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers: package errors, request validation, HTTP errors, everything else."""

    async def package_error(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_payload(exc), status_code=status_for(exc))

    async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
                "message": err.get("msg", ""),
            }
            for err in exc.errors()
        ]
        fields = ", ".join(p["field"] or "body" for p in problems)
        body = error_body(
            "invalid_request", f"Ogiltig förfrågan: kontrollera {fields}.", problems=problems
        )
        return JSONResponse(body, status_code=422)

    async def http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "Förfrågan kunde inte hanteras."
        return JSONResponse(
            error_body(f"http_{exc.status_code}", message),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        # Runs outside web.observe.ObserveMiddleware (Starlette's outermost layer): the request
        # id comes from the request's state, and the header is set here.
        error_id = uuid.uuid4().hex[:12]
        request_id = getattr(request.state, "request_id", None)
        log.exception(
            "Unexpected error %s", error_id, exc_info=exc, extra={"request_id": request_id or "-"}
        )
        body = error_body(
            "internal_error",
            f"Ett oväntat fel inträffade (fel-id {error_id}). Försök igen.",
            error_id=error_id,
            request_id=request_id,
        )
        headers = {"X-Request-ID": request_id} if request_id else None
        return JSONResponse(body, status_code=500, headers=headers)

    for cls in KNOWN_ERRORS:
        app.add_exception_handler(cls, package_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
