"""``web.streaming``: keep-alive comments in silences, and a stream the client left is closed.

The same over real HTTP with a slow model: ``test_limits_http.py``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

from web.streaming import KEEPALIVE, with_keepalive


def slow_frames(pauses: list[float], closed: threading.Event) -> Iterator[str]:
    """One frame after each pause (blocking, like a model call); ``closed`` set when closed."""
    try:
        for i, pause in enumerate(pauses):
            time.sleep(pause)
            yield f"data: {i}\n\n"
    finally:
        closed.set()


def test_keepalives_fill_the_silences_and_nothing_is_lost() -> None:
    closed = threading.Event()

    async def collect() -> list[str]:
        return [f async for f in with_keepalive(slow_frames([0.0, 0.55, 0.0], closed), 0.1)]

    out = asyncio.run(collect())
    frames = [f for f in out if f != KEEPALIVE]
    assert frames == ["data: 0\n\n", "data: 1\n\n", "data: 2\n\n"]
    waited = out[out.index("data: 0\n\n") + 1 : out.index("data: 1\n\n")]
    assert 3 <= len(waited) <= 6 and set(waited) == {KEEPALIVE}
    assert closed.is_set()


def test_a_stream_the_client_left_is_closed_after_its_running_read() -> None:
    closed = threading.Event()
    frames = slow_frames([0.0, 0.4, 0.0], closed)

    async def leave_early() -> None:
        stream = with_keepalive(frames, 0.05)
        assert await anext(stream) == "data: 0\n\n"
        assert await anext(stream) == KEEPALIVE  # the second frame is still being made
        await stream.aclose()  # the client went away
        assert not closed.is_set()  # a generator that is running cannot be closed yet ...
        await asyncio.sleep(0.6)

    asyncio.run(leave_early())
    assert closed.is_set()  # ... so it is closed as soon as its read is done
