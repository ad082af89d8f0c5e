"""A local server a browser cannot be turned against (DNS rebinding, cross-site requests).

:class:`GuardMiddleware` runs outermost, before auth:

* **Allowed hosts.** A request for a server in local mode (no key needed) must name a loopback
  host (``localhost``, ``127.0.0.1``, ``[::1]``) or one of ``DIGI_ALLOWED_HOSTS``; any other
  ``Host`` is refused with 400. A web page on ``evil.example`` whose name is rebound to 127.0.0.1
  therefore reaches nothing. With keys required, any host is allowed unless
  ``DIGI_ALLOWED_HOSTS`` lists them.
* **No cross-site writes.** A state-changing request (POST, PUT, PATCH, DELETE) that a browser
  marks as coming from another site (``Sec-Fetch-Site: cross-site``, or an ``Origin`` whose host
  is not the request's host) is refused with 403. Programs (curl, the CLI, other servers) send
  neither header and are not affected.
* **Bounded requests**: headers over 32 KB are refused with 431; each read of a request body
  must arrive within ``DIGI_BODY_READ_TIMEOUT`` seconds (uploads included), else the request is
  dropped as if the client had gone.
* **Security headers** on every response: a Content-Security-Policy without inline script
  (the browser UI needs none), ``X-Frame-Options: DENY``, ``Referrer-Policy: no-referrer`` and
  ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.auth import auth_enabled_for, send_error
from web.settings import Settings

log = logging.getLogger("digirapport.web")
#: Request headers, all together (an 8 MB Authorization header is refused, not parsed further).
MAX_HEADER_BYTES = 32 * 1024
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: The API docs (/docs, /redoc) load FastAPI's bundled page with an inline script.
_DOCS_PATHS = ("/docs", "/redoc")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
)


def host_name(value: str) -> str:
    """The host of a ``Host`` header or an origin's netloc, without port, lower case."""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def allowed_host(settings: Settings, host: str, local: bool) -> bool:
    """Whether a request may name ``host`` (see the module docstring)."""
    name = host_name(host)
    listed = {host_name(h) for h in settings.allowed_host_names}
    if "*" in listed:
        return True
    if local:
        return name in LOOPBACK_HOSTS or name in listed
    return not listed or name in listed or name in LOOPBACK_HOSTS


def cross_site(headers: Mapping[str, str]) -> bool:
    """Whether a browser says the request comes from another site."""
    if headers.get("sec-fetch-site", "").lower() == "cross-site":
        return True
    origin = headers.get("origin")
    if not origin or origin == "null":
        return origin == "null"
    netloc = urlsplit(origin).netloc
    return netloc.lower() != headers.get("host", "").strip().lower()


class GuardMiddleware:
    """Refuse foreign hosts and cross-site writes; add the security headers."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap ``app`` (its ``state.services`` gives the settings)."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request, then pass it on with the headers added to the response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header_bytes = sum(len(k) + len(v) for k, v in scope["headers"])
        if header_bytes > MAX_HEADER_BYTES:
            await send_error(
                send,
                431,
                "headers_too_large",
                f"Begärans huvuden är för stora ({header_bytes} byte, högst {MAX_HEADER_BYTES}).",
            )
            return
        if "\x00" in scope["path"]:  # a NUL reaches the file system as an error
            await send_error(send, 400, "bad_request", "Adressen innehåller ett NUL-tecken.")
            return
        settings: Settings = scope["app"].state.services.settings
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        local = not auth_enabled_for(settings, scope)
        if not allowed_host(settings, headers.get("host", ""), local):
            await send_error(
                send,
                400,
                "host_not_allowed",
                "Okänd värd i Host-huvudet. Lokalt läge svarar bara på localhost och 127.0.0.1; "
                "lägg till andra namn i DIGI_ALLOWED_HOSTS.",
            )
            return
        if scope["method"] in UNSAFE_METHODS and cross_site(headers):
            await send_error(
                send,
                403,
                "cross_site",
                "Begäran kommer från en annan webbplats och avvisas.",
            )
            return
        docs = scope["path"].startswith(_DOCS_PATHS)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _v in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                if not docs and b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", CSP.encode()))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        body_done = False

        async def receive_in_time(read: Receive = receive) -> Message:
            # A body that trickles (one byte a minute) must not hold a worker forever. Once the
            # body is complete, receive() only waits for a disconnect (a streamed answer may
            # take minutes) and is passed through untimed.
            nonlocal body_done
            if body_done:
                return await read()
            try:
                message = await asyncio.wait_for(read(), timeout=settings.body_read_timeout)
            except TimeoutError:
                log.warning("Avbröt en begäran vars kropp inte kom fram (%s)", scope["path"])
                return {"type": "http.disconnect"}
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        await self.app(scope, receive_in_time, with_headers)
