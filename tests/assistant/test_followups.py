"""Follow-up suggestions and chart references: derived from what was answered, always answerable.

Every suggestion is asked again through the real offline responder (sample data, no documents)
and must get a data answer, never "hittar inget"; in model mode they come from the tool calls.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.charts import draw_chart
from assistant.errors import AssistantError
from assistant.followups import (
    Topic,
    chart_for,
    suggestions,
    topic_from_offline,
    topic_from_tool_calls,
)
from assistant.offline import OfflineResponder
from assistant.offline.router import AnswerKind
from assistant.service import STOPPED_NOTE
from assistant.storage import Storage
from assistant.tools import ToolRegistry
from tests.assistant.chat_support import make_assistant, sample_dataset
from tests.assistant.fake_openai import FakeOpenAIServer

#: Questions of every data kind a manager asks; each one's suggestions are asked in turn.
SEEDS = [
    "Vad blev digitaliseringsindex 2025?",
    "Hur har genomförandegraden utvecklats?",
    "Varför ökade indexet 2025?",
    "Hur många initiativ fanns det 2024?",
    "Vilket objekt hade flest initiativ 2025?",
    "Hur ser portföljen ut 2025?",
    "Vad var svarsfrekvensen 2024?",
    "Hur beräknas resultatkomponenten?",
    "Vad händer om genomförandegraden blir 95 %?",
    "Hur ser digital mognad ut per område?",
    "Hur nöjda är medarbetarna med digitala stöd?",
    "Vilken nytta har vi uppnått?",
    "Vad kan du hjälpa mig med?",
    "Vad var nyttorealiseringen 2023?",
    "Vad var den digitala förmågan 2024?",
    "Vilka initiativ har Social omsorg 2025?",
]


#: Answers that do not come from the engine's data.
NOT_DATA = {AnswerKind.TEXT, AnswerKind.HELP, AnswerKind.CLASSIFY, AnswerKind.DRAFT}


@pytest.fixture(scope="module")
def tools() -> ToolRegistry:
    return ToolRegistry(sample_dataset(), None)


@pytest.fixture(scope="module")
def responder(tools: ToolRegistry) -> OfflineResponder:
    return OfflineResponder(tools)


def test_every_suggestion_asked_offline_gets_a_data_answer(
    tools: ToolRegistry, responder: OfflineResponder
) -> None:
    asked: dict[str, Any] = {}
    for seed in SEEDS:
        out = responder.answer(seed)
        followups = suggestions(topic_from_offline(out), tools, seed)
        assert 2 <= len(followups) <= 3, (seed, followups)
        assert seed not in followups
        for question in followups:
            assert question.endswith("?") and question[0].isupper(), question
            if question not in asked:
                asked[question] = responder.answer(question)
            answer = asked[question]
            assert answer.answered, (seed, question, answer.answer)
            assert "hittar inget" not in answer.answer.lower(), (seed, question)
            assert answer.intent is not None
            assert AnswerKind(answer.intent.kind) not in NOT_DATA, (question, answer.intent.kind)
    assert len(asked) >= 25


def test_suggestions_follow_the_answer(tools: ToolRegistry, responder: OfflineResponder) -> None:
    figure = suggestions(topic_from_offline(responder.answer(SEEDS[0])), tools, SEEDS[0])
    assert figure == [
        "Vad drev förändringen i digitaliseringsindex 2025?",
        "Vad var digitaliseringsindex 2024?",
        "Hur beräknas digitaliseringsindex?",
    ]
    # deterministic: the same answer gives the same suggestions
    assert suggestions(topic_from_offline(responder.answer(SEEDS[0])), tools, SEEDS[0]) == figure
    # the first year has no year before it: no "last year" and no "what drove it"
    first = suggestions(Topic("figure", "digital_mognad", 2022), tools)
    assert not any("2021" in q or "drev" in q for q in first)
    assert "Hur ser den digitala mognaden ut per verksamhet 2022?" in first
    # nothing to follow up: an unanswered question, a text answer
    assert suggestions(None, tools) == []
    assert suggestions(Topic("text"), tools) == []


def test_topic_from_the_models_tool_calls(tools: ToolRegistry) -> None:
    def call(name: str, **arguments: Any) -> dict[str, Any]:
        return {"name": name, "arguments": arguments, "result": tools.call(name, arguments)}

    calls = [
        call("search_documents", query="index"),
        call("get_index", year=2024, keys=["genomforandegrad"]),
    ]
    topic = topic_from_tool_calls(calls)
    assert topic == Topic("figure", "genomforandegrad", 2024)
    assert suggestions(topic, tools)[0] == "Vad drev förändringen i genomförandegraden 2024?"
    assert topic_from_tool_calls([call("explain_change", figure="index")]) == Topic(
        "why", "index", 2025
    )
    # a failed tool call and a search alone say nothing about a figure
    assert topic_from_tool_calls([call("get_index", year=1990)]) is None
    assert topic_from_tool_calls([calls[0]]) is None


@pytest.mark.parametrize(
    ("topic", "chart"),
    [
        (Topic("figure", "index", 2025), "index_trend"),
        (Topic("compare", "resultat", 2024), "index_trend"),
        (Topic("why", "index", 2025), "forandring_index"),
        (Topic("why", "genomforandegrad", 2024), "forandring_genomforandegrad"),
        (Topic("dimios", None, 2025), "dimios"),
        (Topic("employee", "medarbetare", 2025), "medarbetare"),
        (Topic("portfolio", "antal_initiativ", 2025), "objekt"),
        (Topic("list", "antal_initiativ", 2025), None),
        (Topic("method", "index", 2025), None),
        (Topic("why", "index", 2022), None),  # no year before 2022: no waterfall to draw
    ],
)
def test_the_chart_of_an_answer(tools: ToolRegistry, topic: Topic, chart: str | None) -> None:
    found = chart_for(topic, tools)
    if chart is None:
        assert found is None
        return
    assert found is not None and found["name"] == chart
    assert found["url"] == f"/api/charts/{chart}?year={found['year']}&format=svg"
    assert found["caption"].endswith(".") and found["title"]
    # chosen from the data without drawing: the chart the browser asks for can be drawn
    drawn = draw_chart(tools.dataset, chart, found["year"], "svg")
    assert drawn.data.lstrip().startswith(b"<?xml")


def test_a_chart_is_only_offered_for_a_year_that_has_its_data(tools: ToolRegistry) -> None:
    cases = [
        (Topic("figure", "index", 0), "index_trend"),
        (Topic("why", "genomforandegrad", 0), "forandring_genomforandegrad"),
        (Topic("employee", "medarbetare", 0), "medarbetare"),
        (Topic("dimios", None, 0), "dimios"),
    ]
    for year in tools.years():
        for topic, name in cases:
            found = chart_for(Topic(topic.kind, topic.figure, year), tools)
            try:
                draw_chart(tools.dataset, name, year)
                drawable = True
            except AssistantError:
                drawable = False
            assert (found is not None) == drawable, (year, name, found)


def test_a_chat_answer_carries_its_followups_and_chart() -> None:
    result = make_assistant().chat("Vad blev digitaliseringsindex 2025?", persist=False)
    body = result.to_dict()
    assert body["followups"][0] == "Vad drev förändringen i digitaliseringsindex 2025?"
    assert [c["name"] for c in body["charts"]] == ["index_trend"]
    events = list(
        make_assistant().chat_stream("Vad blev digitaliseringsindex 2025?", persist=False)
    )
    assert events[-1].event == "done"
    assert events[-1].data["followups"] == body["followups"]
    assert events[-1].data["charts"] == body["charts"]


# -- model mode and the stop button ------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAIServer]:
    srv = FakeOpenAIServer().start()
    yield srv
    srv.stop()


def llm_assistant(server: FakeOpenAIServer, **kw: Any) -> Any:
    from assistant.llm import OpenAIChatModel
    from tests.assistant.fake_openai import model_client

    client = model_client(server.base_url)
    return make_assistant(chat_model=OpenAIChatModel(client, "fake-model", 300), **kw)


def test_model_answers_get_followups_from_their_tool_calls(server: FakeOpenAIServer) -> None:
    server.script(
        {"tool_calls": [{"name": "explain_change", "arguments": {"figure": "digital_mognad"}}]},
        {"content": "Den digitala mognaden steg."},
    )
    result = llm_assistant(server).chat("Varför steg mognaden?", persist=False)
    assert result.mode == "llm"
    assert result.followups[0] == "Hur ser den digitala mognaden ut per verksamhet 2025?"
    assert [c["name"] for c in result.charts] == ["forandring_digital_mognad"]
    # no tool call: nothing is suggested, no chart
    server.script({"content": "Hej! Fråga mig om indexet."})
    plain = llm_assistant(server).chat("Hej", persist=False)
    assert plain.followups == [] and plain.charts == []


def test_stopping_a_streamed_answer_hangs_up_on_the_model(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    storage = Storage(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    long_answer = "Digitaliseringsindex är ett sammanvägt mått. " * 20
    server.script({"content": long_answer, "chunk_delay": 0.05})
    events = llm_assistant(server, storage=storage).chat_stream("Berätta om indexet")
    tokens = []
    for event in events:
        if event.event == "token":
            tokens.append(event.data["text"])
        if len(tokens) == 3:
            break
    events.close()  # what the web layer does when the browser stops reading
    deadline = time.monotonic() + 5
    while not (server.streams and server.streams[0]["cut"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    stream = server.streams[0]
    assert stream["cut"], stream
    assert stream["sent"] < stream["chunks"] / 2, stream  # it stopped generating early
    # the turn is kept as stopped, with what was sent
    conversation = storage.list_conversations()[0]
    history = storage.history(conversation["id"])
    assert [m.role for m in history] == ["user", "assistant"]
    assert history[1].content.startswith("".join(tokens).strip())
    assert history[1].content != STOPPED_NOTE  # (the note stands in only when nothing was sent)
    assert history[1].data == {"stopped": True, "mode": "llm"}
    assert any(r["event"] == "chat_stopped" for r in storage.audit_records())
    storage.close()
