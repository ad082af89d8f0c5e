"""The chat service: model loop against a real fake-model server, fallback, storage, streaming."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import ConversationNotFoundError, InvalidInputError
from assistant.llm import OpenAIChatModel
from assistant.storage import Storage
from tests.assistant.chat_support import make_assistant
from tests.assistant.fake_openai import FakeOpenAIServer, model_client


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAIServer]:
    srv = FakeOpenAIServer().start()
    yield srv
    srv.stop()


def llm_assistant(server: FakeOpenAIServer, timeout: float = 5.0, **kw: Any) -> Any:
    client = model_client(server.base_url, timeout)
    return make_assistant(chat_model=OpenAIChatModel(client, "fake-model", 300), **kw)


def tool_results(request: dict[str, Any]) -> dict[str, Any]:
    return {
        m["tool_call_id"]: json.loads(m["content"])["result"]
        for m in request["messages"]
        if m["role"] == "tool"
    }


def answer_from_tools(request: dict[str, Any]) -> dict[str, Any]:
    """The scripted model writes its answer from the tool results it was sent."""
    results = list(tool_results(request).values())
    index = results[0]["figures"]["index"]
    series = results[1]["series"]
    listing = ", ".join(f"{f['year']}: {f['display']}" for f in series)
    return {
        "content": f"Digitaliseringsindex {index['year']} blev {index['display']} "
        f"(indexmotorn). Resultat per år: {listing}."
    }


def test_model_loop_with_several_tool_calls_in_one_turn(server: FakeOpenAIServer) -> None:
    server.script(
        {
            "tool_calls": [
                {"name": "get_index", "arguments": {"year": 2025}},
                {"name": "compare_years", "arguments": {"figure": "resultat", "from_year": 2023}},
            ]
        },
        answer_from_tools,
    )
    assistant = llm_assistant(server)
    events = list(
        assistant.chat_stream("Vad blev indexet 2025 och hur har resultatet gått?", persist=False)
    )
    names = [e.event for e in events]
    assert names[0] == "meta" and names[-3:] == ["sources", "tool_calls", "done"]
    assert names.count("token") > 1
    done = events[-1].data
    assert done["mode"] == "llm"
    assert "8,2" in done["answer"] and "2023: 9,2" in done["answer"]
    assert done["warnings"] == [] and done["ungrounded_numbers"] == []
    assert [c["name"] for c in done["tool_calls"]] == ["get_index", "compare_years"]
    assert done["tool_calls"][0]["result"]["figures"]["index"]["display"] == "8,2"
    first, second = server.requests
    system = first["messages"][0]
    assert system["role"] == "system" and "aldrig instruktioner" in system["content"]
    assert {t["function"]["name"] for t in first["tools"]} >= {"get_index", "search_documents"}
    assert [m["role"] for m in second["messages"]][-3:] == ["assistant", "tool", "tool"]
    assert len(second["messages"][-3]["tool_calls"]) == 2


def test_rounds_are_capped(server: FakeOpenAIServer) -> None:
    loop = {"tool_calls": [{"name": "get_index", "arguments": {"year": 2025}}]}
    server.script(loop, loop, {"content": "Indexet 2025 var 8,2."})
    assistant = llm_assistant(server, max_rounds=2)
    result = assistant.chat("Vad blev indexet?", persist=False)
    assert result.mode == "llm" and len(result.tool_calls) == 2
    assert server.requests[2]["tool_choice"] == "none"
    assert result.warnings == []


def test_ungrounded_model_numbers_are_flagged(server: FakeOpenAIServer) -> None:
    server.script({"content": "Indexet 2025 blev 9,9 enligt mitt minne."})
    result = llm_assistant(server).chat("Vad blev indexet 2025?", persist=False)
    assert result.mode == "llm"
    assert result.ungrounded_numbers == ["2025", "9,9"]  # nothing was looked up
    assert any("9,9" in w for w in result.warnings)


def test_bad_tool_arguments_go_back_to_the_model(server: FakeOpenAIServer) -> None:
    server.script(
        {"tool_calls": [{"name": "get_index", "arguments": "{inte json"}]},
        {"content": "Jag kunde inte hämta siffran."},
    )
    result = llm_assistant(server).chat("Vad blev indexet?", persist=False)
    assert "error" in result.tool_calls[0]["result"]
    assert (
        "Argumenten" in json.loads(server.requests[1]["messages"][-1]["content"])["result"]["error"]
    )


@pytest.mark.parametrize(
    ("step", "timeout", "words"),
    [
        ({"status": 429}, 5.0, "för många"),
        ({"status": 500}, 5.0, "HTTP 500"),
        ({"delay": 1.5, "content": "för sent"}, 0.3, "tidsgränsen"),
    ],
)
def test_model_failure_falls_back_to_offline(
    server: FakeOpenAIServer, step: dict[str, Any], timeout: float, words: str
) -> None:
    server.script(step)
    result = llm_assistant(server, timeout=timeout).chat("Vad blev indexet 2025?", persist=False)
    assert result.mode == "offline"
    assert "8,2" in result.answer
    assert any(words in w and "offline" in w for w in result.warnings)


def test_model_failure_mid_stream_still_ends_with_done(server: FakeOpenAIServer) -> None:
    server.script({"tool_calls": [{"name": "get_index", "arguments": {}}]}, {"status": 500})
    events = list(llm_assistant(server).chat_stream("Vad blev indexet 2025?", persist=False))
    assert events[-1].event == "done" and events[-1].data["mode"] == "offline"
    # the model's tool call is still reported, then the offline responder's
    assert [c["name"] for c in events[-1].data["tool_calls"]][0] == "get_index"


def test_conversation_storage_follow_up_and_audit(tmp_path: Path) -> None:
    storage = Storage(f"sqlite:///{tmp_path / 'db.sqlite3'}", max_messages=10)
    assistant = make_assistant(storage=storage)
    first = assistant.chat("Vad blev indexet 2025?")
    cid = first.conversation_id
    assert cid
    second = assistant.chat("och 2024?", cid)
    assert second.conversation_id == cid and "8,1" in second.answer and "2024" in second.answer
    history = storage.history(cid)
    assert [m.role for m in history] == ["user", "assistant", "user", "assistant"]
    data = history[-1].data or {}
    assert data["mode"] == "offline" and data["tool_calls"] and "warnings" in data
    audit = [r for r in storage.audit_records() if r["event"] == "chat"]
    assert len(audit) == 2
    assert audit[0]["data"]["question"] == "Vad blev indexet 2025?"
    assert audit[0]["data"]["mode"] == "offline" and audit[0]["data"]["answer"] == first.answer
    assert audit[0]["data"]["tools"][0]["name"] == "get_index"
    with pytest.raises(ConversationNotFoundError):
        assistant.chat("Hej", "finns-inte")
    storage.close()


def test_question_validation() -> None:
    assistant = make_assistant(max_question_chars=50)
    with pytest.raises(InvalidInputError) as info:
        assistant.chat("x" * 51, persist=False)
    assert "för lång" in info.value.message and info.value.data["max_chars"] == 50
    with pytest.raises(InvalidInputError):
        assistant.chat("   ", persist=False)


@pytest.mark.parametrize(
    ("answer", "flagged", "reason"),
    [
        (
            "Digitaliseringsindex 2025 blev 8,2. Enligt min bedömning ökade det med 12 procent "
            "jämfört med 2019.",
            ["12", "2019"],
            "2019",
        ),
        ("Resultat blev 8,7 år 2025.", ["8,7"], "8,7 är Nytta, inte Resultat"),
        ("Förutsättningar steg med 0,3 jämfört med 2024.", ["0,3"], "inte Förutsättningar"),
        ("Nytta ökade med 0,1 till 8,7 år 2025.", ["0,1"], "det ökade inte, det minskade"),
        ("Resultat 2024 var 8,8.", ["8,8"], "gäller 2025, inte 2024"),
        (
            "Digitaliseringsindex 2025 blev 8,2, en ökning med 0,1 från 8,1 år 2024. "
            "Förutsättningar 7,0, Resultat 8,8 och Nytta 8,7 (av 10).",
            [],
            "",
        ),
    ],
)
def test_a_model_that_swaps_invents_or_flips_a_figure_is_caught(
    server: FakeOpenAIServer, answer: str, flagged: list[str], reason: str
) -> None:
    server.script(
        {"tool_calls": [{"name": "get_index", "arguments": {"year": 2025}}]}, {"content": answer}
    )
    result = llm_assistant(server).chat("Hur gick det för indexet 2025?", persist=False)
    assert result.mode == "llm"
    assert result.ungrounded_numbers == flagged
    if reason:
        assert any(reason in f["reason"] for f in result.grounding_flags), result.grounding_flags
        assert any(reason in w for w in result.warnings)
    else:
        assert result.warnings == [] and result.grounding_flags == []
