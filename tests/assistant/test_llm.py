"""The model seam against a real local HTTP server speaking the chat-completions protocol."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.errors import ModelError
from assistant.llm import PLACEHOLDER_API_KEY, OpenAIChatModel, build_openai_client
from tests.assistant.fake_openai import FakeOpenAIServer, model_client


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAIServer]:
    srv = FakeOpenAIServer().start()
    yield srv
    srv.stop()


def model_for(server: FakeOpenAIServer, timeout: float = 5.0) -> OpenAIChatModel:
    client = model_client(server.base_url, timeout)
    return OpenAIChatModel(client, model="fake-model", max_tokens=200)


def test_client_builder_placeholder_key_and_offline_guard() -> None:
    client = build_openai_client("http://localhost:11434/v1", None, 3.0)
    assert client.api_key == PLACEHOLDER_API_KEY
    assert str(client.base_url).startswith("http://localhost:11434/v1")
    azure = build_openai_client("https://res.openai.azure.com/openai/v1/", "k", 3.0)
    assert azure.api_key == "k"
    with pytest.raises(ModelError):
        build_openai_client(None, None, 3.0)


def test_complete_text_and_tool_calls(server: FakeOpenAIServer) -> None:
    server.script(
        {
            "tool_calls": [
                {"name": "get_index", "arguments": {"year": 2025}},
                {"name": "portfolio", "arguments": {}},
            ]
        },
        {"content": "Svar."},
    )
    model = model_for(server)
    reply = model.complete([{"role": "user", "content": "x"}], tools=[])
    assert [t.name for t in reply.tool_calls] == ["get_index", "portfolio"]
    assert reply.tool_calls[0].parsed_arguments() == {"year": 2025}
    reply = model.complete([{"role": "user", "content": "x"}])
    assert reply.content == "Svar." and reply.tool_calls == []
    assert server.requests[0]["model"] == "fake-model"
    assert server.headers[0].get("authorization") == f"Bearer {PLACEHOLDER_API_KEY}"


def test_stream_text_then_reply_and_streamed_tool_calls(server: FakeOpenAIServer) -> None:
    server.script(
        {"content": "Indexet blev 8,2 år 2025."},
        {
            "tool_calls": [
                {"name": "compare_years", "arguments": {"figure": "resultat", "from_year": 2023}}
            ]
        },
    )
    model = model_for(server)
    deltas = list(model.stream([{"role": "user", "content": "x"}]))
    assert "".join(d.text for d in deltas) == "Indexet blev 8,2 år 2025."
    assert len([d for d in deltas if d.text]) > 1
    assert deltas[-1].reply is not None and deltas[-1].reply.content == "Indexet blev 8,2 år 2025."
    deltas = list(model.stream([{"role": "user", "content": "x"}], tools=[{"type": "function"}]))
    call = deltas[-1].reply.tool_calls[0]  # type: ignore[union-attr]
    assert call.name == "compare_years"
    assert call.parsed_arguments() == {"figure": "resultat", "from_year": 2023}
    assert server.requests[1]["stream"] is True


@pytest.mark.parametrize(
    ("step", "reason"),
    [({"status": 429}, "rate_limit"), ({"status": 500}, "http_error"), ({"status": 401}, "auth")],
)
def test_http_errors_become_model_errors(server: FakeOpenAIServer, step: dict, reason: str) -> None:
    server.script(step, step)
    model = model_for(server)
    with pytest.raises(ModelError) as info:
        model.complete([{"role": "user", "content": "x"}])
    assert info.value.data["reason"] == reason
    with pytest.raises(ModelError):
        list(model.stream([{"role": "user", "content": "x"}]))


def test_timeout_becomes_model_error(server: FakeOpenAIServer) -> None:
    server.script({"delay": 1.5, "content": "för sent"})
    model = model_for(server, timeout=0.3)
    with pytest.raises(ModelError) as info:
        model.complete([{"role": "user", "content": "x"}])
    assert info.value.data["reason"] == "timeout"
    assert "tidsgränsen" in info.value.message


def _refuses(param: str, other: str) -> object:
    """A step that answers 400 the way OpenAI does when ``param`` is sent, else an answer."""

    def step(body: dict[str, object]) -> dict[str, object]:
        if param in body:
            return {
                "status": 400,
                "message": f"Unsupported parameter: '{param}' is not supported with this "
                f"model. Use '{other}' instead.",
                "param": param,
            }
        return {"content": "Svar."}

    return step


def test_max_tokens_refused_retries_with_max_completion_tokens_and_remembers(
    server: FakeOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    refuse = _refuses("max_tokens", "max_completion_tokens")
    server.script(refuse, refuse, refuse)
    model = model_for(server)
    with caplog.at_level("WARNING", logger="digirapport.assistant.llm"):
        reply = model.complete([{"role": "user", "content": "x"}])
    assert reply.content == "Svar."
    first, retry = server.requests[:2]
    assert first["max_tokens"] == 200 and "max_completion_tokens" not in first
    assert retry["max_completion_tokens"] == 200 and "max_tokens" not in retry
    assert "tar inte emot max_tokens" in caplog.text
    # remembered: the next (streamed) call sends the accepted name straight away
    deltas = list(model.stream([{"role": "user", "content": "y"}]))
    assert deltas[-1].reply is not None and deltas[-1].reply.content == "Svar."
    assert len(server.requests) == 3 and "max_completion_tokens" in server.requests[2]
    assert model.token_param == "max_completion_tokens"


def test_temperature_is_configurable_and_dropped_when_refused(server: FakeOpenAIServer) -> None:
    client = model_client(server.base_url, 5.0)
    model = OpenAIChatModel(client, model="fake-model", temperature=0.4)
    refuse = _refuses("temperature", "the default (1)")
    server.script(refuse, refuse)
    assert model.complete([{"role": "user", "content": "x"}]).content == "Svar."
    assert server.requests[0]["temperature"] == 0.4
    assert "temperature" not in server.requests[1]


def test_other_bad_requests_are_not_retried(server: FakeOpenAIServer) -> None:
    server.script({"status": 400, "message": "Invalid messages"}, {"content": "nej"})
    with pytest.raises(ModelError) as info:
        model_for(server).complete([{"role": "user", "content": "x"}])
    assert info.value.data["status"] == 400 and len(server.requests) == 1
