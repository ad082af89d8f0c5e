"""What an operator sees: one log line per request with a request id, and the request metrics.

:func:`configure_logging` sets up logging once per process (again only when the format or level
changes): every line has a UTC time, the level, the logger and the request id, as text or, with
``DIGI_LOG_FORMAT=json``, as one JSON object per line. uvicorn's own loggers go through the same
handler (``digirapport serve`` turns uvicorn's access log off: :class:`ObserveMiddleware` writes a
better one).

:class:`ObserveMiddleware` runs outermost. It takes the request id from ``X-Request-ID`` when it
is safe (:func:`accepted_request_id`: at most 64 characters of ``A-Z a-z 0-9 . _ : -``), else
makes one; sets it for the request (``request.state.request_id`` and
:data:`assistant.access.current_request_id`, so error bodies, audit records and log lines carry
it); returns it in the ``X-Request-ID`` response header; and as the answer completes writes one
``digirapport.access`` line (method, path without the query string, status, milliseconds, route
template, key id) and counts the request in the app's metrics.

Logs never hold an API key, a question or a document's text: the access line has the path only
(queries such as ``/api/search?q=...`` are cut), the key's *id* only, and no body is logged.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.access import current_request_id
from web.metrics import UNMATCHED

access_log = logging.getLogger("digirapport.access")

#: An incoming ``X-Request-ID`` is used only when it matches this (else a new id is made).
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,64}")
REQUEST_ID_HEADER = b"x-request-id"
#: Loggers written at the configured level (everything else: warnings and errors only).
APP_LOGGERS = ("digirapport", "uvicorn")
#: Attributes every log record has; anything else on a record is an ``extra`` field.
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "request_id",
    "color_message",  # uvicorn's copy of the message with terminal colours
}


def accepted_request_id(value: str | None) -> str | None:
    """``value`` when it is a safe request id (bounded length, safe characters), else None."""
    if value is None:
        return None
    value = value.strip()
    return value if REQUEST_ID_PATTERN.fullmatch(value) else None


def new_request_id() -> str:
    """A fresh request id (32 hex characters)."""
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Put the current request's id on every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add ``record.request_id``; never drops a record."""
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get() or "-"
        return True


def _time(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TextFormatter(logging.Formatter):
    """``2026-12-03T14:05:09.123Z INFO digirapport.access [id] message``."""

    def format(self, record: logging.LogRecord) -> str:
        """One line (plus the traceback, if any, on the lines after it)."""
        line = (
            f"{_time(record)} {record.levelname} {record.name} "
            f"[{getattr(record, 'request_id', '-')}] {record.getMessage()}"
        )
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request_id, message, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON (a traceback goes into ``exception``)."""
        out: dict[str, Any] = {
            "time": _time(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                out[key] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time of writing (tests swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


_configured: tuple[str, str] | None = None


def configure_logging(fmt: str = "text", level: str = "INFO") -> None:
    """Send all logging to stderr in ``fmt`` (``text`` or ``json``); app loggers at ``level``.

    Idempotent: the handler is installed once on the root logger and replaced only when the
    format changes. Other libraries (Alembic too: the app logs its own line per migration) log
    warnings and errors only.
    """
    global _configured
    root = logging.getLogger()
    if _configured != (fmt, level) or not any(isinstance(h, _StderrHandler) for h in root.handlers):
        for old in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
            root.removeHandler(old)
        handler = _StderrHandler()
        handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
        _configured = (fmt, level)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    for name in APP_LOGGERS:
        logging.getLogger(name).setLevel(level)
    logging.captureWarnings(True)


def _leaf_routes(routes: Iterable[Any]) -> Iterator[Any]:
    """The routes of a router, with included routers (FastAPI's ``_IncludedRouter``) opened."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _leaf_routes(included.routes)
        else:
            yield route


def route_template(scope: Scope) -> str:
    """The template of the route that served (or would serve) the request, else ``unmatched``.

    The router puts the matched route on the scope; a request answered before routing (401,
    413, 429) is matched here against the app's routes (included without a prefix).
    """
    route = scope.get("route")
    if route is None:
        router = getattr(scope.get("app"), "router", None)
        for candidate in _leaf_routes(getattr(router, "routes", ())):
            if candidate.matches(scope)[0] is Match.FULL:
                route = candidate
                break
    path = getattr(route, "path", None)
    return str(path) if path else UNMATCHED


class ObserveMiddleware:
    """Request id, the access log line and the request metrics (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap ``app`` (its ``state.services.metrics`` counts the requests)."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request with its id set, then log and count it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = None
        for name, value in scope["headers"]:
            if name.lower() == REQUEST_ID_HEADER:
                sent = value.decode("latin-1")
                break
        request_id = accepted_request_id(sent) or new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500  # unless the app answers
        finished = False

        def finish() -> None:
            # Logged and counted before the answer's last byte goes out, so a client that has
            # its answer finds the request in the log and in /metrics.
            nonlocal finished
            finished = True
            seconds = time.perf_counter() - started
            route = route_template(scope)
            services = getattr(scope["app"].state, "services", None)
            if services is not None:
                services.metrics.observe_request(scope["method"], route, status, seconds)
            state = scope.get("state", {})
            access_log.info(
                "%s %s %d %.1f ms",
                scope["method"],
                scope["path"],
                status,
                seconds * 1000,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    "key_id": state.get("key_id"),
                    "client": (scope.get("client") or ("-",))[0],
                },
            )

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER
                ]
                headers.append((REQUEST_ID_HEADER, request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                finish()
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if not finished:  # no complete answer: an exception (500) or a dropped client
                finish()
            current_request_id.reset(token)
