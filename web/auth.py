"""Roles, API keys and the audit export: access control in one place.

Every request passes :class:`AuthMiddleware`, which maps (method, path) to the role it needs
(:func:`required_role`) and identifies the caller: by an API key (``Authorization: Bearer <key>``
or ``X-API-Key``, looked up by its hash) or by a single sign-on session cookie (``web.routes.sso``;
a write made with the cookie must carry the session's CSRF token). It answers 401 (no or unknown
key or session), 403 (a role that may not, or a missing CSRF token) or lets the request through
with ``request.state.caller`` (an :class:`assistant.access.Caller`: owner id, role, clearance),
``key_id`` and ``role`` set, and :data:`assistant.access.current_caller` set for the assistant
(whose conversations, which document levels). The routes know nothing about keys or cookies.

Roles, each including the ones before it:

* ``reader``: chat, search, index, figures, charts, classification, drafts, ``/v1``, ``/mcp``,
  and their own conversations and data (``DELETE`` of those too).
* ``editor``: adds documents (upload/delete), accepted classifications, data loading, verified
  answers (``POST``/``DELETE /api/verified``) and reading everyone's feedback (``GET
  /api/feedback``, with the conversation it was given on). Readers list verified answers and give
  feedback on their own answers (``POST /api/feedback``).
* ``admin``: adds ``/api/admin/*`` (keys, audit export, retention purge) and ``/metrics``.

Open without a key: ``/healthz``, the browser UI (``/`` and ``/static/...``), the login routes
(``/auth/...``), ``/docs``, ``/redoc`` and ``/openapi.json``. Auth is off only when
``DIGI_AUTH=off``, or ``auto`` (the default) with the server bound to 127.0.0.1/localhost and the
request arriving on the loopback interface without a proxy header (see :func:`auth_enabled_for`);
then the caller is the one local user (:data:`assistant.access.LOCAL`).
"""

from __future__ import annotations

import csv
import hmac
import io
import ipaddress
import json
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

import anyio
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.access import LOCAL, Caller, current_caller
from assistant.storage import ROLES, Storage, current_key_id
from ingest.models import DEFAULT_LEVEL, SecurityLevel
from web.errors import error_body
from web.export import csv_cell
from web.settings import Settings

log = logging.getLogger("digirapport.web.auth")

#: Rank of each role; a role may do everything a lower rank may.
ROLE_RANK: dict[str, int] = {role: rank for rank, role in enumerate(ROLES)}

#: Paths (exact) that never need a key.
OPEN_PATHS = frozenset(
    {"/", "/healthz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/favicon.ico"}
)
#: The API description: open in local mode; with keys on it needs one unless DIGI_DOCS_PUBLIC.
DOCS_PATHS = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})
#: POST routes under /api that only read (everything else that writes needs ``editor``).
READER_POSTS = (
    "/api/chat",
    "/api/feedback",  # feedback on one's own answers
    "/api/initiatives/classify",
    "/api/initiatives/classify-batch",
    "/api/drafts",
    "/api/search",
)
#: GET routes under /api that need ``editor``: the feedback of everyone (with the conversations).
EDITOR_GETS = ("/api/feedback",)
#: DELETE routes under /api that remove only the caller's own data.
READER_DELETES = ("/api/conversations", "/api/me/data")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def required_role(method: str, path: str) -> str | None:
    """The role a request needs, or None when it is open.

    Args:
        method: The HTTP method (any case).
        path: The request path, e.g. ``/api/documents/rapport.pdf``.

    Returns:
        ``"reader"``, ``"editor"``, ``"admin"`` or None (open).
    """
    method = method.upper()
    if path in OPEN_PATHS or path.startswith(("/static/", "/auth/")):
        return None  # /auth/* (single sign-on) checks its own state, cookies and CSRF
    if path == "/api/admin" or path.startswith("/api/admin/") or path == "/metrics":
        return "admin"
    if path == "/v1" or path.startswith("/v1/") or path == "/mcp":
        return "reader"  # /mcp: the MCP server's tools and resources only read
    if path == "/api" or path.startswith("/api/"):
        if method in SAFE_METHODS:
            editor_only = any(path == p or path.startswith(p + "/") for p in EDITOR_GETS)
            return "editor" if editor_only else "reader"
        if any(path == p or path.startswith(p + "/") for p in READER_POSTS) and method == "POST":
            return "reader"
        if method == "DELETE" and any(
            path == p or path.startswith(p + "/") for p in READER_DELETES
        ):
            return "reader"
        # Uploads, deletions, accepted classifications, data loading and anything new that writes.
        return "editor"
    # Outside /api and /v1 only the browser UI lives: its pages and assets are open for reading.
    return None if method in SAFE_METHODS else "editor"


def role_allows(role: str, needed: str) -> bool:
    """True when ``role`` includes the rights of ``needed``."""
    return ROLE_RANK.get(role, -1) >= ROLE_RANK[needed]


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The API key a client sent (``Authorization: Bearer`` or ``X-API-Key``), or None."""
    auth = headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    key = headers.get("x-api-key", "").strip()
    return key or None


def key_secret(settings: Settings) -> bytes | None:
    """The HMAC pepper for stored key hashes (``DIGI_KEY_SECRET``), or None (plain SHA-256)."""
    return settings.key_secret.get_secret_value().encode() if settings.key_secret else None


def _is_loopback_socket(scope: Scope) -> bool:
    """False when the request came in on a real non-loopback interface (an IP that is not 127.x)."""
    server = scope.get("server")
    if not server:
        return True
    try:
        return ipaddress.ip_address(server[0]).is_loopback
    except ValueError:  # a unix socket or the test client's "testserver": not a network interface
        return True


#: Headers a reverse proxy adds: a request carrying one did not come straight from this host.
PROXY_HEADERS = (b"x-forwarded-for", b"forwarded", b"x-real-ip", b"x-forwarded-host")


def _via_proxy(scope: Scope) -> bool:
    return any(name.lower() in PROXY_HEADERS for name, _v in scope.get("headers", ()))


def auth_enabled_for(settings: Settings, scope: Scope) -> bool:
    """Whether this request needs a key.

    ``auto`` means no key only for a request that arrives on the loopback interface of a
    server bound to loopback and carries no proxy header (unless ``local_behind_proxy``): a
    proxy on the same host forwarding the world's requests does not make them local.
    """
    if settings.auth != "auto":
        return settings.auth == "on"
    if settings.auth_enabled or not _is_loopback_socket(scope):
        return True
    return _via_proxy(scope) and not settings.local_behind_proxy


def bootstrap_admin_key(settings: Settings, storage: Storage) -> str | None:
    """Store ``DIGI_ADMIN_KEY`` hashed (once) so the first admin can log in; returns its id."""
    if settings.admin_key is None:
        return None
    key = settings.admin_key.get_secret_value()
    record = storage.ensure_api_key(
        key, name="admin (DIGI_ADMIN_KEY)", role="admin", secret=key_secret(settings)
    )
    if record.get("revoked"):
        log.warning("DIGI_ADMIN_KEY (%s) är återkallad och ger ingen åtkomst.", record["id"])
    return str(record["id"])


async def send_error(
    send: Send, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> None:
    """Answer a request directly from a middleware with the app's JSON error shape."""
    body = json.dumps(error_body(code, message), ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class FailedKeys:
    """Unknown keys per client: after :attr:`limit` within :attr:`window` seconds, a pause."""

    def __init__(self, limit: int = 10, window: float = 60.0) -> None:
        """Allow ``limit`` wrong keys per client within ``window`` seconds."""
        self.limit = limit
        self.window = window
        self._seen: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> list[float]:
        times = [t for t in self._seen.get(client, []) if now - t < self.window]
        if times:
            self._seen[client] = times
        else:
            self._seen.pop(client, None)
        return times

    def record(self, client: str) -> None:
        """Count one wrong key from ``client``."""
        now = time.monotonic()
        with self._lock:
            self._seen[client] = [*self._recent(client, now), now]

    def wait(self, client: str) -> int:
        """Seconds ``client`` must wait before trying again (0: may try now)."""
        now = time.monotonic()
        with self._lock:
            times = self._recent(client, now)
            if len(times) < self.limit:
                return 0
            return max(1, int(self.window - (now - times[-self.limit])) + 1)


def client_address(scope: Scope) -> str:
    """The caller's address: the direct peer, or the client a trusted proxy forwarded for.

    ``web.proxies.TrustedProxyMiddleware`` has already put the forwarded address in the scope.
    """
    client = scope.get("client")
    return str(client[0]) if client else "okänd"


#: The cookie holding a single sign-on session's token (HttpOnly; see ``web.sso``).
SESSION_COOKIE = "digi_session"
#: The cookie the browser UI reads to send :data:`CSRF_HEADER` (not HttpOnly, by design).
CSRF_COOKIE = "digi_csrf"
#: The header a cookie-authenticated request that writes must carry: the session's CSRF token.
CSRF_HEADER = "x-csrf-token"


def clearance_for(settings: Settings, role: str) -> SecurityLevel:
    """The highest document level ``role`` may read (``DIGI_CLEARANCES``; default intern)."""
    return settings.role_clearances.get(role, DEFAULT_LEVEL)


def key_caller(settings: Settings, record: Mapping[str, Any]) -> Caller:
    """The caller behind an API key record."""
    role = str(record["role"])
    return Caller(
        owner=f"key:{record['id']}",
        role=role,
        clearance=clearance_for(settings, role),
        via="key",
        name=str(record.get("name") or record["id"]),
    )


def session_caller(session: Mapping[str, Any]) -> Caller:
    """The caller behind a single sign-on session record."""
    return Caller(
        owner=str(session["owner"]),
        role=str(session["role"]),
        clearance=SecurityLevel(int(session["clearance"])),
        via="sso",
        name=str(session.get("name") or session.get("email") or session["owner"]),
    )


def request_cookies(scope: Scope) -> dict[str, str]:
    """The request's cookies."""
    for name, value in scope.get("headers", ()):
        if name.lower() == b"cookie":
            return cookie_parser(value.decode("latin-1"))
    return {}


class _Refusal(Exception):
    """A request that is answered by the middleware (401, 403, 429)."""

    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class AuthMiddleware:
    """Identify the caller of every request (API key or SSO session), check its role.

    Sets ``request.state.caller`` (a :class:`assistant.access.Caller`), ``key_id`` and ``role``
    and the context variables the assistant reads (:data:`assistant.access.current_caller`:
    owner and clearance). What editors and admins do is audited.
    """

    def __init__(self, app: ASGIApp) -> None:
        """Wrap ``app`` (its ``state.services`` gives the settings and the database)."""
        self.app = app
        self.failures = FailedKeys()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Let the request through, or answer 401/403/429."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        services = scope["app"].state.services
        settings: Settings = services.settings
        state = scope.setdefault("state", {})
        state["key_id"] = None
        state["role"] = None
        state["caller"] = LOCAL
        needed = required_role(scope["method"], scope["path"])
        if needed is None and scope["path"] in DOCS_PATHS and not settings.docs_public:
            needed = "reader"  # the API description is for callers with a key (when keys are on)
        state["required_role"] = needed
        if not auth_enabled_for(settings, scope):
            await self.app(scope, receive, send)
            return
        state["caller"] = None  # auth is on: nobody is the local user
        if needed is None:
            await self.app(scope, receive, send)
            return
        try:
            caller = await self._identify(scope, services, settings)
        except _Refusal as refusal:
            await send_error(send, refusal.status, refusal.code, refusal.message, refusal.headers)
            return
        storage: Storage = services.storage
        state["caller"] = caller
        state["key_id"] = (caller.owner or "").removeprefix("key:")  # sso:<sub> for SSO users
        state["role"] = caller.role
        if not role_allows(caller.role, needed):
            refused = {
                "method": scope["method"],
                "path": scope["path"],
                "status": 403,
                "role": caller.role,
                "needed": needed,
            }
            await anyio.to_thread.run_sync(
                lambda: _audit_quietly(storage, "auth_refused", refused, state["key_id"])
            )
            await send_error(
                send,
                403,
                "forbidden",
                f"Din roll är {caller.role!r}; det här kräver {needed!r}.",
            )
            return

        status: list[int] = []

        async def send_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        # the chat loop's audit records get the key id; retrieval and conversations the caller
        key_token = current_key_id.set(state["key_id"])
        caller_token = current_caller.set(caller)
        try:
            await self.app(scope, receive, send_status)
        finally:
            current_caller.reset(caller_token)
            current_key_id.reset(key_token)
            if needed != "reader":
                entry = {
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status[0] if status else None,
                    "role": caller.role,
                }
                await anyio.to_thread.run_sync(
                    lambda: _audit_quietly(storage, "request", entry, state["key_id"])
                )

    async def _identify(self, scope: Scope, services: Any, settings: Settings) -> Caller:
        """The caller of a request that needs one: by API key, else by SSO session cookie."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        storage: Storage = services.storage
        key = presented_key(headers)
        if key is None:
            token = request_cookies(scope).get(SESSION_COOKIE)
            session = await anyio.to_thread.run_sync(
                lambda: storage.sessions.find(token) if token else None
            )
            if session is None:
                how = "Logga in eller skicka" if settings.sso_enabled else "Skicka"
                raise _Refusal(
                    401,
                    "unauthorized",
                    f"Inloggning krävs. {how} en API-nyckel som 'Authorization: Bearer <nyckel>' "
                    "eller 'X-API-Key'.",
                    {"WWW-Authenticate": "Bearer"},
                )
            if scope["method"].upper() not in SAFE_METHODS and not hmac.compare_digest(
                headers.get(CSRF_HEADER, "").encode(), str(session["csrf"]).encode()
            ):
                raise _Refusal(
                    403,
                    "csrf_failed",
                    "Begäran saknar giltig CSRF-token (X-CSRF-Token); ladda om sidan.",
                )
            return session_caller(session)

        client = client_address(scope)
        wait = self.failures.wait(client)
        if wait:
            raise _Refusal(
                429,
                "too_many_failed_keys",
                f"För många felaktiga API-nycklar; försök igen om {wait} s.",
                {"Retry-After": str(wait)},
            )
        record = await anyio.to_thread.run_sync(
            lambda: storage.find_api_key(key, secret=key_secret(settings))
        )
        if record is None:
            self.failures.record(client)
            entry = {
                "method": scope["method"],
                "path": scope["path"],
                "status": 401,
                "reason": "okänd eller återkallad nyckel",
                "client": client,
            }
            await anyio.to_thread.run_sync(
                lambda: _audit_quietly(storage, "auth_failed", entry, "okänd")
            )
            raise _Refusal(
                401,
                "unauthorized",
                "Okänd eller återkallad API-nyckel.",
                {"WWW-Authenticate": "Bearer"},
            )
        return key_caller(settings, record)


def _audit_quietly(storage: Storage, event: str, data: dict[str, Any], key_id: str) -> None:
    """Append an audit record; a database hiccup is logged, never turned into a failed answer."""
    try:
        storage.audit(event, data, key_id=key_id)
    except Exception:  # noqa: BLE001 - the answer was already sent
        log.exception("Kunde inte skriva granskningsloggen för %s", data.get("path"))


# -- audit export -------------------------------------------------------------------------------

AUDIT_COLUMNS = (
    "id",
    "at",
    "event",
    "key_id",
    "mode",
    "question",
    "answer",
    "sources",
    "tool_calls",
    "data",
    "request_id",
)


def _cell(value: Any) -> str:
    """One CSV cell; text a spreadsheet would run as a formula is quoted with a leading '."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return str(csv_cell(text))


def audit_row(record: Mapping[str, Any]) -> list[str]:
    """One audit record as CSV cells (chat fields lifted out of ``data`` into their own columns)."""
    data = record.get("data") or {}
    if not isinstance(data, dict):
        data = {"value": data}
    at = record.get("at")
    return [
        str(record.get("id", "")),
        at.isoformat() if isinstance(at, datetime) else _cell(at),
        _cell(record.get("event")),
        _cell(record.get("key_id")),
        _cell(data.get("mode")),
        _cell(data.get("question", data.get("message"))),
        _cell(data.get("answer")),
        _cell(data.get("sources")),
        _cell(data.get("tool_calls", data.get("tools"))),
        _cell(data),
        _cell(record.get("request_id")),
    ]


def audit_csv_lines(records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The audit log as CSV text: the header, then one record (maybe multi-line) per item."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(AUDIT_COLUMNS)
    yield buffer.getvalue()
    for record in records:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(audit_row(record))
        yield buffer.getvalue()


def prepare_access(services: Any) -> None:
    """At start-up: store ``DIGI_ADMIN_KEY`` hashed and apply the audit retention.

    Args:
        services: The app's ``web.services.Services`` (typed loosely to avoid an import cycle).
    """
    settings: Settings = services.settings
    storage: Storage = services.storage
    key_id = bootstrap_admin_key(settings, storage)
    if key_id:
        log.info("Administratörsnyckel från DIGI_ADMIN_KEY: %s", key_id)
    purged = storage.purge_audit_older_than(settings.audit_retention_days)
    if purged:
        log.info(
            "Granskningsloggen gallrad: %d poster äldre än %d dagar",
            purged,
            settings.audit_retention_days,
        )
    dropped = storage.purge_conversations_older_than(settings.conversation_retention_days)
    if dropped:
        log.info(
            "Konversationer gallrade: %d utan aktivitet på %d dagar",
            dropped,
            settings.conversation_retention_days,
        )
    if settings.auth_enabled and not any(not k["revoked"] for k in storage.list_api_keys()):
        log.warning(
            "Autentisering är på men det finns ingen aktiv nyckel: sätt DIGI_ADMIN_KEY eller kör "
            "'digirapport keys create --role admin --name NAMN'."
        )
