"""Server-Sent Events responses that stay alive while a slow model thinks.

A proxy (nginx, a load balancer) closes a connection that has been silent for its read timeout,
often 60 s; a local model may think longer than that before its first token, and between tool
rounds. :func:`sse_response` sends an SSE comment (``: keep-alive``) whenever nothing has been
sent for ``DIGI_STREAM_KEEPALIVE_SECONDS`` (15 s); every SSE client (browsers, the ``openai``
SDK, the UI's parser) ignores comments.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import anyio
from fastapi.responses import StreamingResponse

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
#: The comment sent after a silence; ignored by SSE parsers.
KEEPALIVE = ": keep-alive\n\n"

_END = object()


def _next(iterator: Iterator[str]) -> object:
    return next(iterator, _END)


async def with_keepalive(frames: Iterator[str], interval: float) -> AsyncIterator[str]:
    """``frames`` (read in a worker thread, one at a time), with :data:`KEEPALIVE` in silences.

    The blocking iterator runs in the thread pool like Starlette's own iteration (with the
    request's context variables); a keep-alive never interrupts it, it only fills the wait.
    """
    pending: asyncio.Future[object] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anyio.to_thread.run_sync(_next, frames))
            done, _ = await asyncio.wait({pending}, timeout=interval)
            if not done:
                yield KEEPALIVE
                continue
            item, pending = pending.result(), None
            if item is _END:
                return
            yield str(item)
    finally:
        # The client went away: close the iterator once the thread is done with it (a running
        # generator cannot be closed), so the model's response is released.
        if pending is None or pending.done():
            _close(frames, pending)
        else:
            pending.add_done_callback(lambda done: _close(frames, done))


def _close(frames: Iterator[str], done: asyncio.Future[object] | None) -> None:
    """Close ``frames`` after the last read (whose outcome nobody will look at now)."""
    if done is not None and not done.cancelled():
        done.exception()  # retrieved, so asyncio does not log it as lost
    close = getattr(frames, "close", None)
    if close is not None:
        close()


def sse_response(frames: Iterator[str], keepalive: float) -> StreamingResponse:
    """A ``text/event-stream`` response of ``frames`` with keep-alive comments."""
    return StreamingResponse(
        with_keepalive(frames, keepalive), media_type="text/event-stream", headers=SSE_HEADERS
    )
