"""One tool definition, three faces: the chat loop's OpenAI tool list, MCP and LangChain."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from langchain_core.utils.function_calling import convert_to_openai_tool

from assistant.langchain_tools import digirapport_tools
from assistant.llm import OpenAIChatModel, build_openai_client
from assistant.tools import ToolRegistry
from index_engine import FIGURE_SPECS, STATUSES
from tests.assistant.chat_support import make_assistant, sample_dataset
from tests.assistant.fake_openai import FakeOpenAIServer

SNAPSHOT = Path(__file__).with_name("tool_schemas.json")


@pytest.fixture(scope="module")
def registry() -> ToolRegistry:
    return ToolRegistry(sample_dataset())


def test_schema_snapshot(registry: ToolRegistry) -> None:
    """A change to a tool's published schema is a deliberate change of this file."""
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert registry.schemas() == expected


def test_vocabularies_come_from_the_engine_and_the_dataset(registry: ToolRegistry) -> None:
    params = {s["function"]["name"]: s["function"]["parameters"] for s in registry.schemas()}
    assert params["compare_years"]["properties"]["figure"]["enum"] == list(FIGURE_SPECS)
    assert params["portfolio"]["properties"]["status"]["enum"] == list(STATUSES)
    assert params["portfolio"]["properties"]["objekt"]["enum"] == list(sample_dataset().objekt)
    other = ToolRegistry(sample_dataset().__class__(**{**vars(sample_dataset()), "objekt": ("A",)}))
    other_params = other.tools["portfolio"].parameters
    assert other_params["properties"]["objekt"]["enum"] == ["A"]


def test_the_model_loop_sends_the_registry_tool_list() -> None:
    server = FakeOpenAIServer().start()
    try:
        server.script(
            {"tool_calls": [{"name": "get_index", "arguments": {"year": 2025}}]},
            {"content": "Indexet 2025 är 8,2."},
        )
        client = build_openai_client(server.base_url, None, 10.0, max_retries=0)
        assistant = make_assistant(chat_model=OpenAIChatModel(client, "fake-model", 300))
        result = assistant.chat("Vad blev indexet 2025?", persist=False)
    finally:
        server.stop()
    sent = server.requests[0]["tools"]
    expected = assistant.tools.schemas()
    assert [t["function"]["name"] for t in sent] == [t["function"]["name"] for t in expected]
    for got, want in zip(sent, expected, strict=True):
        assert got == want, got["function"]["name"]
    assert result.tool_calls[0]["result"]["figures"]["index"]["display"] == "8,2"


def test_langchain_and_mcp_publish_the_same_schemas(registry: ToolRegistry) -> None:
    from mcp import Client

    from web.mcp import _mcp_tool

    lc = [convert_to_openai_tool(t) for t in digirapport_tools(registry)]
    assert lc == registry.schemas()
    mcp_tools = [_mcp_tool(None, t) for t in registry.tools.values()]  # type: ignore[arg-type]
    from mcp.server.mcpserver import MCPServer

    async def listed() -> list[Any]:
        async with Client(MCPServer("t", tools=mcp_tools)) as client:
            return (await client.list_tools()).tools

    for tool, schema in zip(asyncio.run(listed()), registry.schemas(), strict=True):
        assert tool.name == schema["function"]["name"]
        assert tool.description == schema["function"]["description"]
        assert tool.input_schema == schema["function"]["parameters"]


def test_bad_arguments_get_swedish_errors_naming_the_field(registry: ToolRegistry) -> None:
    out = registry.call("compare_years", {"figure": "påhittad", "from_year": "förra året"})
    assert out["fields"] == ["figure", "from_year"]
    assert "figure måste vara en av" in out["error"]
    assert "from_year måste vara ett heltal" in out["error"]
    assert registry.call("list_initiatives", {"limit": 0})["fields"] == ["limit"]
    missing = registry.call("explain_change", {})
    assert "figure saknas" in missing["error"]
    # loose spellings the vocabularies know are accepted (objekt case, status case)
    ok = registry.call("portfolio", {"objekt": "social omsorg", "status": "Genomförd"})
    assert ok["filters"] == {"objekt": "Social omsorg", "status": "genomförd"}
