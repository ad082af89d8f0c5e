"""``digirapport mcp``: the MCP server over stdio, for desktop clients (Claude Desktop, others)."""

from __future__ import annotations

import logging
import sys

from web.cli._app import DataOption, app, friendly_errors, services_for


@app.command()
@friendly_errors
def mcp(data: DataOption = None) -> None:
    """Kör MCP-servern över stdio (verktyg, indexfigurer, rapportavsnitt och promptar)."""
    from web.mcp import build_mcp_server

    # stdout carries the protocol: everything else goes to stderr
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, force=True)
    services = services_for(data)
    try:
        build_mcp_server(services).run("stdio")
    finally:
        services.close()
