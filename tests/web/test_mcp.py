"""The MCP server: in-process, over streamable HTTP in a real uvicorn app with keys, over stdio."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from assistant.langchain_tools import DigirapportRetriever, RemoteSearchError
from tests.assistant.chat_support import REPO, shared_retriever
from tests.web.ui_helpers import serve
from web.app import create_app
from web.mcp import build_mcp_server, section_uri
from web.services import Services
from web.settings import Settings

SOURCE = "nacka-digitaliseringsrapport-2025.txt"


def _services(tmp_path: Path, **overrides: Any) -> Services:
    settings = Settings(data_dir=tmp_path / "data", rate_limit_per_minute=0, **overrides)
    services = Services(settings)
    services.__dict__["retriever"] = shared_retriever()  # the real retriever, embedded once
    services.__dict__["store"] = shared_retriever().store
    return services


async def _exercise(client: Client) -> dict[str, Any]:
    """List tools, call the figure tool for 2025, read a report section and a year's figures."""
    tools = (await client.list_tools()).tools
    called = await client.call_tool("get_index", {"year": 2025, "keys": ["index"]})
    section = await client.read_resource(section_uri(SOURCE, "4"))
    figures = await client.read_resource("digirapport://index/2025")
    prompt = await client.get_prompt("sammanfatta_index", {"year": "2025"})
    return {
        "tools": [t.name for t in tools],
        "called": called,
        "section": json.loads(section.contents[0].text),
        "figures": json.loads(figures.contents[0].text),
        "prompt": prompt.messages[0].content.text,
    }


def _check(out: dict[str, Any]) -> None:
    assert {"get_index", "search_documents", "portfolio", "explain_change"} <= set(out["tools"])
    called = out["called"]
    assert called.is_error is False
    index = called.structured_content["figures"]["index"]
    assert index["display"] == "8,2" and index["formula"] and index["n"] == 3  # provenance
    assert out["section"]["section"] == "4" and out["section"]["text"]
    assert out["figures"]["figures"]["index"]["display"] == "8,2"
    assert "8,2" in out["prompt"]


def test_in_process_tools_resources_prompts_and_audit(tmp_path: Path) -> None:
    services = _services(tmp_path)
    try:
        out = asyncio.run(_run_in_process(services))
        _check(out)
        audited = [r for r in services.storage.audit_records() if r["event"] == "mcp_tool"]
        assert audited[0]["data"]["name"] == "get_index"
        assert audited[0]["data"]["arguments"] == {"year": 2025, "keys": ["index"]}
    finally:
        services.close()


async def _run_in_process(services: Services) -> dict[str, Any]:
    async with Client(build_mcp_server(services)) as client:
        out = await _exercise(client)
        bad = await client.call_tool("portfolio", {"objekt": "Månen"})
        assert bad.is_error and "objekt måste vara en av" in bad.content[0].text  # type: ignore[union-attr]
        return out


async def _over_http(url: str, key: str | None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with httpx2.AsyncClient(headers=headers, timeout=60) as http:
        async with Client(streamable_http_client(url, http_client=http)) as client:
            return await _exercise(client)


def test_real_server_with_keys_reader_works_and_no_key_is_refused(tmp_path: Path) -> None:
    services = _services(tmp_path, auth="on")
    _, reader_key = services.storage.create_api_key("mcp-läsare", "reader")
    app = create_app(services.settings, services)
    with serve(app) as base:
        out = asyncio.run(_over_http(base + "/mcp", reader_key))
        _check(out)
        refused = httpx2.post(
            base + "/mcp",
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            headers={"Accept": "application/json, text/event-stream"},
        )
        assert refused.status_code == 401
        assert "API-nyckel" in refused.json()["error"]["message"]
        with pytest.raises(Exception):  # noqa: B017  (the client surfaces the 401 its own way)
            asyncio.run(_over_http(base + "/mcp", None))
        # the LangChain retriever against the same running server (its /api/search)
        docs = DigirapportRetriever.from_url(base, reader_key, k=2).invoke("digitaliseringsindex")
        assert docs and docs[0].metadata["source"] == SOURCE
        with pytest.raises(RemoteSearchError) as info:
            DigirapportRetriever.from_url(base, "fel-nyckel").invoke("index")
        assert "HTTP 401" in info.value.message
    key_ids = {r["key_id"] for r in services.storage.audit_records() if r["event"] == "mcp_tool"}
    assert len(key_ids) == 1 and None not in key_ids  # audited with the reader key's id
    services.close()


def test_stdio_server_as_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "DIGI_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}
    params = StdioServerParameters(
        command=sys.executable,
        args=["-c", "from web.cli._app import main; main()", "mcp"],
        env=env,
        cwd=str(REPO),
    )

    async def run() -> tuple[list[str], Any, str]:
        async with Client(params) as client:
            tools = [t.name for t in (await client.list_tools()).tools]
            called = await client.call_tool("get_index", {"year": 2025})
            years = await client.read_resource("digirapport://index")
            return tools, called, years.contents[0].text

    tools, called, years = asyncio.run(run())
    assert "get_index" in tools
    assert called.structured_content["figures"]["index"]["display"] == "8,2"
    assert json.loads(years)["years"][-1] == 2025


def test_local_mode_serves_mcp_only_to_a_loopback_host(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    services = _services(tmp_path)  # auth auto on 127.0.0.1: no key needed
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    accept = {"Accept": "application/json, text/event-stream"}
    with TestClient(create_app(services.settings, services), base_url="http://127.0.0.1") as c:
        rebound = c.post("/mcp", json=body, headers={**accept, "Host": "evil.example"})
        assert rebound.status_code == 400  # the app's guard, for /mcp as for every route
        local = c.post("/mcp", json=body, headers=accept)
        assert local.status_code != 400 and local.status_code < 500
    services.close()
