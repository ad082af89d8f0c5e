"""The tool registry as an MCP server: ``digirapport mcp`` (stdio) and ``/mcp`` in the app.

Built with the official ``mcp`` SDK (:class:`mcp.server.mcpserver.MCPServer`):

* **Tools**: every tool of :class:`assistant.tools.ToolRegistry`, with the registry's own name,
  Swedish description and JSON schema (no second definition); a call runs
  :meth:`ToolRegistry.call` (the arguments validated there, Swedish errors) and is written to the
  audit log as ``mcp_tool`` with the caller's key id, like a chat tool call. All tools only read
  (``readOnlyHint``); nothing that writes is exposed.
* **Resources**: ``digirapport://index`` (the years) and ``digirapport://index/<år>`` (each
  year's figures with provenance); ``digirapport://rapport`` (the ingested reports and their
  sections) and ``digirapport://rapport/<källa>/<avsnitt>`` (one section's text with pages), only
  up to the caller's clearance.
* **Prompts**: ``sammanfatta_index`` ("Sammanfatta årets index") and ``forklara_forandring``.

Over HTTP the server sits behind the app's own access control (``web.auth``: ``/mcp`` needs the
``reader`` role, the same keys and SSO sessions as the API); :func:`identity` hands the caller
that the auth middleware identified to the tools and resources (clearance, audit key id). The
streamable HTTP transport runs stateless with JSON answers, so any instance behind a load
balancer can answer any request; its session manager is started by the app's lifespan
(:func:`run_mcp`). See ``docs/mcp.md``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.tools import Tool as MCPTool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp.server.transport_security import TransportSecuritySettings
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import ConfigDict
from starlette.types import Receive, Scope, Send

from assistant.access import LOCAL, current_caller, current_clearance
from assistant.storage import current_key_id
from assistant.tools import Tool, ToolRegistry
from web.auth import send_error

if TYPE_CHECKING:
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

    from web.services import Services

log = logging.getLogger("digirapport.web.mcp")

SERVER_NAME = "digirapport"
INSTRUCTIONS = (
    "Digirapport: kommunens digitaliseringsuppföljning. Verktygen räknar fram "
    "digitaliseringsindex, delmått, portfölj, nyttoregister, DiMiOS och medarbetarenkät med "
    "formel och underlag, och söker i de inlästa rapporterna (källa, avsnitt, sida). Ange tal "
    "som verktygen ger dem (svensk decimalkomma) och hänvisa till källan."
)
READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)
INDEX_URI = "digirapport://index"
REPORT_URI = "digirapport://rapport"


class _Arguments(ArgModelBase):
    """Hands the raw arguments on: the registry validates them (one schema, Swedish errors)."""

    model_config = ConfigDict(extra="allow")

    def model_dump_one_level(self) -> dict[str, Any]:
        """All arguments as one ``arguments`` keyword."""
        return {"arguments": dict(self.model_extra or {})}


def call_tool(services: Services, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """Run a registry tool for the current caller and write it to the audit log."""
    result = services.assistant.tools.call(name, arguments)
    services.storage.audit(
        "mcp_tool",
        {"name": name, "arguments": arguments, "error": result.get("error")},
    )
    return result


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)


def _mcp_tool(services: Services, tool: Tool) -> MCPTool:
    """An MCP tool with the registry tool's name, description and JSON schema."""

    def run(arguments: dict[str, Any]) -> CallToolResult:
        result = call_tool(services, tool.name, arguments)
        return CallToolResult(
            content=[TextContent(type="text", text=_json(result))],
            structured_content=result,
            is_error="error" in result,
        )

    return MCPTool(
        fn=run,
        name=tool.name,
        title=None,
        description=tool.description,
        parameters=tool.parameters,
        fn_metadata=FuncMetadata(arg_model=_Arguments),
        is_async=False,
        context_kwarg=None,
        annotations=READ_ONLY,
    )


async def identity(ctx: Any, call_next: Callable[[Any], Awaitable[Any]]) -> Any:
    """Serve an MCP message as the caller the app's auth middleware identified.

    Over HTTP that is ``request.state.caller`` (a key, an SSO session, or the local user when
    auth is off); over stdio (no request) the machine's own user.
    """
    request = getattr(ctx, "request", None)
    state = getattr(request, "state", None)
    caller = getattr(state, "caller", None) if state is not None else None
    if caller is None:
        if request is not None:
            raise MCPError(code=-32001, message="Inloggning krävs (API-nyckel).")
        caller = LOCAL
    caller_token = current_caller.set(caller)
    key_token = current_key_id.set(getattr(state, "key_id", None) if state is not None else None)
    try:
        return await call_next(ctx)
    finally:
        current_key_id.reset(key_token)
        current_caller.reset(caller_token)


def section_uri(source: str, section: str) -> str:
    """The resource URI of one report section."""
    return f"{REPORT_URI}/{quote(source, safe='')}/{quote(section, safe='')}"


def _sections(services: Services) -> dict[tuple[str, str], list[Any]]:
    """The current caller's readable report chunks grouped by (source, section), in order."""
    clearance = int(current_clearance())
    out: dict[tuple[str, str], list[Any]] = {}
    for chunk in services.store.all_chunks():
        if int(chunk.level) <= clearance:
            out.setdefault((chunk.source, chunk.section), []).append(chunk)
    return out


def _add_resources(server: MCPServer, services: Services) -> None:
    years = ToolRegistry(services.dataset).years()

    @server.resource(
        INDEX_URI,
        name="index",
        title="Digitaliseringsindex: år",
        description="Åren med data och adressen till varje års figurer.",
        mime_type="application/json",
    )
    def index_years() -> str:
        return _json({"years": years, "resources": [f"{INDEX_URI}/{y}" for y in years]})

    def figures_of(year: int) -> Callable[[], str]:
        def figures() -> str:
            return _json(call_tool(services, "get_index", {"year": year}))

        return figures

    for year in years:
        server.resource(
            f"{INDEX_URI}/{year}",
            name=f"index-{year}",
            title=f"Digitaliseringsindex {year}",
            description=f"Index, komponenter och delmått {year} med formel, n och förändring.",
            mime_type="application/json",
        )(figures_of(year))

    @server.resource(
        REPORT_URI,
        name="rapporter",
        title="Inlästa rapporter och avsnitt",
        description="Varje inläst rapports avsnitt med adress (bara det du har behörighet till).",
        mime_type="application/json",
    )
    def reports() -> str:
        listing = [
            {
                "source": source,
                "section": section,
                "title": chunks[0].section_title,
                "pages": sorted({c.page for c in chunks if c.page is not None}),
                "uri": section_uri(source, section),
            }
            for (source, section), chunks in _sections(services).items()
            if section
        ]
        return _json({"sections": listing})

    @server.resource(
        REPORT_URI + "/{source}/{section}",
        name="rapportavsnitt",
        title="Rapportavsnitt",
        description="Ett avsnitts text med källa, rubrik och sidor.",
        mime_type="application/json",
    )
    def report_section(source: str, section: str) -> str:
        wanted = (unquote(source), unquote(section))
        chunks = _sections(services).get(wanted)
        if not chunks:
            raise ValueError(f"Avsnittet {wanted[1]!r} i {wanted[0]!r} finns inte.")
        return _json(
            {
                "source": wanted[0],
                "section": wanted[1],
                "title": chunks[0].section_title,
                "document_title": chunks[0].title,
                "year": chunks[0].year,
                "pages": sorted({c.page for c in chunks if c.page is not None}),
                "text": "\n\n".join(c.text for c in chunks),
            }
        )


def _add_prompts(server: MCPServer, services: Services) -> None:
    @server.prompt(
        name="sammanfatta_index",
        title="Sammanfatta årets index",
        description="Sammanfatta digitaliseringsindex för ett år (utelämnat: senaste året).",
    )
    def summarise(year: str = "") -> str:
        args = {"year": year} if year.strip() else {}
        data = call_tool(services, "get_index", args)
        return (
            "Sammanfatta digitaliseringsindex för "
            f"{data.get('year', 'senaste året')} på svenska i 4–6 meningar: indexet, de tre "
            "komponenterna (förutsättningar, resultat, nytta) och de delmått som förändrats mest "
            "mot året före. Använd bara talen nedan, skrivna som de står (display), och nämn "
            "formeln för indexet. Figurer från verktyget get_index:\n\n" + _json(data)
        )

    @server.prompt(
        name="forklara_forandring",
        title="Förklara förändringen",
        description="Förklara vad som drev en figurs förändring (standard: index, senaste året).",
    )
    def explain(figure: str = "index", year: str = "") -> str:
        args: dict[str, Any] = {"figure": figure or "index"}
        if year.strip():
            args["year"] = year
        data = call_tool(services, "explain_change", args)
        return (
            "Förklara på svenska vad som drev förändringen, med komponenternas bidrag i "
            "storleksordning. Använd bara talen nedan. Underlag från verktyget explain_change:"
            "\n\n" + _json(data)
        )


def build_mcp_server(services: Services) -> MCPServer:
    """The MCP server over the services' tools, resources and prompts."""
    # The schemas depend only on the dataset (its objekt): a registry without the retriever
    # lists them without loading the embedding model; calls use the assistant's registry.
    listing = ToolRegistry(services.dataset)
    # MCPServer() calls logging.basicConfig (a Rich handler on the root logger at INFO) when the
    # root logger has no handler: a placeholder handler keeps the app's logging as configured.
    root = logging.getLogger()
    placeholder = logging.NullHandler()
    root.addHandler(placeholder)
    try:
        server: MCPServer = MCPServer(
            SERVER_NAME,
            title="Digirapport",
            instructions=INSTRUCTIONS,
            version="0.1.0",
            tools=[_mcp_tool(services, t) for t in listing.tools.values()],
            middleware=[identity],
        )
    finally:
        root.removeHandler(placeholder)
    _add_resources(server, services)
    _add_prompts(server, services)
    return server


class McpEndpoint:
    """The ASGI app at ``/mcp``: hands each request to the session manager the lifespan runs."""

    def __init__(self) -> None:
        """Not serving until :func:`run_mcp` has started the session manager."""
        self.manager: StreamableHTTPSessionManager | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one MCP request (503 before start-up has finished)."""
        if self.manager is None:
            await send_error(send, 503, "mcp_unavailable", "MCP-servern har inte startat än.")
            return
        await self.manager.handle_request(scope, receive, send)


@asynccontextmanager
async def run_mcp(endpoint: McpEndpoint, services: Services) -> AsyncIterator[None]:
    """Build the MCP server and run its session manager for the app's lifetime."""
    server = build_mcp_server(services)
    server.streamable_http_app(
        stateless_http=True,
        json_response=True,
        # Host and Origin are checked for the whole app by web.guard (DIGI_ALLOWED_HOSTS);
        # the SDK's own check would refuse hosts the operator allowed there.
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    manager = server.session_manager
    async with manager.run():
        endpoint.manager = manager
        try:
            yield
        finally:
            endpoint.manager = None
