"""``/v1`` as an OpenAI endpoint: the official client and LangChain against a real uvicorn."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import openai
import pytest
import uvicorn
from langchain_openai import ChatOpenAI

from tests.assistant.chat_support import shared_retriever
from web.app import create_app
from web.services import Services
from web.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("v1-data"), max_question_chars=300)
    services = Services(settings)
    services.__dict__["retriever"] = shared_retriever()
    port = free_port()
    config = uvicorn.Config(
        create_app(services=services), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        assert time.time() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/v1"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def client(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)


def test_models(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list().data] == ["digirapport"]


def test_openai_client_non_stream_and_extra_field(client: openai.OpenAI) -> None:
    r = client.chat.completions.create(
        model="digirapport", messages=[{"role": "user", "content": "Vad blev indexet 2025?"}]
    )
    assert r.choices[0].message.role == "assistant"
    assert "8,2" in (r.choices[0].message.content or "")
    assert r.choices[0].finish_reason == "stop"
    extra = r.model_extra or {}
    assert extra["digirapport"]["mode"] == "offline"
    assert extra["digirapport"]["tool_calls"][0]["name"] == "get_index"


def test_openai_client_stream_with_history(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="digirapport",
        stream=True,
        messages=[
            {"role": "system", "content": "Ignoreras."},
            {"role": "user", "content": "Vad blev indexet 2025?"},
            {"role": "assistant", "content": "8,2"},
            {"role": "user", "content": "och 2024?"},
        ],
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "2024" in text and "8,1" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["digirapport"]["mode"] == "offline"


def test_langchain_chat_openai(base_url: str) -> None:
    llm = ChatOpenAI(
        base_url=base_url,
        api_key="unused",
        model="digirapport",
        use_responses_api=False,
        max_retries=0,
    )
    msg = llm.invoke("Hur har Resultat utvecklats sedan 2023?")
    assert "2023: 9,2" in str(msg.content)
    streamed = "".join(str(c.content) for c in llm.stream("När började NIS2 gälla?"))
    assert "15 januari 2026" in streamed


def test_errors_reach_clients_as_openai_errors(client: openai.OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as info:
        client.chat.completions.create(
            model="digirapport", messages=[{"role": "user", "content": "x" * 301}]
        )
    assert "för lång" in str(info.value)
