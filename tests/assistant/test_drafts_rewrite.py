"""The model rewrite of a draft, against a real local HTTP server speaking OpenAI chat completions
(the team's ``tests/assistant/fake_openai.py``).

A rewrite that keeps every number and footnote is used; one that changes a number (or drops a
paragraph, or the model fails) is rejected and the deterministic draft comes back with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from assistant.drafts import check_rewrite, draft_chapter
from assistant.llm import OpenAIChatModel, build_openai_client
from index_engine import load_dataset
from index_engine.loaders import Dataset
from tests.assistant.fake_openai import FakeOpenAIServer
from tests.conftest import SAMPLE_DIR

Script = Callable[[str], dict[str, Any]]  # user message -> scripted step of the fake server


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(SAMPLE_DIR)


@pytest.fixture()
def serve() -> Iterator[Callable[[Script], tuple[FakeOpenAIServer, OpenAIChatModel]]]:
    servers: list[FakeOpenAIServer] = []
    clients: list[Any] = []

    def start(script: Script) -> tuple[FakeOpenAIServer, OpenAIChatModel]:
        server = FakeOpenAIServer().start()
        servers.append(server)

        def step(body: dict[str, Any]) -> dict[str, Any]:
            user = next(m["content"] for m in body["messages"] if m["role"] == "user")
            return script(user)

        server.script(step)
        client = build_openai_client(server.base_url, "test-key", timeout=10, max_retries=0)
        clients.append(client)
        return server, OpenAIChatModel(client, model="fake-model")

    yield start
    for client in clients:
        client.close()
    for server in servers:
        server.stop()


def polish(text: str) -> str:
    """A 'better flow' that touches words only."""
    return text.replace("Det är ", "Detta innebär ").replace("Årets ", "Det här årets ")


def test_a_rewrite_that_keeps_every_number_is_used(dataset: Dataset, serve: Any) -> None:
    server, model = serve(lambda user: {"content": polish(user)})
    draft = draft_chapter(dataset, "index", 2025, chat_model=model)
    assert draft.mode == "llm"
    assert "Det här årets sammanlagda digitaliseringsindex är 8,2." in draft.markdown
    assert not [w for w in draft.warnings if "Språkmodell" in w]
    # the model saw the deterministic paragraphs and the rules
    request = server.requests[0]
    assert request["model"] == "fake-model"
    assert "Behåll varje tal exakt" in request["messages"][0]["content"]
    assert "8,2" in request["messages"][1]["content"]
    # headings, bullets, charts and footnotes are not the model's business
    assert "- Förutsättningar 7,0" in draft.markdown
    assert draft.charts and draft.notes


def test_a_rewrite_that_changes_a_number_is_rejected(dataset: Dataset, serve: Any) -> None:
    _server, model = serve(lambda user: {"content": polish(user).replace("8,2", "8,3")})
    baseline = draft_chapter(dataset, "index", 2025)
    draft = draft_chapter(dataset, "index", 2025, chat_model=model)
    assert draft.mode == "offline"
    assert draft.markdown == baseline.markdown
    warning = next(w for w in draft.warnings if "avvisades" in w)
    assert "8,2" in warning or "8,3" in warning


def test_a_rewrite_that_drops_a_paragraph_is_rejected(dataset: Dataset, serve: Any) -> None:
    _server, model = serve(lambda user: {"content": user.split("\n\n")[0]})
    draft = draft_chapter(dataset, "mognad", 2025, chat_model=model)
    assert draft.mode == "offline"
    assert any("antal stycken" in w for w in draft.warnings)


def test_a_failing_model_gives_the_deterministic_draft(dataset: Dataset, serve: Any) -> None:
    _server, model = serve(lambda user: {"status": 500, "message": "boom"})
    draft = draft_chapter(dataset, "nytta", 2025, chat_model=model)
    assert draft.mode == "offline"
    assert any("Språkmodellen kunde inte" in w for w in draft.warnings)


def test_check_rewrite_normalises_numbers() -> None:
    original = ["Indexet är 8,2.[^1] Mognaden är 64,5 %."]
    assert check_rewrite(original, ["Mognaden ligger på 64,5 % och indexet på 8,2.[^1]"]) == []
    assert check_rewrite(original, ["Indexet är 8,2. Mognaden är 64,5 %."]) != []  # footnote lost
    problems = check_rewrite(original, ["Indexet är 8,2.[^1] Mognaden är 64,6 %."])
    assert problems and re.search(r"64,5|64,6", problems[0])
    # a number written another way is a different text, not a different value
    assert check_rewrite(["Index 8,2.[^1]"], ["Index 8.2.[^1]"]) == []
