"""LangChain: the retriever over the real hybrid search, and an agent calling a registry tool."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, ToolMessage

from assistant.langchain_tools import DigirapportRetriever, digirapport_tools, run_agent
from assistant.tools import ToolRegistry
from tests.assistant.chat_support import sample_dataset, shared_retriever


class ScriptedToolModel(GenericFakeChatModel):
    """langchain-core's fake chat model, scripted, that accepts tools like a real one."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
        return self


def test_retriever_from_data_dir_returns_the_passage_with_metadata() -> None:
    store = shared_retriever().store  # the excerpt of the 2025 report, ingested once
    retriever = DigirapportRetriever.from_data_dir(Path(store.location).parent, k=3)
    docs = retriever.invoke("Vad blev digitaliseringsindex 2025?")
    assert 1 <= len(docs) <= 3
    top = docs[0]
    assert top.metadata["source"] == "nacka-digitaliseringsrapport-2025.txt"
    assert top.metadata["section"].startswith("4")
    assert {"section", "title", "page", "score", "year"} <= set(top.metadata)
    assert isinstance(top.metadata["score"], float)
    assert "8,2" in " ".join(d.page_content for d in docs)


def test_agent_with_a_scripted_model_calls_a_registry_tool_and_gets_the_figure() -> None:
    tools = digirapport_tools(ToolRegistry(sample_dataset(), shared_retriever()))
    model = ScriptedToolModel(
        messages=iter(
            [
                AIMessage(
                    "",
                    tool_calls=[{"name": "get_index", "args": {"year": 2025}, "id": "c1"}],
                ),
                AIMessage("Digitaliseringsindex 2025 är 8,2."),
            ]
        )
    )
    messages = run_agent(model, tools, "Vad blev indexet 2025?")
    tool_message = next(m for m in messages if isinstance(m, ToolMessage))
    assert tool_message.name == "get_index"
    assert '"display": "8,2"' in str(tool_message.content)
    assert tool_message.artifact["figures"]["index"]["formula"]  # provenance comes along
    assert messages[-1].content == "Digitaliseringsindex 2025 är 8,2."
