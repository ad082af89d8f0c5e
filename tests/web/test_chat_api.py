"""``/api/chat``, ``/api/chat/stream`` (SSE framing) and ``/api/conversations``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.assistant.chat_support import shared_retriever
from web.app import create_app
from web.services import Services
from web.settings import Settings


@pytest.fixture()
def client() -> Iterator[TestClient]:
    services = Services(Settings(max_question_chars=200))
    services.__dict__["retriever"] = shared_retriever()  # the real retriever, embedded once
    with TestClient(create_app(services=services)) as c:
        yield c


def parse_sse(text: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        lines = block.split("\n")
        assert lines[0].startswith("event: ") and lines[1].startswith("data: "), block
        events.append((lines[0][len("event: ") :], json.loads(lines[1][len("data: ") :])))
    return events


def test_chat_json_shape(client: TestClient) -> None:
    r = client.post("/api/chat", json={"message": "Vad blev indexet 2025?"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"conversation_id", "answer", "sources", "tool_calls", "mode", "warnings"}
    assert body["mode"] == "offline" and "8,2" in body["answer"]
    assert {"name", "arguments", "result"} <= set(body["tool_calls"][0])
    for s in body["sources"]:
        assert set(s) == {"source", "section", "title", "page", "text"}


def test_stream_framing_and_order(client: TestClient) -> None:
    with client.stream(
        "POST", "/api/chat/stream", json={"message": "När började NIS2 gälla?"}
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    events = parse_sse(text)
    names = [n for n, _ in events]
    assert names[0] == "meta" and names[-3:] == ["sources", "tool_calls", "done"]
    assert set(names[1:-3]) == {"token"} and len(names) > 5
    meta, done = events[0][1], events[-1][1]
    assert set(meta) == {"conversation_id", "mode"} and meta["mode"] == "offline"
    tokens = "".join(d["text"] for n, d in events if n == "token")
    assert tokens == done["answer"] and "15 januari 2026" in tokens
    assert events[-3][1]["sources"][0]["section"] == "8.3"
    assert done["conversation_id"] == meta["conversation_id"]


def test_conversations_and_follow_up(client: TestClient) -> None:
    first = client.post(
        "/api/chat", json={"message": "Hur många initiativ hade Social omsorg?"}
    ).json()
    cid = first["conversation_id"]
    follow = client.post(
        "/api/chat", json={"message": "vilket objekt hade flest?", "conversation_id": cid}
    ).json()
    assert "Ledning och styrning" in follow["answer"]
    listing = client.get("/api/conversations").json()["conversations"]
    assert listing[0]["id"] == cid and listing[0]["messages"] == 4
    assert listing[0]["title"] == "Hur många initiativ hade Social omsorg?"
    conv = client.get(f"/api/conversations/{cid}").json()
    assert conv["id"] == cid and [m["role"] for m in conv["messages"]] == [
        "user",
        "assistant",
        "user",
        "assistant",
    ]
    data = conv["messages"][1]["data"]
    assert {"sources", "tool_calls", "warnings", "mode"} <= set(data)


def test_errors_are_swedish_json(client: TestClient) -> None:
    r = client.post("/api/chat", json={"message": "x" * 201})
    assert r.status_code == 422
    assert "för lång" in r.json()["error"]["message"]
    r = client.post("/api/chat/stream", json={"message": "x" * 201})
    assert r.status_code == 422
    r = client.post("/api/chat", json={"message": "Hej", "conversation_id": "okand"})
    assert r.status_code == 404 and "finns inte" in r.json()["error"]["message"]
    assert client.get("/api/conversations/okand").status_code == 404
    r = client.post("/api/chat", json={})
    assert r.status_code == 422


def test_llm_mode_from_settings_uses_the_model_and_streams(tmp_path: Any) -> None:
    from tests.assistant.fake_openai import FakeOpenAIServer

    server = FakeOpenAIServer().start()
    try:
        settings = Settings(llm_base_url=server.base_url, llm_model="fake-model", llm_timeout=5)
        services = Services(settings)
        services.__dict__["retriever"] = shared_retriever()
        step = {"tool_calls": [{"name": "get_index", "arguments": {"year": 2025}}]}
        answer = {"content": "Digitaliseringsindex 2025 blev 8,2."}
        with TestClient(create_app(services=services)) as c:
            server.script(step, answer)
            body = c.post("/api/chat", json={"message": "Vad blev indexet 2025?"}).json()
            assert body["mode"] == "llm" and body["answer"] == answer["content"]
            assert body["warnings"] == [] and body["tool_calls"][0]["name"] == "get_index"
            assert server.requests[0]["model"] == "fake-model"
            server.script(step, answer)
            with c.stream("POST", "/api/chat/stream", json={"message": "Indexet 2025?"}) as r:
                events = parse_sse("".join(r.iter_text()))
            assert events[0] == (
                "meta",
                {"conversation_id": events[0][1]["conversation_id"], "mode": "llm"},
            )
            assert "".join(d["text"] for n, d in events if n == "token") == answer["content"]
            server.script({"status": 500}, {"status": 500})
            body = c.post("/api/chat", json={"message": "Vad blev indexet 2025?"}).json()
            assert body["mode"] == "offline" and "8,2" in body["answer"]
            assert "HTTP 500" in body["warnings"][0]
    finally:
        server.stop()
