"""Rate limits, trusted proxies and stream keep-alive over real HTTP (uvicorn, httpx, openai).

* With the default limits a team behind one address switches dashboard years without a 429,
  while chat still runs out of tokens (429, Swedish message, ``Retry-After``).
* ``X-Forwarded-For`` decides the client only when the peer is in ``DIGI_TRUSTED_PROXIES``:
  two real ``digirapport serve`` processes, one trusting 127.0.0.1 and one not.
* A slow model (``tests/assistant/fake_openai.py``, a real server the real ``openai`` client
  talks to) keeps the stream alive with comments, and the full answer still arrives.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from tests.assistant.chat_support import shared_retriever
from tests.assistant.fake_openai import FakeOpenAIServer
from tests.postgres_util import REPO, api_servers
from tests.web.ui_helpers import serve
from web.app import create_app
from web.services import Services
from web.settings import Settings
from web.streaming import KEEPALIVE

pytestmark = pytest.mark.slow

#: The charts the dashboard shows for a year (web/static/app.js, CHARTS).
CHARTS = ("index_trend", "dimios", "portfolj_bubblor", "portfolj_medel", "extern_intern", "objekt")
#: What a manager's browser asks for when the dashboard opens.
OPENING = ("/api/me", "/api/index", "/api/index/2025", "/api/conversations")


@pytest.fixture()
def default_limits_url(tmp_path: Path) -> Iterator[str]:
    """The app with the default rate limits and auth off (one bucket per client address)."""
    settings = Settings(data_dir=tmp_path / "data", auth="off", rate_limit_per_minute=None)
    services = Services(settings)
    services.__dict__["retriever"] = shared_retriever()
    with serve(create_app(services=services)) as url:
        yield url


def test_team_switches_years_without_429_while_chat_is_limited(default_limits_url: str) -> None:
    url = default_limits_url
    with httpx.Client(base_url=url, timeout=120) as client:
        years = client.get("/api/index").json()["years"]
        # One manager flips through every year as fast as the browser loads them (the year's
        # figures, then its six charts in parallel), while 49 colleagues behind the same proxy
        # open the dashboard at the same moment.
        sweep = [[f"/api/index/{y}"] + [f"/api/charts/{c}?year={y}" for c in CHARTS] for y in years]
        team = [path for _ in range(49) for path in OPENING]
        assert sum(map(len, sweep)) > 20  # the old single bucket's burst: the sweep hit 429
        with ThreadPoolExecutor(max_workers=8) as pool:
            opened = pool.map(lambda p: client.get(p).status_code, team)
            switched = [list(pool.map(lambda p: client.get(p).status_code, y)) for y in sweep]
            opened_codes = list(opened)
        assert set(opened_codes) == {200}
        assert all(codes[0] == 200 for codes in switched)
        assert {c for codes in switched for c in codes} <= {200, 404}  # 2022 lacks some charts

        # Chat has its own, smaller bucket (30 at once, one a second after that).
        started, answered = time.monotonic(), 0
        while answered < 90:
            r = client.post("/api/chat", json={"message": "Vad blev indexet 2025?"})
            if r.status_code != 200:
                break
            answered += 1
        elapsed = time.monotonic() - started
        assert r.status_code == 429
        assert 30 <= answered <= 30 + elapsed + 1
        seconds = int(r.headers["retry-after"])
        assert 1 <= seconds <= 2
        assert r.json() == {
            "error": {
                "code": "rate_limited",
                "message": f"För många frågor till assistenten: försök igen om {seconds} s.",
                "request_id": r.headers["x-request-id"],
            }
        }
        # ... and the dashboard goes on.
        assert client.get(f"/api/index/{years[-1]}").status_code == 200


def test_forwarded_for_counts_only_from_a_trusted_proxy(tmp_path: Path) -> None:
    common = {
        "DIGI_AUTH": "off",  # no key: the rate limit counts per client address
        "DIGI_RATE_LIMIT_PER_MINUTE": "",  # unset the suite's "limits off"
        "DIGI_RATE_LIMIT_READ_PER_MINUTE": "1",
        "DIGI_RATE_LIMIT_READ_BURST": "2",
        "PYTHONPATH": str(REPO),  # the code under test, also in a git worktree
    }
    envs = [
        {
            **common,
            "DIGI_DATA_DIR": str(tmp_path / "trusted"),
            "DIGI_TRUSTED_PROXIES": "127.0.0.0/8",
        },
        {**common, "DIGI_DATA_DIR": str(tmp_path / "other"), "DIGI_TRUSTED_PROXIES": "10.0.0.0/8"},
    ]
    with api_servers(envs, tmp_path) as (behind_proxy, direct):

        def status(base: str, forwarded_for: str | None = None) -> int:
            headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
            return httpx.get(f"{base}/api/index", headers=headers, timeout=30).status_code

        # The peer (127.0.0.1) is a trusted proxy: each forwarded client has its own bucket.
        assert [status(behind_proxy, "203.0.113.1") for _ in range(3)] == [200, 200, 429]
        assert status(behind_proxy, "203.0.113.2") == 200
        # A client cannot get a fresh bucket by writing an address in front of its own ...
        assert status(behind_proxy, "198.51.100.66, 203.0.113.1") == 429
        # ... and a chain of trusted proxies is walked to the first address that is not one.
        assert status(behind_proxy, "203.0.113.3, 127.0.0.9") == 200
        assert status(behind_proxy) == 200  # the proxy's own requests: its own bucket

        # The same requests to a server that does not trust 127.0.0.1: one bucket for all of
        # them, whatever the header says (uvicorn's own proxy handling is off in `serve`).
        codes = [status(direct, f"203.0.113.{i}") for i in (1, 2, 3)]
        assert codes == [200, 200, 429]
        r = httpx.get(f"{direct}/api/index", headers={"X-Forwarded-For": "203.0.113.4"})
        assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 60
        assert r.json()["error"]["message"].startswith("För många förfrågningar: försök igen om")


ANSWER = "Digitaliseringsindex 2025 blev 8,2 på en tiogradig skala."
THINKING = 1.2  # seconds before the fake model's first byte
KEEPALIVE_EVERY = 0.2


def sse_blocks(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if block.strip()]


def test_slow_model_stream_gets_keepalives_and_the_full_answer(tmp_path: Path) -> None:
    model = FakeOpenAIServer().start()
    try:
        settings = Settings(
            data_dir=tmp_path / "data",
            auth="off",
            llm_base_url=model.base_url,
            llm_model="fake-model",
            llm_timeout=30,
            stream_keepalive_seconds=KEEPALIVE_EVERY,
        )
        slow = {"delay": THINKING, "content": ANSWER}
        with serve(create_app(settings)) as url:
            # The app's own stream (the browser UI).
            model.script(slow)
            body = {"message": "Vad blev indexet 2025?"}
            with httpx.stream("POST", f"{url}/api/chat/stream", json=body, timeout=60) as r:
                assert r.status_code == 200
                blocks = sse_blocks(r.read().decode())
            first_token = next(i for i, b in enumerate(blocks) if b.startswith("event: token"))
            waiting = blocks[:first_token]
            assert waiting[0].startswith("event: meta")
            assert waiting.count(KEEPALIVE.strip()) >= 3  # ~6 in 1.2 s of thinking
            events: list[tuple[str, Any]] = []
            for block in blocks:
                if block == KEEPALIVE.strip():
                    continue
                name, data = block.split("\n", 1)
                events.append(
                    (name.removeprefix("event: "), json.loads(data.removeprefix("data: ")))
                )
            text = "".join(d["text"] for name, d in events if name == "token")
            assert text == ANSWER
            assert events[-1][0] == "done" and events[-1][1]["answer"] == ANSWER
            assert events[-1][1]["mode"] == "llm"

            # The OpenAI-compatible stream: comments on the wire ...
            model.script(slow)
            messages = [{"role": "user", "content": body["message"]}]
            request = {"model": "digirapport", "stream": True, "messages": messages}
            with httpx.stream("POST", f"{url}/v1/chat/completions", json=request, timeout=60) as r:
                raw = sse_blocks(r.read().decode())
            assert raw.count(KEEPALIVE.strip()) >= 3 and raw[-1] == "data: [DONE]"
            # ... which the real openai client skips: it gets the whole answer.
            model.script(slow)
            client = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0)
            stream = client.chat.completions.create(
                model="digirapport", stream=True, messages=messages
            )
            chunks = list(stream)
            assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == ANSWER
            assert chunks[-1].choices[0].finish_reason == "stop"
    finally:
        model.stop()
