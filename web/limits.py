"""Request limits: body and upload size (413), rate limits (429) and a response timeout (504).

All three are plain ASGI middlewares, installed by :func:`install_limits` from ``create_app``:

* **Size**: a JSON/form body may be at most ``DIGI_MAX_BODY_KB``; a ``multipart/form-data`` upload
  at most ``DIGI_MAX_UPLOAD_MB`` (plus a little for the multipart framing). A declared
  ``Content-Length`` over the limit is refused before reading; a chunked body is counted while it
  is read and refused as soon as it passes the limit.
* **Rate**: in-process token buckets per caller and cost class. The caller is the API key or
  single sign-on user, or without auth the client address (``X-Forwarded-For`` counts only from
  a proxy in ``DIGI_TRUSTED_PROXIES``, see :mod:`web.proxies`). The classes (:func:`cost_class`):
  ``read`` (index, figures, charts, lists and small writes: what the dashboard asks for),
  ``assistant`` (chat, ``/v1``, search, classification, drafts: model calls and embeddings) and
  ``upload`` (``multipart/form-data``: ingesting takes minutes of CPU), each with its own
  ``DIGI_RATE_LIMIT_<CLASS>_PER_MINUTE`` and ``_BURST``; 429 with ``Retry-After`` when a
  bucket is empty, so switching years on the dashboard never uses up the chat's bucket. The
  buckets live in one process: with N API processes behind a load balancer a caller gets up to
  N times the rate (docs/deployment.md says how to size for that). A class at ``0`` is not
  limited; ``DIGI_RATE_LIMIT_PER_MINUTE=0`` (the older setting) turns all off. Open paths
  (``/healthz``, the UI) are not limited.
* **Timeout**: a request that has not started its answer after ``DIGI_REQUEST_TIMEOUT`` seconds
  gets 504. A started answer (a chat stream) is not cut, and uploads are exempt (ingesting a
  large document takes minutes on a CPU; it completes or fails as a whole). The language model
  has its own limits (``DIGI_LLM_TIMEOUT`` per call, ``DIGI_LLM_MAX_ROUNDS`` rounds,
  ``DIGI_LLM_MAX_TOKENS`` tokens).

Question length (``DIGI_MAX_QUESTION_CHARS``, 422) is checked by the assistant itself, and upload
types (415) by ingestion, so the CLI gets the same rules.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.auth import AuthMiddleware, client_address, required_role, send_error
from web.guard import GuardMiddleware
from web.proxies import TrustedProxyMiddleware
from web.settings import Settings

log = logging.getLogger("digirapport.web")

#: Room for the multipart boundary and part headers on top of the file itself.
MULTIPART_OVERHEAD = 64 * 1024


def _fmt_mb(n_bytes: float) -> str:
    """Bytes as megabytes, Swedish style (``25,0 MB``)."""
    return f"{n_bytes / 1024 / 1024:.1f}".replace(".", ",") + " MB"


class BodySizeLimitMiddleware:
    """Refuse bodies over the limit with 413 (uploads get the upload limit)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int) -> None:
        """Wrap ``app`` with the two limits (bytes)."""
        self.app = app
        self.max_body = max_body_bytes
        self.max_upload = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared length, then count what is actually received."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        ctype = headers.get(b"content-type", b"").decode("latin-1").lower()
        upload = ctype.startswith("multipart/")
        limit = self.max_upload + MULTIPART_OVERHEAD if upload else self.max_body
        what = "Filen" if upload else "Förfrågan"
        shown = self.max_upload if upload else self.max_body
        message = f"{what} är för stor: högst {_fmt_mb(shown)}."
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                await send_error(send, 400, "invalid_request", "Ogiltig Content-Length.")
                return
            if too_big:
                await send_error(send, 413, "payload_too_large", message)
                return

        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            msg = await receive()
            if msg["type"] == "http.request":
                received += len(msg.get("body", b""))
                if received > limit:
                    # FastAPI re-raises HTTPException from body reading; the handler makes it JSON.
                    raise HTTPException(413, detail=message)
            return msg

        await self.app(scope, counting_receive, send)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """Token buckets by identity (thread-safe; bounded number of identities)."""

    def __init__(self, per_minute: float, burst: int, max_identities: int = 10_000) -> None:
        """``per_minute`` tokens refill each minute up to ``burst``."""
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_identities = max_identities
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, identity: str, now: float | None = None) -> float:
        """Take one token; returns 0 when allowed, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.pop(identity, None) or _Bucket(self.burst, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            self._buckets[identity] = bucket
            while len(self._buckets) > self.max_identities:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate


class CostClass(StrEnum):
    """What a request costs the server; each class has its own rate limit."""

    READ = "read"
    ASSISTANT = "assistant"
    UPLOAD = "upload"


#: Paths (and everything under them) answered by the assistant: model calls, embeddings.
ASSISTANT_PATHS = (
    "/api/chat",
    "/api/search",
    "/api/initiatives/classify",
    "/api/initiatives/classify-batch",
    "/api/drafts",
    "/v1/chat/completions",
)
#: Cheap reads under an assistant path.
CHEAP_UNDER_ASSISTANT = frozenset({"/api/drafts/chapters"})

#: What a caller who hit a class's limit is told (before "försök igen om N s").
TOO_MANY: dict[CostClass, str] = {
    CostClass.READ: "För många förfrågningar",
    CostClass.ASSISTANT: "För många frågor till assistenten",
    CostClass.UPLOAD: "För många uppladdningar",
}


def cost_class(path: str, *, upload: bool = False) -> CostClass:
    """The cost class of a request to ``path`` (``upload``: a multipart body)."""
    if upload:
        return CostClass.UPLOAD
    if path not in CHEAP_UNDER_ASSISTANT and any(
        path == p or path.startswith(p + "/") for p in ASSISTANT_PATHS
    ):
        return CostClass.ASSISTANT
    return CostClass.READ


class RateLimitMiddleware:
    """429 + Retry-After when a caller sends too fast for the request's cost class."""

    def __init__(self, app: ASGIApp, *, limits: Mapping[str, tuple[float, int]]) -> None:
        """Wrap ``app`` with ``limits``: class -> (per minute, burst); a missing class is free.

        Must run inside :class:`AuthMiddleware` (it reads the caller's key id).
        """
        self.app = app
        self.buckets = {
            CostClass(name): TokenBuckets(per_minute, burst)
            for name, (per_minute, burst) in limits.items()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Take a token from the caller's bucket for this class, or answer 429."""
        if scope["type"] != "http" or not self.buckets:
            await self.app(scope, receive, send)
            return
        state = scope.get("state", {})
        needed = state.get("required_role", required_role(scope["method"], scope["path"]))
        if needed is None:
            await self.app(scope, receive, send)
            return
        cls = cost_class(scope["path"], upload=_is_upload(scope))
        buckets = self.buckets.get(cls)
        if buckets is None:
            await self.app(scope, receive, send)
            return
        key_id = state.get("key_id")
        identity = f"key:{key_id}" if key_id else f"ip:{client_address(scope)}"
        wait = buckets.take(identity)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            await send_error(
                send,
                429,
                "rate_limited",
                f"{TOO_MANY[cls]}: försök igen om {seconds} s.",
                {"Retry-After": str(seconds)},
            )
            return
        await self.app(scope, receive, send)


class TimeoutMiddleware:
    """504 when the answer has not started within ``timeout`` seconds."""

    def __init__(self, app: ASGIApp, *, timeout: float) -> None:
        """Wrap ``app``."""
        self.app = app
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request; give up waiting for its first byte after the timeout."""
        if scope["type"] != "http" or _is_upload(scope):
            await self.app(scope, receive, send)
            return
        started = asyncio.Event()
        abandoned = False

        async def guarded_send(message: Message) -> None:
            if abandoned:
                return  # the client already got its 504
            if message["type"] == "http.response.start":
                started.set()
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        waiter = asyncio.ensure_future(started.wait())
        try:
            await asyncio.wait({task, waiter}, timeout=self.timeout, return_when="FIRST_COMPLETED")
        finally:
            waiter.cancel()
        if task.done() or started.is_set():
            await task
            return
        abandoned = True
        task.cancel()
        # Work in a thread cannot be interrupted: let it finish in the background, quietly.
        task.add_done_callback(_retrieve)
        await send_error(
            send,
            504,
            "timeout",
            f"Svaret tog för lång tid (över {self.timeout:g} s). Försök igen eller förenkla "
            "frågan.",
        )


def _is_upload(scope: Scope) -> bool:
    """A multipart upload: ingesting a large document legitimately takes minutes."""
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.lower().startswith(b"multipart/")
    return False


def _retrieve(task: asyncio.Future[None]) -> None:
    """Consume the outcome of an abandoned request so nothing is logged as unretrieved."""
    with contextlib.suppress(BaseException):
        task.result()


def install_limits(app: FastAPI, settings: Settings) -> None:
    """Install the middlewares, outermost first: proxy, guard, size, auth, rate, timeout."""
    # Starlette runs the middleware added last outermost.
    app.add_middleware(TimeoutMiddleware, timeout=settings.request_timeout)
    app.add_middleware(RateLimitMiddleware, limits=settings.rate_limits)
    app.add_middleware(AuthMiddleware)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_body_bytes=int(settings.max_body_kb * 1024),
        max_upload_bytes=int(settings.max_upload_mb * 1024 * 1024),
    )
    app.add_middleware(GuardMiddleware)  # foreign hosts, cross-site writes, headers
    # outermost: everything inside sees the client behind a trusted proxy
    app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_proxy_networks)
    if settings.rate_limit_per_minute:
        log.warning(
            "DIGI_RATE_LIMIT_PER_MINUTE=%g används inte längre (bara 0 = av); sätt "
            "DIGI_RATE_LIMIT_READ_PER_MINUTE, DIGI_RATE_LIMIT_ASSISTANT_PER_MINUTE och "
            "DIGI_RATE_LIMIT_UPLOAD_PER_MINUTE.",
            settings.rate_limit_per_minute,
        )
