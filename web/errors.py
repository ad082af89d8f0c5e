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
    (assistant_errors.InvalidInputError, 422),
    (assistant_errors.ModelError, 502),
    (assistant_errors.AssistantError, 400),
]

KNOWN_ERRORS: tuple[type[Exception], ...] = (
    engine_errors.IndexEngineError,
    ingest_errors.IngestError,
    assistant_errors.AssistantError,
)


def error_payload(exc: Exception) -> dict[str, Any]:
    """The JSON body for a package error: ``{"error": {"code", "message", ...data}}``."""
    to_dict = getattr(exc, "to_dict", None)
    body = to_dict() if callable(to_dict) else {"code": "error", "message": str(exc)}
    return {"error": body}


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
        body = {
            "error": {
                "code": "invalid_request",
                "message": f"Ogiltig förfrågan: kontrollera {fields}.",
                "problems": problems,
            }
        }
        return JSONResponse(body, status_code=422)

    async def http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "Förfrågan kunde inte hanteras."
        return JSONResponse(
            {"error": {"code": f"http_{exc.status_code}", "message": message}},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    async def unexpected_error(_request: Request, exc: Exception) -> JSONResponse:
        error_id = uuid.uuid4().hex[:12]
        log.exception("Unexpected error %s", error_id, exc_info=exc)
        body = {
            "error": {
                "code": "internal_error",
                "message": f"Ett oväntat fel inträffade (fel-id {error_id}). Försök igen.",
                "error_id": error_id,
            }
        }
        return JSONResponse(body, status_code=500)

    for cls in KNOWN_ERRORS:
        app.add_exception_handler(cls, package_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
