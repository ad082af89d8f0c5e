"""The FastAPI app factory: ``create_app(settings)``.

The lifespan builds the services once (dataset, store, model client, database) and closes them at
shutdown. One router per resource; one place (``web.errors``) maps package errors to HTTP.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from assistant.offline.router import router_for
from web.auth import prepare_access
from web.errors import install_error_handlers
from web.limits import install_limits
from web.mcp import McpEndpoint, run_mcp
from web.observe import ObserveMiddleware, configure_logging
from web.routes import ROUTERS
from web.routes.documents import remove_stale_uploads
from web.services import Services
from web.settings import Settings

log = logging.getLogger("digirapport.web")

API_DESCRIPTION = """
Digirapport: analysassistent för kommunens digitaliseringsuppföljning.

* **Chatt** med svar från indexmotorn och citerade rapportavsnitt (offline eller med språkmodell).
* **Sök** i inlästa rapporter (hybrid: semantisk + svensk BM25).
* **Digitaliseringsindex** per år med komponenter, delmått och härledning.
* **Klassning** av nya initiativ på portföljens axlar.
* **Utkast** till rapportkapitel (Markdown och Word).
* **OpenAI-kompatibelt** gränssnitt (`/v1`) så att befintliga chattklienter kan använda assistenten.
* **MCP-server** (`/mcp`, streamable HTTP) med verktygen, indexfigurer och rapportavsnitt.
"""


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the app for ``settings`` (read from the environment when not given)."""
    services = services or Services(settings or Settings())
    configure_logging(services.settings.log_format, services.settings.log_level)
    mcp = McpEndpoint()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = services
        # Fail fast on bad tables: the dataset is validated at start-up, not on the first request.
        _ = services.dataset
        prepare_access(services)  # DIGI_ADMIN_KEY stored hashed, audit retention applied
        if removed := remove_stale_uploads(services.settings.data_dir):
            log.info("Tog bort %d kvarlämnade uppladdningsmappar", removed)
        # The offline router (example vectors + classifier, ~3 s) is built in the background so
        # that start-up stays fast and the first question does not pay for it.
        threading.Thread(
            target=router_for, args=(services.dataset.objekt,), name="router-warmup", daemon=True
        ).start()
        log.info(
            "Digirapport startad (%s), data i %s",
            "offline" if services.settings.offline else "språkmodell",
            services.settings.data_dir,
        )
        try:
            async with run_mcp(mcp, services):  # the MCP session manager lives with the app
                yield
        finally:
            services.close()

    app = FastAPI(
        title="Digirapport",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.services = services
    install_error_handlers(app)
    install_limits(app, services.settings)  # size, auth + roles, rate limit, timeout
    app.add_middleware(ObserveMiddleware)  # outermost: request id, access log line, metrics
    for router in ROUTERS:
        app.include_router(router)
    # an ASGI app at exactly /mcp (a Mount would redirect /mcp to /mcp/)
    app.add_route("/mcp", mcp, methods=["GET", "POST", "DELETE"], include_in_schema=False)  # type: ignore[arg-type]
    return app
